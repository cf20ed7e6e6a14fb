"""The quarterly review's choices: which quarters are complete, the one it opens on, and the months
inside a quarter that missed a KPI (a quarter that pools its months can meet what a month missed)."""

from __future__ import annotations

from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of
from sla_core.views import default_quarter, quarter_choices, quarter_view

C = make_contract()
# 44 min down in April misses availability (≥ 99.9%) and unplanned downtime (≤ 30 min) in April only
APRIL = dict(service="邮件系统", start="2026-04-10 10:00", end="2026-04-10 10:44")
JUNE = dict(service="邮件系统", start="2026-06-10 10:00", end="2026-06-10 10:04")
JULY = dict(service="邮件系统", start="2026-07-03 10:00", end="2026-07-03 10:02")


def _ev(as_of: str, *outages: dict):
    return evaluate(C, dataset(outages=list(outages)), as_of=parse_as_of(as_of, C))


def test_a_quarter_is_complete_once_its_last_day_is_over() -> None:
    ev = _ev("2026-07-01T00:00:00", APRIL, JUNE)  # the first instant of July: Q2 has ended
    assert [(c.label, c.months, c.complete) for c in quarter_choices(ev)] == [
        ("2026Q2", ("2026-04", "2026-05", "2026-06"), True)
    ]
    ended_not = _ev("2026-06-30T23:59:59", APRIL, JUNE)  # one second before: not yet
    assert [c.complete for c in quarter_choices(ended_not)] == [False]


def test_the_review_opens_on_the_last_complete_quarter_not_the_current_partial_one() -> None:
    ev = _ev("2026-07-05", APRIL, JUNE, JULY)
    choices = {c.label: c for c in quarter_choices(ev)}
    assert choices["2026Q3"].months == ("2026-07",) and not choices["2026Q3"].complete
    assert default_quarter(ev) == "2026Q2"


def test_a_quarter_missing_a_month_of_data_is_partial_and_opens_when_nothing_is_complete() -> None:
    ev = _ev("2026-07-05", JUNE, JULY)  # data from June only: Q2 lacks April and May
    assert [(c.label, c.complete) for c in quarter_choices(ev)] == [("2026Q2", False), ("2026Q3", False)]
    assert default_quarter(ev) == "2026Q3"


def test_monthly_misses_inside_a_quarter_name_the_month_and_kpis() -> None:
    ev = _ev("2026-07-01", APRIL, JUNE)
    view = quarter_view(ev, "2026Q2", "zh")
    assert view is not None
    assert view.monthly_misses == [("2026-04", ["系统可用性", "计划外停机"])]
    assert view.monthly_miss_count == 2
    clean = quarter_view(_ev("2026-07-01", JUNE), "2026Q2", "en")
    assert clean is not None and clean.monthly_misses == [] and clean.monthly_miss_count == 0
