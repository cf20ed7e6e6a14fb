"""What reading one file gives: the canonical frame (or None), every problem found, and how the file
was read (header row, sheet, column mapping, preset, status history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from sla_core.dataset import SourceKind
from sla_core.problems import Issue

if TYPE_CHECKING:
    from sla_core.ingest.history import HistoryReport


@dataclass
class IngestResult:
    frame: pd.DataFrame | None  # canonical frame (dataset.SCHEMA + `_row`); None when unreadable
    issues: list[Issue] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # header as written → canonical column
    unknown_columns: list[str] = field(default_factory=list)
    header_row: int = 0  # 1-based; 0 when no header was found
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    columns_present: frozenset[str] = frozenset()
    rows_total: int = 0
    error_rows: set[int] = field(default_factory=set)
    sha256: str = ""
    file_name: str | None = None
    kind: SourceKind = "tickets"
    preset: str | None = None  # the import preset read with (its id); None for none
    preset_name: str | None = None
    preset_recognised: bool = False  # chosen from the headers, not by the caller
    looks_like_history: bool = False  # one row per status change rather than per ticket
    history: HistoryReport | None = None  # what a status history held and what was derived from it
    shape: str | None = None  # "tickets" / "events": how a tickets file was read (None: not decided)
    shape_forced: bool = False  # the user's --shape / choice overrode what the file shows
    rows_above: list[int] = field(default_factory=list)  # non-blank rows above the header, not read
    rows_above_text: list[str] = field(default_factory=list)  # what each of them holds
    earlier_rows: int = 0  # a status history read one row per ticket: the earlier rows set aside
    # a column the file lacks → the KPIs it leaves without data (`ingest.feeds`), said before importing
    unfed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(i.level == "error" for i in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]
