"""One row per ticket or one row per status change, told from the file itself (spec "Rule (real files
as downloaded)"): a ticket id that repeats beside a change time and a state is a status history.

`ticket` and `history` (the command line's `--shape`, the Upload page's choice) only override what the
file shows. A status history read as one row per ticket keeps each ticket's latest row (by its change
time), which is what a "ticket list" of the same incidents would show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sla_core.dataset import EVENT_SCHEMA
from sla_core.ingest.collect import Collector
from sla_core.ingest.headers import IGNORE, header_text
from sla_core.ingest.presets import Preset, PresetChoice, header_key, recognise
from sla_core.ingest.synonyms import match_header, normalize
from sla_core.ingest.values import DateOrder, cells, naive_timestamps

ShapeChoice = Literal["auto", "ticket", "history"]
SHAPES: tuple[ShapeChoice, ...] = ("auto", "ticket", "history")
HISTORY_KEYS = ("ticket_id", "event_at", "state")


@dataclass(frozen=True)
class ShapeDecision:
    kind: Literal["tickets", "events"]  # how the file is read
    history: bool  # what the file looks like: one row per status change
    forced: bool  # the user's choice overrode the file
    positions: Mapping[str, int]  # the history's key columns (ticket_id, event_at, state) → position


def history_positions(
    headers: Sequence[str], mapping: Mapping[str, str] | None, presets: Sequence[Preset]
) -> dict[str, int]:
    """Where a status history's ticket id, change time and state would be: the user's mapping, else
    the status-history preset the headers match, else the synonyms."""
    user = {normalize(h): (t or "").strip() for h, t in (mapping or {}).items()}
    preset = recognise(headers, "events", presets)
    by_preset = {header_key(h): c for h, c in preset.columns.items()} if preset else {}
    out: dict[str, int] = {}
    for pos, header in enumerate(headers):
        if not header:
            continue
        target = user.get(normalize(header))
        if target is None and by_preset:
            target = by_preset.get(header_key(header))
        if target is None:
            target = match_header(header, "events")
        if target in HISTORY_KEYS and target not in out and target not in IGNORE:
            out[target] = pos
    return out


def _key_text(column: pd.Series) -> pd.Series:
    return column.map(header_text, na_action="ignore") if column.dtype == object else column.str.strip()


def repeats_at_other_times(body: pd.DataFrame, positions: Mapping[str, int]) -> bool:
    """Whether some ticket id appears beside two different change times."""
    ids = _key_text(body[positions["ticket_id"]])
    times = _key_text(body[positions["event_at"]])
    keep = (ids.fillna("") != "") & (times.fillna("") != "")
    if not keep.any():
        return False
    pairs = pd.DataFrame({"id": ids[keep], "t": times[keep]})
    return bool(pairs.drop_duplicates().shape[0] > pairs["id"].nunique())


def decide(
    choice: ShapeChoice,
    headers: Sequence[str],
    body: pd.DataFrame,
    mapping: Mapping[str, str] | None,
    presets: Sequence[Preset],
) -> ShapeDecision:
    positions = history_positions(headers, mapping, presets)
    complete = all(k in positions for k in HISTORY_KEYS)
    history = complete and repeats_at_other_times(body, positions)
    if choice == "history":
        return ShapeDecision("events", history, not history, positions)
    if choice == "ticket":
        return ShapeDecision("tickets", history, history, positions)
    return ShapeDecision("events" if history else "tickets", history, False, positions)


def latest_rows(
    body: pd.DataFrame, positions: Mapping[str, int], date_order: DateOrder | None
) -> pd.DataFrame:
    """Each ticket's last row of a status history: the latest change time, the file's later row on a
    tie (a row whose time cannot be read counts as the earliest)."""
    ids = _key_text(body[positions["ticket_id"]]).fillna("")
    naive = naive_timestamps(cells(body[positions["event_at"]]), date_order)
    seconds = naive.value.to_numpy(dtype="datetime64[s]").astype("int64")
    seconds = np.where(np.isnat(naive.value.to_numpy(dtype="datetime64[s]")), np.iinfo(np.int64).min, seconds)
    codes, _ = pd.factorize(ids)
    order = np.lexsort((np.arange(len(body)), seconds, codes))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = codes[order][1:] != codes[order][:-1]
    keep = np.sort(order[last])
    return body.iloc[keep]


def events_mapping(mapping: Mapping[str, str] | None) -> dict[str, str] | None:
    """A one-row-per-ticket mapping's entries that also mean something in a status history."""
    if not mapping:
        return None
    kept = {h: t for h, t in mapping.items() if (t or "").strip() in EVENT_SCHEMA or (t or "") in IGNORE}
    return kept or None


@dataclass(frozen=True)
class ReadAs:
    """How a tickets file is read, and the rows and mapping to read it with."""

    kind: Literal["tickets", "events"]
    body: pd.DataFrame
    mapping: dict[str, str] | None
    history: bool  # the file looks like a status history
    forced: bool
    earlier_rows: int = 0  # a status history read one row per ticket: the earlier rows set aside


def shape_of(
    choice: ShapeChoice,
    headers: Sequence[str],
    body: pd.DataFrame,
    mapping: dict[str, str] | None,
    date_order: DateOrder | None,
    presets: Sequence[Preset],
    preset_choice: PresetChoice,
    report: Collector,
) -> ReadAs:
    decision = decide(choice, headers, body, mapping, presets)
    if decision.kind == "events":
        return ReadAs("events", body, events_mapping(mapping), decision.history, decision.forced)
    if not decision.history:
        return ReadAs("tickets", body, mapping, False, decision.forced)
    wanted = preset_choice[0]
    preset = wanted if isinstance(wanted, Preset) else recognise(headers, "events", presets)
    latest = latest_rows(body, decision.positions, date_order or (preset.date_order if preset else None))
    earlier = len(body) - len(latest)
    report.add(
        "warning",
        "ingest.history_as_tickets",
        "文件是状态记录（每次状态变更一行），按要求每张工单只读一行：保留每张工单最后一次变更的那一行，"
        f"其余 {earlier:,} 行（较早的变更）未读入",
        "the file is a status history (one row per status change), read one row per ticket as asked: "
        f"each ticket's latest row is kept, the {earlier:,} earlier rows are set aside",
        value=str(earlier),
    )
    return ReadAs("tickets", latest, mapping, True, True, earlier)
