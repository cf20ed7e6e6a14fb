"""Business time, vectorised: a table of working intervals and the working seconds before each.

`position(t)` maps an instant to the working seconds elapsed since the table starts, so the business
time between two instants is `position(b) - position(a)` — one `searchsorted` for a million tickets.
Working time is `[open, close)` in the contract's zone; the table is built day by day (a few thousand
days, never per ticket), each local boundary converted to UTC on its own, so DST days are as long as
they really are.

Instants are float64 epoch seconds (exact for whole seconds; NaN = missing).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from sla_core.contract import CalendarTerms, Interval

FloatArray = np.ndarray


class Clock(Protocol):
    def position(self, t: FloatArray) -> FloatArray: ...

    def elapsed(self, start: FloatArray, end: FloatArray) -> FloatArray: ...

    def add(self, start: FloatArray, seconds: FloatArray | float) -> FloatArray: ...


class WallClock:
    """The `24x7` clock: every second counts."""

    def position(self, t: FloatArray) -> FloatArray:
        return np.asarray(t, dtype="float64")

    def elapsed(self, start: FloatArray, end: FloatArray) -> FloatArray:
        return np.asarray(end, dtype="float64") - np.asarray(start, dtype="float64")

    def add(self, start: FloatArray, seconds: FloatArray | float) -> FloatArray:
        return np.asarray(start, dtype="float64") + seconds


WALL_CLOCK = WallClock()


class CalendarRangeError(ValueError):
    """An instant outside the days the calendar was built for."""


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    zone: ZoneInfo
    first_day: date
    last_day: date  # inclusive
    starts: np.ndarray  # UTC epoch seconds of each working interval's opening, ascending
    ends: np.ndarray  # closing instants, exclusive
    cum: np.ndarray  # working seconds before starts[i]
    working_days: np.ndarray  # ordinals of local dates with any working time
    unpublished_years: frozenset[int] = field(default_factory=frozenset)
    day_hours: dict[date, tuple[Interval, ...]] = field(default_factory=dict)

    @property
    def lower(self) -> float:
        return _epoch(self.first_day, 0, self.zone)

    @property
    def upper(self) -> float:
        return _epoch(self.last_day + timedelta(days=1), 0, self.zone)

    def _check(self, t: FloatArray) -> None:
        finite = t[~np.isnan(t)]
        if finite.size and (finite.min() < self.lower or finite.max() > self.upper):
            raise CalendarRangeError(f"instant outside the calendar's days {self.first_day}..{self.last_day}")

    def position(self, t: FloatArray) -> FloatArray:
        """Working seconds from the calendar's first day up to each instant."""
        t = np.asarray(t, dtype="float64")
        self._check(t)
        if self.starts.size == 0:
            return np.where(np.isnan(t), np.nan, 0.0)
        idx = np.searchsorted(self.starts, t, side="right") - 1
        safe = np.clip(idx, 0, None)
        inside = np.clip(t - self.starts[safe], 0, self.ends[safe] - self.starts[safe])
        pos = np.where(idx < 0, 0.0, self.cum[safe] + inside)
        return np.where(np.isnan(t), np.nan, pos)

    def elapsed(self, start: FloatArray, end: FloatArray) -> FloatArray:
        return self.position(end) - self.position(start)

    def add(self, start: FloatArray, seconds: FloatArray | float) -> FloatArray:
        """The instant `seconds` of working time after `start` (before it, when negative).

        A deadline that lands exactly on a closing time is that closing instant, the convention of
        Zammad and working_hours; pandas and biz give the next opening, the same business time.
        """
        start = np.asarray(start, dtype="float64")
        seconds = np.broadcast_to(np.asarray(seconds, dtype="float64"), start.shape)
        target = self.position(start) + seconds
        lengths = self.ends - self.starts
        cum_end = self.cum + lengths
        forward = seconds >= 0
        # forward: the first interval whose end reaches the target; backward: the last whose start does
        i_fwd = np.clip(np.searchsorted(cum_end, target, side="left"), 0, self.starts.size - 1)
        i_bwd = np.clip(np.searchsorted(self.cum, target, side="right") - 1, 0, self.starts.size - 1)
        idx = np.where(forward, i_fwd, i_bwd)
        result = self.starts[idx] + (target - self.cum[idx])
        # a zero duration from outside working time stays where it is
        result = np.where(seconds == 0, start, result)
        if np.any(~np.isnan(target) & ((target > cum_end[-1]) | (target < 0))):
            raise CalendarRangeError("deadline beyond the calendar's days")
        return np.where(np.isnan(start), np.nan, result)

    def next_opening(self, t: FloatArray) -> FloatArray:
        """Where a start outside working time begins counting (itself when inside)."""
        t = np.asarray(t, dtype="float64")
        pos = self.position(t)
        lengths = self.ends - self.starts
        idx = np.clip(np.searchsorted(self.cum + lengths, pos, side="right"), 0, self.starts.size - 1)
        return self.starts[idx] + (pos - self.cum[idx])

    def is_working_day(self, day: date) -> bool:
        i = np.searchsorted(self.working_days, day.toordinal())
        return bool(i < self.working_days.size and self.working_days[i] == day.toordinal())

    def working_days_after(self, day: date, n: int) -> date:
        """The n-th working day after `day` (day itself not counted); n = 0 gives `day`."""
        if n <= 0:
            return day
        i = int(np.searchsorted(self.working_days, day.toordinal(), side="right")) + n - 1
        if i >= self.working_days.size:
            raise CalendarRangeError(f"{n} working days after {day} lies beyond the calendar's days")
        return date.fromordinal(int(self.working_days[i]))

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        return self.day_hours.get(day, ())


