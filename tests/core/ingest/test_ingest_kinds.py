"""Surveys, outages and measures; xls and ods; several files at once; the demo exports round-trip."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from ingest_helpers import base_terms, cell, codes, csv_bytes, issues, read, terms_in, utc, where, xlsx_bytes

from sla_core.dataset import ROW, SCHEMA
from sla_core.ingest import read_dataset

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


# ---------------------------------------------------------------- surveys


def test_surveys_in_chinese():
    rows = [
        ["回访编号", "工单号", "提交时间", "总体满意度", "服务态度", "专业能力", "响应速度", "服务效果", "受访人", "评价", "答题时长"],
        ["S1", "T1", "2026-10-02 10:00", "5", "5", "4", "5", "4", "王先生", "很好", "95"],
        ["S2", "T2", "2026-10-03 11:00", "4.5", "4", "4", "4", "4", "李女士", "", "01:30"],
    ]  # fmt: skip
    result = read(csv_bytes(rows), "surveys")
    assert not result.issues, result.issues
    frame = result.frame
    assert list(frame.columns) == [
        *SCHEMA["surveys"],
        "dim:服务态度",
        "dim:专业能力",
        "dim:响应速度",
        "dim:服务效果",
        ROW,
    ]
    assert frame["score"].tolist() == [5.0, 4.5]
    assert frame["duration_seconds"].tolist() == [95.0, 90.0]
    assert cell(result, "submitted_at", 2) == utc("2026-10-02 02:00")
    assert str(frame["dim:服务态度"].dtype) == "Float64"
    assert {"dim:服务态度", "response_id", "comment"} <= result.columns_present


def test_surveys_in_english_without_response_ids():
    rows = [
        ["Submitted", "Score", "Ticket", "Attitude", "Comment"],
        ["2026-10-02 10:00", "9", "T1", "10", "fine"],
    ]
    result = read(csv_bytes(rows), "surveys", terms_in("Asia/Shanghai", scale=10))
    assert not result.issues, result.issues
    # generated ids: the file's sha256 (12 hex) and the row, stable per file and unique across files
    assert cell(result, "response_id", 2) == result.sha256[:12] + "-2"
    assert "response_id" not in result.columns_present
    assert cell(result, "dim:Attitude", 2) == 10


def test_score_outside_the_scale_is_an_error_dimension_a_warning():
    rows = [
        ["提交时间", "评分", "服务态度"],
        ["2026-10-02 10:00", "6", "3"],
        ["2026-10-02 10:00", "0", "4"],
        ["2026-10-02 10:00", "4", "7"],
        ["2026-10-02 10:00", "优秀", "x"],
        ["2026-10-02 10:00", "", "4"],
    ]
    result = read(csv_bytes(rows), "surveys")
    assert where(result, "ingest.score_out_of_range") == [(2, "评分"), (3, "评分")]
    assert all(i.level == "error" for i in issues(result, "ingest.score_out_of_range"))
    [dim] = issues(result, "ingest.dimension_out_of_range")
    assert (dim.level, dim.row, dim.column, dim.value) == ("warning", 4, "服务态度", "7")
    assert sorted(where(result, "ingest.bad_number")) == [(5, "服务态度"), (5, "评分")]
    assert where(result, "ingest.missing_value") == [(6, "评分")]
    assert cell(result, "dim:服务态度", 4) == 7  # kept: the KPI code flags it
    assert result.error_rows == {2, 3, 5, 6}


def test_duplicate_response_ids():
    rows = [["回访编号", "提交时间", "评分"], ["S1", "2026-10-02", "5"], ["S1", "2026-10-03", "4"]]
    assert where(read(csv_bytes(rows), "surveys"), "ingest.duplicate_id") == [
        (2, "回访编号"),
        (3, "回访编号"),
    ]


# ---------------------------------------------------------------- outages


def test_outages():
    rows = [
        ["系统", "开始时间", "恢复时间", "计划内", "通知时间", "级别", "原因", "描述"],
        ["CRM", "2026-10-01 02:00", "2026-10-01 03:30", "是", "2026-09-29 10:00", "P2", "升级", "计划维护"],
        ["ERP", "2026-10-05 14:00", "", "否", "", "P1", "", "进行中"],
        ["OA", "2026-10-06 14:00", "2026-10-06 13:00", "N", "", "", "", ""],
    ]
    result = read(csv_bytes(rows), "outages")
    assert where(result, "ingest.end_before_start") == [(4, "恢复时间")]
    assert result.frame["planned"].tolist() == [True, False, False]
    assert cell(result, "start", 2) == utc("2026-09-30 18:00")
    assert pd.isna(cell(result, "end", 3))
    assert result.columns_present == frozenset(SCHEMA["outages"])


def test_outages_in_english():
    rows = [
        ["Service", "Start", "End", "Planned"],
        ["Email", "2026-10-01T02:00:00Z", "2026-10-01T02:45:00Z", "yes"],
    ]
    result = read(csv_bytes(rows), "outages")
    assert not result.issues
    assert cell(result, "end", 2) == utc("2026-10-01 02:45")


# ---------------------------------------------------------------- measures


def test_measures():
    rows = [
        ["月份", "指标", "数值", "来源", "备注"],
        ["2026-10", "备份成功率", "99.5%", "", ""],
        ["2026/09", "backup_success_rate", "0.98", "", ""],
        ["2026年8月", "恢复时间", "3.5", "", "演练"],
        ["2026-10-15", "availability", "99.95%", "乙方", "供应商自报"],
        ["2026-10", "Availability", "0.9990", "", ""],
        ["2026-10", "自定义指标", "12", "", ""],
    ]
    result = read(csv_bytes(rows), "measures")
    assert not result.has_errors, result.issues
    frame = result.frame
    assert frame["month"].tolist() == ["2026-10", "2026-09", "2026-08", "2026-10", "2026-10", "2026-10"]
    assert frame["kpi"].tolist() == [
        "backup_success_rate",
        "backup_success_rate",
        "recovery_time_hours",
        "availability",
        "availability",
        "自定义指标",
    ]
    assert frame["value"].tolist() == pytest.approx([0.995, 0.98, 3.5, 0.9995, 0.999, 12])
    assert frame["source"].tolist()[3] == "provider"
    assert where(result, "ingest.unknown_kpi") == [(7, "指标")]


def test_measure_month_from_date_cells():
    rows = [
        ["月份", "指标", "数值"],
        [datetime(2026, 10, 31, 23, 0), "恢复时间", 2],
        [46296.0, "恢复时间", 3],
    ]
    result = read(xlsx_bytes(rows), "measures")
    assert result.frame["month"].tolist() == ["2026-10", "2026-10"]
    assert where(result, "ingest.duplicate_measure") == [(2, "指标"), (3, "指标")]


def test_measure_errors():
    rows = [
        ["月份", "指标", "数值", "来源"],
        ["2026-10", "备份成功率", "99.5", ""],  # a rate above 1 without %
        ["2026-13", "恢复时间", "2", ""],
        ["十月", "恢复时间", "2", ""],
        ["2026-11", "系统可用性", "120%", ""],
        ["2026-11", "恢复时间", "4%", ""],
        ["2026-12", "恢复时间", "abc", ""],
        ["2026-09", "恢复时间", "1", ""],
        ["2026-09", "recovery time", "2", ""],
        ["2026-09", "recovery time", "2", "provider"],  # another source is not a duplicate
    ]
    result = read(csv_bytes(rows), "measures")
    assert where(result, "ingest.rate_over_one") == [(2, "数值"), (5, "数值")]
    assert where(result, "ingest.bad_month") == [(3, "月份"), (4, "月份")]
    assert sorted(where(result, "ingest.bad_number")) == [(6, "数值"), (7, "数值")]
    assert where(result, "ingest.duplicate_measure") == [(8, "指标"), (9, "指标")]
    assert result.error_rows == {2, 3, 4, 5, 6, 7, 8, 9}
    assert "99.5%" in issues(result, "ingest.rate_over_one")[0].en


# ---------------------------------------------------------------- xls and ods


@pytest.mark.parametrize("name", ["tickets.xls", "tickets.ods"])
def test_xls_and_ods(name):
    result = read(FIXTURES / name)
    assert result.sheet == "工单" and result.header_row == 4
    assert result.frame["ticket_id"].tolist() == ["T1", "1002"]
    assert result.frame[ROW].tolist() == [5, 6]
    assert result.frame["priority"].tolist() == ["P1", "P3"]
    assert cell(result, "created_at", 5) == utc("2026-10-01 01:05")
    assert cell(result, "created_at", 6) == utc("2026-10-02 06:00")
    assert pd.isna(cell(result, "resolved_at", 6))
    if name.endswith(".xls"):  # calamine reads error cells as blank; xls and xlsx get their text back
        [issue] = issues(result, "ingest.excel_error")
        assert (issue.level, issue.row, issue.column, issue.value) == ("warning", 6, "解决时间", "#DIV/0!")


# ---------------------------------------------------------------- several files


def test_read_dataset(tmp_path):
    tickets = tmp_path / "t.csv"
    tickets.write_bytes(csv_bytes([["工单号", "创建时间", "优先级"], ["T1", "2026-10-01 09:00", "P1"]]))
    surveys = tmp_path / "s.xlsx"
    surveys.write_bytes(xlsx_bytes([["提交时间", "评分", "服务态度"], ["2026-10-02 10:00", 9, 4]]))
    data = read_dataset({"tickets": tickets, "surveys": surveys}, base_terms())
    assert data.tickets is not None and data.surveys is not None
    assert data.outages is None and data.measures is None
    assert data.has("tickets", "priority") and not data.has("tickets", "resolved_at")
    assert data.has("surveys", "dim:服务态度")
    found = [(i.file, i.row, i.code) for i in data.issues if i.code != "ingest.kpi_no_data"]
    assert found == [("s.xlsx", 2, "ingest.score_out_of_range")]
    # said before anything is stored: what the tickets file cannot feed
    unfed = {i.column: i.value for i in data.issues if i.code == "ingest.kpi_no_data"}
    assert unfed["first_response_at"] == "response_within_target"
    assert unfed["resolved_at"].startswith("resolution_within_target, resolution_rate")
    clean = read_dataset({"tickets": tickets, "surveys": surveys}, base_terms(), skip_invalid_rows=True)
    assert clean.surveys is not None and len(clean.surveys) == 0
    assert clean.issues == data.issues


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_demo_exports_round_trip(tmp_path, lang, fmt):
    from sla_core import demo

    data = demo.generate(400)
    paths = demo.write_files(data, tmp_path, lang=lang, fmt=fmt)
    kinds = ("tickets", "surveys", "outages", "measures")
    read_back = read_dataset(
        {k: paths[k] for k in kinds}, demo.demo_contract(), now=data.as_of.to_pydatetime()
    )
    assert not read_back.issues, read_back.issues[:5]
    for kind in kinds:
        got = read_back.frame(kind)
        expected = getattr(data, kind)
        assert got is not None and expected is not None
        skip = {"status"} if lang == "zh" else {"category_raw"}  # raw Chinese states; canonical categories
        columns = [c for c in expected.columns if c in got.columns and c not in skip and c != ROW]
        pd.testing.assert_frame_equal(
            got[columns].reset_index(drop=True), expected[columns].reset_index(drop=True), check_dtype=False
        )
        assert got[ROW].tolist() == list(range(2, len(got) + 2))
    assert "ingest.unknown_columns" not in codes_of(read_back.issues)


def codes_of(found: list) -> set[str]:
    return {i.code for i in found}


def test_codes_helper_is_consistent():
    result = read(csv_bytes([["工单号", "创建时间", "优先级"], ["T1", "x", "P1"]]))
    assert codes(result) == codes_of(result.issues) == {"ingest.bad_timestamp"}


def test_a_contract_kpi_is_a_known_measure_by_id_or_label():
    """Spec "Rule (contract KPIs)": doc 003's 数据准确率 reported under its id or its label; a rate KPI reads
    99.6% as 0.996 and refuses 120%; an undeclared name stays a warning."""
    from sla_core.contract_rules import CustomKpi

    accuracy = CustomKpi.model_validate(
        {
            "id": "data_accuracy",
            "label": {"zh": "数据准确率", "en": "Data accuracy"},
            "kind": "measure",
            "target": ">= 99.5%",
        }
    )
    terms = base_terms().model_copy(update={"custom_kpis": (accuracy,)})
    rows = [
        ["月份", "指标", "数值"],
        ["2026-10", "数据准确率", "99.6%"],
        ["2026-09", "data_accuracy", "0.994"],
        ["2026-08", "Data accuracy", "120%"],
        ["2026-07", "数据完整率", "0.9"],
    ]
    result = read(csv_bytes(rows), "measures", terms)
    assert result.frame["kpi"].tolist()[:2] == ["data_accuracy", "data_accuracy"]
    assert result.frame["value"].tolist()[:2] == [0.996, 0.994]
    assert where(result, "ingest.rate_over_one") == [(4, "数值")]
    assert where(result, "ingest.unknown_kpi") == [(5, "指标")]
