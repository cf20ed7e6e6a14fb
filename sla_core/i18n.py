"""Chinese and English words of the product: KPI declarations, statuses, number formats.

A KPI is declared once here (id, labels, unit, direction); tiles, chart axes, Excel headers and the
JSON all read this declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
Unit = Literal["rate", "score", "minutes", "hours"]


@dataclass(frozen=True)
class KpiDef:
    id: str
    zh: str
    en: str
    unit: Unit
    higher_is_better: bool
    source: Literal["tickets", "surveys", "outages", "measures"]
    # what the numerator and denominator count, for the sentence: "{num} of {den} {what}"
    what_zh: str = ""
    what_en: str = ""

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


KPIS: dict[str, KpiDef] = {
    k.id: k
    for k in (
        KpiDef(
            "response_within_target",
            "首次响应达标率",
            "Response within target",
            "rate",
            True,
            "tickets",
            "张工单在目标时间内首次响应",
            "tickets answered within target",
        ),
        KpiDef(
            "resolution_within_target",
            "解决时效达标率",
            "Resolution within target",
            "rate",
            True,
            "tickets",
            "张工单在目标时间内解决",
            "tickets resolved within target",
        ),
        KpiDef(
            "resolution_rate",
            "问题解决率",
            "Resolution rate",
            "rate",
            True,
            "tickets",
            "张工单已解决",
            "tickets resolved",
        ),
        KpiDef(
            "first_contact_resolution",
            "首次解决率",
            "First-contact resolution",
            "rate",
            True,
            "tickets",
            "张已解决工单一次解决",
            "resolved tickets solved at first contact",
        ),
        KpiDef(
            "reopen_rate",
            "重开率",
            "Reopen rate",
            "rate",
            False,
            "tickets",
            "张已解决工单被重开",
            "resolved tickets reopened",
        ),
        KpiDef(
            "complaint_rate",
            "投诉率",
            "Complaint rate",
            "rate",
            False,
            "tickets",
            "张工单为投诉",
            "tickets are complaints",
        ),
        KpiDef(
            "feedback_on_time",
            "反馈处理及时率",
            "Feedback handled on time",
            "rate",
            True,
            "tickets",
            "张投诉/反馈工单按时处理",
            "complaints and feedback handled on time",
        ),
        KpiDef(
            "suggestion_adoption_rate",
            "建议采纳率",
            "Suggestion adoption rate",
            "rate",
            True,
            "tickets",
            "条建议被采纳",
            "suggestions adopted",
        ),
        KpiDef("csat_mean", "满意度均分", "CSAT mean", "score", True, "surveys"),
        KpiDef(
            "csat_satisfied_share",
            "满意率",
            "Satisfied share",
            "rate",
            True,
            "surveys",
            "份评价为满意",
            "responses satisfied",
        ),
        KpiDef(
            "survey_response_rate",
            "回访率",
            "Survey response rate",
            "rate",
            True,
            "surveys",
            "张已解决工单获得回访",
            "resolved tickets surveyed",
        ),
        KpiDef("availability", "系统可用性", "Availability", "rate", True, "outages"),
        KpiDef("unplanned_downtime_minutes", "计划外停机", "Unplanned downtime", "minutes", False, "outages"),
        KpiDef("mttr_minutes", "平均恢复时间", "MTTR", "minutes", False, "outages"),
        KpiDef(
            "restored_in_time",
            "按时恢复率",
            "Restored in time",
            "rate",
            True,
            "outages",
            "次故障按时恢复",
            "incidents restored in time",
        ),
        KpiDef("backup_success_rate", "备份成功率", "Backup success rate", "rate", True, "measures"),
        KpiDef("recovery_time_hours", "恢复时间", "Recovery time", "hours", False, "measures"),
    )
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "met": ("达标", "met"),
    "missed": ("未达标", "missed"),
    "no_data": ("无数据", "no data"),
    "unjudged": ("不评判", "not judged"),
    "breached": ("超时", "breached"),
    "pending": ("进行中", "pending"),
    "excluded": ("已免责", "excluded"),
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
}


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
KIND_NAMES = {
    "tickets": ("工单", "Tickets"),
    "surveys": ("满意度调查", "Surveys"),
    "outages": ("故障/停机", "Outages"),
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
    "batch.undo": ("撤销批次", "Batch undone"),
    "contract.save": ("保存合同", "Contract saved"),
    "exemption.request": ("申请免责或调级", "Exemption requested"),
    "exemption.decide": ("审批免责或调级", "Exemption decided"),
    "mapping.save": ("保存列映射", "Column mapping saved"),
    "month.close": ("月度结账", "Month closed"),
    "preset.save": ("保存导入预设", "Import preset saved"),
    "report.export": ("导出报告", "Report exported"),
    "survey.exclude": ("排除评价", "Survey response excluded"),
    "survey.include": ("恢复评价", "Survey response included"),
}


def audit_action_label(action: str, lang: str) -> str:
    return _named(AUDIT_ACTIONS, action, lang)


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
            names = KIND_NAMES.get(value) or _EXEMPTION_KINDS.get(value)
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


_UNIT_WORDS = {"seconds": ("秒", "s"), "minutes": ("分钟", "min"), "hours": ("小时", "h")}


def unit_word(unit: str, lang: str) -> str:
    """The word after a duration (分钟 / min, 小时 / h); '' for rates and scores."""
    zh, en = _UNIT_WORDS.get(unit, ("", ""))
    return zh if lang == "zh" else en


def fmt_value(
    value: float | Decimal | None,
    unit: Unit,
    lang: str = "en",
    *,
    digits: int | None = None,
    beside: float | Decimal | None = None,
    bare: bool = False,
) -> str:
    """A KPI value as people read it: 95.1%, 4.52, 43.2 min, 3.5 h (`bare`: without min / h, for a
    table whose row names the unit).

    `beside`: the target the value is shown next to. While the value would read the same as the target
    without being it, digits are added (up to three): 99.86% next to "≥ 99.9%" is not "99.9%"."""
    if value is None:
        return "—"
    v = float(value)
    scale = 100.0 if unit == "rate" else 1.0
    d = digits if digits is not None else _default_digits(v * scale, unit)
    if digits is None and beside is not None:
        t = float(beside) * scale
        most = d + 3
        while d < most and abs(v * scale - t) > 1e-9 * scale and round(v * scale, d) == round(t, d):
            d += 1
    if unit == "rate":
        return f"{v * 100:.{d}f}%"
    if unit == "score":
        return f"{v:.{d}f}"
    number = f"{v:,.{d}f}"
    return number if bare else f"{number} {unit_word('minutes' if unit == 'minutes' else 'hours', lang)}"


def label_with_unit(kpi: str, lang: str) -> str:
    """A KPI's name with the unit of its values when they have one: 计划外停机（分钟）, Recovery time (h)."""
    d = KPIS[kpi]
    word = unit_word(d.unit, lang)
    if not word:
        return d.label(lang)
    return f"{d.label(lang)}（{word}）" if lang == "zh" else f"{d.label(lang)} ({word})"


