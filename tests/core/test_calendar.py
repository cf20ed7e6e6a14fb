"""Hand-computed cases for the business calendar (spec: "Rule (calendar)", "Rule (durations and targets)").

Every expected value below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest
from pydantic import ValidationError

from sla_core.calendar import CalendarRangeError, build_calendar, official_days
from sla_core.contract import CalendarTerms, Interval

SH = "Asia/Shanghai"
H = 3600.0


def at(text: str, zone: str = SH) -> float:
    """Epoch seconds of a local wall time 'YYYY-MM-DD HH:MM[:SS]'."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def local(t: float, zone: str = SH) -> str:
    return datetime.fromtimestamp(float(t), ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def terms(**kw: object) -> CalendarTerms:
    return CalendarTerms.model_validate(kw)


def cal_for(zone: str = SH, first: date = date(2026, 1, 1), last: date = date(2026, 12, 31), **kw: object):
    return build_calendar(terms(**kw), zone, first, last)


def elapsed(cal, a: str, b: str, zone: str = SH) -> float:
    return float(cal.elapsed(np.array([at(a, zone)]), np.array([at(b, zone)]))[0])


def add(cal, a: str, seconds: float, zone: str = SH) -> str:
    return local(cal.add(np.array([at(a, zone)]), seconds)[0], zone)


WEEKDAYS_9_18 = {d: ["09:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
CN = {"country": "CN", "hours": WEEKDAYS_9_18}


# ---------------------------------------------------------------- the basic clock (Mon–Fri 09:00–18:00)


def test_start_outside_hours_counts_from_the_next_opening():
    cal = cal_for(hours=WEEKDAYS_9_18)
    # Mon 2026-03-02 07:00 → 09:30: counting starts at 09:00, so 30 min
    assert elapsed(cal, "2026-03-02 07:00", "2026-03-02 09:30") == 1800
    # Mon 20:00 → Tue 09:15: 15 min
    assert elapsed(cal, "2026-03-02 20:00", "2026-03-03 09:15") == 900
    assert local(cal.next_opening(np.array([at("2026-03-02 20:00")]))[0]) == "2026-03-03 09:00:00"
    assert local(cal.next_opening(np.array([at("2026-03-02 18:00")]))[0]) == "2026-03-03 09:00:00"  # closing
    assert local(cal.next_opening(np.array([at("2026-03-02 09:00")]))[0]) == "2026-03-02 09:00:00"
    assert local(cal.next_opening(np.array([at("2026-03-02 12:34:56")]))[0]) == "2026-03-02 12:34:56"
    # a deadline from outside hours: 1 h from Mon 07:00 is 10:00
    assert add(cal, "2026-03-02 07:00", H) == "2026-03-02 10:00:00"


def test_across_midnight_and_the_weekend():
    cal = cal_for(hours=WEEKDAYS_9_18)
    # Fri 2026-03-06 17:00 → Mon 03-09 10:00: 1 h Friday + 1 h Monday
    assert elapsed(cal, "2026-03-06 17:00", "2026-03-09 10:00") == 2 * H
    # Tue 17:30 → Wed 09:30: 30 + 30 min
    assert elapsed(cal, "2026-03-03 17:30", "2026-03-04 09:30") == H
    # whole weekend: nothing
    assert elapsed(cal, "2026-03-07 00:00", "2026-03-09 00:00") == 0
    # 24 working hours from Fri 17:00: 1 h Fri, 9 h Mon, 9 h Tue, 5 h Wed → Wed 14:00
    assert add(cal, "2026-03-06 17:00", 24 * H) == "2026-03-11 14:00:00"


def test_deadline_landing_exactly_on_a_closing_time_is_the_closing_instant():
    cal = cal_for(hours=WEEKDAYS_9_18)
    assert add(cal, "2026-03-02 17:00", H) == "2026-03-02 18:00:00"  # not Tue 09:00
    assert add(cal, "2026-03-02 17:00", H + 1) == "2026-03-03 09:00:01"
    assert add(cal, "2026-03-02 09:00", 9 * H) == "2026-03-02 18:00:00"
    # Friday's full day ends Friday 18:00, not Monday 09:00
    assert add(cal, "2026-03-06 09:00", 9 * H) == "2026-03-06 18:00:00"
    # backwards, landing on an opening gives the opening; one second more reaches the day before
    assert add(cal, "2026-03-03 10:00", -H) == "2026-03-03 09:00:00"
    assert add(cal, "2026-03-03 10:00", -H - 1) == "2026-03-02 17:59:59"
    assert add(cal, "2026-03-03 09:00", -H) == "2026-03-02 17:00:00"
    # a zero duration stays where it is, even outside hours
    assert add(cal, "2026-03-07 12:00", 0) == "2026-03-07 12:00:00"


def test_split_day_with_a_lunch_break():
    split = {d: ["09:00-12:00", "13:30-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    cal = cal_for(hours=split)
    # 11:00 → 14:00: 1 h before lunch, 30 min after
    assert elapsed(cal, "2026-03-02 11:00", "2026-03-02 14:00") == 1.5 * H
    # inside the break: nothing
    assert elapsed(cal, "2026-03-02 12:00", "2026-03-02 13:30") == 0
    # a whole day is 7.5 h
    assert elapsed(cal, "2026-03-02 00:00", "2026-03-03 00:00") == 7.5 * H
    assert add(cal, "2026-03-02 11:30", H) == "2026-03-02 14:00:00"
    assert add(cal, "2026-03-02 11:00", H) == "2026-03-02 12:00:00"  # lands on the break's start
    assert add(cal, "2026-03-02 12:30", 60) == "2026-03-02 13:31:00"  # from inside the break
    assert add(cal, "2026-03-02 14:00", -H) == "2026-03-02 11:30:00"
    assert local(cal.next_opening(np.array([at("2026-03-02 12:00")]))[0]) == "2026-03-02 13:30:00"


def test_special_half_day():
    cal = cal_for(hours=WEEKDAYS_9_18, special_hours={"2026-12-31": ["09:00-12:00"]})
    # Thu 2026-12-31 works 09–12 only: 10:00 → 17:00 is 2 h
    assert elapsed(cal, "2026-12-31 10:00", "2026-12-31 17:00") == 2 * H
    assert cal.hours_on(date(2026, 12, 31)) == (Interval(open=9 * 3600, close=12 * 3600),)
    # 3 h from Wed 17:00: 1 h Wed, 2 h Thu → ends at Thu 11:00; 4 h runs into Fri 2027-01-01 09:00–10:00
    assert add(cal, "2026-12-30 17:00", 3 * H) == "2026-12-31 11:00:00"
    assert add(cal, "2026-12-30 17:00", 5 * H) == "2027-01-01 10:00:00"


# ---------------------------------------------------------------- China, 2026 National Day


def test_national_day_2026_matches_the_holidays_package():
    data = holidays.country_holidays("CN", years=2026, categories=("public",))
    october = {date(2026, 10, d) for d in range(1, 8)}
    weekdays = {d for d in october if d.weekday() < 5}
    assert weekdays <= set(data)  # Oct 1, 2, 5, 6, 7 (Thu, Fri, Mon–Wed); Oct 3 Sat is listed too
    assert {date(2026, 9, 20), date(2026, 10, 10)} <= set(data.weekend_workdays)  # Sun and Sat 调休
    cal = cal_for(**CN)
    for d in october:
        assert not cal.is_working_day(d), d
    assert cal.is_working_day(date(2026, 9, 20))  # Sunday make-up workday
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday make-up workday
    assert not cal.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert cal.hours_on(date(2026, 10, 10)) == (Interval(open=9 * 3600, close=18 * 3600),)
    assert 2026 not in cal.unpublished_years


def test_elapsed_across_national_day():
    cal = cal_for(**CN)
    # Wed 09-30 17:00 → Thu 10-08 10:00: 1 h on Sep 30, nothing Oct 1–7, 1 h on Oct 8
    assert elapsed(cal, "2026-09-30 17:00", "2026-10-08 10:00") == 2 * H
    # Sat 09-19 → Mon 09-21 09:00: the Sunday make-up day works 9 h
    assert elapsed(cal, "2026-09-19 00:00", "2026-09-21 09:00") == 9 * H
    # 10 working hours from Fri 10-09 17:00: 1 h Fri, 9 h on Sat 10-10 (make-up) → Sat 18:00
    assert add(cal, "2026-10-09 17:00", 10 * H) == "2026-10-10 18:00:00"


def test_working_days_after_national_day():
    cal = cal_for(**CN)
    assert cal.working_days_after(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.working_days_after(date(2026, 9, 30), 2) == date(2026, 10, 9)  # "2nd working day after"
    assert cal.working_days_after(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Saturday make-up day
    assert cal.working_days_after(date(2026, 9, 30), 4) == date(2026, 10, 12)
    assert cal.working_days_after(date(2026, 9, 18), 1) == date(2026, 9, 20)  # Sunday make-up day
    assert cal.working_days_after(date(2026, 10, 3), 0) == date(2026, 10, 3)
    # the 10th working day after Sep 30: Oct 8, 9, 10, 12, 13, 14, 15, 16, 19, 20
    assert cal.working_days_after(date(2026, 9, 30), 10) == date(2026, 10, 20)


# ---------------------------------------------------------------- precedence, one rule at a time


def test_precedence_public_holiday_closes_a_weekday():
    assert cal_for(**CN).hours_on(date(2026, 10, 1)) == ()
    assert cal_for(hours=WEEKDAYS_9_18).hours_on(date(2026, 10, 1)) != ()  # no country: a Thursday


def test_precedence_make_up_workday_works_the_first_open_weekday():
    # Monday is closed here; the first weekday with hours is Tuesday (08:00–12:00)
    week = {"tue": ["08:00-12:00"], "wed": ["09:00-18:00"]}
    cal = cal_for(country="CN", hours=week)
    assert cal.hours_on(date(2026, 10, 10)) == (Interval(open=8 * 3600, close=12 * 3600),)


def test_precedence_extra_holiday_beats_make_up_workday():
    cal = cal_for(**CN, extra_holidays=["2026-10-10"])
    assert cal.hours_on(date(2026, 10, 10)) == ()
    assert not cal.is_working_day(date(2026, 10, 10))


def test_precedence_extra_workday_beats_public_holiday():
    cal = cal_for(**CN, extra_workdays=["2026-10-02"])  # Friday of National Day
    assert cal.hours_on(date(2026, 10, 2)) == (Interval(open=9 * 3600, close=18 * 3600),)
    assert elapsed(cal, "2026-10-01 00:00", "2026-10-03 00:00") == 9 * H


def test_precedence_extra_workday_on_a_saturday_works_mondays_hours():
    week = {"mon": ["08:30-12:00", "13:00-17:30"], "tue": ["09:00-18:00"], "fri": ["10:00-16:00"]}
    cal = cal_for(hours=week, extra_workdays=["2026-03-07"])
    assert cal.hours_on(date(2026, 3, 7)) == (
        Interval(open=8 * 3600 + 1800, close=12 * 3600),
        Interval(open=13 * 3600, close=17 * 3600 + 1800),
    )
    assert elapsed(cal, "2026-03-07 00:00", "2026-03-08 00:00") == 8 * H
    # an extra workday on an open weekday keeps its own weekday's hours
    cal = cal_for(hours=week, extra_workdays=["2026-03-06"])
    assert cal.hours_on(date(2026, 3, 6)) == (Interval(open=10 * 3600, close=16 * 3600),)


def test_precedence_extra_holiday_beats_weekly_hours():
    cal = cal_for(hours=WEEKDAYS_9_18, extra_holidays=["2026-03-04"])
    assert elapsed(cal, "2026-03-03 17:00", "2026-03-05 10:00") == 2 * H


def test_precedence_a_date_in_both_extra_lists_is_a_validation_error():
    with pytest.raises(ValidationError, match="both extra_holidays and extra_workdays"):
        terms(extra_holidays=["2026-03-04"], extra_workdays=["2026-03-04"])


def test_precedence_special_hours_beat_everything():
    cal = cal_for(
        **CN,
        special_hours={"2026-10-01": ["10:00-12:00"], "2026-10-10": [], "2026-03-07": ["10:00-11:00"]},
        extra_workdays=["2026-03-07"],
    )
    assert elapsed(cal, "2026-10-01 00:00", "2026-10-02 00:00") == 2 * H  # beats the public holiday
    assert elapsed(cal, "2026-10-10 00:00", "2026-10-11 00:00") == 0  # beats the make-up workday
    assert not cal.is_working_day(date(2026, 10, 10))
    assert elapsed(cal, "2026-03-07 00:00", "2026-03-08 00:00") == H  # beats the extra workday
    cal = cal_for(
        hours=WEEKDAYS_9_18, special_hours={"2026-03-04": ["14:00-15:00"]}, extra_holidays=["2026-03-04"]
    )
    assert elapsed(cal, "2026-03-04 00:00", "2026-03-05 00:00") == H  # beats the extra holiday


# ---------------------------------------------------------------- unpublished years


def test_cn_2027_is_not_yet_published():
    data = holidays.country_holidays("CN", years=2027, categories=("public",))
    assert not [d for d in data.weekend_workdays if d.year == 2027]  # the package lists none
    cal = cal_for(**CN, first=date(2027, 1, 1), last=date(2027, 12, 31), extra_holidays=["2027-02-08"])
    assert 2027 in cal.unpublished_years
    assert 2026 not in cal.unpublished_years
    # weekly hours apply: Fri 2027-01-01 and the package's estimated Spring Festival days work…
    assert date(2027, 1, 1) in data and cal.is_working_day(date(2027, 1, 1))
    assert date(2027, 2, 9) in data and cal.is_working_day(date(2027, 2, 9))
    assert elapsed(cal, "2027-01-01 00:00", "2027-01-02 00:00") == 9 * H
    # …and the contract's extra days still apply
    assert not cal.is_working_day(date(2027, 2, 8))
    # results that touch 2027 carry the warning; those within 2026 do not
    start = np.array([at("2026-12-31 10:00"), at("2026-12-30 10:00"), at("2027-03-01 10:00"), np.nan])
    end = np.array([at("2027-01-04 10:00"), at("2026-12-31 10:00"), np.nan, np.nan])
    assert cal.touches_unpublished(start, end).tolist() == [True, False, True, False]
    assert cal.touches_unpublished(start).tolist() == [False, False, True, False]


def test_official_days_only_cn_has_unpublished_years():
    public, make_up, unpublished = official_days("CN", 2025, 2027)
    assert unpublished == frozenset({2027})
    assert date(2026, 10, 1) in public and date(2027, 10, 1) not in public
    assert date(2026, 10, 10) in make_up
    # Russia lists no make-up workday for 2026; its public holidays still count (they used to be dropped)
    public, make_up, unpublished = official_days("RU", 2026, 2026)
    assert unpublished == frozenset()
    assert date(2026, 1, 1) in public and date(2026, 1, 7) in public
    assert official_days("", 2026, 2026) == (frozenset(), frozenset(), frozenset())


# ---------------------------------------------------------------- 24:00, DST


def test_a_24_00_close_touches_the_next_days_00_00():
    night = {"mon": ["18:00-24:00"], "tue": ["00:00-06:00", "18:00-24:00"], "wed": ["00:00-06:00"]}
    cal = cal_for(hours=night)
    # Mon 2026-03-02 23:00 → Tue 01:00 is 2 h with no seam at midnight
    assert elapsed(cal, "2026-03-02 23:00", "2026-03-03 01:00") == 2 * H
    assert add(cal, "2026-03-02 23:30", H) == "2026-03-03 00:30:00"
    assert add(cal, "2026-03-03 00:30", -H) == "2026-03-02 23:30:00"
    # midnight is neither a closing nor an opening: one interval Mon 18:00 – Tue 06:00
    assert at("2026-03-03 00:00") not in cal.starts and at("2026-03-03 00:00") not in cal.ends
    assert local(cal.next_opening(np.array([at("2026-03-03 00:00")]))[0]) == "2026-03-03 00:00:00"
    # a deadline at the end of the night shift is its closing instant
    assert add(cal, "2026-03-02 18:00", 12 * H) == "2026-03-03 06:00:00"


BERLIN = "Europe/Berlin"
ALL_DAY = {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_dst_days_in_berlin_last_23_and_25_hours():
    cal = cal_for(BERLIN, hours=ALL_DAY)
    # 2026-03-29 (spring forward) has 23 real hours, 2026-10-25 (fall back) 25, others 24
    assert elapsed(cal, "2026-03-29 00:00", "2026-03-30 00:00", BERLIN) == 23 * H
    assert elapsed(cal, "2026-10-25 00:00", "2026-10-26 00:00", BERLIN) == 25 * H
    assert elapsed(cal, "2026-03-28 00:00", "2026-03-29 00:00", BERLIN) == 24 * H
    # a 24 h deadline from Sunday 00:00 in spring ends at Monday 01:00 local
    assert add(cal, "2026-03-29 00:00", 24 * H, BERLIN) == "2026-03-30 01:00:00"
    assert add(cal, "2026-10-25 00:00", 24 * H, BERLIN) == "2026-10-25 23:00:00"


def test_dst_gap_openings_open_when_the_clock_jumps():
    # Sunday 2026-03-29: the clock goes from 02:00 to 03:00 CEST. An interval 02:30–04:00 opens at the
    # jump (03:00 CEST = 01:00 UTC) and lasts 1 h; one entirely inside the gap has no time at all.
    cal = cal_for(BERLIN, hours={"mon": ["09:00-17:00"], "sun": ["02:30-04:00"]})
    assert elapsed(cal, "2026-03-29 00:00", "2026-03-30 00:00", BERLIN) == H
    assert (
        local(cal.next_opening(np.array([at("2026-03-29 01:00", BERLIN)]))[0], BERLIN)
        == "2026-03-29 03:00:00"
    )
    assert elapsed(cal, "2026-03-22 00:00", "2026-03-23 00:00", BERLIN) == 1.5 * H  # an ordinary Sunday
    gap = cal_for(BERLIN, hours={"mon": ["09:00-17:00"]}, special_hours={"2026-03-29": ["02:10-02:50"]})
    assert elapsed(gap, "2026-03-29 00:00", "2026-03-30 00:00", BERLIN) == 0
    assert not gap.is_working_day(date(2026, 3, 29))


def test_dst_repeated_hour_opens_and_closes_at_the_first_occurrence():
    # Sunday 2026-10-25: 02:00–03:00 happens twice (CEST, then CET). An interval opens when the clock
    # first shows its opening and closes when it first shows its closing time: 02:00–03:00 therefore
    # spans 02:00 CEST (00:00 UTC) to 03:00 CET (02:00 UTC), 2 real hours; 01:00–02:30 ends at the
    # first 02:30 (1.5 h).
    cal = cal_for(BERLIN, hours={"mon": ["09:00-17:00"], "sun": ["02:00-03:00"]})
    assert elapsed(cal, "2026-10-25 00:00", "2026-10-26 00:00", BERLIN) == 2 * H
    cal = cal_for(BERLIN, hours={"mon": ["09:00-17:00"], "sun": ["01:00-02:30"]})
    assert elapsed(cal, "2026-10-25 00:00", "2026-10-26 00:00", BERLIN) == 1.5 * H


# ---------------------------------------------------------------- vectorised, missing values, range


def test_a_million_instants_at_once_equal_element_wise():
    cal = cal_for(
        **CN, first=date(2025, 1, 1), last=date(2027, 12, 31), special_hours={"2026-12-31": ["09:00-12:00"]}
    )
    rng = np.random.default_rng(20261001)
    lo, hi = at("2025-12-01 00:00"), at("2026-12-31 23:59")
    a = np.floor(rng.uniform(lo, hi, 1_000_000))
    b = a + np.floor(rng.uniform(0, 30 * 86400, a.size))
    a[::1000] = np.nan  # missing values stay missing
    d = np.floor(rng.uniform(-200 * H, 200 * H, a.size))
    d[::7] = 0
    pos, el, dl, op = cal.position(a), cal.elapsed(a, b), cal.add(a, d), cal.next_opening(a)
    assert np.isnan(el[::1000]).all() and np.isnan(dl[::1000]).all() and np.isnan(op[::1000]).all()
    # the same, in chunks of 9973 and one by one for a sample
    for i in range(0, a.size, 9973):
        s = slice(i, i + 9973)
        np.testing.assert_array_equal(cal.elapsed(a[s], b[s]), el[s])
        np.testing.assert_array_equal(cal.add(a[s], d[s]), dl[s])
        np.testing.assert_array_equal(cal.next_opening(a[s]), op[s])
        np.testing.assert_array_equal(cal.position(a[s]), pos[s])
    for i in range(1, a.size, 2999):  # (NaN equals NaN here)
        np.testing.assert_array_equal(cal.elapsed(a[i : i + 1], b[i : i + 1])[0], el[i])
        np.testing.assert_array_equal(cal.add(a[i : i + 1], d[i])[0], dl[i])
        np.testing.assert_array_equal(cal.next_opening(np.array(a[i]))[()], op[i])
    # and the deadlines are exactly their durations away
    ok = ~np.isnan(a) & (d >= 0)
    np.testing.assert_array_equal(cal.elapsed(a[ok], dl[ok]), d[ok])
    back = ~np.isnan(a) & (d < 0)
    np.testing.assert_array_equal(cal.elapsed(dl[back], a[back]), -d[back])


def test_scalar_start_with_many_durations():
    cal = cal_for(hours=WEEKDAYS_9_18)
    out = cal.add(np.float64(at("2026-03-02 09:00")), np.array([0, H, 9 * H, 9 * H + 1]))
    assert [local(t) for t in out] == [
        "2026-03-02 09:00:00",
        "2026-03-02 10:00:00",
        "2026-03-02 18:00:00",
        "2026-03-03 09:00:01",
    ]


def test_instants_outside_the_calendar_are_an_error():
    cal = cal_for(hours=WEEKDAYS_9_18, first=date(2026, 3, 1), last=date(2026, 3, 31))
    # the table covers whole years around the range: 2025-01-01 .. 2027-12-31
    assert cal.first_day == date(2025, 1, 1) and cal.last_day == date(2027, 12, 31)
    with pytest.raises(CalendarRangeError):
        cal.position(np.array([at("2024-12-31 12:00")]))
    with pytest.raises(CalendarRangeError):
        cal.add(np.array([at("2027-12-31 12:00")]), 9 * H)
    with pytest.raises(CalendarRangeError):
        cal.next_opening(np.array([at("2027-12-31 20:00")]))  # no opening left in the table
    with pytest.raises(CalendarRangeError):
        cal.working_days_after(date(2027, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(date(2030, 1, 1))
    assert np.isnan(cal.position(np.array([np.nan]))).all()


def test_working_days_after_and_is_working_day_plain_week():
    cal = cal_for(hours=WEEKDAYS_9_18)
    assert cal.working_days_after(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri → Mon
    assert cal.working_days_after(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Sat → Mon
    assert cal.working_days_after(date(2026, 3, 6), 5) == date(2026, 3, 13)
    week = [cal.is_working_day(date(2026, 3, 2) + timedelta(days=i)) for i in range(7)]
    assert week == [True, True, True, True, True, False, False]
