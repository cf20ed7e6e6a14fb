"""The monthly report and the quarterly pack from their pages: Excel and PDF, each built on a click
through the Guard (which writes the export to the audit log) and then offered for download."""

from __future__ import annotations

from apptools import assert_clean, button, open_app

from sla_core import store as st
from sla_core import workspace

CID = "demo-helpdesk"


def _exports(db) -> list[dict]:
    return [e.detail for e in st.audit_log(workspace.open_workspace(db), CID) if e.action == "report.export"]


def test_the_monthly_report_as_pdf_from_the_overview(db, monkeypatch):
    at = open_app(db, monkeypatch, "overview", app_month="2026-10")
    assert not [b for b in at.get("download_button") if "PDF" in b.proto.label]  # nothing before the click
    button(at, "生成本月服务报告（PDF）").click()
    at.run()
    assert_clean(at)
    period, lang, data = at.session_state["overview_report_pdf"]
    assert (period, lang) == ("2026-10", "zh") and data.startswith(b"%PDF-")
    assert [b.proto.label for b in at.get("download_button") if "报告" in b.proto.label] == [
        "下载月度报告（PDF）"
    ]
    assert {"period": "2026-10", "lang": "zh", "format": "pdf", "bytes": len(data)} in _exports(db)


def test_the_quarterly_pack_as_pdf_and_excel_from_the_review(db, monkeypatch):
    at = open_app(db, monkeypatch, "quarterly", app_period_kind="quarter", app_quarter="2026Q3")
    button(at, "生成季度评审材料（PDF）").click()
    at.run()
    button(at, "生成季度评审材料（Excel）").click()
    at.run()
    assert_clean(at)
    quarter, _, pdf = at.session_state["quarterly_pack_pdf"]
    _, _, xlsx = at.session_state["quarterly_pack"]
    assert quarter == "2026Q3" and pdf.startswith(b"%PDF-") and xlsx.startswith(b"PK")
    labels = [b.proto.label for b in at.get("download_button") if "评审材料" in b.proto.label]
    assert sorted(labels) == ["下载季度评审材料（Excel）", "下载季度评审材料（PDF）"]
    assert {e["format"] for e in _exports(db) if e["period"] == "2026Q3"} == {"pdf", "xlsx"}


def test_a_pdf_without_its_fonts_is_refused_in_words_on_the_page(db, monkeypatch, tmp_path):
    from sla_core.report import pdf

    monkeypatch.setenv("SLA_PDF_FONT_DIR", str(tmp_path))
    monkeypatch.setattr(pdf, "FONT_DIRS", ())
    at = open_app(db, monkeypatch, "overview", app_month="2026-10")
    button(at, "生成本月服务报告（PDF）").click()
    at.run()
    assert not at.exception
    assert any("fonts-noto-cjk" in e.value for e in at.error)
    assert "overview_report_pdf" not in at.session_state
