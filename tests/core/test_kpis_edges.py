"""KPI edges the mutation check found untested, hand-computed (spec "Rule (tickets)", "Rule (periods and
rates)"). The example contract: P3 on business hours (09:00–18:00 weekdays), response 2 h, resolution 24 h.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from builders import dataset, make_contract

from sla_core import kpis
from sla_core.dataset import Dataset
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.kpis import (
    Formula,
    distributions,
    kpi_order,
    kpi_values,
    measure_values,
    source_presence,
    survey_counts,
    ticket_counts,
    without_absent_months,
)
from sla_core.surveys import Exclusion

C = make_contract()


def T(tid, created, priority="P3", **kw):
    return dict(ticket_id=tid, created_at=created, priority=priority, **kw)


def march(rows, as_of="2026-03-31T12:00:00", **kinds):
    ev = evaluate(C, dataset(tickets=rows, **kinds), as_of=parse_as_of(as_of, C))
    return ev.period("2026-03")


def test_a_pending_response_is_in_neither_the_numerator_nor_the_denominator():
    """Response within target = met / (met + breached): a ticket still waiting within its 2 h at as_of
    (created 11:00, as_of 12:00) is not judged yet. Met 30 min, breached 3 h, pending → 1 / 2."""
    v = march(
        [
            T("met", "2026-03-02 09:00", first_response_at="2026-03-02 09:30"),
            T("late", "2026-03-03 09:00", first_response_at="2026-03-03 12:00"),
            T("waiting", "2026-03-31 11:00"),
        ]
    ).verdict("response_within_target")
    assert (v.numerator, v.denominator) == (1, 2)
    assert v.value == pytest.approx(0.5)


def test_resolution_within_target_counts_a_breach_in_the_denominator_and_not_a_pending_ticket():
    """Resolution within target = met / (met + breached), P3's 24 business hours: resolved in 1 h (met);
    Monday 09:00 → Friday 09:00 is 4 days × 9 h = 36 h (breached); created 11:00 on as_of's day and open
    (pending, 1 h used): 1 / 2."""
    v = march(
        [
            T("met", "2026-03-02 09:00", resolved_at="2026-03-02 10:00"),
            T("late", "2026-03-02 09:00", resolved_at="2026-03-06 09:00"),
            T("open", "2026-03-31 11:00"),
        ]
    ).verdict("resolution_within_target")
    assert (v.numerator, v.denominator) == (1, 2)
    assert v.value == pytest.approx(0.5)


# doc 003 (三 约定服务时间): "非服务时段仅受理紧急故障，需在30分钟内响应，4小时内提供临时解决方案"
AFTER_HOURS = {
    "id": "after-hours-urgent",
    "when": {"priority": ["P1"], "category": ["fault"], "created": "outside_hours"},
    "response": "30m",
    "workaround": "4h",
}


def test_workaround_within_target_is_met_over_met_and_breached():
    """Doc 003's after-hours urgent fault, 4 h to a temporary fix (24x7): Tuesday 22:00 → 23:00 (met),
    Wednesday 22:00 → Thursday 03:00 = 5 h (breached), Monday 30th 22:00 with none yet at as_of 00:00
    (2 h used: pending) → 1 / 2."""
    contract = make_contract({"targets": [AFTER_HOURS]})

    def fault(tid, created, **kw):
        return T(tid, created, "P1", category="fault", category_raw="故障", **kw)

    rows = [
        fault("met", "2026-03-03 22:00", workaround_at="2026-03-03 23:00"),
        fault("late", "2026-03-04 22:00", workaround_at="2026-03-05 03:00"),
        fault("waiting", "2026-03-30 22:00"),
    ]
    ev = evaluate(contract, dataset(tickets=rows), as_of=parse_as_of("2026-03-31T00:00:00", contract))
    t = ev.tickets.set_index("ticket_id")
    assert t["workaround_status"].tolist() == ["met", "breached", "pending"]
    v = ev.period("2026-03").verdict("workaround_within_target")
    assert (v.numerator, v.denominator) == (1, 2)
    assert v.value == pytest.approx(0.5)


def test_an_excluded_suggestion_is_in_neither_side_of_the_adoption_rate():
    """Suggestion adoption = adopted / suggestions, excluded tickets left out: adopted, not adopted, and an
    excluded one (adopted too) → 1 / 2, not 2 / 3 nor 1 / 3."""

    def suggestion(tid, adopted, **kw):
        return T(tid, "2026-03-02 09:00", category="suggestion", category_raw="建议", **kw) | {
            "suggestion_adopted": adopted
        }

    v = march(
        [
            suggestion("yes", True),
            suggestion("no", False),
            suggestion("out", True, exclusion_reason="重复提交"),
        ]
    ).verdict("suggestion_adoption_rate")
    assert (v.numerator, v.denominator) == (1, 2)


def test_an_excluded_resolved_ticket_with_a_survey_is_not_in_the_survey_response_rate():
    """Survey response rate = resolved tickets with a survey / resolved tickets, excluded ones left out:
    A (surveyed), B (not), X (excluded, surveyed) → 1 / 2."""
    v = march(
        [
            T("A", "2026-03-02 09:00", resolved_at="2026-03-02 10:00"),
            T("B", "2026-03-02 09:00", resolved_at="2026-03-02 10:00"),
            T("X", "2026-03-02 09:00", resolved_at="2026-03-02 10:00", exclusion_reason="不可抗力"),
        ],
        surveys=[
            dict(response_id="a", ticket_id="A", submitted_at="2026-03-03 10:00", score=5),
            dict(response_id="x", ticket_id="X", submitted_at="2026-03-03 10:00", score=4),
        ],
    ).verdict("survey_response_rate")
    assert (v.numerator, v.denominator) == (1, 2)


def test_an_excluded_survey_response_counts_in_no_satisfaction_figure():
    """Scores 5 and 3 kept, a 1 excluded by the quality manager: CSAT mean 8 / 2 = 4.0, satisfied (≥ 4)
    1 / 2 — the excluded response is in neither the sums nor the count of responses."""
    rows = [
        dict(response_id="a", submitted_at="2026-03-03 10:00", score=5),
        dict(response_id="b", submitted_at="2026-03-04 10:00", score=3),
        dict(response_id="c", submitted_at="2026-03-05 10:00", score=1),
    ]
    ev = evaluate(
        C,
        dataset(surveys=rows),
        as_of=parse_as_of("2026-03-31", C),
        exclusions=[Exclusion("c", "质量经理", "重复评价")],
    )
    mean = ev.period("2026-03").verdict("csat_mean")
    assert (mean.numerator, mean.denominator, mean.value) == (8, 2, 4.0)
    share = ev.period("2026-03").verdict("csat_satisfied_share")
    assert (share.numerator, share.denominator) == (1, 2)


def test_no_tickets_or_responses_give_empty_counts_keyed_by_period_dimension_and_member():
    for got in (ticket_counts(pd.DataFrame()), survey_counts(pd.DataFrame())):
        assert got.empty and list(got.columns) == ["period", "dimension", "member"]


def test_each_thread_counts_on_its_own_duckdb_connection_kept_for_the_thread():
    """One in-memory DuckDB per thread, never shared (Streamlit runs sessions in threads): a new thread
    opens its own and counts with it; within a thread the same connection serves every call."""
    assert kpis._connection() is kpis._connection()
    responses = pd.DataFrame(
        {
            "period": [202603, 202603],
            "score": [5, 3],
            "satisfied": [True, False],
            "excluded": [False, False],
            **{c: ["x", "x"] for c in ("priority", "team", "category", "channel", "customer")},
        }
    )
    seen: dict[str, object] = {}

    def count_in_a_new_thread() -> None:
        seen["connection"] = kpis._connection()
        seen["counts"] = survey_counts(responses)

    worker = threading.Thread(target=count_in_a_new_thread)
    worker.start()
    worker.join()
    assert seen["connection"] is not kpis._connection()
    overall = seen["counts"].query("dimension == 'all'")
    assert overall[["responses", "score_sum", "satisfied"]].values.tolist() == [[2, 8, 1]]


def test_distributions_are_nearest_rank_over_completed_non_excluded_tickets():
    """Spec: median and p90 per priority over completed non-excluded tickets, nearest-rank, whole
    seconds. Responses 300, 600, 1800, 3600 s: median = rank ⌈0.5·4⌉ = 2 → 600 (an interpolated median
    would be 1200), p90 = rank ⌈0.9·4⌉ = 4 → 3600. Resolutions 100…500 s: median rank 3 → 300, p90 rank
    ⌈4.5⌉ = 5 → 500 (p80 would be 400). An open ticket and an excluded one (1 s each) count nowhere."""
    na = pd.NA
    rows = pd.DataFrame(
        {
            "period": ["2026-03"] * 7,
            "priority": ["P3"] * 7,
            "excluded": [False, False, False, False, False, False, True],
            "responded": [True, True, True, True, False, False, True],
            "resolved": [True, True, True, True, True, False, True],
            "response_seconds": pd.array([300, 600, 1800, 3600, na, na, 1], dtype="Int64"),
            "resolution_seconds": pd.array([100, 200, 300, 400, 500, 50, 1], dtype="Int64"),
        }
    )
    (d,) = distributions(rows).to_dict("records")
    assert (d["response_count"], d["response_median"], d["response_p90"]) == (4, 600, 3600)
    assert (d["resolution_count"], d["resolution_median"], d["resolution_p90"]) == (5, 300, 500)


def test_kpi_order_sorts_by_period_then_the_spec_tables_order_without_a_helper_column():
    """The spec's KPI table starts response, resolution within target, resolution rate: rows given
    period-2 first and KPIs reversed come back period by period in that order, columns unchanged."""
    frame = pd.DataFrame(
        {
            "period": ["2026-04", "2026-03", "2026-03", "2026-03"],
            "kpi": [
                "resolution_rate",
                "resolution_rate",
                "resolution_within_target",
                "response_within_target",
            ],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    got = kpi_order(frame)
    assert got[["period", "kpi"]].values.tolist() == [
        ["2026-03", "response_within_target"],
        ["2026-03", "resolution_within_target"],
        ["2026-03", "resolution_rate"],
        ["2026-04", "resolution_rate"],
    ]
    assert list(got.columns) == ["period", "kpi", "value"]
    # a KPI list of the caller's own (e.g. with the contract's KPIs) orders by that list
    mine = kpi_order(frame, ("resolution_rate", "response_within_target", "resolution_within_target"))
    assert mine.loc[mine["period"] == "2026-03", "kpi"].tolist() == [
        "resolution_rate",
        "response_within_target",
        "resolution_within_target",
    ]


def test_kpi_values_take_a_periods_own_presence_else_the_files_and_nothing_to_count_is_no_events():
    """Response within target, met / judged: March 3 / 4 with its own presence saying the column is there
    (0.75); the quarter has no presence of its own, so the file's ("no first-response column") makes it no
    data; April judged nothing (0 / 0): "no_events", never 0 — spec "a number the data cannot support"."""
    counts = pd.DataFrame(
        {
            "period": ["2026-03", "2026Q1", "2026-04"],
            "dimension": ["all"] * 3,
            "member": [""] * 3,
            "response_met": [3, 5, 0],
            "response_judged": [4, 8, 0],
        }
    )
    missing = {"response_within_target": "no_column:first_response_at"}

    def rows(out):
        r = out.loc[out["kpi"] == "response_within_target"].set_index("period")
        return {p: (r.loc[p, "value"], r.loc[p, "no_data"]) for p in r.index}

    got = rows(kpi_values(counts, missing, by_period={"2026-03": {"response_within_target": None}}))
    assert got["2026-03"] == (0.75, "")
    assert np.isnan(got["2026Q1"][0]) and got["2026Q1"][1] == "no_column:first_response_at"
    got = rows(kpi_values(counts, {}))
    assert got["2026-03"] == (0.75, "")
    assert np.isnan(got["2026-04"][0]) and got["2026-04"][1] == "no_events"


def test_a_reported_measures_row_waits_for_its_value_or_says_its_file_is_missing():
    """Measure KPIs get one overall row per period, filled in by the caller: with the measures file
    given it is "no_events" until a value arrives; without it, "no_file:measures"."""
    counts = pd.DataFrame({"period": ["2026-03"], "dimension": ["all"], "member": [""]})

    def backup(presence):
        out = kpi_values(counts, presence)
        return out.loc[out["kpi"] == "backup_success_rate", "no_data"].tolist()

    assert backup({}) == ["no_events"]
    assert backup({"backup_success_rate": "no_file:measures"}) == ["no_file:measures"]


def _row(values, period, kpi, member=""):
    r = values.loc[(values["period"] == period) & (values["kpi"] == kpi) & (values["member"] == member)]
    assert len(r) == 1
    return r.iloc[0]


COUNT_COLUMNS = ["period", "dimension", "member", "response_met", "response_judged", "resolved", "tickets"]
COUNT_COLUMNS += ["chat_met", "chat_judged"]


def test_a_quarter_counts_only_the_months_that_have_the_kpis_source():
    """Spec "Rule (periods and rates)": a month without the column is no data and adds nothing to its
    quarter. April has the first-response column (3 met of 4 judged; P1 1 of 2), May's file lacks it (its 6
    tickets, P2's 2 among them, judged 0 met): Q2 is 3 / 4 = 0.75, not 3 / 10; P1 1 / 2; P2, seen only in
    May, 0 / 0 = no_events, not 0 %. The contract's own KPI (doc 003's chat replied within 2 min) likewise:
    April 4 / 5, May without its column → Q2 4 / 5 = 0.8. Resolution rate had its source both months:
    (2 + 1) / (4 + 2) = 0.5. May's own rows stay no data."""
    counts = pd.DataFrame(
        [
            ("2026-04", "all", "", 3, 4, 2, 4, 4, 5),
            ("2026-04", "priority", "P1", 1, 2, 1, 2, 0, 0),
            ("2026-05", "all", "", 0, 6, 1, 2, 0, 3),
            ("2026-05", "priority", "P1", 0, 1, 0, 1, 0, 0),
            ("2026-05", "priority", "P2", 0, 2, 1, 1, 0, 0),
            ("2026Q2", "all", "", 3, 10, 3, 6, 4, 8),
            ("2026Q2", "priority", "P1", 1, 3, 1, 3, 0, 0),
            ("2026Q2", "priority", "P2", 0, 2, 1, 1, 0, 0),
        ],
        columns=COUNT_COLUMNS,
    )
    chat = {"chat_reply_2m": Formula("chat_met", "chat_judged")}
    may = {
        "response_within_target": "no_column:first_response_at",
        "chat_reply_2m": "no_column:chat_reply_at",
    }
    values = kpi_values(counts, {}, chat, by_period={"2026-05": may})
    assert values.index.equals(pd.RangeIndex(len(values)))  # one label per row: masks below align by label
    out = without_absent_months(values, {"2026-04": "2026Q2", "2026-05": "2026Q2"}, chat)

    def seen(period, kpi, member=""):
        r = _row(out, period, kpi, member)
        return r["numerator"], r["denominator"], r["value"], r["no_data"]

    assert seen("2026Q2", "response_within_target") == (3, 4, 0.75, "")
    assert seen("2026Q2", "response_within_target", "P1") == (1, 2, 0.5, "")
    num, den, value, why = seen("2026Q2", "response_within_target", "P2")
    assert (num, den, why) == (0, 0, "no_events") and np.isnan(value)
    assert seen("2026Q2", "chat_reply_2m") == (4, 5, 0.8, "")
    assert seen("2026Q2", "resolution_rate") == (3, 6, 0.5, "")
    num, den, value, why = seen("2026-05", "response_within_target")
    assert (num, den, why) == (0, 6, "no_column:first_response_at") and np.isnan(value)
    assert _row(out, "2026Q2", "backup_success_rate")["no_data"] == "no_events"  # a measure: not recounted


