"""Excel exports: the monthly service report and the quarterly review pack.

`build_report(source, "2026-06" | "2026Q2", "zh" | "en", store=None)` returns the bytes of an .xlsx
workbook a quality manager sends to the client as it is (doc 003: KPI achievement, problem list,
improvement measures). `source` is a `workspace.Snapshot` or an `Evaluation`; with a store, the
register sheets (improvement actions, exemption requests, batches and their data-quality log, month
closes) are filled from it, without one they say so and list what the evaluation knows.

Sheets: Summary · KPI scorecard · Trends (native line charts, target drawn as a line) · Breached
tickets · Open tickets · Outages · Penalties · Obligations & actions · Exemptions · Reconciliation ·
Survey flags · Data quality · Contract terms.

Numbers are written as numbers with formats (rates as fractions with %, durations as fractions of a
day with [h]:mm:ss, money with the currency, targets as numbers whose format shows the operator).
Every string is written with `write_string`, so text beginning with = + - @ stays text. The workbook
is written in xlsxwriter's constant_memory mode (each row streamed to a temporary file as soon as the
next begins), which is why every sheet below is written strictly top to bottom.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from sla_core.consequences import Obligation
from sla_core.contract import KPI_IDS, Contract, Target
from sla_core.evaluate import Evaluation, PeriodResult
from sla_core.i18n import (
    CATEGORY_NAMES,
    FLAG_NAMES,
    KIND_NAMES,
    KPIS,
    OBLIGATION_KINDS,
    action_change_text,
    audit_action_label,
    fmt_money,
    fmt_value,
    link_label,
    status_label,
    unit_word,
)
from sla_core.i18n import month_label as period_name
from sla_core.periods import (
    MONTH_RE,
    QUARTER_RE,
    month_first_day,
    month_key,
    month_label,
    month_last_day,
    quarter_months,
    quarter_of,
)
from sla_core.problems import Issue

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from sla_core.store import Store

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXIT_OK, EXIT_REJECTED = 0, 2

# The KPIs drawn on the Trends sheet, when they have a value in at least one month.
TREND_KPIS: tuple[str, ...] = (
    "response_within_target",
    "resolution_within_target",
    "resolution_rate",
    "first_contact_resolution",
    "complaint_rate",
    "feedback_on_time",
    "csat_mean",
    "csat_satisfied_share",
    "availability",
    "unplanned_downtime_minutes",
)
MAX_LOG_ROWS = 50_000  # skipped-row issues listed per workbook; the rest are counted

FONTS = {"zh": "Microsoft YaHei", "en": "Arial"}  # LibreOffice falls back to Noto Sans CJK / Liberation Sans


class ReportError(ValueError):
    """A period or contract the report cannot be made for; the message in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# ---------------------------------------------------------------- words

W: dict[str, tuple[str, str]] = {
    "monthly": ("月度服务报告", "Monthly service report"),
    "quarterly": ("季度评审报告", "Quarterly review pack"),
    "contract": ("合同", "Contract"),
    "client": ("甲方（客户）", "Client"),
    "provider": ("乙方（服务商）", "Provider"),
    "period": ("报告期", "Period"),
    "as_of": ("数据截至", "Data as of"),
    "terms": ("适用合同条款", "Terms in force"),
    "base_terms": ("合同原始条款", "the contract as signed"),
    "state": ("状态", "Status"),
    "final": ("最终", "final"),
    "provisional": ("暂定", "provisional"),
    "provisional_label": ("暂定", "Provisional"),
    "provisional_why": (
        "暂定：期间尚未结束或仍有未完成的工单，数字可能变化",
        "provisional: the period has not ended or has pending tickets; figures may change",
    ),
    "final_why": ("最终：期间已结束且没有未完成的工单", "final: the period has ended with no pending ticket"),
    "closed": ("结账", "Month close"),
    "closed_state": ("已结账", "closed"),
    "verdict": ("总体结论", "Overall verdict"),
    "met_n": ("达标指标", "KPIs met"),
    "missed_n": ("未达标指标", "KPIs missed"),
    "no_data_n": ("无数据指标", "KPIs without data"),
    "unjudged_n": ("不评判指标", "KPIs not judged"),
    "missed_list": ("未达标指标清单", "Missed KPIs"),
    "missed_months": ("各月未达标指标", "Missed in a month"),
    "penalty": ("违约金", "Penalty"),
    "uncapped": ("封顶前金额", "Before the cap"),
    "capped": ("已封顶", "Capped"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "breached_n": ("超时工单", "Breached tickets"),
    "tickets_n": ("工单数", "Tickets"),
    "responses_n": ("满意度评价数", "Survey responses"),
    "obligations_open": ("未完成义务", "Open obligations"),
    "overdue_n": ("其中逾期", "of which overdue"),
    "warnings": ("提示", "Warnings"),
    "times_note": ("说明", "Note"),
    "generated": ("生成", "Generated"),
    "kpi_table": ("指标达成情况", "KPI achievement"),
    "kpi": ("指标", "KPI"),
    "value": ("数值", "Value"),
    "target": ("目标", "Target"),
    "status": ("状态", "Status"),
    "numerator": ("分子", "Numerator"),
    "denominator": ("分母", "Denominator"),
    "explanation": ("说明", "Explanation"),
    "change": ("较上期变化", "Change vs previous"),
    "no_records": ("无记录", "No records"),
    "no_store": (
        "无记录：此项登记在数据库中，本次导出未连接数据库（由文件直接评估）",
        "No records: these are kept in the store, and this export was made without it (evaluated from files)",
    ),
    "month": ("月份", "Month"),
    "ticket": ("工单号", "Ticket"),
    "priority": ("优先级", "Priority"),
    "clock": ("计时方式", "Clock"),
    "created": ("创建时间", "Created"),
    "responded": ("首次响应时间", "First response"),
    "resolved": ("解决时间", "Resolved"),
    "category": ("类别", "Category"),
    "team": ("处理组", "Team"),
    "assignee": ("处理人", "Assignee"),
    "customer": ("客户", "Customer"),
    "channel": ("渠道", "Channel"),
    "response": ("响应用时", "Response time"),
    "response_target": ("响应目标", "Response target"),
    "response_status": ("响应结果", "Response"),
    "resolution": ("解决用时", "Resolution time"),
    "resolution_target": ("解决目标", "Resolution target"),
    "resolution_status": ("解决结果", "Resolution"),
    "paused": ("暂停时长", "Paused"),
    "over_by": ("超出时长", "Over by"),
    "ticket_penalty": ("违约金", "Penalty"),
    "ticket_status": ("工单状态", "Ticket status"),
    "24x7": ("7×24 小时", "24x7"),
    "business": ("工作时间", "business hours"),
    "kind": ("类型", "Kind"),
    "ref": ("对象", "Item"),
    "amount": ("金额", "Amount"),
    "which_target": ("超时环节", "Target"),
    "cap": ("上限", "Cap"),
    "cap_left": ("本期可计上限", "Cap left for the period"),
    "cap_period": ("上限周期", "Cap period"),
    "share_fee": ("占月费比例", "Share of fee"),
    "charged": ("应计违约金", "Charged"),
    "items_total": ("明细合计", "Items total"),
    "total": ("合计", "Total"),
    "penalty_items": ("违约金明细", "Penalty items"),
    "penalty_by_month": ("按月汇总", "By month"),
    "obligations": ("合同义务", "Obligations"),
    "obligation": ("义务", "Obligation"),
    "months": ("涉及月份", "Months"),
    "due": ("截止日期", "Due"),
    "linked_action": ("关联措施", "Linked action"),
    "actions": ("改进措施", "Improvement actions"),
    "action": ("措施编号", "Action"),
    "link": ("关联", "Linked to"),
    "cause": ("原因", "Cause"),
    "measure": ("措施", "Measure"),
    "owner": ("负责人", "Owner"),
    "updated": ("最近更新", "Updated"),
    "updated_by": ("更新人", "Updated by"),
    "history": ("措施变更记录", "Action history"),
    "when": ("时间", "When"),
    "by": ("操作人", "By"),
    "fields": ("变更内容", "Changes"),
    "requests": ("免责与调级申请", "Exemption and regrade requests"),
    "excluded_tickets": ("本期免责工单（不计入任何指标）", "Excluded tickets (never counted in any KPI)"),
    "reason": ("理由", "Reason"),
    "new_priority": ("调整后优先级", "New priority"),
    "requested_by": ("申请人", "Requested by"),
    "requested_at": ("申请时间", "Requested"),
    "decision": ("审批结果", "Decision"),
    "decided_by": ("审批人", "Approver"),
    "decided_at": ("审批时间", "Decided"),
    "decision_reason": ("审批意见", "Decision reason"),
    "provider_value": ("服务商报告值", "Provider reported"),
    "computed_value": ("系统计算值", "Computed"),
    "difference": ("差异", "Difference"),
    "flagged": ("需核实", "Flagged"),
    "response_id": ("评价编号", "Response"),
    "submitted": ("提交时间", "Submitted"),
    "respondent": ("评价人", "Respondent"),
    "score": ("总体评分", "Score"),
    "flags": ("标记", "Flags"),
    "excluded": ("已排除", "Excluded"),
    "excluded_by": ("排除人", "Excluded by"),
    "excluded_at": ("排除时间", "Excluded on"),
    "comment": ("评价内容", "Comment"),
    "batches": ("导入批次", "Batches imported"),
    "batch": ("批次", "Batch"),
    "file": ("文件", "File"),
    "rows": ("行数", "Rows"),
    "inserted": ("新增", "New"),
    "updated_rows": ("更新", "Updated"),
    "unchanged": ("未变", "Unchanged"),
    "skipped": ("跳过行数", "Rows skipped"),
    "imported_at": ("导入时间", "Imported"),
    "imported_by": ("导入人", "Imported by"),
    "undone": ("撤销", "Undone"),
    "skipped_log": ("跳过的行及原因", "Rows skipped and why"),
    "level": ("级别", "Level"),
    "code": ("代码", "Code"),
    "sheet": ("工作表", "Sheet"),
    "row": ("行号", "Row"),
    "column": ("列", "Column"),
    "cell_value": ("值", "Value"),
    "message": ("说明", "Message"),
    "eval_warnings": ("评估提示", "Evaluation warnings"),
    "service": ("服务/系统", "Service"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "duration": ("时长", "Duration"),
    "in_period": ("期内停机", "In the period"),
    "planned": ("计划内", "Planned"),
    "counted_as": ("计为", "Counted as"),
    "severity": ("级别", "Severity"),
    "description": ("描述", "Description"),
    "outages": ("故障与停机记录", "Outages"),
    "incidents": (
        "故障事件（合并重叠记录，用于平均恢复时间）",
        "Incidents (overlaps merged; the basis of MTTR)",
    ),
    "restored_in_time": ("按时恢复", "Restored in time"),
    "still_open": ("未结束", "still open"),
    "key": ("项目", "Item"),
    "setting": ("约定", "Term"),
    "versions": ("合同版本", "Contract versions"),
    "effective_from": ("生效日期", "Effective from"),
    "note": ("备注", "Note"),
    "in_force": ("本期适用", "In force"),
    "priorities": ("优先级与时限", "Priorities and targets"),
    "labels": ("对应取值", "Labels"),
    "kpi_targets": ("指标目标", "KPI targets"),
    "penalty_terms": ("违约金条款", "Penalties"),
    "other_terms": ("其他条款", "Other terms"),
    "series_value": ("实际值", "Actual"),
    "trend_table": ("各月数值（图表数据）", "Monthly values (chart data)"),
    "series": ("数据", "Series"),
    "missed_series": ("未达标", "Missed"),
}

SHEETS: dict[str, tuple[str, str]] = {
    "summary": ("概要", "Summary"),
    "scorecard": ("指标记分卡", "KPI scorecard"),
    "trends": ("趋势", "Trends"),
    "breached": ("超时工单", "Breached tickets"),
    "open": ("未解决工单", "Open tickets"),
    "outages": ("故障停机", "Outages"),
    "penalties": ("违约金", "Penalties"),
    "obligations": ("义务与改进措施", "Obligations & actions"),
    "exemptions": ("免责与调级", "Exemptions"),
    "reconciliation": ("数据核对", "Reconciliation"),
    "surveys": ("问卷标记", "Survey flags"),
    "quality": ("数据质量", "Data quality"),
    "terms": ("合同条款", "Contract terms"),
    "audit": ("审计日志", "Audit log"),
}

LABELS: dict[str, tuple[str, str]] = {
    **OBLIGATION_KINDS,
    "breached_ticket": ("超时工单", "Breached ticket"),
    "missed_kpi": ("未达标指标", "Missed KPI"),
    "response": ("首次响应", "response"),
    "resolution": ("解决", "resolution"),
    "in_progress": ("进行中", "in progress"),
    "approved": ("已批准", "approved"),
    "rejected": ("已驳回", "rejected"),
    "active": ("有效", "active"),
    "undone": ("已撤销", "undone"),
    "exempt": ("免责", "exemption"),
    "regrade": ("调级", "regrade"),
    "miss": ("未达标", "miss"),
    "obligation": ("义务", "obligation"),
    "created": ("创建", "created"),
    "updated": ("修改", "updated"),
    **FLAG_NAMES,
    **{k: (zh, en.lower()) for k, (zh, en) in KIND_NAMES.items()},
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "unplanned": ("计划外", "unplanned"),
    "late_notice": ("计划外（通知不足）", "unplanned (late notice)"),
    "planned": ("计划内", "planned"),
    "month": ("每月", "month"),
    "contract_year": ("每合同年", "contract year"),
    "contract": ("整个合同期", "whole contract"),
    **{c: (zh, en.lower()) for c, (zh, en) in CATEGORY_NAMES.items()},
}


def report_filename(contract_id: str, period: str, lang: str) -> str:
    """A download name: demo-helpdesk_2026Q2_季度评审报告.xlsx / demo-helpdesk_2026-06_monthly-report.xlsx."""
    quarterly = "Q" in period
    if lang == "zh":
        kind = W["quarterly" if quarterly else "monthly"][0]
    else:
        kind = "quarterly-review" if quarterly else "monthly-report"
    return f"{contract_id}_{period}_{kind}.xlsx"


# ---------------------------------------------------------------- the period and its context


@dataclass
class _Period:
    label: str
    quarterly: bool
    result: PeriodResult
    months: list[PeriodResult]  # the evaluated months of the period, in order
    previous: PeriodResult | None
    keys: list[int]  # month keys of the whole period (evaluated or not)
    first_day: date
    last_day: date

    @property
    def month_labels(self) -> set[str]:
        return {month_label(k) for k in self.keys}


def resolve_period(evaluation: Evaluation, period: str) -> _Period:
    """The period's results, or a ReportError naming what is wrong."""
    period = period.strip()
    if QUARTER_RE.match(period):
        result = evaluation.quarter(period)
        if result is None:
            known = ", ".join(q.label for q in evaluation.quarters) or "—"
            raise ReportError(
                f"季度 {period} 没有数据（已评估的季度：{known}）",
                f"quarter {period} has no data (evaluated quarters: {known})",
            )
        keys = quarter_months(period)
        months = [m for k in keys if (m := evaluation.month(month_label(k))) is not None]
        previous = evaluation.quarter(quarter_of(keys[0] - 1))
        return _Period(
            period, True, result, months, previous, keys, month_first_day(keys[0]), month_last_day(keys[-1])
        )
    if MONTH_RE.match(period):
        key = month_key(period)
        result = evaluation.month(period) if 1 <= int(period[5:]) <= 12 else None
        if result is None:
            known = (
                f"{evaluation.months[0].label} … {evaluation.months[-1].label}" if evaluation.months else "—"
            )
            raise ReportError(
                f"月份 {period} 没有数据（已评估的月份：{known}）",
                f"month {period} has no data (evaluated months: {known})",
            )
        previous = evaluation.month(month_label(key - 1))
        return _Period(
            period, False, result, [result], previous, [key], month_first_day(key), month_last_day(key)
        )
    raise ReportError(
        f"报告期 {period!r} 应为 YYYY-MM（月）或 YYYYQn（季度）",
        f"period {period!r}: expected YYYY-MM (a month) or YYYYQn (a quarter)",
    )


@dataclass
class _Records:
    """What the store adds to the evaluation (None fields: no store)."""

    actions: list[Any] | None = None
    history: dict[int, list[Any]] = field(default_factory=dict)
    exemptions: list[Any] | None = None
    batches: list[Any] | None = None
    batch_issues: dict[int, list[Issue]] = field(default_factory=dict)
    closes: list[Any] | None = None
    survey_exclusions: dict[str, Any] = field(default_factory=dict)
    audit: list[Any] | None = None


def _records(store: Store | None, contract_id: str) -> _Records:
    if store is None:
        return _Records()
    from sla_core import store as st

    actions = st.list_actions(store, contract_id)
    batches = st.list_batches(store, contract_id)
    issues: dict[int, list[Issue]] = {}
    budget = MAX_LOG_ROWS
    for b in batches:
        if b.skipped and budget > 0:
            found = st.batch_issues(store, contract_id, b.batch_id)
            issues[b.batch_id] = found
            budget -= len(found)
    return _Records(
        actions=actions,
        history={a.action_id: st.action_history(store, contract_id, a.action_id) for a in actions},
        exemptions=st.list_exemptions(store, contract_id),
        batches=batches,
        batch_issues=issues,
        closes=st.closed_months(store, contract_id),
        survey_exclusions={e.response_id: e for e in st.list_survey_exclusions(store, contract_id)},
        audit=st.audit_log(store, contract_id, limit=MAX_LOG_ROWS),
    )


# ---------------------------------------------------------------- cells and formats


class SubRow(list):  # type: ignore[type-arg]
    """A table row grouped under the row before it (outline level 1, collapsible in Excel)."""


class V(NamedTuple):
    """A cell whose kind differs from its column's (a per-row number format, a status)."""

    value: Any
    kind: str


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"
    max_width: float = 40.0
    min_width: float = 6.0


def _text_width(text: str) -> float:
    """Display width in Excel character units: CJK and full-width characters count double."""
    if text.isascii():
        return float(len(text))
    return float(sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text))


_WIDTH_SCALE = {"zh": 1.08, "en": 1.0}  # the Chinese font's Latin digits run a little wider
_LINE_HEIGHT = 14.0  # points per line of 10-point text (CJK fonts run a little taller than Latin ones)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column at most `width` characters wide (an upper
    bound: a wrapped column is never narrower than its text or its cap); word wrap wastes ~10%."""
    count = 0
    for part in text.split("\n"):
        # Latin letters average ~0.8 of the width unit (a digit) but wrap at spaces; CJK wraps anywhere
        shown = (
            0.88 * len(part) if part.isascii() else sum(2.04 if ord(ch) >= 0x2E80 else 0.88 for ch in part)
        )
        count += max(1, math.ceil(shown / max(width, 1.0)))
    return min(count, 30)


def _number_width(kind: str, number: float) -> float:
    """How wide a number shows in its format, in characters."""
    if kind.startswith("target:"):
        return 9.0
    if kind in ("int", "num"):
        return len(f"{number:,.0f}") + (3 if kind == "num" else 0) + 1.0
    if kind == "money":
        return len(f"{number:,.2f}") + 3.0
    return float(_KIND_WIDTH.get(kind, 10))


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return False


def _excel_serials(epochs: np.ndarray | pd.Series, zone: Any) -> np.ndarray:
    """UTC epoch seconds → Excel serial dates in the contract's zone (NaN stays NaN)."""
    values = np.asarray(epochs, dtype="float64")
    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    if ok.any():
        local = pd.to_datetime(values[ok], unit="s", utc=True).tz_convert(zone).tz_localize(None)
        delta = local.to_numpy() - np.datetime64("1899-12-30T00:00:00")
        out[ok] = delta / np.timedelta64(1, "s") / 86400.0
    return out


