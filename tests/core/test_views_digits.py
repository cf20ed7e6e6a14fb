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
