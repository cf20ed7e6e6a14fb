"""The cells calamine reads as empty, found in the file itself: Excel error cells (their error text,
`#DIV/0!`) and formulas the file holds no calculated value of (`=formula`), from an xlsx sheet's XML or an
xls file's records; an xlsx sheet's XML inflated in a thread while calamine parses the same sheet."""

from __future__ import annotations

import html
import io
import re
import threading
import zipfile
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

if TYPE_CHECKING:
    from sla_core.ingest.readers_book import Format

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?\bt=\"e\"[^>]*)>")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")  # <f>, <f t="shared" …/>; not <formula>
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*(?<!/)>([^<]*)<")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_VALUE_TAG = re.compile(rb"<(?:\w+:)?v\s*>")  # a value; <v/> (openpyxl's) is none


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(raw)}


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


CellTexts = dict[tuple[int, int], str]


def cells_of_note_meanwhile(
    fmt: Format, data: bytes, sheet: str
) -> Callable[[], tuple[CellTexts, CellTexts]]:
    """_cells_of_note of an xlsx sheet in a thread started now, for its result later. Its inflate is one
    zlib call that releases the GIL, so it runs while calamine parses the same sheet (which holds the
    GIL throughout): 0.1 s of a 100,000-row sheet's read is no longer waited for."""
    if fmt != "xlsx":
        return lambda: _cells_of_note(fmt, data, sheet)
    out: list[tuple[CellTexts, CellTexts]] = []
    inflating = threading.Event()

    def work() -> None:
        try:
            out.append(_cells_of_note(fmt, data, sheet, inflating))
        finally:
            inflating.set()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    inflating.wait(timeout=2.0)  # until the worker is in zlib (no GIL), lest calamine start first

    def result() -> tuple[CellTexts, CellTexts]:
        worker.join()
        return out[0] if out else ({}, {})

    return result


def _cells_of_note(
    fmt: Format, data: bytes, sheet: str, inflating: threading.Event | None = None
) -> tuple[CellTexts, CellTexts]:
    """(row 1-based, column 0-based) → text, for two kinds of cells calamine reads as '': Excel error
    cells (→ their error text, `#DIV/0!`) and formulas without a calculated value (→ `=formula`)."""
    try:
        if fmt == "xlsx":
            xml = _xlsx_sheet_xml(data, sheet, inflating)
            return (_xlsx_error_cells(xml), _xlsx_formula_cells(xml)) if xml else ({}, {})
        if fmt == "xls":
            return _xls_error_cells(data, sheet), {}
    except Exception:  # best effort: a failure here only loses the error text, the cell stays blank
        return {}, {}
    return {}, {}


def _xlsx_sheet_xml(data: bytes, sheet: str, inflating: threading.Event | None = None) -> bytes | None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            return None
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
        rel_id = None
        for m in _SHEET_TAG.finditer(workbook):
            attrs = _attrs(m.group(1))
            if attrs.get("name") == sheet:
                rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        targets = {
            a.get("Id"): a.get("Target", "") for a in (_attrs(m.group(1)) for m in _REL_TAG.finditer(rels))
        }
        target = targets.get(rel_id)
        if not target:
            return None
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        info = archive.getinfo(path)
    if inflating is not None:
        inflating.set()
    return member_bytes(data, info)


def member_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A zip member's bytes in one zlib call (ZipFile.read inflates in chunks, taking the GIL back for
    each), never more than its declared size (checked against the limits when the file was opened)."""
    local = data[info.header_offset : info.header_offset + 30]
    if len(local) < 30 or not local.startswith(b"PK\x03\x04"):
        raise zipfile.BadZipFile("bad local file header")
    start = (
        info.header_offset
        + 30
        + int.from_bytes(local[26:28], "little")
        + int.from_bytes(local[28:30], "little")
    )
    packed = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return bytes(packed[: info.file_size])
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError(f"compression {info.compress_type}")
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, info.file_size)


def _cell_at(ref: str) -> tuple[int, int] | None:
    cell_ref = _REF.match(ref)
    return (int(cell_ref.group(2)), _column_index(cell_ref.group(1))) if cell_ref else None


def _xlsx_formula_cells(xml: bytes) -> CellTexts:
    """Formula cells without a cached value: their formula (`=B2+1`; shared ones say so)."""
    out: CellTexts = {}
    if b"f>" not in xml:  # no formula at all (</f>, <x:f>; a shared one has a master </f>)
        return out
    for m in _FORMULA_TAG.finditer(xml):
        window = xml[max(0, m.start() - 400) : m.start()]
        openings = list(_CELL_TAG.finditer(window))
        opening = openings[-1] if openings else None
        end = _CELL_END.search(xml, m.end())
        if opening is None or end is None or _VALUE_TAG.search(xml, m.end(), end.start()):
            continue
        at = _cell_at(_attrs(opening.group(1)).get("r", ""))
        text = _FORMULA_TEXT.match(xml, m.start(), end.start())
        formula = html.unescape(text.group(1).decode("utf-8", "replace")) if text else ""
        if at is not None:
            out[at] = "=" + formula if formula else "=…"
    return out


def _xlsx_error_cells(xml: bytes) -> CellTexts:
    if b't="e"' not in xml:
        return {}
    out: CellTexts = {}
    for m in _ERROR_CELL.finditer(xml):
        if m.group(1).rstrip().endswith(b"/"):
            continue  # an error cell without a value
        ref = _attrs(m.group(1)).get("r", "")
        cell_ref = _REF.match(ref)
        end = xml.find(b"</", m.end())
        close = xml.find(b"c>", end)
        value = _VALUE.search(xml, m.end(), close + 2 if close > 0 else len(xml))
        if cell_ref and value:
            out[(int(cell_ref.group(2)), _column_index(cell_ref.group(1)))] = value.group(1).decode()
    return out


def _xls_error_cells(data: bytes, sheet: str) -> dict[tuple[int, int], str]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    ws = book.sheet_by_name(sheet)
    out: dict[tuple[int, int], str] = {}
    for c in range(ws.ncols):
        for r, ctype in enumerate(ws.col_types(c)):
            if ctype == xlrd.XL_CELL_ERROR:
                out[(r + 1, c)] = xlrd.error_text_from_code.get(ws.cell_value(r, c), "#N/A")
    return out
