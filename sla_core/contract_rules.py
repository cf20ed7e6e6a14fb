"""Contract terms beyond the priority matrix: conditional targets and contract KPIs.

- `[[targets]]` (spec "Rule (conditional targets)"): rules after the priorities, each a `when` (priority,
  category, channel, customer, created in or outside service hours) and any of the milestones
  `response`, `workaround`, `resolution`, each `"30m"` or `{ within = "30m", clock = "24x7" }`. Per ticket
  and milestone the first matching rule that names the milestone gives the target, else the priority.
- `[[custom_kpis]]` (spec "Rule (contract KPIs)"): the seeds' other measures, `ticket_share` (tickets
  matching `where` whose milestone met `within` on `clock`) or `measure` (a reported value).

These models are part of `contract.Terms` (imported there); the vectorised matching lives in `targets.py`.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator

from sla_core.terms_base import Duration, Frozen, Target, _fail, fail_at, parse_duration, parse_target

MILESTONE_NAMES: tuple[str, ...] = ("response", "workaround", "resolution")
Clock = Literal["24x7", "business"]


class RuleMatch(Frozen):
    """`when` / `where`: every key given must match (all optional; an empty table matches every ticket).

    priority: priority ids or their labels; category: canonical categories (inquiry, fault…) or the
    beginning of the category as exported (like `[categories]` labels); channel, customer: the beginning
    of the value as exported (case-insensitive); created: in or outside the contract's service hours."""

    priority: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()
    created: Literal["in_hours", "outside_hours"] | None = None

    @field_validator("priority", "category", "channel", "customer", mode="before")
    @classmethod
    def _list(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v

    @property
    def empty(self) -> bool:
        return not (self.priority or self.category or self.channel or self.customer or self.created)


class Milestone(Frozen):
    within: Duration
    clock: Clock | None = None  # None: the ticket's priority's clock


def _milestone(value: object) -> object:
    # a bare duration is checked here, so that its error names `response`, not `response.within`
    if isinstance(value, str):
        parse_duration(value)
        return {"within": value}
    return value


_RULE_ID = re.compile(r"^[^\s;]+$")  # shown joined by "; " in --tickets-out


class TargetRule(Frozen):
    id: str
    note: str = ""
    when: RuleMatch = RuleMatch()
    response: Milestone | None = None
    workaround: Milestone | None = None
    resolution: Milestone | None = None

    @field_validator("response", "workaround", "resolution", mode="before")
    @classmethod
    def _as_milestone(cls, v: object) -> object:
        return _milestone(v)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _RULE_ID.match(v):
            raise _fail(
                "rule_id",
                f'"{v}" 不能为空，也不能含空格或分号',
                f'"{v}" must be non-empty, without spaces or semicolons',
            )
        return v

    @model_validator(mode="after")
    def _names_a_milestone(self) -> TargetRule:
        if not self.milestones():
            raise _fail(
                "rule",
                "规则至少要给出 response、workaround、resolution 之一",
                "a rule needs at least one of response, workaround, resolution",
            )
        return self

    def milestones(self) -> dict[str, Milestone]:
        return {m: getattr(self, m) for m in MILESTONE_NAMES if getattr(self, m) is not None}


def number_rules(rules: object) -> object:
    """Rules without an id are named by their place, as people count: `targets[2]`."""
    if not isinstance(rules, list | tuple):
        return rules
    return [
        {"id": f"targets[{i}]", **r} if isinstance(r, dict) and "id" not in r else r
        for i, r in enumerate(rules, start=1)
    ]


class KpiLabel(Frozen):
    zh: str
    en: str


_KPI_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class CustomKpi(Frozen):
    """A contract KPI. ticket_share: a rate, higher is better; measure: `unit` rate (needs %) or number."""

    id: str
    label: KpiLabel
    kind: Literal["ticket_share", "measure"]
    unit: Literal["rate", "number"] = "rate"
    direction: Literal["higher", "lower"] = "higher"
    where: RuleMatch = RuleMatch()
    milestone: Literal["response", "workaround", "resolution"] = "response"
    within: Duration | None = None
    clock: Clock | None = None  # None: the ticket's priority's clock
    target: Target | None = None
    note: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        from sla_core.contract import ALL_KPI_IDS

        if not _KPI_ID.match(v):
            raise _fail("kpi_id", f'"{v}" 只能包含 a-z、0-9 和 _', f'"{v}" may hold only a-z, 0-9 and _')
        if v in ALL_KPI_IDS:
            raise _fail("kpi_id", f'"{v}" 是内置指标', f'"{v}" is a built-in KPI')
        return v

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, v: object, info: ValidationInfo) -> object:
        if v is None or isinstance(v, Target):
            return v
        rate = info.data.get("kind") == "ticket_share" or info.data.get("unit", "rate") == "rate"
        return parse_target(v, rate=rate)

    @model_validator(mode="after")
    def _complete(self) -> CustomKpi:
        if self.kind == "ticket_share":
            if self.within is None:
                raise _fail(
                    "custom_kpi",
                    "ticket_share 指标需要 within（如 2m）",
                    "a ticket_share KPI needs within (e.g. 2m)",
                )
            if self.unit != "rate" or self.direction != "higher":
                raise _fail(
                    "custom_kpi",
                    "ticket_share 指标是比率，越高越好（不设 unit、direction）",
                    "a ticket_share KPI is a rate, higher is better (set no unit or direction)",
                )
        elif self.within is not None or self.clock is not None or not self.where.empty:
            raise _fail(
                "custom_kpi",
                "measure 指标取自其他指标文件，不设 where、within、clock",
                "a measure KPI is read from the measures file: set no where, within or clock",
            )
        if self.target is not None:
            higher = self.target.op in (">=", ">")
            if higher != (self.direction == "higher"):
                raise _fail(
                    "custom_kpi",
                    f"目标 {self.target.text} 与方向 {self.direction} 不一致",
                    f"target {self.target.text} goes against direction {self.direction}",
                )
        return self

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


def check_names(priority_names: set[str], rules: tuple[TargetRule, ...], kpis: tuple[CustomKpi, ...]) -> None:
    """Ids are unique; priorities named in `when`/`where` are the contract's (ids or labels, casefolded)."""
    sections: tuple[tuple[str, tuple[TargetRule | CustomKpi, ...]], ...] = (
        ("targets", rules),
        ("custom_kpis", kpis),
    )
    for section, items in sections:
        seen: set[str] = set()
        for number, item in enumerate(items, start=1):
            if item.id in seen:
                raise fail_at(
                    f"{section}[{number}].id",
                    "id_duplicate",
                    f"id {item.id} 重复",
                    f"duplicate id {item.id}",
                )
            seen.add(item.id)
            match, key = (item.when, "when") if isinstance(item, TargetRule) else (item.where, "where")
            unknown = [p for p in match.priority if p.strip().casefold() not in priority_names]
            if unknown:
                where = f"{section}[{number}].{key}.priority"
                raise fail_at(
                    where,
                    "unknown_priority",
                    f"合同中没有优先级 {', '.join(unknown)}",
                    f"the contract has no priority {', '.join(unknown)}",
                )
