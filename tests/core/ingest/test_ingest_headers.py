"""Headers: synonyms in both languages, user mappings, unknown, duplicate and missing columns."""

from __future__ import annotations

import pytest
from ingest_helpers import cell, codes, csv_bytes, issues, read, terms_in, utc, where

from sla_core.contract import CATEGORIES
from sla_core.dataset import AUXILIARY, SCHEMA
from sla_core.ingest import suggest_mapping
from sla_core.ingest.synonyms import COLUMN_SYNONYMS, match_header, normalize

ZH_TICKETS = [
    "工单号", "创建时间", "优先级", "首次响应时间", "解决时间", "关闭时间", "状态", "类型", "渠道", "客户",
    "处理组", "处理人", "重开次数", "一次解决", "免责", "免责原因",
]  # fmt: skip
EN_TICKETS = [
    "Number", "Opened", "Priority", "First response", "Resolved", "Closed", "State", "Category", "Channel",
    "Customer", "Assignment group", "Assigned to", "Reopen count", "First contact resolution", "Excluded",
    "Exclusion reason",
]  # fmt: skip
CANONICAL = [
    "ticket_id", "created_at", "priority", "first_response_at", "resolved_at", "closed_at", "status",
    "category", "channel", "customer", "team", "assignee", "reopened_count", "first_contact_resolved",
    "excluded", "exclusion_reason",
]  # fmt: skip


@pytest.mark.parametrize("headers", [ZH_TICKETS, EN_TICKETS, CANONICAL], ids=["zh", "en", "canonical"])
def test_ticket_synonyms(headers):
    assert suggest_mapping(headers, "tickets") == dict(zip(headers, CANONICAL, strict=True))
    row = [
        "T1",
        "2026-10-01 09:00",
        "P2",
        "2026-10-01 09:10",
        "2026-10-01 11:00",
        "2026-10-02 09:00",
        "closed",
    ]
    row += ["故障", "电话", "甲方", "一线", "张三", "1", "是", "否", ""]
    result = read(csv_bytes([headers, row]))
    assert not result.issues, result.issues
    assert result.columns_present == frozenset(CANONICAL) | {"category_raw"}
    assert cell(result, "team", 2) == "一线"
    assert cell(result, "reopened_count", 2) == 1


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Ticket ID", "ticket_id"),
        ("ticket_id", "ticket_id"),
        ("TICKET-ID", "ticket_id"),
        (" 工单 号 ", "ticket_id"),
        ("编号", "ticket_id"),
        ("报障时间", "created_at"),
        ("提交时间", "created_at"),
        ("Created", "created_at"),
        ("created_at", "created_at"),
        ("级别", "priority"),
        ("紧急程度", "priority"),
        ("响应时间", "first_response_at"),
        ("完成时间", "resolved_at"),
        ("类别", "category"),
        ("不可抗力", "excluded"),
        ("First_Response_Time", "first_response_at"),
        ("创建时间（北京时间）", "created_at"),
        ("Resolved (local)", "resolved_at"),
        ("ＰＲＩＯＲＩＴＹ", "priority"),  # full-width letters
        ("Opened at", "created_at"),
        ("Issue key", "ticket_id"),
    ],
)
def test_header_matching_ignores_case_space_and_punctuation(header, canonical):
    assert match_header(header, "tickets") == canonical


