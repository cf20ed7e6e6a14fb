"""Availability edges the mutation check found untested, hand-computed (spec "Rule (availability)").

The example contract: `notice = "24h"` (doc 003: planned maintenance announced 24 h ahead, else it is
unplanned), `restore_within = "2h"`; April 2026 has 30 days = 2,592,000 s.
"""

from __future__ import annotations

import pandas as pd
import pytest
from builders import dataset, make_contract

from sla_core.availability import outage_facts
from sla_core.dataset import Dataset
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.periods import MonthGrid

C = make_contract()
APRIL = 2026 * 12 + 3


def facts(outages, as_of="2026-05-31", contract=C):
    ev = evaluate(contract, dataset(outages=outages), as_of=parse_as_of(as_of, contract))
    return ev, ev.outages


# flagged planned: one never announced, one announced an hour before it starts
FLAGGED = [
    dict(service="OA", start="2026-04-11 02:00", end="2026-04-11 04:00", planned=True),
    dict(
        service="OA",
        start="2026-04-18 02:00",
        end="2026-04-18 03:00",
        planned=True,
        announced_at="2026-04-18 01:00",
    ),
]


def test_without_a_notice_period_every_flagged_outage_is_planned():
    """A contract with no `notice`: the planned flag is enough, announced or not — no downtime counts."""
    ev, out = facts(FLAGGED, contract=make_contract(drop=("availability.notice",)))
    assert out.outages["planned_effective"].tolist() == [True, True]
    assert out.outages["unplanned_reason"].tolist() == ["", ""]
    assert ev.month("2026-04").verdict("unplanned_downtime_minutes").value == 0.0
    # the negative side: the same rows under the example contract's 24 h notice are unplanned, 2 h + 1 h
    ev, out = facts(FLAGGED)
    assert out.outages["unplanned_reason"].tolist() == ["late_notice", "late_notice"]
    assert ev.month("2026-04").verdict("unplanned_downtime_minutes").value == pytest.approx(180.0)


def test_notice_given_exactly_24_hours_ahead_is_in_time_one_second_less_is_not():
    """Doc 003's 24 h notice is inclusive: announced 24:00:00 before the start → planned; 23:59:59 → not."""
    ev, out = facts(
        [
            dict(
                service="OA",
                start="2026-04-11 02:00:00",
                end="2026-04-11 03:00:00",
                planned=True,
                announced_at="2026-04-10 02:00:00",
            ),
            dict(
                service="OA",
                start="2026-04-18 02:00:00",
                end="2026-04-18 02:30:00",
                planned=True,
                announced_at="2026-04-17 02:00:01",
            ),
        ]
    )
    assert out.outages["planned_effective"].tolist() == [True, False]
    assert out.outages["unplanned_reason"].tolist() == ["", "late_notice"]
    assert ev.month("2026-04").verdict("unplanned_downtime_minutes").value == pytest.approx(30.0)


def test_an_outage_not_flagged_planned_has_reason_unplanned():
    """Three kinds side by side: not flagged → "unplanned"; flagged, announced in time → ""; flagged,
    announced late → "late_notice". Only the first and the last count: 10 + 5 minutes."""
    ev, out = facts(
        [
            dict(service="VPN", start="2026-04-10 10:00", end="2026-04-10 10:10"),
            dict(
                service="VPN",
                start="2026-04-12 02:00",
                end="2026-04-12 03:00",
                planned=True,
                announced_at="2026-04-09 09:00",
            ),
            dict(
                service="VPN",
                start="2026-04-14 02:00",
                end="2026-04-14 02:05",
                planned=True,
                announced_at="2026-04-13 09:00",
            ),
        ]
    )
    assert out.outages["unplanned_reason"].tolist() == ["unplanned", "", "late_notice"]
    assert out.outages["planned_effective"].tolist() == [False, True, False]
    assert ev.month("2026-04").verdict("unplanned_downtime_minutes").value == pytest.approx(15.0)


