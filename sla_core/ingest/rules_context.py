"""What the value rules of one file share: the contract's terms, the priority labels, the zone and
"now", the collector of issues, the rows; which columns a kind requires and their types; duplicate ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd

from sla_core.contract import Terms
from sla_core.dataset import AUXILIARY, REQUIRED, SCHEMA, SourceKind
from sla_core.ingest.collect import Collector, row_values
from sla_core.ingest.values import DateOrder


def label_key(text: str) -> str:
    """Priority labels compare case- and space-insensitively."""
    return "".join(str(text).casefold().split())


def required_columns(kind: SourceKind, terms: Terms) -> tuple[str, ...]:
    """The columns a file of `kind` cannot do without: a contract with a default priority makes the
    priority column optional (spec "Rule (cancelled and unprioritised tickets)")."""
    if kind == "tickets" and terms.contract.default_priority:
        return tuple(c for c in REQUIRED[kind] if c != "priority")
    return REQUIRED[kind]


def column_dtype(kind: SourceKind, canonical: str) -> str | None:
    """A column's type: the schema's, an auxiliary column's, None for the rest (survey dimensions)."""
    return SCHEMA[kind].get(canonical) or AUXILIARY.get(kind, {}).get(canonical)


@dataclass
class Context:
    kind: SourceKind
    terms: Terms
    priority_labels: dict[str, str]  # label_key(label or id) → priority id
    zone: ZoneInfo
    now: pd.Timestamp  # UTC
    date_order: DateOrder | None
    report: Collector
    index: pd.Index  # spreadsheet row numbers of the data rows
    file_id: str = ""  # the first 12 hex of the file's sha256: generated ids are unique per file
    states: dict[str, str] = field(default_factory=dict)  # normalised raw status → canonical state

    @property
    def required(self) -> tuple[str, ...]:
        return required_columns(self.kind, self.terms)


def duplicates(ids: pd.Series, header: str, zh_name: str, en_name: str, ctx: Context) -> None:
    dup = (ids.notna() & ids.duplicated(keep=False)).fillna(False).astype(bool)
    if not dup.any():
        return
    dup_ids = ids[dup]

    def others(row: int) -> tuple[str, str]:
        same = dup_ids.index[(dup_ids == dup_ids.loc[row]).to_numpy()]
        listed = ", ".join(str(r) for r in same[:6]) + (" …" if len(same) > 6 else "")
        return f"（第 {listed} 行）", f" (rows {listed})"

    ctx.report.rows(
        "error",
        "ingest.duplicate_id",
        dup,
        column=header,
        values=row_values(ids),
        zh=f"{zh_name}「{{value}}」在文件中重复出现",
        en=f'{en_name} "{{value}}" appears more than once in the file',
        extra=others,
    )
