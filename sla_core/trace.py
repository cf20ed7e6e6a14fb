"""From every KPI value to its rows (doc 003 二(六): "客户审计权：约定客户有权定期…对服务过程进行审计，
服务提供商需配合提供相关记录（如工单系统日志、监控数据）…审计内容包括 KPI 指标真实性").

`trace(evaluation, kpi, period)` returns the rows behind a KPI's value for a month or a quarter — tickets,
survey responses, outage intervals and incidents, or reported measures — one row per item with what it
adds to the numerator and to the denominator, so that, exactly as the evaluation computed them,

    numerator = trace.rows["numerator"].sum()    denominator = trace.rows["denominator"].sum()

(rates: 1 / 0 per ticket; CSAT: the score; availability: the period's seconds, minus each unplanned
interval's seconds inside it; MTTR: each incident's minutes; a reported measure: its value, so a
quarter is the mean of its months). Rows that count in neither (excluded tickets, pending ones) are
not listed. `Trace.csv_bytes` writes it through `exports` (formula-like text neutralised).

`trace_rows(evaluation, kpi, scope, data)` is the same selection for any `Scope` — months, or a custom
date range, narrowed by the screens' filters — and the one owner of which rows a KPI counts: the CLI's
`--trace` and the KPI page both read it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sla_core.availability import merge_intervals
from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation
from sla_core.exports import csv_bytes
from sla_core.kpis import DIMENSIONS, measure_values
from sla_core.periods import month_key, month_label, month_start, quarter_months
from sla_core.targets import target_rule_text

SOURCES = ("tickets", "surveys", "outages", "measures")
TICKET_DETAIL = ("ticket_id", "month", "priority", "category", "channel", "team", "customer")


@dataclass(frozen=True)
class Trace:
    kpi: str
    period: str
    source: str  # tickets | surveys | outages | measures
    value: float | None  # the evaluation's value (None: no data)
    numerator: float | None
    denominator: float | None
    rows: pd.DataFrame  # source-specific columns, then numerator, denominator

    def csv_bytes(self) -> bytes:
        """The rows as CSV (UTF-8, no BOM), formula-like text neutralised as in every file we write."""
        return csv_bytes(self.rows, encoding="utf-8")


@dataclass(frozen=True)
class Scope:
    """The rows a trace reads: those of the month keys, or of a custom range [start, end) in epoch seconds
    (tickets by creation, responses by submission, incidents by start, downtime clipped to it; reported
    measures by the months overlapping it), narrowed to the breakdown members the filters allow (tickets,
    responses and the contract's ticket shares; outages and measures have no breakdown)."""

    months: tuple[int, ...]
    bounds: tuple[float, float] | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)


def period_months(period: str) -> list[int]:
    return quarter_months(period) if "Q" in period else [month_key(period)]


def trace(evaluation: Evaluation, kpi: str, period: str, data: Dataset | None = None) -> Trace:
    """The rows in the numerator and denominator of one KPI for one month (YYYY-MM) or quarter (YYYYQn).
    `data`: the evaluated data, for reported measures (the other sources are in the evaluation)."""
    result = evaluation.period(period)
    if result is None:
        raise KeyError(f"no period {period} in the evaluation")
    if kpi not in evaluation.kpi_ids:
        raise KeyError(f"no KPI {kpi} in the contract's table")
    verdict = result.verdict(kpi)
    evaluated = {k for m in evaluation.months for k in m.keys}
    months = tuple(k for k in period_months(period) if k in evaluated)  # a quarter pools its evaluated months
    source, rows = trace_rows(evaluation, kpi, Scope(months), data)
    return Trace(kpi, period, source, verdict.value, verdict.numerator, verdict.denominator, rows)


def trace_rows(
    evaluation: Evaluation, kpi: str, scope: Scope, data: Dataset | None = None
) -> tuple[str, pd.DataFrame]:
    """The source (tickets, surveys, outages, measures) and the rows of one KPI in a scope, each with what
    it adds to the numerator and to the denominator."""
    if kpi in _TICKET_RULES:
        return "tickets", _ticket_rows(evaluation, _select(evaluation.tickets, scope, "created"), kpi)
    if kpi in ("csat_mean", "csat_satisfied_share"):
        return "surveys", _survey_rows(evaluation, _select(evaluation.responses, scope, "submitted"), kpi)
    if kpi in ("availability", "unplanned_downtime_minutes"):
        return "outages", _downtime_rows(evaluation, _windows(evaluation, scope), kpi)
    if kpi in ("mttr_minutes", "restored_in_time"):
        return "outages", _incident_rows(evaluation, scope, kpi)
    custom = evaluation.contract.custom_kpi(kpi)
    if custom is not None and custom.kind == "ticket_share":
        return "tickets", _share_rows(evaluation, scope, kpi)
    return "measures", _measure_rows(data, list(scope.months), kpi)


