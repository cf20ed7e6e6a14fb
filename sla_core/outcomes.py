"""Per-ticket outcomes: response and resolution time on the priority's clock, judged against targets.

Everything is vectorised: each ticket is looked up in a small (version, priority) table of targets,
and business time comes from the calendar's cumulative working seconds — a few numpy passes for a
million tickets. Rules implemented (spec "Rule (tickets)", "Rule (as_of)", "Rule (feedback handling)"):

- timestamps after as_of count as blank; tickets created after as_of are left out;
- resolved = resolved_at, else closed_at (with a warning);
- response = created → min(first_response_at, resolved); pauses never touch it — but only in months
  where some ticket carries a first_response_at: elsewhere the response is `no_data` (never the
  resolution time), with a warning naming the column;
- resolution = created → resolved minus paused time, floored at 0;
- met (≤ target, inclusive) / breached / pending (not done, still within target) / excluded;
- each milestone's target and clock are the priority's unless a `[[targets]]` rule sets them
  (`targets.py`); the workaround (temporary fix) is judged only where a rule gives it a target and the
  export has a `workaround_at` column: workaround = created → min(workaround_at, resolved) (a ticket
  solved outright had its temporary fix then), no status (None) for tickets without that target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from sla_core.calendar import WALL_CLOCK, BusinessCalendar, Clock, build_calendar
from sla_core.contract import Contract
from sla_core.dataset import Dataset
from sla_core.periods import MonthGrid, epochs, month_first_day
from sla_core.problems import Issue, warning
from sla_core.targets import ticket_targets

MILESTONES = ("first_response_at", "resolved_at", "closed_at", "classified_at", "workaround_at")


@dataclass
class Clocks:
    """Business calendars per contract version (versions may change the calendar), built once."""

    contract: Contract
    first_day: date
    last_day: date
    _calendars: dict[int, BusinessCalendar] = field(default_factory=dict)

    def calendar(self, version: int) -> BusinessCalendar:
        if version not in self._calendars:
            terms = self.contract.versions[version]
            self._calendars[version] = build_calendar(
                terms.calendar, terms.contract.timezone, self.first_day, self.last_day
            )
        return self._calendars[version]

    def clock(self, version: int, kind: str) -> Clock:
        return self.calendar(version) if kind == "business" else WALL_CLOCK


def version_index(contract: Contract, month_keys: np.ndarray) -> np.ndarray:
    """The index (into contract.versions) of the terms in force on each month's first day."""
    out = np.zeros(month_keys.shape, dtype="int64")
    for key in np.unique(month_keys):
        if key < 0:
            continue
        terms = contract.terms_on(month_first_day(int(key)))
        out[month_keys == key] = contract.versions.index(terms)
    return out


