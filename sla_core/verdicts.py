"""A KPI value × the target in force → status and one sentence in each language.

Statuses: met / missed / no_data / unjudged (no target in force, or before the contract starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sla_core.contract import Target
from sla_core.i18n import KPIS, KpiDef, fmt_count, fmt_value, unit_word

Status = Literal["met", "missed", "no_data", "unjudged"]


@dataclass(frozen=True)
class Verdict:
    kpi: str
    value: float | None
    target: Target | None
    status: Status
    numerator: float | None
    denominator: float | None
    zh: str
    en: str

    def explanation(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def target_text(target: Target, unit: str = "", lang: str = "en", *, bare: bool = False) -> str:
    """`≥ 95%`, `≤ 30 分钟` / `≤ 30 min`: a duration target says its unit, as the values do (`bare`: not
    in a table whose row names the unit)."""
    op = {">=": "≥", "<=": "≤"}.get(target.op, target.op)
    word = "" if bare else unit_word(unit, lang)
    return f"{op} {target.written}" + (f" {word}" if word else "")


def _counted(n: float | None, noun: str) -> str:
    """'1 incident', '3 incidents'."""
    return f"{fmt_count(n)} {noun}" + ("" if n == 1 else "s")


def _fact(
    kpi: str,
    value: float,
    num: float | None,
    den: float | None,
    target: Target | None = None,
    d: KpiDef | None = None,
) -> tuple[str, str]:
    d = d or KPIS[kpi]
    beside = target.value if target else None
    zh_v, en_v = fmt_value(value, d.unit, "zh", beside=beside), fmt_value(value, d.unit, "en", beside=beside)
    if kpi == "csat_mean":
        return (
            f"{fmt_count(den)} 份评价平均 {zh_v} 分",
            f"mean score {en_v} over {_counted(den, 'response')}",
        )
    if kpi == "availability":
        down = (den or 0) - (num or 0)
        return (
            f"可用性 {zh_v}（计划外停机 {down / 60:,.1f} 分钟）",
            f"{en_v} available ({down / 60:,.1f} min of unplanned downtime)",
        )
    if kpi == "unplanned_downtime_minutes":
        if den and den > 1:  # a quarter: the mean month
            total_zh, total_en = fmt_value(num, d.unit, "zh"), fmt_value(num, d.unit, "en")
            return (
                f"月均计划外停机 {zh_v}（{fmt_count(den)} 个月共 {total_zh}）",
                f"{en_v} of unplanned downtime a month on average ({total_en} over {_counted(den, 'month')})",
            )
        return (f"计划外停机 {zh_v}", f"{en_v} of unplanned downtime")
    if kpi == "mttr_minutes":
        return (
            f"{fmt_count(den)} 次故障平均恢复用时 {zh_v}",
            f"mean restoration {en_v} over {_counted(den, 'incident')}",
        )
    if kpi in ("backup_success_rate", "recovery_time_hours") or d.source == "measures":
        return (f"报告值 {zh_v}", f"reported {en_v}")
    return (
        f"{zh_v}（{fmt_count(num)}/{fmt_count(den)} {d.what_zh}）",
        f"{en_v}: {fmt_count(num)} of {fmt_count(den)} {d.what_en}",
    )


_NO_DATA = {
    "no_file:tickets": ("未提供工单文件", "no tickets file was given"),
    "no_file:surveys": ("未提供满意度调查文件", "no survey file was given"),
    "no_file:outages": ("未提供故障/停机记录", "no outage log was given"),
    "no_file:measures": ("未提供其他指标文件", "no measures file was given"),
}
_NOTHING = {
    "response_within_target": ("本期没有已判定的工单", "no ticket was judged in the period"),
    "resolution_within_target": ("本期没有已判定的工单", "no ticket was judged in the period"),
    "workaround_within_target": (
        "本期没有已判定临时解决的工单",
        "no ticket's workaround was judged in the period",
    ),
    "resolution_rate": ("本期没有工单", "no tickets in the period"),
    "first_contact_resolution": ("本期没有已解决的工单", "no resolved tickets in the period"),
    "reopen_rate": ("本期没有已解决的工单", "no resolved tickets in the period"),
    "complaint_rate": ("本期没有工单", "no tickets in the period"),
    "feedback_on_time": (
        "本期没有已判定的投诉/反馈工单",
        "no complaint or feedback ticket was judged in the period",
    ),
    "suggestion_adoption_rate": ("本期没有建议类工单", "no suggestions in the period"),
    "csat_mean": ("本期没有评价", "no survey responses in the period"),
    "csat_satisfied_share": ("本期没有评价", "no survey responses in the period"),
    "survey_response_rate": ("本期没有已解决的工单", "no resolved tickets in the period"),
    "mttr_minutes": ("本期没有已恢复的故障", "no incident ended in the period"),
    "restored_in_time": ("本期没有已恢复的故障", "no incident ended in the period"),
    "backup_success_rate": ("本期没有报告值", "no reported value for the period"),
    "recovery_time_hours": ("本期没有报告值", "no reported value for the period"),
}


def no_data_reason(kpi: str, why: str) -> tuple[str, str]:
    if why in _NO_DATA:
        return _NO_DATA[why]
    if why.startswith("no_column:"):
        col = why.split(":", 1)[1]
        return (f"文件中没有 {col} 列", f"the file has no {col} column")
    if why.startswith("no_value:"):  # the column is held for other periods, not for this one
        col = why.split(":", 1)[1]
        return (f"本期没有任何工单有 {col} 的值", f"no ticket of the period carries a {col} value")
    return _NOTHING.get(kpi, ("本期无可计数据", "nothing to count in the period"))


def judge(
    kpi: str,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    target: Target | None,
    *,
    no_data: str = "",
    judged_period: bool = True,
    contract_start: str = "",
    no_data_counts_as_missed: bool = False,
    definition: KpiDef | None = None,
    declared: bool = True,
) -> Verdict:
    """Computed first, judged second: the value and the target give the status and the sentence.

    definition: a contract KPI's declaration (built-in KPIs are looked up in i18n.KPIS);
    declared=False: a contract KPI the terms in force for the period do not declare (unjudged)."""
    d = definition or KPIS[kpi]
    if not declared:
        return Verdict(
            kpi,
            value,
            None,
            "unjudged",
            numerator,
            denominator,
            "本期有效的合同条款未约定该指标，不评判。",
            "The terms in force for the period do not include this KPI: not judged.",
        )
    if value is None:
        zh_why, en_why = no_data_reason(kpi, no_data)
        source_absent = no_data.startswith(("no_file", "no_column", "no_value"))
        if target is not None and judged_period and no_data_counts_as_missed and source_absent:
            return Verdict(
                kpi,
                None,
                target,
                "missed",
                numerator,
                denominator,
                f"无数据：{zh_why}；合同约定缺少数据视为未达标（要求 {target_text(target, d.unit, 'zh')}）。",
                f"No data: {en_why}; the contract counts missing data as a miss "
                f"(requires {target_text(target, d.unit)}).",
            )
        return Verdict(
            kpi, None, target, "no_data", numerator, denominator, f"无数据：{zh_why}。", f"No data: {en_why}."
        )
    fact_zh, fact_en = _fact(kpi, value, numerator, denominator, target if judged_period else None, d)
    if not judged_period:
        return Verdict(
            kpi,
            value,
            target,
            "unjudged",
            numerator,
            denominator,
            f"{fact_zh}；早于合同生效日 {contract_start}，不评判。",
            f"{fact_en[0].upper()}{fact_en[1:]}; before the contract took effect ({contract_start}), "
            "not judged.",
        )
    if target is None:
        return Verdict(
            kpi,
            value,
            None,
            "unjudged",
            numerator,
            denominator,
            f"{fact_zh}；合同未设目标，仅展示。",
            f"{fact_en[0].upper()}{fact_en[1:]}; the contract sets no target, shown only.",
        )
    met = target.met_by(value)
    need_zh, need_en = target_text(target, d.unit, "zh"), target_text(target, d.unit, "en")
    word_zh = "要求" if target.op in (">=", ">") else "上限"
    word_en = "requires" if target.op in (">=", ">") else "allows"
    return Verdict(
        kpi,
        value,
        target,
        "met" if met else "missed",
        numerator,
        denominator,
        f"{fact_zh}；合同{word_zh} {need_zh}，{'达标' if met else '未达标'}。",
        f"{fact_en[0].upper()}{fact_en[1:]}; contract {word_en} {need_en}: {'met' if met else 'missed'}.",
    )
