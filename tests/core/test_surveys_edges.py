"""Survey edges the mutation check found untested, hand-computed (spec "Rule (surveys)")."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of
from sla_core.surveys import arrow_text

C = make_contract()
DIMS = ("dim:服务态度", "dim:专业能力", "dim:响应速度")


def R(rid, when, score, **kw):
    return dict(response_id=rid, submitted_at=when, score=score, **kw)


def flags_of(rows, as_of="2026-03-31"):
    ev = evaluate(C, dataset(surveys=rows), as_of=parse_as_of(as_of, C))
    return ev, dict(zip(ev.responses["response_id"], ev.responses["flags"].fillna(""), strict=True))


def test_each_response_is_straight_lined_on_its_own_values_and_its_own_completeness():
    """All 5s and all 3s are both straight-lined (each row's own max = min, not the file's); a third
    response with a blank dimension does not stop the others being judged, and is not flagged itself."""
    _, f = flags_of(
        [
            R("fives", "2026-03-04 09:00", 5, **dict.fromkeys(DIMS, 5)),
            R("threes", "2026-03-04 10:00", 3, **dict.fromkeys(DIMS, 3)),
            R("blank", "2026-03-04 11:00", 4, **{DIMS[0]: 4, DIMS[1]: 4}),
        ]
    )
    assert f == {"fives": "straight_lining", "threes": "straight_lining", "blank": ""}


def test_a_respondents_same_day_is_the_contracts_local_day():
    """Shanghai 07:00 and 09:00 on 4 March are one local day (in UTC 23:00 on the 3rd and 01:00 on the
    4th): the second answer of the same respondent is a duplicate."""
    _, f = flags_of(
        [
            R("a", "2026-03-04 07:00", 5, respondent="张三"),
            R("b", "2026-03-04 09:00", 5, respondent="张三"),
        ]
    )
    assert f == {"a": "", "b": "duplicate"}


def test_a_response_submitted_exactly_at_as_of_counts_one_second_later_does_not():
    rows = [R("in", "2026-03-10 12:00:00", 4), R("out", "2026-03-10 12:00:01", 2)]
    ev, f = flags_of(rows, as_of="2026-03-10T12:00:00")
    assert list(f) == ["in"]
    assert ev.month("2026-03").verdict("csat_mean").value == 4.0


def test_without_a_survey_file_the_satisfaction_kpis_have_no_data():
    ticket = dict(ticket_id="A", created_at="2026-03-02 10:00", priority="P3", resolved_at="2026-03-02 11:00")
    ev = evaluate(C, dataset(tickets=[ticket]), as_of=parse_as_of("2026-03-31", C))
    assert ev.responses.empty
    assert ev.month("2026-03").verdict("csat_mean").status == "no_data"


def test_a_dimension_is_out_of_scale_strictly_outside_min_and_scale_with_three_dimensions_or_two():
    """Scale 1–5: 1 and 5 themselves are in scale, 7 and 0 are not, a blank is not judged. Three
    dimensions (where straight-lining is judged too) and two dimensions."""
    _, f = flags_of(
        [
            R("high", "2026-03-04 09:00", 4, **{DIMS[0]: 7, DIMS[1]: 4, DIMS[2]: 3}),
            R("low", "2026-03-04 09:01", 4, **{DIMS[0]: 0, DIMS[1]: 4, DIMS[2]: 3}),
            R("ends", "2026-03-04 09:02", 4, **{DIMS[0]: 1, DIMS[1]: 5, DIMS[2]: 3}),
            R("blank", "2026-03-04 09:03", 4, **{DIMS[0]: 2, DIMS[1]: 4}),
        ]
    )
    assert f == {"high": "out_of_scale", "low": "out_of_scale", "ends": "", "blank": ""}
    _, f = flags_of(
        [
            R("ends", "2026-03-04 09:00", 4, **{DIMS[0]: 1, DIMS[1]: 5}),
            R("blank", "2026-03-04 09:01", 4, **{DIMS[0]: 3}),
            R("low", "2026-03-04 09:02", 4, **{DIMS[0]: 0, DIMS[1]: 3}),
        ]
    )
    assert f == {"ends": "", "blank": "", "low": "out_of_scale"}


def test_a_speeder_is_strictly_under_a_third_of_the_median_and_a_blank_duration_is_none():
    """Durations 90, 90, 30 and a blank: the month's median is 90, a third 30 — 30 itself is not under
    it; 29 would be. The blank is not a speeder."""
    rows = [
        R("a", "2026-03-04 09:00", 4, duration_seconds=90),
        R("b", "2026-03-04 10:00", 4, duration_seconds=90),
        R("c", "2026-03-04 11:00", 4, duration_seconds=30),
        R("d", "2026-03-04 12:00", 4),
    ]
    _, f = flags_of(rows)
    assert f == {"a": "", "b": "", "c": "", "d": ""}
    rows[2]["duration_seconds"] = 29
    _, f = flags_of(rows)
    assert f == {"a": "", "b": "", "c": "speeder", "d": ""}


def test_arrow_text_keeps_blanks_as_nulls_in_one_large_string_array():
    got = arrow_text(pd.Series(["T1", None, "T2"], dtype="object"))
    assert got.type == pa.large_string()
    assert got.to_pylist() == ["T1", None, "T2"]