def _default_digits(shown: float, unit: Unit) -> int:
    if unit == "rate":
        d = 1
        # 94.96% is not "95.0%" and 99.96% is not "100.0%": add digits when rounding lands on a whole number
        while d < 3 and round(shown, d) == round(shown) and abs(shown - round(shown)) > 1e-9:
            d += 1
        return d
    return {"score": 2, "minutes": 1}.get(unit, 2)


def fmt_money(amount: Decimal | float, currency: str, lang: str = "en") -> str:
    q = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "¥" if currency == "CNY" else f"{currency} "
    return f"{sign}{q:,.2f}"


def fmt_count(n: float | int | None) -> str:
    if n is None:
        return "—"
    return f"{int(n):,}" if float(n).is_integer() else f"{float(n):,.2f}"


def fmt_seconds(seconds: float | int | None, lang: str = "en") -> str:
    """Business durations as h:mm:ss (days are not meaningful on a business clock)."""
    if seconds is None:
        return "—"
    s = int(seconds)
    sign = "-" if s < 0 else ""
    s = abs(s)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def month_label(month: str, lang: str, *, short: bool = False) -> str:
    """'2026-03' → '2026年3月' / 'Mar 2026' (`short`: '3月' / 'Mar'); quarters '2026Q1' → '2026年第1季度' /
    '2026 Q1'."""
    if "Q" in month:
        y, q = month.split("Q")
        return f"{y}年第{q}季度" if lang == "zh" else f"{y} Q{q}"
    y, m = month.split("-")
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if short:
        return f"{int(m)}月" if lang == "zh" else names[int(m) - 1]
    return f"{y}年{int(m)}月" if lang == "zh" else f"{names[int(m) - 1]} {y}"


