"""Outages → unplanned downtime per month, availability, incidents, MTTR (spec "Rule (availability)").

- An outage is planned only if flagged planned and, when the contract sets a notice, announced at
  least that long before it starts; otherwise it is unplanned.
- Unplanned downtime = the union of unplanned intervals of all services, split at local month ends.
- An incident = one service's overlapping or touching unplanned outages merged; MTTR is the mean
  duration (24x7) of incidents that started in the month and have ended.
- An outage without an end runs to as_of (with a warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sla_core.contract import Contract
from sla_core.dataset import Dataset
from sla_core.periods import MonthGrid, epochs
from sla_core.problems import Issue, warning


@dataclass
class OutageFacts:
    given: bool  # an outage input exists (a month without outages then has availability 1.0)
    outages: pd.DataFrame  # annotated input rows: start, end, open, planned_effective, unplanned_reason
    incidents: pd.DataFrame  # service, start, end, open, month_key, duration, restored_in_time
    downtime: dict[int, float] = field(default_factory=dict)  # month key → unplanned seconds (all services)
    downtime_by_service: pd.DataFrame = field(default_factory=pd.DataFrame)  # month_key, service, seconds
    issues: list[Issue] = field(default_factory=list)


def merge_intervals(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of [start, end) intervals; overlapping or touching ones merge."""
    if start.size == 0:
        return start, end
    order = np.argsort(start, kind="stable")
    s, e = start[order], end[order]
    reach = np.maximum.accumulate(e)
    new_group = np.concatenate([[True], s[1:] > reach[:-1]])
    group = np.cumsum(new_group) - 1
    starts = s[new_group]
    ends = np.zeros(starts.size)
    np.maximum.at(ends, group, e)
    return starts, ends


def split_by_month(start: np.ndarray, end: np.ndarray, grid: MonthGrid) -> np.ndarray:
    """Seconds of the intervals inside each month of the grid (one number per month)."""
    lo, hi = grid.boundaries[:-1, None], grid.boundaries[1:, None]
    overlap = np.clip(np.minimum(end[None, :], hi) - np.maximum(start[None, :], lo), 0, None)
    seconds: np.ndarray = overlap.sum(axis=1)
    return seconds


def outage_facts(contract: Contract, data: Dataset, as_of: float, grid: MonthGrid) -> OutageFacts:
    raw = data.outages
    if raw is None:
        return OutageFacts(False, pd.DataFrame(), pd.DataFrame())
    issues: list[Issue] = []
    start = epochs(raw["start"])
    keep = start <= as_of
    o = raw.loc[keep].reset_index(drop=True).copy()
    o["start_s"] = start[keep]
    end = epochs(o["end"])
    end[end > as_of] = np.nan
    is_open = np.isnan(end)
    if is_open.any():
        # times as the contract's people read them (the stored values are UTC)
        zone = contract.zone
        until = pd.Timestamp(as_of, unit="s", tz="UTC").tz_convert(zone).strftime("%Y-%m-%d %H:%M:%S")
        for _, row in o.loc[is_open].iterrows():
            began = pd.Timestamp(row["start"]).tz_convert(zone).strftime("%Y-%m-%d %H:%M:%S")
            issues.append(
                warning(
                    "outages.no_end",
                    f"故障 {row['service']}（开始于 {began}）没有结束时间，按持续到评估时点 {until} 计算",
                    f"outage of {row['service']} starting {began} has no end; "
                    f"it counts as down until the evaluation's as-of time, {until}",
                    row=int(row["_row"]) if pd.notna(row.get("_row")) else None,
                    column="end",
                )
            )
    o["end_s"] = np.where(is_open, as_of, end)
    o["open"] = is_open
    announced = epochs(o["announced_at"])
    announced[announced > as_of] = np.nan
    notice = contract.base.availability.notice
    planned = o["planned"].to_numpy(dtype=bool)
    in_time = (
        np.ones(len(o), dtype=bool) if notice is None else (announced <= o["start_s"].to_numpy() - notice)
    )
    o["planned_effective"] = planned & in_time
    o["unplanned_reason"] = np.where(planned & ~in_time, "late_notice", np.where(planned, "", "unplanned"))

    unplanned = o.loc[~o["planned_effective"]]
    u_start = unplanned["start_s"].to_numpy(dtype="float64")
    u_end = unplanned["end_s"].to_numpy(dtype="float64")
    m_start, m_end = merge_intervals(u_start, u_end)
    per_month = split_by_month(m_start, m_end, grid)
    downtime = {grid.first + i: float(v) for i, v in enumerate(per_month)}

    by_service = []
    incidents = []
    for service, rows in unplanned.groupby("service", sort=True):
        s_start, s_end = merge_intervals(rows["start_s"].to_numpy(float), rows["end_s"].to_numpy(float))
        seconds = split_by_month(s_start, s_end, grid)
        by_service += [(grid.first + i, service, float(v)) for i, v in enumerate(seconds) if v > 0]
        open_ends = rows.loc[rows["open"], "start_s"].to_numpy(float)
        for a, b in zip(s_start, s_end, strict=True):
            still_open = bool(((open_ends >= a) & (open_ends <= b)).any())
            incidents.append((service, a, b, still_open))
    inc = pd.DataFrame(incidents, columns=["service", "start", "end", "open"])
    if not inc.empty:
        inc["month_key"] = grid.key_of(inc["start"].to_numpy(float))
        inc["duration"] = inc["end"] - inc["start"]
        restore = contract.base.availability.restore_within
        inc["restored_in_time"] = (~inc["open"]) & (inc["duration"] <= restore)
    downtime_by_service = pd.DataFrame(by_service, columns=["month_key", "service", "seconds"])
    return OutageFacts(True, o, inc, downtime, downtime_by_service, issues)
