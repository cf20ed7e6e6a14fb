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


def audit_detail_text(action: str, detail: dict[str, Any], lang: str) -> str:
    """What an audit entry records, in words (never the stored JSON): 'batch 5 · Measures ·
    july.xlsx: 38 rows (38 new, 0 updated, 0 unchanged, 0 skipped)'. Hashes and versions are left out."""
    d = detail
    kinds: dict[str, tuple[str, str]] = dict(KIND_NAMES.items())
    kind = _named(kinds, str(d.get("kind", "")), lang)
    if action == "batch.import":
        return t(
            f"批次 {d.get('batch_id')} · {kind} · {d.get('file_name')}：{d.get('rows')} 行（新增 "
            f"{d.get('inserted')}，更新 {d.get('updated', 0)}，未变 {d.get('unchanged')}，跳过 {d.get('skipped')}）",
            f"batch {d.get('batch_id')} · {kind} · {d.get('file_name')}: {d.get('rows')} rows ({d.get('inserted')} "
            f"new, {d.get('updated', 0)} updated, {d.get('unchanged')} unchanged, {d.get('skipped')} skipped)",
            lang,
        )
    if action == "batch.undo":
        return t(
            f"批次 {d.get('batch_id')} · {kind}：移除 {d.get('removed')} 行，恢复 {d.get('restored')} 行",
            f"batch {d.get('batch_id')} · {kind}: {d.get('removed')} rows removed, {d.get('restored')} restored",
            lang,
        )
    if action == "contract.save":
        return t(f"第 {d.get('revision')} 版", f"revision {d.get('revision')}", lang)
    if action in ("action.add", "action.update"):
        fields = {k: v for k, v in d.items() if k != "action_id"}
        change = action_change_text(fields, "created" if action == "action.add" else "updated", lang)
        head = t(f"措施 {d.get('action_id')}", f"action {d.get('action_id')}", lang)
        return (
            f"{head}{t('：', ': ', lang)}{change.replace(chr(10), t('；', '; ', lang))}" if change else head
        )
    if action == "exemption.request":
        what = t("调级", "regrade", lang) if d.get("kind") == "regrade" else t("免责", "exemption", lang)
        to = f" → {d['new_priority']}" if d.get("new_priority") else ""
        return t(
            f"申请 {d.get('exemption_id')} · {what}{to} · 工单 {d.get('ticket_id')}：{d.get('reason')}",
            f"request {d.get('exemption_id')} · {what}{to} · ticket {d.get('ticket_id')}: {d.get('reason')}",
            lang,
        )
    if action == "exemption.decide":
        decision = (
            t("已批准", "approved", lang)
            if d.get("decision") == "approved"
            else t("已驳回", "rejected", lang)
        )
        why = f"{t('：', ': ', lang)}{d['reason']}" if d.get("reason") else ""
        return (
            t(f"申请 {d.get('exemption_id')} {decision}", f"request {d.get('exemption_id')} {decision}", lang)
            + why
        )
    if action == "month.close":
        return month_label(str(d.get("month")), lang)
    if action in ("survey.exclude", "survey.include"):
        why = f"{t('：', ': ', lang)}{d['reason']}" if d.get("reason") else ""
        return t(f"评价 {d.get('response_id')}", f"response {d.get('response_id')}", lang) + why
    if action == "mapping.save":
        mapping = d.get("mapping") or {}
        pairs = (
            [f"{field_label(str(k), lang)} ← {v}" for k, v in mapping.items()]
            if isinstance(mapping, dict)
            else []
        )
        return f"{kind}{t('：', ': ', lang)}{t('、', ', ', lang).join(pairs)}"
    if action == "preset.save":
        return t(f"预设 {d.get('preset')}", f"preset {d.get('preset')}", lang)
    if action == "report.export":
        period = str(d.get("period") or "")
        shown = month_label(period, lang) if period else ""
        language = {"zh": t("中文", "Chinese", lang), "en": t("英文", "English", lang)}.get(
            str(d.get("lang")), ""
        )
        return " · ".join(x for x in (shown, language, str(d.get("format", "xlsx")).upper()) if x)
    # an entry this table does not know: its values, without the stored keys
    return t("；", "; ", lang).join(str(v) for v in d.values() if v not in (None, "", [], {}))


# why a ticket counts in no KPI (outcomes' reasons; anything else is the export's own words)
_EXCLUSION_REASONS = {
    "excluded": ("已免责（未注明原因）", "excluded (no reason given)"),
    "priority not in terms": ("优先级不在合同条款中", "priority not in the contract's terms"),
    "cancelled": ("已取消", "cancelled"),
}


def exclusion_reason_text(reason: str | None, lang: str) -> str | None:
    """'exempted: 客户现场断电' → '经批准免责：客户现场断电' / 'exemption approved: 客户现场断电'."""
    if reason is None:
        return None
    if reason.startswith("exempted: "):
        return t("经批准免责：", "exemption approved: ", lang) + reason[len("exempted: ") :]
    return _named(_EXCLUSION_REASONS, reason, lang) if reason in _EXCLUSION_REASONS else reason


_COUNTRIES = {"CN": ("中国", "China"), "HK": ("中国香港", "Hong Kong"), "TW": ("中国台湾", "Taiwan")}


def country_name(code: str | None, lang: str) -> str:
    if not code:
        return t("无", "none", lang)
    return _named(_COUNTRIES, code, lang)


def weekly_hours_text(days: list[list[str]], lang: str) -> str:
    """Working hours per weekday (Monday first, each a list of 'HH:MM-HH:MM'), days with the same hours
    run together: '周一至周五 09:00–18:00' / 'Mon–Fri 09:00–18:00'."""
    names = WEEKDAY_NAMES["zh" if lang == "zh" else "en"]
    parts: list[str] = []
    start = 0
    for day in range(1, 8):
        if day < 7 and days[day] == days[start]:
            continue
        if days[start]:
            span = names[start] if day - 1 == start else f"{names[start]}{t('至', '–', lang)}{names[day - 1]}"
            parts.append(f"{span} {t('、', ', ', lang).join(i.replace('-', '–') for i in days[start])}")
        start = day
    return t("；", "; ", lang).join(parts) or t("无", "none", lang)
