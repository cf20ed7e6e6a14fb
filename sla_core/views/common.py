"""What every screen shares: the period and filters, values for a period (pooled when filtered), the
rows of a period's tickets and responses, trends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from sla_core.availability import merge_intervals
from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation, filtered_values
from sla_core.i18n import month_label
from sla_core.kpis import DIMENSIONS, kpi_values, source_presence, survey_counts, ticket_counts

PeriodKind = Literal["month", "quarter", "range"]


Filters = dict[str, tuple[str, ...]]


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
        if not self.label:  # a contract without data has no month to show
            return "尚无数据" if lang == "zh" else "no data yet"
        return month_label(self.label, lang)


@dataclass(frozen=True)
class Coverage:
    """What a period holds, for the screens' empty states (each says what to upload)."""

    months: int  # evaluated months of the contract (0: no data at all)
    tickets: int  # tickets created in the period
    responses: int  # survey responses submitted in the period
    surveys: bool  # any survey response in any month
    outages: bool  # an outage log was imported (a month without outages is then 100% available)


def coverage(evaluation: Evaluation, period: Period) -> Coverage:
    tickets = period_tickets(evaluation, period, None)
    responses = period_responses(evaluation, period, None)
    return Coverage(
        months=len(evaluation.months),
        tickets=len(tickets),
        responses=len(responses),
        surveys=not evaluation.responses.empty,
        outages=evaluation.outages.given,
    )


def active(filters: Filters | None) -> bool:
    return filters is not None and any(filters.values())


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


def values_for(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, *, nearby: bool = False
) -> pd.DataFrame:
    """period, dimension, member, kpi, value, numerator, denominator, no_data — whole or filtered.

    nearby: filtered values are needed only for the period and the one before it (the tiles).
    """
    if period.kind == "range":
        return pooled_values(evaluation, data, period, filters)
    if filters is not None and active(filters):
        months = _nearby_months(evaluation, period) if nearby else None
        return filtered_values(evaluation, data, {k: list(v) for k, v in filters.items()}, months)
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


def _delta(diff: float, unit: str, lang: str) -> str:
    if unit == "rate":
        return f"{diff * 100:+.1f} pp" if lang == "en" else f"{diff * 100:+.1f} 个百分点"
    if unit == "score":
        return f"{diff:+.2f}"
    if unit == "minutes":
        return f"{diff:+,.1f} min" if lang == "en" else f"{diff:+,.1f} 分钟"
    return f"{diff:+,.2f} h" if lang == "en" else f"{diff:+,.2f} 小时"


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
