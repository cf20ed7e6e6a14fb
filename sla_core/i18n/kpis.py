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
