"""The whole evaluation: data + contract + as_of → per-ticket outcomes, KPI values, verdicts,
penalties, obligations. Everything the pages, the report and the command line show comes from here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from sla_core import custom_kpis
from sla_core.availability import OutageFacts, outage_facts
from sla_core.consequences import (
    Obligation,
    ObligationContext,
    Penalty,
    PenaltyItem,
    improvement_plans,
    major_complaints,
    month_penalties,
    pooled_penalty,
    remedies,
    report_obligations,
    satisfaction_agreement,
    satisfaction_obligations,
)
from sla_core.contract import Contract, Target, Terms
from sla_core.dataset import Dataset, Kind
from sla_core.i18n import KpiDef
from sla_core.kpis import (
    DIMENSIONS,
    MEASURE_KPIS,
    SURVEY_COLUMNS,
    TICKET_COLUMNS,
    distributions,
    kpi_values,
    measure_values,
    source_presence,
    survey_counts,
    ticket_counts,
    without_absent_months,
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
    month_seconds,
    month_start,
    quarter_months,
    quarter_of,
)
from sla_core.problems import Issue, warning
from sla_core.surveys import Exclusion, arrow_text, prepare_responses
from sla_core.targets import Matcher
from sla_core.verdicts import Verdict, judge

TIMESTAMP_COLUMNS: dict[Kind, tuple[str, ...]] = {
    "tickets": ("created_at", "first_response_at", "resolved_at", "closed_at", "classified_at"),
    "surveys": ("submitted_at",),
    "outages": ("start", "end", "announced_at"),
}


@dataclass
class PeriodResult:
    label: str  # 2026-03 or 2026Q1
    keys: tuple[int, ...]
    terms: Terms
    final: bool
    judged: bool
    verdicts: list[Verdict]
    penalty: Penalty
    closed: bool = False  # settled with the provider: verdicts and penalty are the frozen ones

    def verdict(self, kpi: str) -> Verdict:
        return next(v for v in self.verdicts if v.kpi == kpi)

    def to_json(self) -> dict[str, object]:
        return {
            "month": self.label,
            "contract_version": self.terms.effective_from.isoformat(),
            "final": self.final,
            "kpis": [_verdict_json(v) for v in self.verdicts],
            "penalty": self.penalty.to_json(),
        }


def _number(x: float | None) -> float | int | None:
    """Counts as integers in the JSON; sums (minutes, scores) stay as they are."""
    return int(x) if x is not None and float(x).is_integer() else x


def _verdict_json(v: Verdict) -> dict[str, object]:
    return {
        "id": v.kpi,
        "value": v.value,
        "target": None
        if v.target is None
        else {"op": v.target.op, "value": float(v.target.value), "text": v.target.text},
        "status": v.status,
        "numerator": _number(v.numerator),
        "denominator": _number(v.denominator),
        "explanation": {"zh": v.zh, "en": v.en},
    }


@dataclass
class Evaluation:
    contract: Contract
    as_of: float
    months: list[PeriodResult]
    quarters: list[PeriodResult]
    obligations: list[Obligation]
    tickets: pd.DataFrame  # per-ticket outcomes (see outcomes.py) with `month`
    responses: pd.DataFrame  # survey responses with flags
    outages: OutageFacts
    values: pd.DataFrame  # period, dimension, member, kpi, value, numerator, denominator, no_data
    distributions: pd.DataFrame  # period, priority, response/resolution count, median, p90
    reconciliation: pd.DataFrame  # month, kpi, provider_value, computed_value, difference, flagged
    warnings: list[Issue] = field(default_factory=list)
    # ticket × contract ticket-share KPI: status, seconds, within (custom_kpis.SHARE_COLUMNS)
    shares: pd.DataFrame = field(default_factory=custom_kpis.empty_shares)
    unpublished_years: frozenset[int] = frozenset()
    # closed month → what recomputing it from the data as stored now would change (empty: nothing)
    closed_differences: dict[str, list[Difference]] = field(default_factory=dict)
    # period label → KPI → why it has no source in that period (None: it has one)
    presence: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @property
    def as_of_iso(self) -> str:
        return datetime.fromtimestamp(self.as_of, self.contract.zone).isoformat()

    def month(self, label: str) -> PeriodResult | None:
        return next((m for m in self.months if m.label == label), None)

    @property
    def kpi_ids(self) -> tuple[str, ...]:
        """Every KPI of this contract's table, in order (built-in, then the contract's own)."""
        return self.contract.kpi_ids

    def definition(self, kpi: str) -> KpiDef:
        """Labels, unit and direction of any KPI of the table (a contract KPI included)."""
        return custom_kpis.definition(self.contract, kpi)

    def find_definition(self, kpi: str) -> KpiDef | None:
        """definition(kpi), or None for an id that is not a KPI of the contract ("penalty", a typo)."""
        try:
            return self.definition(kpi)
        except KeyError:
            return None

    def quarter(self, label: str) -> PeriodResult | None:
        return next((q for q in self.quarters if q.label == label), None)

    def period(self, label: str) -> PeriodResult | None:
        return self.quarter(label) if "Q" in label else self.month(label)

    def to_json(
        self, *, months: Iterable[str] | None = None, quarters: Iterable[str] | None = None
    ) -> dict[str, Any]:
        wanted = set(months) if months is not None else None
        chosen = [m for m in self.months if wanted is None or m.label in wanted]
        labels = {m.label for m in chosen}
        doc: dict[str, object] = {
            "contract": self.contract.id,
            "as_of": self.as_of_iso,
            "months": [m.to_json() for m in chosen],
            "obligations": [o.to_json() for o in self.obligations if labels & set(o.months)],
            "issues": [],
            "warnings": [w.to_json() for w in self.warnings],
        }
        if quarters is not None:
            doc["quarters"] = [q.to_json() for q in self.quarters if q.label in set(quarters)]
        return doc


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
    dist = _distributions(tickets)

    final = _finality(tickets, keys, as_of, zone)
    judged = {k: contract.judged(k // 12, k % 12 + 1) for k in keys}
    overall = overall_index(values)
    months = _judge_periods(contract, overall, keys, by_period, final, judged)
    breached = _breached_items(tickets)
    current_missed = {
        k: [v.kpi for v in m.verdicts if v.status == "missed"] for k, m in zip(keys, months, strict=True)
    }
    current_penalties = month_penalties(contract, keys, breached, current_missed, final, judged)
    closed_differences: dict[str, list[Difference]] = {}
    fixed: dict[int, Penalty] = {}
    for i, (key, month) in enumerate(zip(keys, months, strict=True)):
        settled = (frozen or {}).get(month.label)
        if settled is None:
            continue
        kept = _frozen_result(month, settled)
        closed_differences[month.label] = _differences(kept, month, current_penalties[key])
        months[i] = kept
        fixed[key] = kept.penalty
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
    quarters = _quarters(contract, overall, keys, by_period, final, judged, penalties)

    ctx = ObligationContext(
        as_of_day=datetime.fromtimestamp(as_of, zone).date(),
        working_days_after=lambda v, day, n: clocks.calendar(v).working_days_after(day, n),
        done={oid: aid for oid, (aid, st) in (actions or {}).items() if st == "done"},
        linked={oid: aid for oid, (aid, _st) in (actions or {}).items()},
        reported_months=_reported_months(data),
        surveyed_months=frozenset(responses["month_key"].unique().tolist())
        if not responses.empty
        else frozenset(),
        is_working_day=lambda v, day: clocks.calendar(v).is_working_day(day),
    )
    satisfaction = satisfaction_obligations(contract, statuses, ctx)
    complaints = major_complaints(contract, _major_complaints(contract, tickets, clocks), ctx)
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

    unpublished = frozenset().union(
        *(clocks.calendar(v).unpublished_years for v in range(len(contract.versions)))
    )
    touched = {k // 12 for k in keys} | {datetime.fromtimestamp(as_of, zone).year}
    for year in sorted(unpublished & touched):
        warnings.append(
            warning(
                "calendar.unpublished_year",
                f"{year} 年的官方节假日与调休安排尚未公布：暂按每周工作时间和合同约定的额外日期计算",
                f"the official holidays and make-up workdays of {year} are not yet published: "
                "weekly hours and the contract's extra days apply",
                value=str(year),
            )
        )
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
        reconciliation=_reconciliation(data, values),
        warnings=warnings,
        unpublished_years=unpublished,
        closed_differences=closed_differences,
        shares=shares,
        presence=by_period,
    )


def kpi_presence(
    contract: Contract, data: Dataset, ticket_columns: frozenset[str] | None = None
) -> dict[str, str | None]:
    """Why each KPI of the contract has no source (None: it has one), contract KPIs included;
    `ticket_columns`: one period's (see `source_presence`)."""
    presence = source_presence(data, ticket_columns)
    return presence | custom_kpis.presence(contract, presence)


