"""Impossible and implausible dates: a day a month does not have is an error (never rolled into the next
month), and a time more than 20 years before the contract starts or more than a year after the later of
the import and the contract's end is an error on its row. The example contract starts 2026-01-01 and has
no end; the import time (NOW) is 2026-12-01."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from ingest_helpers import NOW, base_terms, cell, csv_bytes, issues, read, utc, where

HEADER = ["工单号", "创建时间", "优先级"]


def tickets_with(created: list[object]):
    rows = [HEADER] + [[f"T{i}", v, "P1"] for i, v in enumerate(created, start=1)]
    return read(csv_bytes(rows))


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-29 09:00",  # 2026 is not a leap year
        "2026-02-30 09:00",
        "2026-04-31 09:00",
        "1900-02-29 09:00",  # nor is 1900 (Excel's famous fictional day)
        "2026-02-29",
        "2026/02/30 09:00",
        "2026年2月30日 09:00",
        "30/02/2026 09:00",
        "2026-03-01 23:59:61",
    ],
)
def test_a_day_the_month_does_not_have_is_an_error_not_the_next_month(text):
    result = tickets_with(["2026-03-02 09:00", text])
    assert where(result, "ingest.bad_timestamp") == [(3, "创建时间")], result.issues
    assert cell(result, "created_at", 2) == utc("2026-03-02 01:00")


def test_a_real_leap_day_is_read():
    result = tickets_with(["2024-02-29 09:00", "2020-02-29"])
    assert not result.has_errors, result.issues
    assert cell(result, "created_at", 2) == utc("2024-02-29 01:00")


@pytest.mark.parametrize(
    ("text", "code_too"),
    [
        ("1000-01-05 09:00", "early"),
        ("1899-12-31 09:00", "early"),
        ("1026-03-02 09:00", "early"),  # one typo for 2026: twelve centuries
        ("2005-12-31 23:59", "early"),  # 20 years and a minute before 2026-01-01
        ("2027-12-01 08:01", "late"),  # a year and a minute after the import (00:00 UTC = 08:00 local)
        ("3026-03-02 09:00", "late"),
    ],
)
def test_a_time_too_far_from_the_contract_is_an_error_on_its_row(text, code_too):
    result = tickets_with(["2026-03-02 09:00", text])
    assert where(result, "ingest.implausible_timestamp") == [(3, "创建时间")], result.issues
    (issue,) = issues(result, "ingest.implausible_timestamp")
    assert issue.level == "error" and issue.value == text
    if code_too == "early":
        assert "20 years before the contract starts (2026-01-01)" in issue.en and "2026-01-01" in issue.zh
    else:
        assert "a year after the import time" in issue.en
    assert result.error_rows == {3}


def test_the_edges_of_the_window_are_plausible():
    # exactly 20 years before the start, and exactly a year after the import (local 08:00 = 00:00 UTC)
    result = tickets_with(["2006-01-01 00:00", "2027-12-01 08:00", "2010-03-31 14:59"])
    assert not result.has_errors, result.issues
    assert {i.code for i in result.issues} == {"ingest.future_timestamp"}


def test_the_window_follows_the_contracts_dates():
    terms = base_terms()
    later = terms.model_copy(
        update={
            "contract": terms.contract.model_copy(
                update={"effective_from": terms.contract.effective_from.replace(year=2040)}
            )
        }
    )
    rows = [HEADER, ["T1", "2019-12-31 23:00", "P1"], ["T2", "2020-01-01 00:00", "P1"]]
    result = read(csv_bytes(rows), terms=later)
    assert where(result, "ingest.implausible_timestamp") == [(2, "创建时间")]
    ended = terms.model_copy(
        update={"contract": terms.contract.model_copy(update={"effective_to": NOW.date().replace(year=2030)})}
    )
    rows = [HEADER, ["T1", "2031-11-30 09:00", "P1"], ["T2", "2031-12-02 09:00", "P1"]]
    result = read(csv_bytes(rows), terms=ended)
    assert where(result, "ingest.implausible_timestamp") == [(3, "创建时间")]
    assert (
        "a year after the contract ends (2030-12-01)" in issues(result, "ingest.implausible_timestamp")[0].en
    )


def test_date_formatted_excel_serials_of_1900_are_errors():
    """Serial 60 is Excel's 1900-02-29, a day that never was; 1 and 59 are January and February 1900."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet()
    as_date = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, HEADER)
    for row, serial in enumerate([60, 1, 59, 46083.375], start=1):
        sheet.write(row, 0, f"T{row}")
        sheet.write_number(row, 1, serial, as_date)
        sheet.write(row, 2, "P1")
    book.close()
    result = read(buf.getvalue())
    assert where(result, "ingest.implausible_timestamp") == [
        (2, "创建时间"),
        (3, "创建时间"),
        (4, "创建时间"),
    ]
    assert cell(result, "created_at", 5) == utc("2026-03-02 01:00")


def test_a_measures_month_too_far_from_the_contract_is_an_error():
    rows = [
        ["月份", "指标", "数值"],
        ["2026-03", "备份成功率", "99.9%"],
        ["1026-03", "备份成功率", "99.9%"],
        ["2005-12", "备份成功率", "99.9%"],
        ["2006-01", "恢复时间", "2"],
        ["2028-01", "备份成功率", "99.9%"],
    ]
    result = read(csv_bytes(rows), "measures")
    assert [r for r, _ in where(result, "ingest.implausible_month")] == [3, 4, 6], result.issues
