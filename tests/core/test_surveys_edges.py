"""Survey edges the mutation check found untested, hand-computed (spec "Rule (surveys)")."""

from __future__ import annotations

from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of

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