def months_label(months: tuple[str, ...] | list[str], lang: str) -> str:
    """('2026-03', '2026-04', '2026-05') → '2026年3月 – 2026年5月' when consecutive, else a list."""
    if len(months) > 2:
        keys = [int(m[:4]) * 12 + int(m[5:7]) for m in months]
        if keys == list(range(keys[0], keys[0] + len(keys))):
            return f"{month_label(months[0], lang)} – {month_label(months[-1], lang)}"
    return ", ".join(month_label(m, lang) for m in months)


def t(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


# The canonical input columns, as people call them (previews, mapping, exports).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "ticket_id": ("工单号", "Ticket id"),
    "created_at": ("创建时间", "Created"),
    "priority": ("优先级", "Priority"),
    "first_response_at": ("首次响应时间", "First response"),
    "resolved_at": ("解决时间", "Resolved"),
    "closed_at": ("关闭时间", "Closed"),
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
    "excluded": ("免责", "Excluded"),
    "exclusion_reason": ("免责原因", "Exclusion reason"),
    "pause_intervals": ("挂起区间", "Pause intervals"),
    "response_id": ("回访编号", "Response id"),
    "submitted_at": ("提交时间", "Submitted"),
    "score": ("总体满意度", "Score"),
    "respondent": ("受访人", "Respondent"),
    "comment": ("评价", "Comment"),
    "duration_seconds": ("答题时长（秒）", "Duration (s)"),
    "service": ("服务", "Service"),
    "start": ("开始时间", "Start"),
    "end": ("结束时间", "End"),
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


# what each KPI counts, for its detail screen: (definition, what the numerator counts, what the
# denominator counts), zh then en — the spec's KPI table in words (PRODUCT.md "KPIs")
KPI_DEFINITIONS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "response_within_target": (
        ("首次响应时长（按优先级的时钟）在该优先级目标之内的工单占比；免责和尚未到期的工单不计。",
         "首次响应达标的工单", "已评判首次响应的工单（达标 + 超时）"),
        ("Share of tickets whose first response (on the priority's clock) met the priority's target; "
         "excluded tickets and tickets still within target are not counted.",
         "tickets answered within target", "tickets with a judged response (met + breached)"),
    ),
    "resolution_within_target": (
        ("解决时长（扣除挂起，按优先级的时钟）在目标之内的工单占比；免责和尚未到期的工单不计。",
         "解决达标的工单", "已评判解决的工单（达标 + 超时）"),
        ("Share of tickets resolved within the target (pauses deducted, on the priority's clock); "
         "excluded tickets and tickets still within target are not counted.",
         "tickets resolved within target", "tickets with a judged resolution (met + breached)"),
    ),
    "resolution_rate": (
        ("当期创建的非免责工单中已解决的占比。", "已解决的工单", "非免责工单"),
        ("Share of the period's non-excluded tickets that are resolved.", "resolved tickets",
         "non-excluded tickets"),
    ),
    "first_contact_resolution": (
        ("已解决工单中首次接触即解决的占比。", "首次接触即解决的工单", "已解决的工单"),
        ("Share of resolved tickets resolved at first contact.", "tickets resolved at first contact",
         "resolved tickets"),
    ),
    "reopen_rate": (
        ("已解决工单中被重开过（重开次数 > 0）的占比。", "重开过的工单", "已解决的工单"),
        ("Share of resolved tickets that were reopened (reopen count > 0).", "reopened tickets",
         "resolved tickets"),
    ),
    "complaint_rate": (
        ("非免责工单中投诉类工单的占比。", "投诉工单", "非免责工单"),
        ("Share of non-excluded tickets that are complaints.", "complaint tickets", "non-excluded tickets"),
    ),
    "feedback_on_time": (
        ("投诉与意见工单中每个里程碑（受理、分类、处理完毕）都按时的占比；处理中的不计。",
         "按时处理的投诉与意见工单", "已评判的投诉与意见工单（按时 + 超时）"),
        ("Share of complaint and feedback tickets on time at every milestone (acknowledged, classified, "
         "processed); pending ones are not counted.",
         "feedback tickets on time", "judged feedback tickets (on time + late)"),
    ),
    "suggestion_adoption_rate": (
        ("建议类工单中被采纳的占比。", "已采纳的建议", "建议类工单"),
        ("Share of suggestion tickets whose suggestion was adopted.", "adopted suggestions",
         "suggestion tickets"),
    ),
    "csat_mean": (
        ("当期满意度回访总体评分的平均值（按合同的评分量表）；剔除的回访不计。", "评分之和", "回访份数"),
        ("Mean overall score of the period's survey responses, on the contract's scale; excluded "
         "responses are not counted.", "sum of the scores", "responses"),
    ),
    "csat_satisfied_share": (
        ("评分达到“满意”线（五分制为前两档）的回访占比。", "满意的回访", "回访份数"),
        ("Share of responses scoring at or above the satisfied mark (the top two boxes on five points).",
         "satisfied responses", "responses"),
    ),
    "survey_response_rate": (
        ("当期已解决工单中有回访（按工单号对应）的占比。", "有回访的已解决工单", "已解决的工单"),
        ("Share of the period's resolved tickets with a survey response (matched by ticket number).",
         "resolved tickets with a survey", "resolved tickets"),
    ),
    "availability": (
        ("1 − 计划外停机时长 / 当月总时长；各系统的停机时段合并后计算，已提前通知的计划维护不计。",
         "可用时长", "当期总时长"),
        ("1 − unplanned downtime / length of the month; outages of all services are merged first, and "
         "maintenance announced in time is not counted.", "time up", "length of the period"),
    ),
    "unplanned_downtime_minutes": (
        ("当月计划外停机的分钟数（各系统停机时段合并）；季度为各月的平均。", "停机分钟", "月数"),
        ("Minutes of unplanned downtime in the month (outages of all services merged); a quarter shows "
         "its mean month.", "minutes down", "months"),
    ),
    "mttr_minutes": (
        ("已结束的故障的平均恢复时长。", "故障恢复分钟之和", "已结束的故障"),
        ("Mean duration of the period's ended incidents.", "minutes of the incidents", "ended incidents"),
    ),
    "restored_in_time": (
        ("已结束的故障中在合同恢复时限内恢复的占比。", "按时恢复的故障", "已结束的故障"),
        ("Share of ended incidents restored within the contract's restore limit.",
         "incidents restored in time", "ended incidents"),
    ),
    "backup_success_rate": (
        ("其他指标文件中报告的当月备份成功率。", "", ""),
        ("The month's backup success rate, as reported in the measures file.", "", ""),
    ),
    "recovery_time_hours": (
        ("其他指标文件中报告的当月恢复时间（小时）。", "", ""),
        ("The month's recovery time in hours, as reported in the measures file.", "", ""),
    ),
}  # fmt: skip
