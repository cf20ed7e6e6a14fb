"""Records in words: audit entries, working hours, why a ticket is excluded — never the stored codes."""

from __future__ import annotations

from sla_core.i18n import audit_detail_text, exclusion_reason_text, weekly_hours_text

IMPORT = {
    "batch_id": 5,
    "kind": "measures",
    "file_name": "july.xlsx",
    "sha256": "ab12",
    "rows": 38,
    "inserted": 30,
    "updated": 5,
    "unchanged": 2,
    "skipped": 1,
}


def test_a_batch_import_in_both_languages_without_its_hash() -> None:
    assert audit_detail_text("batch.import", IMPORT, "zh") == (
        "批次 5 · 其他指标 · july.xlsx：38 行（新增 30，更新 5，未变 2，跳过 1）"
    )
    assert audit_detail_text("batch.import", IMPORT, "en") == (
        "batch 5 · Measures · july.xlsx: 38 rows (30 new, 5 updated, 2 unchanged, 1 skipped)"
    )


def test_an_action_change_names_fields_and_links_in_words() -> None:
    detail = {
        "action_id": 3,
        "owner": ["张三", "李四"],
        "link_ref": [None, "improvement_plan:first_contact_resolution:2026-05"],
    }
    assert audit_detail_text("action.update", detail, "en") == (
        "action 3: Owner: 张三 → 李四; Linked to: — → Improvement plan · First-contact resolution · May 2026"
    )
    assert audit_detail_text("action.update", detail, "zh") == (
        "措施 3：负责人: 张三 → 李四；关联: — → 改进计划 · 首次解决率 · 2026年5月"
    )


def test_other_entries() -> None:
    assert audit_detail_text("contract.save", {"revision": 2, "sha256": "x"}, "zh") == "第 2 版"
    assert audit_detail_text("month.close", {"month": "2026-07", "data_version": "abc"}, "en") == "Jul 2026"
    assert (
        audit_detail_text(
            "exemption.decide", {"exemption_id": 4, "decision": "rejected", "reason": "证据不足"}, "zh"
        )
        == "申请 4 已驳回：证据不足"
    )
    export = {"period": "2026Q3", "lang": "zh", "bytes": 1, "format": "pdf"}
    assert audit_detail_text("report.export", export, "en") == "2026 Q3 · Chinese · PDF"
    assert audit_detail_text("sign_in", {}, "zh") == ""
    # an entry the table does not know: its values, not its keys or braces
    assert audit_detail_text("something.new", {"a_key": "值", "n": 3}, "en") == "值; 3"


def test_working_hours_run_together_by_day() -> None:
    office = [["09:00-18:00"]] * 5 + [[], []]
    assert weekly_hours_text(office, "zh") == "周一至周五 09:00–18:00"
    assert weekly_hours_text(office, "en") == "Mon–Fri 09:00–18:00"
    split = [["09:00-12:00", "13:00-18:00"]] * 5 + [["09:00-12:00"], []]
    assert weekly_hours_text(split, "en") == "Mon–Fri 09:00–12:00, 13:00–18:00; Sat 09:00–12:00"
    # a lone different day breaks the run; a single day is named alone
    weekdays = [["09:00-18:00"], ["09:00-18:00"], [], ["09:00-18:00"], [], [], ["10:00-12:00"]]
    assert weekly_hours_text(weekdays, "zh") == "周一至周二 09:00–18:00；周四 09:00–18:00；周日 10:00–12:00"
    assert weekly_hours_text([[]] * 7, "en") == "none"


def test_why_a_ticket_is_excluded() -> None:
    assert exclusion_reason_text("exempted: 客户现场断电", "zh") == "经批准免责：客户现场断电"
    assert exclusion_reason_text("exempted: power cut", "en") == "exemption approved: power cut"
    assert exclusion_reason_text("cancelled", "zh") == "已取消"
    assert exclusion_reason_text("priority not in terms", "zh") == "优先级不在合同条款中"
    assert exclusion_reason_text("不可抗力：台风", "en") == "不可抗力：台风"  # the export's own words
    assert exclusion_reason_text(None, "en") is None