def _serial(epoch: float, zone: Any) -> float:
    return float(_excel_serials(np.array([epoch]), zone)[0])


def _num_text(value: Decimal) -> tuple[str, int]:
    """Decimal → (Excel digits pattern, number of decimals): 99.9 → ('0.0', 1)."""
    text = format(value.normalize(), "f")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return ("0." + "0" * decimals if decimals else "0"), decimals


_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _target_format(target: Target, unit: str, lang: str) -> str:
    """The target as a number whose format shows the operator: 0.95 shown as ≥ 95%."""
    op = _OPS[target.op]
    if target.percent:
        pattern, _ = _num_text(target.value * 100)
        return f'"{op} "{pattern}%'
    pattern, _ = _num_text(target.value)
    word = unit_word(unit, lang)
    unit_text = f'" {word}"' if word else ""
    return f'"{op} "{pattern}{unit_text}'


def _value_kind(kpi: str) -> str:
    unit = KPIS[kpi].unit
    if kpi == "availability":
        return "rate3"
    return {"rate": "rate", "score": "score", "minutes": "minutes", "hours": "hours"}[unit]


def _count_kind(kpi: str, value: float | None, part: str) -> str:
    """Numerators and denominators: counts, except availability (seconds) and MTTR (minutes / incidents)."""
    if kpi == "availability":
        return "seconds"
    if kpi == "mttr_minutes" and part == "numerator":
        return "minutes"
    return "int" if value is None or float(value).is_integer() else "num"


class _Book:
    """The workbook, its formats (cached) and the words of its language."""

    def __init__(self, buffer: io.BytesIO, lang: str, contract: Contract) -> None:
        import xlsxwriter

        from sla_core.charts import SERIES, STATUS_COLORS, TARGET_COLOR

        self.lang = lang
        self.contract = contract
        self.zone = contract.zone
        self.colors = STATUS_COLORS
        self.series_color = SERIES[0]
        self.target_color = TARGET_COLOR
        self.font = FONTS.get(lang, FONTS["en"])
        self.wb: Workbook = xlsxwriter.Workbook(
            buffer,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": True,
            },
        )
        # the default format (empty cells, row heights) in the workbook's font
        self.wb.formats[0].set_font_name(self.font)
        self.wb.formats[0].set_font_size(10)
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._kinds: dict[tuple[str, bool], Format] = {}
        self.stamp = ""
        currency = contract.base.contract.currency
        self.money_format = '"¥"#,##0.00' if currency == "CNY" else f'#,##0.00" {currency}"'
        zh = lang == "zh"
        self.kind_formats: dict[str, dict[str, Any]] = {
            "text": {"num_format": "@"},
            "wrap": {"num_format": "@", "text_wrap": True},
            "int": {"num_format": "#,##0"},
            "num": {"num_format": "#,##0.00"},
            "rate": {"num_format": "0.00%"},
            "rate3": {"num_format": "0.000%"},
            "pp": {"num_format": "+0.00%;-0.00%;0.00%"},
            "pp3": {"num_format": "+0.000%;-0.000%;0.000%"},
            "score": {"num_format": "0.00"},
            "general": {"num_format": "General"},
            "seconds": {"num_format": '#,##0" 秒"' if zh else '#,##0" s"'},
            "dscore": {"num_format": "+0.00;-0.00;0.00"},
            "minutes": {"num_format": '#,##0.0" 分钟"' if zh else '#,##0.0" min"'},
            "dminutes": {
                "num_format": '+#,##0.0" 分钟";-#,##0.0" 分钟";0.0'
                if zh
                else '+#,##0.0" min";-#,##0.0" min";0.0'
            },
            "hours": {"num_format": '0.00" 小时"' if zh else '0.00" h"'},
            "dhours": {"num_format": '+0.00" 小时";-0.00" 小时";0.00' if zh else '+0.00" h";-0.00" h";0.00'},
            "money": {"num_format": self.money_format},
            "date": {"num_format": "yyyy-mm-dd"},
            "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
            "dur": {"num_format": "[h]:mm:ss"},
            "dur_hm": {"num_format": "[h]:mm"},
            "pct1": {"num_format": "0.0%"},
        }

    def w(self, key: str) -> str:
        zh, en = W[key]
        return zh if self.lang == "zh" else en

    def label(self, key: str) -> str:
        if key in LABELS:
            zh, en = LABELS[key]
            return zh if self.lang == "zh" else en
        return status_label(key, self.lang)

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def fmt(self, **props: Any) -> Format:
        props.setdefault("font_name", self.font)
        props.setdefault("font_size", 10)
        props.setdefault("valign", "top")
        key = tuple(sorted(props.items()))
        found = self._cache.get(key)
        if found is None:
            found = self.wb.add_format(props)
            self._cache[key] = found
        return found

    def cell_format(self, kind: str, *, table: bool = True) -> Format:
        found = self._kinds.get((kind, table))
        if found is None:
            found = self._kinds[(kind, table)] = self._cell_format(kind, table)
        return found

    def _cell_format(self, kind: str, table: bool) -> Format:
        kind, _, modifier = kind.partition("|")
        props: dict[str, Any] = {}
        if kind.startswith("status:"):
            code = kind.split(":", 1)[1]
            color = self.colors.get(code, "#78909c")
            props = {"bg_color": color, "font_color": "#ffffff", "bold": True, "align": "center"}
        elif kind.startswith("target:"):
            props = {"num_format": kind.split(":", 1)[1]}
        elif kind in ("flag:yes", "flag:no"):
            props = (
                {"bg_color": "#ffcdd2", "font_color": "#b71c1c", "bold": True, "align": "center"}
                if kind == "flag:yes"
                else {"align": "center"}
            )
        elif kind == "bool":
            props = {"align": "center"}
        elif kind == "note":
            props = {"italic": True, "font_color": "#546e7a"}
        else:
            props = dict(self.kind_formats.get(kind, self.kind_formats["text"]))
        if table:
            props.update({"border": 1, "border_color": "#cfd8dc"})
        if modifier == "sub":  # the numerator/denominator line under a KPI
            props.update({"font_color": "#607d8b", "font_size": 9, "bg_color": "#f5f7f8"})
        return self.fmt(**props)

    def header_format(self) -> Format:
        return self.fmt(
            bold=True,
            font_color="#ffffff",
            bg_color="#37474f",
            text_wrap=True,
            valign="vcenter",
            border=1,
            border_color="#cfd8dc",
        )

    def group_format(self) -> Format:
        return self.fmt(
            bold=True,
            font_color="#ffffff",
            bg_color="#546e7a",
            align="center",
            valign="vcenter",
            border=1,
            border_color="#cfd8dc",
        )

    def close(self) -> None:
        self.wb.close()


