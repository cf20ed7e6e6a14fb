"""Bytes → a grid of raw cells per sheet. No parsing of values beyond what the file format gives.

A grid is a DataFrame whose index is the row number as the spreadsheet shows it (1-based) and whose
columns are the 0-based column positions. CSV grids hold `str` cells ('' = empty); Excel grids hold
what calamine gives (str, float, int, bool, date, datetime, time, timedelta; '' = empty), with Excel
error cells (which calamine reads as empty) put back as their error text (`#DIV/0!`).
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import threading
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

Format = Literal["csv", "xlsx", "xls", "ods"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
SAMPLE_BYTES = 64 * 1024
DEFAULT_MAX_UNPACKED = 500 * 1024 * 1024  # a zip's declared uncompressed size, all members together
MAX_RATIO = 200  # real sheets compress 8-15 times; deflate can reach ~1000
RATIO_FLOOR = 10 * 1024 * 1024  # members smaller than this unpacked are never a bomb worth refusing
MAX_SAMPLE_BYTES = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")


class ReadError(Exception):
    """The file cannot be read at all; carries one bilingual message."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en


def _not_spreadsheet(detail_zh: str = "", detail_en: str = "") -> ReadError:
    return ReadError(
        "ingest.not_spreadsheet",
        "文件不是电子表格（支持 xlsx、xlsm、xls、ods 和 csv）" + detail_zh,
        "the file is not a spreadsheet (xlsx, xlsm, xls, ods or csv)" + detail_en,
    )


def _corrupt(detail: str) -> ReadError:
    return ReadError(
        "ingest.corrupt",
        f"文件已损坏，无法读取（{detail}）",
        f"the file is damaged and cannot be read ({detail})",
    )


def _unreadable(exc: Exception) -> ReadError:
    """calamine's refusal, said as what it is: an XML entity in a spreadsheet is not damage but a file
    built to make a reader fetch other files (XXE), which no spreadsheet program writes."""
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if "entity" in detail.lower():
        return ReadError(
            "ingest.xml_entities",
            "文件中含有 XML 实体声明（电子表格程序从不写入，常见于试图读取服务器文件的攻击）：已拒绝读取",
            "the file declares XML entities, which no spreadsheet program writes (a way to make a reader "
            "fetch other files): it was not read",
        )
    return _corrupt(detail)


def _encrypted() -> ReadError:
    return ReadError(
        "ingest.encrypted",
        "文件有密码保护：请在 Excel 中取消密码后另存再上传",
        "the file is password-protected: remove the password in Excel, save and upload it again",
    )


@dataclass
class Book:
    """An opened file: its sheets and a way to read each one's cells."""

    format: Format
    sheet_names: list[str]
    hidden: set[str] = field(default_factory=set)
    _workbook: Any = None
    _data: bytes = b""
    _csv_grid: pd.DataFrame | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (code, zh, en) warnings on reading
    # sheet → (row 1-based, column 0-based) → formula, for formula cells the file holds no value of
    # (written by a program, never calculated by Excel): calamine reads them as ''
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    _sheets: dict[str, CalamineSheet] = field(default_factory=dict)
    _notes: dict[str, Callable[[], tuple[CellTexts, CellTexts]]] = field(default_factory=dict)

    def _sheet(self, name: str) -> CalamineSheet:
        if name not in self._sheets:  # calamine parses the whole sheet here: once per sheet
            # the cells calamine reads as '' are looked for meanwhile
            self._notes[name] = _cells_of_note_meanwhile(self.format, self._data, name)
            try:
                self._sheets[name] = self._workbook.get_sheet_by_name(name)
            except Exception as exc:  # a damaged sheet (bad deflate stream, broken XML): say so
                raise _unreadable(exc) from None
        return self._sheets[name]

    def head(self, name: str | None, nrows: int) -> list[list[Any]]:
        """The first rows of a sheet (row 1 first), for finding the header."""
        if self.format == "csv":
            if self._csv_grid is None:  # an invariant, checked even under python -O
                raise RuntimeError("self._csv_grid is missing")
            rows: list[list[Any]] = self._csv_grid.head(nrows).to_numpy(dtype=object).tolist()
            return rows
        if name is None:  # an invariant, checked even under python -O
            raise RuntimeError("name is missing")
        return self._sheet(name).to_python(skip_empty_area=False, nrows=nrows)

    def grid(self, name: str | None) -> pd.DataFrame:
        if self.format == "csv":
            if self._csv_grid is None:  # an invariant, checked even under python -O
                raise RuntimeError("self._csv_grid is missing")
            return self._csv_grid
        if name is None:  # an invariant, checked even under python -O
            raise RuntimeError("name is missing")
        rows = self._sheet(name).to_python(skip_empty_area=False)
        del self._sheets[name]  # calamine's copy of the cells, freed for what comes next
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        errors, self.formulas[name] = self._notes.pop(name)()  # started by _sheet with the parse
        for (row, col), text in errors.items():
            if row in frame.index and col in frame.columns:
                frame.at[row, col] = text
        return frame