def _select(frame: pd.DataFrame, scope: Scope, time: str | None) -> pd.DataFrame:
    """The rows of the scope: by month, or by `time` inside a custom range (no `time`: none), and by the
    filters' members (a blank member is "")."""
    if frame.empty:
        return frame
    if scope.bounds is None:
        keep = np.isin(frame["month_key"].to_numpy(), list(scope.months))
    elif time is None:
        keep = np.zeros(len(frame), dtype=bool)
    else:
        at = frame[time].to_numpy(dtype="float64")
        keep = (at >= scope.bounds[0]) & (at < scope.bounds[1])
    for dim, members in scope.filters.items():
        if dim in DIMENSIONS and members and dim in frame.columns:
            keep &= frame[dim].fillna("").isin(list(members)).to_numpy(dtype=bool)
    return frame.loc[keep]


# ---------------------------------------------------------------- tickets

Mask = Callable[[pd.DataFrame], np.ndarray]


def _status_is(column: str, *values: str) -> Mask:
    return lambda t: t[column].isin(values).to_numpy(dtype=bool)


def _kept(t: pd.DataFrame) -> np.ndarray:
    return ~t["excluded"].to_numpy(dtype=bool)


def _resolved(t: pd.DataFrame) -> np.ndarray:
    return np.asarray(t["resolved"].to_numpy(dtype=bool) & _kept(t), dtype=bool)


def _and(mask: Mask, column: str) -> Mask:
    return lambda t: mask(t) & t[column].to_numpy(dtype=bool)


def _category(name: str, base: Mask = _kept) -> Mask:
    return lambda t: base(t) & (t["category"] == name).fillna(False).to_numpy(dtype=bool)


# KPI → (denominator rows, numerator rows, detail columns): the same conditions as ticket_counts.sql
_TICKET_RULES: dict[str, tuple[Mask, Mask, tuple[str, ...]]] = {
    "response_within_target": (
        _status_is("response_status", "met", "breached"),
        _status_is("response_status", "met"),
        ("response_seconds", "response_target", "response_clock", "response_rule", "response_status"),
    ),
    "resolution_within_target": (
        _status_is("resolution_status", "met", "breached"),
        _status_is("resolution_status", "met"),
        (
            "resolution_seconds",
            "paused_seconds",
            "resolution_target",
            "resolution_clock",
            "resolution_rule",
            "resolution_status",
        ),
    ),
    "workaround_within_target": (
        _status_is("workaround_status", "met", "breached"),
        _status_is("workaround_status", "met"),
        (
            "workaround_seconds",
            "workaround_target",
            "workaround_clock",
            "workaround_rule",
            "workaround_status",
        ),
    ),
    "resolution_rate": (_kept, _resolved, ("resolved",)),
    "first_contact_resolution": (
        _resolved,
        _and(_resolved, "first_contact_resolved"),
        ("first_contact_resolved",),
    ),
    "reopen_rate": (_resolved, _and(_resolved, "reopened"), ("reopened",)),
    "complaint_rate": (_kept, _category("complaint"), ()),
    "feedback_on_time": (
        _status_is("feedback_status", "on_time", "late"),
        _status_is("feedback_status", "on_time"),
        ("feedback_status",),
    ),
    "suggestion_adoption_rate": (
        _category("suggestion"),
        _and(_category("suggestion"), "suggestion_adopted"),
        ("suggestion_adopted",),
    ),
    "survey_response_rate": (_resolved, _and(_resolved, "surveyed"), ("surveyed",)),
}


