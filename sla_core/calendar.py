"""Business time, vectorised: a table of working intervals and the working seconds before each.

`position(t)` maps an instant to the working seconds elapsed since the table starts, so the business
time between two instants is `position(b) - position(a)` — one `searchsorted` for a million tickets.
Working time is `[open, close)` in the contract's zone; the table is built day by day (a few thousand
days, never per ticket), each local boundary converted to UTC on its own, so DST days are as long as
they really are (a 00:00-24:00 day lasts 23 h or 25 h). An interval opens when the wall clock first
reaches its opening time and closes when it first reaches its closing time: in the repeated autumn
hour that is the first occurrence; an opening or closing inside the spring gap happens at the jump.

Conventions (checked against six other implementations in tests/core/test_calendar_oracles.py):
`add` lands on the closing instant when a deadline uses a working period up exactly (backwards: on the
opening); `add(t, 0)` is `t`; `elapsed(a, b)` is `position(b) - position(a)`, negative when b < a.

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
        seconds: FloatArray = np.asarray(end, dtype="float64") - np.asarray(start, dtype="float64")
        return seconds

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
        seconds: FloatArray = self.position(end) - self.position(start)
        return seconds

    def add(self, start: FloatArray, seconds: FloatArray | float) -> FloatArray:
        """The instant `seconds` of working time after `start` (before it, when negative).

        A deadline that lands exactly on a closing time is that closing instant, the convention of
        Zammad and working_hours; pandas and biz give the next opening, the same business time.
        """
        start, seconds = np.broadcast_arrays(
            np.asarray(start, dtype="float64"), np.asarray(seconds, dtype="float64")
        )
        target = self.position(start) + seconds
        if self.starts.size == 0:
            if np.any(~np.isnan(target) & (seconds != 0)):
                raise CalendarRangeError("deadline beyond the calendar's days")
            return np.where(np.isnan(seconds), np.nan, start)
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

    def in_working_time(self, t: FloatArray) -> np.ndarray:
        """Whether each instant lies in working time, `[open, close)` (False for NaN)."""
        t = np.asarray(t, dtype="float64")
        self._check(t)
        if self.starts.size == 0:
            return np.zeros(t.shape, dtype=bool)
        idx = np.searchsorted(self.starts, t, side="right") - 1
        safe = np.clip(idx, 0, None)
        return (idx >= 0) & (t < self.ends[safe])

    def next_opening(self, t: FloatArray) -> FloatArray:
        """Where a start outside working time begins counting (itself when inside)."""
        t = np.asarray(t, dtype="float64")
        pos = self.position(t)
        idx = np.searchsorted(self.cum + (self.ends - self.starts), pos, side="right")
        if np.any(~np.isnan(pos) & (idx >= self.starts.size)):
            raise CalendarRangeError("no opening left within the calendar's days")
        if self.starts.size == 0:  # only NaN asked
            return pos
        idx = np.minimum(idx, self.starts.size - 1)  # NaN sorts last
        return np.where(np.isnan(pos), np.nan, self.starts[idx] + (pos - self.cum[idx]))

    def _check_day(self, day: date) -> None:
        if not self.first_day <= day <= self.last_day:
            raise CalendarRangeError(f"{day} outside the calendar's days {self.first_day}..{self.last_day}")

    def is_working_day(self, day: date) -> bool:
        """Whether the local date has any working time."""
        self._check_day(day)
        i = np.searchsorted(self.working_days, day.toordinal())
        return bool(i < self.working_days.size and self.working_days[i] == day.toordinal())

    def working_days_after(self, day: date, n: int) -> date:
        """The n-th working day after `day` (day itself not counted); n = 0 gives `day`."""
        self._check_day(day)
        if n <= 0:
            return day
        i = int(np.searchsorted(self.working_days, day.toordinal(), side="right")) + n - 1
        if i >= self.working_days.size:
            raise CalendarRangeError(f"{n} working days after {day} lies beyond the calendar's days")
        return date.fromordinal(int(self.working_days[i]))

    def touches_unpublished(self, start: FloatArray, end: FloatArray | None = None) -> np.ndarray:
        """Whether [start, end] (or the instant start) reaches into a year whose official schedule is
        not yet published — results that do carry a warning (spec, Rule (calendar)). NaN ends count
        as the start alone; a NaN start touches nothing."""
        start = np.asarray(start, dtype="float64")
        end = start if end is None else np.asarray(end, dtype="float64")
        end = np.where(np.isnan(end), start, end)
        out = np.zeros(np.broadcast(start, end).shape, dtype=bool)
        for year in self.unpublished_years:
            lo, hi = _epoch(date(year, 1, 1), 0, self.zone), _epoch(date(year + 1, 1, 1), 0, self.zone)
            out |= (np.minimum(start, end) < hi) & (np.maximum(start, end) >= lo)
        return out

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        return self.day_hours.get(day, ())


def _epoch(day: date, seconds: int, zone: ZoneInfo) -> float:
    """The instant the local wall clock first reaches `seconds` after midnight of `day`.

    An ambiguous time (the repeated hour in autumn) is its first occurrence. A time the clock skips
    (the spring gap) is reached at the jump itself: an opening at 02:30 on a day the clock goes from
    02:00 to 03:00 opens at 03:00, not at 03:30 (what fold=0 alone would give).
    """
    day = day + timedelta(days=seconds // 86400)
    s = seconds % 86400
    local = datetime(day.year, day.month, day.day, s // 3600, s % 3600 // 60, s % 60, tzinfo=zone)
    t = local.timestamp()  # fold=0: the first occurrence, or (in a gap) the offset before the jump
    if datetime.fromtimestamp(t, zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return t
    # in a gap: the jump lies in (t1, t], t1 being the same wall time read with the offset after it
    lo, hi = int(local.replace(fold=1).timestamp()), int(t)
    while hi - lo > 1:  # the last instant before the jump is lo, the first after it hi
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).replace(tzinfo=None) >= local.replace(tzinfo=None):
            hi = mid
        else:
            lo = mid
    return float(hi)


# Countries whose official calendar is announced year by year, make-up workdays (调休) included; the
# `holidays` package estimates their later years without them. Elsewhere the package's rules are the
# official schedule: a year without make-up workdays (Russia 2026, Bulgaria since 2017) is an ordinary
# year, not an unpublished one.
ANNOUNCED_YEARLY = frozenset({"CN", "CHN"})


@functools.lru_cache(maxsize=16)
def official_days(
    country: str, first_year: int, last_year: int
) -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    """(public holidays, official make-up workdays, years with no published schedule)."""
    if not country:
        return frozenset(), frozenset(), frozenset()
    years = range(first_year, last_year + 1)
    calendar = holidays.country_holidays(country, years=years, categories=("public",))
    # (`weekend_workdays` also carries a few dates of other years, whatever `years` asks for)
    make_up = frozenset(d for d in calendar.weekend_workdays if first_year <= d.year <= last_year)
    unpublished = (
        frozenset(y for y in years if not any(d.year == y for d in make_up))
        if country.upper() in ANNOUNCED_YEARLY
        else frozenset()
    )
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
        for interval in hours:
            a, b = _epoch(day, interval.open, zone), _epoch(day, interval.close, zone)
            if b <= a:  # an interval swallowed by a DST gap
                continue
            if not working or working[-1] != day.toordinal():
                working.append(day.toordinal())
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