# widths of numbers as shown, in characters
_KIND_WIDTH = {
    "int": 8,
    "num": 10,
    "rate": 8,
    "rate3": 9,
    "pp": 8,
    "pp3": 9,
    "score": 6,
    "dscore": 6,
    "minutes": 11,
    "dminutes": 11,
    "hours": 9,
    "dhours": 9,
    "money": 13,
    "date": 11,
    "datetime": 18,
    "dur": 10,
    "dur_hm": 8,
    "pct1": 7,
    "seconds": 12,
    "general": 6,
}


class _Sheet:
    """One worksheet written top to bottom (constant_memory), with widths fitted and print set up."""

    def __init__(self, book: _Book, key: str, title: str, subtitle: str = "") -> None:
        self.book = book
        name = SHEETS[key][0] if book.lang == "zh" else SHEETS[key][1]
        self.name = name
        self.ws: Worksheet = book.wb.add_worksheet(name)
        self.row = 0
        self.widths: dict[int, float] = {}
        self.main_header: int | None = None
        self.main_cols = 0
        self.main_last = 0
        self.freeze_col = 0
        self.main_groups = False
        self.title(title, subtitle)

    # -- writing

    def _measure(self, col: int, width: float, col_def: Col | None = None) -> None:
        if col_def is not None:
            width = min(max(width, col_def.min_width), col_def.max_width)
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def write(
        self, row: int, col: int, value: Any, kind: str, *, table: bool = True, col_def: Col | None = None
    ) -> None:
        ws = self.ws
        fmt = self.book.cell_format(kind, table=table)
        kind = kind.partition("|")[0]
        if _blank(value):
            if table:
                ws.write_blank(row, col, None, fmt)
            return
        if kind.startswith("status:"):
            code = kind.split(":", 1)[1]
            text = self.book.label(code) if value == code else str(value)
            ws.write_string(row, col, text, fmt)
            self._measure(col, _text_width(text) + 2, col_def)
            return
        if kind in ("bool", "flag:yes", "flag:no"):
            text = self.book.w("yes") if value else self.book.w("no")
            ws.write_string(row, col, text, fmt)
            self._measure(col, _text_width(text) + 2, col_def)
            return
        if isinstance(value, str):
            ws.write_string(row, col, value, fmt)
            if col_def is not None or not table:
                self._measure(col, _text_width(value) + 1, col_def)
            return
        if isinstance(value, bool | np.bool_):
            text = self.book.w("yes") if value else self.book.w("no")
            ws.write_string(row, col, text, fmt)
            return
        number = float(value)
        if math.isinf(number):
            ws.write_blank(row, col, None, fmt)
            return
        ws.write_number(row, col, number, fmt)
        self._measure(col, _number_width(kind, number), col_def)

    def title(self, text: str, subtitle: str = "") -> None:
        self.ws.set_row(self.row, 24)
        self.ws.write_string(
            self.row, 0, text, self.book.fmt(bold=True, font_size=15, font_color="#263238", valign="vcenter")
        )
        self.row += 1
        if subtitle:
            self.ws.write_string(self.row, 0, subtitle, self.book.fmt(font_color="#546e7a"))
            self.row += 1
        self.row += 1

    def heading(self, text: str) -> None:
        self.ws.set_row(self.row, 20)
        self.ws.write_string(
            self.row, 0, text, self.book.fmt(bold=True, font_size=12, font_color="#37474f", valign="vcenter")
        )
        self.row += 1

    def note(self, text: str, col: int = 0) -> None:
        self.ws.write_string(self.row, col, text, self.book.cell_format("note", table=False))
        self.row += 1

    def pairs(self, items: Sequence[tuple[str, Any, str]]) -> None:
        """Label/value lines (Summary, Contract terms): the value is left-aligned and unbordered, so
        long text runs on over the empty cells to its right instead of widening the column."""
        book = self.book
        label_fmt = book.fmt(
            bold=True, font_color="#37474f", bg_color="#eceff1", bottom=1, bottom_color="#cfd8dc"
        )
        for label, value, kind in items:
            self.ws.write_string(self.row, 0, label, label_fmt)
            self._measure(0, _text_width(label) + 2)
            if kind in ("bool", "text") or isinstance(value, str | bool):
                if isinstance(value, bool):
                    value = book.w("yes") if value else book.w("no")
                if not _blank(value):
                    self.ws.write_string(self.row, 1, str(value), book.fmt(align="left"))
            elif not _blank(value):
                props = dict(book.kind_formats.get(kind, {}))
                self.ws.write_number(self.row, 1, float(value), book.fmt(align="left", **props))
                self._measure(1, float(_KIND_WIDTH.get(kind, 10)))
            self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n

    def table(
        self,
        cols: Sequence[Col],
        rows: Iterable[Sequence[Any]],
        *,
        main: bool = False,
        empty: str | None = None,
        groups: Sequence[tuple[str, int, int]] = (),
        freeze_col: int = 0,
        start_col: int = 0,
    ) -> int:
        """Header + rows; `groups` (label, first col, last col) add a merged row above the header.
        Returns the number of data rows."""
        ws, book = self.ws, self.book
        if groups:
            ws.set_row(self.row, 18)
            group_fmt = book.group_format()
            covered: set[int] = set()
            for label, first, last in groups:
                if last > first:
                    ws.merge_range(self.row, start_col + first, self.row, start_col + last, label, group_fmt)
                else:
                    ws.write_string(self.row, start_col + first, label, group_fmt)
                covered.update(range(first, last + 1))
            for c in range(len(cols)):
                if c not in covered:
                    ws.write_blank(self.row, start_col + c, None, group_fmt)
            self.row += 1
        header = self.row
        lines = 1
        for c, col in enumerate(cols):
            # a header wider than 14 characters wraps rather than widening its column
            width = _text_width(col.header) + 2
            self._measure(start_col + c, min(width, 14.0), col)
            lines = max(lines, math.ceil(width / max(self.widths.get(start_col + c, 1.0), 1.0)))
        ws.set_row(header, 15 * min(lines, 3) + 4)
        head_fmt = book.header_format()
        for c, col in enumerate(cols):
            ws.write_string(header, start_col + c, col.header, head_fmt)
        self.row += 1
        count = 0
        kinds = [col.kind for col in cols]
        formats = [book.cell_format(k) for k in kinds]
        text = [k in ("text", "wrap") for k in kinds]
        wrap = [k == "wrap" for k in kinds]
        scale = _WIDTH_SCALE[book.lang]
        numeric = [k in _KIND_WIDTH for k in kinds]
        for values in rows:
            r = self.row
            # LibreOffice does not fit row heights to wrapped text on opening: give the height
            lines = max(
                (
                    _lines(v, cols[c].max_width * scale)
                    for c, v in enumerate(values)
                    if wrap[c] and isinstance(v, str)
                ),
                default=1,
            )
            options = {"level": 1} if isinstance(values, SubRow) else None
            if lines > 1 or options:
                ws.set_row(r, _LINE_HEIGHT * lines + 3 if lines > 1 else None, None, options)
            # widths: every row of the first thousands, then a sample (long sheets stream fast)
            measure = count < 3000 or count % 50 == 0
            for c, value in enumerate(values):
                col = start_col + c
                # fast paths for the bulk of long sheets: plain text, finite numbers
                if text[c] and isinstance(value, str):
                    ws.write_string(r, col, value, formats[c])
                    if measure:
                        self._measure(col, _text_width(value) + 1, cols[c])
                elif (
                    numeric[c]
                    and isinstance(value, float | int)
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                ):
                    ws.write_number(r, col, value, formats[c])
                    if measure:
                        self._measure(col, _number_width(kinds[c], value), cols[c])
                elif isinstance(value, V):
                    self.write(r, col, value.value, value.kind, col_def=cols[c])
                else:
                    self.write(r, col, value, kinds[c], col_def=cols[c])
            self.row += 1
            count += 1
        if count == 0:
            ws.write_string(self.row, start_col, empty or book.w("no_records"), book.cell_format("note"))
            for c in range(1, len(cols)):
                ws.write_blank(self.row, start_col + c, None, book.cell_format("text"))
            self.row += 1
        if main:
            self.main_header = header
            self.main_cols = start_col + len(cols)
            self.main_last = self.row - 1
            self.freeze_col = freeze_col
            self.main_groups = bool(groups)
        return count

    # -- finishing

    def finish(
        self, *, fixed: dict[int, float] | None = None, repeat: bool = True, one_page: bool = False
    ) -> None:
        ws, book = self.ws, self.book
        # the Chinese font's Latin digits run a little wider than the column unit (a Latin digit)
        scale = _WIDTH_SCALE[book.lang]
        for col, width in sorted({**self.widths, **(fixed or {})}.items()):
            ws.set_column(col, col, round(width * scale + 0.5, 1))
        if self.main_header is not None:
            first = self.main_header - (1 if self.main_groups else 0)
            ws.freeze_panes(self.main_header + 1, self.freeze_col)
            ws.autofilter(self.main_header, 0, max(self.main_last, self.main_header), self.main_cols - 1)
            if repeat:
                ws.repeat_rows(first, self.main_header)
        else:
            ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 1 if one_page else 0)
        ws.set_margins(
            left=0.4,
            right=0.4,
            top=0.7,
            bottom=0.7,
        )
        contract = book.contract.base.contract
        head = _hf(f"{contract.name or contract.id}")
        # a space after the font size: "&8" followed by digits would read as a larger size
        ws.set_header(f"&L&8 {head}&R&8 {_hf(self.name)}")
        ws.set_footer(f"&L&8 {_hf(contract.id)}&C&8 &P / &N&R&8 {_hf(book.stamp)}")


def _hf(text: str) -> str:
    """Text for a print header/footer: & escaped, kept short."""
    return text.replace("&", "&&")[:80]


# ---------------------------------------------------------------- the report