def open_book(
    data: bytes,
    *,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> Book:
    """Detect the format from the content (never from the extension) and open it.

    A text file's `delimiter` and `encoding` are found from the file unless given (the command line's
    --delimiter and --encoding).

    A zip (xlsx, ods) whose members would unpack to more than `max_unpacked_bytes`, or that looks
    like a zip bomb, is refused from its directory alone, before anything is decompressed."""
    if not data:
        raise ReadError("ingest.empty", "文件是空的", "the file is empty")
    if not data[:65536].strip(b"\x00") and not data.strip(b"\x00"):
        raise ReadError(
            "ingest.only_zeros",
            "文件只有零字节（NUL）：可能是没有写完或被清空的文件，请重新导出",
            "the file holds nothing but zero bytes (NUL): a file never finished or wiped; export it again",
        )
    if data.startswith(ZIP_MAGIC):
        return _open_zip(data, max_unpacked_bytes)
    if data.startswith(OLE_MAGIC):
        return _open_ole(data)
    return _open_text(data, delimiter, encoding)


# ---------------------------------------------------------------- Excel and ODS


def _calamine(data: bytes, fmt: Format) -> Book:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise _encrypted() from None
    except Exception as exc:  # calamine raises several types (zip, xml, BIFF errors)
        raise _unreadable(exc) from None
    names: list[str] = []
    hidden: set[str] = set()
    for meta in workbook.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        names.append(meta.name)
        if meta.visible != pc.SheetVisibleEnum.Visible:
            hidden.add(meta.name)
    return Book(format=fmt, sheet_names=names, hidden=hidden, _workbook=workbook, _data=data)


def _check_unpacked(infos: list[zipfile.ZipInfo], packed: int, limit: int) -> None:
    """Refuse a zip from its declared sizes: more than `limit` bytes unpacked, a member that unpacks
    more than MAX_RATIO times its compressed size, or members that overlap (compressed sizes adding up
    to more than the file holds)."""
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise ReadError(
            "ingest.too_large_unpacked",
            f"文件解压后有 {total / 1048576:.0f} MB，超过上限 {limit / 1048576:g} MB："
            "请按月份拆分文件，或另存为 CSV",
            f"the file unpacks to {total / 1048576:.0f} MB, above the limit of {limit / 1048576:g} MB: "
            "split it (by month, say) or save it as CSV",
        )
    bomb = sum(i.compress_size for i in infos) > packed or any(
        i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos
    )
    if bomb:
        raise ReadError(
            "ingest.zip_bomb",
            "文件的压缩比异常（疑似压缩炸弹），已拒绝读取",
            "the file's compression is abnormal (it looks like a zip bomb); it was not read",
        )


def _open_zip(data: bytes, max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED) -> Book:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_unpacked(infos, len(data), max_unpacked_bytes)
            members = {i.filename for i in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in members else b""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, NotImplementedError) as exc:
        raise _corrupt(str(exc) or "zip") from None
    if "xl/workbook.xml" in members or "xl/workbook.bin" in members:
        return _calamine(data, "xlsx")
    if b"opendocument.spreadsheet" in mimetype or ("content.xml" in members and not mimetype):
        return _calamine(data, "ods")
    if "[Content_Types].xml" in members and not any(m.startswith("xl/") for m in members):
        raise _not_spreadsheet("：这是 Word 或 PowerPoint 文档", ": it is a Word or PowerPoint document")
    raise _not_spreadsheet("：这是一个普通压缩包", ": it is a plain zip archive")


def _open_ole(data: bytes) -> Book:
    if ENCRYPTED_PACKAGE in data[: 1 << 20] or ENCRYPTED_PACKAGE in data[-(1 << 20) :]:
        raise _encrypted()
    try:
        return _calamine(data, "xls")
    except ReadError:
        if ENCRYPTED_PACKAGE in data:  # a large encrypted file whose directory sits in the middle
            raise _encrypted() from None
        raise


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


def _cells_of_note_meanwhile(
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
    return _member_bytes(data, info)


def _member_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
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


# ---------------------------------------------------------------- CSV and other text


def _check_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8 (as strict as Python's codec: no surrogates, no overlong
    forms), checked by Arrow's validator on the bytes in place — 0.1 s for 200 MB, where decoding
    them chunk by chunk took most of a second."""
    offsets = pa.array([0, len(data)], type=pa.int64()).buffers()[1]
    text = pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data))
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def _looks_binary(sample: bytes) -> bool:
    """Binary data, not text: NUL bytes among many control bytes (a stray NUL in a CSV is not binary)."""
    if b"\x00" not in sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls * 10 > len(sample)


Utf8 = bytes | memoryview  # a UTF-8 file without its BOM is a view of the file, not a copy of it


def decode_text(data: bytes) -> tuple[Utf8, str]:
    """The text as UTF-8 bytes (BOM removed) and the encoding it was read in. A UTF-8 file with a BOM
    comes back as a view past the BOM: copying 200 MB to drop three bytes cost 0.1 s, and as much
    again the first time the copy was read."""
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name).encode("utf-8"), "utf-16"
            except UnicodeDecodeError:
                raise _corrupt("UTF-16") from None
    if _looks_binary(data[:8192]):
        raise _not_spreadsheet()
    if data.startswith(codecs.BOM_UTF8):
        if _check_utf8(data):
            return memoryview(data)[len(codecs.BOM_UTF8) :], "utf-8-sig"
    elif _check_utf8(data):
        return data, "utf-8"
    try:
        return data.decode("gb18030").encode("utf-8"), "gb18030"
    except UnicodeDecodeError:
        raise ReadError(
            "ingest.encoding",
            "无法识别文本编码：请另存为 UTF-8 或 GBK 编码的 CSV",
            "unknown text encoding: save the CSV as UTF-8 or GBK",
        ) from None


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(byte offset where the record starts, fields) for each CSV record of a text."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line.encode("utf-8"))
            yield line

    out: list[tuple[int, list[str]]] = []
    start = 0
    try:
        for record in csv.reader(lines(), delimiter=delimiter):
            out.append((start, record))
            start = consumed
    except csv.Error:
        pass
    return out


CONSISTENT = 0.8  # a delimiter is plausible when this share of the records have one width (> 1)


def sniff_delimiter(sample: str) -> str:
    """The delimiter the whole records of a sample agree on.

    Each candidate parses the sample as CSV records (quoted cells may hold newlines, `|`, `;` and `,`:
    a physical line is not a record). A candidate is consistent when most records have one width
    above 1; the widest consistent candidate wins, else the most consistent one. A Jira export whose
    quoted descriptions hold `|` tables on many lines splits into ragged pieces by `|`, while `,` gives
    every record the header's width."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut off
    text = "".join(lines)
    best: tuple[bool, int, float, int] = (False, 0, 0.0, 0)
    chosen = ","
    for rank, delim in enumerate(DELIMITERS):
        widths = _record_widths(text, delim)
        if not widths:
            continue
        several = Counter(w for w in widths if w > 1).most_common(1)
        width, freq = several[0] if several else (1, 0)
        share = freq / len(widths)
        consistent = share >= CONSISTENT and width > 1
        key = (consistent, width if consistent else 0, share, -rank)
        if key > best:
            best, chosen = key, delim
    return chosen


def _record_widths(text: str, delimiter: str) -> list[int]:
    """The number of fields of each non-blank CSV record (a quoted newline stays inside its record);
    the last record is left out when the text may end inside it."""
    widths: list[int] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(c.strip() for c in record):
                widths.append(len(record))
    except csv.Error:
        pass
    return widths


_SAW = re.compile(r"saw (\d+)")


def _decode_as(data: bytes, encoding: str) -> tuple[Utf8, str]:
    """The text in the encoding the user named (a BOM of that encoding dropped)."""
    try:
        text = data.decode(encoding)
    except LookupError:
        raise ReadError(
            "ingest.encoding",
            f"未知的文本编码「{encoding}」（可用 utf-8、gb18030、utf-16、latin-1 等）",
            f'unknown text encoding "{encoding}" (use utf-8, gb18030, utf-16, latin-1 …)',
        ) from None
    except UnicodeDecodeError as exc:
        raise ReadError(
            "ingest.encoding",
            f"文件不是 {encoding} 编码（第 {exc.start} 字节无法解码）",
            f"the file is not in {encoding} (byte {exc.start} cannot be decoded)",
        ) from None
    return text.lstrip("\ufeff").encode("utf-8"), encoding


def _open_text(data: bytes, delimiter: str | None = None, encoding: str | None = None) -> Book:
    text, encoding = _decode_as(data, encoding) if encoding else decode_text(data)
    sample = str(text[:SAMPLE_BYTES], "utf-8", "ignore")
    head = sample.lstrip().lower()
    if head.startswith(("<!doctype", "<html", "<table", "<?xml", "<workbook")):
        raise _not_spreadsheet(
            "：这是网页或 XML 文件（在 Excel 中打开后另存为 xlsx）",
            ": it is a web page or XML file (open it in Excel and save it as xlsx)",
        )
    if head.startswith(("%pdf", "{\\rtf")):
        raise _not_spreadsheet()
    if not sample.strip():
        raise ReadError("ingest.empty", "文件是空的", "the file is empty")
    notes = []
    nuls = _nul_count(text)
    if nuls:  # invisible in every program, and a ticket id with one would never match its surveys
        text = bytes(text).replace(b"\x00", b"")
        sample = sample.replace("\x00", "")
        notes.append(
            (
                "ingest.nul_removed",
                f"文件中有 {nuls} 个空字符（NUL），已删除",
                f"the file holds {nuls} NUL character(s); they were removed",
            )
        )
    delimiter = delimiter or sniff_delimiter(sample)
    grid = _parse_csv(text, sample, delimiter)
    return Book(
        format="csv", sheet_names=[], _csv_grid=grid, encoding=encoding, delimiter=delimiter, notes=notes
    )


def _nul_count(text: Utf8) -> int:
    # a view past a BOM: count in the file it views (the BOM holds no NUL), memoryview has no count()
    whole = cast(bytes, text.obj) if isinstance(text, memoryview) else text
    # find() is memchr, seven times quicker than count() over a file with none (the usual case)
    return 0 if whole.find(b"\x00") < 0 else whole.count(b"\x00")


def _parse_csv(text: Utf8, sample: str, delimiter: str) -> pd.DataFrame:
    """All records as str cells ('' = empty), one row per record (a quoted newline stays in its cell).

    The fast path hands everything from the first full-width record on to pyarrow's CSV reader (title
    rows above it come from the sample); ragged files fall back to pandas' C parser.
    """
    records = _records(sample if len(text) > SAMPLE_BYTES else str(text, "utf-8"), delimiter)
    size = SAMPLE_BYTES
    while len(text) > size:
        records = records[:-2]  # the sample may end inside a record
        if len(records) >= 5 or size >= MAX_SAMPLE_BYTES:
            break
        size *= 4  # huge cells: too few whole records in the sample to tell the width
        records = _records(
            str(text[:size], "utf-8", "ignore") if len(text) > size else str(text, "utf-8"), delimiter
        )
    width = max((len(f) for _, f in records), default=1)
    first_full = next((i for i, (_, f) in enumerate(records) if len(f) == width), 0)
    try:
        start = records[first_full][0] if records else 0
        frame = _parse_arrow(memoryview(text)[start:], delimiter, width)
        if first_full:
            head = pd.DataFrame(
                [f + [""] * (width - len(f)) for _, f in records[:first_full]],
                columns=range(width),
                dtype="str",
            )
            frame = pd.concat([head, frame], ignore_index=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        frame = _parse_pandas(text, delimiter, width)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _parse_arrow(text: memoryview, delimiter: str, width: int) -> pd.DataFrame:
    names = [str(i) for i in range(width)]
    table = pacsv.read_csv(
        pa.py_buffer(text),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    frame = pd.DataFrame({i: pd.Series(table.column(i), dtype="str") for i in range(width)})
    return frame


def _parse_pandas(text: Utf8, delimiter: str, width: int) -> pd.DataFrame:
    for _ in range(5):
        try:
            with warnings.catch_warnings():
                # "Length of header or names does not match length of data": pandas would cut the extra
                # fields off, silently; take it as the error it is and let the slow parser do it
                warnings.simplefilter("error", pd.errors.ParserWarning)
                return _read_csv(text, delimiter, width)
        except pd.errors.ParserWarning:
            break
        except pd.errors.ParserError as exc:
            saw = _SAW.search(str(exc))
            if not saw or int(saw.group(1)) <= width:
                break
            width = int(saw.group(1))
        except pd.errors.EmptyDataError:
            return pd.DataFrame({0: pd.Series([], dtype="str")})
    return _parse_csv_slowly(text, delimiter)


def _read_csv(text: Utf8, delimiter: str, width: int) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(text),
        sep=delimiter,
        header=None,
        names=range(width),
        index_col=False,
        dtype=str,
        na_filter=False,
        keep_default_na=False,
        skip_blank_lines=False,
        quotechar='"',
        engine="c",
        encoding="utf-8",
        encoding_errors="replace",
    )


def _parse_csv_slowly(text: Utf8, delimiter: str) -> pd.DataFrame:
    """Last resort for files both fast parsers refuse: Python's csv module."""
    rows = list(csv.reader(io.StringIO(str(text, "utf-8", "replace"), newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows), default=1)
    padded = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(padded, columns=range(width), dtype="str")
