"""Availability, downtime, incidents and MTTR, hand-computed (spec "Rule (availability)")."""

from __future__ import annotations

import numpy as np
import pytest
from builders import dataset, make_contract

from sla_core.availability import merge_intervals
from sla_core.evaluate import evaluate, parse_as_of

C = make_contract()


def month(outages, label="2026-04", as_of="2026-05-31", contract=C):
    ev = evaluate(contract, dataset(outages=outages), as_of=parse_as_of(as_of, contract))
    return ev, ev.month(label)


def value(period, kpi):
    return period.verdict(kpi).value


def test_overlapping_outages_of_two_services_count_once():
    ev, april = month(
        [
            dict(service="邮件系统", start="2026-04-10 10:00", end="2026-04-10 10:30"),
            dict(service="OA系统", start="2026-04-10 10:20", end="2026-04-10 10:40"),
        ]
    )
    assert value(april, "unplanned_downtime_minutes") == pytest.approx(40.0)
    assert value(april, "availability") == pytest.approx(1 - 2400 / (30 * 86400))
    # two incidents (one per service): 30 and 20 minutes
    assert value(april, "mttr_minutes") == pytest.approx(25.0)
    assert april.verdict("mttr_minutes").denominator == 2


def test_touching_outages_of_one_service_are_one_incident():
    ev, april = month(
        [
            dict(service="VPN", start="2026-04-10 10:00", end="2026-04-10 11:00"),
            dict(service="VPN", start="2026-04-10 11:00", end="2026-04-10 12:30"),
        ]
    )
    assert april.verdict("mttr_minutes").denominator == 1
    assert value(april, "mttr_minutes") == pytest.approx(150.0)
    assert value(april, "restored_in_time") == 0.0  # 2.5 h > 2 h


def test_outage_across_a_month_end_is_split_by_local_month():
    ev, _ = month([dict(service="VPN", start="2026-04-30 23:00", end="2026-05-01 01:00")])
    assert value(ev.month("2026-04"), "unplanned_downtime_minutes") == pytest.approx(60.0)
    assert value(ev.month("2026-05"), "unplanned_downtime_minutes") == pytest.approx(60.0)
    # the incident started in April: it counts for April's MTTR only
    assert value(ev.month("2026-04"), "mttr_minutes") == pytest.approx(120.0)
    assert ev.month("2026-05").verdict("mttr_minutes").status == "no_data"


def test_announced_maintenance_is_planned_late_notice_is_not():
    ev, april = month(
        [
            dict(
                service="OA系统",
                start="2026-04-11 02:00",
                end="2026-04-11 04:00",
                planned=True,
                announced_at="2026-04-09 10:00",
            ),  # 40 h ahead: planned
            dict(
                service="OA系统",
                start="2026-04-18 02:00",
                end="2026-04-18 03:00",
                planned=True,
                announced_at="2026-04-17 10:00",
            ),  # 16 h ahead: counts as unplanned
            dict(
                service="OA系统", start="2026-04-25 02:00", end="2026-04-25 02:30", planned=True
            ),  # never announced
        ]
    )
    assert value(april, "unplanned_downtime_minutes") == pytest.approx(90.0)
    reasons = ev.outages.outages["unplanned_reason"].tolist()
    assert reasons == ["", "late_notice", "late_notice"]


def test_exact_boundary_43_2_minutes_in_a_30_day_month_meets_99_9_percent():
    # 43.2 min = 2592 s of a 2,592,000 s month = exactly 0.1 %
    _, april = month([dict(service="VPN", start="2026-04-10 10:00:00", end="2026-04-10 10:43:12")])
    v = april.verdict("availability")
    assert v.status == "met"
    assert v.value == pytest.approx(0.999)
    _, april = month([dict(service="VPN", start="2026-04-10 10:00:00", end="2026-04-10 10:43:13")])
    assert april.verdict("availability").status == "missed"


