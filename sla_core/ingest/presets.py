"""Import presets: what one helpdesk's export looks like, as data.

A preset names a source's columns as the source writes them (header → canonical column, "" = ignore),
its day/month order (used only when the values leave it open), its extra missing-value markers and
yes/no words, its priority values as levels (1 = most urgent; level n is the contract's n-th priority,
the last one for larger n; the contract's own labels win), and its raw states → canonical states
(new, active, pause, resolved, closed, cancelled). `shape` says whether a file holds one row per ticket
or one row per status change (a status history, see `history.py`).

`recognise` picks the preset whose headers a file carries best; the user can choose another one, or save
their own per contract (`Preset.to_dict` / `Preset.from_dict`, kept by the store).

Where each preset's names come from is cited beside it: the vendor's documentation where it lists the
export's columns, else the product's own source code that writes the export.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.contract import CANONICAL_STATES, Terms
from sla_core.ingest.builtin_presets import (
    BKITSM,
    BUILTIN,
    CHINESE,
    FRESHDESK,
    GENERIC_STATES,
    GLPI,
    JIRA,
    OSTICKET,
    OTRS,
    SERVICENOW,
    VOLVO,
    ZAMMAD,
    ZENDESK,
)
from sla_core.ingest.preset_model import IGNORE, MIN_MATCHED, Preset, Shape, header_key
from sla_core.ingest.synonyms import normalize
from sla_core.ingest.values import DateOrder

if TYPE_CHECKING:
    from sla_core.ingest.result import IngestResult

__all__ = [
    "BKITSM",
    "BUILTIN",
    "CHINESE",
    "FRESHDESK",
    "GENERIC_STATES",
    "GLPI",
    "IGNORE",
    "JIRA",
    "OSTICKET",
    "OTRS",
    "SERVICENOW",
    "VOLVO",
    "ZAMMAD",
    "ZENDESK",
    "Preset",
    "Shape",
    "header_key",
]


def by_id(preset_id: str, extra: Iterable[Preset] = ()) -> Preset | None:
    for preset in (*extra, *BUILTIN):
        if preset.id == preset_id:
            return preset
    return None


def _required(shape: Shape) -> tuple[str, ...]:
    return ("ticket_id", "event_at", "state") if shape == "events" else ("ticket_id", "created_at")


def score(preset: Preset, headers: Iterable[str]) -> int:
    """How many of the preset's headers the file has; 0 unless its key columns are among them."""
    have = {header_key(h) for h in headers if h}
    matched = preset.keys() & have
    found = {preset.columns[h] for h in preset.columns if header_key(h) in matched}
    if not set(_required(preset.shape)) <= found:
        return 0
    return len(matched) if len(matched) >= MIN_MATCHED else 0


def recognise(
    headers: Sequence[str], shape: Shape | None = None, extra: Iterable[Preset] = ()
) -> Preset | None:
    """The preset (of that shape) whose headers the file carries most of; user presets first on ties."""
    best: tuple[int, float, int] = (0, 0.0, 0)
    chosen: Preset | None = None
    candidates = [*extra, *BUILTIN]
    for rank, preset in enumerate(candidates):
        if shape is not None and preset.shape != shape:
            continue
        points = score(preset, headers)
        if not points:
            continue
        key = (points, points / max(len(preset.keys()), 1), -rank)
        if key > best:
            best, chosen = key, preset
    return chosen


def priority_labels(preset: Preset, terms: Terms) -> dict[str, str]:
    """The preset's priority values → the contract's priority ids (level n → n-th priority, or the last)."""
    ids = [p.id for p in terms.priorities]
    if not ids:
        return {}
    return {value: ids[min(max(level, 1), len(ids)) - 1] for value, level in preset.priorities.items()}


