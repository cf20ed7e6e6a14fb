"""The contract: TOML → frozen pydantic models, versions deep-merged, the terms in force for a month.

A contract file holds the base terms and `[[versions]]` agreed later. Each version is merged onto the
terms before it (tables by key, priorities by id, other arrays replaced) and validated as a whole, so
every `Terms` object is complete. Errors name the key as people count (`priorities[2].response`).
"""

from __future__ import annotations

import copy
import itertools
import re
import tomllib
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_serializer,
    model_validator,
)

from sla_core.contract_rules import CustomKpi as CustomKpi  # re-exported
from sla_core.contract_rules import (
    RuleMatch,
    TargetRule,
    check_names,
    number_rules,
)
from sla_core.i18n.kpis import KPIS
from sla_core.problems import Issue, error, warning
from sla_core.terms_base import Duration, Frozen, _fail, fail_at, parse_target
from sla_core.terms_base import Target as Target  # re-exported
from sla_core.terms_base import format_duration as format_duration  # re-exported
from sla_core.terms_base import parse_duration as parse_duration  # re-exported

# Built-in KPIs a contract adds to the table only when it uses them (spec "Rule (conditional targets)":
# `workaround_within_target` joins when any target names the workaround milestone), after this one:
OPTIONAL_KPIS: dict[str, str] = {"workaround_within_target": "resolution_within_target"}
# KPI ids in the spec's table order (that of their declarations in `i18n.kpis`, the one list of them,
# less the optional ones); every output lists them in this order.
KPI_IDS: tuple[str, ...] = tuple(k for k in KPIS if k not in OPTIONAL_KPIS)
ALL_KPI_IDS: tuple[str, ...] = (*KPI_IDS, *OPTIONAL_KPIS)
RATE_KPIS: frozenset[str] = frozenset(k for k, d in KPIS.items() if d.unit == "rate")
CATEGORIES: tuple[str, ...] = ("inquiry", "fault", "request", "complaint", "suggestion", "feedback")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CANONICAL_STATES: tuple[str, ...] = ("new", "active", "pause", "resolved", "closed", "cancelled")


# ---------------------------------------------------------------- calendar