def test_month_without_outages_is_fully_available_when_a_log_is_given():
    ev, _ = month(
        [
            dict(service="VPN", start="2026-04-10 10:00", end="2026-04-10 10:10"),
            dict(service="VPN", start="2026-06-10 10:00", end="2026-06-10 10:10"),
        ],
        as_of="2026-06-30",
    )
    may = ev.month("2026-05")
    assert value(may, "availability") == 1.0
    assert value(may, "unplanned_downtime_minutes") == 0.0
    assert may.verdict("availability").status == "met"


def test_no_outage_input_is_no_data():
    ev = evaluate(
        C,
        dataset(tickets=[dict(ticket_id="A", created_at="2026-04-01 10:00", priority="P3")]),
        as_of=parse_as_of("2026-04-30", C),
    )
    assert ev.month("2026-04").verdict("availability").status == "no_data"


def test_outage_without_end_runs_to_as_of_with_a_warning():
    ev, april = month([dict(service="VPN", start="2026-04-30 23:00")], as_of="2026-04-30T23:30:00")
    assert value(april, "unplanned_downtime_minutes") == pytest.approx(30.0)
    assert any(w.code == "outages.no_end" for w in ev.warnings)
    assert april.verdict("mttr_minutes").status == "no_data"  # the incident has not ended


def test_per_service_availability_is_a_breakdown():
    ev, _ = month(
        [
            dict(service="邮件系统", start="2026-04-10 10:00", end="2026-04-10 10:30"),
            dict(service="OA系统", start="2026-04-10 10:20", end="2026-04-10 10:40"),
        ]
    )
    rows = ev.values.query("period == '2026-04' and dimension == 'service' and kpi == 'availability'")
    by = dict(zip(rows["member"], rows["value"], strict=True))
    assert by["邮件系统"] == pytest.approx(1 - 1800 / 2592000)
    assert by["OA系统"] == pytest.approx(1 - 1200 / 2592000)


def test_a_quarter_judges_downtime_by_its_mean_month():
    # 12 + 18 + 9 minutes: each month meets ≤ 30; the quarter's mean month (13) does too
    ev, _ = month(
        [
            dict(service="VPN", start="2026-01-10 10:00", end="2026-01-10 10:12"),
            dict(service="VPN", start="2026-02-10 10:00", end="2026-02-10 10:18"),
            dict(service="VPN", start="2026-03-10 10:00", end="2026-03-10 10:09"),
        ],
        label="2026-01",
        as_of="2026-03-31",
    )
    q = ev.quarter("2026Q1").verdict("unplanned_downtime_minutes")
    assert q.value == pytest.approx(13.0) and (q.numerator, q.denominator) == (39.0, 3.0)
    assert q.status == "met"
    assert "a month on average" in q.en


def test_an_incident_restored_exactly_at_restore_within_is_in_time():
    """Doc 001 (三.1): "2小时内全面恢复" — `restore_within = "2h"` is inclusive: 2 h 00 min is in time,
    2 h 00 min 01 s is not."""
    ev, april = month(
        [
            dict(service="VPN", start="2026-04-10 10:00:00", end="2026-04-10 12:00:00"),
            dict(service="OA", start="2026-04-11 10:00:00", end="2026-04-11 12:00:01"),
        ]
    )
    restored = april.verdict("restored_in_time")
    assert (restored.numerator, restored.denominator) == (1, 2)
    assert ev.outages.incidents.sort_values("service")["restored_in_time"].tolist() == [False, True]


def test_a_chain_of_overlapping_outages_merges_into_one_interval():
    """Overlaps merge transitively: [0, 10) ∪ [5, 20) ∪ [15, 30) is [0, 30) although the first and the
    last do not overlap; [40, 50) stays apart; given in any order."""
    start = np.array([15.0, 40.0, 0.0, 5.0])
    end = np.array([30.0, 50.0, 10.0, 20.0])
    starts, ends = merge_intervals(start, end)
    assert starts.tolist() == [0.0, 40.0] and ends.tolist() == [30.0, 50.0]
