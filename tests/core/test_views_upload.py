"""The Upload preview's headline: a file that could not be read at all says why (zero bytes, a damaged
or encrypted workbook, text named .xlsx), not "missing required columns" for a file with no columns."""

from __future__ import annotations

import io

import openpyxl
from builders import make_contract

from sla_core.ingest import read_file
from sla_core.views.upload import upload_preview

C = make_contract()
ZONE = "Asia/Shanghai"


def _preview(name: str, data: bytes):
    return upload_preview(read_file(data, "tickets", C, file_name=name), ZONE)


def test_a_file_of_zero_bytes_says_so_instead_of_missing_columns():
    view = _preview("t.csv", bytes(4096))
    assert [i.code for i in view.unreadable] == ["ingest.only_zeros"]
    assert view.missing_required == []


def test_a_damaged_workbook_says_it_is_damaged():
    view = _preview("t.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50)
    assert [i.code for i in view.unreadable] == ["ingest.corrupt"]
    assert view.missing_required == []


def test_text_named_xlsx_says_it_is_not_a_spreadsheet_before_the_missing_columns():
    view = _preview("t.xlsx", b"hello,world\n1,2\n")
    assert [i.code for i in view.unreadable] == ["ingest.text_not_spreadsheet"]
    assert view.missing_required == ["ticket_id", "created_at", "priority"]


def test_text_named_xlsx_with_the_columns_has_no_headline():
    view = _preview("t.xlsx", "工单号,创建时间,优先级\nT-1,2026-03-02 09:00,P1\n".encode())
    assert view.unreadable == [] and view.missing_required == []


def test_a_readable_file_without_the_columns_still_names_them():
    book = openpyxl.Workbook()
    book.active.append(["foo", "bar"])
    book.active.append([1, 2])
    out = io.BytesIO()
    book.save(out)
    view = _preview("t.xlsx", out.getvalue())
    assert view.unreadable == []
    assert view.missing_required == ["ticket_id", "created_at", "priority"]


def test_one_zero_byte_among_text_is_not_a_file_of_zeros():
    view = _preview("t.csv", b"\x00" * 100 + b"a,b\n1,2\n")
    assert "ingest.only_zeros" not in {i.code for i in view.unreadable}
