"""One KPI for one period, from the number to its rows: the definition and the contract's term, the value
as numerator / denominator, and the rows behind each (tickets, survey responses, outages, incidents or
reported measures), each marked as counted in the numerator and/or the denominator.

The value, numerator and denominator are the tile's (`overview.tiles`); the rows are selected with the
same rules as the counting SQL (`sql/ticket_counts.sql`, `sql/survey_counts.sql`), so the rows marked
"in the numerator" number the numerator (a test holds the two together)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation
from sla_core.i18n import (
    KPI_DEFINITIONS,
    KpiDef,
    category_label,
    fmt_count,
    fmt_value,
    month_label,
    status_label,
)
from sla_core.verdicts import target_text
from sla_core.views.common import (
    Filters,
    Period,
    _epoch,
    period_months,
    period_responses,
    period_tickets,
)
from sla_core.views.overview import Tile, _result, tiles
from sla_core.views.timeliness import _fmt_hms, _names, local_times

Rule = Callable[[pd.DataFrame], "pd.Series[bool]"]

# ticket KPIs: (the rows of the denominator, the rows of the numerator), as ticket_counts.sql counts them
_TICKET_RULES: dict[str, tuple[Rule, Rule]] = {
    "response_within_target": (
        lambda t: t["response_status"].isin(["met", "breached"]),
        lambda t: t["response_status"] == "met",
    ),
    "resolution_within_target": (
        lambda t: t["resolution_status"].isin(["met", "breached"]),
        lambda t: t["resolution_status"] == "met",
    ),
    "workaround_within_target": (
        lambda t: t["workaround_status"].isin(["met", "breached"]),
        lambda t: t["workaround_status"] == "met",
    ),
    "resolution_rate": (lambda t: ~t["excluded"], lambda t: t["resolved"] & ~t["excluded"]),
    "first_contact_resolution": (
        lambda t: t["resolved"] & ~t["excluded"],
        lambda t: t["resolved"] & ~t["excluded"] & t["first_contact_resolved"].fillna(False).astype(bool),
    ),
    "reopen_rate": (
        lambda t: t["resolved"] & ~t["excluded"],
        lambda t: t["resolved"] & ~t["excluded"] & t["reopened"].fillna(False).astype(bool),
    ),
    "complaint_rate": (lambda t: ~t["excluded"], lambda t: ~t["excluded"] & (t["category"] == "complaint")),
    "feedback_on_time": (
        lambda t: t["feedback_status"].isin(["on_time", "late"]),
        lambda t: t["feedback_status"] == "on_time",
    ),
    "suggestion_adoption_rate": (
        lambda t: ~t["excluded"] & (t["category"] == "suggestion"),
        lambda t: (
            ~t["excluded"]
            & (t["category"] == "suggestion")
            & t["suggestion_adopted"].fillna(False).astype(bool)
        ),
    ),
    "survey_response_rate": (
        lambda t: t["resolved"] & ~t["excluded"],
        lambda t: t["resolved"] & ~t["excluded"] & t["surveyed"].fillna(False).astype(bool),
    ),
}


@dataclass(frozen=True)
class KpiDetail:
    kpi: str
    tile: Tile  # value, target, verdict and its sentence, numerator and denominator
    period_title: str
    definition: str
    clause: str  # the contract's term in force, in words: "合同目标 ≥ 95%（2026-01-01 起的条款）"
    equation: str  # "95.8% = 230 / 240", or why there is no value
    numerator_what: str
    denominator_what: str
    numerator_text: str  # "506", "132,408.0 分钟"; "" for a reported measure
    denominator_text: str
    rows: pd.DataFrame  # the rows behind the value; in_numerator / in_denominator as 是/否, yes/no
    counted: tuple[int, int]  # rows marked in the numerator, in the denominator (ticket and survey KPIs)


def kpi_detail(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, kpi: str, lang: str
) -> KpiDetail | None:
    """The KPI for the period (None: not a KPI of the contract's table)."""
    d = evaluation.find_definition(kpi)
    tile = next((t for t in tiles(evaluation, data, period, filters, lang) if t.kpi == kpi), None)
    if d is None or tile is None:
        return None
    source = d.source
    if source == "tickets":
        rows, counted = _ticket_rows(evaluation, period, filters, kpi, lang)
    elif source == "surveys":
        rows, counted = _survey_rows(evaluation, period, filters, kpi, lang)
    elif source == "outages":
        rows, counted = _outage_rows(evaluation, period, kpi, lang), (0, 0)
    else:
        rows, counted = _measure_rows(data, evaluation, period, kpi, lang), (0, 0)
    # a KPI the contract declares itself is defined by its own terms
    own = (
        ("合同自定义的指标，按合同条款计算。", "", ""),
        ("A KPI the contract declares, computed by its terms.", "", ""),
    )
    definition, numerator_what, denominator_what = KPI_DEFINITIONS.get(kpi, own)[0 if lang == "zh" else 1]
    return KpiDetail(
        kpi=kpi,
        tile=tile,
        period_title=_period_title(period, lang),
        definition=definition,
        clause=_clause(evaluation, period, d, lang),
        equation=_equation(tile, d, lang),
        numerator_what=numerator_what,
        denominator_what=denominator_what,
        numerator_text=_parts(tile, d, lang)[0],
        denominator_text=_parts(tile, d, lang)[1],
        rows=rows,
        counted=counted,
    )


def _period_title(period: Period, lang: str) -> str:
    if period.kind == "range" and period.start and period.end:
        return f"{period.start.isoformat()} – {period.end.isoformat()}"
    return month_label(period.label, lang) if period.label else ""


def _clause(evaluation: Evaluation, period: Period, d: KpiDef, lang: str) -> str:
    """The term in force, with the date its version starts (its free-text note is the contract
    author's, in whatever language they wrote: not repeated here)."""
    zh = lang == "zh"
    result = _result(evaluation, period)
    terms = result.terms if result else evaluation.contract.terms_on(period.start or date.today())
    target = terms.target(d.id)
    since = terms.effective_from.isoformat()
    if target is None:
        return (
            f"合同未对{d.zh}设目标（{since} 起的条款）：只展示，不评判。"
            if zh
            else f"The contract sets no target for {d.en} (terms from {since}): shown, not judged."
        )
    shown = target_text(target, d.unit, lang)
    if zh:
        return f"合同目标：{d.zh} {shown}（{since} 起的条款）。"
    return f"Contract target: {d.en} {shown} (terms from {since})."


def _parts(tile: Tile, d: KpiDef, lang: str) -> tuple[str, str]:
    """The numerator and the denominator as read: counts, a sum of scores, minutes."""
    num, den = tile.numerator, tile.denominator
    if num is None or den is None:
        return "", ""
    kpi = d.id
    if kpi == "availability":  # seconds up / seconds in the period
        return fmt_value(num / 60, "minutes", lang), fmt_value(den / 60, "minutes", lang)
    if d.unit == "minutes":
        return fmt_value(num, "minutes", lang), fmt_count(den)
    if kpi == "csat_mean":
        return _amount(num), fmt_count(den)
    return fmt_count(num), fmt_count(den)


def _equation(tile: Tile, d: KpiDef, lang: str) -> str:
    """value = numerator / denominator, in the KPI's own units."""
    zh = lang == "zh"
    if tile.value is None:
        return "无数据：没有可计算的记录。" if zh else "No data: nothing to count."
    if tile.numerator is None or tile.denominator is None:  # a reported measure
        return f"{tile.value_text}（报告值）" if zh else f"{tile.value_text} (reported)"
    num, den = _parts(tile, d, lang)
    return f"{tile.value_text} = {num} / {den}"


def _amount(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _yes(mask: pd.Series, lang: str) -> pd.Series:
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    return pd.Series(np.where(mask.to_numpy(dtype=bool), yes, no), index=mask.index)


def _ticket_rows(
    evaluation: Evaluation, period: Period, filters: Filters | None, kpi: str, lang: str
) -> tuple[pd.DataFrame, tuple[int, int]]:
    cols = [
        "ticket_id",
        "month",
        "priority",
        "team",
        "category",
        "created",
        "detail",
        "in_numerator",
        "in_denominator",
    ]
    tickets = period_tickets(evaluation, period, filters)
    if (
        tickets.empty
        or kpi not in _TICKET_RULES
        or (kpi.startswith("workaround") and "workaround_status" not in tickets)
    ):
        return pd.DataFrame(columns=cols), (0, 0)
    # a blank (a category the file leaves empty) counts as false, as the SQL's FILTER does
    in_den, in_num = (rule(tickets).fillna(False).astype(bool) for rule in _TICKET_RULES[kpi])
    rows = tickets.loc[in_den | in_num]
    num, den = in_num.loc[rows.index], in_den.loc[rows.index]
    out = pd.DataFrame(
        {
            "ticket_id": rows["ticket_id"],
            "month": rows["month"].map(lambda m: month_label(str(m), lang)),
            "priority": rows["priority"],
            "team": rows["team"],
            "category": _names(rows["category"], lambda v: category_label(v, lang)),
            "created": local_times(rows["created"], evaluation).dt.tz_localize(None),
            "detail": _ticket_detail(rows, kpi, lang),
            "in_numerator": _yes(num, lang),
            "in_denominator": _yes(den, lang),
        },
        columns=cols,
    )
    # what is outside the numerator first: that is what the reader came for
    out = out.assign(_n=num.to_numpy()).sort_values(["_n", "created"], kind="stable").drop(columns="_n")
    return out.reset_index(drop=True), (int(num.sum()), int(den.sum()))


def _ticket_detail(rows: pd.DataFrame, kpi: str, lang: str) -> pd.Series:
    """The fact each row is counted on: its time against the target, or its status."""
    zh = lang == "zh"
    if kpi in ("response_within_target", "resolution_within_target", "workaround_within_target"):
        measure = kpi.split("_")[0]
        took, limit = _fmt_hms(rows[f"{measure}_seconds"]), _fmt_hms(rows[f"{measure}_target"])
        status = _names(rows[f"{measure}_status"], lambda v: status_label(v, lang))
        word = "目标" if zh else "target"
        return took + f" / {word} " + limit + " · " + status
    if kpi == "feedback_on_time":
        return _names(
            rows["feedback_status"], lambda v: _FEEDBACK[v][0 if zh else 1] if v in _FEEDBACK else v
        )
    if kpi == "complaint_rate":
        return _names(rows["category"], lambda v: category_label(v, lang))
    yes_no: dict[str, tuple[str, tuple[str, str], tuple[str, str]]] = {
        "resolution_rate": ("resolved", ("已解决", "未解决"), ("resolved", "not resolved")),
        "first_contact_resolution": (
            "first_contact_resolved",
            ("首次解决", "非首次解决"),
            ("first contact", "not first contact"),
        ),
        "reopen_rate": ("reopened", ("重开过", "未重开"), ("reopened", "not reopened")),
        "suggestion_adoption_rate": ("suggestion_adopted", ("已采纳", "未采纳"), ("adopted", "not adopted")),
        "survey_response_rate": ("surveyed", ("已回访", "未回访"), ("surveyed", "not surveyed")),
    }
    column, zh_words, en_words = yes_no[kpi]
    words = zh_words if zh else en_words
    flag = rows[column].fillna(False).astype(bool).to_numpy()
    return pd.Series(np.where(flag, words[0], words[1]), index=rows.index)


_FEEDBACK = {
    "on_time": ("按时", "on time"),
    "late": ("超时", "late"),
    "pending": ("处理中", "pending"),
}


def _survey_rows(
    evaluation: Evaluation, period: Period, filters: Filters | None, kpi: str, lang: str
) -> tuple[pd.DataFrame, tuple[int, int]]:
    if kpi == "survey_response_rate":  # counted on tickets: resolved tickets with a survey
        return _ticket_rows(evaluation, period, filters, kpi, lang)
    cols = [
        "response_id",
        "ticket_id",
        "submitted",
        "team",
        "channel",
        "score",
        "in_numerator",
        "in_denominator",
    ]
    responses = period_responses(evaluation, period, filters)
    if responses.empty:
        return pd.DataFrame(columns=cols), (0, 0)
    rows = responses.loc[~responses["excluded"]]
    satisfied = rows["satisfied"].fillna(False).astype(bool)
    # the mean's numerator is the sum of the scores: every response adds its score to it
    in_num = satisfied if kpi == "csat_satisfied_share" else pd.Series(True, index=rows.index)
    out = pd.DataFrame(
        {
            "response_id": rows["response_id"],
            "ticket_id": rows["ticket_id"],
            "submitted": local_times(rows["submitted"], evaluation).dt.tz_localize(None),
            "team": rows["team"],
            "channel": rows["channel"],
            "score": rows["score"].astype("float64"),
            "in_numerator": _yes(in_num, lang),
            "in_denominator": _yes(pd.Series(True, index=rows.index), lang),
        },
        columns=cols,
    ).sort_values(["score", "submitted"], kind="stable")
    return out.reset_index(drop=True), (int(in_num.sum()), len(rows))


def _month_keys(evaluation: Evaluation, period: Period) -> list[int]:
    return [int(m[:4]) * 12 + int(m[5:7]) - 1 for m in period_months(evaluation, period)]


def _bounds(evaluation: Evaluation, period: Period) -> tuple[float, float] | None:
    """The period as [start, end) epoch seconds in the contract's zone: a range's days, else its months."""
    if period.kind == "range" and period.start and period.end:
        return _epoch(period.start, evaluation), _epoch(period.end + timedelta(days=1), evaluation)
    keys = _month_keys(evaluation, period)
    if not keys:
        return None
    first, after = min(keys), max(keys) + 1
    return (
        _epoch(date(first // 12, first % 12 + 1, 1), evaluation),
        _epoch(date(after // 12, after % 12 + 1, 1), evaluation),
    )


def _outage_rows(evaluation: Evaluation, period: Period, kpi: str, lang: str) -> pd.DataFrame:
    """Availability and downtime: the unplanned outages of the period; MTTR and restored in time: its
    ended incidents."""
    facts = evaluation.outages
    bounds = _bounds(evaluation, period)
    if kpi in ("mttr_minutes", "restored_in_time"):
        cols = ["service", "start", "end", "minutes", "restored_in_time"]
        inc = facts.incidents
        if inc.empty or bounds is None:
            return pd.DataFrame(columns=cols)
        if period.kind == "range":  # as pooled_values counts them: incidents starting in the range
            rows = inc.loc[(inc["start"] >= bounds[0]) & (inc["start"] < bounds[1]) & ~inc["open"]]
        else:
            rows = inc.loc[inc["month_key"].isin(_month_keys(evaluation, period)) & ~inc["open"]]
        return pd.DataFrame(
            {
                "service": rows["service"],
                "start": local_times(rows["start"], evaluation).dt.tz_localize(None),
                "end": local_times(rows["end"], evaluation).dt.tz_localize(None),
                "minutes": (rows["duration"].astype("float64") / 60).round(1),
                "restored_in_time": _yes(rows["restored_in_time"].astype(bool), lang),
            },
            columns=cols,
        ).reset_index(drop=True)
    cols = ["service", "start", "end", "minutes", "cause", "description"]
    o = facts.outages
    if o.empty or bounds is None:
        return pd.DataFrame(columns=cols)
    lo, hi = bounds
    unplanned = o.loc[~o["planned_effective"] & (o["start_s"] < hi) & (o["end_s"] > lo)]
    inside = np.clip(np.minimum(unplanned["end_s"], hi) - np.maximum(unplanned["start_s"], lo), 0, None) / 60
    return pd.DataFrame(
        {
            "service": unplanned["service"],
            "start": unplanned["start"].dt.tz_convert(evaluation.contract.zone).dt.tz_localize(None),
            "end": unplanned["end"].dt.tz_convert(evaluation.contract.zone).dt.tz_localize(None),
            "minutes": inside.round(1),
            "cause": unplanned["cause"].fillna(""),
            "description": unplanned["description"].fillna(""),
        },
        columns=cols,
    ).reset_index(drop=True)


def _measure_rows(data: Dataset, evaluation: Evaluation, period: Period, kpi: str, lang: str) -> pd.DataFrame:
    cols = ["month", "value", "source", "note"]
    m = data.measures
    if m is None or m.empty:
        return pd.DataFrame(columns=cols)
    rows = m.loc[(m["kpi"] == kpi) & m["month"].isin(period_months(evaluation, period))]
    zh = lang == "zh"
    provider = rows["source"].fillna("").str.strip().str.lower() == "provider"
    return pd.DataFrame(
        {
            "month": rows["month"].map(lambda x: month_label(str(x), lang)),
            "value": [fmt_value(float(v), evaluation.definition(kpi).unit, lang) for v in rows["value"]],
            "source": np.where(provider, "服务商自报" if zh else "provider", "我方" if zh else "ours"),
            "note": rows["note"].fillna(""),
        },
        columns=cols,
    ).reset_index(drop=True)
