"""Names of things in Chinese and English: statuses, weekdays, ticket categories, clocks, obligation
kinds, improvement actions and their changes, input kinds, survey flags, audit-log actions, input
columns."""

from __future__ import annotations

from typing import Any

from sla_core.dataset import Kind
from sla_core.i18n.formats import month_label, months_label, t
from sla_core.i18n.kpis import KPIS

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "met": ("达标", "met"),
    "missed": ("未达标", "missed"),
    "no_data": ("无数据", "no data"),
    "unjudged": ("不评判", "not judged"),
    "breached": ("超时", "breached"),
    "pending": ("未完成", "pending"),
    "excluded": ("已免责", "exempt"),
    "open": ("待办", "open"),
    "overdue": ("逾期", "overdue"),
    "done": ("已完成", "done"),
}


def _named(names: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """A key's name in the language; a key without one is shown as written."""
    zh, en = names.get(key, (key, key))
    return zh if lang == "zh" else en


def status_label(status: str, lang: str) -> str:
    return _named(STATUS_LABELS, status, lang)


WEEKDAY_NAMES = {
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}

# the canonical ticket categories (spec "Rule (values)"); an unmapped value is shown as written
CATEGORY_NAMES = {
    "inquiry": ("咨询", "Inquiry"),
    "fault": ("故障", "Fault"),
    "request": ("需求", "Request"),
    "complaint": ("投诉", "Complaint"),
    "suggestion": ("建议", "Suggestion"),
    "feedback": ("反馈", "Feedback"),
}


def category_label(category: str, lang: str) -> str:
    return _named(CATEGORY_NAMES, category, lang)


# a priority's clock (spec "Rule (durations and targets)")
CLOCK_NAMES = {"24x7": ("7×24", "24×7"), "business": ("工作时间", "business hours")}


def clock_label(clock: str, lang: str) -> str:
    return _named(CLOCK_NAMES, clock, lang)


# obligation kinds, in the source documents' words (doc 003 改进计划, doc 002 内部调查 / 调查结果)
OBLIGATION_KINDS = {
    "improvement_plan": ("改进计划", "Improvement plan"),
    "satisfaction_investigation": ("满意度问题调查", "Satisfaction investigation"),
    "satisfaction_findings": ("满意度调查结果", "Satisfaction findings"),
    "provider_report": ("服务商月度报告", "Provider's monthly report"),
    # doc 002 (客户满意度服务保障协议) 3.1(3) and 4.1
    "satisfaction_evaluation": ("月度满意度评估", "Monthly satisfaction evaluation"),
    "satisfaction_results": ("满意度评估结果告知", "Satisfaction results to the client"),
    "satisfaction_objection": ("甲方异议期", "Client's objection period"),
    "major_complaint_investigation": ("重大投诉调查", "Major complaint investigation"),
    "major_complaint_findings": ("重大投诉调查结果", "Major complaint findings"),
    "remedy": ("补救措施", "Remedy"),
}
# who owes an obligation (doc 002 names 甲方 the client and 乙方 the provider)
OWNER_NAMES = {"provider": ("乙方", "Provider"), "client": ("甲方", "Client")}


def owner_label(owner: str, lang: str) -> str:
    return _named(OWNER_NAMES, owner, lang)


def obligation_kind_label(kind: str, lang: str) -> str:
    return _named(OBLIGATION_KINDS, kind, lang)


def link_label(link_kind: str | None, link_ref: str | None, lang: str) -> str:
    """What an improvement action answers, in words: '未达标 · 满意度均分 · 2026年8月' or
    '改进计划 · 首次解决率 · 2026年5月' (from the ids `kpi:YYYY-MM` and `kind[:kpi]:YYYY-MM`)."""
    if not link_ref:
        return ""
    parts = link_ref.split(":")
    month = parts[-1]
    if link_kind == "miss" and len(parts) == 2 and parts[0] in KPIS:
        words = [t("未达标", "Missed", lang), KPIS[parts[0]].label(lang)]
    elif link_kind == "obligation" and parts[0] in OBLIGATION_KINDS and len(parts) in (2, 3):
        kpis = parts[1].split(",") if len(parts) == 3 else []
        words = [obligation_kind_label(parts[0], lang), *(KPIS[k].label(lang) for k in kpis if k in KPIS)]
    else:
        return link_ref
    try:
        words.append(month_label(month, lang))
    except (ValueError, IndexError):
        return link_ref
    return " · ".join(words)


ACTION_STATUSES = {
    "open": ("待办", "open"),
    "in_progress": ("进行中", "in progress"),
    "done": ("已完成", "done"),
}
_ACTION_FIELDS = {
    "cause": ("原因", "Cause"),
    "measure": ("措施", "Measure"),
    "owner": ("负责人", "Owner"),
    "due": ("截止日期", "Due"),
    "status": ("状态", "Status"),
    "kpi": ("指标", "KPI"),
    "months": ("涉及月份", "Months"),
    "link_kind": ("关联", "Linked to"),
    "link_ref": ("关联", "Linked to"),
}


def action_status_label(status: str, lang: str) -> str:
    return _named(ACTION_STATUSES, status, lang)


def action_change_text(fields: dict[str, Any], change: str, lang: str) -> str:
    """One line per field of an improvement action's change: 'Owner: 张三 → 李四'; a creation lists
    what the action table does not show side by side. Links and KPIs in words, not ids."""

    def shown(field: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if field == "status" and isinstance(value, str):
            return _named(ACTION_STATUSES, value, lang)
        if field == "kpi" and isinstance(value, str) and value in KPIS:
            return KPIS[value].label(lang)
        if field == "link_ref" and isinstance(value, str):
            return link_label(
                "obligation" if value.split(":")[0] in OBLIGATION_KINDS else "miss", value, lang
            )
        if field == "months" and isinstance(value, list | tuple):
            return months_label([str(v) for v in value], lang)
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return str(value)

    lines = []
    for name, pair in fields.items():
        if name == "link_kind" and "link_ref" in fields:
            continue  # the linked item in words says what kind it is
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        label = _named(_ACTION_FIELDS, name, lang)
        if change == "created":
            if name in ("status", "owner", "due", "cause", "measure") and new not in (None, "", []):
                lines.append(f"{label}: {shown(name, new)}")
        else:
            lines.append(f"{label}: {shown(name, old)} → {shown(name, new)}")
    return "\n".join(lines)


# the four input files (spec "Inputs")
KIND_NAMES: dict[Kind, tuple[str, str]] = {
    "tickets": ("工单", "Tickets"),
    "surveys": ("满意度调查", "Surveys"),
    "outages": ("故障停机", "Outages"),
    "measures": ("其他指标", "Measures"),
}


# why a survey response is flagged (spec "Rule (surveys)")
FLAG_NAMES = {
    "duplicate": ("重复评价", "duplicate"),
    "straight_lining": ("各维度同分", "straight-lining"),
    "speeder": ("作答过快", "speeder"),
    "out_of_scale": ("维度分超出量表", "dimension out of scale"),
}


# what an audit-log entry records (store._audit's action codes)
AUDIT_ACTIONS = {
    "action.add": ("新增改进措施", "Improvement action added"),
    "action.update": ("修改改进措施", "Improvement action changed"),
    "batch.import": ("导入批次", "Batch imported"),
    "batch.undo": ("批次已撤销", "Batch undone"),
    "contract.save": ("保存合同", "Contract saved"),
    "exemption.request": ("申请免责或调级", "Exemption requested"),
    "exemption.decide": ("审批免责或调级", "Exemption decided"),
    "mapping.save": ("保存列映射", "Column mapping saved"),
    "month.close": ("月份已结账", "Month closed"),
    "preset.save": ("保存导入预设", "Import preset saved"),
    "report.export": ("导出报告", "Report exported"),
    "survey.exclude": ("排除评价", "Survey response excluded"),
    "survey.include": ("恢复评价", "Survey response included"),
}


def audit_action_label(action: str, lang: str) -> str:
    return _named(AUDIT_ACTIONS, action, lang)


# The canonical input columns, as people call them (previews, mapping, exports).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "ticket_id": ("工单号", "Ticket"),
    "created_at": ("创建时间", "Created"),
    "priority": ("优先级", "Priority"),
    "first_response_at": ("首次响应时间", "First response"),
    "resolved_at": ("解决时间", "Resolved"),
    "workaround_at": ("临时解决时间", "Workaround"),
    "closed_at": ("关闭时间", "Closed at"),
    "status": ("状态", "Status"),
    "category": ("类别", "Category"),
    "category_raw": ("类别（原文）", "Category (as written)"),
    "channel": ("渠道", "Channel"),
    "customer": ("客户", "Customer"),
    "team": ("处理组", "Team"),
    "assignee": ("处理人", "Assignee"),
    "reopened_count": ("重开次数", "Reopened"),
    "first_contact_resolved": ("一次解决", "First-contact resolved"),
    "classified_at": ("分类时间", "Classified"),
    "paused_minutes": ("挂起分钟数", "Paused minutes"),
    "suggestion_adopted": ("建议采纳", "Suggestion adopted"),
    "excluded": ("已免责", "Exempt"),
    "exclusion_reason": ("免责原因", "Exclusion reason"),
    "pause_intervals": ("挂起区间", "Pause intervals"),
    "response_id": ("回访编号", "Response id"),
    "submitted_at": ("提交时间", "Submitted"),
    "score": ("总体满意度", "Overall satisfaction"),
    "respondent": ("受访人", "Respondent"),
    "comment": ("评价", "Comment"),
    "duration_seconds": ("答题时长（秒）", "Duration (s)"),
    "service": ("服务", "Service"),
    "start": ("开始时间", "Start time"),
    "end": ("结束时间", "End time"),
    "planned": ("计划内", "Planned"),
    "announced_at": ("通知时间", "Announced"),
    "severity": ("级别", "Severity"),
    "cause": ("原因", "Cause"),
    "description": ("描述", "Description"),
    "month": ("月份", "Month"),
    "kpi": ("指标", "KPI"),
    "value": ("数值", "Value"),
    "source": ("来源", "Source"),
    "note": ("备注", "Note"),
    "_row": ("行号", "Row"),
}


def field_label(column: str, lang: str) -> str:
    if column.startswith("dim:"):
        return column[4:]
    return _named(FIELD_LABELS, column, lang)


# the facts an audit entry records, by their names in store._audit's details
_AUDIT_FIELDS = {
    "batch_id": ("批次", "batch"),
    "kind": ("类型", "kind"),
    "file_name": ("文件", "file"),
    "rows": ("行数", "rows"),
    "inserted": ("新增", "new"),
    "updated": ("更新", "updated"),
    "unchanged": ("未变", "unchanged"),
    "skipped": ("跳过", "skipped"),
    "restored": ("恢复", "restored"),
    "removed": ("移除", "removed"),
    "already_replaced": ("已被后续批次替换", "already replaced by a later batch"),
    "mapping": ("列映射", "column mapping"),
    "preset": ("预设", "preset"),
    "revision": ("修订版", "revision"),
    "action_id": ("措施编号", "action"),
    "exemption_id": ("申请编号", "request"),
    "ticket_id": ("工单号", "ticket"),
    "new_priority": ("新优先级", "new priority"),
    "reason": ("原因", "reason"),
    "decision": ("决定", "decision"),
    "month": ("月份", "month"),
    "due": ("截止日期", "due"),
    "data_version": ("数据版本", "data version"),
    "response_id": ("回访编号", "response"),
    "period": ("期间", "period"),
    "lang": ("语言", "language"),
    "bytes": ("大小", "size"),
}
_AUDIT_HIDDEN = ("sha256",)  # a file's fingerprint: for the machine that spots a repeated file
_DECISIONS = {
    "approved": ("批准", "approved"),
    "rejected": ("驳回", "rejected"),
    "pending": ("待审批", "pending"),
}
_EXEMPTION_KINDS = {"exempt": ("免责", "exemption"), "regrade": ("调级", "regrade")}


def audit_detail_text(action: str, detail: dict[str, Any], lang: str) -> str:
    """An audit entry's facts in words — 批次 4；类型 其他指标；文件 demo-measures.xlsx；行数 38 — never
    its JSON; an improvement action's change as the register's history reads it."""
    zh = lang == "zh"
    if action in ("action.add", "action.update"):
        fields = {k: v for k, v in detail.items() if k != "action_id"}
        change = action_change_text(fields, "created" if action == "action.add" else "updated", lang)
        head = f"{_named(_AUDIT_FIELDS, 'action_id', lang)} {detail.get('action_id', '')}"
        return "；".join([head, *change.splitlines()]) if zh else "; ".join([head, *change.splitlines()])

    def shown(key: str, value: Any) -> str:
        if key == "kind" and isinstance(value, str):
            kinds: dict[str, tuple[str, str]] = {str(k): v for k, v in KIND_NAMES.items()} | _EXEMPTION_KINDS
            names = kinds.get(value)
            return (names[0] if zh else names[1]) if names else value
        if key == "decision" and isinstance(value, str):
            return _named(_DECISIONS, value, lang)
        if key == "month" and isinstance(value, str) and len(value) == 7:
            return month_label(value, lang)
        if key == "period" and isinstance(value, str) and ("Q" in value or len(value) == 7):
            return month_label(value, lang)
        if key == "lang":
            return {"zh": "中文", "en": "English"}.get(str(value), str(value))
        if key == "bytes" and isinstance(value, int | float):
            return f"{value / 1024:,.0f} KB"
        if key == "mapping" and isinstance(value, dict):
            return ", ".join(
                f"{header} → {field_label(str(target), lang)}" for header, target in value.items()
            )
        return "—" if value is None or value == "" else str(value)

    parts = [
        f"{_named(_AUDIT_FIELDS, key, lang)} {shown(key, value)}"
        for key, value in detail.items()
        if key not in _AUDIT_HIDDEN
    ]
    return ("；" if zh else "; ").join(parts)
