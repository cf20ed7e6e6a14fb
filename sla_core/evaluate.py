"""The whole evaluation: data + contract + as_of → per-ticket outcomes, KPI values, verdicts,
penalties, obligations. Everything the pages, the report and the command line show comes from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from sla_core import custom_kpis
from sla_core.availability import outage_facts
from sla_core.consequences import (
    Obligation,
    ObligationContext,
    improvement_plans,
    major_complaints,
    month_penalties,
    remedies,
    report_obligations,
    satisfaction_agreement,
    satisfaction_obligations,
)
from sla_core.contract import Contract
from sla_core.dataset import Dataset, Kind
from sla_core.evaluate_periods import (
    Overall,
    Row,
    breached_items,
    finality,
    judge_months,
    judge_quarters,
    major_complaint_tickets,
    overall_index,
    reconciliation,
    reported_months,
)
from sla_core.evaluate_result import Difference, Evaluation, PeriodResult, keep_settled
from sla_core.evaluate_values import (
    compute_values,
    filtered_values,
    kpi_presence,
    period_distributions,
    period_presence,
)
from sla_core.outcomes import Clocks, compute_outcomes, version_index
from sla_core.periods import (
    MonthGrid,
    epochs,
    key_of_instant,
    local_midnight,
    month_first_day,
    month_key,
    month_label,
)
from sla_core.problems import Issue, warning
from sla_core.surveys import Exclusion, arrow_text, prepare_responses

__all__ = [
    "TIMESTAMP_COLUMNS",
    "Difference",
    "Evaluation",
    "Overall",
    "PeriodResult",
    "Row",
    "compute_values",
    "default_as_of",
    "evaluate",
    "filtered_values",
    "kpi_presence",
    "overall_index",
    "parse_as_of",
    "period_presence",
]


TIMESTAMP_COLUMNS: dict[Kind, tuple[str, ...]] = {
    "tickets": ("created_at", "first_response_at", "resolved_at", "closed_at", "classified_at"),
    "surveys": ("submitted_at",),
    "outages": ("start", "end", "announced_at"),
}


def default_as_of(data: Dataset) -> float | None:
    """The latest timestamp in the inputs."""
    latest = np.nan
    for kind, cols in TIMESTAMP_COLUMNS.items():
        frame = data.frame(kind)
        if frame is None or frame.empty:
            continue
        for col in cols:
            values = epochs(frame[col])
            if values.size and not np.isnan(values).all():
                latest = np.nanmax([latest, np.nanmax(values)])
    if data.measures is not None and not data.measures.empty:
        pass  # months, not instants: they don't move as_of
    return None if np.isnan(latest) else float(latest)


def parse_as_of(text: str, contract: Contract) -> float:
    """ISO instant, naive in the contract's zone; a bare date means the end of that day."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime.combine(day, time(23, 59, 59), tzinfo=contract.zone).timestamp()
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=contract.zone)
    return moment.timestamp()


def _data_months(data: Dataset, as_of: float, contract: Contract) -> list[int]:
    """The months to report: every month from the first with data (or the contract's start, when data
    begins before it) to the last with data — a month without data in the contract is `no_data`, and
    breaks a streak; before the start, only the months that hold data (they are unjudged). A stray date
    from year 1026 adds its month, not twelve thousand."""
    zone = contract.zone
    start = contract.base.contract.effective_from
    start_key = start.year * 12 + start.month - 1
    keys: set[int] = set()
    for kind, cols in TIMESTAMP_COLUMNS.items():
        frame = data.frame(kind)
        if frame is None or frame.empty:
            continue
        first = epochs(frame[cols[0]])
        first = first[first <= as_of]
        if first.size:
            keys |= {
                key_of_instant(float(np.nanmin(first)), zone),
                key_of_instant(float(np.nanmax(first)), zone),
            }
            keys |= _month_keys(first[first < local_midnight(start, zone)], zone)
    if data.outages is not None and not data.outages.empty:
        ends = epochs(data.outages["end"])
        ends = ends[~np.isnan(ends) & (ends <= as_of)]
        if ends.size:
            keys.add(key_of_instant(float(ends.max()), zone))
    if data.measures is not None and not data.measures.empty:
        for label in data.measures["month"].dropna().unique():
            try:
                keys.add(month_key(str(label)))
            except ValueError:
                continue
    if not keys:
        return []
    before = sorted(k for k in keys if k < start_key)
    return [*before, *range(max(min(keys), start_key), max(keys) + 1)]