def build_report(
    source: Any,
    period: str,
    lang: str = "zh",
    *,
    store: Store | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The monthly report (period 'YYYY-MM') or the quarterly pack ('YYYYQn') as .xlsx bytes.

    source: a workspace.Snapshot or an Evaluation. store: the store the snapshot came from, for the
    register sheets (improvement actions, exemption requests, batches, month closes).
    Raises ReportError for a period the evaluation does not hold.
    """
    evaluation: Evaluation = getattr(source, "evaluation", source)
    if not isinstance(evaluation, Evaluation):
        raise TypeError("build_report needs a Snapshot or an Evaluation")
    if lang not in ("zh", "en"):
        raise ReportError(f"不支持的语言：{lang}", f"unsupported language: {lang}")
    p = resolve_period(evaluation, period)
    records = _records(store, evaluation.contract.id)
    buffer = io.BytesIO()
    book = _Book(buffer, lang, evaluation.contract)
    now = generated_at or datetime.now(evaluation.contract.zone)
    book.stamp = now.strftime("%Y-%m-%d %H:%M")
    _Report(book, evaluation, p, records, now, store is not None).write()
    book.close()
    return buffer.getvalue()


def write_report(
    path: str | Path,
    source: Any,
    period: str,
    lang: str = "zh",
    *,
    store: Store | None = None,
    generated_at: datetime | None = None,
) -> Path:
    """build_report, written to `path` (its folder created when missing)."""
    out = Path(path)
    data = build_report(source, period, lang, store=store, generated_at=generated_at)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


class _Report:
    def __init__(
        self, book: _Book, ev: Evaluation, p: _Period, records: _Records, now: datetime, with_store: bool
    ) -> None:
        self.book = book
        self.ev = ev
        self.p = p
        self.rec = records
        self.now = now
        self.with_store = with_store
        self.lang = book.lang
        self.zone = ev.contract.zone
        tickets = ev.tickets
        if tickets.empty:
            self.tickets = tickets
        else:
            self.tickets = tickets.loc[tickets["month_key"].isin(p.keys)]
        self.obligations = self._obligations()

    # -- shared helpers

    def w(self, key: str) -> str:
        return self.book.w(key)

    def t(self, zh: str, en: str) -> str:
        return self.book.t(zh, en)

    def kpi_name(self, kpi: str) -> str:
        return KPIS[kpi].label(self.lang) if kpi in KPIS else kpi

    def pname(self, label: str) -> str:
        return period_name(label, self.lang)

    def money(self, amount: Decimal | float) -> str:
        return fmt_money(amount, self.ev.contract.base.contract.currency, self.lang)

    def period_title(self) -> str:
        kind = self.w("quarterly" if self.p.quarterly else "monthly")
        return f"{kind} · {self.pname(self.p.label)}"

    def subtitle(self) -> str:
        c = self.ev.contract.base.contract
        return f"{c.name or c.id} · {self.pname(self.p.label)}"

    def write(self) -> None:
        self.book.wb.set_properties(
            {
                "title": self.period_title(),
                "subject": self.subtitle(),
                "author": "SLA Quality Dashboard",
                "company": self.ev.contract.base.contract.provider,
                "comments": f"{self.ev.contract.id} {self.p.label} as of {self.ev.as_of_iso}",
            }
        )
        self.summary()
        self.scorecard()
        self.trends()
        self.breached()
        self.open_tickets()
        self.outages()
        self.penalties()
        self.obligations_sheet()
        self.exemptions()
        self.reconciliation()
        self.surveys()
        self.quality()
        self.terms()
        self.audit()

    def _obligations(self) -> list[Obligation]:
        """Obligations raised in the period, and earlier ones still open at as_of."""
        labels = self.p.month_labels
        last = month_label(self.p.keys[-1])
        return [
            o
            for o in self.ev.obligations
            if set(o.months) & labels or (o.status != "done" and min(o.months) <= last)
        ]

    # -- Summary

    def verdict_sentence(self, result: PeriodResult) -> str:
        counts = {
            s: sum(1 for v in result.verdicts if v.status == s)
            for s in ("met", "missed", "no_data", "unjudged")
        }
        total = len(result.verdicts)
        pen = result.penalty
        flags = [self.t("已封顶", "capped")] if pen.capped else []
        flags.append(self.w("provisional") if pen.provisional else self.w("final"))
        other = counts["no_data"] + counts["unjudged"]
        money = self.money(pen.amount)
        if self.lang == "zh":
            text = f"{total} 项指标中 {counts['met']} 项达标，{counts['missed']} 项未达标"
            if other:
                text += f"，{other} 项无数据或不评判"
            return f"{text}；违约金 {money}（{'，'.join(flags)}）"
        text = f"{counts['met']} of {total} KPIs met; {counts['missed']} missed"
        if other:
            text += f"; {other} without data or not judged"
        return f"{text}; penalty {money} ({', '.join(flags)})"

    def _join(self, names: list[str]) -> str:
        return "、".join(names) if self.lang == "zh" else ", ".join(names)

    def _monthly_misses(self, p: _Period) -> list[tuple[str, Any, str]]:
        """For a quarter: the KPIs missed in each month — a quarter judged on pooled figures can be met
        while single months were not, and those months' penalties stand."""
        if not p.quarterly:
            return []
        parts = []
        for m in p.months:
            names = [self.kpi_name(v.kpi) for v in m.verdicts if v.status == "missed"]
            if names:
                month = self.pname(m.label)
                parts.append(f"{month}{self.t('：', ': ')}{self._join(names)}")
        return [(self.w("missed_months"), self.t("；", "; ").join(parts) or "—", "text")]

    def summary(self) -> None:
        b, ev, p = self.book, self.ev, self.p
        res = p.result
        c = res.terms.contract
        sh = _Sheet(b, "summary", self.period_title(), self.subtitle())
        as_of_serial = _serial(ev.as_of, self.zone)
        terms_text = (
            f"{res.terms.effective_from.isoformat()}（{res.terms.note or self.w('base_terms')}）"
            if self.lang == "zh"
            else f"{res.terms.effective_from.isoformat()} ({res.terms.note or self.w('base_terms')})"
        )
        counts = {
            s: sum(1 for v in res.verdicts if v.status == s) for s in ("met", "missed", "no_data", "unjudged")
        }
        missed = [self.kpi_name(v.kpi) for v in res.verdicts if v.status == "missed"]
        t = self.tickets
        breached_resp = int((t["response_status"] == "breached").sum()) if not t.empty else 0
        breached_res = int((t["resolution_status"] == "breached").sum()) if not t.empty else 0
        breached_any = (
            int(((t["response_status"] == "breached") | (t["resolution_status"] == "breached")).sum())
            if not t.empty
            else 0
        )
        responses = ev.responses
        n_responses = 0 if responses.empty else int(responses["month_key"].isin(p.keys).sum())
        open_obl = [o for o in self.obligations if o.status != "done"]
        period_text = self.t(
            f"{self.pname(p.label)}（{p.first_day.isoformat()} 至 {p.last_day.isoformat()}）",
            f"{self.pname(p.label)} ({p.first_day.isoformat()} to {p.last_day.isoformat()})",
        )
        if p.quarterly:
            evaluated = [m.label for m in p.months]
            missing = [month_label(k) for k in p.keys if month_label(k) not in evaluated]
            if missing:
                period_text += self.t(
                    f"；尚无数据的月份：{'、'.join(self.pname(m) for m in missing)}",
                    f"; months without data yet: {', '.join(self.pname(m) for m in missing)}",
                )
        items: list[tuple[str, Any, str]] = [
            (self.w("contract"), f"{c.name} ({c.id})" if c.name else c.id, "text"),
            (self.w("client"), c.client, "text"),
            (self.w("provider"), c.provider, "text"),
            (self.w("period"), period_text, "text"),
            (self.w("as_of"), as_of_serial, "datetime"),
            (self.w("terms"), terms_text, "text"),
            (
                self.w("state"),
                self.w("provisional_why") if not res.final else self.w("final_why"),
                "text",
            ),
        ]
        closes = self._closes_text()
        if closes:
            items.append((self.w("closed"), closes, "text"))
        items += [(self.w("closed"), text, "text") for text in self._close_differences()]
        items += [
            (self.w("verdict"), self.verdict_sentence(res), "text"),
            (self.w("met_n"), counts["met"], "int"),
            (self.w("missed_n"), counts["missed"], "int"),
            (self.w("no_data_n"), counts["no_data"], "int"),
            (self.w("unjudged_n"), counts["unjudged"], "int"),
            (self.w("missed_list"), self._join(missed) or "—", "text"),
            *self._monthly_misses(p),
            (self.w("penalty"), float(res.penalty.amount), "money"),
            (self.w("uncapped"), float(res.penalty.uncapped_amount), "money"),
            (self.w("capped"), res.penalty.capped, "bool"),
            (self.w("provisional_label"), res.penalty.provisional, "bool"),
            (self.w("tickets_n"), len(t), "int"),
            (
                self.w("breached_n"),
                self.t(
                    f"{breached_any:,}（响应超时 {breached_resp:,}，解决超时 {breached_res:,}）",
                    f"{breached_any:,} ({breached_resp:,} response, {breached_res:,} resolution)",
                ),
                "text",
            ),
            (self.w("responses_n"), n_responses, "int"),
            (self.w("obligations_open"), len(open_obl), "int"),
            (self.w("overdue_n"), sum(1 for o in open_obl if o.status == "overdue"), "int"),
            (
                self.w("times_note"),
                self.t(
                    f"时间均为合同时区 {c.timezone}；时长按各优先级的计时方式（工作时间或 7×24）计算，格式 时:分:秒；比率为小数，按百分比显示。",
                    f"Times are in the contract's zone, {c.timezone}; durations run on each priority's clock "
                    "(business hours or 24x7) as h:mm:ss; rates are fractions shown as percentages.",
                ),
                "text",
            ),
            (self.w("generated"), f"SLA Quality Dashboard · {self.book.stamp}", "text"),
        ]
        for wn in ev.warnings:
            items.append((self.w("warnings"), wn.message(self.lang), "text"))
        sh.pairs(items)
        sh.skip()
        sh.ws.set_h_pagebreaks([sh.row])  # the KPI table starts a page of its own
        sh.heading(f"{self.w('kpi_table')} · {self.pname(p.label)}")
        cols = [
            Col(self.w("kpi"), max_width=24),
            Col(self.w("value"), "rate"),
            Col(self.w("target"), "text"),
            Col(self.w("status"), "text"),
            Col(self.w("explanation"), "wrap", max_width=70, min_width=40),
        ]
        sh.table(cols, (self._kpi_cells(v) for v in res.verdicts))
        if open_obl:
            sh.skip()
            sh.heading(self.w("obligations_open"))
            sh.table(
                [
                    Col(self.w("obligation"), max_width=24),
                    Col(self.w("due"), "date"),
                    Col(self.w("status")),
                    Col(self.w("months"), max_width=20),
                    Col(self.w("kpi"), max_width=40),
                ],
                (
                    [
                        self.book.label(o.kind),
                        _date_serial(o.due),
                        V(o.status, f"status:{o.status}"),
                        _months_text(o.months),
                        self._obligation_kpis(o),
                    ]
                    for o in open_obl
                ),
            )
        sh.finish()

    def _closes_text(self) -> str:
        """Which months of the period are closed (settled with the provider), by whom and when."""
        closed = [m.label for m in self.p.months if m.closed]
        by_month = {c.month: c for c in self.rec.closes or []}
        if self.rec.closes is None and not closed:
            return ""
        closed = sorted(set(closed) | {m for m in by_month if m in self.p.month_labels})
        if not closed:
            return self.t("本期月份均未结账", "no month of the period is closed")
        parts = []
        for month in closed:
            close = by_month.get(month)
            if close is None:
                parts.append(
                    self.t(f"{month} 已结账（按结账时的结果）", f"{month} closed (the settled figures)")
                )
                continue
            at = _stored_serial(close.closed_at, self.zone)
            when = "" if at is None else _serial_text(at)
            parts.append(
                self.t(
                    f"{month} 已于 {when} 由 {close.closed_by} 结账",
                    f"{month} closed on {when} by {close.closed_by}",
                )
            )
        return "；".join(parts) if self.lang == "zh" else "; ".join(parts)

    def _close_differences(self) -> list[str]:
        """Closed months whose figures the data as stored now would change: the settled ones stand."""
        out = []
        for month in sorted(self.p.month_labels):
            diffs = self.ev.closed_differences.get(month) or []
            if not diffs:
                continue
            parts = []
            for d in diffs:
                item = str(d.get("item"))
                if item == "penalty":
                    parts.append(
                        f"{self.w('penalty')} {self.money(float(d['settled']))} → {self.money(float(d['now']))}"  # type: ignore[arg-type]
                    )
                    continue
                unit = KPIS[item].unit if item in KPIS else "rate"
                digits = 2 if unit == "rate" else None
                settled = fmt_value(d.get("settled"), unit, self.lang, digits=digits)  # type: ignore[arg-type]
                now = fmt_value(d.get("now"), unit, self.lang, digits=digits)  # type: ignore[arg-type]
                change = f"{self.kpi_name(item)} {settled} → {now}"
                if d.get("settled_status") != d.get("now_status"):
                    change += (
                        f" ({status_label(str(d.get('settled_status')), self.lang)} → "
                        f"{status_label(str(d.get('now_status')), self.lang)})"
                    )
                parts.append(change)
            sep = "；" if self.lang == "zh" else "; "
            out.append(
                self.t(
                    f"{month} 已结账，按结账结果计；若按现有数据重算：{sep.join(parts)}",
                    f"{month} is closed and its settled figures stand; recomputed from the data now: {sep.join(parts)}",
                )
            )
        return out

    def _kpi_cells(self, v: Any) -> list[Any]:
        unit = KPIS[v.kpi].unit
        target = (
            V(float(v.target.value), "target:" + _target_format(v.target, unit, self.lang))
            if v.target
            else None
        )
        return [
            self.kpi_name(v.kpi),
            V(v.value, _value_kind(v.kpi)),
            target,
            V(v.status, f"status:{v.status}"),
            v.explanation(self.lang),
        ]

    def _obligation_kpis(self, o: Obligation) -> str:
        if not o.kpi:
            return ""
        sep = "、" if self.lang == "zh" else ", "
        return sep.join(self.kpi_name(k) for k in o.kpi.split(","))

    # -- KPI scorecard

    def scorecard(self) -> None:
        """The matrix (KPI × the period, its months and the previous period: value and status) on
        top, then every KPI × period with its target, numerator and denominator."""
        p = self.p
        periods: list[PeriodResult] = [p.result]
        if p.quarterly:
            periods += p.months
        if p.previous is not None:
            periods.append(p.previous)
        sh = _Sheet(
            self.book,
            "scorecard",
            f"{SHEETS['scorecard'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                ("季度按其各月的分子分母合并计算，并按季度首日有效的条款评判；" if p.quarterly else "")
                + ("最后一组为上一期，供对比；" if p.previous else "")
                + "每项指标下一行为各期的分子与分母（可在左侧折叠）。",
                (
                    "A quarter pools its months' numerators and denominators and is judged by the terms in force "
                    "on its first day. "
                    if p.quarterly
                    else ""
                )
                + ("The last group is the previous period, for comparison. " if p.previous else "")
                + "Under each KPI, a second line gives each period's numerator and denominator (collapsible).",
            ),
        )
        cols = [Col(self.w("kpi"), max_width=24), Col(self.w("target"), "text", min_width=8)]
        groups: list[tuple[str, int, int]] = []
        for i, per in enumerate(periods):
            first = 2 + i * 2
            groups.append((self._period_tag(per), first, first + 1))
            cols += [Col(self.w("value"), "rate", min_width=9), Col(self.w("status"), "text", min_width=7)]
        if p.previous is not None:
            cols.append(Col(self.w("change"), "pp", min_width=10))

        def matrix() -> Iterable[list[Any]]:
            sub_label = self.t("　分子 / 分母", "   numerator / denominator")
            for kpi in KPI_IDS:
                head = p.result.verdict(kpi)
                cells: list[Any] = [self.kpi_name(kpi), self._kpi_cells(head)[2]]
                parts: list[Any] = [V(sub_label, "text|sub"), V(None, "text|sub")]
                for per in periods:
                    v = per.verdict(kpi)
                    _, value, _, status, _ = self._kpi_cells(v)
                    cells += [value, status]
                    parts += [
                        V(v.numerator, _count_kind(kpi, v.numerator, "numerator") + "|sub"),
                        V(v.denominator, _count_kind(kpi, v.denominator, "denominator") + "|sub"),
                    ]
                if p.previous is not None:
                    now, before = head.value, p.previous.verdict(kpi).value
                    change = None if now is None or before is None else now - before
                    cells.append(V(change, _change_kind(kpi)))
                    parts.append(V(None, "text|sub"))
                yield cells
                yield SubRow(parts)

        sh.ws.outline_settings(True, False, True, False)  # the detail line sits below its KPI
        sh.table(cols, matrix(), main=True, groups=groups, freeze_col=1)
        sh.finish(one_page=True)

    def _period_tag(self, per: PeriodResult) -> str:
        tag = self.pname(per.label)
        if per is self.p.previous:
            return self.t(f"{tag}（上期）", f"{tag} (previous)")
        if per is self.p.result and self.p.quarterly:
            return self.t(f"{tag}（季度）", f"{tag} (quarter)")
        if per.closed:
            return self.t(f"{tag}（已结账）", f"{tag} (closed)")
        return tag

    # -- Trends

    def trends(self) -> None:
        p, ev, b = self.p, self.ev, self.book
        last = p.keys[-1]
        months = [m for m in ev.months if m.keys[0] <= last]
        kpis = [k for k in TREND_KPIS if any(m.verdict(k).value is not None for m in months)]
        sh = _Sheet(
            b,
            "trends",
            f"{SHEETS['trends'][0 if self.lang == 'zh' else 1]} · {self.pname(months[0].label)} – {self.pname(months[-1].label)}",
            self.t(
                "实线为各月实际值，红点标出未达标的月份，虚线为当月适用的合同目标；图表为 Excel 原生图表，可直接编辑。",
                "The solid line is the monthly value, red markers flag missed months, the dashed line is the "
                "target in force each month. The charts are native Excel charts and stay editable.",
            ),
        )
        cols = [Col(self.w("kpi"), max_width=24), Col(self.w("series"), min_width=8)]
        cols += [Col(self.pname(m.label), "rate", min_width=9) for m in months]
        header_row = sh.row
        data_rows: dict[str, tuple[int, int, int | None]] = {}

        def rows() -> Iterable[list[Any]]:
            r = header_row + 1
            for kpi in kpis:
                kind = _value_kind(kpi)
                unit = KPIS[kpi].unit
                values: list[Any] = [self.kpi_name(kpi), self.w("series_value")]
                targets: list[Any] = [self.kpi_name(kpi), self.w("target")]
                for m in months:
                    v = m.verdict(kpi)
                    values.append(V(v.value, kind))
                    tv = m.terms.target(kpi) if m.judged else None
                    targets.append(
                        V(float(tv.value), "target:" + _target_format(tv, unit, self.lang)) if tv else None
                    )
                statuses = [m.verdict(kpi).status for m in months]
                yield values
                yield targets
                if "missed" in statuses:
                    # the missed months as their own series: red markers that Excel and LibreOffice both draw
                    data_rows[kpi] = (r, r + 1, r + 2)
                    r += 3
                    yield [
                        self.kpi_name(kpi),
                        V(self.w("missed_series"), "text"),
                        *(
                            V(m.verdict(kpi).value if st == "missed" else None, kind)
                            for m, st in zip(months, statuses, strict=True)
                        ),
                    ]
                else:
                    data_rows[kpi] = (r, r + 1, None)
                    r += 2

        sh.table(cols, rows(), main=True, freeze_col=2)
        # charts below the table, four to a printed page (two rows of two), never across a page break
        top = sh.row + 1
        width, height, stride = 520, 282, 15
        breaks = [top]
        for i, kpi in enumerate(kpis):
            chart = self._trend_chart(sh.name, kpi, months, header_row, data_rows[kpi], width, height)
            row = top + (i // 2) * stride
            if i and i % 4 == 0:
                breaks.append(row)
            sh.ws.insert_chart(row, 0, chart, {"x_offset": 4 + (i % 2) * (width + 12), "y_offset": 4})
        sh.ws.set_h_pagebreaks(breaks)
        sh.finish(repeat=False)

    def _trend_chart(
        self,
        sheet: str,
        kpi: str,
        months: list[PeriodResult],
        header_row: int,
        rows: tuple[int, int, int | None],
        width: int,
        height: int,
    ) -> Any:
        b = self.book
        value_row, target_row, missed_row = rows
        chart = b.wb.add_chart({"type": "line"})
        first_col, last_col = 2, 2 + len(months) - 1
        font = {"name": b.font, "size": 9}
        # constant_memory keeps no cell data to cache in the chart: give the cache explicitly, so the
        # chart shows in viewers that do not recalculate, and the month labels are text categories
        categories = [sheet, header_row, first_col, header_row, last_col]
        labels = [self.pname(m.label) for m in months]
        values = [m.verdict(kpi).value for m in months]
        targets = [
            float(t.value) if m.judged and (t := m.terms.target(kpi)) is not None else None for m in months
        ]
        chart.add_series(
            {
                "name": self.w("series_value"),
                "categories": categories,
                "categories_data": labels,
                "values": [sheet, value_row, first_col, value_row, last_col],
                "values_data": values,
                "line": {"color": b.series_color, "width": 2.25},
                "marker": {
                    "type": "circle",
                    "size": 7,
                    "fill": {"color": b.series_color},
                    "border": {"color": b.series_color},
                },
            }
        )
        chart.add_series(
            {
                "name": self.w("target"),
                "categories": categories,
                "categories_data": labels,
                "values": [sheet, target_row, first_col, target_row, last_col],
                "values_data": targets,
                "line": {"color": b.target_color, "width": 1.5, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
        if missed_row is not None:
            red = b.colors["missed"]
            chart.add_series(
                {
                    "name": self.w("missed_series"),
                    "categories": categories,
                    "categories_data": labels,
                    "values": [sheet, missed_row, first_col, missed_row, last_col],
                    "values_data": [
                        v if m.verdict(kpi).status == "missed" else None
                        for m, v in zip(months, values, strict=True)
                    ],
                    "line": {"none": True},
                    "marker": {"type": "circle", "size": 9, "fill": {"color": red}, "border": {"color": red}},
                }
            )
        unit = KPIS[kpi].unit
        lo, hi = _axis_bounds([v for v in values + targets if v is not None], unit)
        axis: dict[str, Any] = {
            "num_font": font,
            "major_gridlines": {"visible": True, "line": {"color": "#eceff1"}},
            "line": {"color": "#b0bec5"},
        }
        if unit == "rate":
            axis["num_format"] = "0%" if hi - lo >= 0.05 else "0.0%"
        elif unit == "score":
            axis["num_format"] = "0.0"
        if lo is not None:
            axis["min"] = lo
        if hi is not None:
            axis["max"] = hi
        chart.set_y_axis(axis)
        chart.set_x_axis(
            {"num_font": {**font, "rotation": -45 if len(months) > 6 else 0}, "line": {"color": "#b0bec5"}}
        )
        unit = {"minutes": ("（分钟）", " (min)"), "hours": ("（小时）", " (h)")}.get(KPIS[kpi].unit)
        title = self.kpi_name(kpi) + ("" if unit is None else self.t(*unit))
        chart.set_title({"name": title, "name_font": {"name": b.font, "size": 11, "bold": True}})
        chart.set_legend({"position": "bottom", "font": font})
        chart.set_size({"width": width, "height": height})
        chart.set_chartarea({"border": {"color": "#cfd8dc"}})
        chart.show_blanks_as("gap")
        return chart

    # -- Breached and open tickets

    def _ticket_frame(self, t: pd.DataFrame) -> dict[str, Any]:
        """Columns shared by the ticket sheets, vectorised."""
        return {
            "created": _excel_serials(t["created"].to_numpy(dtype="float64"), self.zone),
            "responded": _excel_serials(t["response_end"].to_numpy(dtype="float64"), self.zone),
            "resolved": _excel_serials(t["resolved_time"].to_numpy(dtype="float64"), self.zone),
        }

    def _category(self, t: pd.DataFrame) -> list[Any]:
        canon = t["category"].astype("object").where(t["category"].notna(), None).tolist()
        raw = (
            t["category_raw"].astype("object").where(t["category_raw"].notna(), None).tolist()
            if "category_raw" in t
            else canon
        )
        out = []
        for c, r in zip(canon, raw, strict=True):
            if c in CATEGORY_NAMES:
                out.append(self.book.label(c))
            else:
                out.append(r if r is not None else c)
        return out

    def breached(self) -> None:
        t = self.tickets
        b = self.book
        if t.empty:
            rows_frame = t
        else:
            hit = (t["response_status"] == "breached") | (t["resolution_status"] == "breached")
            rows_frame = t.loc[hit].sort_values(["month_key", "created", "ticket_id"], kind="stable")
        count = len(rows_frame)
        sh = _Sheet(
            b,
            "breached",
            f"{SHEETS['breached'][0 if self.lang == 'zh' else 1]} · {self.pname(self.p.label)}",
            self.t(
                f"共 {count:,} 张工单超出响应或解决目标（不含免责工单）。用时按优先级的计时方式计算（工作时间或 7×24），解决用时已扣除暂停时间。",
                f"{count:,} tickets over their response or resolution target (excluded tickets are not listed). "
                "Times run on the priority's clock (business hours or 24x7); resolution time excludes paused time.",
            ),
        )
        cols = [
            Col(self.w("ticket"), max_width=22),
            Col(self.w("month"), min_width=8),
            Col(self.w("priority"), min_width=6),
            Col(self.w("clock"), min_width=8),
            Col(self.w("created"), "datetime"),
            Col(self.w("responded"), "datetime"),
            Col(self.w("resolved"), "datetime"),
            Col(self.w("response"), "dur"),
            Col(self.w("response_target"), "dur_hm"),
            Col(self.w("response_status"), min_width=8),
            Col(self.w("resolution"), "dur"),
            Col(self.w("resolution_target"), "dur_hm"),
            Col(self.w("resolution_status"), min_width=8),
            Col(self.w("over_by"), "dur"),
            Col(self.w("paused"), "dur"),
            Col(self.w("category"), max_width=14),
            Col(self.w("team"), max_width=16),
            Col(self.w("assignee"), max_width=12),
            Col(self.w("ticket_penalty"), "money"),
        ]
        rows: Iterable[list[Any]] = []
        if count:
            penalty = self._ticket_penalties()
            times = self._ticket_frame(rows_frame)
            rs = rows_frame["response_seconds"].to_numpy(dtype="float64")
            rt = rows_frame["response_target"].to_numpy(dtype="float64")
            ss = rows_frame["resolution_seconds"].to_numpy(dtype="float64")
            st_ = rows_frame["resolution_target"].to_numpy(dtype="float64")
            r_status = rows_frame["response_status"].to_numpy(dtype=object)
            s_status = rows_frame["resolution_status"].to_numpy(dtype=object)
            over = np.fmax(
                np.where(r_status == "breached", rs - rt, np.nan),
                np.where(s_status == "breached", ss - st_, np.nan),
            )
            clock_words = {"24x7": self.w("24x7"), "business": self.w("business")}
            ids = rows_frame["ticket_id"].astype("object").tolist()
            month_names = {m: self.pname(m) for m in rows_frame["month"].unique()}
            rows = zip(
                ids,
                [month_names[m] for m in rows_frame["month"].tolist()],
                _strings(rows_frame["priority"]),
                [clock_words.get(c, c) for c in rows_frame["clock"].tolist()],
                times["created"],
                times["responded"],
                times["resolved"],
                rs / 86400,
                rt / 86400,
                [V(s, f"status:{s}") for s in r_status],
                ss / 86400,
                st_ / 86400,
                [V(s, f"status:{s}") for s in s_status],
                over / 86400,
                rows_frame["paused_seconds"].to_numpy(dtype="float64") / 86400,
                self._category(rows_frame),
                _strings(rows_frame["team"]),
                _strings(rows_frame["assignee"]),
                [penalty.get(i) for i in ids],
                strict=True,
            )
        sh.table(cols, rows, main=True, freeze_col=1)
        sh.finish()

    def _ticket_penalties(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for m in self.p.months:
            for item in m.penalty.items:
                if item.kind == "breached_ticket":
                    out[item.ref] = out.get(item.ref, 0.0) + float(item.amount)
        return out

    def open_tickets(self) -> None:
        ev, b = self.ev, self.book
        all_t = ev.tickets
        last = self.p.keys[-1]
        if all_t.empty:
            frame = all_t
        else:
            frame = all_t.loc[(all_t["month_key"] <= last) & ~all_t["resolved"] & ~all_t["excluded"]]
            frame = frame.sort_values(["created", "ticket_id"], kind="stable")
        sh = _Sheet(
            b,
            "open",
            f"{SHEETS['open'][0 if self.lang == 'zh' else 1]} · {self.t('截至', 'as of')} {datetime.fromtimestamp(ev.as_of, self.zone).strftime('%Y-%m-%d %H:%M')}",
            self.t(
                f"{len(frame):,} 张工单（创建于本期或更早）在数据截至时仍未解决。",
                f"{len(frame):,} tickets created in or before the period were not resolved at the as-of time.",
            ),
        )
        cols = [
            Col(self.w("ticket"), max_width=22),
            Col(self.w("month"), min_width=8),
            Col(self.w("priority"), min_width=6),
            Col(self.w("created"), "datetime"),
            Col(self.w("responded"), "datetime"),
            Col(self.w("response_status"), min_width=8),
            Col(self.w("resolution"), "dur"),
            Col(self.w("resolution_target"), "dur_hm"),
            Col(self.w("resolution_status"), min_width=8),
            Col(self.w("ticket_status"), max_width=14),
            Col(self.w("category"), max_width=14),
            Col(self.w("team"), max_width=16),
            Col(self.w("assignee"), max_width=12),
            Col(self.w("customer"), max_width=16),
        ]
        rows: Iterable[list[Any]] = []
        if len(frame):
            times = self._ticket_frame(frame)
            rows = zip(
                frame["ticket_id"].astype("object").tolist(),
                [self.pname(m) for m in frame["month"].tolist()],
                _strings(frame["priority"]),
                times["created"],
                times["responded"],
                [V(s, f"status:{s}") for s in frame["response_status"].tolist()],
                frame["resolution_seconds"].to_numpy(dtype="float64") / 86400,
                frame["resolution_target"].to_numpy(dtype="float64") / 86400,
                [V(s, f"status:{s}") for s in frame["resolution_status"].tolist()],
                _strings(frame["status"]),
                self._category(frame),
                _strings(frame["team"]),
                _strings(frame["assignee"]),
                _strings(frame["customer"]),
                strict=True,
            )
        sh.table(cols, rows, main=True, freeze_col=1)
        sh.finish()

    # -- Outages

    def outages(self) -> None:
        ev, b, p = self.ev, self.book, self.p
        facts = ev.outages
        start_p = _period_start(p.first_day, self.zone)
        end_p = _period_start(month_first_day(p.keys[-1] + 1), self.zone)
        sh = _Sheet(
            b,
            "outages",
            f"{SHEETS['outages'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                "计划内停机须提前通知（合同约定的通知时限）才不计入可用性；计划外停机按所有系统的停机时间并集计算。",
                "Planned maintenance counts as planned only when announced in time (the contract's notice); "
                "unplanned downtime is the union of all services' outages.",
            ),
        )
        cols = [
            Col(self.w("service"), max_width=18),
            Col(self.w("start"), "datetime"),
            Col(self.w("end"), "datetime"),
            Col(self.w("duration"), "dur"),
            Col(self.w("in_period"), "dur"),
            Col(self.w("counted_as"), max_width=20),
            Col(self.w("severity"), max_width=10),
            Col(self.w("cause"), "wrap", max_width=24),
            Col(self.w("description"), "wrap", max_width=36),
        ]
        o = facts.outages
        rows: Iterable[list[Any]] = []
        if facts.given and not o.empty:
            s = o["start_s"].to_numpy(dtype="float64")
            e = o["end_s"].to_numpy(dtype="float64")
            e_eff = np.where(np.isnan(e), ev.as_of, e)
            hit = (s < end_p) & (e_eff > start_p)
            sel = o.loc[hit].sort_values("start_s", kind="stable")
            s, e_eff = (
                sel["start_s"].to_numpy(dtype="float64"),
                np.where(
                    np.isnan(sel["end_s"].to_numpy(dtype="float64")),
                    ev.as_of,
                    sel["end_s"].to_numpy(dtype="float64"),
                ),
            )
            inside = np.clip(np.minimum(e_eff, end_p) - np.maximum(s, start_p), 0, None)
            counted = []
            for planned, reason in zip(
                sel["planned_effective"].tolist(), sel["unplanned_reason"].tolist(), strict=True
            ):
                counted.append(
                    self.book.label("planned") if planned else self.book.label(str(reason or "unplanned"))
                )
            rows = zip(
                _strings(sel["service"]),
                _excel_serials(s, self.zone),
                _excel_serials(sel["end_s"].to_numpy(dtype="float64"), self.zone),
                (e_eff - s) / 86400,
                inside / 86400,
                counted,
                _strings(sel["severity"]) if "severity" in sel else [None] * len(sel),
                _strings(sel["cause"]) if "cause" in sel else [None] * len(sel),
                _strings(sel["description"]) if "description" in sel else [None] * len(sel),
                strict=True,
            )
        empty = (
            None if facts.given else self.t("无数据：未提供故障/停机记录", "No data: no outage log was given")
        )
        sh.table(cols, rows, main=True, empty=empty)
        sh.skip()
        sh.heading(self.w("incidents"))
        inc = facts.incidents
        inc_rows: Iterable[list[Any]] = []
        if not inc.empty:
            sel = inc.loc[inc["month_key"].isin(p.keys)].sort_values("start", kind="stable")
            inc_rows = zip(
                _strings(sel["service"]),
                _excel_serials(sel["start"].to_numpy(dtype="float64"), self.zone),
                _excel_serials(
                    np.where(sel["open"].to_numpy(dtype=bool), np.nan, sel["end"].to_numpy(dtype="float64")),
                    self.zone,
                ),
                sel["duration"].to_numpy(dtype="float64") / 86400,
                [
                    V(None if op else bool(x), "bool")
                    for x, op in zip(sel["restored_in_time"].tolist(), sel["open"].tolist(), strict=True)
                ],
                strict=True,
            )
        sh.table(
            [
                Col(self.w("service"), max_width=18),
                Col(self.w("start"), "datetime"),
                Col(self.w("end"), "datetime"),
                Col(self.w("duration"), "dur"),
                Col(self.w("restored_in_time"), "bool"),
            ],
            inc_rows,
            empty=empty,
        )
        sh.finish()

    # -- Penalties

    def penalties(self) -> None:
        p, b = self.p, self.book
        res = p.result
        terms = res.terms
        cap = terms.penalties.cap
        cap_text = (
            self.t("合同未设违约金上限", "the contract sets no cap")
            if cap is None
            else self.t(
                f"上限为月费的 {cap.normalize():f}%（{b.label(terms.penalties.cap_period)}），月费 {self.money(terms.contract.monthly_fee)}",
                f"cap {cap.normalize():f}% of the monthly fee per {b.label(terms.penalties.cap_period)}; monthly fee {self.money(terms.contract.monthly_fee)}",
            )
        )
        sh = _Sheet(
            b,
            "penalties",
            f"{SHEETS['penalties'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                f"违约金 {self.money(res.penalty.amount)}（{'暂定' if res.penalty.provisional else '最终'}）；明细按原值列出，应计金额 = min(明细合计, 上限剩余额度)；{cap_text}。",
                f"Penalty {self.money(res.penalty.amount)} ({'provisional' if res.penalty.provisional else 'final'}); "
                f"items keep their full value, charged = min(items total, cap left); {cap_text}.",
            ),
        )
        sh.heading(self.w("penalty_by_month"))
        month_cols = [
            Col(self.w("month"), min_width=10),
            Col(self.w("items_total"), "money"),
            Col(self.w("cap"), "money"),
            Col(self.w("cap_left"), "money"),
            Col(self.w("charged"), "money"),
            Col(self.w("share_fee"), "pct1"),
            Col(self.w("capped"), "bool"),
            Col(self.w("state"), min_width=8),
        ]

        month_rows: list[list[Any]] = []
        for m in p.months:
            pen = m.penalty
            month_rows.append(
                [
                    self.pname(m.label),
                    float(pen.uncapped_amount),
                    None if pen.cap_total is None else float(pen.cap_total),
                    None if pen.cap_amount is None else float(pen.cap_amount),
                    float(pen.amount),
                    pen.share_of_fee,
                    pen.capped,
                    V(
                        self.w("closed_state")
                        if m.closed
                        else self.w("provisional" if pen.provisional else "final"),
                        "text",
                    ),
                ]
            )
        if p.quarterly:
            pen = res.penalty
            month_rows.append(
                [
                    self.t(f"{self.pname(p.label)} 合计", f"{self.pname(p.label)} total"),
                    float(pen.uncapped_amount),
                    None,
                    None,
                    float(pen.amount),
                    pen.share_of_fee,
                    pen.capped,
                    V(self.w("provisional") if pen.provisional else self.w("final"), "text"),
                ]
            )
        sh.table(month_cols, month_rows)
        sh.skip()
        sh.heading(self.w("penalty_items"))
        item_cols = [
            Col(self.w("month"), min_width=10),
            Col(self.w("kind"), min_width=10),
            Col(self.w("ref"), max_width=24),
            Col(self.w("which_target"), min_width=8),
            Col(self.w("priority"), min_width=6),
            Col(self.w("amount"), "money"),
        ]

        def items() -> Iterable[list[Any]]:
            for m in p.months:
                name = self.pname(m.label)
                for item in m.penalty.items:
                    yield [
                        name,
                        b.label(item.kind),
                        self.kpi_name(item.ref) if item.kind == "missed_kpi" else item.ref,
                        b.label(item.target) if item.target else None,
                        item.priority,
                        float(item.amount),
                    ]

        sh.table(item_cols, items(), main=True)
        sh.finish()

    # -- Obligations and improvement actions

    def obligations_sheet(self) -> None:
        """Obligations, improvement actions, their history: three tables whose columns line up
        (short columns left, the wrapped text in the same wide columns), so the sheet prints legibly."""
        b, p = self.book, self.p
        sh = _Sheet(
            b,
            "obligations",
            f"{SHEETS['obligations'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                "本期产生的义务，以及更早产生、截至数据日仍未完成的义务；改进措施来自改进措施登记。",
                "Obligations raised in the period, and earlier ones still open at the as-of time; "
                "improvement actions come from the action register.",
            ),
        )
        sh.table(
            [
                Col(self.w("obligation"), max_width=22),
                Col(self.w("kpi"), max_width=20),
                Col(self.w("months"), max_width=20),
                Col(self.w("due"), "date"),
                Col("ID", "wrap", max_width=30),
                Col(self.w("status"), min_width=8),
                Col(self.w("linked_action"), min_width=8),
            ],
            (
                [
                    b.label(o.kind),
                    self._obligation_kpis(o),
                    _months_text(o.months),
                    _date_serial(o.due),
                    o.id,
                    V(o.status, f"status:{o.status}"),
                    o.linked_action,
                ]
                for o in self.obligations
            ),
            main=True,
        )
        sh.skip()
        sh.heading(self.w("actions"))
        action_cols = [
            Col(self.w("action"), "int", min_width=7),
            Col(self.w("kpi"), max_width=20),
            Col(self.w("months"), max_width=20),
            Col(self.w("due"), "date"),
            Col(self.w("cause"), "wrap", max_width=30),
            Col(self.w("status"), min_width=8),
            Col(self.w("owner"), max_width=12),
            Col(self.w("measure"), "wrap", max_width=36),
            Col(self.w("link"), "wrap", max_width=28),
        ]
        actions = self._actions()
        if actions is None:
            sh.table(action_cols, [], empty=self.w("no_store"))
            sh.finish()
            return
        sh.table(
            action_cols,
            (
                [
                    a.action_id,
                    self.kpi_name(a.kpi) if a.kpi else None,
                    _months_text(a.months),
                    _date_serial(a.due) if a.due else None,
                    a.cause,
                    V(b.label(a.status), f"status:{'open' if a.status == 'in_progress' else a.status}"),
                    a.owner,
                    a.measure,
                    link_label(a.link_kind, a.link_ref, self.lang),
                ]
                for a in actions
            ),
        )
        sh.skip()
        sh.heading(self.w("history"))
        sh.table(
            [
                Col(self.w("action"), "int", min_width=7),
                Col(self.w("when"), "datetime"),
                Col(self.w("by"), max_width=14),
                Col(self.w("kind"), min_width=6),
                Col(self.w("fields"), "wrap", max_width=30),
            ],
            (
                [
                    ch.action_id,
                    _stored_serial(ch.changed_at, self.zone),
                    ch.changed_by,
                    b.label(ch.change),
                    action_change_text(ch.fields, ch.change, self.lang),
                ]
                for a in actions
                for ch in self.rec.history.get(a.action_id, [])
            ),
        )
        sh.finish()

    def _actions(self) -> list[Any] | None:
        if self.rec.actions is None:
            return None
        labels = self.p.month_labels
        ids = {o.id for o in self.obligations}
        return [
            a for a in self.rec.actions if set(a.months) & labels or (a.link_ref in ids) or a.status != "done"
        ]

    # -- Exemptions

    def exemptions(self) -> None:
        b, p = self.book, self.p
        sh = _Sheet(
            b,
            "exemptions",
            f"{SHEETS['exemptions'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                "免责与调级须双方同意：服务商提出申请，经审批后在导入数据之上生效，并留有审计记录。",
                "Exemptions and regrades need both parties' agreement: the provider requests, the client "
                "approves or rejects, and approved ones apply on top of the imported data (audited).",
            ),
        )
        cols = [
            Col("ID", "int", min_width=5),
            Col(self.w("ticket"), max_width=22),
            Col(self.w("month"), min_width=8),
            Col(self.w("kind"), min_width=6),
            Col(self.w("new_priority"), min_width=6),
            Col(self.w("reason"), "wrap", max_width=36),
            Col(self.w("requested_by"), max_width=14),
            Col(self.w("requested_at"), "datetime"),
            Col(self.w("decision"), min_width=8),
            Col(self.w("decided_by"), max_width=14),
            Col(self.w("decided_at"), "datetime"),
            Col(self.w("decision_reason"), "wrap", max_width=36),
        ]
        if self.rec.exemptions is None:
            sh.table(cols, [], main=True, empty=self.w("no_store"))
        else:
            all_t = self.ev.tickets
            ids = [e.ticket_id for e in self.rec.exemptions]
            months: dict[str, str] = {}
            if ids and not all_t.empty:
                found = all_t.loc[all_t["ticket_id"].isin(ids), ["ticket_id", "month"]]
                months = dict(zip(found["ticket_id"].astype("object"), found["month"], strict=True))
            labels = p.month_labels
            chosen = [
                e
                for e in self.rec.exemptions
                if months.get(e.ticket_id) in labels or e.ticket_id not in months
            ]
            decision_status = {"approved": "done", "rejected": "missed", "pending": "pending"}
            sh.table(
                cols,
                (
                    [
                        e.exemption_id,
                        e.ticket_id,
                        self.pname(months[e.ticket_id]) if e.ticket_id in months else None,
                        b.label(e.kind),
                        e.new_priority,
                        e.reason,
                        e.requested_by,
                        _stored_serial(e.requested_at, self.zone),
                        V(b.label(e.decision), f"status:{decision_status.get(e.decision, 'pending')}"),
                        e.decided_by,
                        _stored_serial(e.decided_at, self.zone) if e.decided_at else None,
                        e.decision_reason,
                    ]
                    for e in chosen
                ),
                main=True,
            )
        sh.skip()
        sh.heading(self.w("excluded_tickets"))
        t = self.tickets
        frame = (
            t.loc[t["excluded"]].sort_values(["created", "ticket_id"], kind="stable") if not t.empty else t
        )
        rows: Iterable[list[Any]] = []
        if len(frame):
            times = self._ticket_frame(frame)
            rows = zip(
                frame["ticket_id"].astype("object").tolist(),
                [self.pname(m) for m in frame["month"].tolist()],
                _strings(frame["priority"]),
                times["created"],
                times["resolved"],
                self._category(frame),
                _strings(frame["exclusion_reason"]),
                strict=True,
            )
        sh.table(
            [
                Col(self.w("ticket"), max_width=22),
                Col(self.w("month"), min_width=8),
                Col(self.w("priority"), min_width=6),
                Col(self.w("created"), "datetime"),
                Col(self.w("resolved"), "datetime"),
                Col(self.w("category"), max_width=14),
                Col(self.w("reason"), "wrap", max_width=40),
            ],
            rows,
        )
        sh.finish()

    # -- Reconciliation

    def reconciliation(self) -> None:
        b, p = self.book, self.p
        rec = self.ev.reconciliation
        sel = rec.loc[rec["month"].isin(p.month_labels)] if not rec.empty else rec
        sh = _Sheet(
            b,
            "reconciliation",
            f"{SHEETS['reconciliation'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                "服务商自报数值（其他指标文件中 source = provider）与系统按原始数据计算的数值对照；超出舍入误差的差异标记为需核实。",
                "The provider's self-reported figures (measures with source = provider) beside the values "
                "computed from the raw data; differences beyond rounding are flagged.",
            ),
        )
        cols = [
            Col(self.w("month"), min_width=10),
            Col(self.w("kpi"), max_width=24),
            Col(self.w("provider_value"), "rate", min_width=10),
            Col(self.w("computed_value"), "rate", min_width=10),
            Col(self.w("difference"), "pp", min_width=10),
            Col(self.w("flagged"), "bool", min_width=7),
        ]
        rows: list[list[Any]] = []
        for r in sel.sort_values(["month", "kpi"], kind="stable").to_dict("records") if not sel.empty else []:
            kpi = str(r["kpi"])
            kind = _value_kind(kpi) if kpi in KPIS else "num"
            rows.append(
                [
                    self.pname(str(r["month"])),
                    self.kpi_name(kpi),
                    V(r["provider_value"], kind),
                    V(r["computed_value"], kind),
                    V(r["difference"], _change_kind(kpi) if kpi in KPIS else "num"),
                    V(bool(r["flagged"]), "flag:yes" if r["flagged"] else "flag:no"),
                ]
            )
        sh.table(
            cols,
            rows,
            main=True,
            empty=self.t("本期没有服务商自报数值", "No provider-reported figures for the period"),
        )
        sh.finish()

    # -- Survey flags

    def surveys(self) -> None:
        b, p = self.book, self.p
        r = self.ev.responses
        if r.empty:
            sel = r
            total = 0
        else:
            in_period = r.loc[r["month_key"].isin(p.keys)]
            total = len(in_period)
            sel = in_period.loc[(in_period["flags"].fillna("") != "") | in_period["excluded"]]
            sel = sel.sort_values(["submitted", "response_id"], kind="stable")
        excluded_n = int(sel["excluded"].sum()) if len(sel) else 0
        sh = _Sheet(
            b,
            "surveys",
            f"{SHEETS['surveys'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                f"本期 {total:,} 份评价中 {len(sel):,} 份被标记或排除（已排除 {excluded_n:,} 份）。被标记的评价在用户排除前仍计入指标。",
                f"{len(sel):,} of the period's {total:,} responses are flagged or excluded ({excluded_n:,} excluded). "
                "Flagged responses count until someone excludes them.",
            ),
        )
        cols = [
            Col(self.w("response_id"), max_width=18),
            Col(self.w("submitted"), "datetime"),
            Col(self.w("ticket"), max_width=22),
            Col(self.w("respondent"), max_width=14),
            Col(self.w("channel"), max_width=12),
            Col(self.w("score"), "general", min_width=6),
            Col(self.w("flags"), max_width=30),
            Col(self.w("excluded"), "bool", min_width=6),
            Col(self.w("excluded_by"), max_width=14),
            Col(self.w("excluded_at"), "datetime"),
            Col(self.w("reason"), "wrap", max_width=30),
            Col(self.w("comment"), "wrap", max_width=50, min_width=24),
        ]
        rows: Iterable[list[Any]] = []
        if len(sel):
            sep = "、" if self.lang == "zh" else ", "
            flag_text = {
                f: sep.join(b.label(x) for x in f.split(",") if x) for f in sel["flags"].fillna("").unique()
            }
            ids = sel["response_id"].astype("object").where(sel["response_id"].notna(), None).tolist()
            excl = self.rec.survey_exclusions
            rows = zip(
                ids,
                _excel_serials(sel["submitted"].to_numpy(dtype="float64"), self.zone),
                _strings(sel["ticket_id"]),
                _strings(sel["respondent"]),
                _strings(sel["channel"]),
                sel["score"].to_numpy(dtype="float64"),
                [flag_text[f] or None for f in sel["flags"].fillna("").tolist()],
                sel["excluded"].to_numpy(dtype=bool).tolist(),
                _strings(sel["excluded_by"]),
                [_stored_serial(excl[i].excluded_at, self.zone) if i in excl else None for i in ids],
                _strings(sel["exclusion_reason"]),
                _strings(sel["comment"]),
                strict=True,
            )
        sh.table(cols, rows, main=True, freeze_col=1)
        sh.finish()

    # -- Data quality

    def audit(self) -> None:
        """Who imported, undid, edited, approved, closed or exported what, and when (newest first)."""
        sh = _Sheet(
            self.book,
            "audit",
            SHEETS["audit"][0 if self.lang == "zh" else 1],
            self.t(
                "谁在何时导入、撤销、修改合同或措施、审批免责、结账或导出了什么（最新在前）。",
                "Who imported, undid, edited a contract or an action, approved an exemption, closed a month "
                "or exported what, and when (newest first).",
            ),
        )
        cols = [
            Col(self.t("时间", "At"), "datetime"),
            Col(self.t("操作人", "By"), max_width=16),
            Col(self.t("操作", "Action"), max_width=22),
            Col(self.t("内容", "Detail"), "wrap", max_width=80, min_width=30),
        ]
        entries = self.rec.audit
        if entries is None:
            sh.table(cols, [], main=True, empty=self.w("no_store"))
        else:
            sh.table(
                cols,
                (
                    [
                        _stored_serial(e.logged_at, self.zone),
                        e.actor,
                        audit_action_label(e.action, self.lang),
                        json.dumps(e.detail, ensure_ascii=False, default=str, sort_keys=True)[:500],
                    ]
                    for e in entries
                ),
                main=True,
            )
        sh.finish()

    def quality(self) -> None:
        b = self.book
        sh = _Sheet(
            b,
            "quality",
            SHEETS["quality"][0 if self.lang == "zh" else 1],
            self.t(
                "导入的批次、因错误跳过的行及原因（批次的数据质量日志），以及评估时的提示。",
                "Batches imported, rows skipped with their reasons (each batch's data-quality log), and the "
                "evaluation's warnings.",
            ),
        )
        cols = [
            Col(self.w("batch"), "int", min_width=6),
            Col(self.w("kind"), min_width=8),
            Col(self.w("file"), max_width=36),
            Col(self.w("rows"), "int"),
            Col(self.w("inserted"), "int"),
            Col(self.w("updated_rows"), "int"),
            Col(self.w("unchanged"), "int"),
            Col(self.w("skipped"), "int"),
            Col(self.w("imported_at"), "datetime"),
            Col(self.w("imported_by"), max_width=14),
            Col(self.w("status"), min_width=8),
            Col(self.w("undone"), "datetime"),
        ]
        batches = self.rec.batches
        if batches is None:
            sh.table(cols, [], main=True, empty=self.w("no_store"))
        else:
            sh.table(
                cols,
                (
                    [
                        bt.batch_id,
                        b.label(bt.kind),
                        bt.file_name,
                        bt.rows,
                        bt.inserted,
                        bt.updated,
                        bt.unchanged,
                        bt.skipped,
                        _stored_serial(bt.imported_at, self.zone),
                        bt.imported_by,
                        V(b.label(bt.status), "text"),
                        _stored_serial(bt.undone_at, self.zone) if bt.undone_at else None,
                    ]
                    for bt in batches
                ),
                main=True,
            )
        sh.skip()
        sh.heading(self.w("skipped_log"))
        issue_cols = [
            Col(self.w("batch"), "int", min_width=6),
            Col(self.w("level"), min_width=6),
            Col(self.w("code"), max_width=28),
            Col(self.w("file"), max_width=28),
            Col(self.w("sheet"), max_width=14),
            Col(self.w("row"), "int", min_width=6),
            Col(self.w("column"), max_width=18),
            Col(self.w("cell_value"), max_width=24),
            Col(self.w("message"), "wrap", max_width=60, min_width=30),
        ]
        if batches is None:
            sh.table(issue_cols, [], empty=self.w("no_store"))
        else:
            total = sum(len(v) for v in self.rec.batch_issues.values())
            skipped_total = sum(bt.skipped for bt in batches)

            def issue_rows() -> Iterable[list[Any]]:
                n = 0
                for batch_id, issues in self.rec.batch_issues.items():
                    for i in issues:
                        if n >= MAX_LOG_ROWS:
                            return
                        n += 1
                        yield [
                            batch_id,
                            b.label(i.level),
                            i.code,
                            i.file,
                            i.sheet,
                            i.row,
                            i.column,
                            i.value,
                            i.message(self.lang),
                        ]

            sh.table(issue_cols, issue_rows(), empty=self.t("没有跳过的行", "No row was skipped"))
            if total > MAX_LOG_ROWS:
                sh.note(
                    self.t(
                        f"仅列出前 {MAX_LOG_ROWS:,} 条（共 {total:,} 条问题，{skipped_total:,} 行被跳过）",
                        f"only the first {MAX_LOG_ROWS:,} are listed ({total:,} issues, {skipped_total:,} rows skipped)",
                    )
                )
        sh.skip()
        sh.heading(self.w("eval_warnings"))
        sh.table(
            [
                Col(self.w("code"), max_width=32),
                Col(self.w("column"), max_width=18),
                Col(self.w("cell_value"), max_width=20),
                Col(self.w("message"), "wrap", max_width=80, min_width=40),
            ],
            ([w.code, w.column, w.value, w.message(self.lang)] for w in self.ev.warnings),
            empty=self.t("没有提示", "No warnings"),
        )
        sh.finish()

    # -- Contract terms

    def terms(self) -> None:
        b, p, ev = self.book, self.p, self.ev
        res = p.result
        terms = res.terms
        c = terms.contract
        sh = _Sheet(
            b,
            "terms",
            f"{SHEETS['terms'][0 if self.lang == 'zh' else 1]} · {self.pname(p.label)}",
            self.t(
                f"本期按 {terms.effective_from.isoformat()} 起生效的条款评判（每月按其第一天有效的条款）。",
                f"The period is judged by the terms in force from {terms.effective_from.isoformat()} "
                "(each month by the terms in force on its first day).",
            ),
        )
        pt = terms.penalties
        fee = self.money(c.monthly_fee)

        def rate_text(rule: Any) -> str:
            if isinstance(rule, dict):
                return "; ".join(f"{k}: {rate_text(v)}" for k, v in rule.items())
            if hasattr(rule, "amount"):
                return self.money(rule.amount)
            return self.t(
                f"月费的 {Decimal(rule).normalize():f}%", f"{Decimal(rule).normalize():f}% of the monthly fee"
            )

        per_ticket = (
            "; ".join(f"{b.label(k)}: {rate_text(v)}" for k, v in pt.per_breached_ticket.items())
            if pt.per_breached_ticket
            else self.t("无", "none")
        )
        week = ", ".join(
            f"{d}: {' '.join(str(i) for i in terms.calendar.hours.for_weekday(n))}"
            for n, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
            if terms.calendar.hours.for_weekday(n)
        )
        ob = terms.obligations
        sv = terms.surveys
        fb = terms.feedback
        av = terms.availability
        items: list[tuple[str, Any, str]] = [
            (self.w("contract"), f"{c.name} ({c.id})" if c.name else c.id, "text"),
            (self.w("client"), c.client, "text"),
            (self.w("provider"), c.provider, "text"),
            (
                self.t("合同期", "Contract term"),
                f"{c.effective_from.isoformat()} – {c.effective_to.isoformat() if c.effective_to else '…'}",
                "text",
            ),
            (self.t("月费", "Monthly fee"), float(c.monthly_fee), "money"),
            (self.t("时区", "Time zone"), c.timezone, "text"),
            (
                self.t("工作日历", "Business calendar"),
                self.t(
                    f"国家 {terms.calendar.country or '无'}（法定节假日与调休）；每周：{week}",
                    f"country {terms.calendar.country or 'none'} (public holidays and make-up workdays); weekly: {week}",
                ),
                "text",
            ),
            (
                self.t("无数据视为未达标", "Missing data counts as missed"),
                c.no_data_counts_as_missed,
                "bool",
            ),
            (self.t("每张超时工单", "Per breached ticket"), per_ticket, "text"),
            (
                self.t("每项未达标指标", "Per missed KPI"),
                rate_text(pt.per_missed_kpi) if pt.per_missed_kpi is not None else self.t("无", "none"),
                "text",
            ),
            (
                self.w("cap"),
                self.t(
                    f"月费的 {pt.cap.normalize():f}%，按{b.label(pt.cap_period)}累计（月费 {fee}）",
                    f"{pt.cap.normalize():f}% of the monthly fee per {b.label(pt.cap_period)} (fee {fee})",
                )
                if pt.cap is not None
                else self.t("无上限", "no cap"),
                "text",
            ),
            (
                self.t("改进计划", "Improvement plan"),
                self.t(
                    f"同一指标连续 {ob.improvement_plan_after_months} 个月未达标，须在该月结束后 {ob.improvement_plan_due_days} 天内提交",
                    f"after {ob.improvement_plan_after_months} consecutive missed months of a KPI, due "
                    f"{ob.improvement_plan_due_days} days after the month",
                ),
                "text",
            ),
            (
                self.t("满意度未达标", "Satisfaction missed"),
                self.t(
                    f"月末后第 {ob.satisfaction_investigation_workdays} 个工作日前启动调查，第 {ob.satisfaction_findings_workdays} 个工作日前提交结论",
                    f"investigation by working day {ob.satisfaction_investigation_workdays}, findings by working "
                    f"day {ob.satisfaction_findings_workdays} after the month",
                ),
                "text",
            ),
            (
                self.t("服务商月报", "Provider's monthly report"),
                self.t(
                    f"次月 {ob.provider_report_day} 日前",
                    f"by day {ob.provider_report_day} of the next month",
                )
                if ob.provider_report_day
                else self.t("无", "none"),
                "text",
            ),
            (
                self.t("满意度量表", "Survey scale"),
                self.t(
                    f"{sv.min.normalize():f}–{sv.scale.normalize():f} 分，≥ {sv.satisfied_at.normalize():f} 分为满意",
                    f"{sv.min.normalize():f}–{sv.scale.normalize():f}, satisfied at ≥ {sv.satisfied_at.normalize():f}",
                ),
                "text",
            ),
            (
                self.t("投诉/反馈处理", "Complaint and feedback handling"),
                self.t(
                    f"{'、'.join(b.label(x) for x in fb.categories)}：{_duration_text(fb.acknowledge, self.lang)} 内受理，{_duration_text(fb.classify, self.lang)} 内分类，{_duration_text(fb.process, self.lang)} 内处理（{b.w(fb.clock)}）",
                    f"{', '.join(b.label(x) for x in fb.categories)}: acknowledged within {_duration_text(fb.acknowledge, self.lang)}, "
                    f"classified within {_duration_text(fb.classify, self.lang)}, processed within {_duration_text(fb.process, self.lang)} ({b.w(fb.clock)})",
                ),
                "text",
            ),
            (
                self.t("可用性", "Availability"),
                self.t(
                    f"计划停机须提前 {_duration_text(av.notice, self.lang) if av.notice else '—'} 通知；故障须在 {_duration_text(av.restore_within, self.lang)} 内恢复",
                    f"maintenance announced {_duration_text(av.notice, self.lang) if av.notice else '—'} ahead counts as planned; "
                    f"restore within {_duration_text(av.restore_within, self.lang)}",
                ),
                "text",
            ),
        ]
        sh.pairs(items)
        sh.skip()
        sh.heading(self.w("priorities"))
        sh.table(
            [
                Col(self.w("priority"), min_width=8),
                Col(self.w("labels"), max_width=40),
                Col(self.w("clock"), min_width=10),
                Col(self.w("response_target"), "dur_hm"),
                Col(self.w("resolution_target"), "dur_hm"),
            ],
            (
                [pr.id, ", ".join(pr.labels), b.w(pr.clock), pr.response / 86400, pr.resolution / 86400]
                for pr in terms.priorities
            ),
            main=False,
        )
        sh.skip()
        sh.heading(self.w("kpi_targets"))
        sh.table(
            [
                Col(self.w("kpi"), max_width=24),
                Col("ID", max_width=28),
                Col(self.w("target"), "text", min_width=10),
            ],
            (
                [
                    self.kpi_name(kpi),
                    kpi,
                    V(float(tg.value), "target:" + _target_format(tg, KPIS[kpi].unit, self.lang))
                    if (tg := terms.target(kpi))
                    else V(self.t("仅展示", "shown only"), "note"),
                ]
                for kpi in KPI_IDS
            ),
        )
        sh.skip()
        sh.heading(self.w("versions"))
        in_force = {m.terms.effective_from for m in p.months} | {terms.effective_from}
        sh.table(
            [
                Col(self.w("effective_from"), "date"),
                Col(self.w("note"), "wrap", max_width=60, min_width=30),
                Col(self.w("in_force"), "bool", min_width=8),
            ],
            (
                [
                    _date_serial(v.effective_from),
                    v.note or self.w("base_terms"),
                    v.effective_from in in_force,
                ]
                for v in ev.contract.versions
            ),
        )
        sh.finish()


