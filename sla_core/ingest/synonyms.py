"""Column synonyms, value vocabularies and display names: data, not code.

Headers match after `normalize` (NFKC, case-folded, every space, underscore and punctuation mark removed),
so "First Response Time", "first_response_time" and "首次响应 时间" each match one entry. The canonical
column names themselves always match. Extend these tables to teach ingest a new export; nothing else
changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from sla_core.dataset import AUXILIARY, DIMENSION_PREFIX, SCHEMA, SourceKind

# kind → canonical column → header synonyms (Chinese and English, as people write them)
# fmt: off
COLUMN_SYNONYMS: dict[SourceKind, dict[str, tuple[str, ...]]] = {
    "tickets": {
        "ticket_id": (
            "工单号", "工单编号", "工单ID", "编号", "单号", "事件单号", "事件编号", "服务单号", "ticket id", "ticket", "ticket no",
            "ticket number", "id", "number", "incident id", "incident number", "issue key", "key",
            "request id", "case id", "case number",
        ),
        "created_at": (
            "创建时间", "报障时间", "提交时间", "创建日期", "开单时间", "报修时间", "登记时间", "发起时间", "created", "created at",
            "created on", "created date", "creation date", "creation time", "create time", "date created",
            "opened", "opened at", "open date", "opened date", "submitted", "submitted at", "submit time",
            "reported at", "reported",
        ),
        "priority": (
            "优先级", "级别", "紧急程度", "紧急度", "优先等级", "事件级别", "故障级别", "工单级别", "priority", "priority level", "prio",
        ),
        "first_response_at": (
            "首次响应时间", "响应时间", "首次响应", "首响时间", "接单时间", "首次回复时间", "first response", "first response at",
            "first response time", "first responded", "first responded at", "first reply", "first reply at",
            "first reply time", "responded at", "response time", "responded",
        ),
        "workaround_at": (
            "临时解决时间", "临时解决方案时间", "临时方案时间", "初步解决方案时间", "初步解决时间", "临时处理时间",
            "workaround", "workaround at", "workaround time", "workaround provided", "temporary fix",
            "temporary fix at", "initial solution", "initial solution at",
        ),
        "resolved_at": (
            "解决时间", "完成时间", "处理完成时间", "解决日期", "办结时间", "resolved", "resolved at", "resolved on",
            "resolved date", "resolution date", "solved", "solved at", "date resolved", "completed at",
            "completed", "fixed at",
        ),
        "closed_at": (
            "关闭时间", "结单时间", "关单时间", "关闭日期", "closed", "closed at", "closed on", "closed date", "close time",
            "close date", "date closed",
        ),
        "status": (
            "状态", "工单状态", "处理状态", "status", "state", "ticket status", "incident state",
        ),
        "category": (
            "类型", "类别", "工单类型", "工单类别", "问题类型", "问题类别", "分类", "服务类型", "category", "type", "ticket type",
            "issue type", "request type", "incident type",
        ),
        "channel": (
            "渠道", "来源", "报障渠道", "受理渠道", "来源渠道", "channel", "source", "contact type", "via", "origin",
        ),
        "customer": (
            "客户", "客户名称", "报障人", "报修人", "申请人", "提交人", "请求人", "customer", "client", "requester",
            "requested by", "requester name", "caller", "reporter", "organization", "company",
        ),
        "team": (
            "处理组", "支持组", "处理团队", "负责组", "服务组", "处理部门", "assignment group", "group", "team", "support group",
            "assigned group", "queue",
        ),
        "assignee": (
            "处理人", "负责人", "受理人", "工程师", "处理工程师", "assigned to", "assignee", "agent", "handler", "owner",
            "technician",
        ),
        "reopened_count": (
            "重开次数", "重新打开次数", "重开", "reopen count", "reopened count", "reopens", "reopened", "times reopened",
            "reopen", "number of reopens",
        ),
        "first_contact_resolved": (
            "一次解决", "首次解决", "是否一次解决", "一次性解决", "一次解决率", "first contact resolved", "first contact resolution",
            "fcr", "resolved on first contact", "one touch",
        ),
        "classified_at": (
            "分类时间", "定级时间", "定性时间", "classified", "classified at", "categorized at", "categorised at",
            "triaged at",
        ),
        "paused_minutes": (
            "暂停时长", "挂起时长", "挂起分钟", "挂起分钟数", "暂停分钟", "暂停分钟数", "挂起时长分钟", "挂起时长(分钟)", "挂起时间(分钟)",
            "挂起时间分钟", "暂停时长(分钟)", "暂停时长分钟", "挂起总时长", "挂起总时长(分钟)", "累计挂起时长", "累计挂起分钟",
            "paused minutes", "pause minutes", "on hold minutes", "paused", "hold minutes", "paused time minutes",
            "on hold time in minutes",
        ),
        "suggestion_adopted": (
            "是否采纳", "采纳", "建议采纳", "已采纳", "suggestion adopted", "adopted", "accepted",
        ),
        "excluded": (
            "免责", "不可抗力", "是否免责", "排除", "是否排除", "excluded", "exclude", "exempt", "exemption", "force majeure",
        ),
        "exclusion_reason": (
            "免责原因", "排除原因", "免责说明", "不可抗力原因", "exclusion reason", "exempt reason", "exemption reason",
            "excluded reason", "reason excluded",
        ),
        "status_changed_at": (
            "状态变更时间", "状态更新时间", "最后状态变更时间", "status changed", "status changed at", "status change time",
            "status category changed", "last status change", "state changed at",
        ),
    },
    "surveys": {
        "response_id": (
            "回访编号", "问卷编号", "答卷编号", "调查编号", "评价编号", "编号", "response id", "survey id", "response", "id",
            "answer id",
        ),
        "submitted_at": (
            "提交时间", "回访时间", "评价时间", "答卷时间", "调查时间", "填写时间", "submitted", "submitted at", "submission time",
            "submitted on", "response date", "completed at", "date", "time", "rated at",
        ),
        "score": (
            "评分", "得分", "总体满意度", "满意度", "总分", "综合评分", "满意度评分", "总体评分", "score", "rating", "overall score",
            "overall", "overall satisfaction", "satisfaction", "csat", "csat score",
        ),
        "ticket_id": (
            "工单号", "工单编号", "关联工单", "ticket id", "ticket", "ticket number", "incident", "incident number",
        ),
        "respondent": (
            "受访人", "被访人", "评价人", "回访对象", "客户", "respondent", "customer", "name", "requester", "rater",
        ),
        "channel": (
            "渠道", "回访方式", "调查方式", "channel", "survey channel", "via",
        ),
        "team": (
            "处理组", "支持组", "team", "group", "assignment group", "support group",
        ),
        "comment": (
            "评价", "意见", "评价内容", "意见建议", "备注", "留言", "comment", "comments", "feedback", "remarks", "remark",
            "verbatim",
        ),
        "duration_seconds": (
            "答题时长", "用时", "填写时长", "答题用时", "duration", "duration seconds", "time taken", "seconds",
            "response duration",
        ),
    },
    "outages": {
        "service": (
            "服务", "系统", "业务系统", "服务名称", "系统名称", "应用", "service", "system", "application", "app", "ci",
            "configuration item", "service name",
        ),
        "start": (
            "开始时间", "故障开始时间", "停机开始时间", "发生时间", "中断开始时间", "start", "start time", "started", "started at",
            "began", "from", "outage start", "down at",
        ),
        "end": (
            "结束时间", "恢复时间", "故障恢复时间", "停机结束时间", "end", "end time", "ended", "ended at", "restored",
            "restored at", "recovered", "recovered at", "to", "outage end", "up at",
        ),
        "planned": (
            "计划内", "是否计划内", "计划停机", "计划维护", "planned", "scheduled", "maintenance", "planned maintenance",
        ),
        "announced_at": (
            "通知时间", "公告时间", "预告时间", "announced", "announced at", "notice time", "notified at",
            "notification time",
        ),
        "severity": (
            "级别", "故障级别", "严重程度", "影响级别", "severity", "level", "impact",
        ),
        "cause": (
            "原因", "故障原因", "根本原因", "cause", "root cause", "reason",
        ),
        "description": (
            "描述", "故障描述", "说明", "详情", "description", "summary", "details",
        ),
    },
    "events": {
        "ticket_id": (
            "工单号", "工单编号", "工单ID", "编号", "单号", "事件单号", "事件编号", "服务单号", "ticket id", "ticket", "ticket no",
            "ticket number", "id", "number", "incident id", "incident number", "issue key", "key", "request id",
            "case id", "case", "case number", "sr number", "case concept name",
        ),
        "event_at": (
            "变更时间", "操作时间", "状态变更时间", "更新时间", "记录时间", "发生时间", "时间", "日期时间", "event time", "event at",
            "timestamp", "time", "changed at", "change time", "change date", "change date time", "status changed at",
            "updated at", "updated", "date", "time timestamp", "event timestamp", "sys created on", "logged at",
        ),
        "state": (
            "状态", "新状态", "变更后状态", "当前状态", "工单状态", "处理状态", "status", "state", "new status", "to status",
            "new state", "to state", "status to", "new value", "ticket status", "incident state",
        ),
        "created_at": (
            "创建时间", "报障时间", "提交时间", "开单时间", "created", "created at", "opened", "opened at", "open date",
            "created on", "date created", "creation date",
        ),
        "priority": (
            "优先级", "级别", "紧急程度", "priority", "priority level", "prio",
        ),
        "assignee": (
            "处理人", "负责人", "受理人", "操作人", "工程师", "assignee", "assigned to", "agent", "owner", "resource", "handler",
            "technician",
        ),
        "team": (
            "处理组", "支持组", "处理团队", "assignment group", "group", "team", "support group", "queue",
        ),
        "category": (
            "类型", "类别", "工单类型", "分类", "category", "type", "ticket type", "issue type",
        ),
        "channel": (
            "渠道", "来源", "channel", "source", "via", "contact type",
        ),
        "customer": (
            "客户", "报障人", "申请人", "customer", "requester", "caller", "organization", "company",
        ),
    },
    "measures": {
        "month": (
            "月份", "月度", "统计月份", "期间", "month", "period",
        ),
        "kpi": (
            "指标", "指标名称", "考核指标", "kpi", "metric", "indicator", "measure", "kpi id",
        ),
        "value": (
            "数值", "值", "实际值", "结果", "指标值", "value", "actual", "result", "measured",
        ),
        "source": (
            "来源", "数据来源", "source", "reported by",
        ),
        "note": (
            "备注", "说明", "note", "notes", "remark", "remarks", "comment",
        ),
    },
}

# Survey dimension columns (besides the contract's [surveys] dimensions) → `dim:<header as written>`.
DIMENSIONS: tuple[str, ...] = (
    "服务态度", "专业能力", "响应速度", "服务效果", "解决效果", "沟通能力", "服务质量", "attitude", "expertise", "speed", "effectiveness",
    "professionalism", "responsiveness", "knowledge", "communication",
)
# a dimension header may carry one of these endings: 服务态度评分, Attitude score
DIMENSION_SUFFIXES: tuple[str, ...] = ("评分", "得分", "分", "满意度", "score", "rating")

# Display names for messages: canonical column → (zh, en)
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "ticket_id": ("工单号", "ticket id"),
    "created_at": ("创建时间", "created"),
    "priority": ("优先级", "priority"),
    "first_response_at": ("首次响应时间", "first response"),
    "workaround_at": ("临时解决时间", "workaround"),
    "resolved_at": ("解决时间", "resolved"),
    "closed_at": ("关闭时间", "closed"),
    "status": ("状态", "status"),
    "category": ("类型", "category"),
    "category_raw": ("类型（原值）", "category (raw)"),
    "channel": ("渠道", "channel"),
    "customer": ("客户", "customer"),
    "team": ("处理组", "team"),
    "assignee": ("处理人", "assignee"),
    "reopened_count": ("重开次数", "reopen count"),
    "first_contact_resolved": ("一次解决", "first contact resolved"),
    "classified_at": ("分类时间", "classified"),
    "paused_minutes": ("暂停时长（分钟）", "paused minutes"),
    "suggestion_adopted": ("建议采纳", "suggestion adopted"),
    "excluded": ("免责", "excluded"),
    "exclusion_reason": ("免责原因", "exclusion reason"),
    "response_id": ("回访编号", "response id"),
    "submitted_at": ("提交时间", "submitted"),
    "score": ("评分", "score"),
    "respondent": ("受访人", "respondent"),
    "comment": ("评价", "comment"),
    "duration_seconds": ("答题时长（秒）", "duration (seconds)"),
    "service": ("服务", "service"),
    "start": ("开始时间", "start"),
    "end": ("结束时间", "end"),
    "planned": ("计划内", "planned"),
    "announced_at": ("通知时间", "announced"),
    "severity": ("级别", "severity"),
    "cause": ("原因", "cause"),
    "description": ("描述", "description"),
    "month": ("月份", "month"),
    "kpi": ("指标", "KPI"),
    "value": ("数值", "value"),
    "source": ("来源", "source"),
    "note": ("备注", "note"),
    "event_at": ("变更时间", "event time"),
    "state": ("状态", "state"),
    "pause_intervals": ("挂起区间", "pause intervals"),
    "status_changed_at": ("状态变更时间", "status changed"),
}

KIND_LABELS: dict[SourceKind, tuple[str, str]] = {
    "tickets": ("工单", "tickets"),
    "surveys": ("满意度调查", "surveys"),
    "outages": ("故障/停机", "outages"),
    "measures": ("其他指标", "measures"),
    "events": ("状态记录", "status history"),
}

# KPI names in the measures file → KPI id (the ids themselves always match)
KPI_NAMES: dict[str, tuple[str, ...]] = {
    "response_within_target": (
        "首次响应达标率", "响应达标率", "响应及时率", "response within target",
    ),
    "resolution_within_target": (
        "解决时效达标率", "解决达标率", "解决及时率", "resolution within target",
    ),
    "resolution_rate": (
        "问题解决率", "解决率", "resolution rate",
    ),
    "first_contact_resolution": (
        "首次解决率", "一次解决率", "first contact resolution", "fcr",
    ),
    "reopen_rate": (
        "重开率", "reopen rate",
    ),
    "complaint_rate": (
        "投诉率", "complaint rate",
    ),
    "feedback_on_time": (
        "反馈处理及时率", "反馈及时率", "feedback on time",
    ),
    "suggestion_adoption_rate": (
        "建议采纳率", "suggestion adoption rate",
    ),
    "csat_mean": (
        "满意度均分", "满意度平均分", "平均满意度", "csat", "csat mean", "average score",
    ),
    "csat_satisfied_share": (
        "满意率", "满意度达标率", "satisfied share", "csat satisfied share",
    ),
    "survey_response_rate": (
        "回访率", "调查回访率", "survey response rate",
    ),
    "availability": (
        "系统可用性", "可用性", "可用率", "系统可用率", "availability", "uptime",
    ),
    "unplanned_downtime_minutes": (
        "计划外停机", "计划外停机时长", "非计划停机", "unplanned downtime",
    ),
    "mttr_minutes": (
        "平均恢复时间", "平均修复时间", "mttr", "mean time to restore", "mean time to repair",
    ),
    "restored_in_time": (
        "按时恢复率", "及时恢复率", "restored in time",
    ),
    "backup_success_rate": (
        "备份成功率", "数据备份成功率", "backup success rate", "backup success",
    ),
    "recovery_time_hours": (
        "恢复时间", "数据恢复时间", "灾备恢复时间", "recovery time", "rto",
    ),
}

# values of the measures' source column that mean the provider's own figure
PROVIDER_SOURCES: tuple[str, ...] = (
    "provider",
    "乙方",
    "服务商",
    "供应商",
    "服务方",
    "承包方",
    "vendor",
    "supplier",
)

# Booleans (compared case-folded, spaces removed)
TRUE_WORDS: frozenset[str] = frozenset({"true", "yes", "y", "是", "1", "1.0"})
FALSE_WORDS: frozenset[str] = frozenset({"false", "no", "n", "否", "0", "0.0"})

# cells that mean "blank" (compared case-folded after stripping)
MISSING_MARKERS: frozenset[str] = frozenset({"", "-", "n/a", "na", "null", "?"})
# Excel error values (compared upper-cased)
EXCEL_ERRORS: frozenset[str] = frozenset(
    {
        "#BLOCKED!", "#BUSY!", "#CALC!", "#CONNECT!", "#DIV/0!", "#FIELD!", "#GETTING_DATA", "#N/A", "#N/A!",
        "#NAME?", "#NULL!", "#NUM!", "#REF!", "#SPILL!", "#UNKNOWN!", "#VALUE!",
    }
)
# fmt: on

_NON_WORD = re.compile(r"[\W_]+")
_BRACKETED = re.compile(r"[(（\[【<《].*?[)）\]】>》]")


def normalize(text: object) -> str:
    """'First Response_Time (UTC)' → 'firstresponsetimeutc'; full-width forms folded (NFKC)."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


