"""Upload: a real helpdesk export is recognised from its headers and imports without hand mapping;
a status history is read as one (told from the file) and its derived pauses show on the ticket's
timeline; the page says how the file was read, which KPIs it cannot feed and which rows sat above its
header."""

from __future__ import annotations

from pathlib import Path

from apptools import assert_clean, button, open_app, table_with, texts

from sla_core import store as st
from sla_core import workspace
from sla_core.views import ticket_detail

CID = "demo-helpdesk"

SERVICENOW = (
    b"Number,Opened,Short description,Caller,Priority,State,Category,Assignment group,Assigned to,Resolved,Closed\n"
    b"INC0099001,12-10-2026 09:00:00,Email down,Abel Tuter,1 - Critical,Closed,Incident,Service Desk,"
    b"Beth Anglin,12-10-2026 10:30:00,12-10-2026 12:00:00\n"
    b"INC0099002,13-10-2026 10:00:00,Printer,Bud Richman,3 - Moderate,Resolved,Request,Hardware,"
    b"Fred Luddy,13-10-2026 15:00:00,(empty)\n"
)

HISTORY = (
    "工单号,变更时间,状态,处理人,优先级\n"
    "H-1,2026-10-12 09:00,新建,张伟,重要\n"
    "H-1,2026-10-12 09:10,处理中,张伟,重要\n"
    "H-1,2026-10-12 10:00,挂起,张伟,重要\n"
    "H-1,2026-10-12 11:00,处理中,张伟,重要\n"
    "H-1,2026-10-12 12:00,已解决,张伟,重要\n"
).encode()


def upload(at, name, data):
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv"))
    at.run()
    return at


def test_a_servicenow_export_is_recognised_and_imports(db, monkeypatch):
    at = upload(open_app(db, monkeypatch, "upload"), "incident.csv", SERVICENOW)
    assert_clean(at)
    assert "预设：ServiceNow（根据表头识别）" in texts(at)
    button(at, "导入 2 行").click()
    at.run()
    assert_clean(at)
    assert any("已导入为批次" in s.value for s in at.success)
    data = st.current_dataset(workspace.open_workspace(db), CID).tickets.set_index("ticket_id")
    assert data.loc["INC0099001", "priority"] == "P1" and data.loc["INC0099002", "team"] == "Hardware"


def test_a_status_history_imports_and_shows_its_pauses(db, monkeypatch):
    at = upload(open_app(db, monkeypatch, "upload"), "history.csv", HISTORY)
    assert_clean(at)  # told from the file itself: no box to tick
    assert "读作状态记录（每行一次状态变更），根据文件识别" in texts(at)
    assert "→ 1 张工单" in texts(at)  # the derivation summary
    button(at, "导入 1 张工单").click()
    at.run()
    assert_clean(at)
    snap = workspace.snapshot(workspace.open_workspace(db), CID)
    detail = ticket_detail(snap.evaluation, snap.data, "H-1", "en")
    assert detail is not None
    paused = detail.timeline[detail.timeline["event"].str.startswith("paused")]
    assert paused["paused"].tolist() == ["1:00:00"]  # 10:00–11:00 on business hours (P2)


SERVICENOW_LOG = (
    Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "servicenow_incident_event_log_sample.csv"
)


def test_the_servicenow_event_log_shows_its_shape_preset_and_what_it_cannot_feed(db, monkeypatch):
    at = upload(open_app(db, monkeypatch, "upload"), "incident_event_log.csv", SERVICENOW_LOG.read_bytes())
    assert_clean(at)
    shown = texts(at)
    assert "读作状态记录（每行一次状态变更），根据文件识别：10 条状态记录 → 2 张工单" in shown
    assert (
        "预设：ServiceNow 事件日志（字段名）/ ServiceNow incident log (field names)（根据表头识别）" in shown
    )
    [unfed] = [i.value for i in at.info if "这个文件不能提供以下指标的数据" in i.value]
    assert "没有「一次解决」列：首次解决率" in unfed
    assert "首次响应" not in unfed  # a status history gives first responses
    # the problems' explanation comes right after their level, before a long value can push it away
    problems = table_with(at, "说明")
    assert list(problems.columns)[:2] == ["级别", "说明"]
    assert "删除了 1 条重复的状态记录" in " ".join(problems["说明"])
    button(at, "导入 2 张工单").click()
    at.run()
    assert_clean(at)
    data = st.current_dataset(workspace.open_workspace(db), CID).tickets.set_index("ticket_id")
    assert data.loc["INC0003663", "reopened_count"] == 1


def test_one_row_per_ticket_can_be_chosen_for_a_status_history(db, monkeypatch):
    at = upload(open_app(db, monkeypatch, "upload"), "incident_event_log.csv", SERVICENOW_LOG.read_bytes())
    next(w for w in at.segmented_control if w.label == "文件形态").set_value("ticket")
    at.run()
    assert_clean(at)
    shown = texts(at)
    assert "读作每行一张工单，按所选" in shown
    assert "每张工单只取最后一次变更的那一行" in shown
    assert "没有「首次响应时间」列：首次响应达标率" in shown  # no first-response column in that reading


def test_rows_above_the_header_are_shown(db, monkeypatch):
    data = (
        "工单导出（2026年10月）\n导出人：张伟\n\n工单号,创建时间,优先级\nT-1,2026-10-12 09:00,P1\n".encode()
    )
    at = upload(open_app(db, monkeypatch, "upload"), "export.csv", data)
    assert_clean(at)
    [above] = [w.value for w in at.warning if "表头上方" in w.value]
    assert "表头上方的 2 行不是数据，没有读入" in above
    assert "第 1 行：工单导出（2026年10月）" in above and "第 2 行：导出人：张伟" in above


def test_a_file_that_cannot_be_read_says_why_not_which_columns_are_missing(db, monkeypatch):
    at = upload(open_app(db, monkeypatch, "upload"), "export.csv", bytes(4096))
    assert not at.exception
    headline = [e.value for e in at.error]
    assert len(headline) == 1 and "文件只有零字节" in headline[0], headline
    assert "缺少必需的列" not in headline[0]
