"""A corpus of hostile and messy spreadsheets, generated at test time (no binaries in the repository).

Each `Case` builds one file (name and bytes) for a kind, says which issues (level, code) it must
raise, whether an import without "skip invalid rows" stores it, and optionally checks the values read.
Ticket ids carry the case's own prefix, so every case can share one store without touching another's rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import msoffcrypto.format.ooxml
import openpyxl
import pandas as pd
import xlsxwriter

from sla_core.dataset import Kind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"  # xls and ods made by LibreOffice
HEADER = ["工单号", "创建时间", "优先级", "首次响应时间", "解决时间"]
EN_HEADER = ["Ticket ID", "Created", "Priority", "First Response", "Resolved"]
SURVEY = ["回访编号", "提交时间", "满意度评分", "服务态度"]
OUTAGE = ["服务", "开始时间", "结束时间"]
MEASURE = ["月份", "指标", "数值", "来源"]

SQL_TEXT = "'); DROP TABLE tickets;--"
FORMULA_TEXTS = ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", '=HYPERLINK("http://x.invalid","点我")')
MIXED_DATES = (  # one instant (2026-10-01 09:05 in Shanghai) written seven ways, then a d/m/y date
    "2026-10-01 09:05",
    "46296.378472222",
    "2026/10/01 09:05",
    "2026年10月1日 9:05",
    "2026-10-01T01:05:00Z",
    "2026-10-01 09:05:00+08:00",
    "2026-10-01 09:05:00.000",
    "13/10/2026 09:05",
)
EMOJI = "😀 👩🏽‍💻 🇨🇳 ✔️ 工单"

Check = Callable[[pd.DataFrame], None]


@dataclass(frozen=True)
class Case:
    name: str
    kind: Kind
    build: Callable[[str], tuple[str, bytes]]  # prefix → (file name, content)
    expect: tuple[tuple[str, str], ...] = ()  # (level, code) that must be reported
    stored: bool = False  # does an import without "skip invalid rows" store a batch?
    check: Check | None = None  # on the frame read (and, when stored, the same rows from the store)
    read_kw: dict[str, Any] = field(default_factory=dict)
    no_frame: bool = False  # the file cannot be read at all (no rows, nothing to skip)


# ---------------------------------------------------------------- builders


def csv_bytes(rows: list[list[Any]], *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx(rows: list[list[Any]], *, start_row: int = 1, title: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    if title is not None:
        ws.cell(row=1, column=1, value=title)
        ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=max(len(r) for r in rows))
        ws.cell(row=3, column=1, value="导出时间：2026-11-01")
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def tickets(p: str, n: int = 3, **extra: list[Any]) -> list[list[Any]]:
    """A header and n valid tickets (ids p-1 … p-n), plus extra columns given as header=[values]."""
    rows: list[list[Any]] = [[*HEADER, *extra]]
    for i in range(n):
        row = [f"{p}-{i + 1}", f"2026-10-0{i % 9 + 1} 09:05", "P1", f"2026-10-0{i % 9 + 1} 09:10", ""]
        rows.append(row + [values[i] for values in extra.values()])
    return rows


def _encrypted_xlsx(p: str) -> bytes:
    plain = io.BytesIO(xlsx(tickets(p)))
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", out)
    return out.getvalue()


def _zip_bomb(p: str) -> bytes:
    """A well-formed xlsx whose sheet unpacks 1000 times its compressed size (60 MB of blanks)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(tickets(p)))) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (60 << 20), 1)
            out.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def _xml_entities(p: str) -> bytes:
    """An xlsx whose sheet declares an external entity (XXE) and uses it in the header row."""
    buf = io.BytesIO()
    doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    with zipfile.ZipFile(io.BytesIO(xlsx(tickets(p)))) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                at = data.index(b"<worksheet")
                data = data[:at] + doctype + data[at:].replace(HEADER[0].encode(), b"&xxe;", 1)
            out.writestr(info.filename, data)
    return buf.getvalue()


