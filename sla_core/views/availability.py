"""The Availability screen: availability per month and service, the downtime budget, outages, incidents."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sla_core.availability import merge_intervals, split_by_month
from sla_core.evaluate import Evaluation, PeriodResult
from sla_core.periods import MonthGrid, month_seconds
from sla_core.views.common import Period, period_months


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


def _binding_budget(month: PeriodResult, seconds: float) -> float:
    """The month's allowed unplanned downtime in minutes: the stricter of what the availability target
    leaves (99.9% of 30 days: 43.2 min) and the contract's own limit on unplanned downtime (≤ 30 min)."""
    limits = []
    if (available := month.terms.target("availability")) is not None:
        limits.append((1 - float(available.value)) * seconds / 60)
    downtime = month.terms.target("unplanned_downtime_minutes")
    if downtime is not None and downtime.op in ("<=", "<"):
        limits.append(float(downtime.value))
    return min(limits) if limits else np.nan


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
        budget = _binding_budget(m, seconds)
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
        chosen_grid = MonthGrid.spanning(min(keys), max(keys), zone) if keys else None
        if chosen_grid is not None:
            lo, hi = chosen_grid.boundaries[0], chosen_grid.boundaries[-1]
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