def _frozen_result(current: PeriodResult, settled: Mapping[str, Any]) -> PeriodResult:
    # `settled` is the month's JSON as stored when it was closed (PeriodResult.to_json())
    """The month as settled: its verdicts and penalty from the snapshot taken when it was closed."""
    verdicts = []
    for d in settled.get("kpis", []):
        t = d.get("target")
        target = None
        if t:
            target = Target(
                op=t["op"], value=Decimal(str(t["value"])), text=t["text"], percent="%" in t["text"]
            )
        verdicts.append(
            Verdict(
                d["id"],
                d["value"],
                target,
                d["status"],
                d["numerator"],
                d["denominator"],
                d["explanation"]["zh"],
                d["explanation"]["en"],
            )
        )
    p = settled["penalty"]
    items = tuple(
        PenaltyItem(i["kind"], i["ref"], Decimal(str(i["amount"])), i.get("target")) for i in p["items"]
    )
    penalty = Penalty(
        amount=Decimal(str(p["amount"])),
        uncapped_amount=Decimal(str(p["uncapped_amount"])),
        cap_amount=None if p["cap_amount"] is None else Decimal(str(p["cap_amount"])),
        share_of_fee=float(p["share_of_fee"]),
        capped=bool(p["capped"]),
        provisional=False,
        items=items,
    )
    known = {v.kpi for v in verdicts}
    verdicts += [v for v in current.verdicts if v.kpi not in known]
    order = {v.kpi: i for i, v in enumerate(current.verdicts)}  # the contract's table order
    verdicts.sort(key=lambda v: order.get(v.kpi, len(order)))
    return PeriodResult(
        current.label, current.keys, current.terms, True, current.judged, verdicts, penalty, closed=True
    )


