"""Reading files: encodings, separators, header position, sheets, and files that cannot be read."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from ingest_helpers import TICKET_HEADER, cell, codes, csv_bytes, issues, read, utc, where, xlsx_bytes

from sla_core.dataset import ROW, SCHEMA
from sla_core.ingest.readers import OLE_MAGIC, decode_text
from sla_core.ingest.readers_cells import member_bytes

ROWS = [
    TICKET_HEADER,
    ["T1", "2026-10-01 09:05", "紧急", "2026-10-01 09:10", "2026-10-01 10:00"],
    ["T2", "2026-10-02 14:00:30", "一般", "", "2026-10-03 09:00"],
]


def assert_two_tickets(result, first_row: int = 2) -> None:
    assert result.frame is not None, result.issues
    assert not result.has_errors, result.issues
    frame = result.frame
    assert frame["ticket_id"].tolist() == ["T1", "T2"]
    assert frame[ROW].tolist() == [first_row, first_row + 1]
    assert frame["priority"].tolist() == ["P1", "P3"]
    assert cell(result, "created_at", first_row) == utc("2026-10-01 01:05")
    assert cell(result, "created_at", first_row + 1) == utc("2026-10-02 06:00:30")
    assert pd.isna(cell(result, "first_response_at", first_row + 1))
    assert result.rows_total == 2


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(encoding):
    result = read(csv_bytes(ROWS, encoding=encoding), file_name=f"t-{encoding}.csv")
    assert_two_tickets(result)
    assert result.mapping["工单号"] == "ticket_id"  # a BOM does not stick to the first header


def test_a_bom_is_dropped_without_copying_the_file():
    data = csv_bytes(ROWS, encoding="utf-8-sig")
    text, encoding = decode_text(data)
    assert encoding == "utf-8-sig"
    assert isinstance(text, memoryview) and text.obj is data  # a view past the BOM, not a copy
    assert bytes(text) == data[3:]


def test_a_csv_with_a_bom_and_nul_characters():
    data = csv_bytes([ROWS[0], ["T\x001", *ROWS[1][1:]], ROWS[2]], encoding="utf-8-sig")
    result = read(data)
    assert_two_tickets(result)
    assert codes(result) == {"ingest.nul_removed"}


def test_a_ragged_csv_with_a_bom_falls_back_to_the_other_parsers():
    rows = [ROWS[0], ROWS[1], ROWS[2][:3]]  # a short record: Arrow refuses the file, pandas reads it
    result = read(csv_bytes(rows, encoding="utf-8-sig"))
    assert result.frame is not None and result.frame["ticket_id"].tolist() == ["T1", "T2"]
    assert result.mapping["工单号"] == "ticket_id"
    assert pd.isna(cell(result, "resolved_at", 3))


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_separators(sep):
    assert_two_tickets(read(csv_bytes(ROWS, sep=sep)))


def test_csv_semicolon_with_commas_inside_values():
    rows = [[*ROWS[0], "备注"], [*ROWS[1], "a, b, c"], [*ROWS[2], "x,y"]]
    result = read(csv_bytes(rows, sep=";"))
    assert_two_tickets(result)
    assert result.unknown_columns == ["备注"]


def test_csv_quoted_newlines_keep_row_numbers():
    rows = [
        [*TICKET_HEADER, "状态"],
        ["T1", "2026-10-01 09:05", "P1", "", "", "line one\nline two"],
        ["T2", "2026-10-01 09:05", "P9", "", "", "ok"],
    ]
    result = read(csv_bytes(rows))
    assert cell(result, "status", 2) == "line one\nline two"
    assert where(result, "ingest.unknown_priority") == [(3, "优先级")]


def test_csv_title_rows_and_blank_lines():
    text = (
        "工单导出 2026年10月\n\n导出人：张三\n"
        + csv_bytes(ROWS).decode()
        + "\r\n"
        + "T3,2026-10-05 08:00,P9,,\r\n"
    )
    result = read(text.encode("utf-8"))
    assert result.header_row == 4
    assert result.frame[ROW].tolist() == [5, 6, 8]  # the blank line 7 is skipped, numbering kept
    assert where(result, "ingest.unknown_priority") == [(8, "优先级")]


def test_csv_ragged_rows_fall_back_and_keep_numbers():
    text = csv_bytes(ROWS).decode() + "T3,2026-10-05 08:00,P1,,,extra,cells\r\n"
    result = read(text.encode())
    assert result.frame["ticket_id"].tolist() == ["T1", "T2", "T3"]
    assert result.frame[ROW].tolist() == [2, 3, 4]
    assert "(F)" in result.unknown_columns and "(G)" in result.unknown_columns


def test_text_is_kept_verbatim():
    rows = [
        [*TICKET_HEADER, "客户", "状态"],
        ["T1", "2026-10-01 09:05", "P1", "", "", "'); DROP TABLE tickets;--", "=cmd|' /C calc'!A0"],
        ["T2", "2026-10-01 09:05", "P1", "", "", "@SUM(A1)", "+1-2"],
    ]
    result = read(csv_bytes(rows))
    assert not result.has_errors
    assert cell(result, "customer", 2) == "'); DROP TABLE tickets;--"
    assert cell(result, "status", 2) == "=cmd|' /C calc'!A0"
    assert cell(result, "customer", 3) == "@SUM(A1)"
    assert cell(result, "status", 3) == "+1-2"


# ---------------------------------------------------------------- xlsx


def test_xlsx_header_in_row_1():
    assert_two_tickets(read(xlsx_bytes(ROWS), file_name="t.xlsx"))


def test_xlsx_header_in_row_5_under_merged_title():
    data = xlsx_bytes(ROWS, start_row=5, title="IT 运维工单月报 2026-10")
    result = read(data, file_name="t.xlsx")
    assert result.header_row == 5
    assert_two_tickets(result, first_row=6)
    bad = read(xlsx_bytes([*ROWS, ["T3", "2026-10-05 08:00", "P9", None, None]], start_row=5, title="x"))
    assert where(bad, "ingest.unknown_priority") == [(8, "优先级")]
    assert issues(bad, "ingest.unknown_priority")[0].sheet == "Sheet1"


def test_xlsx_typed_cells():
    from datetime import datetime

    rows = [
        [*TICKET_HEADER, "重开次数", "一次解决"],
        ["T1", datetime(2026, 10, 1, 9, 5), 1, 46296.38, None, 2, True],  # 46296.38 = 2026-10-01 09:07:12
        [1002, datetime(2026, 10, 1, 9, 5, 59), "P2", None, None, 0, False],
    ]
    result = read(xlsx_bytes(rows))
    assert not result.has_errors, result.issues
    assert result.frame["ticket_id"].tolist() == ["T1", "1002"]
    assert cell(result, "priority", 2) == "P1"  # the number 1 is the label "1"
    assert cell(result, "created_at", 3) == utc("2026-10-01 01:05:59")
    assert cell(result, "first_response_at", 2) == utc("2026-10-01 01:07:12")
    assert result.frame["reopened_count"].tolist() == [2, 0]
    assert result.frame["first_contact_resolved"].tolist() == [True, False]


def test_xlsx_excel_error_cells():
    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf, {"strings_to_formulas": False}) as book:
        ws = book.add_worksheet("工单")
        ws.write_row(0, 0, [*TICKET_HEADER, "处理组"])
        ws.write_row(1, 0, ["T1", "2026-10-01 09:05", "P1"])
        ws.write_formula(1, 3, "=1/0", None, "#DIV/0!")
        ws.write_formula(1, 5, "=NA()", None, "#N/A")
        ws.write_row(2, 0, ["T2"])
        ws.write_formula(2, 1, "=X1", None, "#REF!")
        ws.write_row(2, 2, ["P1"])
        ws.write_string(2, 5, "=cmd|' /C calc'!A0")
    result = read(buf.getvalue())
    errors = [(i.level, i.row, i.column, i.value) for i in issues(result, "ingest.excel_error")]
    assert ("warning", 2, "首次响应时间", "#DIV/0!") in errors
    assert ("warning", 2, "处理组", "#N/A") in errors
    assert ("error", 3, "创建时间", "#REF!") in errors
    assert pd.isna(cell(result, "first_response_at", 2))
    assert pd.isna(cell(result, "team", 2))
    assert cell(result, "team", 3) == "=cmd|' /C calc'!A0"
    assert result.error_rows == {3}


def _error_cell_book() -> bytes:
    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf) as book:
        ws = book.add_worksheet("工单")
        ws.write_row(0, 0, TICKET_HEADER)
        ws.write_row(1, 0, ["T1", "2026-10-01 09:05", "P1"])
        ws.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    return buf.getvalue()


def _restored(data: bytes, compression: int) -> bytes:
    """The same workbook zipped again with another compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_xlsx_error_cells_found_whatever_the_zip_compression(compression):
    result = read(_restored(_error_cell_book(), compression))
    errors = [(i.row, i.column, i.value) for i in issues(result, "ingest.excel_error")]
    assert errors == [(2, "首次响应时间", "#DIV/0!")]


