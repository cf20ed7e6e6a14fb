"""Text files (CSV and the like) → a grid of `str` cells: the encoding (UTF-8 with or without BOM,
UTF-16, GB18030), the delimiter from whole records, the records parsed by Arrow, pandas or, for a damaged
file, record by record."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

if TYPE_CHECKING:
    pass
from sla_core.ingest.readers_book import Book, ReadError, corrupt, not_spreadsheet

SAMPLE_BYTES = 64 * 1024
MAX_SAMPLE_BYTES = 16 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")


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
                raise corrupt("UTF-16") from None
    if _looks_binary(data[:8192]):
        raise not_spreadsheet()
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


def open_text(data: bytes, delimiter: str | None = None, encoding: str | None = None) -> Book:
    text, encoding = _decode_as(data, encoding) if encoding else decode_text(data)
    sample = str(text[:SAMPLE_BYTES], "utf-8", "ignore")
    head = sample.lstrip().lower()
    if head.startswith(("<!doctype", "<html", "<table", "<?xml", "<workbook")):
        raise not_spreadsheet(
            "：这是网页或 XML 文件（在 Excel 中打开后另存为 xlsx）",
            ": it is a web page or XML file (open it in Excel and save it as xlsx)",
        )
    if head.startswith(("%pdf", "{\\rtf")):
        raise not_spreadsheet()
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
