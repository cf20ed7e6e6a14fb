"""The Trends sheet: each KPI by month beside its target, and a native line chart per KPI with the target
drawn as a line."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sla_core.contract import KPI_IDS
from sla_core.evaluate import PeriodResult
from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import target_format, value_kind
from sla_core.report.context import Context
from sla_core.report.xlsx import Col, Sheet, V

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
    sh = Sheet(
        b,
        "trends",
        f"{SHEETS['trends'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(months[0].label)} – {ctx.pname(months[-1].label)}",
        ctx.t(
            "实线为各月实际值，红点标出未达标的月份，虚线为当月适用的合同目标；图表为 Excel 原生图表，可直接编辑。",
            "The solid line is the monthly value, red markers flag missed months, the dashed line is the "
            "target in force each month. The charts are native Excel charts and stay editable.",
        ),
    )
    cols = [Col(ctx.w("col_kpi"), max_width=24), Col(ctx.w("series"), min_width=8)]
    cols += [Col(ctx.pname(m.label), "rate", min_width=9) for m in months]
    header_row = sh.row
    data_rows: dict[str, tuple[int, int, int | None]] = {}

    def rows() -> Iterable[list[Any]]:
        r = header_row + 1
        for kpi in kpis:
            unit = ctx.kpi_unit(kpi) or "rate"
            kind = value_kind(kpi, unit)
            values: list[Any] = [ctx.kpi_name(kpi), ctx.w("series_value")]
            targets: list[Any] = [ctx.kpi_name(kpi), ctx.w("target")]
            for m in months:
                v = m.verdict(kpi)
                values.append(V(v.value, kind))
                tv = m.terms.target(kpi) if m.judged else None
                targets.append(
                    V(float(tv.value), "target:" + target_format(tv, unit, ctx.lang)) if tv else None
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
    # charts below the table, four to a printed page (two rows of two), never across a page break
    top = sh.row + 1
    width, height, stride = 520, 282, 15
    breaks = [top]
    for i, kpi in enumerate(kpis):
        chart = _trend_chart(ctx, sh.name, kpi, months, header_row, data_rows[kpi], width, height)
        row = top + (i // 2) * stride
        if i and i % 4 == 0:
            breaks.append(row)
        sh.ws.insert_chart(row, 0, chart, {"x_offset": 4 + (i % 2) * (width + 12), "y_offset": 4})
    sh.ws.set_h_pagebreaks(breaks)
    sh.finish(repeat=False)


def _trend_chart(
    ctx: Context,
    sheet: str,
    kpi: str,
    months: list[PeriodResult],
    header_row: int,
    rows: tuple[int, int, int | None],
    width: int,
    height: int,
) -> Any:
    b = ctx.book
    value_row, target_row, missed_row = rows
    chart = b.wb.add_chart({"type": "line"})
    first_col, last_col = 2, 2 + len(months) - 1
    font = {"name": b.font, "size": 9}
    # constant_memory keeps no cell data to cache in the chart: give the cache explicitly, so the
    # chart shows in viewers that do not recalculate, and the month labels are text categories
    categories = [sheet, header_row, first_col, header_row, last_col]
    labels = [ctx.pname(m.label) for m in months]
    values = [m.verdict(kpi).value for m in months]
    targets = [
        float(t.value) if m.judged and (t := m.terms.target(kpi)) is not None else None for m in months
    ]
    chart.add_series(
        {
            "name": ctx.w("series_value"),
            "categories": categories,
            "categories_data": labels,
            "values": [sheet, value_row, first_col, value_row, last_col],
            "values_data": values,
            "line": {"color": b.series_color, "width": 2.25},
            "marker": {
                "type": "circle",
                "size": 7,
                "fill": {"color": b.series_color},
                "border": {"color": b.series_color},
            },
        }
    )
    chart.add_series(
        {
            "name": ctx.w("target"),
            "categories": categories,
            "categories_data": labels,
            "values": [sheet, target_row, first_col, target_row, last_col],
            "values_data": targets,
            "line": {"color": b.target_color, "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    if missed_row is not None:
        red = b.colors["missed"]
        chart.add_series(
            {
                "name": ctx.w("missed_series"),
                "categories": categories,
                "categories_data": labels,
                "values": [sheet, missed_row, first_col, missed_row, last_col],
                "values_data": [
                    v if m.verdict(kpi).status == "missed" else None
                    for m, v in zip(months, values, strict=True)
                ],
                "line": {"none": True},
                "marker": {"type": "circle", "size": 9, "fill": {"color": red}, "border": {"color": red}},
            }
        )
    unit = ctx.kpi_unit(kpi) or "rate"
    lo, hi = _axis_bounds([v for v in values + targets if v is not None], unit)
    axis: dict[str, Any] = {
        "num_font": font,
        "major_gridlines": {"visible": True, "line": {"color": "#eceff1"}},
        "line": {"color": "#b0bec5"},
    }
    if unit == "rate" and lo is not None and hi is not None:  # no values: no bounds, no chart to format
        axis["num_format"] = "0%" if hi - lo >= 0.05 else "0.0%"
    elif unit == "score":
        axis["num_format"] = "0.0"
    if lo is not None:
        axis["min"] = lo
    if hi is not None:
        axis["max"] = hi
    chart.set_y_axis(axis)
    chart.set_x_axis(
        {"num_font": {**font, "rotation": -45 if len(months) > 6 else 0}, "line": {"color": "#b0bec5"}}
    )
    suffix = {"minutes": ("（分钟）", " (min)"), "hours": ("（小时）", " (h)")}.get(ctx.kpi_unit(kpi) or "")
    title = ctx.kpi_name(kpi) + ("" if suffix is None else ctx.t(*suffix))
    chart.set_title({"name": title, "name_font": {"name": b.font, "size": 11, "bold": True}})
    chart.set_legend({"position": "bottom", "font": font})
    chart.set_size({"width": width, "height": height})
    chart.set_chartarea({"border": {"color": "#cfd8dc"}})
    chart.show_blanks_as("gap")
    return chart


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
