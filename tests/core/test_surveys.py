"""Survey integrity flags and exclusions (spec "Rule (surveys)")."""

from __future__ import annotations

import pytest
from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of
from sla_core.surveys import Exclusion

C = make_contract()


def R(rid, when, score, **kw):
    return dict(response_id=rid, submitted_at=when, score=score, **kw)


def flags_of(rows, exclusions=()):
    ev = evaluate(C, dataset(surveys=rows), as_of=parse_as_of("2026-03-31", C), exclusions=exclusions)
    return ev, dict(zip(ev.responses["response_id"], ev.responses["flags"].fillna(""), strict=True))


def test_duplicate_ticket_flags_all_but_the_earliest():
    _, f = flags_of(
        [
            R("late", "2026-03-05 10:00", 5, ticket_id="T1"),
            R("early", "2026-03-04 10:00", 4, ticket_id="T1"),
            R("other", "2026-03-04 10:00", 4, ticket_id="T2"),
        ]
    )
    assert f == {"late": "duplicate", "early": "", "other": ""}


def test_duplicate_respondent_same_day_without_ticket():
    _, f = flags_of(
        [
            R("a", "2026-03-04 09:00", 5, respondent="张三"),
            R("b", "2026-03-04 17:00", 5, respondent="张三"),
            R("c", "2026-03-05 09:00", 5, respondent="张三"),
        ]
    )
    assert f == {"a": "", "b": "duplicate", "c": ""}


def test_straight_lining_needs_three_equal_dimensions():
    dims = {"dim:服务态度": 5, "dim:专业能力": 5, "dim:响应速度": 5}
    _, f = flags_of(
        [
            R("flat", "2026-03-04 09:00", 5, **dims),
            R("varied", "2026-03-04 10:00", 5, **{**dims, "dim:响应速度": 4}),
        ]
    )
    assert f == {"flat": "straight_lining", "varied": ""}


def test_speeders_are_below_a_third_of_the_months_median():
    rows = [
        R(f"r{i}", "2026-03-04 09:00", 4, ticket_id=f"T{i}", duration_seconds=d)
        for i, d in enumerate([90, 120, 120, 150, 39, 40])
    ]
    _, f = flags_of(rows)
    # median of 90,120,120,150,39,40 = 105; a third = 35 → nobody; make one faster
    assert all(v == "" for v in f.values())
    rows[4]["duration_seconds"] = 30
    _, f = flags_of(rows)
    assert f["r4"] == "speeder"


def test_dimension_out_of_scale_is_flagged_not_rejected():
    _, f = flags_of([R("x", "2026-03-04 09:00", 4, **{"dim:服务态度": 7, "dim:专业能力": 4})])
    assert f == {"x": "out_of_scale"}


def test_flagged_responses_count_until_excluded():
    rows = [R("a", "2026-03-04 09:00", 5, ticket_id="T1"), R("b", "2026-03-05 09:00", 1, ticket_id="T1")]
    ev, _ = flags_of(rows)
    assert ev.month("2026-03").verdict("csat_mean").value == pytest.approx(3.0)
    ev, _ = flags_of(rows, exclusions=[Exclusion("b", "质量经理", "重复评价")])
    assert ev.month("2026-03").verdict("csat_mean").value == pytest.approx(5.0)
    row = ev.responses.set_index("response_id").loc["b"]
    assert (row["excluded_by"], row["exclusion_reason"]) == ("质量经理", "重复评价")