def test_a_quarter_none_of_whose_months_lacks_the_source_keeps_its_own_counts():
    """Only a (quarter, KPI) with a month lacking the source is recounted from its months. Resolution rate
    had its source in April and May, so its quarter keeps its own 5 / 9 (tickets of a June not given
    here), not (2 + 1) / (4 + 2). A month's empty no_data (None) means the source is there: April's
    response counts, so Q2's response is 3 / 4 from April alone."""
    values = pd.DataFrame(
        [
            ("2026-04", "resolution_rate", 0.5, 2, 4, None),
            ("2026-05", "resolution_rate", 0.5, 1, 2, ""),
            ("2026Q2", "resolution_rate", 5 / 9, 5, 9, ""),
            ("2026-04", "response_within_target", 0.75, 3, 4, None),
            ("2026-05", "response_within_target", np.nan, 0, 6, "no_column:first_response_at"),
            ("2026Q2", "response_within_target", 0.3, 3, 10, ""),
        ],
        columns=["period", "kpi", "value", "numerator", "denominator", "no_data"],
    ).assign(dimension="all", member="")
    out = without_absent_months(values, {"2026-04": "2026Q2", "2026-05": "2026Q2"})
    r = _row(out, "2026Q2", "resolution_rate")
    assert (r["numerator"], r["denominator"], r["value"]) == (5, 9, 5 / 9)
    r = _row(out, "2026Q2", "response_within_target")
    assert (r["numerator"], r["denominator"], r["value"], r["no_data"]) == (3, 4, 0.75, "")


