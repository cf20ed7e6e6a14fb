"""Status histories → tickets: the spec's "Rule (status history)", vectorised.

A status history (audit or event log) has one row per status change: ticket id, time, state, and maybe
the assignee, team or priority at that time, and the ticket's opened/created time. Per ticket:

- events are ordered by time (stably: events at the same second keep the file's order); events out of
  order in the file are put in order and reported; duplicate events (ticket, time, state) are dropped;
- created = the log's opened/created column when it has one, else the first event;
- first response = the first event whose state is not `new`; a ticket whose first event is already
  past `new` responded at once (0 s);
- a reopen = a move from resolved/closed to any other state; each reopen starts a cycle;
- resolution = the first entry into resolved/closed of the last cycle (resolved → closed is not a second
  resolution); closed = the first entry into closed of the last cycle; a last cycle without either is a
  ticket still open at the end of the log (reported);
- paused: the time in `pause` states (or in states the contract's `[pause] states` name, raw or
  canonical), and the time resolved/closed before a reopen — kept as intervals (`pause_intervals`), so
  that outcomes subtract exactly the business time they cover on the ticket's clock; a pause still
  running at the end of the log is open-ended;
- priority, assignee, team, category, channel, customer = the last known value; status = the last state;
- a ticket whose last state other than closed is `cancelled` is excluded with reason "cancelled".

Everything is numpy over arrays sorted by (ticket, time): segment starts, `reduceat` and cumulative
sums; no Python loop per event or per ticket.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.contract import Contract, Terms
from sla_core.dataset import ROW, SCHEMA, TIMESTAMP, conform
from sla_core.ingest.feeds import unfed_kpis
from sla_core.ingest.presets import Preset, by_id, state_table
from sla_core.ingest.result import IngestResult
from sla_core.ingest.rules import categories
from sla_core.ingest.synonyms import normalize
from sla_core.problems import Issue, error, warning

CODES = {"new": 0, "active": 1, "pause": 2, "resolved": 3, "closed": 4, "cancelled": 5}
NEW, ACTIVE, PAUSE, RESOLVED, CLOSED, CANCELLED = range(6)
REASONS = ("pause", "reopen")
_NONE = np.iinfo(np.int64).max  # "no such event" in minimum.reduceat
_CANCELLED_REASON = np.array([None, "cancelled"], dtype=object)  # indexed by "is cancelled" (0/1)
ATTRIBUTES = ("priority", "assignee", "team", "category", "channel", "customer")


@dataclass
class HistoryReport:
    """What a status history held and what was derived from it."""

    events: int = 0  # events used (after dropping duplicates and rows with errors)
    tickets: int = 0
    duplicates: int = 0  # duplicate events (ticket, time, state) dropped
    out_of_order: int = 0  # tickets whose events the file did not list in time order
    open_at_end: int = 0  # tickets not resolved (nor cancelled) at the end of the log
    cancelled: int = 0
    reopened: int = 0  # tickets reopened at least once
    reopens: int = 0
    paused: int = 0  # tickets with pause intervals
    unknown_states: list[str] = field(default_factory=list)  # raw states no preset maps (read as active)
    seconds: float = 0.0  # time the derivation took

    def summary(self, lang: str) -> str:
        if lang == "zh":
            return (
                f"{self.events:,} 条状态记录 → {self.tickets:,} 张工单；重开 {self.reopened:,} 张（共 {self.reopens:,} 次），"
                f"有挂起 {self.paused:,} 张，日志结束时未解决 {self.open_at_end:,} 张，已取消 {self.cancelled:,} 张；"
                f"删除重复记录 {self.duplicates:,} 条，{self.out_of_order:,} 张工单的记录顺序不按时间（已排序）"
            )
        return (
            f"{self.events:,} status changes → {self.tickets:,} tickets; {self.reopened:,} reopened "
            f"({self.reopens:,} reopens), {self.paused:,} with pauses, {self.open_at_end:,} still open at the "
            f"end of the log, {self.cancelled:,} cancelled; {self.duplicates:,} duplicate events dropped, "
            f"{self.out_of_order:,} tickets had events out of time order (sorted)"
        )


@dataclass
class Derived:
    tickets: pd.DataFrame  # one row per ticket: canonical ticket columns (category raw) + `_row`
    report: HistoryReport
    out_of_order_ids: list[str] = field(default_factory=list)
    open_ids: list[str] = field(default_factory=list)


def _seconds(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A UTC timestamp column → int64 epoch seconds and a mask of the present ones."""
    values = series.astype(TIMESTAMP).to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))
    present = ~np.isnat(values)
    return values.astype("int64"), present


