"""Tables speak the page's language: canonical categories by their names, other values as written."""

from __future__ import annotations

from datetime import date, datetime

from builders import dataset, make_contract

from sla_core import views
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.i18n import (
    AUDIT_ACTIONS,
    action_change_text,
    audit_action_label,
    category_label,
    link_label,
    months_label,
    obligation_kind_label,
)
from sla_core.store import Action

C = make_contract()


def _breached(category: str) -> dict[str, object]:
    # P1 (24x7, response 15 min) answered after an hour: breached
    return dict(
        ticket_id=f"T-{category}",
        created_at="2026-03-02 09:00",
        priority="P1",
        first_response_at="2026-03-02 10:00",
        resolved_at="2026-03-02 10:30",
        category=category,
    )


def test_breached_tickets_name_their_category_in_the_users_language() -> None:
    data = dataset(tickets=[_breached("fault"), _breached("其他类")])
    ev = evaluate(C, data, as_of=parse_as_of("2026-03-31", C))
    rows = ev.tickets.loc[ev.tickets["response_status"] == "breached"]
    assert len(rows) == 2
    zh = views.breached_table(ev, rows, "zh").set_index("ticket_id")["category"]
    en = views.breached_table(ev, rows, "en").set_index("ticket_id")["category"]
    assert zh["T-fault"] == "故障" and en["T-fault"] == "Fault"
    assert zh["T-其他类"] == "其他类" == en["T-其他类"]  # not a canonical category: as written


def test_category_names_follow_the_spec() -> None:
    assert [category_label(c, "zh") for c in ("inquiry", "fault", "request", "complaint")] == [
        "咨询",
        "故障",
        "需求",
        "投诉",
    ]
    assert category_label("unknown", "en") == "unknown"


def _action(link_kind: str | None, link_ref: str | None) -> Action:
    now = datetime(2026, 6, 1, 9, 0)
    return Action(
        1, "c", link_kind, link_ref, "first_contact_resolution", ("2026-03", "2026-05"), "培训不足", "全员培训",
        "张三", date(2026, 6, 15), "in_progress", now, "a", now, "a",
    )  # fmt: skip


def test_actions_say_what_they_answer_in_words_not_ids() -> None:
    actions = [
        _action("obligation", "improvement_plan:first_contact_resolution:2026-05"),
        _action("miss", "csat_mean:2026-08"),
        _action("obligation", "satisfaction_investigation:2026-08"),
        _action(None, None),
    ]
    zh = views.actions_table(actions, "zh")
    assert zh["link"].tolist() == [
        "改进计划 · 首次解决率 · 2026年5月",
        "未达标 · 满意度均分 · 2026年8月",
        "满意度问题调查 · 2026年8月",
        "",
    ]
    assert zh["months"][0] == "2026年3月, 2026年5月"
    en = views.actions_table(actions[:2], "en")
    assert en["link"].tolist() == [
        "Improvement plan · First-contact resolution · May 2026",
        "Missed · CSAT mean · Aug 2026",
    ]


def test_a_link_the_words_cannot_read_is_shown_as_stored() -> None:
    assert link_label("obligation", "something:else:entirely:x", "zh") == "something:else:entirely:x"
    assert link_label("miss", "not_a_kpi:2026-08", "en") == "not_a_kpi:2026-08"


def test_obligation_kinds_use_the_source_documents_words() -> None:
    data = dataset(tickets=[_breached("fault")])
    ev = evaluate(C, data, as_of=parse_as_of("2026-03-31", C))
    kinds = {o.kind: obligation_kind_label(o.kind, "zh") for o in ev.obligations}
    table = views.obligations_table(ev, "zh")
    assert kinds and set(table["kind"]) == set(kinds.values())
    assert obligation_kind_label("improvement_plan", "zh") == "改进计划"  # doc 003
    assert obligation_kind_label("satisfaction_findings", "zh") == "满意度调查结果"  # doc 002: 调查结果


def test_a_run_of_months_reads_as_a_range() -> None:
    assert months_label(("2026-03", "2026-04", "2026-05"), "zh") == "2026年3月 – 2026年5月"
    assert months_label(("2025-12", "2026-01", "2026-02"), "en") == "Dec 2025 – Feb 2026"
    assert months_label(("2026-03", "2026-05", "2026-06"), "zh") == "2026年3月, 2026年5月, 2026年6月"
    assert months_label(("2026-08",), "en") == "Aug 2026"


def _ticket(ticket_id: str, created: str) -> dict[str, object]:
    return dict(ticket_id=ticket_id, created_at=created, priority="P1", resolved_at=created[:10] + " 23:00")


def test_the_scorecard_writes_the_year_on_the_first_month_and_each_january() -> None:
    data = dataset(tickets=[_ticket(f"T{i}", f"{m}-03 09:00") for i, m in enumerate(("2025-11", "2026-02"))])
    ev = evaluate(C, data, as_of=parse_as_of("2026-02-28", C))
    values, statuses = views.status_matrix(ev, "zh")
    # December 2025 is before the contract and holds no data: not a column (test_evaluate_months)
    assert list(values.columns) == ["目标", "2025年11月", "2026年1月", "2月"]
    assert list(statuses.columns) == list(values.columns)
    values, _ = views.status_matrix(ev, "en")
    assert list(values.columns) == ["Target", "Nov 2025", "Jan 2026", "Feb"]


def test_months_that_would_repeat_keep_their_years() -> None:
    # 2025-01 and 02 before the contract, then 2026-01 to 03 in it: "2月" twice
    months = ("2025-01", "2025-02", "2026-03")
    data = dataset(tickets=[_ticket(f"T{i}", f"{m}-03 09:00") for i, m in enumerate(months)])
    ev = evaluate(C, data, as_of=parse_as_of("2026-03-31", C))
    values, _ = views.status_matrix(ev, "zh")
    assert values.columns[1:3].tolist() == ["2025年1月", "2025年2月"]
    assert values.columns[-1] == "2026年3月" and values.columns.is_unique


