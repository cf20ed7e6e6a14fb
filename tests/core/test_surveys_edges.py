"""Survey edges the mutation check found untested, hand-computed (spec "Rule (surveys)")."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of
from sla_core.surveys import Exclusion, arrow_text

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


def _attributes(ev, rid):
    row = ev.responses.set_index("response_id").loc[rid]
    cols = ("priority", "category", "customer", "team", "channel")
    return tuple(None if pd.isna(row[c]) else row[c] for c in cols)


def test_a_response_takes_priority_category_customer_from_its_ticket_and_team_channel_only_when_blank():
    """Breakdowns of satisfaction (spec "Rule (filters)"): a response carries its surveyed ticket's
    priority, category and customer; its own team and channel win, blank ones come from the ticket.
    A response whose ticket is not in the export (T9), or that names none, has no ticket attributes —
    not the first, second or last ticket's."""
    tickets = [
        dict(
            ticket_id=t, created_at="2026-03-02 10:00", priority=p, category=c, customer=u, team=m, channel=h
        )
        for t, p, c, u, m, h in [
            ("T1", "P1", "硬件", "客户甲", "一线", "电话"),
            ("T2", "P2", "软件", "客户乙", "二线", "邮件"),
            ("T3", "P3", "网络", "客户丙", "三线", "门户"),
        ]
    ]
    responses = [
        R("own", "2026-03-04 09:00", 4, ticket_id="T2", team="驻场", channel="微信"),
        R("blank", "2026-03-04 10:00", 5, ticket_id="T1"),
        R("unknown", "2026-03-04 11:00", 3, ticket_id="T9"),
        R("none", "2026-03-04 12:00", 2, respondent="张三"),
    ]
    ev = evaluate(C, dataset(tickets=tickets, surveys=responses), as_of=parse_as_of("2026-03-31", C))
    assert _attributes(ev, "own") == ("P2", "软件", "客户乙", "驻场", "微信")
    assert _attributes(ev, "blank") == ("P1", "硬件", "客户甲", "一线", "电话")
    assert _attributes(ev, "unknown") == (None, None, None, None, None)
    assert _attributes(ev, "none") == (None, None, None, None, None)


def test_without_tickets_a_responses_ticket_attributes_are_blank_text_like_the_joined_ones():
    """No ticket export: priority, category and customer are blank (NA) in the text dtype every
    attribute column has (a filter or the pack reads them like the ticket-joined ones)."""
    ev, _ = flags_of([R("a", "2026-03-04 09:00", 4, ticket_id="T1"), R("b", "2026-03-04 10:00", 5)])
    for col in ("priority", "category", "customer"):
        assert ev.responses[col].dtype == "string"
        assert ev.responses[col].isna().tolist() == [True, True]


def test_a_response_with_several_flags_lists_them_all_comma_separated_in_the_rules_order():
    """Three dimensions all 7 on a 1–5 scale: straight-lined (all equal) and out of scale; the same
    ticket's second response is also a duplicate."""
    _, f = flags_of(
        [
            R("first", "2026-03-04 09:00", 4, ticket_id="T1", **dict.fromkeys(DIMS, 4)),
            R("second", "2026-03-04 10:00", 4, ticket_id="T1", **dict.fromkeys(DIMS, 7)),
        ]
    )
    assert f == {"first": "straight_lining", "second": "duplicate,straight_lining,out_of_scale"}


def test_arrow_text_combines_a_column_of_several_chunks_into_one_array():
    """Ticket ids read from two files arrive as a two-chunk Arrow column; the set lookup gets one array."""
    two_files = pd.concat(
        [pd.Series(["T1"], dtype="string[pyarrow]"), pd.Series([None, "T2"], dtype="string[pyarrow]")],
        ignore_index=True,
    )
    got = arrow_text(two_files)
    assert isinstance(got, pa.Array)
    assert got.type == pa.large_string()
    assert got.to_pylist() == ["T1", None, "T2"]


def test_who_excluded_a_response_and_why_are_blank_text_for_the_others_and_when_none_is_excluded():
    """Exclusions record who and why (spec "Rule (surveys)"): with none, both columns exist and are
    blank for every response; with one, only that response has them — text like every other column."""
    rows = [R("a", "2026-03-04 09:00", 5, ticket_id="T1"), R("b", "2026-03-05 09:00", 1, ticket_id="T1")]
    ev = evaluate(C, dataset(surveys=rows), as_of=parse_as_of("2026-03-31", C))
    for col in ("excluded_by", "exclusion_reason"):
        assert ev.responses[col].dtype == "string"
        assert ev.responses[col].isna().tolist() == [True, True]
    excluded = [Exclusion("b", "质量经理", "重复评价")]
    ev = evaluate(C, dataset(surveys=rows), as_of=parse_as_of("2026-03-31", C), exclusions=excluded)
    for col, given in (("excluded_by", "质量经理"), ("exclusion_reason", "重复评价")):
        assert ev.responses[col].dtype == "string"
        assert ev.responses[col].tolist() == [pd.NA, given]