def test_outcomes_without_a_workaround_column_count_no_workaround_and_the_rest_as_usual():
    """Outcomes computed before the workaround milestone existed have no `workaround_status`: two tickets
    of March, response met and breached, give response 1 / 2 and workaround 0 / 0, nothing pending."""
    outcomes = pd.DataFrame(
        {
            "period": [202603, 202603],
            "priority": ["P1", "P1"],
            **{c: ["x", "x"] for c in ("team", "category", "channel", "customer")},
            "excluded": [False, False],
            "response_status": ["met", "breached"],
            "resolution_status": ["met", "met"],
            "resolved": [True, True],
            "first_contact_resolved": [False, False],
            "reopened": [False, False],
            "feedback_status": ["none", "none"],
            "suggestion_adopted": [False, False],
            "surveyed": [False, False],
        }
    )
    got = ticket_counts(outcomes)
    whole = got[got["dimension"] == "all"].iloc[0]
    assert (whole["response_met"], whole["response_judged"]) == (1, 2)
    assert (whole["workaround_met"], whole["workaround_judged"], whole["workaround_pending"]) == (0, 0, 0)


TICKET_KPIS = (
    "response_within_target",
    "resolution_within_target",
    "workaround_within_target",
    "resolution_rate",
    "first_contact_resolution",
    "reopen_rate",
    "complaint_rate",
    "feedback_on_time",
    "suggestion_adoption_rate",
)
SURVEY_KPIS = ("csat_mean", "csat_satisfied_share", "survey_response_rate")
OUTAGE_KPIS = ("availability", "unplanned_downtime_minutes", "mttr_minutes", "restored_in_time")
MEASURE_KPIS = ("backup_success_rate", "recovery_time_hours")


