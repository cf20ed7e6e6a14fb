"""Business-calendar edges the mutation check found untested, hand-computed (spec "Rule (calendar)").

A calendar is built for whole years around its range: asked for 2026, it covers 2025-01-01..2027-12-31.
Here the office opens Monday–Thursday 09:00–18:00 (no country calendar), so the last day, Friday
2027-12-31, is closed and the last working day is Thursday 2027-12-30.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from sla_core import calendar as calendar_module
from sla_core.calendar import WALL_CLOCK, CalendarRangeError, build_calendar, clock_for
from sla_core.contract import CalendarTerms

SH = "Asia/Shanghai"
MON_THU = {d: ["09:00-18:00"] for d in ("mon", "tue", "wed", "thu")}


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(SH)).timestamp()


def cal_for(**kw: object):
    return build_calendar(
        CalendarTerms.model_validate({"country": "", **kw}), SH, date(2026, 1, 1), date(2026, 12, 31)
    )


CAL = cal_for(hours=MON_THU)


def test_the_calendars_first_and_last_days_are_inside_it_the_days_beyond_are_not():
    assert (CAL.first_day, CAL.last_day) == (date(2025, 1, 1), date(2027, 12, 31))
    assert CAL.is_working_day(date(2025, 1, 1))  # a Wednesday
    assert not CAL.is_working_day(date(2027, 12, 31))  # a Friday, after the last working day
    with pytest.raises(
        CalendarRangeError, match=r"^2024-12-31 outside the calendar's days 2025-01-01\.\.2027-12-31$"
    ):
        CAL.is_working_day(date(2024, 12, 31))


def test_a_working_day_count_that_runs_past_the_last_working_day_is_a_range_error():
    """1 working day after Wednesday 2027-12-29 is Thursday the 30th, the last; 2 is beyond the calendar."""
    assert CAL.working_days_after(date(2027, 12, 29), 1) == date(2027, 12, 30)
    with pytest.raises(
        CalendarRangeError, match=r"^2 working days after 2027-12-29 lies beyond the calendar's days$"
    ):
        CAL.working_days_after(date(2027, 12, 29), 2)


def test_next_opening_inside_the_last_interval_is_the_instant_itself_and_after_it_there_is_none():
    assert CAL.next_opening(np.array([at("2027-12-30 10:00")])).tolist() == [at("2027-12-30 10:00")]
    # Wednesday evening opens Thursday 09:00; a blank instant stays blank
    got = CAL.next_opening(np.array([at("2027-12-29 19:00"), np.nan]))
    assert got[0] == at("2027-12-30 09:00") and np.isnan(got[1])
    with pytest.raises(CalendarRangeError, match=r"^no opening left within the calendar's days$"):
        CAL.next_opening(np.array([at("2027-12-30 18:00")]))


def test_working_time_is_open_inclusive_and_close_exclusive():
    """[09:00, 18:00) on Monday 2026-03-02; Sunday closed; a blank instant is not in working time."""
    t = np.array(
        [
            at("2026-03-02 08:59:59"),
            at("2026-03-02 09:00:00"),
            at("2026-03-02 17:59:59"),
            at("2026-03-02 18:00:00"),
            at("2026-03-01 10:00:00"),
            np.nan,
        ]
    )
    assert CAL.in_working_time(t).tolist() == [False, True, True, False, False, False]
    with pytest.raises(CalendarRangeError):
        CAL.in_working_time(np.array([at("2028-01-03 10:00")]))


def test_a_day_without_hours_of_its_own_has_none():
    assert CAL.hours_on(date(2026, 3, 1)) == ()


def test_the_24x7_clock_counts_every_second_and_the_business_kind_takes_the_calendar():
    assert WALL_CLOCK.position(np.array([5])).tolist() == [5.0]
    assert WALL_CLOCK.elapsed(np.array([0, 10]), np.array([3600, 70])).tolist() == [3600.0, 60.0]
    assert WALL_CLOCK.add(np.array([100]), 50).tolist() == [150.0]
    assert clock_for("24x7", CAL) is WALL_CLOCK
    assert clock_for("business", CAL) is CAL


def test_an_unpublished_year_is_touched_from_its_first_local_instant_to_its_last():
    """China's 2027 schedule is not published (the package lists no make-up days): results reaching
    [2027-01-01 00:00, 2028-01-01 00:00) local time carry the warning — boundaries to the second."""
    cn = cal_for(country="CN", hours=MON_THU)
    assert cn.unpublished_years == frozenset({2027})
    start = np.array(
        [
            at("2026-12-31 23:59:59"),  # alone: 2026
            at("2027-01-01 00:00:00"),  # the first instant of 2027
            at("2028-01-01 00:00:00"),  # the first instant after it
            at("2026-12-30 10:00:00"),  # ends exactly as 2027 begins: touches it
            at("2027-12-31 23:59:59"),
        ]
    )
    end = np.array([np.nan, np.nan, np.nan, at("2027-01-01 00:00:00"), at("2028-01-01 00:00:00")])
    assert cn.touches_unpublished(start, end).tolist() == [False, True, False, True, True]


def test_working_time_around_the_calendars_first_interval():
    """Wednesday 2025-01-01 09:00–18:00 is the first interval (no country calendar here): 08:00 before it,
    10:00 inside it, 19:00 after it and before Thursday's opening."""
    t = np.array([at("2025-01-01 08:00"), at("2025-01-01 10:00"), at("2025-01-01 19:00")])
    assert CAL.in_working_time(t).tolist() == [False, True, False]


