"""The contract's sections as frozen pydantic models, each checking its own values: the calendar
(working hours as intervals, extra days, a country's holidays), the contract's identity and fee, priorities,
statuses, categories, surveys, feedback, availability, penalties and obligations; text fields are plain
printable text of a bounded length."""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

from sla_core.contract_rules import RuleMatch
from sla_core.terms_base import Duration, Frozen, _fail

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


def plain_text(limit: int, *, required: bool = False, newlines: bool = False) -> AfterValidator:
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


Name = Annotated[str, plain_text(200)]
Label = Annotated[str, plain_text(100, required=True)]


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
    id: Annotated[str, plain_text(32, required=True)]
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
