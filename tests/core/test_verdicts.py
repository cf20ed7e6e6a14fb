"""Verdict sentences: a duration target says its unit, as the values do."""

from __future__ import annotations

from decimal import Decimal

from sla_core.contract import parse_target
from sla_core.i18n import fmt_value
from sla_core.verdicts import judge, target_text


def test_target_text_names_the_unit_of_durations() -> None:
    minutes = parse_target("<= 30", rate=False)
    hours = parse_target("<= 4", rate=False)
    rate = parse_target(">= 95%", rate=True)
    assert minutes is not None and hours is not None and rate is not None
    assert target_text(minutes, "minutes", "zh") == "≤ 30 分钟"
    assert target_text(minutes, "minutes", "en") == "≤ 30 min"
    assert target_text(hours, "hours", "en") == "≤ 4 h"
    assert target_text(rate, "rate", "zh") == "≥ 95%"
    assert target_text(rate) == "≥ 95%"


def test_a_target_written_with_the_symbol_is_not_doubled() -> None:
    target = parse_target("≥ 4.6", rate=False)
    assert target is not None
    assert target_text(target, "score", "en") == "≥ 4.6"


def test_a_duration_verdict_sentence_carries_the_unit() -> None:
    target = parse_target("<= 30", rate=False)
    v = judge("unplanned_downtime_minutes", 36.0, 36.0, 1.0, target)
    assert v.status == "missed"
    assert v.zh == "计划外停机 36.0 分钟；合同上限 ≤ 30 分钟，未达标。"
    assert v.en == "36.0 min of unplanned downtime; contract allows ≤ 30 min: missed."


def test_a_value_that_would_read_as_its_target_gets_the_digits_that_tell_them_apart() -> None:
    availability = parse_target(">= 99.9%", rate=True)
    downtime = parse_target("<= 30", rate=False)
    csat = parse_target(">= 4.6", rate=False)
    assert availability is not None and downtime is not None and csat is not None
    # 43.9 min down in a 30-day month: 99.8984%, which rounds to the target's "99.9%"
    v = judge("availability", 0.998984, 2589966, 2592000, availability)
    assert v.status == "missed"
    assert v.en.startswith("99.898% available (33.9 min of unplanned downtime)"), v.en
    assert judge("unplanned_downtime_minutes", 30.04, 30.04, 1.0, downtime).zh.startswith(
        "计划外停机 30.04 分钟"
    )
    assert judge("csat_mean", 4.5996, 4.5996 * 10, 10, csat).en.startswith("Mean score 4.5996 over 10")
    # exactly on the target, or clearly apart from it: as before
    assert judge("availability", 0.999, 1, 1, availability).en.startswith("99.9% available")
    assert judge("availability", 0.9997, 1, 1, availability).en.startswith("99.97% available")
    assert judge("unplanned_downtime_minutes", 36.0, 36.0, 1.0, downtime).en.startswith("36.0 min")


def test_the_digits_stop_at_three_more() -> None:
    assert fmt_value(0.99900001, "rate", "en", beside=Decimal("0.999")) == "99.9000%"
    assert fmt_value(0.95, "rate", "en", beside=Decimal("0.95")) == "95.0%"
    assert fmt_value(None, "rate", "en", beside=Decimal("0.95")) == "—"


def test_one_incident_is_not_one_incidents() -> None:
    assert "over 1 incident;" in judge("mttr_minutes", 14.0, 14.0, 1, None).en
    assert "over 2 incidents;" in judge("mttr_minutes", 14.0, 28.0, 2, None).en
    assert "over 1 response;" in judge("csat_mean", 4.0, 4.0, 1, parse_target(">= 4.5", rate=False)).en


def test_strict_targets_are_not_met_on_equality_and_inclusive_ones_are() -> None:
    """Spec "Rule (durations and targets)": `>=`, `<=`, `>` or `<`, compared exactly. On the boundary:
    ≥ 95% and ≤ 2% are met, > 95% and < 2% are not; a hair past it decides the other way."""
    at_least, above = parse_target(">= 95%", rate=True), parse_target("> 95%", rate=True)
    at_most, below = parse_target("<= 2%", rate=True), parse_target("< 2%", rate=True)
    assert at_least is not None and above is not None and at_most is not None and below is not None
    assert at_least.met_by(0.95) and not above.met_by(0.95)
    assert above.met_by(0.9501) and not at_least.met_by(0.9499)
    assert at_most.met_by(0.02) and not below.met_by(0.02)
    assert below.met_by(0.0199) and not at_most.met_by(0.0201)
    assert judge("complaint_rate", 0.02, 1, 50, below).status == "missed"
    assert judge("complaint_rate", 0.02, 1, 50, at_most).status == "met"
    assert judge("resolution_rate", 0.95, 95, 100, above).en.endswith("contract requires > 95%: missed.")


def test_no_data_is_missed_only_for_an_absent_source_under_the_contracts_rule() -> None:
    target = parse_target(">= 85%", rate=True)
    absent = judge(
        "first_contact_resolution",
        None,
        None,
        None,
        target,
        no_data="no_column:first_contact_resolved",
        no_data_counts_as_missed=True,
    )
    nothing = judge(
        "suggestion_adoption_rate", None, 0, 0, target, no_data="no_events", no_data_counts_as_missed=True
    )
    lenient = judge("first_contact_resolution", None, None, None, target, no_data="no_file:tickets")
    assert (absent.status, nothing.status, lenient.status) == ("missed", "no_data", "no_data")
