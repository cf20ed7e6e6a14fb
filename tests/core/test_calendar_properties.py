"""Property tests: the vectorised calendar against a slow reference that walks the wall clock.

The reference knows nothing of interval tables or cumulative sums. It walks real time minute by minute
(schedules, and the DST changes of the zones used, fall on whole minutes, so a minute is either all
working time or none), reads the office's wall clock, and asks the spec's precedence rules whether that
reading is working time:

    special_hours > extra_workdays > extra_holidays > official make-up workday > public holiday > weekly

An interval opens when the wall clock first reaches its opening time and closes when the clock first
reaches its closing time. So the reference reads the highest wall-clock value seen so far: in the
spring gap the clock jumps (02:00 → 03:00), and an opening at 02:30 opens at the jump; in the
repeated autumn hour the clock has already been past 02:59, so nothing opens or closes twice.
Business time between two instants is then the working minutes' overlap with [a, b), to the second.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_core.calendar import BusinessCalendar, build_calendar
from sla_core.contract import WEEKDAYS, CalendarTerms

ZONES = (
    "Asia/Shanghai",
    "Europe/Berlin",
    "America/New_York",
    "UTC",
    "America/Santiago",  # changes at midnight: local 00:00 does not exist on its spring day
    "Australia/Lord_Howe",  # a 30-minute DST shift
)
FIRST, LAST = date(2025, 1, 1), date(2027, 12, 31)


def _dst_days(zone_name: str) -> list[date]:
    zone, out, day = ZoneInfo(zone_name), [], FIRST
    while day < LAST:
        nxt = day + timedelta(days=1)
        a = datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()
        b = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone).timestamp()
        if b - a != 86400:
            out.append(day)
        day = nxt
    return out


# days worth a look: DST changes, China's National Day and Spring Festival with their make-up
# workdays, and the turn into 2027 (not yet published for CN)
CN_DAYS = [date(2026, 10, 1), date(2026, 9, 20), date(2026, 10, 10), date(2026, 2, 15), date(2026, 12, 31)]
PIVOTS = {z: _dst_days(z) + CN_DAYS for z in ZONES}

# ---------------------------------------------------------------- the reference


@functools.cache
def cn_official(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """CN public holidays and make-up workdays of a year; none when the year is not yet published
    (no make-up workday listed for it)."""
    data = holidays.country_holidays("CN", years=year, categories=("public",))
    make_up = frozenset(d for d in data.weekend_workdays if d.year == year)
    if not make_up:
        return frozenset(), frozenset()
    return frozenset(d for d in data if d.year == year), make_up


@dataclass(frozen=True)
class Spec:
    """Working hours as plain (open, close) seconds after local midnight."""

    weekly: tuple[tuple[tuple[int, int], ...], ...]  # Monday first
    special: dict[date, tuple[tuple[int, int], ...]]
    extra_holidays: frozenset[date]
    extra_workdays: frozenset[date]
    country: str

    def hours(self, day: date) -> tuple[tuple[int, int], ...]:
        public, make_up = cn_official(day.year) if self.country == "CN" else (frozenset(), frozenset())
        weekly = self.weekly[day.weekday()]
        first_open_weekday = next(h for h in self.weekly if h)
        if day in self.special:
            return self.special[day]
        if day in self.extra_workdays:
            return weekly or first_open_weekday
        if day in self.extra_holidays:
            return ()
        if day in make_up:
            return weekly or first_open_weekday
        if day in public:
            return ()
        return weekly

    def terms(self) -> CalendarTerms:
        def text(hours: tuple[tuple[int, int], ...]) -> list[str]:
            return [
                f"{a // 3600:02d}:{a % 3600 // 60:02d}-{b // 3600:02d}:{b % 3600 // 60:02d}" for a, b in hours
            ]

        return CalendarTerms.model_validate(
            {
                "country": self.country,
                "hours": {WEEKDAYS[i]: text(h) for i, h in enumerate(self.weekly)},
                "special_hours": {d.isoformat(): text(h) for d, h in self.special.items()},
                "extra_holidays": sorted(self.extra_holidays),
                "extra_workdays": sorted(self.extra_workdays),
            }
        )


class Reference:
    """Minute-by-minute working flags over [w0, w1) (epoch seconds, whole minutes)."""

    def __init__(self, spec: Spec, zone: ZoneInfo, w0: int, w1: int) -> None:
        self.m0, m1 = w0 // 60, w1 // 60
        self.flags = np.zeros(m1 - self.m0, dtype=bool)
        self.dates: list[date] = []
        hours = functools.cache(spec.hours)
        highest: datetime | None = None
        for m in range(self.m0 - 6 * 60, m1):  # six hours to learn the clock's highest reading
            wall = datetime.fromtimestamp(m * 60, zone).replace(tzinfo=None)
            highest = wall if highest is None or wall > highest else highest
            if m >= self.m0:
                s = highest.hour * 3600 + highest.minute * 60
                self.flags[m - self.m0] = any(a <= s < b for a, b in hours(highest.date()))
                self.dates.append(highest.date())
        self.lo = 60 * (self.m0 + np.arange(self.flags.size))

    def elapsed(self, a: int, b: int) -> float:
        overlap = np.clip(np.minimum(b, self.lo + 60) - np.maximum(a, self.lo), 0, None)
        return float(np.sum(overlap[self.flags]))

    def add(self, a: int, d: int) -> float:
        """The earliest instant with d working seconds since a (backwards: the latest before a)."""
        if d == 0:
            return float(a)
        left = abs(d)
        if d > 0:
            for i in range(a // 60 - self.m0, self.flags.size):
                if self.flags[i]:
                    lo, hi = max(a, int(self.lo[i])), int(self.lo[i]) + 60
                    if left <= hi - lo:
                        return float(lo + left)
                    left -= hi - lo
        else:
            for i in range(-(-a // 60) - 1 - self.m0, -1, -1):
                if self.flags[i]:
                    lo, hi = int(self.lo[i]), min(a, int(self.lo[i]) + 60)
                    if left <= hi - lo:
                        return float(hi - left)
                    left -= hi - lo
        raise AssertionError("the reference walked off its window")

    def next_opening(self, t: int) -> float:
        i = t // 60 - self.m0
        if self.flags[i]:
            return float(t)
        later = np.flatnonzero(self.flags[i + 1 :])
        assert later.size, "no opening left in the window"
        return float(self.lo[i + 1 + later[0]])

    def working_days(self) -> set[date]:
        return {d for d, f in zip(self.dates, self.flags, strict=True) if f}


# ---------------------------------------------------------------- strategies

# times where DST, midnight and 24:00 make trouble, plus any minute of the day
boundary = st.one_of(
    st.sampled_from([0, 30, 60, 90, 120, 150, 180, 210, 1380, 1410, 1439, 1440]),
    st.integers(0, 1440),
)


@st.composite
def day_hours(draw: st.DrawFn) -> tuple[tuple[int, int], ...]:
    """0–3 intervals, sorted, possibly touching, up to 24:00 (in seconds)."""
    points = sorted(draw(st.lists(boundary, max_size=6)))
    pairs = [(60 * points[i], 60 * points[i + 1]) for i in range(0, len(points) - 1, 2)]
    return tuple((a, b) for a, b in pairs if b > a)


@dataclass
class Scenario:
    spec: Spec
    zone_name: str
    first: date  # the window's first local day
    days: int
    instants: list[int]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    zone_name = draw(st.sampled_from(ZONES))
    base = draw(st.one_of(st.sampled_from(PIVOTS[zone_name]), st.dates(date(2025, 6, 1), date(2027, 6, 30))))
    first = base - timedelta(days=draw(st.integers(0, 2)))
    days = draw(st.integers(1, 4))
    window = [first + timedelta(days=i) for i in range(-1, days + 1)]
    weekly = list(draw(st.lists(day_hours(), min_size=7, max_size=7)))
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = ((9 * 3600, 18 * 3600),)
    special = draw(st.dictionaries(st.sampled_from(window), day_hours(), max_size=2))
    extras = draw(
        st.dictionaries(st.sampled_from(window), st.sampled_from(["holiday", "workday"]), max_size=3)
    )
    spec = Spec(
        weekly=tuple(weekly),
        special=special,
        extra_holidays=frozenset(d for d, k in extras.items() if k == "holiday"),
        extra_workdays=frozenset(d for d, k in extras.items() if k == "workday"),
        country=draw(st.sampled_from(["", "CN"])),
    )
    zone = ZoneInfo(zone_name)
    end = first + timedelta(days=days)
    w0 = int(datetime(first.year, first.month, first.day, tzinfo=zone).timestamp())
    w1 = int(datetime(end.year, end.month, end.day, tzinfo=zone).timestamp())
    # arbitrary seconds, and whole minutes (openings, closings, DST jumps) half of the time
    instant = st.one_of(
        st.integers(w0, w1 - 1), st.integers(0, (w1 - w0) // 60 - 1).map(lambda m: w0 + 60 * m)
    )
    instants = draw(st.lists(instant, min_size=2, max_size=12))
    return Scenario(spec, zone_name, first, days, instants)


def prepare(sc: Scenario) -> tuple[BusinessCalendar, Reference, int, int]:
    zone = ZoneInfo(sc.zone_name)
    end = sc.first + timedelta(days=sc.days)
    w0 = int(datetime(sc.first.year, sc.first.month, sc.first.day, tzinfo=zone).timestamp())
    w1 = int(datetime(end.year, end.month, end.day, tzinfo=zone).timestamp())
    cal = build_calendar(sc.spec.terms(), sc.zone_name, sc.first - timedelta(days=1), end)
    return cal, Reference(sc.spec, zone, w0, w1), w0, w1


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(scenarios(), st.data())
def test_calendar_matches_the_wall_clock_walk(sc: Scenario, data: st.DataObject) -> None:
    cal, ref, w0, w1 = prepare(sc)
    pairs = list(zip(sc.instants, sc.instants[1:], strict=False))

    # elapsed: all pairs in one vectorised call
    start = np.array([min(a, b) for a, b in pairs], dtype="float64")
    end = np.array([max(a, b) for a, b in pairs], dtype="float64")
    expected = [ref.elapsed(min(a, b), max(a, b)) for a, b in pairs]
    np.testing.assert_array_equal(cal.elapsed(start, end), expected)

    # add: durations that land inside the window — exactly up to another instant (often a closing time
    # forwards, an opening backwards), nothing, or all the working time left before the window's edge
    starts, durations = [], []
    for a, b in pairs:
        d = ref.elapsed(a, b) if b >= a else -ref.elapsed(b, a)
        room = ref.elapsed(a, w1) if b >= a else -ref.elapsed(w0, a)
        starts.append(a)
        durations.append(data.draw(st.sampled_from([d, 0.0, float(int(room))])))
    a = np.array(starts, dtype="float64")
    ours = cal.add(a, np.array(durations))
    np.testing.assert_array_equal(ours, [ref.add(s, int(d)) for s, d in zip(starts, durations, strict=True)])
    # the deadline is exactly that much working time away, whichever the direction
    spent = np.where(np.array(durations) < 0, -cal.elapsed(ours, a), cal.elapsed(a, ours))
    np.testing.assert_array_equal(spent, durations)

    # next opening, for instants that have one inside the window
    has_opening = [t for t in sc.instants if ref.flags[t // 60 - ref.m0 :].any()]
    opening = cal.next_opening(np.array(has_opening, dtype="float64"))
    np.testing.assert_array_equal(opening, [ref.next_opening(t) for t in has_opening])

    # working days: local dates with any working time
    days = [sc.first + timedelta(days=i) for i in range(sc.days)]
    assert {d for d in days if cal.is_working_day(d)} == ref.working_days() & set(days)


@settings(max_examples=25, deadline=None)
@given(scenarios())
def test_position_is_monotone_and_additive(sc: Scenario) -> None:
    cal, _, _, _ = prepare(sc)
    t = np.sort(np.array(sc.instants, dtype="float64"))
    pos = cal.position(t)
    assert np.all(np.diff(pos) >= 0)
    assert np.all(np.diff(pos) <= np.diff(t))  # never more working time than real time
    np.testing.assert_array_equal(cal.elapsed(t[:1], t[-1:]), np.sum(np.diff(pos)))
