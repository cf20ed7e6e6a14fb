"""A value beside its target is never shown as the target when it is not: tiles and the scorecard."""

from __future__ import annotations

from builders import dataset, make_contract

from sla_core import views
from sla_core.evaluate import evaluate, parse_as_of

C = make_contract()
# 44 min down in 30-day April: 1 - 2640 / 2592000 = 99.898%, which one decimal would show as "99.9%"
OUTAGE = dict(service="邮件系统", start="2026-04-10 10:00", end="2026-04-10 10:44")


def _april():
    data = dataset(outages=[OUTAGE])
    return evaluate(C, data, as_of=parse_as_of("2026-05-31", C)), data


def test_the_availability_tile_shows_the_digits_that_make_it_a_miss() -> None:
    ev, data = _april()
    tile = next(
        t for t in views.tiles(ev, data, views.Period.month("2026-04"), None, "en") if t.kpi == "availability"
    )
    assert tile.status == "missed"
    assert tile.value_text == "99.898%"
    assert tile.target_text == "≥ 99.9%"


def test_the_scorecard_shows_the_same_digits() -> None:
    ev, _ = _april()
    values, statuses = views.status_matrix(ev, "en", months=["2026-04"])
    assert values.loc["Availability", "Apr 2026"] == "99.898%"
    assert statuses.loc["Availability", "Apr 2026"] == "missed"
    assert values.loc["Unplanned downtime (min)", "Apr 2026"] == "44.0"  # clearly over ≤ 30: as before


def test_a_duration_row_names_its_unit_once_and_its_cells_hold_numbers() -> None:
    ev, _ = _april()
    values, _ = views.status_matrix(ev, "zh", months=["2026-04"])
    assert values.loc["计划外停机（分钟）", "2026年4月"] == "44.0"
    assert values.loc["计划外停机（分钟）", "目标"] == "≤ 30"
    assert values.loc["系统可用性", "2026年4月"] == "99.898%"  # rates keep their sign
    assert not any("分钟" in str(v) or "小时" in str(v) for v in values.to_numpy().ravel())


def test_a_scorecard_row_shows_every_period_with_the_same_decimals() -> None:
    """Issue 19 (Formats): one number of decimals per KPI row. April needs three (99.898% beside
    ≥ 99.9%); May's 30 min down in 31 days is 1 - 1800 / 2678400 = 99.93280%, which alone would read
    99.93% (two decimals tell it from 99.9%) — in April's row it reads 99.933%."""
    may = dict(service="邮件系统", start="2026-05-12 10:00", end="2026-05-12 10:30")
    data = dataset(outages=[OUTAGE, may])
    ev = evaluate(C, data, as_of=parse_as_of("2026-06-30", C))
    values, _ = views.status_matrix(ev, "en", months=["2026-04", "2026-05"])
    assert values.loc["Availability", "Apr 2026"] == "99.898%"
    assert values.loc["Availability", "May"] == "99.933%"
    may_only, _ = views.status_matrix(ev, "en", months=["2026-05"])
    assert may_only.loc["Availability", "May 2026"] == "99.93%"
    assert values.loc["Unplanned downtime (min)", "Apr 2026"] == "44.0"
    assert values.loc["Unplanned downtime (min)", "May"] == "30.0"


def test_the_downtime_budget_is_the_stricter_of_the_two_limits() -> None:
    """Issue 19 (Availability): doc 003 allows ≥ 99.9% availability AND ≤ 30 min unplanned downtime.
    In 30-day April 99.9% leaves 0.001 × 43,200 min = 43.2 min; the 30 min limit binds. April's 44 min
    down leave 30 - 44 = -14 min of budget, burned 44 / 30 = 146.7%."""
    ev, _ = _april()
    view = views.availability(ev, views.Period.month("2026-04"), "en")
    april = view.months.set_index("month").loc["2026-04"]
    assert april["budget_minutes"] == 30.0
    assert view.budget_left_minutes == -14.0
    assert view.burn is not None and round(view.burn, 4) == round(44 / 30, 4)


def test_without_a_downtime_limit_the_availability_target_sets_the_budget() -> None:
    """The same month under a contract that only sets availability ≥ 99.9%: 43.2 min."""
    c = make_contract(drop=("kpis.unplanned_downtime_minutes",))
    data = dataset(outages=[OUTAGE])
    ev = evaluate(c, data, as_of=parse_as_of("2026-05-31", c))
    april = (
        views.availability(ev, views.Period.month("2026-04"), "en").months.set_index("month").loc["2026-04"]
    )
    assert round(april["budget_minutes"], 6) == 43.2