def test_a_day_beyond_the_calendar_has_no_hours_and_the_24x7_clock_gives_seconds_as_floats():
    assert CAL.hours_on(date(2030, 1, 1)) == ()
    for got in (
        WALL_CLOCK.position(np.array([5])),
        WALL_CLOCK.elapsed(np.array([0]), np.array([3600])),
        WALL_CLOCK.add(np.array([100]), 50),
    ):
        assert got.dtype == np.float64


# ---------------------------------------------------------------- the calendar's own first and last instants
# Working seconds are counted from the first local instant of 2025-01-01 to the first of 2028-01-01; both
# ends belong to the calendar (an instant at its very end is the end of its last day), a second outside
# does not. Wednesday 2025-01-01 09:00–18:00 is the first interval, Thursday 2027-12-30 the last.

H = 3600.0


def test_the_calendars_first_and_last_instants_are_inside_it_a_second_beyond_is_a_range_error():
    # 00:00 → 10:00 on Wednesday 2025-01-01: working time 09:00–10:00, 1 h; 00:00 counts from position 0
    assert CAL.elapsed(np.array([at("2025-01-01 00:00")]), np.array([at("2025-01-01 10:00")])).tolist() == [H]
    assert CAL.position(np.array([at("2025-01-01 08:00")])).tolist() == [0.0]
    # Thursday 2027-12-30 17:00 → 2028-01-01 00:00 (the calendar's last instant): 17:00–18:00, 1 h
    assert CAL.elapsed(np.array([at("2027-12-30 17:00")]), np.array([at("2028-01-01 00:00")])).tolist() == [H]
    with pytest.raises(
        CalendarRangeError, match=r"^instant outside the calendar's days 2025-01-01\.\.2027-12-31$"
    ):
        CAL.position(np.array([at("2024-12-31 23:59:59")]))
    with pytest.raises(CalendarRangeError, match=r"^instant outside the calendar's days"):
        CAL.position(np.array([at("2028-01-01 00:00:01")]))


def test_a_deadline_in_the_first_or_last_interval_stays_in_it_and_one_beyond_the_last_is_a_range_error():
    """Forward in the first interval: 09:00 + 1 h = 10:00. Using the last interval up exactly lands on its
    closing instant 2027-12-30 18:00; 1 h more runs past the calendar. Backwards: from 10:00 on the first
    day, 1 h earlier is its opening 09:00 (position 0 exactly); from the last closing, 1 h earlier is 17:00."""

    def add(text: str, seconds: float) -> float:
        return float(CAL.add(np.array([at(text)]), seconds)[0])

    assert add("2025-01-01 09:00", H) == at("2025-01-01 10:00")
    assert add("2027-12-30 09:00", 9 * H) == at("2027-12-30 18:00")
    assert add("2027-12-30 09:00", H) == at("2027-12-30 10:00")
    assert add("2025-01-01 10:00", -H) == at("2025-01-01 09:00")
    assert add("2025-01-01 12:00", -H) == at("2025-01-01 11:00")
    assert add("2027-12-30 18:00", -H) == at("2027-12-30 17:00")
    assert add("2025-01-01 08:00", 0) == at("2025-01-01 08:00")  # a zero duration before the first opening
    with pytest.raises(CalendarRangeError, match=r"^deadline beyond the calendar's days$"):
        add("2027-12-30 17:00", 2 * H)


def test_a_deadline_that_uses_a_working_period_up_exactly_is_its_closing_instant_not_the_next_opening():
    """Monday 2026-03-02 09:00 + 9 h = Monday 18:00 (the module's convention, Zammad's), not Tuesday 09:00;
    the same holds for half a second from 17:59:59.5."""
    assert CAL.add(np.array([at("2026-03-02 09:00")]), 9 * H).tolist() == [at("2026-03-02 18:00")]
    half = at("2026-03-02 17:59:59") + 0.5
    assert CAL.add(np.array([half]), 0.5).tolist() == [at("2026-03-02 18:00")]


# ---------------------------------------------------------------- a calendar without any working time
# A valid contract can close every working day: Monday hours only, and every Monday of 2025–2027 an extra
# holiday (spec precedence: extra_holidays > weekly hours). No second of its three years is working time.