def test_the_mapping_editor_names_fields_in_words() -> None:
    assert views.mapping_target_label("created_at", "zh") == "创建时间"  # not "创建时间 (created_at)"
    assert views.mapping_target_label("created_at", "en") == "Created"
    assert views.mapping_target_label("ignore", "zh") == "不导入"
    assert views.mapping_target_label("dim:服务态度", "en") == "score dimension: 服务态度"


def test_a_custom_range_is_pooled_and_a_filter_is_filtered() -> None:
    rows = [
        _breached("fault"),
        {**_breached("inquiry"), "ticket_id": "T-2", "first_response_at": "2026-03-02 09:05"},
    ]
    data = dataset(tickets=rows)
    ev = evaluate(C, data, as_of=parse_as_of("2026-03-31", C))
    span = views.Period.range(date(2026, 3, 1), date(2026, 3, 15))
    pooled = {t.kpi: t for t in views.tiles(ev, data, span, None, "zh")}
    assert {t.status for t in pooled.values()} == {"pooled"}
    assert pooled["response_within_target"].sentence == "50.0% (1/2)，区间合并计算——非合同评判。"
    english = {t.kpi: t for t in views.tiles(ev, data, span, None, "en")}
    assert (
        english["response_within_target"].sentence
        == "50.0% (1/2), pooled over the range — not a contract verdict."
    )
    filtered = views.tiles(ev, data, span, {"category": ["fault"]}, "zh")
    assert {t.status for t in filtered} == {"filtered"}


def test_pooled_availability_says_minutes_down_not_seconds_up() -> None:
    data = dataset(outages=[dict(service="邮件系统", start="2026-04-10 10:00", end="2026-04-10 10:44")])
    ev = evaluate(C, data, as_of=parse_as_of("2026-05-31", C))
    span = views.Period.range(date(2026, 4, 1), date(2026, 4, 30))
    tile = next(t for t in views.tiles(ev, data, span, None, "zh") if t.kpi == "availability")
    assert tile.sentence == "99.898%（计划外停机 44.0 分钟），区间合并计算——非合同评判。"


def test_an_actions_changes_read_as_words() -> None:
    created = {
        "status": [None, "open"],
        "owner": [None, "张三"],
        "kpi": [None, "csat_mean"],
        "cause": [None, ""],
    }
    assert action_change_text(created, "created", "zh") == "状态: 待办\n负责人: 张三"
    updated = {
        "owner": ["张三", "李四"],
        "status": ["open", "in_progress"],
        "link_kind": [None, "obligation"],
        "link_ref": [None, "improvement_plan:first_contact_resolution:2026-05"],
        "months": [[], ["2026-03", "2026-04", "2026-05"]],
    }
    assert action_change_text(updated, "updated", "en").split("\n") == [
        "Owner: 张三 → 李四",
        "Status: open → in progress",
        "Linked to: — → Improvement plan · First-contact resolution · May 2026",
        "Months: — → Mar 2026 – May 2026",
    ]


def test_an_overdue_obligation_says_how_long_overdue() -> None:
    data = dataset(tickets=[_breached("fault")])
    ev = evaluate(C, data, as_of=parse_as_of("2026-05-01", C))
    report = next(o for o in ev.obligations if o.kind == "provider_report")
    assert report.status == "overdue" and (date(2026, 5, 1) - report.due).days == 26
    en = views.obligations_table(ev, "en").set_index("id")
    zh = views.obligations_table(ev, "zh").set_index("id")
    assert en.loc[report.id, "days_left"] == "26 days overdue"
    assert zh.loc[report.id, "days_left"] == "逾期 26 天"


def test_reconciliation_differences_read_in_the_kpis_units() -> None:
    measures = [
        dict(month="2026-03", kpi="response_within_target", value=0.9931, source="provider"),
        dict(month="2026-03", kpi="resolution_rate", value=1.0, source="provider"),
    ]
    tickets = [
        {**_breached("fault"), "ticket_id": f"T-{i}", "first_response_at": "2026-03-02 09:05"}
        for i in range(2)
    ]
    ev = evaluate(C, dataset(tickets=tickets, measures=measures), as_of=parse_as_of("2026-03-31", C))
    zh = views.reconciliation_table(ev, "zh").set_index("kpi")["difference"]
    en = views.reconciliation_table(ev, "en").set_index("kpi")["difference"]
    assert (
        zh["首次响应达标率"] == "-0.69 个百分点" and en["Response within target"] == "-0.69 pp"
    )  # 99.31% vs 100%
    assert en["Resolution rate"] == "0"


def test_every_audit_action_the_store_records_has_a_name() -> None:
    import re
    from pathlib import Path

    import sla_core

    root = Path(sla_core.__file__).parent
    source = (
        "".join(p.read_text() for p in sorted((root / "store").glob("*.py")))
        + (root / "access.py").read_text()
    )
    codes = set(re.findall(r'"([a-z]+\.[a-z]+)",\s*(?:contract_id|cid|c\b)', source))
    codes |= set(re.findall(r'_audit\(\s*con,\s*\w+,\s*"([a-z]+\.[a-z]+)"', source))
    codes |= {"report.export"}
    assert codes and codes <= set(AUDIT_ACTIONS), codes - set(AUDIT_ACTIONS)
    assert audit_action_label("batch.import", "zh") == "导入批次"
    assert audit_action_label("something.new", "en") == "something.new"  # an unknown code as written