def _epoch(day: date, seconds: int, zone: ZoneInfo) -> float:
    day = day + timedelta(days=seconds // 86400)
    s = seconds % 86400
    local = datetime(day.year, day.month, day.day, s // 3600, s % 3600 // 60, s % 60, tzinfo=zone)
    return local.timestamp()


@functools.lru_cache(maxsize=16)
def official_days(
    country: str, first_year: int, last_year: int
) -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    """(public holidays, official make-up workdays, years with no published schedule)."""
    if not country:
        return frozenset(), frozenset(), frozenset()
    years = range(first_year, last_year + 1)
    # Probe a few published years too, to learn whether this country announces make-up workdays at all.
    calendar = holidays.country_holidays(
        country, years=range(min(first_year, 2020), last_year + 1), categories=("public",)
    )
    make_up = frozenset(d for d in calendar.weekend_workdays if first_year <= d.year <= last_year)
    announces = bool(calendar.weekend_workdays)
    published = {d.year for d in calendar.weekend_workdays} if announces else set(years)
    unpublished = frozenset(y for y in years if y not in published)
    public = frozenset(d for d in calendar if first_year <= d.year <= last_year and d.year not in unpublished)
    return public, frozenset(d for d in make_up if d.year not in unpublished), unpublished


def hours_for_day(
    day: date, terms: CalendarTerms, public: frozenset[date], make_up: frozenset[date]
) -> tuple[Interval, ...]:
    """The working intervals of one local date, by the spec's precedence."""
    if day in terms.special_hours:
        return terms.special_hours[day]
    weekly = terms.hours.for_weekday(day.weekday())
    if day in terms.extra_workdays or (day in make_up and day not in terms.extra_holidays):
        return weekly or terms.hours.first_working_weekday()
    if day in terms.extra_holidays or day in public:
        return ()
    return weekly


@functools.lru_cache(maxsize=32)
def _build(terms_json: str, zone_name: str, first_day: date, last_day: date) -> BusinessCalendar:
    terms = CalendarTerms.model_validate_json(terms_json)
    zone = ZoneInfo(zone_name)
    public, make_up, unpublished = official_days(terms.country, first_day.year, last_day.year)
    starts: list[float] = []
    ends: list[float] = []
    working: list[int] = []
    day_hours: dict[date, tuple[Interval, ...]] = {}
    day = first_day
    while day <= last_day:
        hours = hours_for_day(day, terms, public, make_up)
        day_hours[day] = hours
        if hours:
            working.append(day.toordinal())
        for interval in hours:
            a, b = _epoch(day, interval.open, zone), _epoch(day, interval.close, zone)
            if b <= a:  # an interval swallowed by a DST gap
                continue
            if ends and a <= ends[-1]:  # touching the previous day's interval (…-24:00, 00:00-…)
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        day += timedelta(days=1)
    s = np.asarray(starts, dtype="float64")
    e = np.asarray(ends, dtype="float64")
    cum = np.concatenate([[0.0], np.cumsum(e - s)[:-1]]) if s.size else np.zeros(0)
    return BusinessCalendar(
        zone=zone,
        first_day=first_day,
        last_day=last_day,
        starts=s,
        ends=e,
        cum=cum,
        working_days=np.asarray(working, dtype="int64"),
        unpublished_years=unpublished,
        day_hours=day_hours,
    )


def build_calendar(terms: CalendarTerms, zone: str, first_day: date, last_day: date) -> BusinessCalendar:
    """The calendar for whole years around the range, so that nearby ranges share one table."""
    return _build(
        terms.model_dump_json(), zone, date(first_day.year - 1, 1, 1), date(last_day.year + 1, 12, 31)
    )


def clock_for(kind: str, calendar: BusinessCalendar) -> Clock:
    return WALL_CLOCK if kind == "24x7" else calendar