def _given(*, tickets=(), surveys=None, outages=False, measures=False, no_tickets=False):
    """A Dataset with the files named and the columns each had (only presence is read)."""
    frame = pd.DataFrame()
    columns = {"tickets": frozenset(tickets)}
    if surveys is not None:
        columns["surveys"] = frozenset(surveys)
    return Dataset(
        tickets=None if no_tickets else frame,
        surveys=frame if surveys is not None else None,
        outages=frame if outages else None,
        measures=frame if measures else None,
        columns=columns,
    )


def test_with_no_file_every_kpi_names_its_missing_file():
    """Spec "Rule (periods and rates)": a KPI whose source file is absent is no_data, and validation says
    which file: ticket KPIs the tickets file, satisfaction and survey response the surveys file, the four
    outage KPIs the outages file, the two reported measures the measures file."""
    got = source_presence(_given(no_tickets=True))
    assert got == {
        **dict.fromkeys(TICKET_KPIS, "no_file:tickets"),
        **dict.fromkeys(SURVEY_KPIS, "no_file:surveys"),
        **dict.fromkeys(OUTAGE_KPIS, "no_file:outages"),
        **dict.fromkeys(MEASURE_KPIS, "no_file:measures"),
    }


def test_every_file_and_column_given_feeds_every_kpi_and_closed_at_stands_for_resolved_at():
    """Spec "Rule (tickets)": resolved_at = resolved_at, else closed_at — an export with closed_at and no
    resolved_at feeds the resolution KPIs. With the other ticket columns, a surveys file with ticket_id,
    outages and measures, no KPI lacks its source."""
    data = _given(
        tickets=(
            "first_response_at",
            "closed_at",
            "workaround_at",
            "first_contact_resolved",
            "reopened_count",
            "category",
            "suggestion_adopted",
        ),
        surveys=("ticket_id", "score"),
        outages=True,
        measures=True,
    )
    assert source_presence(data) == dict.fromkeys(TICKET_KPIS + SURVEY_KPIS + OUTAGE_KPIS + MEASURE_KPIS)


