"""One complete set of terms (`Terms`: every section, the KPI targets, conditional targets and the
contract's own KPIs, checked together) and the `Contract`: the base terms with every version, the terms in
force on a day; the KPI table in the spec's order."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model, field_validator, model_validator

from sla_core.contract_rules import CustomKpi, TargetRule, check_names, number_rules
from sla_core.contract_sections import (
    AvailabilityTerms,
    CalendarTerms,
    CategoryTerms,
    ContractInfo,
    FeedbackTerms,
    ObligationTerms,
    PauseTerms,
    PenaltyTerms,
    Priority,
    StatusTerms,
    SurveyTerms,
    plain_text,
)
from sla_core.i18n.kpis import KPIS
from sla_core.terms_base import Frozen, Target, _fail, fail_at, parse_target

# Built-in KPIs a contract adds to the table only when it uses them (spec "Rule (conditional targets)":
# `workaround_within_target` joins when any target names the workaround milestone), after this one:
OPTIONAL_KPIS: dict[str, str] = {"workaround_within_target": "resolution_within_target"}
# KPI ids in the spec's table order (that of their declarations in `i18n.kpis`, the one list of them,
# less the optional ones); every output lists them in this order.
KPI_IDS: tuple[str, ...] = tuple(k for k in KPIS if k not in OPTIONAL_KPIS)
ALL_KPI_IDS: tuple[str, ...] = (*KPI_IDS, *OPTIONAL_KPIS)
RATE_KPIS: frozenset[str] = frozenset(k for k, d in KPIS.items() if d.unit == "rate")


def _target_field(kpi: str) -> Any:
    def parse(value: object) -> Target | None:
        return (
            value
            if isinstance(value, Target) or value is None
            else parse_target(value, rate=kpi in RATE_KPIS)
        )

    return Annotated[Target | None, BeforeValidator(parse)]


# One optional field per KPI: unknown keys are refused by extra="forbid", each error names its key.
KpiTargets = create_model(  # type: ignore[call-overload]
    "KpiTargets",
    __config__=ConfigDict(frozen=True, extra="forbid"),
    **{kpi: (_target_field(kpi), None) for kpi in ALL_KPI_IDS},
)


class Terms(Frozen):
    """One complete set of terms: the base contract or the base merged with versions up to one date."""

    contract: ContractInfo
    calendar: CalendarTerms = CalendarTerms()
    priorities: tuple[Priority, ...]
    pause: PauseTerms = PauseTerms()
    statuses: StatusTerms = StatusTerms()
    categories: CategoryTerms = CategoryTerms()
    surveys: SurveyTerms = SurveyTerms()
    feedback: FeedbackTerms = FeedbackTerms()
    availability: AvailabilityTerms = AvailabilityTerms()
    kpis: KpiTargets = KpiTargets()
    penalties: PenaltyTerms = PenaltyTerms()
    obligations: ObligationTerms = ObligationTerms()
    targets: tuple[TargetRule, ...] = ()  # conditional targets, in file order (first match wins)
    custom_kpis: tuple[CustomKpi, ...] = ()  # the contract's own KPIs, after the built-in ones
    # the date these terms start to apply and the version's note ("" for the base contract)
    effective_from: date
    note: Annotated[str, plain_text(1000, newlines=True)] = ""

    @field_validator("targets", mode="before")
    @classmethod
    def _number_rules(cls, v: object) -> object:
        return number_rules(v)

    @model_validator(mode="after")
    def _priorities(self) -> Terms:
        if not self.priorities:
            raise _fail("priorities", "至少需要一个优先级", "at least one priority is needed")
        ids = [p.id for p in self.priorities]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise _fail(
                "priorities", f"优先级 id 重复：{', '.join(dup)}", f"duplicate priority id: {', '.join(dup)}"
            )
        seen: dict[str, str] = {}
        for p in self.priorities:
            for label in (p.id, *p.labels):
                key = label.strip().casefold()
                if seen.get(key, p.id) != p.id:
                    raise _fail(
                        "priorities",
                        f'标签 "{label}" 同时属于 {seen[key]} 和 {p.id}',
                        f'label "{label}" belongs to both {seen[key]} and {p.id}',
                    )
                seen[key] = p.id
        default = self.contract.default_priority
        if default is not None and default not in ids:
            raise _fail(
                "default_priority",
                f"「{default}」不是合同的优先级 id（{', '.join(ids)}）",
                f'"{default}" is not one of the contract\'s priority ids ({", ".join(ids)})',
                key="contract.default_priority",
            )
        if isinstance(self.penalties.per_breached_ticket, dict):
            for rule in self.penalties.per_breached_ticket.values():
                if isinstance(rule, dict):
                    unknown = sorted(set(rule) - set(ids))
                    if unknown:
                        raise _fail(
                            "penalties",
                            f"penalties.per_breached_ticket 中有未知优先级：{', '.join(unknown)}",
                            f"penalties.per_breached_ticket names unknown priorities: {', '.join(unknown)}",
                        )
        check_names(set(seen), self.targets, self.custom_kpis)
        missed_rule = self.penalties.per_missed_kpi
        if isinstance(missed_rule, dict):
            unknown = sorted(set(missed_rule) - set(ALL_KPI_IDS) - {k.id for k in self.custom_kpis})
            if unknown:
                raise fail_at(
                    "penalties.per_missed_kpi",
                    "kpi",
                    f"未知指标：{', '.join(unknown)}",
                    f"unknown KPI: {', '.join(unknown)}",
                )
        return self

    def names_milestone(self, milestone: str) -> bool:
        """Whether any conditional target sets this milestone."""
        return any(getattr(rule, milestone) is not None for rule in self.targets)

    @property
    def kpi_ids(self) -> tuple[str, ...]:
        """The KPI table of these terms: the built-in KPIs (with the workaround KPI when a target names
        the milestone), then the contract's own KPIs in file order."""
        return kpi_table(self.names_milestone("workaround"), [k.id for k in self.custom_kpis])

    def custom_kpi(self, kpi: str) -> CustomKpi | None:
        return next((k for k in self.custom_kpis if k.id == kpi), None)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.contract.timezone)

    def priority(self, pid: str) -> Priority | None:
        return next((p for p in self.priorities if p.id == pid), None)

    def target(self, kpi: str) -> Target | None:
        custom = self.custom_kpi(kpi)
        if custom is not None:
            return custom.target
        return getattr(self.kpis, kpi, None)