def _month_keys(instants: np.ndarray, zone: ZoneInfo) -> set[int]:
    """The distinct months (keys) of some epoch seconds in the zone."""
    instants = instants[~np.isnan(instants)]
    if not instants.size:
        return set()
    # second resolution: nanoseconds would not reach year 1026
    local = (
        pd.DatetimeIndex(instants.astype("int64").astype("datetime64[s]")).tz_localize("UTC").tz_convert(zone)
    )
    return set((local.year * 12 + local.month - 1).unique().tolist())


def evaluate(
    contract: Contract,
    data: Dataset,
    *,
    as_of: float | None = None,
    exclusions: Iterable[Exclusion] = (),
    actions: dict[str, tuple[str, str]] | None = None,
    include_months: Iterable[int] | None = None,
    frozen: Mapping[str, Mapping[str, Any]] | None = None,
) -> Evaluation:
    """Evaluate every month with data (and the quarters they fall in) as known at `as_of`.

    actions: obligation id → (action id, action status) from the improvement-action register.
    include_months: month keys to evaluate even without data (the months run continuously).
    frozen: closed month → its settled result (PeriodResult.to_json()): those verdicts and that penalty
        stand; what the data would change now is reported in `closed_differences`.
    """
    if as_of is None:
        as_of = default_as_of(data) or datetime.now(contract.zone).timestamp()
    zone = contract.zone
    keys = _data_months(data, as_of, contract)
    if include_months:
        wanted = [*keys, *include_months]
        keys = list(range(min(wanted), max(wanted) + 1))
    as_of_key = key_of_instant(as_of, zone)
    span_first = min(keys) if keys else as_of_key
    span_last = max([*keys, as_of_key]) if keys else as_of_key
    clocks = Clocks(contract, month_first_day(span_first), month_first_day(span_last + 1))
    grid = MonthGrid.spanning(span_first - 1, span_last + 1, zone)
    warnings: list[Issue] = []

    outcomes = compute_outcomes(contract, data, as_of, clocks)
    tickets = outcomes.frame
    warnings += outcomes.issues
    responses = prepare_responses(contract, data, as_of, grid, list(exclusions), data.tickets)
    if not responses.empty:
        versions = version_index(contract, responses["month_key"].to_numpy())
        satisfied_at = np.array([float(v.surveys.satisfied_at) for v in contract.versions])
        threshold = satisfied_at[versions]
        responses["satisfied"] = responses["score"].astype("float64").to_numpy() >= threshold - 1e-9
    if not tickets.empty:
        tickets["surveyed"] = _surveyed(tickets, responses)
        tickets["month"] = tickets["month_key"].map(
            {k: month_label(k) for k in tickets["month_key"].unique()}
        )
    facts = outage_facts(contract, data, as_of, grid)
    warnings += facts.issues
    shares = custom_kpis.share_outcomes(contract, tickets, clocks, as_of)

    presence = kpi_presence(contract, data)
    by_period = period_presence(contract, data, outcomes.month_columns, keys)
    values = compute_values(tickets, responses, facts, presence, keys, contract, data, shares, by_period)
    dist = period_distributions(tickets)

    final = finality(tickets, keys, as_of, zone)
    judged = {k: contract.judged(k // 12, k % 12 + 1) for k in keys}
    overall = overall_index(values)
    months = judge_months(contract, overall, keys, by_period, final, judged)
    breached = breached_items(tickets)
    current_missed = {
        k: [v.kpi for v in m.verdicts if v.status == "missed"] for k, m in zip(keys, months, strict=True)
    }
    current_penalties = month_penalties(contract, keys, breached, current_missed, final, judged)
    closed_differences, fixed = keep_settled(months, keys, frozen or {}, current_penalties)
    statuses = {
        kpi: {k: m.verdict(kpi).status for k, m in zip(keys, months, strict=True)} for kpi in contract.kpi_ids
    }
    missed = {
        k: [v.kpi for v in m.verdicts if v.status == "missed"] for k, m in zip(keys, months, strict=True)
    }
    penalties = (
        month_penalties(contract, keys, breached, missed, final, judged, fixed=fixed)
        if fixed
        else current_penalties
    )
    for k, m in zip(keys, months, strict=True):
        m.penalty = penalties[k]
    quarters = judge_quarters(contract, overall, keys, by_period, final, judged, penalties)

    ctx = ObligationContext(
        as_of_day=datetime.fromtimestamp(as_of, zone).date(),
        working_days_after=lambda v, day, n: clocks.calendar(v).working_days_after(day, n),
        done={oid: aid for oid, (aid, st) in (actions or {}).items() if st == "done"},
        linked={oid: aid for oid, (aid, _st) in (actions or {}).items()},
        reported_months=reported_months(data),
        surveyed_months=frozenset(responses["month_key"].unique().tolist())
        if not responses.empty
        else frozenset(),
        is_working_day=lambda v, day: clocks.calendar(v).is_working_day(day),
    )
    obligations = _obligations(
        contract, keys, statuses, major_complaint_tickets(contract, tickets, clocks), ctx
    )
    unpublished = frozenset().union(
        *(clocks.calendar(v).unpublished_years for v in range(len(contract.versions)))
    )
    touched = {k // 12 for k in keys} | {datetime.fromtimestamp(as_of, zone).year}
    warnings += _unpublished_warnings(sorted(unpublished & touched))
    return Evaluation(
        contract=contract,
        as_of=as_of,
        months=months,
        quarters=quarters,
        obligations=obligations,
        tickets=tickets,
        responses=responses,
        outages=facts,
        values=values,
        distributions=dist,
        reconciliation=reconciliation(data, values),
        warnings=warnings,
        unpublished_years=unpublished,
        closed_differences=closed_differences,
        shares=shares,
        presence=by_period,
    )


def _obligations(
    contract: Contract,
    keys: list[int],
    statuses: Mapping[str, Mapping[int, str]],
    complaint_tickets: pd.DataFrame,
    ctx: ObligationContext,
) -> list[Obligation]:
    """Every obligation the months raise, by due date: improvement plans, satisfaction investigations and
    findings, major complaints, remedies, the satisfaction agreement's deadlines, provider reports."""
    satisfaction = satisfaction_obligations(contract, statuses, ctx)
    complaints = major_complaints(contract, complaint_tickets, ctx)
    findings = [o for o in satisfaction + complaints if o.kind.endswith("findings")]
    obligations = (
        improvement_plans(contract, statuses, ctx)
        + satisfaction
        + complaints
        + remedies(contract, findings, ctx)
        + satisfaction_agreement(contract, keys, ctx)
        + report_obligations(contract, keys, ctx)
    )
    obligations.sort(key=lambda o: (o.due, o.id))
    return obligations


def _unpublished_warnings(years: list[int]) -> list[Issue]:
    """A warning per year of the evaluation whose official holidays are not yet published."""
    return [
        warning(
            "calendar.unpublished_year",
            f"{year} 年的官方节假日与调休安排尚未公布：暂按每周工作时间和合同约定的额外日期计算",
            f"the official holidays and make-up workdays of {year} are not yet published: "
            "weekly hours and the contract's extra days apply",
            value=str(year),
        )
        for year in years
    ]


def _surveyed(tickets: pd.DataFrame, responses: pd.DataFrame) -> np.ndarray:
    """Whether each ticket has a counted (non-excluded) survey response.

    Arrow's is_in, not Series.isin: pandas builds a Python scalar per value of a string value set
    (20 s for 400,000 survey responses against 1,000,000 tickets; this takes well under a second)."""
    if responses.empty:
        return np.zeros(len(tickets), dtype=bool)
    ids = responses.loc[~responses["excluded"].to_numpy(dtype=bool), "ticket_id"].dropna()
    if ids.empty:
        return np.zeros(len(tickets), dtype=bool)
    found = pc.is_in(arrow_text(tickets["ticket_id"]), value_set=arrow_text(ids).unique()).fill_null(False)
    answered: np.ndarray = found.to_numpy(zero_copy_only=False).astype(bool)
    return answered
