"""The canonical input frames: what ingest produces, the store keeps and the KPIs read.

Every timestamp is a tz-aware UTC `datetime64[s, UTC]` column (NaT = blank); booleans are
non-nullable `bool` (blank = false); text is pandas' `string` dtype (<NA> = blank). Dimension scores of
surveys are extra float columns named `dim:<dimension as written>`.

A column missing from `Dataset.columns[kind]` was absent from the file: KPIs that need it are
`no_data`, never 0. A kind whose frame is None was not given at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd

from sla_core.problems import Issue

Kind = Literal["tickets", "surveys", "outages", "measures"]
KINDS: tuple[Kind, ...] = ("tickets", "surveys", "outages", "measures")
# What a file may be read as: a stored kind, or a status history (derived into tickets, never stored).
SourceKind = Kind | Literal["events"]

TIMESTAMP: Final = "datetime64[s, UTC]"
TEXT: Final = "string"

# kind → column → dtype. Order is the canonical column order.
SCHEMA: dict[SourceKind, dict[str, str]] = {
    "tickets": {
        "ticket_id": TEXT,
        "created_at": TIMESTAMP,
        "priority": TEXT,  # the contract's priority id (labels already mapped)
        "first_response_at": TIMESTAMP,
        # a temporary fix / initial solution (doc 003 临时解决方案, doc 002 初步解决方案): judged where a
        # conditional target names the workaround milestone
        "workaround_at": TIMESTAMP,
        "resolved_at": TIMESTAMP,
        "closed_at": TIMESTAMP,
        "status": TEXT,
        "category": TEXT,  # canonical category, or the raw value when no label matches
        "category_raw": TEXT,
        "channel": TEXT,
        "customer": TEXT,
        "team": TEXT,
        "assignee": TEXT,
        "reopened_count": "Int64",
        "first_contact_resolved": "bool",
        "classified_at": TIMESTAMP,
        "paused_minutes": "Float64",
        "suggestion_adopted": "bool",
        "excluded": "bool",
        "exclusion_reason": TEXT,
        # derived from a status history (never read from a file): the intervals that stop the
        # resolution clock, as ISO 8601 UTC intervals `start/end|reason|state` joined by ";" (end blank
        # while the ticket is still in that state); reason is `pause` or `reopen` (resolved, then reopened)
        "pause_intervals": TEXT,
    },
    "surveys": {
        "response_id": TEXT,  # generated as "<first 12 hex of the file's sha256>-<row>" when the file has none
        "submitted_at": TIMESTAMP,
        "score": "Float64",
        "ticket_id": TEXT,
        "respondent": TEXT,
        "channel": TEXT,
        "team": TEXT,
        "comment": TEXT,
        "duration_seconds": "Float64",
    },
    "outages": {
        "service": TEXT,
        "start": TIMESTAMP,
        "end": TIMESTAMP,
        "planned": "bool",
        "announced_at": TIMESTAMP,
        "severity": TEXT,
        "cause": TEXT,
        "description": TEXT,
    },
    "measures": {
        "month": TEXT,  # YYYY-MM
        "kpi": TEXT,  # a KPI id, or the raw name when unknown (kept, with a warning)
        "value": "Float64",  # rates as fractions 0-1
        "source": TEXT,  # "provider" for the provider's self-reported figure
        "note": TEXT,
    },
}
# Columns no file supplies: derived by ingest (status histories), excluded from header matching.
DERIVED: frozenset[str] = frozenset({"pause_intervals"})
# Columns a file may carry that ingest reads to derive stored ones, and never stores: the time of the
# ticket's last status change (Jira's "Status Category Changed"), the resolution time of a ticket whose
# status says resolved but whose export gives no resolution date.
AUXILIARY: dict[SourceKind, dict[str, str]] = {"tickets": {"status_changed_at": TIMESTAMP}}

# A status history (event log): one row per status change. Read like the other kinds, then derived into
# tickets by `sla_core.ingest.history`; never stored as such.
EVENTS: Final = "events"
EVENT_SCHEMA: dict[str, str] = {
    "ticket_id": TEXT,
    "event_at": TIMESTAMP,
    "state": TEXT,  # the state as the source writes it; the preset maps it to a canonical state
    "created_at": TIMESTAMP,  # the ticket's opened/created column, when the log carries one
    "priority": TEXT,  # the priority at that time (the contract's id once read)
    "assignee": TEXT,
    "team": TEXT,
    "category": TEXT,
    "channel": TEXT,
    "customer": TEXT,
}
SCHEMA[EVENTS] = EVENT_SCHEMA

REQUIRED: dict[SourceKind, tuple[str, ...]] = {
    "tickets": ("ticket_id", "created_at", "priority"),
    "surveys": ("submitted_at", "score"),
    "outages": ("service", "start"),
    "measures": ("month", "kpi", "value"),
}
REQUIRED[EVENTS] = ("ticket_id", "event_at", "state")
# Every frame also carries `_row`: the row number as the spreadsheet shows it (Int64), for reporting.
ROW = "_row"
DIMENSION_PREFIX = "dim:"


@dataclass
class Dataset:
    tickets: pd.DataFrame | None = None
    surveys: pd.DataFrame | None = None
    outages: pd.DataFrame | None = None
    measures: pd.DataFrame | None = None
    # the canonical columns each file actually had (dimensions included as dim:<name>)
    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def frame(self, kind: Kind) -> pd.DataFrame | None:
        frames: dict[Kind, pd.DataFrame | None] = {
            "tickets": self.tickets,
            "surveys": self.surveys,
            "outages": self.outages,
            "measures": self.measures,
        }
        return frames[kind]

    def has(self, kind: Kind, column: str) -> bool:
        return self.frame(kind) is not None and column in self.columns.get(kind, frozenset())


def empty_frame(kind: Kind, columns: list[str] | None = None) -> pd.DataFrame:
    cols = SCHEMA[kind]
    names = columns or list(cols)
    frame = pd.DataFrame({c: pd.Series(dtype=cols.get(c, "float64")) for c in names})
    frame[ROW] = pd.Series(dtype="Int64")
    return frame


def conform(kind: SourceKind, frame: pd.DataFrame) -> pd.DataFrame:
    """Add every canonical column the frame lacks (blank) and cast to the canonical dtypes."""
    out = frame.copy(
        deep=False
    )  # copy-on-write: the caller's frame is never changed, nothing is copied twice
    for col, dtype in SCHEMA[kind].items():
        if col not in out.columns:  # a blank column, made directly in its type (fast at a million rows)
            if dtype == "bool":
                out[col] = False
            elif dtype == TIMESTAMP:
                out[col] = pd.Series(pd.NaT, index=out.index, dtype=TIMESTAMP)
            else:
                out[col] = pd.Series(pd.NA, index=out.index, dtype=dtype)
            continue
        if dtype == "bool":
            out[col] = out[col].fillna(False).astype(bool)
        elif dtype == TIMESTAMP:
            series = out[col]
            if not isinstance(series.dtype, pd.DatetimeTZDtype):
                series = pd.to_datetime(series, utc=True)
            out[col] = series.dt.tz_convert("UTC").astype(TIMESTAMP)
        else:
            out[col] = out[col].astype(pd.api.types.pandas_dtype(dtype))
    if ROW not in out.columns:
        out[ROW] = pd.array(range(2, len(out) + 2), dtype="Int64")
    return out
