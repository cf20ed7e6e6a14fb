"""The period a report is made for: a month or a quarter of the evaluation, or a ReportError naming
what is wrong; the download name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sla_core.evaluate import Evaluation, PeriodResult
from sla_core.i18n import WORDS
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


def both(key: str, **values: object) -> tuple[str, str]:
    """The pack's word `key` in both languages, its {placeholders} filled (for a message in both)."""
    zh, en = WORDS[key]
    return zh.format(**values), en.format(**values)


class ReportError(ValueError):
    """A period or contract the report cannot be made for; the message in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def report_filename(contract_id: str, period: str, lang: str, fmt: str = "xlsx") -> str:
    """A download name: `<contract>_2026Q2_<the pack's word quarterly>.xlsx` in Chinese,
    demo-helpdesk_2026-06_monthly-report.pdf in English."""
    quarterly = "Q" in period
    if lang == "zh":
        kind = WORDS["quarterly" if quarterly else "monthly"][0]
    else:
        kind = "quarterly-review" if quarterly else "monthly-report"
    return f"{contract_id}_{period}_{kind}.{fmt}"


@dataclass
class ReportPeriod:
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


def resolve_period(evaluation: Evaluation, period: str) -> ReportPeriod:
    """The period's results, or a ReportError naming what is wrong."""
    period = period.strip()
    if QUARTER_RE.match(period):
        result = evaluation.quarter(period)
        if result is None:
            known = ", ".join(q.label for q in evaluation.quarters) or "—"
            raise ReportError(*both("no_such_quarter", period=period, known=known))
        keys = quarter_months(period)
        months = [m for k in keys if (m := evaluation.month(month_label(k))) is not None]
        previous = evaluation.quarter(quarter_of(keys[0] - 1))
        return ReportPeriod(
            period, True, result, months, previous, keys, month_first_day(keys[0]), month_last_day(keys[-1])
        )
    if MONTH_RE.match(period):
        key = month_key(period)
        result = evaluation.month(period) if 1 <= int(period[5:]) <= 12 else None
        if result is None:
            known = (
                f"{evaluation.months[0].label} … {evaluation.months[-1].label}" if evaluation.months else "—"
            )
            raise ReportError(*both("no_such_month", period=period, known=known))
        previous = evaluation.month(month_label(key - 1))
        return ReportPeriod(
            period, False, result, [result], previous, [key], month_first_day(key), month_last_day(key)
        )
    raise ReportError(*both("bad_period", period=repr(period)))