class Difference(TypedDict):
    """One figure of a closed month that recomputing from the data as stored now would change."""

    item: str  # a KPI id, or "penalty"
    settled: float | None
    now: float | None
    settled_status: str  # "" for the penalty
    now_status: str


def _differences(kept: PeriodResult, now: PeriodResult, now_penalty: Penalty) -> list[Difference]:
    """What recomputing a closed month would change: KPI values and statuses, and the penalty."""
    out: list[Difference] = []
    for v in kept.verdicts:
        c = now.verdict(v.kpi)
        same_value = (v.value is None and c.value is None) or (
            v.value is not None and c.value is not None and abs(float(v.value) - float(c.value)) <= 1e-12
        )
        if not same_value or v.status != c.status:
            out.append(
                {
                    "item": v.kpi,
                    "settled": v.value,
                    "now": c.value,
                    "settled_status": v.status,
                    "now_status": c.status,
                }
            )
    if kept.penalty.amount != now_penalty.amount:
        out.append(
            {
                "item": "penalty",
                "settled": float(kept.penalty.amount),
                "now": float(now_penalty.amount),
                "settled_status": "",
                "now_status": "",
            }
        )
    return out


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


# ---------------------------------------------------------------- values


def period_presence(
    contract: Contract, data: Dataset, month_columns: dict[int, frozenset[str]], keys: list[int]
) -> dict[str, dict[str, str | None]]:
    """Each month's and quarter's KPI sources, contract KPIs included: the ticket columns some ticket of
    the period carries a value in (spec "Rule (periods and rates)"); a period without tickets has the
    file's."""
    out: dict[str, dict[str, str | None]] = {}
    quarters: dict[str, set[str]] = {}
    for key in keys:
        columns = month_columns.get(key)
        out[month_label(key)] = kpi_presence(contract, data, columns)
        if columns is not None:
            quarters.setdefault(quarter_of(key), set()).update(columns)
    for key in keys:
        label = quarter_of(key)
        if label not in out:
            found = quarters.get(label)
            out[label] = kpi_presence(contract, data, None if found is None else frozenset(found))
    return out