def test_a_tickets_file_without_a_resolution_column_names_resolved_at_first_and_the_column_missing():
    """Spec "Rule (periods and rates)": a KPI whose source column is absent is no_data, naming the column.
    A tickets file with first_contact_resolved and reopened_count but neither resolved_at nor closed_at:
    every KPI over resolved tickets names resolved_at (the first of the two), first-contact and reopen
    included although their own column is there; survey response rate too, although the surveys file has
    ticket_id. Complaint, feedback and adoption name category (adoption's first missing of category,
    suggestion_adopted). Satisfaction only needs the surveys file."""
    data = _given(tickets=("first_contact_resolved", "reopened_count"), surveys=("ticket_id",))
    assert source_presence(data) == {
        "response_within_target": "no_column:first_response_at",
        "resolution_within_target": "no_column:resolved_at",
        "workaround_within_target": "no_column:workaround_at",
        "resolution_rate": "no_column:resolved_at",
        "first_contact_resolution": "no_column:resolved_at",
        "reopen_rate": "no_column:resolved_at",
        "complaint_rate": "no_column:category",
        "feedback_on_time": "no_column:category",
        "suggestion_adoption_rate": "no_column:category",
        "csat_mean": None,
        "csat_satisfied_share": None,
        "survey_response_rate": "no_column:resolved_at",
        **dict.fromkeys(OUTAGE_KPIS, "no_file:outages"),
        **dict.fromkeys(MEASURE_KPIS, "no_file:measures"),
    }