@pytest.mark.parametrize(
    ("kind", "header", "canonical"),
    [
        ("surveys", "提交时间", "submitted_at"),
        ("surveys", "评分", "score"),
        ("surveys", "得分", "score"),
        ("surveys", "总体满意度", "score"),
        ("surveys", "Score", "score"),
        ("surveys", "回访编号", "response_id"),
        ("surveys", "工单号", "ticket_id"),
        ("surveys", "受访人", "respondent"),
        ("surveys", "意见", "comment"),
        ("surveys", "答题时长(秒)", "duration_seconds"),
        ("outages", "系统", "service"),
        ("outages", "Service", "service"),
        ("outages", "开始时间", "start"),
        ("outages", "恢复时间", "end"),
        ("outages", "计划内", "planned"),
        ("outages", "通知时间", "announced_at"),
        ("outages", "级别", "severity"),
        ("outages", "原因", "cause"),
        ("outages", "描述", "description"),
        ("measures", "月份", "month"),
        ("measures", "指标", "kpi"),
        ("measures", "数值", "value"),
        ("measures", "值", "value"),
        ("measures", "来源", "source"),
        ("measures", "备注", "note"),
    ],
)
def test_other_kinds_synonyms(kind, header, canonical):
    assert match_header(header, kind) == canonical


def test_every_canonical_column_matches_itself():
    for kind, columns in SCHEMA.items():
        for column in columns:
            if column == "category_raw":
                continue
            assert match_header(column, kind) == column, (kind, column)
        assert set(COLUMN_SYNONYMS[kind]) <= set(columns) | set(AUXILIARY.get(kind, {}))


def test_synonyms_are_unambiguous_within_a_kind():
    for kind, table in COLUMN_SYNONYMS.items():
        seen: dict[str, str] = {}
        for canonical, words in table.items():
            for word in words:
                key = normalize(word)
                assert seen.get(key, canonical) == canonical, (kind, word, seen.get(key), canonical)
                seen[key] = canonical


def test_survey_dimensions():
    headers = [
        "提交时间",
        "评分",
        "服务态度",
        "专业能力评分",
        "Speed",
        "Effectiveness score",
        "回访及时性",
        "x",
    ]
    terms = terms_in("Asia/Shanghai", dimensions=("回访及时性",))
    mapping = suggest_mapping(headers, "surveys", terms.surveys.dimensions)
    assert mapping == {
        "提交时间": "submitted_at",
        "评分": "score",
        "服务态度": "dim:服务态度",
        "专业能力评分": "dim:专业能力评分",
        "Speed": "dim:Speed",
        "Effectiveness score": "dim:Effectiveness score",
        "回访及时性": "dim:回访及时性",
    }
    row = ["2026-10-01 09:00", "5", "4", "5", "3", "4", "5", "?"]
    result = read(csv_bytes([headers, row]), "surveys", terms)
    assert "dim:回访及时性" in result.columns_present
    assert cell(result, "dim:Speed", 2) == 3
    assert result.unknown_columns == ["x"]


def test_unknown_columns_are_reported_not_dropped_silently():
    result = read(
        csv_bytes(
            [
                ["工单号", "创建时间", "优先级", "内部备注", "SLA 标记"],
                ["T1", "2026-10-01 09:00", "P1", "a", "b"],
            ]
        )
    )
    [warning] = issues(result, "ingest.unknown_columns")
    assert warning.level == "warning"
    assert "内部备注" in warning.zh and "SLA 标记" in warning.en
    assert result.unknown_columns == ["内部备注", "SLA 标记"]


def test_duplicate_headers_first_wins():
    rows = [
        ["工单号", "创建时间", "优先级", "创建时间", "提交时间"],
        ["T1", "2026-10-01 09:00", "P1", "2026-10-05 09:00", "x"],
    ]
    result = read(csv_bytes(rows))
    assert where(result, "ingest.duplicate_column") == [(None, "创建时间"), (None, "提交时间")]
    assert all(i.level == "warning" for i in issues(result, "ingest.duplicate_column"))
    assert cell(result, "created_at", 2) == utc("2026-10-01 01:00")
    assert not result.has_errors


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        ("tickets", ["工单号", "优先级"], ["created_at"]),
        ("tickets", ["状态"], ["ticket_id", "created_at", "priority"]),
        ("surveys", ["提交时间"], ["score"]),
        ("outages", ["开始时间"], ["service"]),
        ("measures", ["月份", "指标"], ["value"]),
    ],
)
def test_missing_required_columns(kind, header, missing):
    result = read(csv_bytes([header, ["x"] * len(header)]), kind)
    found = issues(result, "ingest.missing_column")
    assert [i.column for i in found] == missing
    for issue in found:
        assert issue.level == "error"
        assert issue.column in issue.zh and issue.column in issue.en
    assert result.error_rows == {2}  # no row can be used