def test_a_sheet_is_never_inflated_beyond_its_declared_size():
    data = _error_cell_book()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        whole = archive.read(info)
    assert member_bytes(data, info) == whole
    info.file_size = 100  # a directory that understates the size (a zip bomb's trick)
    assert member_bytes(data, info) == whole[:100]
    info.header_offset += 1
    with pytest.raises(zipfile.BadZipFile):
        member_bytes(data, info)


def test_csv_excel_error_text():
    rows = [TICKET_HEADER, ["#N/A", "2026-10-01 09:05", "P1", "#VALUE!", ""]]
    result = read(csv_bytes(rows))
    assert [(i.level, i.row, i.column) for i in issues(result, "ingest.excel_error")] == [
        ("error", 2, "工单号"),
        ("warning", 2, "首次响应时间"),
    ]


def test_first_sheet_with_the_columns_is_chosen():
    data = xlsx_bytes(ROWS, sheet="工单", before=[("说明", [["本文件由系统导出"], ["请勿修改"]]), ("空", [])])
    result = read(data)
    assert result.sheets == ["说明", "空", "工单"]
    assert result.sheet == "工单"
    assert_two_tickets(result)


def test_chosen_sheet_and_unknown_sheet():
    data = xlsx_bytes(ROWS, sheet="工单", before=[("说明", [["x"]])])
    assert read(data, sheet="工单").sheet == "工单"
    missing = read(data, sheet="tickets")
    assert missing.frame is None
    assert [i.code for i in missing.issues] == ["ingest.no_sheet"]
    assert "工单" in missing.issues[0].en