@cache
def synonym_index(kind: SourceKind) -> dict[str, str]:
    """normalised synonym → canonical column, canonical names included."""
    index: dict[str, str] = {}
    for canonical in (*SCHEMA[kind], *AUXILIARY.get(kind, {})):
        index[normalize(canonical)] = canonical
    for canonical, words in COLUMN_SYNONYMS[kind].items():
        for word in words:
            index.setdefault(normalize(word), canonical)
    return index


def dimension_names(extra: Iterable[str] = ()) -> tuple[str, ...]:
    return (*extra, *DIMENSIONS)


def match_header(header: str, kind: SourceKind, dimensions: Iterable[str] = ()) -> str | None:
    """The canonical column a header means, `dim:<header>` for a survey dimension, or None."""
    key = normalize(header)
    if not key:
        return None
    index = synonym_index(kind)
    if key in index:
        return index[key]
    if kind == "surveys":
        dims = {normalize(d) for d in dimension_names(dimensions)}
        stem = key
        for suffix in DIMENSION_SUFFIXES:
            if stem.endswith(normalize(suffix)) and stem != normalize(suffix):
                stem = stem[: -len(normalize(suffix))]
                break
        if key in dims or stem in dims:
            return DIMENSION_PREFIX + header.strip()
    stripped = _BRACKETED.sub("", unicodedata.normalize("NFKC", header)).strip()
    if stripped and normalize(stripped) != key:
        found = match_header(stripped, kind, dimensions)
        if found and found.startswith(DIMENSION_PREFIX):
            return DIMENSION_PREFIX + header.strip()
        return found
    return None


def suggest_mapping(headers: list[str], kind: SourceKind, dimensions: Iterable[str] = ()) -> dict[str, str]:
    """header as written → canonical column, for the headers that match; the first of duplicates wins."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    dims = tuple(dimensions)
    for header in headers:
        if header is None or header in out:
            continue
        canonical = match_header(str(header), kind, dims)
        if canonical and canonical not in taken:
            out[header] = canonical
            taken.add(canonical)
    return out


@cache
def kpi_index() -> dict[str, str]:
    """normalised KPI name → KPI id."""
    from sla_core.contract import KPI_IDS

    index = {normalize(k): k for k in KPI_IDS}
    for kpi, names in KPI_NAMES.items():
        for name in names:
            index.setdefault(normalize(name), kpi)
    return index
