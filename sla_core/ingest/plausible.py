"""How far from its contract a date can be and still be true.

A time more than 20 years before the contract starts (year 1000, 1899, Excel's 1900, the typo 1026 for
2026) or more than a year after the later of the import and the contract's end (3026) is an error on its
row: imported, one such value would stretch every evaluation over centuries of empty months. The window
is generous on purpose — history from before the contract (its months are unjudged) and planned outages
ahead are ordinary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from sla_core.contract import Terms

YEARS_BEFORE_START = 20
YEARS_AFTER = 1


@dataclass(frozen=True)
class Window:
    earliest: pd.Timestamp  # UTC, inclusive
    latest: pd.Timestamp  # UTC, inclusive
    start: date  # the contract's effective_from
    end: date | None  # the contract's effective_to when it, not the import, sets `latest`

    def too_early(self, utc: pd.Series) -> pd.Series:
        return (utc < self.earliest).fillna(False).astype(bool)

    def too_late(self, utc: pd.Series) -> pd.Series:
        return (utc > self.latest).fillna(False).astype(bool)

    def month_bounds(self, zone: str) -> tuple[str, str]:
        """The first and last plausible month ('YYYY-MM') in the contract's zone."""
        return (
            self.earliest.tz_convert(zone).strftime("%Y-%m"),
            self.latest.tz_convert(zone).strftime("%Y-%m"),
        )

    def early_words(self) -> tuple[str, str]:
        return (
            f"比合同生效日（{self.start}）早 {YEARS_BEFORE_START} 年以上，不可信：请检查年份",
            f"is more than {YEARS_BEFORE_START} years before the contract starts ({self.start}): check the year",
        )

    def late_words(self) -> tuple[str, str]:
        zh_ref, en_ref = (
            (f"合同结束日（{self.end}）", f"the contract ends ({self.end})")
            if self.end is not None
            else ("导入时间", "the import time")
        )
        return (
            f"比{zh_ref}晚一年以上，不可信：请检查年份",
            f"is more than a year after {en_ref}: check the year",
        )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year - years, day=28)


def window(terms: Terms, now: pd.Timestamp) -> Window:
    """The plausible times for data read against these terms, `now` being the import time (UTC)."""
    zone = terms.zone
    start = terms.contract.effective_from
    earliest = pd.Timestamp(datetime.combine(_years_before(start, YEARS_BEFORE_START), time(), zone))
    end = terms.contract.effective_to
    reference, by_end = now, None
    if end is not None:
        end_of_day = pd.Timestamp(datetime.combine(end + timedelta(days=1), time(), zone))
        if end_of_day > now:
            reference, by_end = end_of_day, end
    latest = reference + pd.DateOffset(years=YEARS_AFTER)
    return Window(
        earliest=earliest.tz_convert("UTC"), latest=latest.tz_convert("UTC"), start=start, end=by_end
    )
