"""Values: every timestamp form, day/month order, DST, booleans, blanks, priorities, categories, ticket rules."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import pytest
from ingest_helpers import NOW, cell, codes, csv_bytes, issues, read, terms_in, utc, where, xlsx_bytes

from sla_core.dataset import ROW, SCHEMA
from sla_core.ingest import valid_rows_only
from sla_core.ingest.collect import Collector

HEADER = ["工单号", "创建时间", "优先级"]


def tickets_with(created: list[object], header: str = "创建时间", **kw):
    rows = [["工单号", header, "优先级"]] + [[f"T{i}", v, "P1"] for i, v in enumerate(created, start=1)]
    return read(csv_bytes(rows), **kw)


# ---------------------------------------------------------------- timestamp forms


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("2026-10-01 09:05:30", "2026-10-01 01:05:30"),
        ("2026-10-01 09:05", "2026-10-01 01:05"),
        ("2026/10/01 09:05", "2026-10-01 01:05"),
        ("2026/10/1 9:05:07", "2026-10-01 01:05:07"),
        ("2026-10-01", "2026-09-30 16:00"),
        ("2026-10-01T09:05:30", "2026-10-01 01:05:30"),
        ("2026-10-01T09:05:30Z", "2026-10-01 09:05:30"),
        ("2026-10-01T09:05:30.750Z", "2026-10-01 09:05:30"),
        ("2026-10-01T09:05:30+08:00", "2026-10-01 01:05:30"),
        ("2026-10-01T09:05:30-05:00", "2026-10-01 14:05:30"),
        ("2026-10-01 09:05:30 +0530", "2026-10-01 03:35:30"),
        ("2026年10月1日 9:05", "2026-10-01 01:05"),
        ("2026年10月01日 09:05:30", "2026-10-01 01:05:30"),
        ("2026年10月1日", "2026-09-30 16:00"),
        ("2026年10月1日 9时5分", "2026-10-01 01:05"),
        ("2026/10/1 下午 3:05", "2026-10-01 07:05"),
        ("2026-10-01 3:05 PM", "2026-10-01 07:05"),
        ("2026-10-01 12:05 AM", "2026-09-30 16:05"),
        ("01/Oct/26 9:05 AM", "2026-10-01 01:05"),
        ("1 Oct 2026 09:05", "2026-10-01 01:05"),
        ("Oct 1, 2026 9:05 PM", "2026-10-01 13:05"),
        ("46296.378125", "2026-10-01 01:04:30"),  # an Excel serial written as text
        ("  2026-10-01 09:05  ", "2026-10-01 01:05"),
    ],
)
def test_timestamp_forms(text, expected_utc):
    result = tickets_with([text])
    assert not result.has_errors, result.issues
    assert cell(result, "created_at", 2) == utc(expected_utc)


def test_mixed_forms_in_one_column():
    result = tickets_with(["2026-10-01 09:05", "2026年10月2日 10:00", "2026-10-03T00:00:00Z", "46296.5"])
    assert not result.has_errors, result.issues
    assert result.frame["created_at"].tolist() == [
        utc("2026-10-01 01:05"),
        utc("2026-10-02 02:00"),
        utc("2026-10-03 00:00"),
        utc("2026-10-01 04:00"),
    ]
    assert str(result.frame["created_at"].dtype) == "datetime64[s, UTC]"


def test_excel_serials_and_datetime_cells():
    rows = [
        ["工单号", "创建时间", "优先级", "解决时间"],
        ["T1", 46296.378125, "P1", datetime(2026, 10, 1, 12, 0, 0, 999_000)],  # rounded to the second
        ["T2", datetime(2026, 10, 1), "P1", 46296.5],
    ]
    result = read(xlsx_bytes(rows))
    assert not result.has_errors, result.issues
    assert cell(result, "created_at", 2) == utc("2026-10-01 01:04:30")
    assert cell(result, "resolved_at", 2) == utc("2026-10-01 04:00:01")
    assert cell(result, "created_at", 3) == utc("2026-09-30 16:00")
    assert cell(result, "resolved_at", 3) == utc("2026-10-01 04:00")


def test_naive_times_follow_the_contract_zone():
    berlin = terms_in("Europe/Berlin")
    result = tickets_with(["2026-07-01 12:00", "2026-12-01 12:00", "2026-07-01T12:00:00+08:00"], terms=berlin)
    assert result.frame["created_at"].tolist() == [
        utc("2026-07-01 10:00"),
        utc("2026-12-01 11:00"),
        utc("2026-07-01 04:00"),
    ]


def test_unparseable_timestamps_are_errors_with_row_and_column():
    result = tickets_with(
        ["2026-10-01 09:00", "yesterday", "2026-13-01 09:00", "2026-02-30", "2026-10-01 25:00"]
    )
    assert where(result, "ingest.bad_timestamp") == [
        (3, "创建时间"),
        (4, "创建时间"),
        (5, "创建时间"),
        (6, "创建时间"),
    ]
    assert [i.value for i in issues(result, "ingest.bad_timestamp")] == [
        "yesterday",
        "2026-13-01 09:00",
        "2026-02-30",
        "2026-10-01 25:00",
    ]
    assert result.error_rows == {3, 4, 5, 6}


# ---------------------------------------------------------------- day/month order


def test_day_first_proven_by_a_day_over_12():
    result = tickets_with(["01/10/2026 09:05", "13/10/2026 10:00"])
    assert not result.has_errors, result.issues
    assert result.frame["created_at"].tolist() == [utc("2026-10-01 01:05"), utc("2026-10-13 02:00")]


def test_month_first_proven_by_a_second_part_over_12():
    result = tickets_with(["10/01/2026 09:05", "10/13/2026 10:00", "1/2/2026"])
    assert not result.has_errors, result.issues
    assert result.frame["created_at"].tolist() == [
        utc("2026-10-01 01:05"),
        utc("2026-10-13 02:00"),
        utc("2026-01-01 16:00"),
    ]


def test_ambiguous_order_is_an_error_naming_the_column():
    result = tickets_with(["01/10/2026 09:05", "02/10/2026 10:00", "2026-10-03 10:00"])
    [issue] = issues(result, "ingest.ambiguous_date_order")
    assert issue.level == "error" and issue.column == "创建时间" and issue.row is None
    assert "创建时间" in issue.zh and "创建时间" in issue.en
    assert result.error_rows == {2, 3}  # the ISO row is fine
    assert cell(result, "created_at", 4) == utc("2026-10-03 02:00")


@pytest.mark.parametrize(("order", "expected"), [("dmy", "2026-10-01 01:05"), ("mdy", "2026-01-10 01:05")])
def test_ambiguous_order_taken_from_the_preset(order, expected):
    result = tickets_with(["01/10/2026 09:05"], date_order=order)
    assert not result.has_errors
    assert cell(result, "created_at", 2) == utc(expected)


def test_values_beat_the_preset():
    result = tickets_with(["13/10/2026 09:05"], date_order="mdy")
    assert cell(result, "created_at", 2) == utc("2026-10-13 01:05")


def test_order_is_decided_per_column():
    rows = [
        ["工单号", "创建时间", "优先级", "解决时间"],
        ["T1", "01/10/2026 09:05", "P1", "13/10/2026 10:00"],
    ]
    result = read(csv_bytes(rows))
    assert where(result, "ingest.ambiguous_date_order") == [(None, "创建时间")]
    assert cell(result, "resolved_at", 2) == utc("2026-10-13 02:00")


def test_mixed_orders_in_one_column_are_an_error():
    result = tickets_with(["13/10/2026 09:05", "10/14/2026 09:05"])
    assert where(result, "ingest.date_order_conflict") == [(None, "创建时间")]
    assert result.error_rows == {2, 3}


# ---------------------------------------------------------------- durations, DST, the future


def test_small_numbers_look_like_durations():
    result = tickets_with(["45", "0.5", "19999", "0:45", "12:30:00", "20000"])
    assert where(result, "ingest.duration_not_time") == [(r, "创建时间") for r in (2, 3, 4, 5, 6)]
    assert "duration" in issues(result, "ingest.duration_not_time")[0].en
    assert cell(result, "created_at", 7) == pd.Timestamp(
        "1954-10-02 16:00", tz="UTC"
    )  # serial 20000 = 1954-10-03 local


def test_duration_cells_in_xlsx():
    rows = [HEADER, ["T1", 0.25, "P1"], ["T2", time(9, 5), "P1"], ["T3", timedelta(hours=30), "P1"]]
    result = read(xlsx_bytes(rows))
    assert where(result, "ingest.duration_not_time") == [(2, "创建时间"), (3, "创建时间"), (4, "创建时间")]


def test_dst_gap_is_an_error_and_repeated_hour_a_warning():
    berlin = terms_in("Europe/Berlin")
    result = tickets_with(
        ["2026-03-29 02:30", "2026-10-25 02:30", "2026-10-25 03:30", "2026-03-29 03:30"], terms=berlin
    )
    [gap] = issues(result, "ingest.nonexistent_time")
    assert (gap.level, gap.row, gap.column, gap.value) == ("error", 2, "创建时间", "2026-03-29 02:30")
    [twice] = issues(result, "ingest.ambiguous_time")
    assert (twice.level, twice.row, twice.column) == ("warning", 3, "创建时间")
    assert cell(result, "created_at", 3) == utc("2026-10-25 00:30")  # the first 02:30 (CEST)
    assert cell(result, "created_at", 4) == utc("2026-10-25 02:30")
    assert cell(result, "created_at", 5) == utc("2026-03-29 01:30")
    assert result.error_rows == {2}


def test_no_dst_problems_in_shanghai_or_with_offsets():
    result = tickets_with(["2026-03-29 02:30", "2026-10-25 02:30"])
    assert not result.issues
    berlin = terms_in("Europe/Berlin")
    assert not tickets_with(["2026-03-29T02:30:00+01:00"], terms=berlin).issues


def test_future_timestamps_are_warnings():
    soon = (NOW + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    later = (NOW + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = tickets_with([soon, later])
    assert where(result, "ingest.future_timestamp") == [(3, "创建时间")]
    assert issues(result, "ingest.future_timestamp")[0].level == "warning"
    assert not result.has_errors


# ---------------------------------------------------------------- booleans and blanks


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True), ("TRUE", True), ("True", True), ("false", False), ("FALSE", False),
        ("是", True), ("否", False), ("Y", True), ("y", True), ("N", False), ("n", False),
        ("yes", True), ("Yes", True), ("NO", False), ("1", True), ("0", False), (" 是 ", True),
        ("", False), ("-", False), ("N/A", False),
    ],
)  # fmt: skip
def test_boolean_spellings(text, value):
    result = read(csv_bytes([[*HEADER, "一次解决"], ["T1", "2026-10-01 09:00", "P1", text]]))
    assert not result.has_errors, result.issues
    assert (
        cell(result, "first_contact_resolved", 2) is value
        or cell(result, "first_contact_resolved", 2) == value
    )


def test_bad_boolean_is_an_error():
    result = read(csv_bytes([[*HEADER, "一次解决"], ["T1", "2026-10-01 09:00", "P1", "maybe"]]))
    assert [(i.row, i.column, i.value) for i in issues(result, "ingest.bad_boolean")] == [
        (2, "一次解决", "maybe")
    ]


def test_boolean_cells_in_xlsx():
    rows = [[*HEADER, "计划内"], ["S", "2026-10-01 09:00", "P1", True]]
    rows = [["服务", "开始时间", "计划内"], ["CRM", "2026-10-01 09:00", True], ["ERP", "2026-10-01 09:00", 0]]
    result = read(xlsx_bytes(rows), "outages")
    assert result.frame["planned"].tolist() == [True, False]


@pytest.mark.parametrize("marker", ["", "-", "N/A", "n/a", "NA", "null", "NULL", "?", "  "])
def test_missing_value_markers(marker):
    optional = read(
        csv_bytes([[*HEADER, "处理组", "解决时间"], ["T1", "2026-10-01 09:00", "P1", marker, marker]])
    )
    assert not optional.issues
    assert pd.isna(cell(optional, "team", 2)) and pd.isna(cell(optional, "resolved_at", 2))
    required = read(csv_bytes([HEADER, ["T1", marker, "P1"]]))
    assert where(required, "ingest.missing_value") == [(2, "创建时间")]


def test_exclusion_reason_makes_a_ticket_excluded():
    rows = [
        [*HEADER, "免责原因"],
        ["T1", "2026-10-01 09:00", "P1", "不可抗力：台风"],
        ["T2", "2026-10-01 09:00", "P1", ""],
    ]
    result = read(csv_bytes(rows))
    assert result.frame["excluded"].tolist() == [True, False]
    assert {"excluded", "exclusion_reason"} <= result.columns_present
    rows = [
        [*HEADER, "免责", "免责原因"],
        ["T1", "2026-10-01 09:00", "P1", "否", "客户原因"],
        ["T2", "2026-10-01", "P1", "是", ""],
    ]
    assert read(csv_bytes(rows)).frame["excluded"].tolist() == [True, True]


# ---------------------------------------------------------------- priorities and categories


@pytest.mark.parametrize(
    ("label", "pid"),
    [("P1", "P1"), ("p1", "P1"), (" P 1 ", "P1"), ("紧急", "P1"), ("Critical", "P1"), ("URGENT", "P1"), ("1", "P1"),
     ("二级", "P2"), ("High", "P2"), ("一般", "P3"), ("minor", "P3"), ("3", "P3")],
)  # fmt: skip
def test_priority_labels(label, pid):
    result = read(csv_bytes([HEADER, ["T1", "2026-10-01 09:00", label]]))
    assert not result.has_errors, result.issues
    assert cell(result, "priority", 2) == pid


def test_priority_labels_of_every_version_of_a_contract():
    from sla_core.contract import parse_contract

    text = (
        (__import__("ingest_helpers").CONTRACT)
        .read_text(encoding="utf-8")
        .replace(
            'priorities = [{ id = "P2", response = "20m" }]',
            'priorities = [{ id = "P4", labels = ["四级"], response = "1h", resolution = "48h" }]',
        )
    )
    contract, problems = parse_contract(text)
    assert contract is not None, problems
    result = read(csv_bytes([HEADER, ["T1", "2026-10-01 09:00", "四级"]]), terms=contract)
    assert cell(result, "priority", 2) == "P4"


def test_unknown_priority_is_an_error_with_the_value():
    result = read(csv_bytes([HEADER, ["T1", "2026-10-01 09:00", "P1"], ["T2", "2026-10-01 09:00", "Sev 9"]]))
    [issue] = issues(result, "ingest.unknown_priority")
    assert (issue.level, issue.row, issue.column, issue.value) == ("error", 3, "优先级", "Sev 9")
    assert "P1, P2, P3" in issue.en
    assert pd.isna(cell(result, "priority", 3))


def test_categories_map_by_prefix_and_warn_once_for_the_rest():
    values = [
        "故障",
        "故障-网络",
        "Incident report",
        "服务请求",
        "咨询类",
        "COMPLAINT",
        "其他",
        "其他",
        "Misc",
    ]
    rows = [[*HEADER, "类型"]] + [[f"T{i}", "2026-10-01 09:00", "P1", v] for i, v in enumerate(values)]
    result = read(csv_bytes(rows))
    assert result.frame["category"].tolist() == [
        "fault", "fault", "fault", "request", "inquiry", "complaint", "其他", "其他", "Misc",
    ]  # fmt: skip
    assert result.frame["category_raw"].tolist() == values
    [warning] = issues(result, "ingest.unmapped_categories")
    assert warning.level == "warning" and warning.column == "类型"
    assert "其他" in warning.zh and "Misc" in warning.en
    assert not result.has_errors


# ---------------------------------------------------------------- ticket rules


def test_milestones_before_created_are_errors_on_their_row_and_column():
    rows = [
        ["工单号", "创建时间", "优先级", "首次响应时间", "解决时间", "关闭时间", "分类时间"],
        ["T1", "2026-10-01 09:00", "P1", "2026-10-01 09:10", "2026-10-01 10:00", "2026-10-01 11:00", ""],
        ["T2", "2026-10-01 09:00", "P1", "2026-10-01 08:59", "2026-10-01 10:00", "2026-09-30 11:00", ""],
        ["T3", "2026-10-01 09:00", "P1", "", "2026-10-01 08:00", "", "2026-10-01 08:30"],
        ["T4", "", "P1", "2026-10-01 08:00", "", "", ""],
    ]
    result = read(csv_bytes(rows))
    assert sorted(where(result, "ingest.before_created")) == [
        (3, "关闭时间"),
        (3, "首次响应时间"),
        (4, "分类时间"),
        (4, "解决时间"),
    ]
    issue = next(
        i for i in issues(result, "ingest.before_created") if i.row == 3 and i.column == "首次响应时间"
    )
    assert issue.value == "2026-10-01 08:59" and "2026-10-01 09:00" in issue.en
    assert result.error_rows == {3, 4, 5}  # row 5: created is blank


def test_duplicate_ticket_ids_are_errors_on_each_row():
    rows = [
        HEADER,
        ["T1", "2026-10-01 09:00", "P1"],
        ["T2", "2026-10-01 09:00", "P1"],
        ["T1", "2026-10-02", "P1"],
    ]
    result = read(csv_bytes(rows))
    assert where(result, "ingest.duplicate_id") == [(2, "工单号"), (4, "工单号")]
    assert "2, 4" in issues(result, "ingest.duplicate_id")[0].en


def test_counts_and_minutes():
    rows = [
        [*HEADER, "重开次数", "暂停时长"],
        ["T1", "2026-10-01 09:00", "P1", "2", "15.5"],
        ["T2", "2026-10-01 09:00", "P1", "1.5", "-3"],
        ["T3", "2026-10-01 09:00", "P1", "abc", "x"],
        ["T4", "2026-10-01 09:00", "P1", "-1", ""],
    ]
    result = read(csv_bytes(rows))
    assert cell(result, "reopened_count", 2) == 2 and cell(result, "paused_minutes", 2) == 15.5
    assert sorted(where(result, "ingest.bad_number")) == [(3, "重开次数"), (4, "暂停时长"), (4, "重开次数")]
    assert sorted(where(result, "ingest.negative")) == [(3, "暂停时长"), (5, "重开次数")]


# ---------------------------------------------------------------- many problems, valid rows


def test_many_problems_are_capped_and_summarised():
    rows = [HEADER] + [[f"T{i}", "not a date", "P9"] for i in range(5000)]
    result = read(csv_bytes(rows))
    assert len(result.issues) <= 1000
    assert len(result.error_rows) == 5000
    bad_dates = issues(result, "ingest.bad_timestamp")
    listed = [i for i in bad_dates if i.row is not None]
    [summary] = [i for i in bad_dates if i.row is None]
    assert len(listed) == 50 and listed[0].row == 2
    assert summary.value == "4950" and "4950" in summary.en
    assert "ingest.unknown_priority" in codes(result)


def test_issue_cap_with_final_summary():
    report = Collector("f.csv", per_problem=5, limit=10)
    mask = pd.Series([True] * 20, index=range(2, 22))
    report.rows("warning", "ingest.w", mask, column="A", zh="w {value}", en="w {value}")
    for code in ("ingest.e1", "ingest.e2"):
        report.rows("error", code, mask, column="B", zh="e", en="e")
    found = report.finish()
    assert len(found) == 10
    assert found[-1].code == "ingest.too_many_issues" and found[-1].level == "error"
    assert [i.level for i in found[:-1]] == ["error"] * 9  # errors are kept before warnings
    assert report.error_rows == set(range(2, 22))


def test_braces_in_headers_and_values_are_just_text():
    rows = [["工单号", "创建时间{UTC+8}", "优先级"], ["T{1}", "bad {x} {value}", "P1"]]
    result = read(csv_bytes(rows), mapping={"创建时间{UTC+8}": "created_at"})
    [issue] = issues(result, "ingest.bad_timestamp")
    assert (issue.row, issue.column, issue.value) == (2, "创建时间{UTC+8}", "bad {x} {value}")
    assert "bad {x} {value}" in issue.en
    assert cell(result, "ticket_id", 2) == "T{1}"


def test_valid_rows_only_keeps_the_issues():
    rows = [HEADER, ["T1", "2026-10-01 09:00", "P1"], ["T2", "bad", "P1"], ["T3", "2026-10-01 09:00", "P7"]]
    result = read(csv_bytes(rows))
    assert result.has_errors and result.error_rows == {3, 4}
    valid = valid_rows_only(result)
    assert valid.frame["ticket_id"].tolist() == ["T1"]
    assert valid.frame[ROW].tolist() == [2]
    assert valid.issues == result.issues
    assert result.frame is not None and len(result.frame) == 3  # the original is untouched


def test_canonical_frame_dtypes():
    result = read(csv_bytes([HEADER, ["T1", "2026-10-01 09:00", "P1"]]))
    frame = result.frame
    assert list(frame.columns) == [*SCHEMA["tickets"], ROW]
    for column, dtype in SCHEMA["tickets"].items():
        assert str(frame[column].dtype) == dtype, column
    assert str(frame[ROW].dtype) == "Int64"
    assert result.columns_present == frozenset({"ticket_id", "created_at", "priority"})


def test_every_issue_is_located_and_bilingual():
    rows = [HEADER, ["T1", "bad", "P9"], ["T1", "2026-10-01", "P1"]]
    result = read(csv_bytes(rows), file_name="t.csv")
    assert result.issues
    for issue in result.issues:
        assert issue.file == "t.csv" and issue.zh and issue.en and issue.code.startswith("ingest.")
        assert issue.zh != issue.en
