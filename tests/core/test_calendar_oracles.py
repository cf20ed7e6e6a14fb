"""The business calendar against 451 cases from six other business-time implementations.

The cases live in `tests/fixtures/oracles/` (copied from the shared oracle set, `source` fields kept:
repository, commit, file and line of every assertion). Each case's schedule, holidays and date-specific
hours become a `CalendarTerms`; the case's own suite then checks one of:

- `elapsed`: working seconds in [start, end) — minus the working time inside Zammad's pauses;
- `add`: the deadline `duration` working seconds after (or before) `start`. Our convention is the
  closing instant (Zammad, working_hours, businesstimedelta); cases whose suite gives the next opening
  instead carry `boundary_convention = next_opening` and are checked as exactly that: our deadline is
  `closing_instant_equivalent`, and its next opening is the suite's answer;
- `roll_forward`: where a start outside working time begins counting (`next_opening`).

Every case must agree exactly, except those listed in `DIFFERENCES` with the reason; for those the test
asserts what we compute instead, and that the suite's answer really differs (so the list cannot go stale).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from sla_core.calendar import BusinessCalendar, build_calendar
from sla_core.contract import WEEKDAYS, CalendarTerms

ORACLES = Path(__file__).resolve().parent.parent / "fixtures" / "oracles"
SUITE_FILES = (
    "zammad_sla.json",
    "working_hours.json",
    "pandas_business_hour.json",
    "biz.json",
    "businesstimedelta.json",
    "glpi_calendar.json",
)


def _load() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for name in SUITE_FILES:
        cases.extend(json.loads((ORACLES / name).read_text(encoding="utf-8")))
    return cases


CASES = _load()
IDS = [c["id"] for c in CASES]

REVERSED = (
    "end before start: biz and GLPI clamp a reversed range to 0. Our imports reject a milestone before "
    "created_at as an input error, and the calendar's elapsed() is antisymmetric (position(end) - "
    "position(start)), the working_hours convention (its reversed case, working_hours:L715, agrees)."
)

# id -> why our answer differs from the suite's. Each is checked below to differ really, and to be what
# the product means instead.
DIFFERENCES: dict[str, str] = {
    "biz:duration_within_spec.rb:L14": REVERSED,
    "glpi:active:4": REVERSED,
    "working_hours:L788": (
        "DST (semantics = wall_clock_day_length): the local Sunday 2020-10-25 in Europe/Paris lasts 25 real "
        "hours; working_hours counts the 00:00-24:00 slot as its wall-clock length, 24 h. The product "
        "counts real time (spec: a 00:00-24:00 day is 23 h / 25 h), so 90000 s."
    ),
    "biz:for_duration_spec.rb:L111s0": (
        "zero duration from a non-working instant: biz returns the first active moment at/after the start "
        "(its next-opening convention); add(start, 0) returns the start itself, the earliest instant with "
        "zero working time elapsed. Same business time: elapsed(start, ours) == 0 and "
        "next_opening(ours) is biz's answer."
    ),
}


# ---------------------------------------------------------------- translating a case


def _instant(text: str, zone: ZoneInfo) -> float:
    """ISO 8601 to epoch seconds; a naive time is local to the case's zone."""
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return dt.timestamp()


