"""The Trends sheet: each KPI by month beside its target, and a native line chart per KPI with the target
drawn as a line."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sla_core.contract import KPI_IDS
from sla_core.evaluate import PeriodResult
from sla_core.i18n import unit_word
from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import row_digits, target_format, value_kind
from sla_core.report.context import Context
from sla_core.report.layout import Col, LineChart, Series, V

# The KPIs drawn on the Trends sheet, when they have a value in at least one month.
TREND_KPIS: tuple[str, ...] = (
    "response_within_target",
    "resolution_within_target",
    "resolution_rate",
    "first_contact_resolution",
    "complaint_rate",
    "feedback_on_time",
    "csat_mean",
    "csat_satisfied_share",
    "availability",
    "unplanned_downtime_minutes",
)


def trends(ctx: Context) -> None:
    p, ev, b = ctx.p, ctx.ev, ctx.book
    last = p.keys[-1]
    months = [m for m in ev.months if m.keys[0] <= last]
    extra = [k for k in ev.kpi_ids if k not in KPI_IDS]  # the workaround and the contract's own KPIs
    kpis = [k for k in (*TREND_KPIS, *extra) if any(m.verdict(k).value is not None for m in months)]
    sh = b.sheet(
        "trends",
        f"{SHEETS['trends'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(months[0].label)} – {ctx.pname(months[-1].label)}",
        ctx.w("trends_note_native_charts" if b.spreadsheet else "trends_note"),
    )
    cols = [Col(ctx.w("col_kpi"), max_width=24), Col(ctx.w("series"), min_width=8)]
    cols += [Col(ctx.pname(m.label), "num", min_width=9) for m in months]
    header_row = sh.row
    data_rows: dict[str, tuple[int, int, int | None]] = {}

    def rows() -> Iterable[list[Any]]:
        r = header_row + 1
        for kpi in kpis:
            unit = ctx.kpi_unit(kpi) or "rate"
            month_targets = [m.terms.target(kpi) if m.judged else None for m in months]
            digits = row_digits(
                kpi, [(m.verdict(kpi).value, tv) for m, tv in zip(months, month_targets, strict=True)], unit
            )
            kind = value_kind(kpi, digits, ctx.lang, unit)
            values: list[Any] = [ctx.kpi_name(kpi), ctx.w("series_value")]
            targets: list[Any] = [ctx.kpi_name(kpi), ctx.w("target")]
            for m, tv in zip(months, month_targets, strict=True):
                values.append(V(m.verdict(kpi).value, kind))
                targets.append(
                    V(float(tv.value), "target:" + target_format(tv, unit, ctx.lang, digits)) if tv else None
                )
            statuses = [m.verdict(kpi).status for m in months]
            yield values
            yield targets
            if "missed" in statuses:
                # the missed months as their own series: red markers that Excel and LibreOffice both draw
                data_rows[kpi] = (r, r + 1, r + 2)
                r += 3
                yield [
                    ctx.kpi_name(kpi),
                    V(ctx.w("missed_series"), "text"),
                    *(
                        V(m.verdict(kpi).value if st == "missed" else None, kind)
                        for m, st in zip(months, statuses, strict=True)
                    ),
                ]
            else:
                data_rows[kpi] = (r, r + 1, None)
                r += 2

    sh.table(cols, rows(), main=True, freeze_col=2)
    sh.line_charts([_trend_chart(ctx, kpi, months, header_row, data_rows[kpi]) for kpi in kpis])
    sh.finish(repeat=False)


def _trend_chart(
    ctx: Context, kpi: str, months: list[PeriodResult], header_row: int, rows: tuple[int, int, int | None]
) -> LineChart:
    """The KPI by month (red markers on the missed ones) and the target in force each month."""
    b = ctx.book
    value_row, target_row, missed_row = rows
    values = [m.verdict(kpi).value for m in months]
    targets = [
        float(t.value) if m.judged and (t := m.terms.target(kpi)) is not None else None for m in months
    ]
    series = [
        Series(ctx.w("series_value"), values, value_row, "line", b.series_color),
        Series(ctx.w("target"), targets, target_row, "target", b.target_color),
    ]
    if missed_row is not None:
        missed = [
            v if m.verdict(kpi).status == "missed" else None for m, v in zip(months, values, strict=True)
        ]
        series.append(Series(ctx.w("missed_series"), missed, missed_row, "markers", b.colors["missed"]))
    unit = ctx.kpi_unit(kpi) or "rate"
    lo, hi = _axis_bounds([v for v in values + targets if v is not None], unit)
    y_format = None
    if unit == "rate":
        y_format = "0%" if lo is not None and hi is not None and hi - lo >= 0.05 else "0.0%"
    elif unit == "score":
        y_format = "0.0"
    title = ctx.kpi_name(kpi)
    if unit in ("minutes", "hours"):
        title += ctx.w("unit_suffix").format(unit=unit_word(unit, ctx.lang))
    return LineChart(
        title, [ctx.pname(m.label) for m in months], header_row, 2, tuple(series), lo, hi, y_format
    )


def _axis_bounds(values: list[float], unit: str) -> tuple[float | None, float | None]:
    """A y range that shows the differences that matter (95% vs 97%), not 0–100%."""
    if not values:
        return None, None
    lo, hi = min(values), max(values)
    if unit == "rate":
        span = max(hi - lo, 0.01)
        step = 0.01 if span <= 0.1 else 0.05
        low = max(0.0, math.floor((lo - span * 0.25) / step) * step)
        high = min(1.0, math.ceil((hi + span * 0.25) / step) * step)
        if high - low < step:
            low = max(0.0, high - step)
        return round(low, 4), round(high, 4)
    if unit == "score":
        span = max(hi - lo, 0.1)
        return round(math.floor((lo - span * 0.25) * 10) / 10, 1), round(
            math.ceil((hi + span * 0.25) * 10) / 10, 1
        )
    return 0.0, None