def test_a_services_month_without_downtime_has_no_row_in_the_breakdown():
    """VPN down 10 min in April, none in May; OA down 20 min in May: the per-service breakdown holds
    (April, VPN, 600 s) and (May, OA, 1200 s) only — no zero rows for VPN's May or OA's April."""
    _, out = facts(
        [
            dict(service="VPN", start="2026-04-10 10:00", end="2026-04-10 10:10"),
            dict(service="OA", start="2026-05-10 10:00", end="2026-05-10 10:20"),
        ]
    )
    rows = out.downtime_by_service.sort_values(["month_key", "service"])
    april, may = 2026 * 12 + 3, 2026 * 12 + 4
    assert list(rows.itertuples(index=False, name=None)) == [(april, "VPN", 600.0), (may, "OA", 1200.0)]
    assert out.downtime[april] == 600.0 and out.downtime[may] == 1200.0


def test_an_open_outage_inside_a_merged_incident_keeps_the_incident_open():
    """VPN: 10:00–11:00 (ended) and 10:30 with no end (runs to as_of 12:00) merge into one incident
    10:00–12:00 that is still open: not restored in time, no MTTR."""
    ev, out = facts(
        [
            dict(service="VPN", start="2026-04-10 10:00", end="2026-04-10 11:00"),
            dict(service="VPN", start="2026-04-10 10:30"),
        ],
        as_of="2026-04-10T12:00:00",
    )
    inc = out.incidents
    assert len(inc) == 1
    assert inc["open"].tolist() == [True]
    assert inc["duration"].tolist() == [7200.0]
    assert inc["restored_in_time"].tolist() == [False]  # 2 h would be in time, but it has not ended
    april = ev.month("2026-04")
    assert april.verdict("mttr_minutes").status == "no_data"
    assert april.verdict("unplanned_downtime_minutes").value == pytest.approx(120.0)


def test_an_open_outage_that_starts_the_incident_keeps_it_open():
    """The open outage is the incident's first (its start is the incident's start, the boundary of
    "starts inside the incident"): VPN from 10:00 with no end, and 10:30–10:40 inside it."""
    _, out = facts(
        [
            dict(service="VPN", start="2026-04-10 10:00"),
            dict(service="VPN", start="2026-04-10 10:30", end="2026-04-10 10:40"),
        ],
        as_of="2026-04-10T11:00:00",
    )
    assert out.incidents["open"].tolist() == [True]
    assert out.incidents["duration"].tolist() == [3600.0]


def test_an_ended_incident_beside_an_open_one_of_the_same_service_stays_closed():
    """VPN 08:00–08:30 (ended) and VPN from 10:00 (open, to as_of 11:00): two incidents; only the
    second is open, the first is restored in time (30 min ≤ 2 h)."""
    _, out = facts(
        [
            dict(service="VPN", start="2026-04-10 08:00", end="2026-04-10 08:30"),
            dict(service="VPN", start="2026-04-10 10:00"),
        ],
        as_of="2026-04-10T11:00:00",
    )
    inc = out.incidents.sort_values("start")
    assert inc["open"].tolist() == [False, True]
    assert inc["restored_in_time"].tolist() == [True, False]
    assert inc["duration"].tolist() == [1800.0, 3600.0]


def test_without_an_outage_file_nothing_is_given():
    """No outage log at all (not an empty one): the facts say so — availability is then no data."""
    grid = MonthGrid.spanning(APRIL, APRIL, C.zone)
    facts_ = outage_facts(C, Dataset(), parse_as_of("2026-04-30", C), grid)
    assert facts_.given is False
    assert isinstance(facts_.outages, pd.DataFrame) and facts_.outages.empty
    assert isinstance(facts_.incidents, pd.DataFrame) and facts_.incidents.empty


