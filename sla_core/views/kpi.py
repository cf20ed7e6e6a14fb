"""One KPI for one period, from the number to its rows: the definition and the contract's term, the value
as numerator / denominator, and the rows behind each (tickets, survey responses, outages, incidents or
reported measures), each marked as counted in the numerator and/or the denominator.

The value, numerator and denominator are the tile's (`overview.tiles`); the rows are the core's trace
(`sla_core.trace.trace_rows`, the one owner of which rows a KPI counts, also behind `evaluate --trace`),
for the period and filters shown, put in the reader's words here."""

from __future__ import annotations

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
    fmt_seconds,
    fmt_value,
    month_label,
    status_label,
    word,
)
from sla_core.i18n.screens import SCREEN_WORDS
from sla_core.trace import Scope, trace_rows
from sla_core.verdicts import target_text
from sla_core.views.common import (
    Filters,
    Period,
    _epoch,
    period_months,
)
from sla_core.views.overview import Tile, _result, tiles
from sla_core.views.timeliness import _fmt_hms, _names


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
    # the rows behind the value: in_numerator / in_denominator as 是/否, yes/no (tickets, responses,
    # incidents), or what each adds to numerator / denominator (downtime in minutes, reported measures)
    rows: pd.DataFrame
    counted: tuple[int, int]  # rows marked in the numerator, in the denominator (0, 0: summed rows)


def kpi_detail(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, kpi: str, lang: str
) -> KpiDetail | None:
    """The KPI for the period (None: not a KPI of the contract's table)."""
    d = evaluation.find_definition(kpi)
    tile = next((t for t in tiles(evaluation, data, period, filters, lang) if t.kpi == kpi), None)
    if d is None or tile is None:
        return None
    source, traced = trace_rows(evaluation, kpi, _scope(evaluation, period, filters), data)
    rows, counted = _shown(evaluation, source, kpi, traced, lang)
    if kpi in KPI_DEFINITIONS:
        definition, numerator_what, denominator_what = KPI_DEFINITIONS[kpi][0 if lang == "zh" else 1]
    else:
        definition, numerator_what, denominator_what = _declared(evaluation, kpi, lang)
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


_MILESTONE_WORDS = {
    "response": "measure_response",
    "workaround": "kpi_share_workaround",
    "resolution": "measure_resolution",
}


def _declared(evaluation: Evaluation, kpi: str, lang: str) -> tuple[str, str, str]:
    """A KPI the contract declares, defined by its own terms: a ticket share by its milestone and limit,
    a measure as reported."""
    i = 0 if lang == "zh" else 1
    custom = evaluation.contract.custom_kpi(kpi)
    if custom is None or custom.kind != "ticket_share":
        return SCREEN_WORDS["kpi_measure_definition"][i], "", ""
    words = {
        # the built-in KPIs' words for the milestone: 首次响应 · response
        "milestone": SCREEN_WORDS[_MILESTONE_WORDS[custom.milestone]][i].lower(),
        "within": fmt_seconds(int(custom.within or 0)),
    }
    return (
        SCREEN_WORDS["kpi_share_definition"][i].format(**words),
        SCREEN_WORDS["kpi_share_numerator"][i].format(**words),
        SCREEN_WORDS["kpi_share_denominator"][i],
    )


def _period_title(period: Period, lang: str) -> str:
    if period.kind == "range" and period.start and period.end:
        return f"{period.start.isoformat()} – {period.end.isoformat()}"
    return month_label(period.label, lang) if period.label else ""


def _clause(evaluation: Evaluation, period: Period, d: KpiDef, lang: str) -> str:
    """The term in force, with the date its version starts (its free-text note is the contract
    author's, in whatever language they wrote: not repeated here)."""
    result = _result(evaluation, period)
    terms = result.terms if result else evaluation.contract.terms_on(period.start or date.today())
    target = terms.target(d.id)
    since = terms.effective_from.isoformat()
    kpi = d.zh if lang == "zh" else d.en
    if target is None:
        return word("kpi_clause_no_target", lang).format(kpi=kpi, since=since)
    shown = target_text(target, d.unit, lang)
    return word("kpi_clause_target", lang).format(kpi=kpi, target=shown, since=since)


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
    if tile.value is None:
        return word("kpi_equation_no_data", lang)
    if tile.numerator is None or tile.denominator is None:  # a reported measure
        return word("kpi_reported_value", lang).format(value=tile.value_text)
    num, den = _parts(tile, d, lang)
    return f"{tile.value_text} = {num} / {den}"