def test_a_column_the_file_has_but_no_ticket_of_the_period_carries_is_no_value_and_one_it_lacks_no_column():
    """Spec "Rule (periods and rates)": absence is judged per month — a column the file holds but no ticket
    of this month carries a value in is absent for the month ("no_value:<col>"); a column the file lacks is
    "no_column:<col>". The file has first_response_at, resolved_at, closed_at, category; March's tickets
    carry only closed_at and category. Survey response rate has its tickets' resolution but the surveys
    file lacks ticket_id."""
    data = _given(
        tickets=("first_response_at", "resolved_at", "closed_at", "category"),
        surveys=("score",),
        outages=True,
    )
    got = source_presence(data, frozenset({"closed_at", "category"}))
    assert got == {
        "response_within_target": "no_value:first_response_at",
        "resolution_within_target": None,
        "workaround_within_target": "no_column:workaround_at",
        "resolution_rate": None,
        "first_contact_resolution": "no_column:first_contact_resolved",
        "reopen_rate": "no_column:reopened_count",
        "complaint_rate": None,
        "feedback_on_time": None,
        "suggestion_adoption_rate": "no_column:suggestion_adopted",
        "csat_mean": None,
        "csat_satisfied_share": None,
        "survey_response_rate": "no_column:ticket_id",
        **dict.fromkeys(OUTAGE_KPIS),
        **dict.fromkeys(MEASURE_KPIS, "no_file:measures"),
    }