def _ticket_rows(evaluation: Evaluation, t: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """The tickets of the scope (`t`) the KPI's denominator holds, 1 in the numerator for those it counts."""
    denominator, numerator, detail = _TICKET_RULES[kpi]
    columns = [*TICKET_DETAIL, "created", *detail]
    # a contract without the workaround milestone has no workaround columns: nothing to count
    if t.empty or not set(detail) <= set(t.columns):
        return pd.DataFrame(columns=[*columns, "target_rule", "numerator", "denominator"])
    den = denominator(t)
    num = numerator(t) & den
    picked = t.loc[den]
    out = picked[[c for c in columns if c in picked.columns and c != "created"]].copy()
    out.insert(2, "created", _local(picked["created"], evaluation))
    out["target_rule"] = target_rule_text(picked)  # as in --tickets-out: blank, the priority's targets
    out["numerator"] = num[den].astype("int64")
    out["denominator"] = 1
    return out.sort_values(["month", "ticket_id"], kind="stable").reset_index(drop=True)


SHARE_DETAIL = ("ticket_id", "month", "priority", "category", "channel", "team", "customer", "created")


def _share_rows(evaluation: Evaluation, scope: Scope, kpi: str) -> pd.DataFrame:
    """A contract's ticket share: its matching tickets judged met or breached, 1 in the numerator if met.
    A custom range has none: the range's pooled values count no contract share (no value, no rows)."""
    columns = [*SHARE_DETAIL, "seconds", "within", "status", "numerator", "denominator"]
    s = _select(evaluation.shares, scope, None)
    if not s.empty:
        s = s.loc[(s["kpi"] == kpi).to_numpy(dtype=bool) & s["status"].isin(["met", "breached"]).to_numpy()]
    if s.empty:
        return pd.DataFrame(columns=columns)
    created = evaluation.tickets.drop_duplicates("ticket_id").set_index("ticket_id")["created"]
    out = s[
        ["ticket_id", "priority", "category", "channel", "team", "customer", "seconds", "within", "status"]
    ]
    out = out.assign(
        month=s["month_key"].map(month_label),
        created=_local(s["ticket_id"].map(created), evaluation),
    )[columns[:-2]]
    out["numerator"] = (out["status"] == "met").astype("int64")
    out["denominator"] = 1
    return out.sort_values(["month", "ticket_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- surveys


def _survey_rows(evaluation: Evaluation, r: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """The scope's responses (`r`) with a score, not excluded: the score (mean) or 1 if satisfied (share)."""
    columns = [
        "response_id",
        "month",
        "submitted",
        "ticket_id",
        "team",
        "channel",
        "score",
        "satisfied",
        "flags",
    ]
    if r.empty:
        return pd.DataFrame(columns=[*columns, "numerator", "denominator"])
    r = r.loc[~r["excluded"].to_numpy(dtype=bool)]
    r = r.loc[r["score"].notna()]
    out = pd.DataFrame(
        {
            "response_id": r["response_id"].to_numpy(),
            "month": r["month_key"].map(month_label).to_numpy(),
            "submitted": _local(r["submitted"], evaluation).to_numpy(),
            "ticket_id": r["ticket_id"].to_numpy(),
            "team": r["team"].to_numpy() if "team" in r.columns else "",
            "channel": r["channel"].to_numpy() if "channel" in r.columns else "",
            "score": r["score"].astype("float64").to_numpy(),
            "satisfied": r["satisfied"].to_numpy(dtype=bool),
            "flags": r["flags"].to_numpy(),
        }
    )
    out["numerator"] = out["score"] if kpi == "csat_mean" else out["satisfied"].astype("int64")
    out["denominator"] = 1
    return out.sort_values(["month", "submitted", "response_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- outages


Window = tuple[str, float, float]  # a label, [start, end) in epoch seconds


def _windows(evaluation: Evaluation, scope: Scope) -> list[Window]:
    """The months of the scope, or its custom range as one window (pooled as one "month")."""
    if scope.bounds is not None:
        lo, hi = scope.bounds
        return [(f"{_iso(lo, evaluation)[:10]}..{_iso(hi - 1, evaluation)[:10]}", lo, hi)]
    zone = evaluation.contract.zone
    return [(month_label(k), month_start(k, zone), month_start(k + 1, zone)) for k in scope.months]


def _downtime_rows(evaluation: Evaluation, windows: list[Window], kpi: str) -> pd.DataFrame:
    """One row per month of the period (availability: its seconds over its seconds; downtime: one month)
    and per unplanned interval inside it, all services merged (availability: minus its seconds;
    downtime: its minutes)."""
    facts = evaluation.outages
    availability = kpi == "availability"
    rows: list[dict[str, object]] = []
    for label, lo, hi in windows:
        seconds = float(hi - lo)
        rows.append(
            {
                "row": "month",
                "month": label,
                "start": _iso(lo, evaluation),
                "end": _iso(hi, evaluation),
                "seconds": seconds,
                "services": "",
                "numerator": seconds if availability else 0.0,
                "denominator": seconds if availability else 1.0,
            }
        )
    if facts.given and not facts.outages.empty:
        o = facts.outages.loc[~facts.outages["planned_effective"].to_numpy(dtype=bool)]
        starts, ends = merge_intervals(o["start_s"].to_numpy(float), o["end_s"].to_numpy(float))
        for label, lo, hi in windows:
            a, b = np.maximum(starts, lo), np.minimum(ends, hi)
            for x, y in zip(a[b > a], b[b > a], strict=True):  # the few intervals of one month
                inside = (o["start_s"] < y) & (o["end_s"] > x)
                rows.append(
                    {
                        "row": "interval",
                        "month": label,
                        "start": _iso(x, evaluation),
                        "end": _iso(y, evaluation),
                        "seconds": y - x,
                        "services": ", ".join(sorted(o.loc[inside, "service"].astype(str).unique())),
                        "numerator": -(y - x) if availability else (y - x) / 60,
                        "denominator": 0.0,
                    }
                )
    return pd.DataFrame(
        rows, columns=["row", "month", "start", "end", "seconds", "services", "numerator", "denominator"]
    )


def _incident_rows(evaluation: Evaluation, scope: Scope, kpi: str) -> pd.DataFrame:
    """The ended incidents of the scope (a custom range: those starting in it): each one's minutes (MTTR)
    or 1 if restored in time."""
    inc = evaluation.outages.incidents
    columns = ["service", "month", "start", "end", "minutes", "restored_in_time"]
    if inc.empty:
        return pd.DataFrame(columns=[*columns, "numerator", "denominator"])
    inc = _select(inc, Scope(scope.months, scope.bounds), "start")  # incidents have no breakdown
    inc = inc.loc[~inc["open"].to_numpy(dtype=bool)]
    out = pd.DataFrame(
        {
            "service": inc["service"].to_numpy(),
            "month": inc["month_key"].map(month_label).to_numpy(),
            "start": [_iso(x, evaluation) for x in inc["start"]],
            "end": [_iso(x, evaluation) for x in inc["end"]],
            "minutes": inc["duration"].to_numpy(float) / 60,
            "restored_in_time": inc["restored_in_time"].to_numpy(dtype=bool),
        }
    )
    out["numerator"] = out["minutes"] if kpi == "mttr_minutes" else out["restored_in_time"].astype("int64")
    out["denominator"] = 1
    return out.sort_values(["start", "service"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- measures


def _measure_rows(data: Dataset | None, months: list[int], kpi: str) -> pd.DataFrame:
    """The reported value of each month (a quarter: the mean of its months, numerator / denominator)."""
    labels = {month_label(k) for k in months}
    reported = measure_values(data) if data is not None else pd.DataFrame()
    columns = ["month", "kpi", "value", "note"]
    if reported.empty or data is None or data.measures is None:
        return pd.DataFrame(columns=[*columns, "numerator", "denominator"])
    notes = data.measures["note"] if "note" in data.measures.columns else pd.Series(dtype="object")
    reported = reported.assign(note=notes.reindex(reported.index).fillna("").astype(str))
    rows = reported.loc[(reported["kpi"] == kpi) & reported["month"].isin(labels), columns]
    rows = rows.groupby(["month", "kpi"], as_index=False)[["value", "note"]].first().sort_values("month")
    rows["numerator"] = rows["value"]
    rows["denominator"] = 1
    return rows.reset_index(drop=True)


def _local(epoch: pd.Series, evaluation: Evaluation) -> pd.Series:
    zone = evaluation.contract.zone.key
    return pd.to_datetime(epoch, unit="s", utc=True).dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M:%S")


def _iso(epoch: float, evaluation: Evaluation) -> str:
    return (
        pd.Timestamp(epoch, unit="s", tz="UTC")
        .tz_convert(evaluation.contract.zone.key)
        .strftime("%Y-%m-%d %H:%M:%S")
    )