def _amount(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _yes(mask: pd.Series, lang: str) -> pd.Series:
    yes, no = word("yes", lang), word("no", lang)
    return pd.Series(np.where(mask.to_numpy(dtype=bool), yes, no), index=mask.index)


def _scope(evaluation: Evaluation, period: Period, filters: Filters | None) -> Scope:
    """The period and filters shown, as the trace reads them."""
    keys = tuple(_month_keys(evaluation, period))
    members = {dim: tuple(v) for dim, v in (filters or {}).items() if v}
    bounds = _bounds(evaluation, period) if period.kind == "range" else None
    return Scope(keys, bounds, members)


def _shown(
    evaluation: Evaluation, source: str, kpi: str, rows: pd.DataFrame, lang: str
) -> tuple[pd.DataFrame, tuple[int, int]]:
    """The trace's rows in the reader's words; the rows marked in the numerator and the denominator."""
    if source == "measures":
        return _measure_rows(evaluation, rows, kpi, lang), (0, 0)
    if source == "outages" and kpi in ("availability", "unplanned_downtime_minutes"):
        return _downtime_rows(rows, kpi, lang), (0, 0)
    # a mean's numerator is the sum of its rows' scores or minutes: every row adds to it
    summed = kpi in ("csat_mean", "mttr_minutes")
    in_num = rows["denominator"] > 0 if summed else rows["numerator"] > 0
    in_den = rows["denominator"] > 0
    if source == "surveys":
        out = _survey_rows(rows)
    elif source == "outages":
        out = _incident_rows(rows, lang)
    else:
        out = _ticket_rows(evaluation, rows, kpi, lang)
    out = out.assign(in_numerator=_yes(in_num, lang), in_denominator=_yes(in_den, lang))
    # what is outside the numerator first: that is what the reader came for
    order = {"surveys": ["score", "submitted"], "outages": ["start"]}.get(source, ["created"])
    out = out.assign(_n=in_num.to_numpy()).sort_values(["_n", *order], kind="stable").drop(columns="_n")
    return out.reset_index(drop=True), (int(in_num.sum()), int(in_den.sum()))


def _ticket_rows(evaluation: Evaluation, rows: pd.DataFrame, kpi: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ticket_id": rows["ticket_id"],
            "month": _names(rows["month"], lambda m: month_label(m, lang)),  # once per month
            "priority": rows["priority"],
            "team": rows["team"],
            "category": _names(rows["category"], lambda v: category_label(v, lang)),
            "created": rows["created"],
            "detail": _ticket_detail(evaluation, rows, kpi, lang),
        },
        index=rows.index,
    )


def _took(seconds: pd.Series, target: pd.Series, status: pd.Series, lang: str) -> pd.Series:
    """ "1:00:00 / 目标 0:15:00 · 超时": the time taken against its target, and the verdict."""
    said = word("target", lang).lower()  # mid-sentence
    named = _names(status, lambda v: status_label(v, lang))
    return _fmt_hms(seconds) + f" / {said} " + _fmt_hms(target) + " · " + named