def _seconds(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def _text(a: int, b: int) -> str:
    return f"{a // 3600:02d}:{a % 3600 // 60:02d}-{b // 3600:02d}:{b % 3600 // 60:02d}"


def _minus(hours: list[tuple[int, int]], gaps: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A day's intervals with the breaks cut out."""
    for g0, g1 in gaps:
        cut: list[tuple[int, int]] = []
        for a, b in hours:
            if a < g0:
                cut.append((a, min(b, g0)))
            if b > g1:
                cut.append((max(a, g1), b))
        hours = [(a, b) for a, b in cut if b > a]
    return hours


def terms_for(case: dict[str, Any]) -> CalendarTerms:
    schedule = case["schedule"]
    hours = {day: [f"{a}-{b}" for a, b in schedule.get(day, [])] for day in WEEKDAYS}
    special: dict[str, list[str]] = {
        d: [f"{a}-{b}" for a, b in intervals] for d, intervals in case.get("holiday_hours", {}).items()
    }
    for d, gaps in case.get("breaks", {}).items():
        day = date.fromisoformat(d)
        if d in case.get("holiday_hours", {}):
            base = [(_seconds(a), _seconds(b)) for a, b in case["holiday_hours"][d]]
        elif d in case["holidays"]:
            base = []
        else:
            base = [(_seconds(a), _seconds(b)) for a, b in schedule.get(WEEKDAYS[day.weekday()], [])]
        special[d] = [_text(a, b) for a, b in _minus(base, [(_seconds(a), _seconds(b)) for a, b in gaps])]
    return CalendarTerms.model_validate(
        {
            "country": "",
            "hours": hours,
            "extra_holidays": case["holidays"],
            "special_hours": special,
        }
    )


@dataclass
class Translated:
    cal: BusinessCalendar
    zone: ZoneInfo
    start: float
    pauses: list[tuple[float, float]]

    def at(self, text: str) -> float:
        return _instant(text, self.zone)

    def paused(self, end: float) -> float:
        """Working seconds inside the pauses, within [start, end)."""
        total = 0.0
        for p0, p1 in self.pauses:
            a, b = max(p0, self.start), min(p1, end)
            if b > a:
                total += float(self.cal.elapsed(np.array([a]), np.array([b]))[0])
        return total

    def elapsed(self, end: float) -> float:
        return float(self.cal.elapsed(np.array([self.start]), np.array([end]))[0]) - self.paused(end)

    def add(self, seconds: float) -> float:
        """The deadline; with pauses, the clock stands still inside them (found as a fixed point)."""
        deadline = float(self.cal.add(np.array([self.start]), seconds)[0])
        while self.pauses:
            later = float(self.cal.add(np.array([self.start]), seconds + self.paused(deadline))[0])
            if later == deadline:
                break
            deadline = later
        return deadline

    def next_opening(self, t: float) -> float:
        return float(self.cal.next_opening(np.array([t]))[0])


def translate(case: dict[str, Any]) -> Translated:
    zone = ZoneInfo(case["timezone"])
    start = _instant(case["start"], zone)
    instants = [start] + [_instant(case[k], zone) for k in ("end", "expected_end", "expected") if k in case]
    days = [datetime.fromtimestamp(t, zone).date() for t in instants]
    cal = build_calendar(
        terms_for(case), case["timezone"], min(days) - timedelta(days=40), max(days) + timedelta(days=40)
    )
    pauses = [(_instant(a, zone), _instant(b, zone)) for a, b in case.get("pauses", [])]
    return Translated(cal, zone, start, pauses)


# ---------------------------------------------------------------- the test


def _same(ours: float, theirs: float, case: dict[str, Any]) -> bool:
    if case.get("round_result_to_seconds"):
        return round(ours) == round(theirs)
    return ours == theirs


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_oracle_case(case: dict[str, Any]) -> None:
    t = translate(case)
    kind = case["kind"]
    if kind == "elapsed":
        end = t.at(case["end"])
        ours, theirs = t.elapsed(end), float(case["expected_seconds"])
        if case["id"] in DIFFERENCES:
            assert ours != theirs, "documented difference no longer differs"
            if case.get("reversed_range_result"):
                assert end < t.start
                assert ours == -float(t.cal.elapsed(np.array([end]), np.array([t.start]))[0]) < 0
            elif case.get("semantics") == "wall_clock_day_length":
                assert ours == 90000.0  # the whole 25-hour Sunday in real time
            else:  # pragma: no cover - every listed case is handled above
                pytest.fail(f"unhandled documented difference {case['id']}")
            return
        assert _same(ours, theirs, case), f"elapsed {ours} s, {case['suite']} says {theirs} s"
        if "expected_minutes" in case:  # Zammad stores whole minutes
            assert int(ours // 60) == case["expected_minutes"]
    elif kind == "add":
        seconds = float(case["duration_seconds"])
        ours, theirs = t.add(seconds), t.at(case["expected_end"])
        if case["id"] in DIFFERENCES:
            assert ours != theirs, "documented difference no longer differs"
            assert seconds == 0 and t.elapsed(ours) == 0 and ours == t.start
            assert t.next_opening(ours) == theirs
            return
        if case.get("boundary_convention") == "next_opening":
            # the suite gives the next opening where we give the closing instant: same business time
            assert t.elapsed(ours) == seconds
            assert t.next_opening(ours) == theirs
            if "closing_instant_equivalent" in case:
                assert ours == t.at(case["closing_instant_equivalent"])
            else:
                assert ours != theirs
            return
        stamp = datetime.fromtimestamp(ours, t.zone).isoformat()
        assert _same(ours, theirs, case), f"deadline {stamp}, {case['suite']} says {case['expected_end']}"
        assert _same(t.elapsed(ours), seconds, case) or t.pauses
    elif kind == "roll_forward":
        ours, theirs = t.next_opening(t.start), t.at(case["expected"])
        assert ours == theirs, f"opens {datetime.fromtimestamp(ours, t.zone).isoformat()}"
    else:  # pragma: no cover
        pytest.fail(f"unknown kind {kind}")


def test_every_case_is_loaded_once() -> None:
    assert len(CASES) == 451
    assert len(set(IDS)) == len(IDS)
    assert all(c.get("source") for c in CASES)


def test_documented_differences_are_real_cases() -> None:
    assert set(DIFFERENCES) <= set(IDS)
    marked = {
        c["id"]
        for c in CASES
        if c.get("reversed_range_result") == "zero" or c.get("semantics") == "wall_clock_day_length"
    }
    # every case the oracles themselves flag as a semantic divergence is listed with its reason
    assert marked <= set(DIFFERENCES)
