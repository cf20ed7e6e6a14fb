"""Page-ready results: one function per screen, so a page is widgets, one call, render.

Everything here is computed from an `Evaluation` (and the dataset behind it); nothing renders.
Filters (priority, team, category, channel, customer) change values and breakdowns, never verdicts,
penalties or obligations (spec "Rule (filters)").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from sla_core.availability import merge_intervals, split_by_month
from sla_core.contract import KPI_IDS
from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation, PeriodResult, filtered_values
from sla_core.i18n import (
    FLAG_NAMES,
    KIND_NAMES,
    KPIS,
    action_status_label,
    category_label,
    clock_label,
    field_label,
    fmt_money,
    fmt_value,
    label_with_unit,
    link_label,
    month_label,
    months_label,
    obligation_kind_label,
    status_label,
)
from sla_core.kpis import DIMENSIONS, kpi_values, source_presence, survey_counts, ticket_counts
from sla_core.periods import MonthGrid, month_seconds, quarter_of
from sla_core.verdicts import target_text

PeriodKind = Literal["month", "quarter", "range"]
Filters = dict[str, tuple[str, ...]]

# where a tile leads
KPI_PAGE = {
    **dict.fromkeys(
        (
            "response_within_target",
            "resolution_within_target",
            "resolution_rate",
            "first_contact_resolution",
            "reopen_rate",
            "complaint_rate",
            "feedback_on_time",
            "suggestion_adoption_rate",
        ),
        "timeliness",
    ),
    **dict.fromkeys(("csat_mean", "csat_satisfied_share", "survey_response_rate"), "satisfaction"),
    **dict.fromkeys(
        (
            "availability",
            "unplanned_downtime_minutes",
            "mttr_minutes",
            "restored_in_time",
            "backup_success_rate",
            "recovery_time_hours",
        ),
        "availability",
    ),
}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    label: str  # 2026-10 · 2026Q3 · 2026-08-01..2026-09-15
    start: date | None = None  # custom range, inclusive
    end: date | None = None

    @classmethod
    def month(cls, label: str) -> Period:
        return cls("month", label)

    @classmethod
    def quarter(cls, label: str) -> Period:
        return cls("quarter", label)

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        return cls("range", f"{start.isoformat()}..{end.isoformat()}", start, end)

    def title(self, lang: str) -> str:
        if self.kind == "range" and self.start and self.end:
            return f"{self.start.isoformat()} – {self.end.isoformat()}"
        return month_label(self.label, lang)


def active(filters: Filters | None) -> bool:
    return bool(filters) and any(filters.values())  # type: ignore[union-attr]


def previous_label(evaluation: Evaluation, period: Period) -> str | None:
    labels = (
        [m.label for m in evaluation.months]
        if period.kind == "month"
        else [q.label for q in evaluation.quarters]
    )
    if period.label in labels:
        i = labels.index(period.label)
        return labels[i - 1] if i > 0 else None
    return None


# ---------------------------------------------------------------- values for a period


def values_for(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, *, nearby: bool = False
) -> pd.DataFrame:
    """period, dimension, member, kpi, value, numerator, denominator, no_data — whole or filtered.

    nearby: filtered values are needed only for the period and the one before it (the tiles).
    """
    if period.kind == "range":
        return pooled_values(evaluation, data, period, filters)
    if active(filters):
        months = _nearby_months(evaluation, period) if nearby else None
        return filtered_values(evaluation, data, {k: list(v) for k, v in filters.items()}, months)  # type: ignore[union-attr]
    return evaluation.values


def _nearby_months(evaluation: Evaluation, period: Period) -> list[int]:
    """The month keys of a month or quarter and of the period before it."""
    labels = [period.label]
    if (before := previous_label(evaluation, period)) is not None:
        labels.append(before)
    out: list[int] = []
    for label in labels:
        result = evaluation.period(label)
        out += list(result.keys) if result else []
    return out


def _epoch(day: date, evaluation: Evaluation) -> float:
    return datetime.combine(day, time(0), tzinfo=evaluation.contract.zone).timestamp()


def pooled_values(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None
) -> pd.DataFrame:
    """Values pooled over a custom date range (no verdicts: targets hold for months and quarters)."""
    if not (period.start and period.end):
        raise ValueError("a custom range needs its start and end")
    lo, hi = _epoch(period.start, evaluation), _epoch(period.end + timedelta(days=1), evaluation)
    tickets, responses = _filtered_rows(evaluation, filters)
    if not tickets.empty:
        tickets = tickets.loc[(tickets["created"] >= lo) & (tickets["created"] < hi)].assign(
            period=period.label
        )
    if not responses.empty:
        responses = responses.loc[(responses["submitted"] >= lo) & (responses["submitted"] < hi)]
        responses = responses.assign(period=period.label)
    index = ["period", "dimension", "member"]
    frames = [pd.DataFrame({"period": [period.label], "dimension": ["all"], "member": [""]}).set_index(index)]
    if not tickets.empty:
        frames.append(ticket_counts(tickets).set_index(index))
    if not responses.empty:
        frames.append(survey_counts(responses).set_index(index))
    facts = evaluation.outages
    if facts.given:
        o = facts.outages
        unplanned = o.loc[~o["planned_effective"]] if not o.empty else o
        s, e = merge_intervals(unplanned["start_s"].to_numpy(float), unplanned["end_s"].to_numpy(float))
        down = float(np.clip(np.minimum(e, hi) - np.maximum(s, lo), 0, None).sum()) if s.size else 0.0
        inc = facts.incidents
        ended = inc.loc[(inc["start"] >= lo) & (inc["start"] < hi) & ~inc["open"]] if not inc.empty else inc
        frames.append(
            pd.DataFrame(
                [
                    {
                        "period": period.label,
                        "dimension": "all",
                        "member": "",
                        "month_seconds": hi - lo,
                        "downtime_seconds": down,
                        "up_seconds": hi - lo - down,
                        "downtime_minutes": down / 60,
                        "months": 1.0,
                        "incidents_ended": len(ended),
                        "incident_minutes": float(ended["duration"].sum()) / 60 if len(ended) else 0.0,
                        "incidents_in_time": int(ended["restored_in_time"].sum()) if len(ended) else 0,
                    }
                ]
            ).set_index(index)
        )
    counts = pd.concat(frames, axis=1).fillna(0).reset_index()
    return kpi_values(counts, source_presence(data))


def _filtered_rows(evaluation: Evaluation, filters: Filters | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    tickets, responses = evaluation.tickets, evaluation.responses
    for dim, members in (filters or {}).items():
        if dim not in DIMENSIONS or not members:
            continue
        if not tickets.empty:
            tickets = tickets.loc[tickets[dim].fillna("").isin(members)]
        if not responses.empty:
            responses = responses.loc[responses[dim].fillna("").isin(members)]
    return tickets, responses


def members(evaluation: Evaluation) -> dict[str, list[str]]:
    """The values each filter can take (from tickets; surveys' channels and teams too)."""
    out: dict[str, list[str]] = {}
    for dim in DIMENSIONS:
        found: set[str] = set()
        if not evaluation.tickets.empty:
            found |= set(evaluation.tickets[dim].dropna().unique().tolist())
        if dim in ("channel", "team") and not evaluation.responses.empty:
            found |= set(evaluation.responses[dim].dropna().unique().tolist())
        out[dim] = sorted(str(x) for x in found)
    return out


# ---------------------------------------------------------------- KPI tiles


@dataclass(frozen=True)
class Tile:
    kpi: str
    label: str
    value: float | None
    value_text: str
    target_text: str
    status: str  # met / missed / no_data / unjudged / filtered
    sentence: str
    delta_text: str
    delta_good: bool | None  # None when there is nothing to compare
    numerator: float | None
    denominator: float | None
    page: str
    has_target: bool = True  # False: target_text says there is none


def _result(evaluation: Evaluation, period: Period) -> PeriodResult | None:
    if period.kind == "month":
        return evaluation.month(period.label)
    if period.kind == "quarter":
        return evaluation.quarter(period.label)
    return None


def _row_lookup(values: pd.DataFrame, label: str) -> dict[str, dict[str, object]]:
    rows = values.loc[(values["period"] == label) & (values["dimension"] == "all")]
    return {str(r["kpi"]): r for r in rows.to_dict("records")}


def _num(x: object) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or pd.isna(x) else float(x)  # type: ignore[arg-type]


def tiles(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> list[Tile]:
    values = values_for(evaluation, data, period, filters, nearby=True)
    rows = _row_lookup(values, period.label)
    prev_label = previous_label(evaluation, period)
    prev_rows = _row_lookup(values, prev_label) if prev_label else {}
    result = _result(evaluation, period)
    filtered = active(filters) or period.kind == "range"
    out = []
    for kpi in KPI_IDS:
        d = KPIS[kpi]
        verdict = result.verdict(kpi) if result else None
        row = rows.get(kpi, {})
        value = verdict.value if (verdict and not filtered) else _num(row.get("value"))
        prev = _num(prev_rows.get(kpi, {}).get("value")) if prev_rows else None
        delta_text, good = "", None
        if value is not None and prev is not None:
            diff = value - prev
            delta_text = _delta(diff, d.unit, lang)
            flat = float(delta_text.split()[0]) == 0  # a change that rounds to nothing is no change
            if flat:
                delta_text = "±" + delta_text.lstrip("+-")
            good = None if flat else (diff > 0) == d.higher_is_better
        terms = result.terms if result else evaluation.contract.terms_on(period.start or date.today())
        target = terms.target(kpi)
        beside = target.value if target else None
        if filtered:
            # a custom range with no filter is pooled, not filtered: say which, neither is a verdict
            status = "filtered" if active(filters) else "pooled"
            sentence = _filtered_sentence(kpi, value, row, lang, pooled=status == "pooled", beside=beside)
        elif verdict is None:  # a month or quarter the evaluation does not hold: nothing to judge
            status, sentence = "no_data", ""
        else:
            status = verdict.status
            sentence = verdict.explanation(lang)
        out.append(
            Tile(
                kpi=kpi,
                label=d.label(lang),
                value=value,
                value_text=fmt_value(value, d.unit, lang, beside=beside),
                target_text=target_text(target, d.unit, lang)
                if target
                else ("未设目标" if lang == "zh" else "no target"),
                has_target=target is not None,
                status=status,
                sentence=sentence,
                delta_text=delta_text,
                delta_good=good,
                numerator=_num(row.get("numerator")) if row else None,
                denominator=_num(row.get("denominator")) if row else None,
                page=KPI_PAGE[kpi],
            )
        )
    return out


def _delta(diff: float, unit: str, lang: str) -> str:
    if unit == "rate":
        return f"{diff * 100:+.1f} pp" if lang == "en" else f"{diff * 100:+.1f} 个百分点"
    if unit == "score":
        return f"{diff:+.2f}"
    if unit == "minutes":
        return f"{diff:+,.1f} min" if lang == "en" else f"{diff:+,.1f} 分钟"
    return f"{diff:+,.2f} h" if lang == "en" else f"{diff:+,.2f} 小时"


def _filtered_sentence(
    kpi: str,
    value: float | None,
    row: dict[str, object],
    lang: str,
    *,
    pooled: bool = False,
    beside: float | None = None,
) -> str:
    d = KPIS[kpi]
    if value is None:
        if pooled:
            return (
                "该区间无数据——非合同评判。"
                if lang == "zh"
                else "No data in the range — not a contract verdict."
            )
        return (
            "筛选后无数据——非合同评判。"
            if lang == "zh"
            else "No data in the filtered selection — not a contract verdict."
        )
    num, den = _num(row.get("numerator")), _num(row.get("denominator"))
    counts = f" ({num:,.0f}/{den:,.0f})" if num is not None and den is not None and d.unit == "rate" else ""
    if (
        kpi == "availability" and num is not None and den is not None
    ):  # seconds up / in the span: say minutes down
        down = fmt_value((den - num) / 60, "minutes", lang)
        counts = f"（计划外停机 {down}）" if lang == "zh" else f" ({down} of unplanned downtime)"
    how_zh, how_en = ("区间合并计算", "pooled over the range") if pooled else ("已筛选", "filtered")
    shown = fmt_value(value, d.unit, lang, beside=beside)
    if lang == "zh":
        return f"{shown}{counts}，{how_zh}——非合同评判。"
    return f"{shown}{counts}, {how_en} — not a contract verdict."


# ---------------------------------------------------------------- overview


@dataclass
class OverviewView:
    title: str
    tiles: list[Tile]
    counts: dict[str, int]
    penalty_text: str
    penalty_note: str
    penalty_provisional: bool
    obligations: pd.DataFrame
    filtered: bool
    final: bool | None
    warnings: list[str] = field(default_factory=list)


def overview(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> OverviewView:
    tile_list = tiles(evaluation, data, period, filters, lang)
    counts: dict[str, int] = {}
    for tile in tile_list:
        counts[tile.status] = counts.get(tile.status, 0) + 1
    result = _result(evaluation, period)
    currency = evaluation.contract.base.contract.currency
    if result is not None:
        p = result.penalty
        text = fmt_money(p.amount, currency, lang)
        note = _penalty_note(p.uncapped_amount, p.capped, p.cap_total, currency, len(p.items), lang)
        provisional, final = p.provisional, result.final
        months = {
            month_label(k_label, lang) for k_label in ([result.label] if period.kind == "month" else [])
        }
        del months
    else:
        months_in = _months_in_range(evaluation, period)
        amount = sum((m.penalty.amount for m in evaluation.months if m.label in months_in), start=0)
        text = fmt_money(amount, currency, lang)
        note = (
            "自定义区间：合计所含整月的罚金"
            if lang == "zh"
            else "custom range: sum of the whole months it touches"
        )
        provisional = any(m.penalty.provisional for m in evaluation.months if m.label in months_in)
        final = None
    return OverviewView(
        title=period.title(lang),
        tiles=tile_list,
        counts=counts,
        penalty_text=text,
        penalty_note=note,
        penalty_provisional=provisional,
        obligations=obligations_table(evaluation, lang, open_only=True),
        filtered=active(filters) or period.kind == "range",
        final=final,
        warnings=[w.message(lang) for w in evaluation.warnings],
    )


def _months_in_range(evaluation: Evaluation, period: Period) -> set[str]:
    if not (period.start and period.end):
        return set()
    out = set()
    for m in evaluation.months:
        y, mm = (int(x) for x in m.label.split("-"))
        first = date(y, mm, 1)
        if period.start <= first <= period.end or (
            first <= period.start < date(y + mm // 12, mm % 12 + 1, 1)
        ):
            out.add(m.label)
    return out


def _penalty_note(
    uncapped: object, capped: bool, cap_total: object, currency: str, items: int, lang: str
) -> str:
    zh = lang == "zh"
    base = f"{items} 项扣款" if zh else f"{items} item{'s' if items != 1 else ''}"
    if not capped:
        return base
    if cap_total is None:  # a quarter: each month was capped on its own
        return (
            f"{base}，合计 {fmt_money(uncapped, currency, lang)}，部分月份已封顶"
            if zh  # type: ignore[arg-type]
            else f"{base}, {fmt_money(uncapped, currency, lang)} before the monthly caps"
        )  # type: ignore[arg-type]
    if zh:
        return f"{base}，合计 {fmt_money(uncapped, currency, lang)}，已按上限 {fmt_money(cap_total, currency, lang)} 封顶"  # type: ignore[arg-type]
    return f"{base}, {fmt_money(uncapped, currency, lang)} before the cap of {fmt_money(cap_total, currency, lang)}"  # type: ignore[arg-type]


def obligations_table(evaluation: Evaluation, lang: str, *, open_only: bool = False) -> pd.DataFrame:
    as_of = datetime.fromtimestamp(evaluation.as_of, evaluation.contract.zone).date()
    rows = []
    for o in evaluation.obligations:
        if open_only and o.status == "done":
            continue
        kpi_names = ", ".join(KPIS[k].label(lang) for k in (o.kpi or "").split(",") if k in KPIS)
        rows.append(
            {
                "id": o.id,
                "kind": obligation_kind_label(o.kind, lang),
                "kpi": kpi_names,
                "months": months_label(o.months, lang),
                "due": o.due,
                # done: nothing is left (text, since a table shows a missing number as "None")
                "days_left": "" if o.status == "done" else _days_left((o.due - as_of).days, lang),
                "status": status_label(o.status, lang),
                "status_code": o.status,
                "linked_action": o.linked_action or "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=["id", "kind", "kpi", "months", "due", "days_left", "status", "status_code", "linked_action"],
    )


def _days_left(days: int, lang: str) -> str:
    """'12', or past the due date '逾期 140 天' / '140 days overdue' (not '-140')."""
    if days >= 0:
        return f"{days:d}"
    if lang == "zh":
        return f"逾期 {-days:d} 天"
    return f"{-days:d} day{'s' if days != -1 else ''} overdue"


def quarter_of_month(label: str) -> str:
    y, m = (int(x) for x in label.split("-"))
    return quarter_of(y * 12 + m - 1)


# ---------------------------------------------------------------- trends and ticket selections


def trend(evaluation: Evaluation, values: pd.DataFrame, kpi: str, filtered: bool = False) -> pd.DataFrame:
    """month, value, target (float), status — one row per evaluated month."""
    rows = values.loc[(values["dimension"] == "all") & (values["kpi"] == kpi)].set_index("period")["value"]
    out = []
    for m in evaluation.months:
        target = m.terms.target(kpi)
        v = rows.get(m.label)
        value = None if v is None or pd.isna(v) else float(v)
        status = "filtered" if filtered and value is not None else m.verdict(kpi).status
        out.append(
            {
                "month": m.label,
                "value": value if filtered else m.verdict(kpi).value,
                "target": float(target.value) if target else np.nan,
                "status": status,
            }
        )
    return pd.DataFrame(out, columns=["month", "value", "target", "status"])


def period_months(evaluation: Evaluation, period: Period) -> list[str]:
    if period.kind == "month":
        return [period.label]
    if period.kind == "quarter":
        q = evaluation.quarter(period.label)
        return [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in q.keys] if q else []
    return sorted(_months_in_range(evaluation, period))


def period_tickets(evaluation: Evaluation, period: Period, filters: Filters | None) -> pd.DataFrame:
    tickets, _ = _filtered_rows(evaluation, filters)
    if tickets.empty:
        return tickets
    if period.kind == "range" and period.start and period.end:
        lo = _epoch(period.start, evaluation)
        hi = _epoch(period.end + timedelta(days=1), evaluation)
        return tickets.loc[(tickets["created"] >= lo) & (tickets["created"] < hi)]
    return tickets.loc[tickets["month"].isin(period_months(evaluation, period))]


def period_responses(evaluation: Evaluation, period: Period, filters: Filters | None) -> pd.DataFrame:
    _, responses = _filtered_rows(evaluation, filters)
    if responses.empty:
        return responses
    if period.kind == "range" and period.start and period.end:
        lo = _epoch(period.start, evaluation)
        hi = _epoch(period.end + timedelta(days=1), evaluation)
        return responses.loc[(responses["submitted"] >= lo) & (responses["submitted"] < hi)]
    keys = {int(m[:4]) * 12 + int(m[5:]) - 1 for m in period_months(evaluation, period)}
    return responses.loc[responses["month_key"].isin(keys)]


def local_times(epochs: pd.Series, evaluation: Evaluation) -> pd.Series:
    return pd.to_datetime(epochs, unit="s", utc=True).dt.tz_convert(evaluation.contract.zone)


# ---------------------------------------------------------------- timeliness


@dataclass
class Distribution:
    priority: str
    measure: str  # response | resolution
    seconds: np.ndarray
    target: float | None
    median: float | None
    p90: float | None
    clock: str = "business"  # the priority's clock the seconds are counted on: business | 24x7


@dataclass
class TimelinessView:
    response_series: pd.DataFrame  # month, priority, value, numerator, denominator
    resolution_series: pd.DataFrame
    targets: dict[str, pd.DataFrame]  # kpi → month, target
    distributions: list[Distribution]
    heatmap: np.ndarray  # 7 × 24 breached tickets by local weekday × hour of creation
    pareto: dict[str, pd.Series]  # dimension → breaches per member
    at_risk: pd.DataFrame
    breached: pd.DataFrame
    filtered: bool


def _nearest_rank(values: np.ndarray, q: float) -> float | None:
    if values.size == 0:
        return None
    ordered = np.sort(values)
    return float(ordered[max(int(np.ceil(q * ordered.size)) - 1, 0)])


def timeliness(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> TimelinessView:
    values = (
        values_for(
            evaluation, data, Period.month(period.label) if period.kind == "month" else period, filters
        )
        if active(filters)
        else evaluation.values
    )
    months = [m.label for m in evaluation.months]
    series = {}
    for kpi in ("response_within_target", "resolution_within_target"):
        rows = values.loc[
            (values["kpi"] == kpi) & (values["dimension"] == "priority") & values["period"].isin(months)
        ]
        series[kpi] = rows.rename(columns={"period": "month", "member": "priority"})[
            ["month", "priority", "value", "numerator", "denominator"]
        ].sort_values(["month", "priority"])
    targets = {
        kpi: pd.DataFrame(
            [
                {"month": m.label, "target": float(t.value) if (t := m.terms.target(kpi)) else np.nan}
                for m in evaluation.months
            ]
        )
        for kpi in ("response_within_target", "resolution_within_target")
    }
    tickets = period_tickets(evaluation, period, filters)
    judged = tickets.loc[~tickets["excluded"]] if not tickets.empty else tickets
    dists = []
    terms = (
        evaluation.period(period.label).terms if evaluation.period(period.label) else evaluation.contract.base
    )
    for p in terms.priorities:
        rows = judged.loc[judged["priority"] == p.id] if not judged.empty else judged
        for measure, done in (("response", "responded"), ("resolution", "resolved")):
            secs = (
                rows.loc[rows[done], f"{measure}_seconds"].to_numpy(dtype="float64")
                if not rows.empty
                else np.zeros(0)
            )
            dists.append(
                Distribution(
                    p.id,
                    measure,
                    secs,
                    float(getattr(p, measure)),
                    _nearest_rank(secs, 0.5),
                    _nearest_rank(secs, 0.9),
                    p.clock,
                )
            )
    breached_rows = (
        tickets.loc[(tickets["response_status"] == "breached") | (tickets["resolution_status"] == "breached")]
        if not tickets.empty
        else tickets
    )
    grid = np.zeros((7, 24), dtype="int64")
    if not breached_rows.empty:
        local = local_times(breached_rows["created"], evaluation)
        np.add.at(grid, (local.dt.day_of_week.to_numpy(), local.dt.hour.to_numpy()), 1)
    pareto = {
        dim: breached_rows[dim].fillna("").value_counts()
        if not breached_rows.empty
        else pd.Series(dtype="int64")
        for dim in ("team", "category", "channel")
    }
    return TimelinessView(
        response_series=series["response_within_target"],
        resolution_series=series["resolution_within_target"],
        targets=targets,
        distributions=dists,
        heatmap=grid,
        pareto=pareto,
        at_risk=at_risk(evaluation, tickets, lang),
        breached=breached_table(evaluation, breached_rows, lang),
        filtered=active(filters),
    )


def _names(values: pd.Series, name: Callable[[str], str]) -> pd.Series:
    """Each value's name (a status, a category), looked up once per distinct value, not once per ticket."""
    return values.map({v: name(str(v)) for v in values.dropna().unique()})


def _fmt_hms(seconds: pd.Series) -> pd.Series:
    s = seconds.fillna(0).astype("int64")
    return (
        (s // 3600).astype(str)
        + ":"
        + (s % 3600 // 60).astype(str).str.zfill(2)
        + ":"
        + (s % 60).astype(str).str.zfill(2)
    )


def at_risk(evaluation: Evaluation, tickets: pd.DataFrame, lang: str, threshold: float = 0.8) -> pd.DataFrame:
    """Open tickets at as_of that used ≥ 80% of a target (breached ones included, marked)."""
    cols = ["ticket_id", "priority", "team", "target", "created", "used", "elapsed", "limit", "status"]
    if tickets.empty:
        return pd.DataFrame(columns=cols)
    parts = []
    for measure, done in (("response", "responded"), ("resolution", "resolved")):
        rows = tickets.loc[~tickets[done] & ~tickets["excluded"]]
        used = rows[f"{measure}_seconds"] / rows[f"{measure}_target"]
        rows = rows.assign(used=used).loc[used >= threshold]
        if rows.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "ticket_id": rows["ticket_id"],
                    "priority": rows["priority"],
                    "team": rows["team"],
                    "target": ("首次响应" if lang == "zh" else "response")
                    if measure == "response"
                    else ("解决" if lang == "zh" else "resolution"),
                    "created": local_times(rows["created"], evaluation).dt.tz_localize(None),
                    "used": rows["used"].astype(float),
                    "elapsed": _fmt_hms(rows[f"{measure}_seconds"]),
                    "limit": _fmt_hms(rows[f"{measure}_target"]),
                    "status": _names(rows[f"{measure}_status"], lambda v: status_label(v, lang)),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True).sort_values("used", ascending=False)


def breached_table(evaluation: Evaluation, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    cols = [
        "ticket_id",
        "month",
        "priority",
        "team",
        "category",
        "channel",
        "created",
        "response",
        "response_target",
        "response_status",
        "resolution",
        "resolution_target",
        "resolution_status",
    ]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            "ticket_id": rows["ticket_id"],
            "month": rows["month"],
            "priority": rows["priority"],
            "team": rows["team"],
            "category": _names(rows["category"], lambda v: category_label(v, lang)),
            "channel": rows["channel"],
            "created": local_times(rows["created"], evaluation).dt.tz_localize(None),
            "response": _fmt_hms(rows["response_seconds"]),
            "response_target": _fmt_hms(rows["response_target"]),
            "response_status": _names(rows["response_status"], lambda v: status_label(v, lang)),
            "resolution": _fmt_hms(rows["resolution_seconds"]),
            "resolution_target": _fmt_hms(rows["resolution_target"]),
            "resolution_status": _names(rows["resolution_status"], lambda v: status_label(v, lang)),
        }
    ).sort_values(["month", "ticket_id"])


@dataclass
class TicketDetail:
    ticket_id: str
    facts: list[tuple[str, str]]  # label, value
    timeline: pd.DataFrame  # event, time (local)


def ticket_detail(evaluation: Evaluation, data: Dataset, ticket_id: str, lang: str) -> TicketDetail | None:
    """One ticket's times, business durations, targets and outcome."""
    t = evaluation.tickets
    rows = t.loc[t["ticket_id"] == ticket_id]
    if rows.empty:
        return None
    r = rows.iloc[0]
    zh = lang == "zh"
    zone = evaluation.contract.zone

    def when(epoch: float) -> str:
        return (
            "—"
            if pd.isna(epoch)
            else datetime.fromtimestamp(float(epoch), zone).strftime("%Y-%m-%d %H:%M:%S")
        )

    clock = clock_label(str(r["clock"]), lang)
    facts = [
        (
            "优先级" if zh else "Priority",
            f"{r['priority']}（{clock}）" if zh else f"{r['priority']} ({clock})",
        ),
        ("处理组" if zh else "Team", str(r["team"]) if pd.notna(r["team"]) else "—"),
        (
            "首次响应" if zh else "Response",
            f"{_fmt_hms(pd.Series([r['response_seconds']])).iloc[0]} / {_fmt_hms(pd.Series([r['response_target']])).iloc[0]}"
            f" · {status_label(str(r['response_status']), lang)}",
        ),
        (
            "解决" if zh else "Resolution",
            f"{_fmt_hms(pd.Series([r['resolution_seconds']])).iloc[0]} / {_fmt_hms(pd.Series([r['resolution_target']])).iloc[0]}"
            f" · {status_label(str(r['resolution_status']), lang)}",
        ),
        ("挂起" if zh else "Paused", _fmt_hms(pd.Series([r["paused_seconds"]])).iloc[0]),
    ]
    if bool(r["excluded"]):
        facts.append(("免责原因" if zh else "Exclusion", str(r["exclusion_reason"])))
    events = [
        ("创建" if zh else "created", r["created"]),
        ("首次响应" if zh else "first response", r["response_end"]),
        ("解决" if zh else "resolved", r["resolved_time"]),
        ("分类" if zh else "classified", r["classified"]),
    ]
    src = data.tickets
    spans: list[tuple[str, float, float, str]] = []
    if src is not None:
        raw = src.loc[src["ticket_id"] == ticket_id]
        if not raw.empty and pd.notna(raw.iloc[0]["closed_at"]):
            events.append(("关闭" if zh else "closed", raw.iloc[0]["closed_at"].timestamp()))
        if not raw.empty and "pause_intervals" in raw.columns:
            spans = _derived_spans(raw["pause_intervals"].iloc[:1], r, evaluation, zh)
        reopens = (
            int(raw.iloc[0]["reopened_count"])
            if not raw.empty and pd.notna(raw.iloc[0]["reopened_count"])
            else 0
        )
        if reopens:
            facts.append(("重开" if zh else "Reopened", f"{reopens} 次" if zh else f"{reopens}×"))
    rows = [{"event": e, "time": when(x), "until": "", "paused": ""} for e, x in events if not pd.isna(x)]
    rows += [{"event": e, "time": when(a), "until": when(b), "paused": p} for e, a, b, p in spans]
    timeline = pd.DataFrame(rows, columns=["event", "time", "until", "paused"])
    if not timeline.empty:
        timeline = timeline.sort_values("time", kind="stable").reset_index(drop=True)
    return TicketDetail(ticket_id, facts, timeline)


def _derived_spans(
    cell: pd.Series, r: pd.Series, evaluation: Evaluation, zh: bool
) -> list[tuple[str, float, float, str]]:
    """A status history's derived intervals of one ticket: (label, start, end, business time paused)."""
    from sla_core.calendar import WALL_CLOCK, build_calendar
    from sla_core.ingest.history import parse_intervals

    iv = parse_intervals(cell)
    if iv.empty:
        return []
    created = float(r["created"])
    stop = float(r["resolved_time"]) if pd.notna(r["resolved_time"]) else float(evaluation.as_of)
    starts = np.maximum(iv["start"].to_numpy(dtype="float64"), created)
    ends = np.fmin(iv["end"].to_numpy(dtype="float64"), stop)
    if str(r["clock"]) == "business":
        terms = evaluation.contract.versions[int(r["version"])]
        first = datetime.fromtimestamp(float(np.nanmin(starts)), evaluation.contract.zone).date()
        last = datetime.fromtimestamp(float(np.nanmax(ends)), evaluation.contract.zone).date()
        clock = build_calendar(terms.calendar, terms.contract.timezone, first, last)
        took = np.where(ends > starts, clock.elapsed(starts, np.maximum(ends, starts)), 0)
    else:
        took = np.where(ends > starts, WALL_CLOCK.elapsed(starts, ends), 0)
    names = {"pause": ("挂起", "paused"), "reopen": ("已解决后重开", "resolved, then reopened")}
    out = []
    for (_, row), b, seconds in zip(iv.iterrows(), ends, took, strict=True):
        zh_name, en_name = names.get(str(row["reason"]), (str(row["reason"]),) * 2)
        label = f"{zh_name}（{row['state']}）" if zh else f"{en_name} ({row['state']})"
        shown = _fmt_hms(pd.Series([max(float(seconds), 0.0)])).iloc[0]
        out.append((label, float(row["start"]), float(b) if not np.isnan(b) else np.nan, shown))
    return out


# ---------------------------------------------------------------- satisfaction


@dataclass
class SatisfactionView:
    mean_trend: pd.DataFrame
    share_trend: pd.DataFrame
    scores: pd.Series
    scale: tuple[int, int]
    dimensions: pd.Series  # dimension → mean
    by_channel: pd.Series
    by_team: pd.Series
    flagged: pd.DataFrame
    comments: pd.DataFrame
    target_mean: float | None
    responses: int
    filtered: bool


def flag_text(flags: str, lang: str) -> str:
    names = [FLAG_NAMES[f][0 if lang == "zh" else 1] for f in str(flags).split(",") if f in FLAG_NAMES]
    return "、".join(names) if lang == "zh" else ", ".join(names)


def satisfaction(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> SatisfactionView:
    filtered = active(filters)
    values = (
        filtered_values(evaluation, data, {k: list(v) for k, v in filters.items()})
        if filtered
        else evaluation.values
    )  # type: ignore[union-attr]
    responses = period_responses(evaluation, period, filters)
    counted = responses.loc[~responses["excluded"]] if not responses.empty else responses
    result = evaluation.period(period.label)
    terms = result.terms if result else evaluation.contract.base
    dims = [c for c in counted.columns if c.startswith("dim:")] if not counted.empty else []
    target = terms.target("csat_mean")

    def means(col: str) -> pd.Series:
        if counted.empty:
            return pd.Series(dtype="float64")
        return counted.groupby(counted[col].fillna(""))["score"].mean().astype(float)

    flagged = responses.loc[responses["flags"].fillna("") != ""] if not responses.empty else responses
    zone = evaluation.contract.zone
    flagged_table = pd.DataFrame(
        {
            "response_id": flagged.get("response_id", pd.Series(dtype="string")),
            "ticket_id": flagged.get("ticket_id", pd.Series(dtype="string")),
            "submitted": pd.to_datetime(
                flagged.get("submitted", pd.Series(dtype="float64")), unit="s", utc=True
            )
            .dt.tz_convert(zone)
            .dt.tz_localize(None),
            "score": flagged.get("score", pd.Series(dtype="float64")),
            "flags": [flag_text(f, lang) for f in flagged.get("flags", pd.Series(dtype="string"))],
            "excluded": flagged.get("excluded", pd.Series(dtype="bool")),
            "exclusion_reason": flagged.get("exclusion_reason", pd.Series(dtype="string")).fillna(""),
        }
    )
    with_comment = (
        responses.loc[responses["comment"].fillna("").str.strip() != ""] if not responses.empty else responses
    )
    comments = pd.DataFrame(
        {
            "submitted": pd.to_datetime(
                with_comment.get("submitted", pd.Series(dtype="float64")), unit="s", utc=True
            )
            .dt.tz_convert(zone)
            .dt.tz_localize(None),
            "score": with_comment.get("score", pd.Series(dtype="float64")),
            "channel": with_comment.get("channel", pd.Series(dtype="string")),
            "team": with_comment.get("team", pd.Series(dtype="string")),
            "ticket_id": with_comment.get("ticket_id", pd.Series(dtype="string")),
            "comment": with_comment.get("comment", pd.Series(dtype="string")),
        }
    ).sort_values("submitted", ascending=False)
    return SatisfactionView(
        mean_trend=trend(evaluation, values, "csat_mean", filtered),
        share_trend=trend(evaluation, values, "csat_satisfied_share", filtered),
        scores=counted["score"].astype(float) if not counted.empty else pd.Series(dtype="float64"),
        scale=(int(terms.surveys.min), int(terms.surveys.scale)),
        dimensions=pd.Series(
            {d.removeprefix("dim:"): float(counted[d].astype(float).mean()) for d in dims}, dtype="float64"
        ),
        by_channel=means("channel"),
        by_team=means("team"),
        flagged=flagged_table,
        comments=comments,
        target_mean=float(target.value) if target else None,
        responses=len(counted),
        filtered=filtered,
    )


# ---------------------------------------------------------------- availability


@dataclass
class AvailabilityView:
    months: pd.DataFrame  # month, value, target, status, downtime_minutes, budget_minutes, planned_minutes, unplanned_minutes, mttr
    by_service: pd.DataFrame  # month, service, value
    outages: pd.DataFrame  # of the period, for the timeline and the table
    target: float | None
    budget_left_minutes: float | None
    burn: float | None
    incidents: pd.DataFrame
    given: bool
    span: tuple[float, float] | None = None  # the period's months, epoch seconds: the timeline's axis


def availability(evaluation: Evaluation, period: Period, lang: str) -> AvailabilityView:
    facts = evaluation.outages
    values = evaluation.values
    rows = []
    zone = evaluation.contract.zone
    o = facts.outages
    for m in evaluation.months:
        key = m.keys[0]
        v = m.verdict("availability")
        target = m.terms.target("availability")
        seconds = float(month_seconds(key, zone))
        budget = (1 - float(target.value)) * seconds / 60 if target else np.nan
        planned = 0.0
        if facts.given and not o.empty:
            grid = MonthGrid.spanning(key, key, zone)
            p = o.loc[o["planned_effective"]]
            s, e = merge_intervals(p["start_s"].to_numpy(float), p["end_s"].to_numpy(float))
            planned = float(split_by_month(s, e, grid)[0]) / 60 if s.size else 0.0
        rows.append(
            {
                "month": m.label,
                "value": v.value,
                "target": float(target.value) if target else np.nan,
                "status": v.status,
                "downtime_minutes": facts.downtime.get(key, 0.0) / 60 if facts.given else np.nan,
                "budget_minutes": budget,
                "planned_minutes": planned,
                "unplanned_minutes": facts.downtime.get(key, 0.0) / 60 if facts.given else np.nan,
                "mttr": m.verdict("mttr_minutes").value,
            }
        )
    months = pd.DataFrame(rows)
    svc = values.loc[(values["dimension"] == "service") & (values["kpi"] == "availability")]
    svc = svc.loc[~svc["period"].str.contains("Q")].rename(columns={"period": "month", "member": "service"})
    chosen = set(period_months(evaluation, period))
    in_period = months.loc[months["month"].isin(chosen)]
    result = evaluation.period(period.label)
    target = result.terms.target("availability") if result else None
    budget_left = burn = None
    if len(in_period) and in_period["budget_minutes"].notna().all() and facts.given:
        budget = float(in_period["budget_minutes"].sum())
        used = float(in_period["downtime_minutes"].sum())
        budget_left, burn = budget - used, (used / budget if budget else None)
    outages = pd.DataFrame()
    incidents = pd.DataFrame()
    span = None
    if facts.given and not o.empty:
        keys = {int(x[:4]) * 12 + int(x[5:]) - 1 for x in chosen}
        grid = MonthGrid.spanning(min(keys), max(keys), zone) if keys else None
        if grid is not None:
            lo, hi = grid.boundaries[0], grid.boundaries[-1]
            span = (float(lo), float(hi))
            outages = o.loc[(o["end_s"] > lo) & (o["start_s"] < hi)].copy()
        inc = facts.incidents
        if not inc.empty:
            incidents = inc.loc[inc["month_key"].isin(keys)].copy()
    return AvailabilityView(
        months=months,
        by_service=svc[["month", "service", "value"]],
        outages=outages,
        target=float(target.value) if target else None,
        budget_left_minutes=budget_left,
        burn=burn,
        incidents=incidents,
        given=facts.given,
        span=span,
    )


# ---------------------------------------------------------------- upload


IGNORE_TARGET = "ignore"


@dataclass
class UploadPreview:
    mapping: pd.DataFrame  # header (as written) → target (canonical column or "ignore"), required
    preview: pd.DataFrame  # the first rows as they will be stored, times in the contract's zone
    errors: int
    warnings: int
    error_rows: int
    rows: int
    header_row: int
    sheet: str | None
    sheets: list[str]
    missing_required: list[str]


def mapping_options(kind: str, headers: list[str]) -> list[str]:
    from sla_core.dataset import DERIVED, SCHEMA

    options = [IGNORE_TARGET, *(c for c in SCHEMA[kind] if c not in DERIVED)]  # type: ignore[index]
    if kind == "surveys":
        options += [f"dim:{h}" for h in headers]
    return options


def mapping_target_label(target: str, lang: str) -> str:
    """A mapping choice as the user reads it: 创建时间 (created_at), 评分维度：服务态度, 不导入."""
    if target == IGNORE_TARGET:
        return "不导入" if lang == "zh" else "not imported"
    if target.startswith("dim:"):
        return ("评分维度：" if lang == "zh" else "score dimension: ") + target[4:]
    return f"{field_label(target, lang)} ({target})"


def _shown_as_text(rows: pd.DataFrame, zone: str) -> pd.DataFrame:
    """Cells as the user reads them: times in the contract's zone, a blank cell blank (a table shows
    a missing value as "None", which reads as if the file said None)."""
    out = pd.DataFrame(index=rows.index)
    for col in rows.columns:
        values = rows[col]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            text = values.dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M:%S")
            out[col] = text.astype(object).where(values.notna(), "")
        elif values.dtype == bool or not values.isna().any():
            out[col] = values
        else:
            out[col] = values.astype(object).where(values.notna(), "").map(str)
    return out


def upload_preview(result: object, zone: str, rows: int = 20) -> UploadPreview:
    """What the Upload screen shows before importing: mapping, first rows, problem counts."""
    from sla_core.dataset import REQUIRED, ROW

    r = result  # an ingest.IngestResult
    headers = list(r.mapping) + [h for h in r.unknown_columns if h not in r.mapping]  # type: ignore[attr-defined]
    mapping = pd.DataFrame(
        {
            "header": headers,
            "target": [r.mapping.get(h, IGNORE_TARGET) for h in headers],  # type: ignore[attr-defined]
        }
    )
    frame = r.frame  # type: ignore[attr-defined]
    preview = pd.DataFrame()
    if frame is not None:
        present = [c for c in frame.columns if c in r.columns_present or c == ROW]  # type: ignore[attr-defined]
        preview = _shown_as_text(frame[present].head(rows), zone)
    errors = sum(1 for i in r.issues if i.level == "error")  # type: ignore[attr-defined]
    kind = r.kind  # type: ignore[attr-defined]
    missing = [c for c in REQUIRED[kind] if c not in r.columns_present]  # type: ignore[attr-defined]
    return UploadPreview(
        mapping=mapping,
        preview=preview,
        errors=errors,
        warnings=len(r.issues) - errors,  # type: ignore[attr-defined]
        error_rows=len(r.error_rows),  # type: ignore[attr-defined]
        rows=r.rows_total,  # type: ignore[attr-defined]
        header_row=r.header_row,  # type: ignore[attr-defined]
        sheet=r.sheet,  # type: ignore[attr-defined]
        sheets=list(r.sheets),  # type: ignore[attr-defined]
        missing_required=missing,
    )


def batches_table(batches: list[object], lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = [
        {
            "batch_id": b.batch_id,  # type: ignore[attr-defined]
            "kind": KIND_NAMES.get(b.kind, (b.kind, b.kind))[0 if zh else 1],  # type: ignore[attr-defined]
            "file": b.file_name or "",  # type: ignore[attr-defined]
            "rows": b.rows,  # type: ignore[attr-defined]
            "new": b.inserted,  # type: ignore[attr-defined]
            "updated": b.updated,  # type: ignore[attr-defined]
            "skipped": b.skipped,  # type: ignore[attr-defined]
            "by": b.imported_by,  # type: ignore[attr-defined]
            "at": b.imported_at.replace(tzinfo=None) if b.imported_at else None,  # type: ignore[attr-defined]
            "status": ("已撤销" if zh else "undone")
            if b.status == "undone"
            else ("有效" if zh else "active"),  # type: ignore[attr-defined]
            "active": b.status == "active",  # type: ignore[attr-defined]
        }
        for b in batches
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "batch_id",
            "kind",
            "file",
            "rows",
            "new",
            "updated",
            "skipped",
            "by",
            "at",
            "status",
            "active",
        ],
    )


# ---------------------------------------------------------------- breaches, penalties, scorecards


def status_matrix(
    evaluation: Evaluation, lang: str, months: list[str] | None = None, quarter: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, statuses): KPI rows × period columns; values formatted, statuses for colouring."""
    chosen = [m for m in evaluation.months if months is None or m.label in months]
    periods: list[PeriodResult] = list(chosen)
    if quarter and evaluation.quarter(quarter):
        periods = [evaluation.quarter(quarter), *chosen]  # type: ignore[list-item]
    labels = _column_labels([p.label for p in periods], lang)
    # a duration row names its unit once (计划外停机（分钟）) and its cells hold numbers: a cell mixing
    # digits and CJK is drawn by the grid in the CJK fallback font, larger than its neighbours
    rows = {k: label_with_unit(k, lang) for k in KPI_IDS}
    values = pd.DataFrame(index=list(rows.values()), columns=labels, dtype=object)
    statuses = pd.DataFrame(index=values.index, columns=labels, dtype=object)
    for p, col in zip(periods, labels, strict=True):
        for k in KPI_IDS:
            v = p.verdict(k)
            beside = target.value if (target := p.terms.target(k)) else None
            values.loc[rows[k], col] = fmt_value(v.value, KPIS[k].unit, lang, beside=beside, bare=True)
            statuses.loc[rows[k], col] = v.status
    targets = []
    last = periods[-1] if periods else None
    for k in KPI_IDS:
        t = last.terms.target(k) if last else None
        targets.append(target_text(t, KPIS[k].unit, lang, bare=True) if t else "—")
    values.insert(0, "目标" if lang == "zh" else "Target", targets)
    statuses.insert(0, "目标" if lang == "zh" else "Target", "")
    return values, statuses


def _column_labels(periods: list[str], lang: str) -> list[str]:
    """Month columns as a calendar writes them: the year on the first month and on each January
    (2026年1月, 2月, 3月…), so a year of months fits the page; full names when short ones would repeat."""
    labels = []
    for i, label in enumerate(periods):
        month_only = "Q" not in label and i > 0 and "Q" not in periods[i - 1] and not label.endswith("-01")
        labels.append(month_label(label, lang, short=month_only))
    if len(set(labels)) < len(labels):
        return [month_label(label, lang) for label in periods]
    return labels


def penalties_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = []
    for m in evaluation.months:
        p = m.penalty
        rows.append(
            {
                "month": month_label(m.label, lang),
                "items": len(p.items),
                "uncapped": float(p.uncapped_amount),
                "cap": None if p.cap_amount is None else float(p.cap_amount),
                "amount": float(p.amount),
                "capped": ("已封顶" if zh else "capped") if p.capped else "",
                "state": ("已结账" if zh else "closed")
                if m.closed
                else (("暂定" if zh else "provisional") if p.provisional else ("已结" if zh else "final")),
            }
        )
    return pd.DataFrame(rows, columns=["month", "items", "uncapped", "cap", "amount", "capped", "state"])


def penalty_items(evaluation: Evaluation, label: str, lang: str) -> pd.DataFrame:
    result = evaluation.period(label)
    zh = lang == "zh"
    if result is None:
        return pd.DataFrame(columns=["kind", "ref", "target", "amount"])
    kinds = {
        "breached_ticket": "超时工单" if zh else "breached ticket",
        "missed_kpi": "未达标指标" if zh else "missed KPI",
    }
    targets = {"response": "首次响应" if zh else "response", "resolution": "解决" if zh else "resolution"}
    rows = [
        {
            "kind": kinds.get(i.kind, i.kind),
            "ref": KPIS[i.ref].label(lang) if i.kind == "missed_kpi" and i.ref in KPIS else i.ref,
            "target": targets.get(i.target or "", ""),
            "amount": float(i.amount),
        }
        for i in result.penalty.items
    ]
    return pd.DataFrame(rows, columns=["kind", "ref", "target", "amount"])


def misses(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(month, kpi) of every judged miss, for linking improvement actions."""
    return [(m.label, v.kpi) for m in evaluation.months for v in m.verdicts if v.status == "missed"]


def closed_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = []
    for month, diffs in evaluation.closed_differences.items():
        if not diffs:
            rows.append(
                {
                    "month": month_label(month, lang),
                    "item": "—",
                    "settled": "",
                    "now": "",
                    "note": "与当前数据一致" if zh else "matches the data as stored now",
                }
            )
        for d in diffs:
            item = str(d["item"])
            unit = KPIS[item].unit if item in KPIS else None
            fmt = (
                (lambda x, u=unit: fmt_value(x, u, lang))
                if unit
                else (
                    lambda x: (
                        fmt_money(x, evaluation.contract.base.contract.currency, lang)
                        if x is not None
                        else "—"
                    )
                )
            )
            rows.append(
                {
                    "month": month_label(month, lang),
                    "item": KPIS[item].label(lang) if item in KPIS else ("罚金" if zh else "penalty"),
                    "settled": fmt(d["settled"]),
                    "now": fmt(d["now"]),
                    "note": (
                        f"{status_label(str(d['settled_status']), lang)} → {status_label(str(d['now_status']), lang)}"
                        if d["settled_status"]
                        else ""
                    ),
                }
            )
    return pd.DataFrame(rows, columns=["month", "item", "settled", "now", "note"])


def _difference(diff: float, unit: str, lang: str) -> str:
    """The provider's figure less ours in the KPI's units: '+0.31 pp' (rates to a hundredth of a
    point, as the pack shows them), '+2.0 min', '0' when they agree."""
    if diff == 0:
        return "0"
    if unit == "rate":
        return f"{diff * 100:+.2f} 个百分点" if lang == "zh" else f"{diff * 100:+.2f} pp"
    return _delta(diff, unit, lang)


def reconciliation_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    rec = evaluation.reconciliation
    rows = []
    for _, r in rec.iterrows():
        kpi = str(r["kpi"])
        unit = KPIS[kpi].unit if kpi in KPIS else "score"
        rows.append(
            {
                "month": month_label(str(r["month"]), lang),
                "kpi": KPIS[kpi].label(lang) if kpi in KPIS else kpi,
                "provider": fmt_value(r["provider_value"], unit, lang),
                "computed": fmt_value(
                    None if pd.isna(r["computed_value"]) else r["computed_value"], unit, lang
                ),
                "difference": ""
                if pd.isna(r["difference"])
                else _difference(float(r["difference"]), unit, lang),
                "flagged": bool(r["flagged"]),
            }
        )
    return pd.DataFrame(rows, columns=["month", "kpi", "provider", "computed", "difference", "flagged"])


@dataclass
class QuarterView:
    label: str
    values: pd.DataFrame
    statuses: pd.DataFrame
    comparison: pd.DataFrame  # kpi, this quarter, previous quarter, change
    causes: dict[str, pd.Series]
    penalties: pd.DataFrame
    total_penalty: str
    counts: dict[str, int]


def quarter_view(evaluation: Evaluation, quarter: str, lang: str) -> QuarterView | None:
    q = evaluation.quarter(quarter)
    if q is None:
        return None
    months = [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in q.keys]
    values, statuses = status_matrix(evaluation, lang, months=months, quarter=quarter)
    labels = [x.label for x in evaluation.quarters]
    prev = evaluation.quarter(labels[labels.index(quarter) - 1]) if labels.index(quarter) > 0 else None
    rows = []
    for k in KPI_IDS:
        d = KPIS[k]
        now, before = q.verdict(k).value, prev.verdict(k).value if prev else None
        rows.append(
            {
                "kpi": d.label(lang),
                "now": fmt_value(now, d.unit, lang),
                "status": q.verdict(k).status,
                "previous": fmt_value(before, d.unit, lang),
                "change": _delta(now - before, d.unit, lang)
                if now is not None and before is not None
                else "",
            }
        )
    tickets = evaluation.tickets
    in_q = tickets.loc[tickets["month"].isin(months)] if not tickets.empty else tickets
    breached = (
        in_q.loc[(in_q["response_status"] == "breached") | (in_q["resolution_status"] == "breached")]
        if not in_q.empty
        else in_q
    )
    causes = {
        dim: breached[dim].fillna("").value_counts().head(8)
        if not breached.empty
        else pd.Series(dtype="int64")
        for dim in ("category", "team", "priority")
    }
    missed_kpis = pd.Series(
        [
            KPIS[v.kpi].label(lang)
            for m in evaluation.months
            if m.label in months
            for v in m.verdicts
            if v.status == "missed"
        ],
        dtype="object",
    ).value_counts()
    causes["missed_kpis"] = missed_kpis
    pens = penalties_table(evaluation, lang)
    pens = pens.loc[pens["month"].isin([month_label(m, lang) for m in months])]
    counts: dict[str, int] = {}
    for v in q.verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    return QuarterView(
        label=quarter,
        values=values,
        statuses=statuses,
        comparison=pd.DataFrame(rows),
        causes=causes,
        penalties=pens,
        total_penalty=fmt_money(q.penalty.amount, evaluation.contract.base.contract.currency, lang),
        counts=counts,
    )


def actions_table(actions: list[object], lang: str) -> pd.DataFrame:
    rows = [
        {
            "id": a.action_id,  # type: ignore[attr-defined]
            "link": link_label(a.link_kind, a.link_ref, lang),  # type: ignore[attr-defined]
            "kpi": KPIS[a.kpi].label(lang) if a.kpi in KPIS else (a.kpi or ""),  # type: ignore[attr-defined]
            "months": months_label(a.months, lang),  # type: ignore[attr-defined]
            "cause": a.cause,  # type: ignore[attr-defined]
            "measure": a.measure,  # type: ignore[attr-defined]
            "owner": a.owner,  # type: ignore[attr-defined]
            "due": a.due,  # type: ignore[attr-defined]
            "status": action_status_label(a.status, lang),  # type: ignore[attr-defined]
            "updated": a.updated_at.replace(tzinfo=None) if a.updated_at else None,  # type: ignore[attr-defined]
        }
        for a in actions
    ]
    return pd.DataFrame(
        rows, columns=["id", "link", "kpi", "months", "cause", "measure", "owner", "due", "status", "updated"]
    )
