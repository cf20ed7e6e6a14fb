"""KPI declarations: id, Chinese and English labels, unit, direction, source. A KPI is declared once
here; tiles, chart axes, Excel headers and the JSON all read this declaration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sla_core.dataset import Kind

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
Unit = Literal["rate", "score", "minutes", "hours", "number"]  # number: a contract KPI's plain value


@dataclass(frozen=True)
class KpiDef:
    id: str
    zh: str
    en: str
    unit: Unit
    higher_is_better: bool
    source: Kind
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
        # in a contract's table only when its conditional targets name the workaround (contract.OPTIONAL_KPIS)
        KpiDef(
            "workaround_within_target",
            "临时解决达标率",
            "Workaround within target",
            "rate",
            True,
            "tickets",
            "张工单在目标时间内临时解决",
            "tickets worked around within target",
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
    "workaround_within_target": (
        ("临时解决（初步解决方案）时长在规则给出的目标之内的工单占比；免责和尚未到期的工单不计。",
         "临时解决达标的工单", "已评判临时解决的工单（达标 + 超时）"),
        ("Share of tickets given a workaround within the target a rule sets; excluded tickets and tickets "
         "still within target are not counted.",
         "tickets with a workaround within target", "tickets with a judged workaround (met + breached)"),
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