class StateTable(dict[str, str]):
    """normalised raw state → canonical state; a key it lacks that contains one of the preset's state
    words has that word's state (`Preset.state_words`)."""

    def __init__(self, exact: dict[str, str], words: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(exact)
        self.words = tuple((normalize(w), state) for w, state in words if normalize(w))

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return next((state for word, state in self.words if word in key), default)


def state_table(preset: Preset | None, cancelled: Iterable[str] = ()) -> StateTable:
    """normalised raw state → canonical state: canonical names, the generic words, the preset's, then
    the contract's own cancelled labels (`[statuses] cancelled`)."""
    table = {normalize(s): s for s in CANONICAL_STATES}
    table.update({normalize(k): v for k, v in GENERIC_STATES.items()})
    if preset is not None:
        table.update({normalize(k): v for k, v in preset.states.items()})
    table.update({normalize(label): "cancelled" for label in cancelled})
    return StateTable(table, preset.state_words if preset is not None else ())


# ---------------------------------------------------------------- reading with a preset (used by read_file)


# what the caller asked for: a preset, its id, None (recognise from the headers) or "" (none), and the
# user's own presets to choose among
PresetChoice = tuple[Preset | str | None, tuple[Preset, ...]]


def choose_preset(
    choice: PresetChoice, headers: Sequence[str], kind: str, result: IngestResult
) -> Preset | None:
    """The preset to read with: the one asked for, else the one the headers show (for tickets and
    status histories); records it on the result."""
    wanted, extra = choice
    shape: Shape = "events" if kind == "events" else "tickets"
    preset: Preset | None = None
    if isinstance(wanted, Preset):
        preset = wanted
    elif wanted:
        preset = by_id(str(wanted), extra)
    elif wanted is None and kind in ("tickets", "events"):
        preset = recognise(headers, shape, extra)
        result.preset_recognised = preset is not None
    if preset is not None and preset.shape != shape:
        preset, result.preset_recognised = None, False
    if preset is not None:
        result.preset, result.preset_name = preset.id, preset.name
    if kind == "tickets":
        result.looks_like_history = recognise(headers, "events", extra) is not None
    return preset


def apply_preset(
    preset: Preset | None,
    mapping: dict[str, str] | None,
    date_order: DateOrder | None,
    terms: Terms,
    labels: dict[str, str],
) -> tuple[dict[str, str] | None, DateOrder | None]:
    """The mapping and date order to read with; the preset's priority values added to `labels`
    (label key → priority id), after the contract's own labels."""
    if preset is None:
        return mapping, date_order
    for value, pid in priority_labels(preset, terms).items():
        labels.setdefault("".join(value.casefold().split()), pid)
    return {**preset.mapping(), **(mapping or {})}, date_order or preset.date_order


def preset_cells(column: pd.Series, dtype: str | None, preset: Preset | None) -> pd.Series:
    """One raw column with the preset's own missing-value markers blanked and, in a yes/no column, its
    yes/no words written as true/false (only text cells are touched)."""
    if preset is None:
        return column
    words = dtype == "bool" and bool(preset.true_words or preset.false_words)
    if not (preset.missing or words):
        return column
    rows, texts = _text_cells(column)
    if texts is None:
        return column
    missing = {m.strip().casefold() for m in preset.missing}
    yes = {normalize(w) for w in preset.true_words} if words else set()
    no = {normalize(w) for w in preset.false_words} if words else set()
    if not words:
        # Only a text of at most the longest marker's length once stripped can be a missing marker
        # (casefold never shortens): in an id or timestamp column there is none, and nothing to do.
        length = pc.utf8_length(pc.utf8_trim(texts, characters=_python_spaces()))
        short = np.flatnonzero(length.to_numpy() <= max(map(len, missing)))
        if short.size == 0:
            return column
        rows, texts = rows[short], texts.take(pa.array(short))
    codes, uniques = pd.factorize(pd.Series(texts, dtype="string[pyarrow]"))
    replace_with: dict[int, str] = {}
    for i, u in enumerate(uniques):
        if u.strip().casefold() in missing:
            replace_with[i] = ""
        elif words:
            key = normalize(u)
            if key in yes:
                replace_with[i] = "true"
            elif key in no:
                replace_with[i] = "false"
    if not replace_with:
        return column
    hit = np.isin(codes, list(replace_with))
    values = np.full(len(uniques) + 1, "", dtype=object)
    for i, value in replace_with.items():
        values[i] = value
    out = column.copy()
    out.iloc[rows[hit]] = values[codes[hit]]
    return out


# what pandas' infer_dtype calls an object column without a single text in it
_NO_TEXT = frozenset(
    {"empty", "floating", "integer", "mixed-integer-float", "boolean", "datetime", "datetime64", "date"}
    | {"time", "timedelta", "timedelta64", "decimal", "complex", "period", "interval", "bytes"}
)


def _text_cells(column: pd.Series) -> tuple[np.ndarray, pa.Array | pa.ChunkedArray | None]:
    """The positions of a raw column's text cells (an Excel column also holds numbers and dates) and
    those texts as Arrow strings; None when it has none. No Python loop over the cells."""
    if isinstance(column.array, pd.arrays.ArrowStringArray):
        # the column's own chunks, read in place: joining them into one array copied every text
        # (0.07 s per column of a million rows) only for most columns to hold no marker at all
        chunks = column.array._pa_array  # type: ignore[attr-defined]  # no public accessor without a copy
        return np.arange(len(column)), chunks
    raw = column.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(raw, skipna=True)
    if kind in _NO_TEXT:
        return np.zeros(0, dtype=np.int64), None
    if kind == "string":  # every cell is text or blank
        rows = np.flatnonzero(~pd.isna(raw))
    else:  # mixed: which distinct values are text
        codes, uniques = pd.factorize(raw)
        is_text = np.fromiter((isinstance(u, str) for u in uniques), dtype=bool, count=len(uniques))
        rows = np.flatnonzero(np.append(is_text, False)[codes])
    if rows.size == 0:
        return rows, None
    return rows, pa.array(raw[rows], type=pa.large_string())


@functools.cache
def _python_spaces() -> str:
    """Every character str.strip() removes (str.isspace: all in the Basic Multilingual Plane), for
    Arrow's trim to strip exactly what Python strips."""
    return "".join(c for c in map(chr, range(0x10000)) if c.isspace())