def test_missing_column_message_names_it_in_both_languages():
    result = read(csv_bytes([["工单号", "优先级"], ["T1", "P1"]]))
    [issue] = issues(result, "ingest.missing_column")
    assert "创建时间" in issue.zh and "created" in issue.en


def test_user_mapping_overrides_synonyms():
    rows = [
        ["单据", "时间", "优先级", "创建时间", "备注"],
        ["T1", "2026-10-01 09:00", "P1", "2026-10-09 09:00", "n"],
    ]
    mapping = {"单据": "ticket_id", "时间": "created_at", "备注": ""}
    result = read(csv_bytes(rows), mapping=mapping)
    assert result.mapping == {"单据": "ticket_id", "时间": "created_at", "优先级": "priority"}
    assert cell(result, "created_at", 2) == utc("2026-10-01 01:00")
    assert result.unknown_columns == ["创建时间"]  # its meaning was given to another column
    assert not result.has_errors


def test_user_mapping_matches_headers_loosely_and_can_name_dimensions():
    rows = [["Submitted", "Overall", "Q3 friendliness"], ["2026-10-01 09:00", "5", "4"]]
    result = read(csv_bytes(rows), "surveys", mapping={"overall": "score", "q3 friendliness": "dim:友好"})
    assert result.mapping == {"Submitted": "submitted_at", "Overall": "score", "Q3 friendliness": "dim:友好"}
    assert cell(result, "dim:友好", 2) == 4


def test_bad_mapping_target_is_an_error():
    rows = [["工单号", "创建时间", "优先级", "x"], ["T1", "2026-10-01 09:00", "P1", "y"]]
    result = read(csv_bytes(rows), mapping={"x": "no_such_column"})
    assert where(result, "ingest.bad_mapping") == [(None, "x")]


def test_header_found_by_most_synonyms_in_the_first_rows():
    rows = [
        ["工单报表"],
        ["状态说明", "", ""],
        [],
        ["工单号", "创建时间", "优先级"],
        ["T1", "2026-10-01 09:00", "P1"],
    ]
    result = read(csv_bytes(rows))
    assert result.header_row == 4
    assert result.frame["_row"].tolist() == [5]


def test_category_labels_cover_every_canonical_category():
    terms = terms_in("Asia/Shanghai")
    for category in CATEGORIES:
        assert getattr(terms.categories, category)


def test_nothing_recognised_reports_every_required_column():
    result = read(csv_bytes([["a", "b"], ["1", "2"]]))
    assert {i.column for i in issues(result, "ingest.missing_column")} == {
        "ticket_id",
        "created_at",
        "priority",
    }
    assert "ingest.unknown_columns" in codes(result)


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        # spec "Inputs": every synonym it lists for tickets, and the closing-time words Chinese desks use
        ("工单号", "ticket_id"),
        ("ticket id", "ticket_id"),
        ("创建时间", "created_at"),
        ("优先级", "priority"),
        ("首次响应时间", "first_response_at"),
        ("解决时间", "resolved_at"),
        ("resolved", "resolved_at"),
        ("关闭时间", "closed_at"),
        ("结单时间", "closed_at"),
        ("关单时间", "closed_at"),
        ("状态", "status"),
        ("类型", "category"),
        ("渠道", "channel"),
        ("客户", "customer"),
        ("处理人", "assignee"),
        ("处理组", "team"),
        ("重开次数", "reopened_count"),
        ("一次解决", "first_contact_resolved"),
        ("免责", "excluded"),
    ],
)
def test_every_synonym_the_spec_lists(header, canonical):
    assert match_header(header, "tickets") == canonical