def test_an_outage_starting_or_ending_exactly_at_as_of_is_known():
    """as_of 12:00: an outage 10:00–12:00 has ended (no warning, 2 h); one starting at 12:00:00 is in
    (open, 0 s so far); one starting 12:00:01 is not yet known."""
    ev, out = facts(
        [
            dict(service="VPN", start="2026-04-10 10:00:00", end="2026-04-10 12:00:00"),
            dict(service="OA", start="2026-04-10 12:00:00", _row=3),  # the file's row 3
            dict(service="CRM", start="2026-04-10 12:00:01"),
        ],
        as_of="2026-04-10T12:00:00",
    )
    assert out.outages["service"].tolist() == ["VPN", "OA"]
    assert out.outages["open"].tolist() == [False, True]
    (w,) = [w for w in ev.warnings if w.code == "outages.no_end"]
    assert (w.level, w.column, w.row) == ("warning", "end", 3)
    # in the contract's time (Asia/Shanghai), as the file wrote it — not the stored UTC (04:00)
    assert w.en == (
        "outage of OA starting 2026-04-10 12:00:00 has no end; "
        "it counts as down until the evaluation's as-of time, 2026-04-10 12:00:00"
    )
    assert (
        w.zh == "故障 OA（开始于 2026-04-10 12:00:00）没有结束时间，按持续到评估时点 2026-04-10 12:00:00 计算"
    )


def test_an_open_outage_starting_exactly_at_as_of_is_an_open_incident_of_no_length():
    """as_of 12:00: OA down from 12:00:00 with no end is one incident 12:00–12:00 (0 s so far) that is
    still open, so not restored in time (restore_within counts only an ended incident)."""
    _, out = facts([dict(service="OA", start="2026-04-10 12:00:00")], as_of="2026-04-10T12:00:00")
    inc = out.incidents
    assert inc["open"].tolist() == [True]
    assert inc["duration"].tolist() == [0.0]
    assert inc["restored_in_time"].tolist() == [False]


def test_with_no_notice_period_an_announcement_at_the_outage_start_and_as_of_is_in_time():
    """notice = "0m": announced at the very moment it starts is planned (announced <= start - 0), also
    when that moment is as_of itself (an announcement at as_of is known, one after it is not)."""
    zero = make_contract({"availability": {"notice": "0m"}})
    flagged = dict(service="OA", start="2026-04-10 12:00:00", end="2026-04-10 12:00:00", planned=True)
    _, out = facts(
        [{**flagged, "announced_at": "2026-04-10 12:00:00"}], as_of="2026-04-10T12:00:00", contract=zero
    )
    assert out.outages["planned_effective"].tolist() == [True]
    assert out.outages["unplanned_reason"].tolist() == [""]
    _, out = facts(
        [{**flagged, "announced_at": "2026-04-10 12:00:01"}], as_of="2026-04-10T12:00:00", contract=zero
    )
    assert out.outages["planned_effective"].tolist() == [False]
    assert out.outages["unplanned_reason"].tolist() == ["late_notice"]


def test_one_second_of_downtime_is_a_row_of_the_services_breakdown():
    """VPN down 10:00:00–10:00:01 in April: 1 s unplanned, and (April, VPN, 1 s) in the breakdown."""
    _, out = facts([dict(service="VPN", start="2026-04-10 10:00:00", end="2026-04-10 10:00:01")])
    rows = list(out.downtime_by_service.itertuples(index=False, name=None))
    assert rows == [(APRIL, "VPN", 1.0)]
    assert out.downtime[APRIL] == 1.0


def test_incidents_and_the_breakdown_are_listed_by_service_in_order():
    """The log lists VPN (08:00–08:10) before OA (09:00–09:30): incidents and the per-service
    breakdown come by service name, OA then VPN, whatever the file's order."""
    _, out = facts(
        [
            dict(service="VPN", start="2026-04-10 08:00", end="2026-04-10 08:10"),
            dict(service="OA", start="2026-04-10 09:00", end="2026-04-10 09:30"),
        ]
    )
    assert out.incidents["service"].tolist() == ["OA", "VPN"]
    assert list(out.downtime_by_service.itertuples(index=False, name=None)) == [
        (APRIL, "OA", 1800.0),
        (APRIL, "VPN", 600.0),
    ]