def test_xlsx_file_on_disk_with_name(tmp_path):
    path = tmp_path / "工单 10月.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    result = read(path)
    assert result.file_name == "工单 10月.xlsx"
    assert len(result.sha256) == 64
    assert all(i.file == "工单 10月.xlsx" for i in result.issues)


# ---------------------------------------------------------------- files that cannot be read


def _one_error(result, code: str) -> None:
    assert result.frame is None
    assert [i.code for i in result.issues] == [code], result.issues
    issue = result.issues[0]
    assert issue.level == "error" and issue.zh and issue.en


def test_not_a_spreadsheet():
    _one_error(read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100)), "ingest.not_spreadsheet")
    _one_error(read(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "ingest.not_spreadsheet")
    _one_error(
        read(b"<html><body><table><tr><td>x</td></tr></table></body></html>"), "ingest.not_spreadsheet"
    )


def test_plain_zip_is_not_a_spreadsheet():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    _one_error(read(buf.getvalue()), "ingest.not_spreadsheet")


def test_corrupt_xlsx():
    data = xlsx_bytes(ROWS)
    _one_error(read(data[: len(data) // 2]), "ingest.corrupt")


def test_password_protected_xlsx():
    # an encrypted xlsx is an OLE compound file holding an "EncryptedPackage" stream
    fake = (
        OLE_MAGIC + bytes(504) + "EncryptedInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    )
    _one_error(read(fake + bytes(2048)), "ingest.encrypted")


def test_empty_file_and_empty_sheet():
    _one_error(read(b""), "ingest.empty")
    _one_error(read(b"\r\n\r\n"), "ingest.empty")
    book = openpyxl.Workbook()
    buf = io.BytesIO()
    book.save(buf)
    _one_error(read(buf.getvalue()), "ingest.empty")


def test_file_over_the_size_limit(tmp_path):
    data = csv_bytes(ROWS)
    _one_error(read(data, max_bytes=10), "ingest.too_large")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    _one_error(read(path, max_bytes=10), "ingest.too_large")


def test_missing_file(tmp_path):
    _one_error(read(tmp_path / "nope.xlsx"), "ingest.unreadable")


def test_header_only_file_is_an_empty_list_not_an_error():
    result = read(csv_bytes([["服务", "开始时间", "结束时间"]]), "outages")
    assert not result.has_errors
    assert codes(result) == {"ingest.no_rows"}
    assert result.frame is not None and len(result.frame) == 0
    assert list(result.frame.columns) == [*SCHEMA["outages"], ROW]