# ---------------------------------------------------------------- small helpers


def _strings(series: pd.Series) -> list[Any]:
    """A text column as Python objects, blanks as None."""
    values = series.astype("object")
    return values.where(series.notna(), None).tolist()


def _duration_text(seconds: int, lang: str) -> str:
    """900 → '15 分钟' / '15 min'; 86400 → '24 小时' / '24 h' (a wall-clock day, not '1d')."""
    for unit, size in (("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit_word(unit, lang)}"
    return f"{seconds} {unit_word('seconds', lang)}"


def _months_text(months: Sequence[str]) -> str:
    """('2026-03', '2026-04', '2026-05') → '2026-03 – 2026-05' when consecutive."""
    if len(months) > 2:
        keys = [month_key(m) for m in months]
        if keys == list(range(keys[0], keys[0] + len(keys))):
            return f"{months[0]} – {months[-1]}"
    return ", ".join(months)


def _serial_text(serial: float) -> str:
    """An Excel serial as 'YYYY-MM-DD HH:MM' (for sentences)."""
    moment = datetime(1899, 12, 30) + timedelta(days=serial)
    return moment.strftime("%Y-%m-%d %H:%M")


def _date_serial(day: date) -> float:
    return float((day - date(1899, 12, 30)).days)


def _stored_serial(moment: datetime | None, zone: Any) -> float | None:
    """A stored timestamp (aware, or naive UTC) → Excel serial in the contract's zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return _serial(moment.timestamp(), zone)


def _period_start(day: date, zone: Any) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()


def _change_kind(kpi: str) -> str:
    unit = KPIS[kpi].unit
    if kpi == "availability":
        return "pp3"
    return {"rate": "pp", "score": "dscore", "minutes": "dminutes", "hours": "dhours"}[unit]


def _axis_bounds(values: list[float], unit: str) -> tuple[float | None, float | None]:
    """A y range that shows the differences that matter (95% vs 97%), not 0–100%."""
    if not values:
        return None, None
    lo, hi = min(values), max(values)
    if unit == "rate":
        span = max(hi - lo, 0.01)
        step = 0.01 if span <= 0.1 else 0.05
        low = max(0.0, math.floor((lo - span * 0.25) / step) * step)
        high = min(1.0, math.ceil((hi + span * 0.25) / step) * step)
        if high - low < step:
            low = max(0.0, high - step)
        return round(low, 4), round(high, 4)
    if unit == "score":
        span = max(hi - lo, 0.1)
        return round(math.floor((lo - span * 0.25) * 10) / 10, 1), round(
            math.ceil((hi + span * 0.25) * 10) / 10, 1
        )
    return 0.0, None


# ---------------------------------------------------------------- command line


def add_report_command(sub: Any) -> None:
    """Register `python -m sla_core report` on the command line's sub-parsers."""
    rp = sub.add_parser("report", help="write the monthly report or the quarterly pack as Excel")
    rp.add_argument("--db", required=True)
    rp.add_argument("--contract", required=True, help="contract id")
    group = rp.add_mutually_exclusive_group(required=True)
    group.add_argument("--month")
    group.add_argument("--quarter")
    rp.add_argument("--as-of", dest="as_of")
    rp.add_argument("--lang", choices=("zh", "en"), default="zh")
    rp.add_argument("--out", required=True)
    rp.set_defaults(func=cmd_report)


def _refuse(zh: str, en: str) -> int:
    print(f"{zh}\n{en}", file=sys.stderr)
    return EXIT_REJECTED


def cmd_report(args: argparse.Namespace) -> int:
    """Open the store, evaluate the contract as stored, write the workbook. Exit 0, or 2 when refused."""
    from sla_core import store as st
    from sla_core import workspace
    from sla_core.evaluate import parse_as_of

    period = args.month or args.quarter
    if args.month and not MONTH_RE.match(args.month):
        return _refuse(f"--month {args.month} 应为 YYYY-MM", f"--month {args.month}: expected YYYY-MM")
    if args.quarter and not QUARTER_RE.match(args.quarter):
        return _refuse(f"--quarter {args.quarter} 应为 YYYYQn", f"--quarter {args.quarter}: expected YYYYQn")
    db = Path(args.db)
    if not db.exists():
        return _refuse(f"找不到数据库文件：{db}", f"no store at {db}")
    store = workspace.open_workspace(db)
    contract = st.load_contract(store, args.contract)
    if contract is None:
        known = ", ".join(sorted({c.contract_id for c in st.list_contracts(store)})) or "—"
        return _refuse(
            f"数据库中没有合同 {args.contract}（已有：{known}）",
            f"no contract {args.contract} in the store (known: {known})",
        )
    as_of = None
    if args.as_of:
        try:
            as_of = parse_as_of(args.as_of, contract)
        except ValueError:
            return _refuse(
                f"--as-of {args.as_of} 不是日期时间", f"--as-of {args.as_of} is not a date or time"
            )
    snap = workspace.snapshot(store, args.contract, as_of)
    try:
        path = write_report(args.out, snap, period, args.lang, store=store)
    except ReportError as exc:
        return _refuse(exc.zh, exc.en)
    print(str(path))
    return EXIT_OK