def _mondays(first: date, last: date) -> list[str]:
    day = first + timedelta(days=(7 - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day.isoformat())
        day += timedelta(days=7)
    return out


CLOSED = cal_for(
    hours={"mon": ["09:00-18:00"]}, extra_holidays=_mondays(date(2025, 1, 1), date(2027, 12, 31))
)


def test_a_calendar_without_working_time_counts_no_second_and_keeps_blanks_blank():
    assert not CLOSED.is_working_day(date(2026, 3, 2))  # a Monday, an extra holiday
    got = CLOSED.position(np.array([at("2026-03-02 10:00"), np.nan]))
    assert got.dtype == np.float64 and got[0] == 0.0 and np.isnan(got[1])
    assert CLOSED.elapsed(
        np.array([at("2025-01-01 00:00")]), np.array([at("2028-01-01 00:00")])
    ).tolist() == [0]
    inside = CLOSED.in_working_time(np.array([at("2026-03-02 10:00"), np.nan]))
    assert inside.dtype == np.bool_ and inside.tolist() == [False, False]


def test_without_working_time_a_zero_duration_stays_put_and_any_other_has_no_deadline():
    """add(t, 0) is t; add(t, blank) is blank; even 1 s of working time cannot be found: a range error."""
    t = at("2026-03-02 10:00")
    assert CLOSED.add(np.array([t]), 0).tolist() == [t]
    blank = CLOSED.add(np.array([t]), np.nan)
    assert blank.dtype == np.float64 and np.isnan(blank[0])
    for seconds in (1.0, 60.0):
        with pytest.raises(CalendarRangeError, match=r"^deadline beyond the calendar's days$"):
            CLOSED.add(np.array([t]), seconds)


def test_without_working_time_a_blank_instant_has_a_blank_opening_and_a_real_one_none():
    assert np.isnan(CLOSED.next_opening(np.array([np.nan]))).tolist() == [True]
    with pytest.raises(CalendarRangeError, match=r"^no opening left within the calendar's days$"):
        CLOSED.next_opening(np.array([at("2026-03-02 10:00")]))


def test_one_start_against_several_ends_is_judged_end_by_end():
    """China 2027 unpublished: from 2026-12-31 10:00 to 12:00 stays in 2026, to 2027-01-02 reaches 2027."""
    cn = cal_for(country="CN", hours=MON_THU)
    ends = np.array([at("2026-12-31 12:00"), at("2027-01-02 10:00")])
    assert cn.touches_unpublished(at("2026-12-31 10:00"), ends).tolist() == [False, True]


# ---------------------------------------------------------------- openings inside a spring DST gap
# Spec "Rule (calendar)" / module docstring: an opening the clock skips happens at the jump itself.


@pytest.fixture
def rebuilt_calendars() -> None:
    """Calendars are cached by their terms; these cases must build theirs afresh (a cached table would not
    exercise the conversion of local times that is checked here, e.g. under a mutation test's fork)."""
    calendar_module._build.cache_clear()


@pytest.fixture
def server_clock_in_utc(monkeypatch: pytest.MonkeyPatch):
    """The process's own zone (where servers usually run) must not leak into the contract's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _gap_day(zone_name: str, hours: str) -> tuple[list[float], list[float]]:
    """A calendar open only on Sunday 2026-03-29 (the spring DST jump) in `hours`, besides Mondays: the
    seconds worked that day and its first opening from local midnight."""
    zone = ZoneInfo(zone_name)
    terms = {"hours": {"mon": ["09:00-17:00"]}, "special_hours": {"2026-03-29": [hours]}}
    cal = build_calendar(CalendarTerms.model_validate(terms), zone_name, date(2026, 1, 1), date(2026, 12, 31))
    start = np.array([datetime(2026, 3, 29, tzinfo=zone).timestamp()])
    end = np.array([datetime(2026, 3, 30, tzinfo=zone).timestamp()])
    return cal.elapsed(start, end).tolist(), cal.next_opening(start).tolist()


def test_an_opening_one_minute_into_the_gap_opens_exactly_at_the_jump(rebuilt_calendars: None):
    """Berlin, Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC). Hours 02:01–04:00 open at the
    jump, to the second, and last 1 h (03:00–04:00 CEST)."""
    worked, opening = _gap_day("Europe/Berlin", "02:01-04:00")
    assert worked == [H]
    assert opening == [datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("UTC")).timestamp()]


def test_an_opening_in_londons_gap_opens_at_the_jump_whatever_the_servers_zone(
    rebuilt_calendars: None, server_clock_in_utc: None
):
    """London, Sunday 2026-03-29: 01:00 GMT jumps to 02:00 BST (01:00 UTC). Hours 01:30–03:00 open at the
    jump and close at 03:00 BST (02:00 UTC): 1 h, not the 30 min of 01:30 read as UTC."""
    worked, opening = _gap_day("Europe/London", "01:30-03:00")
    assert worked == [H]
    assert opening == [datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("UTC")).timestamp()]