def _declared_huge(p: str) -> bytes:
    """A small xlsx whose directory declares a 4 GB member: refused from the directory alone."""
    data = bytearray(xlsx(tickets(p)))
    at = data.find(b"PK\x01\x02")  # central directory: uncompressed size at offset 24
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, at + 24, 0xFFFFFF00)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def _corrupt_inside(p: str) -> bytes:
    """An xlsx with the sheet's compressed bytes overwritten: the zip directory is fine, the data is not."""
    data = bytearray(xlsx(tickets(p, 40)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 8, start + min(info.compress_size, 200) - 8):
        data[i] = 0xA5
    return bytes(data)


def _docx(_p: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _plain_zip(_p: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("tickets.csv", "工单号,创建时间,优先级\nT1,2026-10-01 09:00,P1\n")
    return buf.getvalue()


def _error_cells(p: str) -> bytes:
    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf, {"strings_to_formulas": False}) as book:
        ws = book.add_worksheet("工单")
        ws.write_row(0, 0, [*HEADER, "处理组"])
        ws.write_row(1, 0, [f"{p}-1", "2026-10-01 09:05", "P1"])
        ws.write_formula(1, 3, "=1/0", None, "#DIV/0!")
        ws.write_formula(1, 5, "=NA()", None, "#N/A")
        ws.write_row(2, 0, [f"{p}-2"])
        ws.write_formula(2, 1, "=X1", None, "#N/A")
        ws.write_row(2, 2, ["P1"])
    return buf.getvalue()


def _formulas_cached(p: str) -> bytes:
    """Formulas as Excel saves them: with their calculated values, which are what is read."""
    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf) as book:
        ws = book.add_worksheet()
        ws.write_row(0, 0, [*HEADER, "处理组"])
        ws.write_row(1, 0, [f"{p}-1", "2026-10-01 09:05", "P1"])
        ws.write_formula(1, 4, "=DATE(2026,10,1)+TIME(11,5,0)", None, 46296.4618055556)
        ws.write_formula(1, 5, '=CONCAT("L","2")', None, "L2")
    return buf.getvalue()


def _formulas_uncached(p: str) -> bytes:
    """Formulas as a program writes them (openpyxl): no calculated value in the file."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([*HEADER, "处理组"])
    ws.append([f"{p}-1", "2026-10-01 09:05", "P1", None, "=B2+1/24", '=CONCAT("L","2")'])
    ws.append([f"{p}-2", "=B2", "P1", None, None, "L1"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _hidden_first_sheet(p: str) -> bytes:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本文件由系统导出，请勿修改"])
    hidden = book.create_sheet("旧数据")
    hidden.sheet_state = "hidden"
    for row in tickets(p + "-old", 2):
        hidden.append(row)
    data = book.create_sheet("工单")
    for row in tickets(p, 2):
        data.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _dates_everywhere(p: str) -> bytes:
    rows = [
        HEADER,
        [f"{p}-1", "2026-10-01 09:05", "P1", "2026-10-01T09:10:00+08:00", "2026-10-01T02:00:00Z"],
        [f"{p}-2", "2026/10/01 09:05", "P1", "2026-10-01 01:30:00Z", ""],
        [f"{p}-3", "2026年10月1日 9:05", "P1", "2026-10-01 09:06:30", ""],
        [f"{p}-4", 46296.378472222, "P1", datetime(2026, 10, 1, 10, 0), ""],  # serial of 2026-10-01 09:05
        [f"{p}-5", datetime(2026, 10, 2, 9, 0), "P1", "2026-10-02T01:10:00.000Z", ""],
        [f"{p}-6", "2026-10-13", "P1", "", ""],
    ]
    return xlsx(rows)


def _csv_dates_dmy(p: str) -> bytes:
    rows = [HEADER] + [[f"{p}-{d}", f"{d}/10/2026 09:05", "P1", "", ""] for d in (1, 5, 13, 28)]
    return csv_bytes(rows)


def _csv_dates_mdy(p: str) -> bytes:
    rows = [HEADER] + [[f"{p}-{d}", f"10/{d}/2026 9:05 AM", "P1", "", ""] for d in (1, 5, 13, 28)]
    return csv_bytes(rows)


def _utf16_tab(p: str) -> bytes:
    text = "\r\n".join("\t".join(r) for r in tickets(p)) + "\r\n"
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _nul_bytes(p: str) -> bytes:
    data = csv_bytes(tickets(p, 3, 处理组=["L\x001", "L2", "\x00"]))
    return data.replace(f"{p}-2".encode(), f"{p}\x00-2".encode())


def _many_bad_rows(p: str) -> bytes:
    rows = [HEADER] + [[f"{p}-{i}", "not a date", "P1", "", ""] for i in range(3000)]
    return csv_bytes(rows)


def _huge_cells_xlsx(p: str) -> bytes:
    """Cells beyond Excel's own 32,767 characters (Excel and openpyxl cut there; other programs don't)."""
    plain = xlsx(tickets(p, 2, 处理组=["HUGE-A", "HUGE-B"]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            data = data.replace(b"HUGE-A", ("长" * 100_000).encode()).replace(b"HUGE-B", b"y" * 100_000)
            dst.writestr(info.filename, data)
    return out.getvalue()


def _wide(p: str) -> bytes:
    rows = tickets(p)
    rows[0] += [f"junk{i}" for i in range(300)]
    for row in rows[1:]:
        row += [str(i) for i in range(300)]
    return csv_bytes(rows)


# ---------------------------------------------------------------- value checks


def values(column: str, expected: list[Any]) -> Check:
    def check(frame: pd.DataFrame) -> None:
        got = [None if pd.isna(v) else v for v in frame.sort_values("_row")[column].tolist()]
        assert got == expected, (column, _short(got), _short(expected))

    return check


def _short(items: list[Any]) -> list[str]:
    return [
        repr(v)[:60] + (f"… ({len(v)} characters)" if isinstance(v, str) and len(v) > 50 else "")
        for v in items
    ]


def utc(*texts: str | None) -> list[pd.Timestamp | None]:
    return [None if t is None else pd.Timestamp(t, tz="UTC") for t in texts]


def both(*checks: Check) -> Check:
    def check(frame: pd.DataFrame) -> None:
        for c in checks:
            c(frame)

    return check


def rows_are(*row_numbers: int) -> Check:
    return values("_row", list(row_numbers))


E, W = "error", "warning"


def _cases() -> list[Case]:
    c: list[Case] = []
    add = c.append

    # -- not a spreadsheet, or not readable at all
    add(Case("empty-0-bytes", "tickets", lambda p: ("t.xlsx", b""), ((E, "ingest.empty"),), no_frame=True))
    add(Case("blank-lines-only", "tickets", lambda p: ("t.csv", b"\r\n \r\n,,\r\n"), ((E, "ingest.empty"),)))
    add(
        Case(
            "text-renamed-xlsx",
            "tickets",
            lambda p: ("tickets.xlsx", "月度工单报告\n本月共处理工单 120 张。\n".encode()),
            ((W, "ingest.text_not_spreadsheet"), (E, "ingest.missing_column")),
        )
    )
    add(
        Case(
            "csv-renamed-xlsx",
            "tickets",
            lambda p: ("tickets.xlsx", csv_bytes(tickets(p))),
            ((W, "ingest.text_not_spreadsheet"),),
            stored=True,
            check=values("ticket_id", [f"{'csv-renamed-xlsx'}-{i}" for i in (1, 2, 3)]),
        )
    )
    add(
        Case(
            "xls-named-xlsx",
            "tickets",
            lambda p: ("t.xlsx", (FIXTURES / "tickets.xls").read_bytes()),
            ((W, "ingest.excel_error"),),
            stored=True,
            check=values("ticket_id", ["T1", "1002"]),
        )
    )
    add(
        Case(
            "ods-named-csv",
            "tickets",
            lambda p: ("t.csv", (FIXTURES / "tickets.ods").read_bytes()),
            stored=True,
            check=rows_are(5, 6),
        )
    )
    add(
        Case(
            "truncated-xlsx",
            "tickets",
            lambda p: ("t.xlsx", xlsx(tickets(p))[:1500]),
            ((E, "ingest.corrupt"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "zip-header-then-garbage",
            "tickets",
            lambda p: ("t.xlsx", b"PK\x03\x04" + os.urandom(3000)),
            ((E, "ingest.corrupt"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "corrupt-deflate-stream",
            "tickets",
            lambda p: ("t.xlsx", _corrupt_inside(p)),
            ((E, "ingest.corrupt"),),
        )
    )
    add(
        Case(
            "password-protected-xlsx",
            "tickets",
            lambda p: ("t.xlsx", _encrypted_xlsx(p)),
            ((E, "ingest.encrypted"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "encrypted-directory-mid-file",
            "tickets",
            lambda p: (
                "t.xlsx",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + os.urandom(1_500_000)
                + "EncryptedPackage".encode("utf-16-le")
                + os.urandom(1_500_000),
            ),
            ((E, "ingest.encrypted"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "zip-bomb",
            "tickets",
            lambda p: ("t.xlsx", _zip_bomb(p)),
            ((E, "ingest.zip_bomb"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "xml-external-entity",  # XXE: not damage, a file built to make a reader fetch another file
            "tickets",
            lambda p: ("t.xlsx", _xml_entities(p)),
            ((E, "ingest.xml_entities"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "only-zero-bytes",
            "tickets",
            lambda p: ("t.csv", bytes(4096)),
            ((E, "ingest.only_zeros"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "declared-4gb-member",
            "tickets",
            lambda p: ("t.xlsx", _declared_huge(p)),
            ((E, "ingest.too_large_unpacked"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "unpacked-over-configured-limit",
            "tickets",
            lambda p: ("t.xlsx", xlsx(tickets(p, 200))),
            ((E, "ingest.too_large_unpacked"),),
            read_kw={"max_unpacked_bytes": 20_000},
            no_frame=True,
        )
    )
    add(
        Case(
            "over-upload-size-limit",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 500))),
            ((E, "ingest.too_large"),),
            read_kw={"max_bytes": 10_000},
            no_frame=True,
        )
    )
    add(
        Case(
            "html-renamed-xlsx",
            "tickets",
            lambda p: ("t.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
            ((E, "ingest.not_spreadsheet"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "pdf-renamed-csv",
            "tickets",
            lambda p: ("t.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
            ((E, "ingest.not_spreadsheet"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "png-renamed-xlsx",
            "tickets",
            lambda p: ("t.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200) + os.urandom(500)),
            ((E, "ingest.not_spreadsheet"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "word-document",
            "tickets",
            lambda p: ("t.xlsx", _docx(p)),
            ((E, "ingest.not_spreadsheet"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "plain-zip",
            "tickets",
            lambda p: ("t.zip", _plain_zip(p)),
            ((E, "ingest.not_spreadsheet"),),
            no_frame=True,
        )
    )
    add(
        Case(
            "empty-workbook",
            "tickets",
            lambda p: ("t.xlsx", xlsx([[None]])),
            ((E, "ingest.empty"),),
            no_frame=True,
        )
    )

    # -- layout
    add(
        Case(
            "header-row-5-under-merged-title",
            "tickets",
            lambda p: ("t.xlsx", xlsx(tickets(p), start_row=5, title="IT 运维工单月报 2026-10")),
            stored=True,
            check=rows_are(6, 7, 8),
        )
    )
    add(
        Case(
            "duplicate-headers",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 处理组=["A", "B"], 工单号=["X", "Y"]))),
            ((W, "ingest.duplicate_column"),),
            stored=True,
            check=values("team", ["A", "B"]),
        )
    )
    add(
        Case(
            "two-headers-one-meaning",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 处理组=["A", "B"], 支持组=["X", "Y"]))),
            (),  # warned as a duplicate or an unknown column (with a preset); either way the first counts
            stored=True,
            check=values("team", ["A", "B"]),
        )
    )
    add(
        Case(
            "hidden-sheet-and-notes-first",
            "tickets",
            lambda p: ("t.xlsx", _hidden_first_sheet(p)),
            stored=True,
            check=values("ticket_id", ["hidden-sheet-and-notes-first-1", "hidden-sheet-and-notes-first-2"]),
        )
    )
    add(
        Case(
            "missing-required-column",
            "tickets",
            lambda p: ("t.csv", csv_bytes([r[:1] + r[2:] for r in tickets(p)])),
            ((E, "ingest.missing_column"),),
        )
    )
    add(
        Case(
            "header-only",
            "tickets",
            lambda p: ("t.csv", csv_bytes([HEADER])),
            ((W, "ingest.no_rows"),),
        )
    )
    add(
        Case(
            "ragged-rows",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(
                    [
                        HEADER,
                        [f"{p}-1", "2026-10-01 09:05", "P1"],
                        [f"{p}-2", "2026-10-01 09:05", "P1", "", "", "extra"],
                    ]
                ),
            ),
            ((W, "ingest.unknown_columns"),),
            stored=True,
        )
    )
    add(
        Case(
            "three-hundred-junk-columns",
            "tickets",
            lambda p: ("t.csv", _wide(p)),
            ((W, "ingest.unknown_columns"),),
            stored=True,
        )
    )
    add(
        Case(
            "english-headers-odd-spacing",
            "tickets",
            lambda p: ("t.csv", csv_bytes([[f"  {h.upper()} " for h in EN_HEADER], *tickets(p)[1:]])),
            stored=True,
        )
    )

    # -- cells
    add(
        Case(
            "excel-error-values",
            "tickets",
            lambda p: ("t.xlsx", _error_cells(p)),
            ((E, "ingest.excel_error"), (W, "ingest.excel_error")),
        )
    )
    add(
        Case(
            "excel-error-text-in-csv",
            "tickets",
            lambda p: ("t.csv", csv_bytes([HEADER, [f"{p}-1", "#DIV/0!", "P1", "#N/A", ""]])),
            ((E, "ingest.excel_error"), (W, "ingest.excel_error")),
        )
    )
    add(
        Case(
            "formulas-with-values",
            "tickets",
            lambda p: ("t.xlsx", _formulas_cached(p)),
            stored=True,
            check=both(values("resolved_at", utc("2026-10-01 03:05:00")), values("team", ["L2"])),
        )
    )
    add(
        Case(
            "formulas-without-values",
            "tickets",
            lambda p: ("t.xlsx", _formulas_uncached(p)),
            ((W, "ingest.formula_without_value"), (E, "ingest.formula_without_value")),
        )
    )
    add(
        Case(
            "dates-in-every-form",
            "tickets",
            lambda p: ("t.xlsx", _dates_everywhere(p)),
            stored=True,
            check=both(
                values(
                    "created_at",
                    utc(
                        "2026-10-01 01:05",
                        "2026-10-01 01:05",
                        "2026-10-01 01:05",
                        "2026-10-01 01:05",
                        "2026-10-02 01:00",
                        "2026-10-12 16:00",
                    ),
                ),
                values(
                    "first_response_at",
                    utc(
                        "2026-10-01 01:10",
                        "2026-10-01 01:30",
                        "2026-10-01 01:06:30",
                        "2026-10-01 02:00",
                        "2026-10-02 01:10",
                        None,
                    ),
                ),
                values("resolved_at", utc("2026-10-01 02:00", None, None, None, None, None)),
            ),
        )
    )
    add(
        Case(
            "csv-dates-mixed-with-serials",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes([HEADER] + [[f"{p}-{i}", v, "P1", "", ""] for i, v in enumerate(MIXED_DATES)]),
            ),
            stored=True,
            check=values("created_at", utc(*["2026-10-01 01:05"] * 7, "2026-10-13 01:05")),
        )
    )
    add(
        Case(
            "day-first-dates",
            "tickets",
            lambda p: ("t.csv", _csv_dates_dmy(p)),
            stored=True,
            check=values("created_at", utc(*(f"2026-10-{d:02d} 01:05" for d in (1, 5, 13, 28)))),
        )
    )
    add(
        Case(
            "month-first-dates",
            "tickets",
            lambda p: ("t.csv", _csv_dates_mdy(p)),
            stored=True,
            check=values("created_at", utc(*(f"2026-10-{d:02d} 01:05" for d in (1, 5, 13, 28)))),
        )
    )
    add(
        Case(
            "ambiguous-day-month",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(
                    [
                        HEADER,
                        [f"{p}-1", "01/02/2026 09:00", "P1", "", ""],
                        [f"{p}-2", "03/04/2026 09:00", "P1", "", ""],
                    ]
                ),
            ),
            ((E, "ingest.ambiguous_date_order"),),
        )
    )
    add(
        Case(
            "unparseable-date",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(
                    [
                        HEADER,
                        [f"{p}-1", "next tuesday", "P1", "", ""],
                        [f"{p}-2", "2026-13-45 25:61", "P1", "", ""],
                    ]
                ),
            ),
            ((E, "ingest.bad_timestamp"),),
        )
    )
    add(
        Case(
            "durations-in-a-time-column",
            "tickets",
            lambda p: ("t.xlsx", xlsx([HEADER, [f"{p}-1", 0.75, "P1"], [f"{p}-2", 125, "P1"]])),
            ((E, "ingest.duration_not_time"),),
        )
    )
    add(
        Case(
            "dates-eight-thousand-years-apart",  # once took 20 s: a time-zone probe for every day between
            "tickets",
            lambda p: (
                "t.xlsx",
                xlsx(
                    [
                        HEADER,
                        [f"{p}-1", 20000.5, "P1"],
                        [f"{p}-2", datetime(9999, 12, 31, 23, 0), "P1"],
                        [f"{p}-3", "2026-10-01 09:00", "P1"],
                    ]
                ),
            ),
            # 1954 and 9999 are both too far from a 2026 contract to be true (ingest/plausible.py)
            ((E, "ingest.implausible_timestamp"),),
        )
    )
    add(
        Case(
            "future-dates",  # a month after the import (NOW, 2026-12-01): a clock slip, kept with a warning
            "tickets",
            lambda p: ("t.csv", csv_bytes([HEADER, [f"{p}-1", "2027-01-01 09:00", "P1", "", ""]])),
            ((W, "ingest.future_timestamp"),),
            stored=True,
        )
    )
    add(
        Case(
            "implausible-dates",  # a typo in the year (1026, 3026), years 1000 and 1899
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(
                    [
                        HEADER,
                        [f"{p}-1", "1026-03-02 09:00", "P1", "", ""],
                        [f"{p}-2", "3026-03-02 09:00", "P1", "", ""],
                        [f"{p}-3", "1000-01-01 00:00", "P1", "", ""],
                        [f"{p}-4", "1899-12-31 00:00", "P1", "", ""],
                    ]
                ),
            ),
            ((E, "ingest.implausible_timestamp"),),
        )
    )
    add(
        Case(
            "days-a-month-does-not-have",  # once rolled over: 1900-02-29 became 03-01, 2026-02-30 03-02
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(
                    [
                        HEADER,
                        [f"{p}-1", "2026-03-02 09:00", "P1", "", ""],
                        [f"{p}-2", "2026-02-30 09:00", "P1", "", ""],
                        [f"{p}-3", "1900-02-29 09:00", "P1", "", ""],
                    ]
                ),
            ),
            ((E, "ingest.bad_timestamp"),),
        )
    )
    add(
        Case(
            "resolved-before-created",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes([HEADER, [f"{p}-1", "2026-10-05 09:00", "P1", "", "2026-10-04 09:00"]]),
            ),
            ((E, "ingest.before_created"),),
        )
    )
    add(
        Case(
            "duplicate-ticket-ids",
            "tickets",
            lambda p: ("t.csv", csv_bytes([*tickets(p, 2), [f"{p}-1", "2026-10-03 09:00", "P2", "", ""]])),
            ((E, "ingest.duplicate_id"),),
        )
    )
    add(
        Case(
            "unknown-priority",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(
                    [
                        HEADER,
                        [f"{p}-1", "2026-10-01 09:00", "P9", "", ""],
                        [f"{p}-2", "2026-10-01 09:00", "紧急", "", ""],
                    ]
                ),
            ),
            ((E, "ingest.unknown_priority"),),
        )
    )
    add(
        Case(
            "bad-booleans-and-negatives",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 一次解决=["maybe", "是"], 挂起时长=["-5", "10"]))),
            ((E, "ingest.bad_boolean"), (E, "ingest.negative")),
        )
    )
    add(
        Case(
            "unmapped-categories",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 类型=["故障", "巡检"]))),
            ((W, "ingest.unmapped_categories"),),
            stored=True,
            check=values("category", ["fault", "巡检"]),
        )
    )
    add(
        Case(
            "three-thousand-bad-rows",
            "tickets",
            lambda p: ("t.csv", _many_bad_rows(p)),
            ((E, "ingest.bad_timestamp"),),
        )
    )

    # -- encodings and CSV dialects
    add(
        Case(
            "gbk-csv",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 处理组=["一线支持", "二线运维"]), encoding="gbk")),
            stored=True,
            check=values("team", ["一线支持", "二线运维"]),
        )
    )
    add(
        Case(
            "utf8-bom-csv",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p), encoding="utf-8-sig")),
            stored=True,
            check=rows_are(2, 3, 4),
        )
    )
    add(
        Case(
            "semicolon-csv",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 处理组=["a,b", "c;d"]), sep=";")),
            stored=True,
            check=values("team", ["a,b", "c;d"]),
        )
    )
    add(
        Case(
            "utf16-tab-separated",
            "tickets",
            lambda p: ("t.txt", _utf16_tab(p)),
            stored=True,
            check=rows_are(2, 3, 4),
        )
    )
    add(
        Case(
            "embedded-newlines",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 3, 处理组=["第一行\n第二行", "a\r\nb", "c"]))),
            stored=True,
            check=both(values("team", ["第一行\n第二行", "a\r\nb", "c"]), rows_are(2, 3, 4)),
        )
    )
    add(
        Case(
            "cells-of-100000-characters-csv",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 3, 处理组=["长" * 100_000, "x" * 100_000, "short"]))),
            stored=True,
            check=values("team", ["长" * 100_000, "x" * 100_000, "short"]),
        )
    )
    add(
        Case(
            "cells-of-100000-characters-xlsx",
            "tickets",
            lambda p: ("t.xlsx", _huge_cells_xlsx(p)),
            stored=True,
            check=values("team", ["长" * 100_000, "y" * 100_000]),
        )
    )
    add(
        Case(
            "nul-bytes",
            "tickets",
            lambda p: ("t.csv", _nul_bytes(p)),
            ((W, "ingest.nul_removed"),),
            stored=True,
            check=both(
                values("ticket_id", ["nul-bytes-1", "nul-bytes-2", "nul-bytes-3"]),
                values("team", ["L1", "L2", None]),
            ),
        )
    )
    add(
        Case(
            "emoji",
            "tickets",
            lambda p: ("t.csv", csv_bytes(tickets(p, 2, 客户=[EMOJI, "🙂"]))),
            stored=True,
            check=values("customer", [EMOJI, "🙂"]),
        )
    )
    add(
        Case(
            "sql-and-formula-text-csv",
            "tickets",
            lambda p: (
                "t.csv",
                csv_bytes(tickets(p, 5, 客户=[SQL_TEXT, *FORMULA_TEXTS[:4]], 处理组=list(FORMULA_TEXTS))),
            ),
            stored=True,
            check=both(
                values("customer", [SQL_TEXT, *FORMULA_TEXTS[:4]]), values("team", list(FORMULA_TEXTS))
            ),
        )
    )
    add(
        Case(
            "sql-and-formula-text-xlsx",
            "tickets",
            lambda p: (
                "t.xlsx",
                xlsx(
                    [
                        *tickets(p, 1, 客户=[SQL_TEXT], 处理组=[FORMULA_TEXTS[0]]),
                        [SQL_TEXT, "2026-10-02 09:00", "P2"],
                    ]
                ),
            ),
            stored=True,
            check=both(
                values("ticket_id", ["sql-and-formula-text-xlsx-1", SQL_TEXT]),
                values("customer", [SQL_TEXT, None]),
            ),
        )
    )

    # -- the other kinds
    add(
        Case(
            "survey-scores-out-of-scale",
            "surveys",
            lambda p: (
                "s.csv",
                csv_bytes(
                    [
                        SURVEY,
                        [f"{p}-1", "2026-10-01 10:00", "7", "5"],
                        [f"{p}-2", "2026-10-01 10:00", "-1", "4"],
                        [f"{p}-3", "2026-10-01 10:00", "abc", "4"],
                    ]
                ),
            ),
            ((E, "ingest.score_out_of_range"), (E, "ingest.bad_number")),
        )
    )
    add(
        Case(
            "survey-dimension-out-of-scale",
            "surveys",
            lambda p: (
                "s.csv",
                csv_bytes(
                    [
                        SURVEY,
                        [f"{p}-1", "2026-10-01 10:00", "5", "9"],
                        [f"{p}-2", "2026-10-01 11:00", "4", "4"],
                    ]
                ),
            ),
            ((W, "ingest.dimension_out_of_range"),),
            stored=True,
            check=values("score", [5.0, 4.0]),
        )
    )
    add(
        Case(
            "survey-duplicate-response-ids",
            "surveys",
            lambda p: (
                "s.csv",
                csv_bytes(
                    [
                        SURVEY,
                        [f"{p}-1", "2026-10-01 10:00", "5", "5"],
                        [f"{p}-1", "2026-10-02 10:00", "4", "4"],
                    ]
                ),
            ),
            ((E, "ingest.duplicate_id"),),
        )
    )
    add(
        Case(
            "outages-same-service-and-start",
            "outages",
            lambda p: (
                "o.csv",
                csv_bytes(
                    [
                        OUTAGE,
                        [p, "2026-10-01 09:00", "2026-10-01 10:00"],
                        [p, "2026-10-01 09:00", "2026-10-01 11:00"],
                        [p, "2026-10-02 09:00", ""],
                    ]
                ),
            ),
            ((E, "ingest.duplicate_outage"),),
        )
    )
    add(
        Case(
            "outage-ends-before-it-starts",
            "outages",
            lambda p: ("o.csv", csv_bytes([OUTAGE, [p, "2026-10-01 09:00", "2026-10-01 08:00"]])),
            ((E, "ingest.end_before_start"),),
        )
    )
    add(
        Case(
            "measures-duplicates-and-rates",
            "measures",
            lambda p: (
                "m.csv",
                csv_bytes(
                    [
                        MEASURE,
                        ["2026-10", "系统可用性", "99.95%", "provider"],
                        ["2026-10", "系统可用性", "0.999", "provider"],
                        ["2026-11", "系统可用性", "150", ""],
                        ["2026-11", f"{p} 自定义", "3", ""],
                    ]
                ),
            ),
            ((E, "ingest.duplicate_measure"), (E, "ingest.rate_over_one"), (W, "ingest.unknown_kpi")),
        )
    )
    return c


CASES: list[Case] = _cases()
