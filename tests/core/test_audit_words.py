"""The audit log in words: an entry's facts as 名称 值 pairs in the reader's language, never its JSON,
ids of fields or the file's fingerprint."""

from __future__ import annotations

from sla_core.i18n import audit_detail_text

IMPORT = {
    "batch_id": 4,
    "kind": "measures",
    "file_name": "demo-measures.xlsx",
    "sha256": "demo-measures-default",
    "rows": 38,
    "inserted": 38,
    "updated": 0,
    "unchanged": 0,
    "skipped": 0,
}


def test_an_import_reads_as_words() -> None:
    assert audit_detail_text("batch.import", IMPORT, "zh") == (
        "批次 4；类型 其他指标；文件 demo-measures.xlsx；行数 38；新增 38；更新 0；未变 0；跳过 0"
    )
    assert audit_detail_text("batch.import", IMPORT, "en") == (
        "batch 4; kind Measures; file demo-measures.xlsx; rows 38; new 38; updated 0; unchanged 0; skipped 0"
    )


def test_months_decisions_mappings_and_exports_in_words() -> None:
    assert audit_detail_text("month.close", {"month": "2026-09", "data_version": "7"}, "zh") == (
        "月份 2026年9月；数据版本 7"
    )
    decided = {"exemption_id": 3, "decision": "approved", "reason": "停电"}
    assert audit_detail_text("exemption.decide", decided, "en") == "request 3; decision approved; reason 停电"
    mapping = {"kind": "tickets", "mapping": {"单号": "ticket_id", "建单时间": "created_at"}}
    assert (
        audit_detail_text("mapping.save", mapping, "zh")
        == "类型 工单；列映射 单号 → 工单号, 建单时间 → 创建时间"
    )
    export = {"period": "2026Q3", "lang": "zh", "bytes": 20480}
    assert audit_detail_text("report.export", export, "zh") == "期间 2026年第3季度；语言 中文；大小 20 KB"


def test_an_improvement_action_reads_like_its_history() -> None:
    text = audit_detail_text("action.update", {"action_id": 2, "owner": ["张三", "李四"]}, "zh")
    assert text == "措施编号 2；负责人: 张三 → 李四"


def test_no_json_and_no_ids_in_any_entry() -> None:
    for lang in ("zh", "en"):
        text = audit_detail_text("batch.import", IMPORT, lang)
        assert (
            "{" not in text
            and "batch_id" not in text
            and "sha256" not in text
            and "demo-measures-default" not in text
        )
