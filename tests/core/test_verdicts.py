"""Verdict sentences: a duration target says its unit, as the values do."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sla_core.contract import parse_target
from sla_core.i18n import KpiDef, fmt_value
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


def test_the_sentences_count_what_they_average_and_a_whole_month_down() -> None:
    """Killed mutants (README "Testing"): the Chinese CSAT sentence names its count of responses, and a
    month with no available second (numerator 0) is down for all of March: 31 × 1,440 = 44,640 min."""
    csat = parse_target(">= 4.5", rate=False)
    availability = parse_target(">= 99.9%", rate=True)
    assert csat is not None and availability is not None
    v = judge("csat_mean", 4.52, 4.52 * 120, 120, csat)
    assert v.zh == "120 份评价平均 4.52 分；合同要求 ≥ 4.5，达标。"
    assert v.en == "Mean score 4.52 over 120 responses; contract requires ≥ 4.5: met."
    down = judge("availability", 0.0, 0, 31 * 86400, availability)
    assert (
        down.en == "0.0% available (44,640.0 min of unplanned downtime); contract requires ≥ 99.9%: missed."
    )


# Each kind of sentence, in both languages, computed by hand (README "Testing": the mutants of the
# sentences' words and numbers). March has 2,678,400 s: 2,678.4 s down = 44.64 min → "44.6".
SENTENCES = [
    (
        ("unplanned_downtime_minutes", 20.0, 60.0, 3, "<= 30", False),
        "月均计划外停机 20.0 分钟（3 个月共 60.0 分钟）；合同上限 ≤ 30 分钟，达标。",
        "20.0 min of unplanned downtime a month on average (60.0 min over 3 months); contract allows ≤ 30 min: met.",
    ),
    (  # a quarter with two months evaluated so far is a mean too
        ("unplanned_downtime_minutes", 15.0, 30.0, 2, "<= 30", False),
        "月均计划外停机 15.0 分钟（2 个月共 30.0 分钟）；合同上限 ≤ 30 分钟，达标。",
        "15.0 min of unplanned downtime a month on average (30.0 min over 2 months); contract allows ≤ 30 min: met.",
    ),
    (
        ("mttr_minutes", 45.0, 90.0, 2, None, False),
        "2 次故障平均恢复用时 45.0 分钟；合同未设目标，仅展示。",
        "Mean restoration 45.0 min over 2 incidents; the contract sets no target, shown only.",
    ),
    (
        ("backup_success_rate", 0.97, None, None, ">= 100%", True),
        "报告值 97.0%；合同要求 ≥ 100%，未达标。",
        "Reported 97.0%; contract requires ≥ 100%: missed.",
    ),
    (
        ("recovery_time_hours", 3.0, None, None, "<= 4", False),
        "报告值 3.00 小时；合同上限 ≤ 4 小时，达标。",
        "Reported 3.00 h; contract allows ≤ 4 h: met.",
    ),
    (
        ("first_contact_resolution", 0.8, 40, 50, ">= 85%", True),
        "80.0%（40/50 张已解决工单一次解决）；合同要求 ≥ 85%，未达标。",
        "80.0%: 40 of 50 resolved tickets solved at first contact; contract requires ≥ 85%: missed.",
    ),
    (
        ("availability", 0.999, 2675721.6, 2678400, ">= 99.9%", True),
        "可用性 99.9%（计划外停机 44.6 分钟）；合同要求 ≥ 99.9%，达标。",
        "99.9% available (44.6 min of unplanned downtime); contract requires ≥ 99.9%: met.",
    ),
]


@pytest.mark.parametrize(("case", "zh", "en"), SENTENCES, ids=[f"{c[0][0]}-{c[0][3]}" for c in SENTENCES])
def test_every_kind_of_sentence_in_both_languages(case, zh, en) -> None:
    kpi, value, num, den, written, rate = case
    target = None if written is None else parse_target(written, rate=rate)
    v = judge(kpi, value, num, den, target)
    assert (v.zh, v.en) == (zh, en)


def test_a_bare_target_leaves_the_unit_to_its_row() -> None:
    minutes = parse_target("<= 30", rate=False)
    assert minutes is not None
    assert target_text(minutes, "minutes", "zh", bare=True) == "≤ 30"
    assert target_text(minutes, "minutes", "en", bare=True) == "≤ 30"


def test_a_contract_measure_reads_as_reported() -> None:
    """Spec "Rule (contract KPIs)": doc 003's data accuracy, a measure KPI of the contract, is a reported
    value like backup and recovery — not "n of m" of something counted."""
    accuracy = KpiDef("data_accuracy", "数据准确率", "Data accuracy", "rate", True, "measures")
    v = judge("data_accuracy", 0.998, None, None, parse_target(">= 99.5%", rate=True), definition=accuracy)
    assert (v.zh, v.en) == (
        "报告值 99.8%；合同要求 ≥ 99.5%，达标。",
        "Reported 99.8%; contract requires ≥ 99.5%: met.",
    )


def test_explanation_gives_the_sentence_in_the_language_asked() -> None:
    """Spec, verdict sentences: each verdict carries its sentence in zh and en; "zh" reads the Chinese one,
    "en" the English one (kills the `explanation` mutants no test reached)."""
    from sla_core.verdicts import Verdict

    verdict = Verdict("response_rate", 0.75, None, "unjudged", 3, 4, "中文句子", "English sentence")
    assert verdict.explanation("zh") == "中文句子"
    assert verdict.explanation("en") == "English sentence"


# The verdicts the full mutation run left alive (tests/mutation/survivors/verdicts.md): each branch of
# `judge` keeps the value, the counts and the target it was given, and says its sentence in both languages.
ACCURACY = KpiDef("data_accuracy", "数据准确率", "Data accuracy", "rate", True, "measures")


def test_a_contract_kpi_the_terms_in_force_do_not_declare_is_shown_not_judged() -> None:
    """Spec "Rule (contract KPIs)": a KPI added by a later version is shown, not judged, in the months of the
    version that did not have it — its value and counts are still the ones computed."""
    target = parse_target(">= 99.5%", rate=True)
    v = judge("data_accuracy", 0.75, 3.0, 4.0, target, definition=ACCURACY, declared=False)
    assert (v.value, v.target, v.status, v.numerator, v.denominator) == (0.75, None, "unjudged", 3.0, 4.0)
    assert v.zh == "本期有效的合同条款未约定该指标，不评判。"
    assert v.en == "The terms in force for the period do not include this KPI: not judged."


def test_a_column_with_no_value_this_month_is_a_miss_under_the_contracts_rule_with_unit_and_counts() -> None:
    """Spec, `no_data_counts_as_missed`: a column held for other months but empty in this one is an absent
    source (`no_value:`), so it counts as a miss; the sentence names the column — a header may hold a
    colon — and the duration target with its unit in each language."""
    target = parse_target("<= 60", rate=False)
    v = judge(
        "mttr_minutes",
        None,
        0.0,
        0.0,
        target,
        no_data="no_value:Time: restored",
        no_data_counts_as_missed=True,
    )
    assert (v.value, v.target, v.status, v.numerator, v.denominator) == (None, target, "missed", 0.0, 0.0)
    assert (
        v.zh
        == "无数据：本期没有任何工单有 Time: restored 的值；合同约定缺少数据视为未达标（要求 ≤ 60 分钟）。"
    )
    assert v.en == (
        "No data: no ticket of the period carries a Time: restored value; the contract counts missing data "
        "as a miss (requires ≤ 60 min)."
    )


def test_a_missing_column_whose_header_holds_a_colon_is_named_whole() -> None:
    from sla_core.verdicts import no_data_reason

    assert no_data_reason("first_contact_resolution", "no_column:Solved: first contact") == (
        "文件中没有 Solved: first contact 列",
        "the file has no Solved: first contact column",
    )


def test_a_kpi_without_its_own_no_data_words_says_nothing_to_count() -> None:
    from sla_core.verdicts import no_data_reason

    assert no_data_reason("availability", "no_events") == ("本期无可计数据", "nothing to count in the period")
    v = judge("availability", None, 0, 0, parse_target(">= 99.9%", rate=True), no_data="no_events")
    assert (v.status, v.numerator, v.denominator) == ("no_data", 0, 0)
    assert (v.zh, v.en) == ("无数据：本期无可计数据。", "No data: nothing to count in the period.")


def test_a_month_before_the_contract_is_shown_with_its_own_digits_not_judged() -> None:
    """Spec: months before `effective_from` are unjudged. With no target in force beside it, 59.96 min reads
    at the usual one digit, 60.0 min; the English sentence starts with a capital."""
    target = parse_target("<= 60", rate=False)
    v = judge("mttr_minutes", 59.96, 119.92, 2.0, target, judged_period=False, contract_start="2026-04-01")
    assert (v.value, v.target, v.status, v.numerator, v.denominator) == (
        59.96,
        target,
        "unjudged",
        119.92,
        2.0,
    )
    assert v.zh == "2 次故障平均恢复用时 60.0 分钟；早于合同生效日 2026-04-01，不评判。"
    assert v.en == (
        "Mean restoration 60.0 min over 2 incidents; before the contract took effect (2026-04-01), not judged."
    )


def test_a_kpi_without_a_target_is_unjudged() -> None:
    v = judge("mttr_minutes", 45.0, 90.0, 2.0, None)
    assert (v.status, v.target, v.numerator, v.denominator) == ("unjudged", None, 90.0, 2.0)


def test_a_strict_lower_bound_is_a_requirement_in_chinese_too() -> None:
    v = judge("resolution_rate", 0.95, 95, 100, parse_target("> 95%", rate=True))
    assert v.zh.endswith("；合同要求 > 95%，未达标。")


def test_a_window_down_throughout_counts_every_second_of_it() -> None:
    """A 63-second window with no available second: 63 s down = 1.05 min, read at one digit as 1.1 min (one
    second less, 62 s = 1.03 min, would read 1.0)."""
    v = judge("availability", 0.0, 0.0, 63.0, parse_target(">= 99.9%", rate=True))
    assert v.en == "0.0% available (1.1 min of unplanned downtime); contract requires ≥ 99.9%: missed."