def _elapsed(
    clocks: Clocks, version: np.ndarray, kind: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Elapsed time from start to end on each row's clock (NaN where either is blank)."""
    out = np.full(start.shape, np.nan)
    # (version, clock) pairs as one small integer: np.unique on the clock names themselves sorts a
    # million Python strings (seconds), factorize hashes them once
    kinds, names = pd.factorize(kind)
    pair = version.astype("int64") * len(names) + kinds
    for p in np.unique(pair):
        mask = pair == p
        v, k = divmod(int(p), len(names))
        clock = clocks.clock(v, str(names[k]))
        out[mask] = clock.elapsed(start[mask], end[mask])
    return out


@dataclass
class TicketOutcomes:
    frame: pd.DataFrame
    issues: list[Issue]
    columns: frozenset[str]
    # month key → the columns some ticket of that month carries a value in (spec "Rule (periods and
    # rates)": a column held for other months but empty in this one is absent for this one)
    month_columns: dict[int, frozenset[str]] = field(default_factory=dict)


# Columns whose blank cells are stored as values (false): present in a month when the file had them.
VALUED_BLANKS = frozenset({"first_contact_resolved", "suggestion_adopted", "excluded"})


def month_columns(
    tickets: pd.DataFrame, month_key: np.ndarray, columns: frozenset[str]
) -> dict[int, frozenset[str]]:
    """Per month, the file's columns that some ticket of the month carries a value in (a bincount of
    the filled cells per month: one pass per column, no sort)."""
    months, codes = np.unique(month_key, return_inverse=True)
    out = {int(k): set(columns & VALUED_BLANKS) for k in months}
    for column in columns - VALUED_BLANKS:
        if column not in tickets.columns:
            continue
        filled = tickets[column].notna().to_numpy(dtype=bool)
        counts = np.bincount(codes[filled], minlength=len(months))
        for key in months[counts > 0]:
            out[int(key)].add(column)
    return {k: frozenset(v) for k, v in out.items()}


STATUS_NO_DATA = "no_data"  # a response not measured: the month has no first-response column


def _target_table(contract: Contract) -> pd.DataFrame:
    rows = [
        (v, p.id, p.clock, p.response, p.resolution)
        for v, terms in enumerate(contract.versions)
        for p in terms.priorities
    ]
    return pd.DataFrame(
        rows, columns=["version", "priority", "clock", "response_target", "resolution_target"]
    )


STATUSES = np.array(["met", "breached", "pending", "excluded"], dtype=object)


def _status(done: np.ndarray, elapsed: np.ndarray, target: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """met / breached / pending / excluded per ticket (an object array of those four strings).

    Chosen as small integer codes, then looked up: building the strings with np.where and casting
    them to object costs a second per million tickets."""
    code = np.where(done, np.where(elapsed <= target, 0, 1), np.where(elapsed > target, 1, 2))
    code[np.isnan(target) | excluded] = 3
    return STATUSES[code]


def compute_outcomes(contract: Contract, data: Dataset, as_of: float, clocks: Clocks) -> TicketOutcomes:
    tickets = data.tickets
    columns = data.columns.get("tickets", frozenset())
    issues: list[Issue] = []
    if tickets is None or tickets.empty:
        return TicketOutcomes(pd.DataFrame(), issues, columns)
    created = epochs(tickets["created_at"])
    keep = created <= as_of
    t = tickets.loc[keep].reset_index(drop=True)
    created = created[keep]
    times = {}
    for col in MILESTONES:
        if col not in t.columns:  # (workaround_at: only when the export has it)
            times[col] = np.full(len(t), np.nan)
            continue
        values = epochs(t[col])
        values[values > as_of] = np.nan  # known only at as_of
        times[col] = values

    zone = contract.zone
    grid = MonthGrid.spanning(clocks_first_key(clocks), clocks_last_key(clocks), zone)
    month_key = grid.key_of(created)
    version = version_index(contract, month_key)

    frame = pd.DataFrame(
        {
            "ticket_id": t["ticket_id"].astype("string"),
            "month_key": month_key,
            "version": version,
            "priority": t["priority"].astype("string"),
        }
    )
    targets = _target_table(contract)
    frame = frame.merge(targets, on=["version", "priority"], how="left", sort=False)
    unknown = frame["clock"].isna()
    if unknown.any():
        bad = sorted(frame.loc[unknown, "priority"].dropna().unique().tolist())
        issues.append(
            warning(
                "tickets.priority_not_in_terms",
                f"{int(unknown.sum())} 张工单的优先级 {', '.join(bad)} 不在当月有效的合同条款中，已按免责处理",
                f"{int(unknown.sum())} tickets have priority {', '.join(bad)}, which the terms in force "
                "for their month do not define; they are excluded",
                column="priority",
            )
        )
    frame["clock"] = frame["clock"].fillna("24x7")
    for col in ("category", "category_raw", "channel", "customer"):
        frame[col] = t[col].astype("string").to_numpy()
    chosen = ticket_targets(contract, frame, created, lambda v, at: clocks.calendar(v).in_working_time(at))
    frame = pd.concat([frame.drop(columns=["response_target", "resolution_target"]), chosen], axis=1)

    resolved = times["resolved_at"].copy()
    from_closed = np.isnan(resolved) & ~np.isnan(times["closed_at"])
    if from_closed.any():
        issues.append(
            warning(
                "tickets.closed_as_resolved",
                f"{int(from_closed.sum())} 张工单没有解决时间，已用关闭时间代替",
                f"{int(from_closed.sum())} tickets have no resolved time; their closed time is used instead",
                column="resolved_at",
            )
        )
    resolved = np.where(from_closed, times["closed_at"], resolved)
    by_month = month_columns(t, month_key, columns)
    with_response = [k for k, cols in by_month.items() if "first_response_at" in cols]
    measured = np.isin(month_key, np.array(with_response, dtype="int64"))
    acknowledged = np.fmin(times["first_response_at"], resolved)  # a complaint answered by its solution
    response_end = np.where(measured, acknowledged, np.nan)
    issues += _no_first_response(month_key, measured, columns)

    excluded = t["excluded"].to_numpy(dtype=bool) | (
        t["exclusion_reason"].fillna("").str.strip().str.len().to_numpy() > 0
    )
    reason = t["exclusion_reason"].astype("string")
    reason = reason.where(~(pd.Series(excluded) & reason.isna()), "excluded")
    reason = reason.where(~unknown.to_numpy(), "priority not in terms")
    excluded = excluded | unknown.to_numpy()

    v = frame["version"].to_numpy()
    kind = frame["resolution_clock"].to_numpy()
    now = np.full(created.shape, as_of)
    responded = ~np.isnan(response_end)
    is_resolved = ~np.isnan(resolved)
    response = _elapsed(
        clocks, v, frame["response_clock"].to_numpy(), created, np.where(responded, response_end, now)
    )
    gross = _elapsed(clocks, v, kind, created, np.where(is_resolved, resolved, now))
    paused = (t["paused_minutes"].astype("Float64").fillna(0).to_numpy(dtype="float64") * 60).round()
    if "pause_intervals" in t.columns:  # derived from a status history: exact business time paused
        stop = np.where(is_resolved, resolved, as_of)
        derived, has = _paused_in_intervals(t["pause_intervals"], clocks, v, kind, created, stop)
        paused = np.where(has, derived, paused)
    resolution = np.maximum(gross - paused, 0)
    response = np.maximum(response, 0)

    r_target = frame["response_target"].to_numpy(dtype="float64")
    s_target = frame["resolution_target"].to_numpy(dtype="float64")
    frame["response_seconds"] = pd.array(np.where(measured, response, np.nan), dtype="Float64").astype(
        "Int64"
    )
    frame["resolution_seconds"] = resolution.astype("int64")
    frame["paused_seconds"] = paused.astype("int64")
    frame["response_status"] = _status(responded, response, r_target, excluded)
    frame.loc[~measured & ~excluded, "response_status"] = STATUS_NO_DATA
    frame["resolution_status"] = _status(is_resolved, resolution, s_target, excluded)
    _workaround(frame, clocks, created, times["workaround_at"], resolved, now, excluded, columns)
    frame["responded"] = responded
    frame["resolved"] = is_resolved
    frame["excluded"] = excluded
    frame["exclusion_reason"] = reason.where(pd.Series(excluded)).astype("string")

    frame["created"] = created
    frame["response_end"] = response_end
    frame["acknowledged"] = acknowledged
    frame["resolved_time"] = resolved
    frame["classified"] = times["classified_at"]
    for col in ("team", "category", "category_raw", "channel", "customer", "assignee", "status"):
        frame[col] = t[col].astype("string")
    frame["first_contact_resolved"] = t["first_contact_resolved"].to_numpy(dtype=bool)
    frame["reopened"] = t["reopened_count"].fillna(0).to_numpy(dtype="int64") > 0
    frame["suggestion_adopted"] = t["suggestion_adopted"].to_numpy(dtype=bool)
    frame["_row"] = t["_row"] if "_row" in t.columns else pd.array(range(2, len(t) + 2), dtype="Int64")
    frame["feedback_status"] = _feedback_status(contract, frame, clocks, as_of, columns)
    return TicketOutcomes(frame, issues, columns, by_month)


def _no_first_response(month_key: np.ndarray, measured: np.ndarray, columns: frozenset[str]) -> list[Issue]:
    """One warning naming the first-response column when some month's responses cannot be measured."""
    if measured.all():
        return []
    if "first_response_at" not in columns:
        return [
            warning(
                "tickets.no_first_response",
                "工单文件没有「首次响应时间」列（first_response_at）：首次响应达标率无数据（不用解决时间代替）",
                "the tickets have no first-response column (first_response_at): response within target is "
                "no data (the resolution time never stands in for it)",
                column="first_response_at",
            )
        ]
    from sla_core.periods import month_label

    months = sorted({month_label(int(k)) for k in np.unique(month_key[~measured])})
    listed = ", ".join(months)
    return [
        warning(
            "tickets.no_first_response",
            f"{listed} 没有任何工单有「首次响应时间」（first_response_at）：这些月份的首次响应达标率无数据",
            f"no ticket of {listed} carries a first-response time (first_response_at): response within "
            "target is no data for those months",
            column="first_response_at",
            value=listed,
        )
    ]


def _workaround(
    frame: pd.DataFrame,
    clocks: Clocks,
    created: np.ndarray,
    workaround_at: np.ndarray,
    resolved: np.ndarray,
    now: np.ndarray,
    excluded: np.ndarray,
    columns: frozenset[str],
) -> None:
    """workaround_seconds (Int64, NA where not measured) and workaround_status (None where not judged):
    judged where a rule sets a workaround target and the export has the column."""
    target = frame["workaround_target"].to_numpy(dtype="float64")
    measured = ~np.isnan(target) & ("workaround_at" in columns)
    end = np.fmin(workaround_at, resolved)
    done = ~np.isnan(end)
    seconds = np.full(len(frame), np.nan)
    status = np.full(len(frame), None, dtype=object)
    if measured.any():
        rows = np.flatnonzero(measured)
        took = _elapsed(
            clocks,
            frame["version"].to_numpy()[rows],
            frame["workaround_clock"].to_numpy()[rows],
            created[rows],
            np.where(done[rows], end[rows], now[rows]),
        )
        seconds[rows] = np.maximum(took, 0)
        status[rows] = _status(done[rows], seconds[rows], target[rows], excluded[rows])
    status[excluded & ~np.isnan(target)] = "excluded"
    frame["workaround_end"] = end
    frame["workaround_seconds"] = pd.array(np.where(np.isnan(seconds), None, seconds), dtype="Int64")  # type: ignore[call-overload]
    frame["workaround_status"] = status


def _paused_in_intervals(
    intervals: pd.Series,
    clocks: Clocks,
    version: np.ndarray,
    kind: np.ndarray,
    created: np.ndarray,
    stop: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per ticket, the time on its clock inside its pause intervals, each clipped to [created, stop]
    (stop = resolved, else as_of; an interval still running ends there); and which tickets have any
    readable interval (a cell with none says nothing: the file's paused minutes stand)."""
    from sla_core.ingest.history import parse_intervals

    n = len(created)
    iv = parse_intervals(intervals)
    pos = iv["pos"].to_numpy(dtype="int64")
    has = np.bincount(pos, minlength=n) > 0
    paused = np.zeros(n, dtype="float64")
    if not has.any():
        return paused, has
    start = np.maximum(iv["start"].to_numpy(dtype="float64"), created[pos])
    end = np.fmin(iv["end"].to_numpy(dtype="float64"), stop[pos])  # NaN end: still running
    keep = end > start
    if keep.any():
        took = _elapsed(clocks, version[pos[keep]], kind[pos[keep]], start[keep], end[keep])
        paused += np.bincount(pos[keep], weights=np.maximum(took, 0), minlength=n)
    return np.round(paused), has


def clocks_first_key(clocks: Clocks) -> int:
    return clocks.first_day.year * 12 + clocks.first_day.month - 1


def clocks_last_key(clocks: Clocks) -> int:
    return clocks.last_day.year * 12 + clocks.last_day.month - 1


def _feedback_status(
    contract: Contract, frame: pd.DataFrame, clocks: Clocks, as_of: float, columns: frozenset[str]
) -> np.ndarray:
    """on_time / late / pending per complaint or feedback ticket; None for the others.

    Milestones run from created on the feedback clock without pauses; a milestone whose column the
    file lacks is not judged; a blank one is late once its deadline has passed at as_of.
    """
    out = np.full(len(frame), None, dtype=object)
    judged_columns = {
        "acknowledge": bool(columns & {"first_response_at", "resolved_at", "closed_at"}),
        "classify": "classified_at" in columns,
        "process": bool(columns & {"resolved_at", "closed_at"}),
    }
    ends = {"acknowledge": "acknowledged", "classify": "classified", "process": "resolved_time"}
    category = frame["category"].fillna("").to_numpy(dtype=object)
    for v, terms in enumerate(contract.versions):
        feedback = terms.feedback
        rows = (frame["version"].to_numpy() == v) & np.isin(category, list(feedback.categories))
        rows &= ~frame["excluded"].to_numpy()
        if not rows.any():
            continue
        clock = clocks.clock(v, feedback.clock)
        created = frame["created"].to_numpy()[rows]
        so_far = clock.elapsed(created, np.full(created.shape, as_of))
        late = np.zeros(created.shape, dtype=bool)
        pending = np.zeros(created.shape, dtype=bool)
        any_judged = False
        for milestone, judged in judged_columns.items():
            if not judged:
                continue
            any_judged = True
            target = getattr(feedback, milestone)
            end = frame[ends[milestone]].to_numpy()[rows]
            done = ~np.isnan(end)
            took = clock.elapsed(created, np.where(done, end, as_of))
            late |= np.where(done, took > target, so_far > target)
            pending |= ~done & (so_far <= target)
        if not any_judged:
            continue
        out[rows] = np.where(late, "late", np.where(pending, "pending", "on_time"))
    return out