def compute_values(
    tickets: pd.DataFrame,
    responses: pd.DataFrame,
    facts: OutageFacts,
    presence: dict[str, str | None],
    keys: list[int],
    contract: Contract,
    data: Dataset,
    shares: pd.DataFrame | None = None,
    by_period: dict[str, dict[str, str | None]] | None = None,
) -> pd.DataFrame:
    """KPI values for every month and quarter, overall and per breakdown member (the contract's own
    KPIs included: `shares` from custom_kpis.share_outcomes, measures from the file)."""
    counts = _month_counts(tickets, responses, facts, keys, contract, shares)
    if counts.empty:
        return pd.DataFrame(
            columns=["period", "dimension", "member", "kpi", "value", "numerator", "denominator", "no_data"]
        )
    counts["quarter"] = counts["period"].map(quarter_of)
    sums = [c for c in counts.columns if c not in ("period", "dimension", "member", "quarter")]
    quarter_counts = counts.groupby(["quarter", "dimension", "member"], as_index=False, sort=True)[sums].sum()
    quarter_counts = quarter_counts.rename(columns={"quarter": "period"})
    counts = counts.drop(columns="quarter")
    counts["period"] = counts["period"].map(month_label)
    formulas = custom_kpis.formulas(contract)
    values = kpi_values(
        pd.concat([counts, quarter_counts], ignore_index=True),
        presence,
        formulas,
        custom_kpis.measure_ids(contract),
        by_period,
    )
    values = without_absent_months(values, {month_label(k): quarter_of(k) for k in keys}, formulas)
    values = _with_measures(values, data, presence, keys, custom_kpis.measure_ids(contract))
    return values


def _month_counts(
    tickets: pd.DataFrame,
    responses: pd.DataFrame,
    facts: OutageFacts,
    keys: list[int],
    contract: Contract,
    shares: pd.DataFrame | None = None,
) -> pd.DataFrame:
    index = ["period", "dimension", "member"]
    frames = []
    base = pd.DataFrame({"period": keys, "dimension": "all", "member": ""})
    frames.append(base.set_index(index))
    if not tickets.empty:
        frames.append(ticket_counts(tickets.assign(period=tickets["month_key"])).set_index(index))
    if not responses.empty:
        frames.append(survey_counts(responses.assign(period=responses["month_key"])).set_index(index))
    if facts.given:
        frames.append(_outage_counts(facts, keys, contract).set_index(index))
    if shares is not None and not shares.empty:
        frames.append(custom_kpis.share_counts(shares.assign(period=shares["month_key"])).set_index(index))
    counts = pd.concat(frames, axis=1).fillna(0).reset_index()
    counts = counts.loc[counts["period"].isin(keys)]
    return counts.reset_index(drop=True)


