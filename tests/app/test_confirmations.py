"""Undo a batch, close a month, load the demo: each asks first, names what will happen, and — with
sign-in off — needs the operator's name, which the audit log then records (never "local"); the tables
show the result at once."""

from __future__ import annotations

from apptools import assert_clean, button, open_app, table_with

from sla_core import store as st
from sla_core import workspace

CID = "demo-helpdesk"


def _store(db):
    return workspace.open_workspace(db)


def _undo_asked(db, monkeypatch, **state):
    at = open_app(db, monkeypatch, "upload", **state)
    at.selectbox(key="upload_undo_batch").set_value(2).run()  # demo-surveys.xlsx
    button(at, "撤销批次").click().run()
    return at


def test_undo_asks_first_and_cancel_changes_nothing(db, monkeypatch):
    at = _undo_asked(db, monkeypatch)
    assert any("撤销批次 #2（demo-surveys.xlsx）？" in w.value for w in at.warning)
    assert {b.status for b in st.list_batches(_store(db), CID)} == {"active"}
    button(at, "取消").click().run()
    assert not any("撤销批次 #2" in w.value for w in at.warning)
    assert {b.status for b in st.list_batches(_store(db), CID)} == {"active"}


def test_undo_without_the_operators_name_is_refused_and_with_it_is_recorded(db, monkeypatch):
    at = _undo_asked(db, monkeypatch, app_user="")
    button(at, "确认").click().run()
    assert any("请填写您的姓名" in e.value for e in at.error)
    assert {b.status for b in st.list_batches(_store(db), CID)} == {"active"}
    at.text_input(key="upload_undo_name").input("王芳").run()
    button(at, "确认").click().run()
    assert_clean(at)
    assert [b.status for b in st.list_batches(_store(db), CID) if b.batch_id == 2] == ["undone"]
    assert next(e.actor for e in st.audit_log(_store(db), CID) if e.action == "batch.undo") == "王芳"
    assert at.sidebar.text_input(key="app_user").value == "王芳"  # remembered for the next change
    # the batches table shows the undo at once, not on the next visit
    batches = table_with(at, "batch_id")
    assert batches.set_index("batch_id").loc[2, "status"] == "已撤销"
    assert any("已撤销批次" in s.value or "撤销" in s.value for s in at.success)


def test_closing_a_month_asks_first_and_records_who(db, monkeypatch):
    at = open_app(db, monkeypatch, "breaches", app_user="李雷")
    at.selectbox(key="breaches_close_month").set_value("2026-09").run()
    button(at, "结账").click().run()
    assert any(w.value.startswith("结账 2026年9月？") for w in at.warning)
    assert st.closed_months(_store(db), CID) == []
    button(at, "确认").click().run()
    assert_clean(at)
    assert [(c.month, c.closed_by) for c in st.closed_months(_store(db), CID)] == [("2026-09", "李雷")]
    assert any(s.value == "2026年9月 已结账。" for s in at.success)


def test_loading_the_demo_asks_first(db, monkeypatch):
    at = open_app(db, monkeypatch, "upload")
    before = len(st.list_batches(_store(db), CID))
    button(at, "载入演示数据").click().run()
    assert any("载入演示数据？" in w.value for w in at.warning)
    assert len(st.list_batches(_store(db), CID)) == before
    button(at, "确认").click().run()
    assert_clean(at)
    assert any(s.value == "演示合同和数据已载入。" for s in at.success)