def test_reported_measures_leave_out_the_providers_own_figures_whatever_their_case_or_spaces():
    """Spec "Reconciliation": a measures row with source = provider is the provider's self-reported figure,
    not a value to judge ("provider", " Provider "). A row without a source or with another one is kept.
    No measures file: an empty table with the columns month, kpi, value."""
    measures = pd.DataFrame(
        {
            "month": ["2026-03"] * 4,
            "kpi": ["backup_success_rate"] * 4,
            "value": [1.0, 0.98, 0.99, 0.97],
            "source": [None, "provider", " Provider ", "auditor"],
        }
    )
    got = measure_values(Dataset(measures=measures))
    assert got.to_dict("list") == {
        "month": ["2026-03", "2026-03"],
        "kpi": ["backup_success_rate", "backup_success_rate"],
        "value": [1.0, 0.97],
    }
    assert list(measure_values(Dataset()).columns) == ["month", "kpi", "value"]


def test_a_measure_row_waiting_for_its_value_holds_a_missing_number_not_none():
    """The measure rows kpi_values adds (filled in by the caller) keep value, numerator and denominator
    number columns: NaN, as a ratio with nothing counted, so the caller's arithmetic and "no data" checks
    see a number."""
    counts = pd.DataFrame({"period": ["2026-03"], "dimension": ["all"], "member": [""], "tickets": [2]})
    out = kpi_values(counts, {})
    row = _row(out, "2026-03", "backup_success_rate")
    assert all(np.isnan(row[c]) for c in ("value", "numerator", "denominator"))
    assert {out[c].dtype for c in ("value", "numerator", "denominator")} == {np.dtype("float64")}


def test_a_recounted_quarter_takes_the_kept_months_counts_and_one_judged_ticket_is_a_value():
    """Spec "Rule (periods and rates)": a quarter with a month lacking the source is counted from the other
    months only — its numerator and denominator too, not only its value. Q2's own response counts are 5 / 12
    (April 3 / 4, May without the column 0 / 6, a June not given here 2 / 2): recounted from April, 3 / 4.
    P1 judged exactly one ticket in April, met: 1 / 1 = 1.0 (a denominator of 1 is a value, not no data)."""
    values = pd.DataFrame(
        [
            ("2026-04", "all", "", 0.75, 3, 4, ""),
            ("2026-04", "priority", "P1", 1.0, 1, 1, ""),
            ("2026-05", "all", "", np.nan, 0, 6, "no_column:first_response_at"),
            ("2026-05", "priority", "P1", np.nan, 0, 2, "no_column:first_response_at"),
            ("2026Q2", "all", "", 5 / 12, 5, 12, ""),
            ("2026Q2", "priority", "P1", 1 / 3, 1, 3, ""),
        ],
        columns=["period", "dimension", "member", "value", "numerator", "denominator", "no_data"],
    ).assign(kpi="response_within_target")
    out = without_absent_months(values, {"2026-04": "2026Q2", "2026-05": "2026Q2"})

    def seen(member):
        r = _row(out, "2026Q2", "response_within_target", member)
        return r["numerator"], r["denominator"], r["value"], r["no_data"]

    assert seen("") == (3, 4, 0.75, "")
    assert seen("P1") == (1, 1, 1.0, "")