def _outage_counts(facts: OutageFacts, keys: list[int], contract: Contract) -> pd.DataFrame:
    """Availability sums per month: overall rows and one row per service."""
    zone = contract.zone
    seconds = pd.Series({k: float(month_seconds(k, zone)) for k in keys})
    down = pd.Series(facts.downtime).reindex(seconds.index, fill_value=0.0)
    overall = pd.DataFrame(
        {
            "period": keys,
            "dimension": "all",
            "member": "",
            "month_seconds": seconds.to_numpy(),
            "downtime_seconds": down.to_numpy(),
            "up_seconds": (seconds - down).to_numpy(),
            # downtime is judged per month: a quarter's value is the mean over its months
            "downtime_minutes": down.to_numpy() / 60,
            "months": 1.0,
        }
    )
    inc = facts.incidents
    if not inc.empty:
        ended = inc.loc[~inc["open"]]
        per = ended.groupby("month_key").agg(
            incidents_ended=("duration", "size"),
            incident_minutes=("duration", lambda d: float(d.sum()) / 60),
            incidents_in_time=("restored_in_time", "sum"),
        )
        per = per.reindex(keys, fill_value=0)
        for col in per.columns:
            overall[col] = per[col].to_numpy(dtype="float64")
    services = sorted(facts.outages["service"].dropna().unique()) if not facts.outages.empty else []
    if not services:
        return overall
    grid = pd.MultiIndex.from_product([keys, services], names=["period", "member"])
    by = facts.downtime_by_service.rename(columns={"month_key": "period", "service": "member"})
    svc_down = by.groupby(["period", "member"])["seconds"].sum().reindex(grid, fill_value=0.0)
    per_service = svc_down.rename("downtime_seconds").reset_index()
    per_service["dimension"] = "service"
    per_service["member"] = per_service["member"].astype(str)
    per_service["month_seconds"] = per_service["period"].map(seconds).to_numpy()
    per_service["up_seconds"] = per_service["month_seconds"] - per_service["downtime_seconds"]
    per_service["downtime_minutes"] = per_service["downtime_seconds"] / 60
    per_service["months"] = 1.0
    return pd.concat([overall, per_service], ignore_index=True)