def _iso_text(stamps: pa.Array) -> pa.Array:
    """UTC timestamps → "YYYY-MM-DDTHH:MM:SSZ" (Arrow's cast, far faster than strftime)."""
    text = pc.replace_substring(pc.cast(stamps, pa.string()), " ", "T")
    return pc.binary_join_element_wise(text, "Z", "")


def _last_known(values: pd.Series, order: np.ndarray, starts: np.ndarray) -> pd.Series:
    """Per ticket, the last non-blank value (events in time order: `order`)."""
    codes, uniques = pd.factorize(values, sort=False)
    codes = codes[order]
    idx = np.maximum.reduceat(np.where(codes >= 0, np.arange(len(codes)), -1), starts)
    picked = np.where(idx >= 0, codes[np.maximum(idx, 0)], -1)
    table = np.append(np.asarray(uniques, dtype=object), [None])
    return pd.Series(table[picked], dtype="string")


def classify_states(
    raw: Sequence[object], table: Mapping[str, str], pause_names: Iterable[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per distinct raw state: canonical code, whether it pauses the clock, and the unknown ones."""
    pauses = {normalize(n) for n in pause_names}
    codes, paused, unknown = [], [], []
    for value in raw:
        key = normalize(value)
        canonical = table.get(key)
        if canonical is None:
            unknown.append(str(value))
            canonical = "active"
        codes.append(CODES[canonical])
        paused.append(
            canonical == "pause" or key in pauses or (canonical != "active" and canonical in pauses)
        )
    return np.array(codes, dtype="int8"), np.array(paused, dtype=bool), unknown


def derive(events: pd.DataFrame, table: Mapping[str, str], pause_names: Iterable[str] = ()) -> Derived:
    """One ticket row per ticket of a canonical events frame (dataset.EVENT_SCHEMA + `_row`)."""
    began = time.perf_counter()
    report = HistoryReport()
    usable = (events["ticket_id"].notna() & events["event_at"].notna() & events["state"].notna()).to_numpy(
        bool
    )
    ev = events.loc[usable]
    tick_codes, tick_ids = pd.factorize(ev["ticket_id"], sort=False)
    t, _ = _seconds(ev["event_at"])
    raw_codes, raw_states = pd.factorize(ev["state"], sort=False)
    state_code, state_pauses, report.unknown_states = classify_states(list(raw_states), table, pause_names)
    n_all = len(ev)

    # out of order in the file: within a ticket (file order), a time earlier than the one before
    by_ticket = np.argsort(tick_codes, kind="stable")
    tk_f, t_f = tick_codes[by_ticket], t[by_ticket]
    backwards = (tk_f[1:] == tk_f[:-1]) & (t_f[1:] < t_f[:-1])
    late = np.unique(tk_f[1:][backwards])
    report.out_of_order = int(late.size)

    # time order per ticket, stable; then drop duplicate (ticket, time, state) events
    order = np.lexsort((np.arange(n_all), t, tick_codes))
    key = pd.DataFrame({"k": tick_codes[order], "t": t[order], "s": raw_codes[order]})
    duplicate = key.duplicated().to_numpy()
    report.duplicates = int(duplicate.sum())
    order = order[~duplicate]
    tk, t, rc = tick_codes[order], t[order], raw_codes[order]
    c, paused_state = state_code[rc], state_pauses[rc]
    n = len(order)
    report.events = n
    if n == 0:
        report.seconds = time.perf_counter() - began
        return Derived(pd.DataFrame(columns=["ticket_id", ROW]), report)

    first = np.ones(n, dtype=bool)
    first[1:] = tk[1:] != tk[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], n) - 1
    seg = np.cumsum(first) - 1  # ticket ordinal of each event
    has_next = np.append(~first[1:], False)
    next_t = np.append(t[1:], 0)

    done = (c == RESOLVED) | (c == CLOSED)
    prev_done = np.zeros(n, dtype=bool)
    prev_done[1:] = done[:-1]
    reopen = prev_done & ~done & ~first
    cum = np.cumsum(reopen)
    cycle = cum - cum[starts][seg]
    last_cycle = cycle[ends]
    in_last = cycle == last_cycle[seg]

    resolved = np.minimum.reduceat(np.where(in_last & done, t, _NONE), starts)
    closed = np.minimum.reduceat(np.where(in_last & (c == CLOSED), t, _NONE), starts)
    responded = np.minimum.reduceat(np.where(c != NEW, t, _NONE), starts)
    first_t = t[starts]

    created = first_t.copy()
    if "created_at" in ev:
        opened, present = _seconds(ev["created_at"])
        opened, present = opened[order], present[order]
        pick = np.minimum.reduceat(np.where(present, np.arange(n), _NONE), starts)
        has_opened = pick != _NONE
        created[has_opened] = opened[pick[has_opened]]
    at_once = c[starts] != NEW  # the log starts past `new`: responded at once
    first_response = np.where(at_once, created, responded)

    not_closed = np.maximum.reduceat(np.where(c != CLOSED, np.arange(n), -1), starts)
    cancelled = (not_closed >= 0) & (c[np.maximum(not_closed, 0)] == CANCELLED)

    # paused intervals: pause states before the final resolution, and resolved/closed before a reopen
    final = in_last & done
    is_pause = paused_state & ~final
    is_reopen = done & ~in_last
    interval = is_pause | is_reopen
    reason = is_reopen.astype("int8")
    same = np.zeros(n, dtype=bool)
    same[1:] = (
        interval[1:]
        & interval[:-1]
        & ~first[1:]
        & (reason[1:] == reason[:-1])
        & ((rc[1:] == rc[:-1]) | (reason[1:] == 1))
    )
    run_start = interval & ~same
    rows = np.flatnonzero(interval)
    bounds = np.flatnonzero(run_start[rows])
    run_first = rows[bounds]
    run_last = rows[np.append(bounds[1:], len(rows))[: len(bounds)] - 1]
    iv_start = t[run_first]
    iv_open = ~has_next[run_last]
    iv_end = next_t[run_last]
    iv_ticket = seg[run_first]
    # "start/end|reason|state" per interval, joined by ";" per ticket: Arrow kernels, no loop per row
    start_text = _iso_text(pa.array(iv_start, type=pa.timestamp("s")))
    end_text = pc.fill_null(_iso_text(pa.array(iv_end, type=pa.timestamp("s"), mask=iv_open)), "")
    names = [str(v).replace(";", " ").replace("|", " ") for v in raw_states]
    state_text = pa.array(names, type=pa.string()).take(pa.array(rc[run_first]))
    reason_text = pa.array(list(REASONS), type=pa.string()).take(pa.array(reason[run_first]))
    text = pc.binary_join_element_wise(
        pc.binary_join_element_wise(start_text, end_text, "/"), reason_text, state_text, "|"
    )
    owners, counts = np.unique(iv_ticket, return_counts=True)  # iv_ticket is ascending
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype("int32"))
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, text), ";")
    pauses = pd.Series(pd.NA, index=range(len(starts)), dtype="string")
    pauses.iloc[owners] = joined.to_numpy(zero_copy_only=False)

    def stamps(seconds: np.ndarray) -> pd.Series:
        present = seconds != _NONE
        values = np.where(present, seconds, 0).astype("datetime64[s]")
        values[~present] = np.datetime64("NaT")
        return pd.Series(values).dt.tz_localize("UTC").astype(TIMESTAMP)

    ids = pd.Series(np.asarray(tick_ids, dtype=object)[tk[starts]], dtype="string")
    out = pd.DataFrame(
        {
            "ticket_id": ids,
            "created_at": stamps(created),
            "first_response_at": stamps(first_response),
            "resolved_at": stamps(resolved),
            "closed_at": stamps(closed),
            "status": pd.Series(np.asarray(raw_states, dtype=object)[rc[ends]], dtype="string"),
            "reopened_count": pd.array(last_cycle, dtype="Int64"),
            "excluded": cancelled,
            "exclusion_reason": pd.Series(_CANCELLED_REASON[cancelled.astype(np.intp)], dtype="string"),
            "paused_minutes": pd.array([pd.NA] * len(starts), dtype="Float64"),
            "pause_intervals": pauses,
        }
    )
    for column in ATTRIBUTES:
        if column in ev and bool(ev[column].notna().any()):
            out[column] = _last_known(ev[column], order, starts)
    out[ROW] = pd.array(ev[ROW].to_numpy(dtype="int64")[order][starts], dtype="Int64")

    open_end = (resolved == _NONE) & ~cancelled
    report.tickets = len(starts)
    report.open_at_end = int(open_end.sum())
    report.cancelled = int(cancelled.sum())
    report.reopened = int((last_cycle > 0).sum())
    report.reopens = int(last_cycle.sum())
    report.paused = len(owners)
    report.seconds = time.perf_counter() - began
    return Derived(
        out,
        report,
        out_of_order_ids=[str(tick_ids[i]) for i in late[:20]],
        open_ids=ids[open_end].head(20).tolist(),
    )


def _pause_names(terms: Terms | Contract) -> list[str]:
    names: list[str] = []
    for version in terms.versions if isinstance(terms, Contract) else (terms,):
        names += [s for s in version.pause.states if s not in names]
    return names


def _cancelled_labels(terms: Terms | Contract) -> list[str]:
    labels: list[str] = []
    for version in terms.versions if isinstance(terms, Contract) else (terms,):
        labels += [s for s in version.statuses.cancelled if s not in labels]
    return labels


def _default_priority(tickets: pd.DataFrame, default: str | None) -> tuple[Issue | None, list[int]]:
    """Tickets whose history names no priority take the contract's default priority; without one,
    they are errors (spec "Rule (cancelled and unprioritised tickets)"). Returns the issue and the
    rows of the tickets in error."""
    if tickets.empty:
        return None, []
    if "priority" not in tickets:
        tickets["priority"] = pd.Series(pd.NA, index=tickets.index, dtype="string")
    blank = tickets["priority"].isna().to_numpy(dtype=bool)
    if not blank.any():
        return None, []
    count = int(blank.sum())
    if default:
        tickets.loc[blank, "priority"] = default
        return warning(
            "ingest.default_priority",
            f"{count:,} 张工单的状态记录中没有优先级，按合同的默认优先级 {default} 计",
            f"{count:,} tickets have no priority in their status history; they take the contract's "
            f"default priority {default}",
            value=default,
        ), []
    ids = ", ".join(str(t) for t in tickets.loc[blank, "ticket_id"].head(10))
    return error(
        "ingest.no_priority",
        f"{count:,} 张工单没有优先级（{ids}）：请在合同 [contract] 中设置 default_priority，或导出优先级列",
        f"{count:,} tickets have no priority ({ids}): set default_priority in the contract's [contract] "
        "table, or export the priority column",
        column="priority",
        value=str(count),
    ), [int(r) for r in tickets.loc[blank, ROW]]


def _located(issue: Issue, result: IngestResult) -> Issue:
    return issue.located(file=result.file_name, sheet=result.sheet)


def derive_result(
    events: IngestResult, terms: Terms | Contract, presets: Sequence[Preset] = ()
) -> IngestResult:
    """A status history's read result (`read_file(kind="events")`) → the tickets result to import."""
    last = terms.versions[-1] if isinstance(terms, Contract) else terms
    if events.frame is None:
        return dataclasses.replace(events, kind="tickets")
    preset = by_id(events.preset, presets) if events.preset else None
    frame = events.frame
    valid = ~frame[ROW].isin(list(events.error_rows)).to_numpy(dtype=bool)
    derived = derive(frame.loc[valid], state_table(preset, _cancelled_labels(terms)), _pause_names(terms))
    report = derived.report
    tickets = derived.tickets
    issues = list(events.issues)
    error_rows = set(events.error_rows)
    present = {
        "ticket_id",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "status",
        "reopened_count",
        "excluded",
        "exclusion_reason",
        "paused_minutes",
        "pause_intervals",
    }
    present |= {c for c in ATTRIBUTES if c in events.columns_present}
    priority_issue, unprioritised = _default_priority(tickets, last.contract.default_priority)
    if priority_issue is not None:
        issues.append(_located(priority_issue, events))
        present.add("priority")
        error_rows.update(unprioritised)
    if "category" in events.columns_present and "category" in tickets:
        tickets["category_raw"] = tickets["category"]
        tickets["category"], unmapped = categories(tickets["category"], last)
        present.add("category_raw")
        if unmapped:
            issues.append(
                _located(
                    warning(
                        "ingest.unmapped_categories",
                        f"以下类型不属于合同的任何类别，按原值保留并计为「其他」：{'、'.join(unmapped[:30])}",
                        "these categories match none of the contract's [categories] labels; kept as written "
                        f"and counted as other: {', '.join(unmapped[:30])}",
                        value=", ".join(unmapped),
                    ),
                    events,
                )
            )
    header = {v: k for k, v in events.mapping.items()}
    if not tickets.empty:
        created = tickets["created_at"]
        for milestone in ("first_response_at", "resolved_at", "closed_at"):
            before = (tickets[milestone] < created).fillna(False).to_numpy(dtype=bool)
            for _, row in tickets.loc[before].head(50).iterrows():
                issues.append(
                    _located(
                        error(
                            "ingest.before_created",
                            f"工单 {row['ticket_id']} 的状态记录早于其创建时间（{milestone}）",
                            f"ticket {row['ticket_id']}: its status history has {milestone} before the "
                            "ticket's created time",
                            row=int(row[ROW]),
                            column=header.get("created_at") or header.get("event_at"),
                            value=str(row["ticket_id"]),
                        ),
                        events,
                    )
                )
            error_rows.update(int(r) for r in tickets.loc[before, ROW])
    state_header = header.get("state")
    if report.unknown_states:
        listed = ", ".join(report.unknown_states[:30])
        issues.append(
            _located(
                warning(
                    "history.unknown_states",
                    f"以下状态没有对应的标准状态，按「处理中」计（可在预设中指定）：{listed}",
                    f"these states map to no canonical state and are read as active (set them in the preset): "
                    f"{listed}",
                    column=state_header,
                    value=listed,
                ),
                events,
            )
        )
    if report.duplicates:
        issues.append(
            _located(
                warning(
                    "history.duplicates",
                    f"删除了 {report.duplicates:,} 条重复的状态记录（同一工单、同一时间、同一状态）",
                    f"{report.duplicates:,} duplicate events (same ticket, time and state) were dropped",
                    value=str(report.duplicates),
                ),
                events,
            )
        )
    if report.out_of_order:
        listed = ", ".join(derived.out_of_order_ids)
        issues.append(
            _located(
                warning(
                    "history.out_of_order",
                    f"{report.out_of_order:,} 张工单的状态记录不按时间顺序排列，已按时间排序：{listed}",
                    f"{report.out_of_order:,} tickets had events out of time order; they were sorted by time: "
                    f"{listed}",
                    value=str(report.out_of_order),
                ),
                events,
            )
        )
    if report.open_at_end:
        listed = ", ".join(derived.open_ids)
        issues.append(
            _located(
                warning(
                    "history.open_at_end",
                    f"{report.open_at_end:,} 张工单在日志结束时仍未解决（按未完成计）：{listed}",
                    f"{report.open_at_end:,} tickets are still open at the end of the log (counted as not "
                    f"done): {listed}",
                    value=str(report.open_at_end),
                ),
                events,
            )
        )
    if report.cancelled:
        issues.append(
            _located(
                warning(
                    "history.cancelled",
                    f"{report.cancelled:,} 张已取消的工单按免责处理（原因 cancelled）",
                    f"{report.cancelled:,} cancelled tickets are excluded (reason: cancelled)",
                    value=str(report.cancelled),
                ),
                events,
            )
        )
    if tickets.empty:
        tickets = pd.DataFrame({"ticket_id": pd.Series(dtype="string"), ROW: pd.Series(dtype="Int64")})
    frame_out = conform("tickets", tickets)[[*SCHEMA["tickets"], ROW]]
    columns = frozenset(present & set(SCHEMA["tickets"]))
    return dataclasses.replace(
        events,
        frame=frame_out,
        kind="tickets",
        issues=sorted(issues, key=lambda i: (i.row is not None, i.row or 0)),
        error_rows=error_rows,
        columns_present=columns,
        history=report,
        unfed=unfed_kpis("tickets", columns, terms.kpi_ids),
    )


# ---------------------------------------------------------------- reading the stored intervals


def parse_intervals(intervals: pd.Series) -> pd.DataFrame:
    """`pause_intervals` cells → one row per interval: `pos` (the cell's position), `start`, `end` (epoch
    seconds, NaN while still running), `reason` (pause / reopen) and `state` (as the source wrote it).
    Arrow string kernels throughout; unreadable parts are dropped."""
    empty = pd.DataFrame({"pos": [], "start": [], "end": [], "reason": [], "state": []})
    objects = intervals.astype("string").to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]  # stubs: na_value=None is valid
    cells = pa.array(objects, type=pa.string())
    if len(cells) == 0 or cells.null_count == len(cells):
        return empty
    lists = pc.split_pattern(cells, ";")
    parts = pc.list_flatten(lists)
    pos = np.asarray(pc.list_parent_indices(lists), dtype="int64")
    fields = pc.split_pattern(parts, "|", max_splits=2)
    width = np.asarray(pc.list_value_length(fields).fill_null(0))
    ok = width >= 2
    if not ok.any():
        return empty
    fields = fields.filter(pa.array(ok))
    pos = pos[ok]
    span = pc.list_element(fields, 0)
    reason = pc.list_element(fields, 1)
    state = _third(fields, width[ok])
    bounds = pc.split_pattern(span, "/", max_splits=1)
    start = _epoch_of(pc.list_element(bounds, 0))
    end_text = pc.if_else(pc.equal(pc.list_value_length(bounds), 2), _second(bounds), "")
    end = _epoch_of(end_text)
    out = pd.DataFrame(
        {
            "pos": pos,
            "start": start,
            "end": end,
            "reason": np.asarray(reason.to_numpy(zero_copy_only=False), dtype=object),
            "state": np.asarray(state.to_numpy(zero_copy_only=False), dtype=object),
        }
    )
    readable: pd.DataFrame = out.loc[~np.isnan(out["start"].to_numpy())]
    return readable.reset_index(drop=True)


def _second(lists: pa.Array) -> pa.Array:
    padded = pc.list_slice(lists, 1, 2)
    return pc.list_flatten(
        pc.if_else(pc.equal(pc.list_value_length(padded), 1), padded, pa.scalar([""], pa.list_(pa.string())))
    )


def _third(lists: pa.Array, width: np.ndarray) -> pa.Array:
    padded = pc.list_slice(lists, 2, 3)
    return pc.list_flatten(pc.if_else(pa.array(width >= 3), padded, pa.scalar([""], pa.list_(pa.string()))))


def _epoch_of(text: pa.Array) -> np.ndarray:
    """ "YYYY-MM-DDTHH:MM:SSZ" → epoch seconds (NaN where blank or unreadable)."""
    stamps = pc.strptime(text, format="%Y-%m-%dT%H:%M:%SZ", unit="s", error_is_null=True)
    values = pc.cast(stamps, pa.int64()).to_numpy(zero_copy_only=False)
    return np.asarray(pd.array(values, dtype="Float64").to_numpy(dtype="float64", na_value=np.nan))


def looks_like_history(result: IngestResult) -> bool:
    """Whether a tickets read looks like a status history: an event-log preset matches its headers, or
    ticket ids repeat in a file that has a status column."""
    if result.looks_like_history:
        return True
    return "status" in result.columns_present and any(i.code == "ingest.duplicate_id" for i in result.issues)
