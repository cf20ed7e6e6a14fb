"""The Upload screen: the column mapping and first rows of a file before import, the batches imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from sla_core.i18n import KIND_NAMES, KPIS, field_label, word

if TYPE_CHECKING:
    from sla_core.dataset import SourceKind
    from sla_core.ingest import IngestResult
    from sla_core.problems import Issue
    from sla_core.store import BatchInfo

IGNORE_TARGET = "ignore"


@dataclass
class UploadPreview:
    mapping: pd.DataFrame  # header (as written) → target (canonical column or "ignore"), required
    preview: pd.DataFrame  # the first rows as they will be stored, times in the contract's zone
    errors: int
    warnings: int
    error_rows: int
    rows: int
    header_row: int
    sheet: str | None
    sheets: list[str]
    missing_required: list[str]
    # how a tickets file was read: "tickets" (one row per ticket), "events" (a status history), None
    read_as: str | None = None
    shape_forced: bool = False  # the user's choice overrode what the file shows
    rows_above: list[tuple[int, str]] = field(default_factory=list)  # rows above the header, not read
    unfed: list[tuple[str, list[str]]] = field(default_factory=list)  # missing column → KPIs without data
    # why the file could not be read at all (password, zip bomb, not a spreadsheet, XML entities, only
    # zero bytes…): the headline, instead of "missing required columns" for a file with no columns
    unreadable: list[Issue] = field(default_factory=list)


def mapping_options(kind: SourceKind, headers: list[str]) -> list[str]:
    from sla_core.dataset import DERIVED, SCHEMA

    options = [IGNORE_TARGET, *(c for c in SCHEMA[kind] if c not in DERIVED)]
    if kind == "surveys":
        options += [f"dim:{h}" for h in headers]
    return options


def mapping_target_label(target: str, lang: str) -> str:
    """A mapping choice as the user reads it: 创建时间, 评分维度：服务态度, 不导入 (never the field's id:
    the names are unique within a file kind)."""
    if target == IGNORE_TARGET:
        return word("mapping_not_imported", lang)
    if target.startswith("dim:"):
        return word("mapping_score_dimension", lang) + target[4:]
    return field_label(target, lang)


def _shown_as_text(rows: pd.DataFrame, zone: str) -> pd.DataFrame:
    """Cells as the user reads them: times in the contract's zone, a blank cell blank (a table shows
    a missing value as "None", which reads as if the file said None)."""
    out = pd.DataFrame(index=rows.index)
    for col in rows.columns:
        values = rows[col]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            text = values.dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M:%S")
            out[col] = text.astype(object).where(values.notna(), "")
        elif values.dtype == bool or not values.isna().any():
            out[col] = values
        else:
            out[col] = values.astype(object).where(values.notna(), "").map(str)
    return out


def upload_preview(result: IngestResult, zone: str, rows: int = 20) -> UploadPreview:
    """What the Upload screen shows before importing: mapping, first rows, problem counts."""
    from sla_core.dataset import REQUIRED, ROW

    r = result
    headers = list(r.mapping) + [h for h in r.unknown_columns if h not in r.mapping]
    mapping = pd.DataFrame(
        {
            "header": headers,
            "target": [r.mapping.get(h, IGNORE_TARGET) for h in headers],
        }
    )
    frame = r.frame
    preview = pd.DataFrame()
    if frame is not None:
        present = [c for c in frame.columns if c in r.columns_present or c == ROW]
        preview = _shown_as_text(frame[present].head(rows), zone)
    errors = sum(1 for i in r.issues if i.level == "error")
    kind = r.kind
    missing = [c for c in REQUIRED[kind] if c not in r.columns_present]
    unreadable = _why_unreadable(r, missing)
    if frame is None and unreadable:  # a file with no columns at all: its reason, not its columns
        missing = []
    return UploadPreview(
        mapping=mapping,
        preview=preview,
        errors=errors,
        warnings=len(r.issues) - errors,
        error_rows=len(r.error_rows),
        rows=r.rows_total,
        header_row=r.header_row,
        sheet=r.sheet,
        sheets=list(r.sheets),
        missing_required=missing,
        read_as=r.shape,
        shape_forced=r.shape_forced,
        rows_above=list(zip(r.rows_above, r.rows_above_text, strict=False)),
        unfed=[(column, kpis) for column, kpis in r.unfed.items()],
        unreadable=unreadable,
    )


def _why_unreadable(r: IngestResult, missing: list[str]) -> list[Issue]:
    """The file-level reason a file gave no rows: the reader's refusal when nothing was read, or —
    when a file named .xlsx held text and so has none of the columns — that it is not a spreadsheet."""
    if r.frame is None:
        return [i for i in r.issues if i.level == "error" and i.row is None]
    if missing:
        return [i for i in r.issues if i.code == "ingest.text_not_spreadsheet"]
    return []


def unfed_lines(view: UploadPreview, lang: str) -> list[tuple[str, str]]:
    """(the missing column's name, the KPIs it leaves without data), as the user reads them."""
    return [
        (
            field_label(column, lang),
            word("kpi_sep", lang).join(KPIS[k].label(lang) for k in kpis),
        )
        for column, kpis in view.unfed
    ]


def batches_table(batches: list[BatchInfo], lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = [
        {
            "batch_id": b.batch_id,
            "kind": KIND_NAMES.get(b.kind, (b.kind, b.kind))[0 if zh else 1],
            "file": b.file_name or "",
            "rows": b.rows,
            "new": b.inserted,
            "updated": b.updated,
            "skipped": b.skipped,
            "by": b.imported_by,
            "at": b.imported_at.replace(tzinfo=None) if b.imported_at else None,
            "status": word("batch_undone" if b.status == "undone" else "batch_active", lang),
            "active": b.status == "active",
        }
        for b in batches
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "batch_id",
            "kind",
            "file",
            "rows",
            "new",
            "updated",
            "skipped",
            "by",
            "at",
            "status",
            "active",
        ],
    )