def _with_measures(
    values: pd.DataFrame,
    data: Dataset,
    presence: dict[str, str | None],
    keys: list[int],
    custom: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Reported measures give the value of measure KPIs, and of others whose source is absent.

    A quarter's measure is the mean of its months' reported values.
    """
    measures = measure_values(data)
    reported_kpis = {*MEASURE_KPIS, *custom}
    usable = measures["kpi"].isin([k for k in presence if k in reported_kpis or presence.get(k) is not None])
    measures = measures.loc[usable & measures["month"].isin({month_label(k) for k in keys})]
    if measures.empty:
        return values
    monthly = measures.groupby(["month", "kpi"], as_index=False)[["value"]].first()
    monthly["quarter"] = monthly["month"].map(lambda m: quarter_of(month_key(m)))
    quarterly = monthly.groupby(["quarter", "kpi"], as_index=False)[["value"]].mean()
    reported = pd.concat(
        [
            monthly.rename(columns={"month": "period"})[["period", "kpi", "value"]],
            quarterly.rename(columns={"quarter": "period"}),
        ],
        ignore_index=True,
    ).set_index(["period", "kpi"])["value"]
    overall = values["dimension"] == "all"
    index = pd.MultiIndex.from_arrays([values["period"], values["kpi"]])
    found = pd.Series(reported.reindex(index).to_numpy(), index=values.index)
    hit = overall & found.notna()
    values.loc[hit, "value"] = found[hit]
    values.loc[hit, "no_data"] = ""
    return values


def _distributions(tickets: pd.DataFrame) -> pd.DataFrame:
    if tickets.empty:
        return pd.DataFrame()
    months = distributions(tickets.assign(period=tickets["month"]))
    quarter = tickets["month_key"].map({k: quarter_of(k) for k in tickets["month_key"].unique()})
    quarters = distributions(tickets.assign(period=quarter))
    return pd.concat([months, quarters], ignore_index=True)


# ---------------------------------------------------------------- verdicts


def _finality(tickets: pd.DataFrame, keys: list[int], as_of: float, zone: ZoneInfo) -> dict[int, bool]:
    """Final = the month ended before as_of and has no pending ticket."""
    pending: set[int] = set()
    if not tickets.empty:
        open_rows = (tickets["response_status"] == "pending") | (tickets["resolution_status"] == "pending")
        pending = set(tickets.loc[open_rows, "month_key"].unique().tolist())
    return {k: month_start(k + 1, zone) <= as_of and k not in pending for k in keys}


Row = dict[Hashable, Any]  # a values frame's row as a record (mixed column types)
Overall = dict[str, dict[str, Row]]  # period → kpi → the whole-period row


def overall_index(values: pd.DataFrame) -> Overall:
    """The whole-period rows by period and KPI, built once per values frame."""
    index: Overall = {}
    for r in values.loc[values["dimension"] == "all"].to_dict("records"):
        index.setdefault(str(r["period"]), {})[str(r["kpi"])] = r
    return index


def _verdicts(
    contract: Contract,
    terms: Terms,
    overall: Overall,
    label: str,
    by_period: dict[str, dict[str, str | None]],
    judged: bool,
) -> list[Verdict]:
    rows = overall.get(label, {})
    presence = by_period.get(label, {})
    out = []
    for kpi in contract.kpi_ids:
        row = rows.get(kpi)
        value = None if row is None or pd.isna(row["value"]) else float(row["value"])
        num = None if row is None or pd.isna(row["numerator"]) else float(row["numerator"])
        den = None if row is None or pd.isna(row["denominator"]) else float(row["denominator"])
        why = (presence.get(kpi) or "no_events") if row is None else str(row["no_data"] or "")
        out.append(
            judge(
                kpi,
                value,
                num,
                den,
                terms.target(kpi),
                no_data=why,
                judged_period=judged,
                contract_start=contract.base.contract.effective_from.isoformat(),
                no_data_counts_as_missed=terms.contract.no_data_counts_as_missed,
                definition=custom_kpis.definition(contract, kpi),
                declared=contract.custom_kpi(kpi) is None or terms.custom_kpi(kpi) is not None,
            )
        )
    return out


def _judge_periods(
    contract: Contract,
    overall: Overall,
    keys: list[int],
    presence: dict[str, dict[str, str | None]],
    final: dict[int, bool],
    judged: dict[int, bool],
) -> list[PeriodResult]:
    out = []
    empty = Penalty(Decimal(0), Decimal(0), None, 0.0, False, True)
    for key in keys:
        terms = contract.terms_on(month_first_day(key))
        label = month_label(key)
        verdicts = _verdicts(contract, terms, overall, label, presence, judged[key])
        out.append(PeriodResult(label, (key,), terms, final[key], judged[key], verdicts, empty))
    return out


def _quarters(
    contract: Contract,
    overall: Overall,
    keys: list[int],
    presence: dict[str, dict[str, str | None]],
    final: dict[int, bool],
    judged: dict[int, bool],
    penalties: dict[int, Penalty],
) -> list[PeriodResult]:
    out = []
    for label in sorted({quarter_of(k) for k in keys}):
        months = quarter_months(label)
        terms = contract.terms_on(month_first_day(months[0]))
        inside = [k for k in months if k in penalties]
        is_judged = any(judged.get(k, False) for k in months)
        verdicts = _verdicts(contract, terms, overall, label, presence, is_judged)
        parts = [penalties[k] for k in inside]
        penalty = pooled_penalty(parts, terms.contract.monthly_fee)
        is_final = all(final.get(k, False) for k in months)
        out.append(PeriodResult(label, tuple(months), terms, is_final, is_judged, verdicts, penalty))
    return out


def _breached_items(tickets: pd.DataFrame) -> pd.DataFrame:
    if tickets.empty:
        return pd.DataFrame(columns=["month_key", "ticket_id", "priority", "target"])
    parts = []
    for target in ("response", "workaround", "resolution"):
        if f"{target}_status" not in tickets.columns:
            continue
        rows = tickets.loc[tickets[f"{target}_status"] == "breached", ["month_key", "ticket_id", "priority"]]
        parts.append(rows.assign(target=target))
    return pd.concat(parts, ignore_index=True).sort_values(
        ["month_key", "ticket_id", "target"], kind="stable"
    )


def _major_complaints(contract: Contract, tickets: pd.DataFrame, clocks: Clocks) -> pd.DataFrame:
    """The tickets the terms in force for their month call a major complaint (doc 002 §4.1), not
    excluded: ticket_id, month_key, version and the local day each was made."""
    columns = ["ticket_id", "month_key", "version", "day"]
    if tickets.empty or not any(t.obligations.major_complaint for t in contract.versions):
        return pd.DataFrame(columns=columns)
    version = tickets["version"].to_numpy()
    created = tickets["created"].to_numpy(dtype="float64")
    keep = np.zeros(len(tickets), dtype=bool)
    for v, terms in enumerate(contract.versions):
        rule = terms.obligations.major_complaint
        idx = np.flatnonzero(version == v)
        if rule is None or not idx.size:
            continue

        def in_hours(v: int = v, idx: np.ndarray = idx) -> np.ndarray:
            return clocks.calendar(v).in_working_time(created[idx])

        matcher = Matcher(tickets.iloc[idx], in_hours)
        keep[idx[matcher.mask(rule, terms)]] = True
    keep &= ~tickets["excluded"].to_numpy(dtype=bool)
    found = tickets.loc[keep, ["ticket_id", "month_key", "version", "created"]]
    local = pd.to_datetime(found["created"], unit="s", utc=True).dt.tz_convert(contract.zone.key)
    return found.assign(day=local.dt.date.to_numpy())[columns].sort_values(["month_key", "ticket_id"])


def _reported_months(data: Dataset) -> frozenset[int]:
    m = data.measures
    if m is None or m.empty:
        return frozenset()
    provider = m.loc[m["source"].fillna("").str.strip().str.lower() == "provider", "month"]
    out = set()
    for label in provider.dropna().unique():
        try:
            out.add(month_key(str(label)))
        except ValueError:
            continue
    return frozenset(out)


def _reconciliation(data: Dataset, values: pd.DataFrame) -> pd.DataFrame:
    """The provider's own figures beside ours; differences beyond rounding are flagged."""
    cols = ["month", "kpi", "provider_value", "computed_value", "difference", "flagged"]
    m = data.measures
    if m is None or m.empty:
        return pd.DataFrame(columns=cols)
    provider = m.loc[m["source"].fillna("").str.strip().str.lower() == "provider"]
    overall = values.loc[values["dimension"] == "all"].set_index(["period", "kpi"])["value"]
    rows = []
    for _, r in provider.iterrows():
        computed = overall.get((r["month"], r["kpi"]))
        computed = None if computed is None or pd.isna(computed) else float(computed)
        reported = float(r["value"])
        diff = None if computed is None else reported - computed
        tolerance = 5e-4 if r["kpi"] in ("csat_mean", "mttr_minutes", "unplanned_downtime_minutes") else 5e-5
        flagged = computed is None or abs(diff or 0) > tolerance * max(1.0, abs(computed or 0))
        rows.append([r["month"], r["kpi"], reported, computed, diff, flagged])
    return pd.DataFrame(rows, columns=cols)


def filtered_values(
    evaluation: Evaluation, data: Dataset, filters: dict[str, list[str]], months: Iterable[int] | None = None
) -> pd.DataFrame:
    """KPI values recomputed on the tickets and responses that match the filters (not verdicts).

    months: only these month keys (and the quarters they complete) — what a screen shows, when it
    needs less than the whole evaluation.
    """
    # only the columns the counts read are copied (a million tickets have some 40 columns), and each
    # frame once, with every filter's mask combined
    keys = sorted(set(months)) if months is not None else [k for m in evaluation.months for k in m.keys]
    only = None if months is None else keys
    tickets = _matching(evaluation.tickets, filters, [*TICKET_COLUMNS[1:], "month_key"], only)
    responses = _matching(evaluation.responses, filters, [*SURVEY_COLUMNS[1:], "month_key", "excluded"], only)
    shares = _matching(evaluation.shares, filters, list(custom_kpis.SHARE_COLUMNS), only)
    contract = evaluation.contract
    return compute_values(
        tickets,
        responses,
        evaluation.outages,
        kpi_presence(contract, data),
        keys,
        contract,
        data,
        shares,
        evaluation.presence,
    )


def _matching(
    frame: pd.DataFrame, filters: dict[str, list[str]], columns: list[str], months: list[int] | None = None
) -> pd.DataFrame:
    """The rows whose breakdown members the filters allow (in the given months), with the given columns."""
    if frame.empty:
        return frame
    keep = np.ones(len(frame), dtype=bool)
    if months is not None:
        keep &= np.isin(frame["month_key"].to_numpy(), months)
    for dim, members in filters.items():
        if dim in DIMENSIONS and members:
            keep &= frame[dim].fillna("").isin(members).to_numpy(dtype=bool)
    return frame[[c for c in dict.fromkeys(columns) if c in frame.columns]].loc[keep]
