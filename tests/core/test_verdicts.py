"""Verdict sentences: a duration target says its unit, as the values do."""

from __future__ import annotations

from sla_core.contract import parse_target
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
