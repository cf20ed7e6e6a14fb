"""Small builders for ingest tests: contracts, CSV and xlsx bytes, issue lookups."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from sla_core.contract import Terms, load_contract
from sla_core.ingest import IngestResult, read_file
from sla_core.problems import Issue

CONTRACT = Path(__file__).resolve().parents[2] / "fixtures" / "contract.example.toml"
NOW = datetime(2026, 12, 1, tzinfo=UTC)

TICKET_HEADER = ["工单号", "创建时间", "优先级", "首次响应时间", "解决时间"]


def base_terms() -> Terms:
    return load_contract(CONTRACT).base


def terms_in(zone: str, **surveys: Any) -> Terms:
    """The example terms with another time zone (and survey settings)."""
    terms = base_terms()
    update: dict[str, Any] = {"contract": terms.contract.model_copy(update={"timezone": zone})}
    if surveys:
        update["surveys"] = terms.surveys.model_copy(update=surveys)
    return terms.model_copy(update=update)


def csv_bytes(rows: list[list[Any]], *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(
    rows: list[list[Any]],
    *,
    start_row: int = 1,
    title: str | None = None,
    sheet: str = "Sheet1",
    before: list[tuple[str, list[list[Any]]]] = (),  # type: ignore[assignment]
) -> bytes:
    """An xlsx (openpyxl) with the rows from `start_row`; a merged title over the rows above it."""
    book = openpyxl.Workbook()
    first = book.active
    for name, sheet_rows in before:
        ws = book.create_sheet(name)
        for r in sheet_rows:
            ws.append(r)
    ws = first
    ws.title = sheet
    book.move_sheet(ws, offset=len(before))
    if title is not None and start_row > 1:
        width = max(len(r) for r in rows)
        ws.cell(row=1, column=1, value=title)
        ws.merge_cells(start_row=1, start_column=1, end_row=min(2, start_row - 1), end_column=width)
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def read(source: Any, kind: str = "tickets", terms: Terms | None = None, **kw: Any) -> IngestResult:
    kw.setdefault("now", NOW)
    return read_file(source, kind, terms or base_terms(), **kw)  # type: ignore[arg-type]


def issues(result: IngestResult, code: str) -> list[Issue]:
    return [i for i in result.issues if i.code == code]


def where(result: IngestResult, code: str) -> list[tuple[int | None, str | None]]:
    return [(i.row, i.column) for i in issues(result, code)]


def codes(result: IngestResult) -> set[str]:
    return {i.code for i in result.issues}


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def cell(result: IngestResult, column: str, row: int) -> Any:
    """The value of a canonical column on a spreadsheet row."""
    assert result.frame is not None
    frame = result.frame
    hit = frame.loc[frame["_row"] == row, column]
    assert len(hit) == 1, f"row {row} not in the frame"
    return hit.iloc[0]