def kpi_table(workaround: bool, custom: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for kpi in KPI_IDS:
        out.append(kpi)
        out += [k for k, after in OPTIONAL_KPIS.items() if after == kpi and workaround]
    return (*out, *custom)


class Contract(BaseModel):
    """The base terms plus every version, each already merged and validated."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    versions: tuple[Terms, ...]  # ascending by effective_from; versions[0] is the base contract
    source_text: str = ""

    @property
    def base(self) -> Terms:
        return self.versions[0]

    @property
    def id(self) -> str:
        return self.base.contract.id

    @property
    def zone(self) -> ZoneInfo:
        return self.base.zone

    @property
    def kpi_ids(self) -> tuple[str, ...]:
        """Every KPI any version judges, in table order: what every output lists for this contract
        (a contract KPI a month's terms do not declare is unjudged in that month)."""
        custom = list(dict.fromkeys(k.id for terms in self.versions for k in terms.custom_kpis))
        workaround = any(terms.names_milestone("workaround") for terms in self.versions)
        return kpi_table(workaround, custom)

    def custom_kpi(self, kpi: str) -> CustomKpi | None:
        """The declaration of a contract KPI (the latest version's that declares it)."""
        return next((k for terms in reversed(self.versions) if (k := terms.custom_kpi(kpi))), None)

    def terms_on(self, day: date) -> Terms:
        """The terms in force on a date (the base terms before any version starts)."""
        current = self.versions[0]
        for terms in self.versions[1:]:
            if terms.effective_from <= day:
                current = terms
        return current

    def terms_for_month(self, year: int, month: int) -> Terms:
        return self.terms_on(date(year, month, 1))

    def judged(self, year: int, month: int) -> bool:
        """Months before the contract starts are unjudged."""
        start = self.base.contract.effective_from
        return (year, month) >= (start.year, start.month) if start.day == 1 else date(year, month, 1) >= start