def _ticket_detail(evaluation: Evaluation, rows: pd.DataFrame, kpi: str, lang: str) -> pd.Series:
    """The fact each row is counted on: its time against the target, or its status."""
    if rows.empty:  # no text to join (an empty column has no string type)
        return pd.Series(index=rows.index, dtype=object)
    zh = lang == "zh"
    if evaluation.contract.custom_kpi(kpi) is not None:  # a contract's ticket share: its own limit
        return _took(rows["seconds"], rows["within"], rows["status"], lang)
    if kpi in ("response_within_target", "resolution_within_target", "workaround_within_target"):
        measure = kpi.split("_")[0]
        return _took(rows[f"{measure}_seconds"], rows[f"{measure}_target"], rows[f"{measure}_status"], lang)
    if kpi == "feedback_on_time":
        return _names(
            rows["feedback_status"], lambda v: _FEEDBACK[v][0 if zh else 1] if v in _FEEDBACK else v
        )
    if kpi == "complaint_rate":
        return _names(rows["category"], lambda v: category_label(v, lang))
    yes_no: dict[str, tuple[str, str, str]] = {
        "resolution_rate": ("resolved", _RESOLVED[0 if zh else 1], word("row_not_resolved", lang)),
        "first_contact_resolution": (
            "first_contact_resolved",
            word("row_first_contact", lang),
            word("row_not_first_contact", lang),
        ),
        "reopen_rate": ("reopened", _REOPENED[0 if zh else 1], word("row_not_reopened", lang)),
        "suggestion_adoption_rate": (
            "suggestion_adopted",
            word("row_adopted", lang),
            word("row_not_adopted", lang),
        ),
        "survey_response_rate": ("surveyed", word("row_surveyed", lang), word("row_not_surveyed", lang)),
    }
    column, yes, no = yes_no[kpi]
    flag = rows[column].fillna(False).astype(bool).to_numpy()
    return pd.Series(np.where(flag, yes, no), index=rows.index)


# Still inline, waiting on the vocabulary: the English "resolved" and "reopened" already name the
# resolution time (解决时间) and the reopen count (重开次数), 超时 is a breached ticket's status
# ("breached") and "pending" an open ticket's (未完成); one word may not be said two ways.
_RESOLVED = ("已解决", "resolved")
_REOPENED = ("重开过", "reopened")
_FEEDBACK = {
    "on_time": SCREEN_WORDS["row_on_time"],
    "late": ("超时", "late"),
    "pending": ("处理中", "pending"),
}


def _survey_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": rows["response_id"],
            "ticket_id": rows["ticket_id"],
            "submitted": rows["submitted"],
            "team": rows["team"],
            "channel": rows["channel"],
            "score": rows["score"].astype("float64"),
        },
        index=rows.index,
    )


def _incident_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": rows["service"],
            "start": rows["start"],
            "end": rows["end"],
            "minutes": rows["minutes"].astype("float64").round(1),
            "restored_in_time": _yes(rows["restored_in_time"].astype(bool), lang),
        },
        index=rows.index,
    )


def _downtime_rows(rows: pd.DataFrame, kpi: str, lang: str) -> pd.DataFrame:
    """The period (its minutes: availability's denominator) and each unplanned interval inside it (all
    services merged), with what each adds to the numerator and denominator, in minutes (availability)
    or as the downtime's minutes over its months."""
    what = {"month": SCREEN_WORDS["kpi_row_period"], "interval": SCREEN_WORDS["kpi_row_downtime"]}
    to_minutes = 60 if kpi == "availability" else 1
    return pd.DataFrame(
        {
            "what": rows["row"].map(lambda r: what[r][0 if lang == "zh" else 1]),
            "service": rows["services"],
            "start": rows["start"],
            "end": rows["end"],
            "minutes": (rows["seconds"].astype("float64") / 60).round(1),
            "numerator": (rows["numerator"].astype("float64") / to_minutes).round(1),
            "denominator": (rows["denominator"].astype("float64") / to_minutes).round(1),
        },
        columns=["what", "service", "start", "end", "minutes", "numerator", "denominator"],
    ).reset_index(drop=True)


def _measure_rows(evaluation: Evaluation, rows: pd.DataFrame, kpi: str, lang: str) -> pd.DataFrame:
    """The value reported for each month (a quarter's value is their mean)."""
    unit = evaluation.definition(kpi).unit
    return pd.DataFrame(
        {
            "month": rows["month"].map(lambda x: month_label(str(x), lang)),
            "value": [fmt_value(float(v), unit, lang) for v in rows["value"]],
            "note": rows["note"],
        },
        columns=["month", "value", "note"],
    ).reset_index(drop=True)


def _month_keys(evaluation: Evaluation, period: Period) -> list[int]:
    return [int(m[:4]) * 12 + int(m[5:7]) - 1 for m in period_months(evaluation, period)]


def _bounds(evaluation: Evaluation, period: Period) -> tuple[float, float] | None:
    """A custom range as [start, end) epoch seconds in the contract's zone."""
    if period.start and period.end:
        return _epoch(period.start, evaluation), _epoch(period.end + timedelta(days=1), evaluation)
    return None