_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class Interval(BaseModel):
    """`[open, close)` in seconds after local midnight; close may be 86400 (`24:00`)."""

    model_config = ConfigDict(frozen=True)
    open: int
    close: int

    @classmethod
    def parse(cls, text: object) -> Interval:
        m = _INTERVAL.match(text) if isinstance(text, str) else None
        if not m:
            raise _fail(
                "interval",
                f'{text!r} 不是时段，应写作 "09:00-18:00"',
                f'{text!r} is not an interval like "09:00-18:00"',
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
            raise _fail("interval", f'"{text}" 时间无效', f'"{text}" has an impossible time (max 24:00)')
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if end <= start:
            raise _fail(
                "interval",
                f'"{text}" 结束不晚于开始',
                f'"{text}" closes before it opens (split overnight shifts)',
            )
        return cls(open=start, close=end)

    @model_serializer
    def _as_text(self) -> str:
        return str(self)

    def __str__(self) -> str:
        def hm(s: int) -> str:
            return f"{s // 3600:02d}:{s % 3600 // 60:02d}"

        return f"{hm(self.open)}-{hm(self.close)}"


def _intervals(value: object) -> tuple[Interval, ...]:
    if not isinstance(value, list | tuple):
        raise _fail("intervals", '应为时段列表，如 ["09:00-12:00"]', 'expected a list like ["09:00-12:00"]')
    parsed = sorted(
        (v if isinstance(v, Interval) else Interval.parse(v) for v in value), key=lambda i: i.open
    )
    for a, b in itertools.pairwise(parsed):
        if b.open < a.close:
            raise _fail("intervals", f"时段 {a} 与 {b} 重叠", f"intervals {a} and {b} overlap")
    return tuple(parsed)


Intervals = Annotated[tuple[Interval, ...], BeforeValidator(_intervals)]


class WeekHours(Frozen):
    mon: Intervals = ()
    tue: Intervals = ()
    wed: Intervals = ()
    thu: Intervals = ()
    fri: Intervals = ()
    sat: Intervals = ()
    sun: Intervals = ()

    def for_weekday(self, weekday: int) -> tuple[Interval, ...]:
        return getattr(self, WEEKDAYS[weekday])  # type: ignore[no-any-return]

    def first_working_weekday(self) -> tuple[Interval, ...]:
        """Hours a make-up or extra workday on a closed weekday works (Monday's, normally)."""
        return next((self.for_weekday(d) for d in range(7) if self.for_weekday(d)), ())


class CalendarTerms(Frozen):
    country: str = ""
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    special_hours: dict[date, Intervals] = Field(default_factory=dict)
    hours: WeekHours = WeekHours(
        mon=(Interval(open=32400, close=64800),),
        tue=(Interval(open=32400, close=64800),),
        wed=(Interval(open=32400, close=64800),),
        thu=(Interval(open=32400, close=64800),),
        fri=(Interval(open=32400, close=64800),),
    )

    @field_validator("country")
    @classmethod
    def _known_country(cls, v: str) -> str:
        if v:
            import holidays

            if v.upper() not in holidays.list_supported_countries():
                raise _fail(
                    "country",
                    f'"{v}" 不是已知国家代码（如 CN）',
                    f'"{v}" is not a known country code (e.g. CN)',
                )
        return v.upper()

    @model_validator(mode="after")
    def _disjoint_extras(self) -> CalendarTerms:
        both = sorted(set(self.extra_holidays) & set(self.extra_workdays))
        if both:
            days = ", ".join(d.isoformat() for d in both)
            raise _fail(
                "calendar",
                f"日期 {days} 同时出现在 extra_holidays 和 extra_workdays 中",
                f"{days} is in both extra_holidays and extra_workdays",
            )
        if not any(self.hours.for_weekday(d) for d in range(7)):
            raise _fail("calendar", "每周至少要有一天有工作时间", "at least one weekday needs working hours")
        return self


# ---------------------------------------------------------------- the other sections

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ID_MAX = 64
# ISO 4217 currencies in use (funds and units of account included; metals, testing and "no currency" not)
_ISO_4217_CODES = """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
    MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR
    SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
    USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL"""
ISO_4217 = frozenset(_ISO_4217_CODES.split())
# bidirectional overrides and isolates: they make text read differently from what it is
_JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiners build emoji, Persian and Indic text
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _plain(limit: int, *, required: bool = False, newlines: bool = False) -> AfterValidator:
    """Printable text of at most `limit` characters (no control characters, no bidi overrides)."""

    def check(v: str) -> str:
        if required and not v.strip():
            raise _fail("text", "不能为空", "cannot be empty")
        if len(v) > limit:
            raise _fail(
                "text", f"超过 {limit} 个字符（{len(v)}）", f"is longer than {limit} characters ({len(v)})"
            )
        bad = [
            c
            for c in v
            if c in _BIDI
            or (
                unicodedata.category(c) in ("Cc", "Cf") and c not in _JOINERS and not (newlines and c == "\n")
            )
        ]
        if bad:
            shown = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
            raise _fail("text", f"含有控制字符（{shown}）", f"holds control characters ({shown})")
        return v

    return AfterValidator(check)


Name = Annotated[str, _plain(200)]
Label = Annotated[str, _plain(100, required=True)]


class ContractInfo(Frozen):
    id: str
    name: Name = ""
    client: Name = ""
    provider: Name = ""
    timezone: str = "Asia/Shanghai"
    currency: str = "CNY"
    monthly_fee: Decimal = Decimal(0)
    effective_from: date
    effective_to: date | None = None
    no_data_counts_as_missed: bool = False
    # doc 003 (例外情形须双方确认): an exclusion in the provider's export is a request until the client
    # approves it; "accepted" trusts the export's exclusions as they are
    provider_exclusions: Literal["request", "accepted"] = "request"
    # the priority id of tickets whose export gives none (Zendesk's optional priority, event logs)
    default_priority: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise _fail("id", f'"{v}" 只能包含 a-z、0-9 和 -', f'"{v}" may hold only a-z, 0-9 and -')
        if len(v) > ID_MAX:
            raise _fail("id", f"编号超过 {ID_MAX} 个字符", f"the id is longer than {ID_MAX} characters")
        return v

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        if v not in ISO_4217:
            raise _fail(
                "currency",
                f"{v[:20]!r} 不是 ISO 4217 货币代码（如 CNY、USD、EUR）",
                f"{v[:20]!r} is not an ISO 4217 currency code (like CNY, USD, EUR)",
            )
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise _fail(
                "timezone",
                f'"{v}" 不是 IANA 时区（如 Asia/Shanghai）',
                f'"{v}" is not an IANA zone like Asia/Shanghai',
            ) from None
        return v

    @field_validator("monthly_fee")
    @classmethod
    def _fee(cls, v: Decimal) -> Decimal:
        if v < 0:
            raise _fail("fee", "月费不能为负", "the monthly fee cannot be negative")
        return v


class Priority(Frozen):
    id: Annotated[str, _plain(32, required=True)]
    labels: tuple[Label, ...] = ()
    clock: Literal["24x7", "business"] = "business"
    response: Duration
    resolution: Duration


class PauseTerms(Frozen):
    states: tuple[Label, ...] = ()


class StatusTerms(Frozen):
    """Raw status labels of this contract's exports with a meaning the presets may not know."""

    cancelled: tuple[str, ...] = ()  # tickets in these states are excluded with reason "cancelled"


class CategoryTerms(Frozen):
    inquiry: tuple[Label, ...] = ("咨询", "inquiry")
    fault: tuple[Label, ...] = ("故障", "fault", "incident")
    request: tuple[Label, ...] = ("需求", "request")
    complaint: tuple[Label, ...] = ("投诉", "complaint")
    suggestion: tuple[Label, ...] = ("建议", "suggestion")
    feedback: tuple[Label, ...] = ("反馈", "feedback")


class SurveyTerms(Frozen):
    min: Decimal = Decimal(1)
    scale: Decimal = Decimal(5)
    satisfied_at: Decimal = Decimal(4)
    dimensions: tuple[Label, ...] = ()

    @model_validator(mode="after")
    def _order(self) -> SurveyTerms:
        if not self.min < self.scale:
            raise _fail("surveys", "min 必须小于 scale", "min must be below scale")
        if not self.min <= self.satisfied_at <= self.scale:
            raise _fail(
                "surveys",
                "satisfied_at 必须在 min 与 scale 之间",
                "satisfied_at must lie between min and scale",
            )
        return self


class FeedbackTerms(Frozen):
    categories: tuple[Literal["inquiry", "fault", "request", "complaint", "suggestion", "feedback"], ...] = (
        "complaint",
        "feedback",
    )
    clock: Literal["24x7", "business"] = "24x7"
    acknowledge: Duration = 900
    classify: Duration = 7200
    process: Duration = 86400


class AvailabilityTerms(Frozen):
    notice: Duration | None = None
    restore_within: Duration = 7200


PenaltyRate = Annotated[Decimal, Field(ge=0)]


class FixedAmount(Frozen):
    amount: PenaltyRate


# A penalty is a percentage of the monthly fee (a number) or a fixed amount ({ amount = 500 }).
Penalty = PenaltyRate | FixedAmount


class PenaltyTerms(Frozen):
    per_breached_ticket: dict[
        Literal["response", "workaround", "resolution"], Penalty | dict[str, Penalty]
    ] = Field(default_factory=dict)
    per_missed_kpi: Penalty | dict[str, Penalty] | None = None  # a table: KPI ids, contract KPIs included
    cap: Annotated[Decimal, Field(ge=0)] | None = None
    cap_period: Literal["month", "contract_year", "contract"] = "month"


class ObligationTerms(Frozen):
    improvement_plan_after_months: Annotated[int, Field(ge=1)] = 3
    improvement_plan_due_days: Annotated[int, Field(ge=0)] = 15
    satisfaction_investigation_workdays: Annotated[int, Field(ge=0)] = 2
    satisfaction_findings_workdays: Annotated[int, Field(ge=0)] = 5
    provider_report_day: Annotated[int, Field(ge=1, le=28)] | None = 5
    # doc 002 (客户满意度服务保障协议), each off when not set:
    # 3.1(3) the month's satisfaction evaluation within N working days after it ends…
    satisfaction_evaluation_workdays: Annotated[int, Field(ge=1)] | None = None
    # …and its results to the client by this day of the next month (a closed day: the next working day)
    satisfaction_results_day: Annotated[int, Field(ge=1, le=28)] | None = None
    # 4.1 the client may object within N working days of receiving the results
    objection_workdays: Annotated[int, Field(ge=1)] | None = None
    # 4.1(3) remedies within N working days of an investigation's findings
    remedy_workdays: Annotated[int, Field(ge=1)] | None = None
    # 4.1 a major complaint (these tickets) starts the investigation as a low satisfaction does
    major_complaint: RuleMatch | None = None


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
    note: Annotated[str, _plain(1000, newlines=True)] = ""

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


# ---------------------------------------------------------------- loading

_SECTIONS = {
    "contract",
    "calendar",
    "priorities",
    "pause",
    "statuses",
    "categories",
    "surveys",
    "feedback",
    "availability",
    "kpis",
    "penalties",
    "obligations",
    "targets",
    "custom_kpis",
}


def deep_merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """Tables merge by key, priorities by id, other arrays are replaced."""
    out = copy.deepcopy(base)
    for key, value in change.items():
        if key == "priorities" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = _merge_priorities(out[key], value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _merge_priorities(base: list[Any], change: list[Any]) -> list[Any]:
    merged = copy.deepcopy(base)
    index = {p.get("id"): i for i, p in enumerate(merged) if isinstance(p, dict)}
    for p in change:
        if isinstance(p, dict) and p.get("id") in index:
            merged[index[p["id"]]] = deep_merge(merged[index[p["id"]]], p)
        else:
            merged.append(copy.deepcopy(p))
    return merged


def key_path(loc: tuple[int | str, ...]) -> str:
    """('priorities', 1, 'response') → 'priorities[2].response' (1-based, as people count)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif part in ("function-after[_intervals(), tuple[Interval, ...]]",) or part.startswith(
            ("function-", "lax-", "json-or-python")
        ):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


_BUILTIN_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "is required"),
    "extra_forbidden": ("不是可识别的键（拼写错误？）", "is not a known key (a typo?)"),
    "literal_error": ("取值不在允许范围内", "is not one of the allowed values"),
    "date_from_datetime_parsing": ("不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"),
    "date_parsing": ("不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"),
    "date_type": ("不是日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)"),
}


def _issue_from_error(err: Any, file: str | None, prefix: str = "") -> Issue:
    ctx = err.get("ctx") or {}
    path = key_path(tuple(err["loc"])) or str(ctx.get("key") or "")
    if prefix:
        path = f"{prefix}.{path}" if path else prefix
    value = err.get("input")
    value_text = None if isinstance(value, dict | list) else str(value)
    if "zh" in ctx and "en" in ctx:
        zh, en = ctx["zh"], ctx["en"]
    elif err["type"] in _BUILTIN_MESSAGES:
        zh, en = _BUILTIN_MESSAGES[err["type"]]
        if err["type"] == "literal_error" and "expected" in ctx:
            zh, en = f"{zh}：{ctx['expected']}", f"{en}: {ctx['expected']}"
    else:
        zh, en = f"无效：{err['msg']}", f"is invalid: {err['msg']}"
    return error(
        "contract.invalid", f"{path}：{zh}", f"{path}: {en}", file=file, column=path, value=value_text
    )


class ContractError(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(i.en for i in issues if i.level == "error"))


def _validate(raw: dict[str, Any], file: str | None, prefix: str = "") -> tuple[Terms | None, list[Issue]]:
    try:
        return Terms.model_validate(raw), []
    except ValidationError as exc:
        return None, [_issue_from_error(e, file, prefix) for e in exc.errors()]


def parse_contract(text: str, file: str | None = None) -> tuple[Contract | None, list[Issue]]:
    """Parse and validate a contract; all problems are returned together."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [error("contract.toml", f"TOML 语法错误：{exc}", f"TOML syntax error: {exc}", file=file)]
    return contract_from_raw(raw, file=file, text=text)


def contract_to_toml(raw: dict[str, Any]) -> str:
    """The TOML text of a raw contract table (as edited on the Contract page)."""
    import tomli_w

    return tomli_w.dumps(raw)


def contract_from_raw(
    raw: dict[str, Any], *, file: str | None = None, text: str | None = None
) -> tuple[Contract | None, list[Issue]]:
    """Validate a contract given as the table TOML would parse to."""
    raw = copy.deepcopy(raw)
    if text is None:
        text = contract_to_toml(raw)
    issues: list[Issue] = []
    schema = raw.pop("schema", 1)
    if schema != 1:
        issues.append(
            error(
                "contract.invalid",
                f"schema：不支持版本 {schema}",
                f"schema: version {schema} is not supported",
                file=file,
                column="schema",
            )
        )
    raw_versions = raw.pop("versions", [])
    if not isinstance(raw_versions, list):
        issues.append(
            error(
                "contract.invalid",
                "versions：应为 [[versions]] 表数组",
                "versions: expected an array of [[versions]] tables",
                file=file,
                column="versions",
            )
        )
        raw_versions = []
    base_raw = dict(raw)
    contract_table = base_raw.get("contract")
    base_raw["effective_from"] = (
        contract_table.get("effective_from") if isinstance(contract_table, dict) else None
    )
    base, problems = _validate(base_raw, file)
    issues += problems
    if base is None:
        return None, issues

    ordered = sorted(
        enumerate(raw_versions, start=1),
        key=lambda iv: str(iv[1].get("effective_from", "")) if isinstance(iv[1], dict) else "",
    )
    terms: list[Terms] = [base]
    merged = base_raw
    for number, version in ordered:
        where = f"versions[{number}]"
        if not isinstance(version, dict):
            issues.append(
                error(
                    "contract.invalid",
                    f"{where}：应为表",
                    f"{where}: expected a table",
                    file=file,
                    column=where,
                )
            )
            continue
        unknown = sorted(set(version) - _SECTIONS - {"effective_from", "note"})
        for key in unknown:
            issues.append(
                error(
                    "contract.invalid",
                    f"{where}.{key}：不是可识别的键",
                    f"{where}.{key}: is not a known key",
                    file=file,
                    column=f"{where}.{key}",
                )
            )
        if "effective_from" not in version:
            issues.append(
                error(
                    "contract.invalid",
                    f"{where}.effective_from：缺少必填项",
                    f"{where}.effective_from: is required",
                    file=file,
                    column=f"{where}.effective_from",
                )
            )
            continue
        fixed = version.get("contract", {})
        for key in ("id", "timezone"):
            if isinstance(fixed, dict) and key in fixed and fixed[key] != base_raw["contract"].get(key):
                issues.append(
                    error(
                        "contract.invalid",
                        f"{where}.contract.{key}：版本中不能更改",
                        f"{where}.contract.{key}: cannot change in a version",
                        file=file,
                        column=f"{where}.contract.{key}",
                    )
                )
        change = {k: v for k, v in version.items() if k in _SECTIONS}
        merged = deep_merge(merged, change)
        merged["effective_from"] = version["effective_from"]
        merged["note"] = str(version.get("note", ""))
        version_terms, problems = _validate(merged, file, prefix="")
        if problems:
            issues += [_relocate(p, where, version, merged.get("priorities") or []) for p in problems]
            continue
        if version_terms is None:  # an invariant, checked even under python -O
            raise RuntimeError("version_terms is missing")
        if version_terms.effective_from.day != 1:
            issues.append(
                warning(
                    "contract.version_mid_month",
                    f"{where}.effective_from：{version_terms.effective_from} 不是月初；"
                    "每个月按其第一天有效的条款评判",
                    f"{where}.effective_from: {version_terms.effective_from} is not the 1st of a month; "
                    "months are judged by the terms in force on their first day",
                    file=file,
                    column=f"{where}.effective_from",
                )
            )
        if version_terms.effective_from <= base.effective_from:
            issues.append(
                warning(
                    "contract.version_before_start",
                    f"{where}.effective_from：早于或等于合同生效日",
                    f"{where}.effective_from: not after the contract's effective_from",
                    file=file,
                    column=f"{where}.effective_from",
                )
            )
        terms.append(version_terms)
    if any(i.level == "error" for i in issues):
        return None, issues
    return Contract(versions=tuple(terms), source_text=text), issues


def _relocate(issue: Issue, where: str, version: dict[str, Any], merged_priorities: list[Any]) -> Issue:
    """Errors found in merged terms point at the version that introduced the value."""
    path = issue.column or ""
    m = re.match(r"priorities\[(\d+)\]", path)
    if m and isinstance(version.get("priorities"), list):
        # the merged list keeps the base order; point at the version's own entry for that id
        merged_id = merged_priorities[int(m.group(1)) - 1].get("id") if merged_priorities else None
        own = [
            i
            for i, p in enumerate(version["priorities"], start=1)
            if isinstance(p, dict) and p.get("id") == merged_id
        ]
        if own:
            path = f"priorities[{own[0]}]{path[m.end() :]}"
            issue = Issue(
                issue.level,
                issue.code,
                issue.zh.replace(issue.column or "", path, 1),
                issue.en.replace(issue.column or "", path, 1),
                issue.file,
                issue.sheet,
                issue.row,
                path,
                issue.value,
            )
    head = path.split(".")[0].split("[")[0]
    if head in version or path.startswith("effective_from"):
        new = f"{where}.{path}"
        return Issue(
            issue.level,
            issue.code,
            issue.zh.replace(path, new, 1),
            issue.en.replace(path, new, 1),
            issue.file,
            issue.sheet,
            issue.row,
            new,
            issue.value,
        )
    return issue


def load_contract(path: str | Path) -> Contract:
    """Read a contract file; raise ContractError with every problem if it is invalid."""
    p = Path(path)
    contract, issues = parse_contract(p.read_text(encoding="utf-8"), file=p.name)
    if contract is None:
        raise ContractError(issues)
    return contract


def contract_warnings(text: str) -> list[Issue]:
    return [i for i in parse_contract(text)[1] if i.level == "warning"]


def decimal_or_none(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
