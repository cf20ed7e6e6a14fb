"""Each period judged: finality, verdicts per month and quarter, the breached items penalties count,
major complaints, the provider's reported months and the reconciliation with its figures."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sla_core import custom_kpis
from sla_core.consequences import Penalty, pooled_penalty
from sla_core.contract import Contract, Terms
from sla_core.dataset import Dataset
from sla_core.evaluate_result import PeriodResult
from sla_core.outcomes import Clocks
from sla_core.periods import month_first_day, month_key, month_label, month_start, quarter_months, quarter_of
from sla_core.targets import Matcher
from sla_core.verdicts import Verdict, judge


def finality(tickets: pd.DataFrame, keys: list[int], as_of: float, zone: ZoneInfo) -> dict[int, bool]:
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


def judge_months(
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


def judge_quarters(
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


def breached_items(tickets: pd.DataFrame) -> pd.DataFrame:
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


def major_complaint_tickets(contract: Contract, tickets: pd.DataFrame, clocks: Clocks) -> pd.DataFrame:
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


def reported_months(data: Dataset) -> frozenset[int]:
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


def reconciliation(data: Dataset, values: pd.DataFrame) -> pd.DataFrame:
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
