"""Every KPI of the spec's table on a few rows, with the exact expected value."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import dataset, make_contract

from sla_core.contract import KPI_IDS
from sla_core.evaluate import evaluate, parse_as_of

C = make_contract()


def T(tid, created, priority="P3", **kw):
    return dict(ticket_id=tid, created_at=created, priority=priority, **kw)


TICKETS = [
    # resolved, first contact, within targets (P3: 2h / 24h business)
    T(
        "1",
        "2026-03-02 09:00",
        first_response_at="2026-03-02 09:30",
        resolved_at="2026-03-02 12:00",
        category="咨询",
        first_contact_resolved=True,
        reopened_count=0,
        team="A",
        channel="电话",
        customer="财务部",
    ),
    # resolved, reopened once, response late (3h > 2h)
    T(
        "2",
        "2026-03-02 09:00",
        first_response_at="2026-03-02 12:00",
        resolved_at="2026-03-03 12:00",
        category="故障",
        first_contact_resolved=False,
        reopened_count=1,
        team="A",
        channel="邮件",
        customer="财务部",
    ),
    # complaint, resolved
    T(
        "3",
        "2026-03-03 09:00",
        first_response_at="2026-03-03 09:05",
        resolved_at="2026-03-03 10:00",
        category="投诉",
        first_contact_resolved=True,
        reopened_count=0,
        team="B",
        channel="电话",
        customer="人事部",
    ),
    # suggestion adopted, unresolved at as_of but within target
    T(
        "4",
        "2026-03-31 10:00",
        first_response_at="2026-03-31 10:30",
        category="建议",
        suggestion_adopted=True,
        first_contact_resolved=False,
        reopened_count=0,
        team="B",
        channel="微信",
        customer="人事部",
    ),
    # suggestion not adopted, resolved
    T(
        "5",
        "2026-03-04 09:00",
        first_response_at="2026-03-04 09:30",
        resolved_at="2026-03-04 10:00",
        category="建议",
        suggestion_adopted=False,
        first_contact_resolved=True,
        reopened_count=0,
        team="B",
        channel="微信",
        customer="人事部",
    ),
    # excluded: never counted
    T(
        "6",
        "2026-03-05 09:00",
        exclusion_reason="不可抗力",
        category="投诉",
        team="A",
        channel="电话",
        customer="财务部",
    ),
]
SURVEYS = [
    dict(response_id="s1", ticket_id="1", submitted_at="2026-03-03 10:00", score=5, channel="电话"),
    dict(response_id="s2", ticket_id="2", submitted_at="2026-03-04 10:00", score=3, channel="邮件"),
    dict(response_id="s3", ticket_id="3", submitted_at="2026-03-04 11:00", score=4, channel="电话"),
]
AS_OF = "2026-03-31T12:00:00"


@pytest.fixture(scope="module")
def march():
    # categories come from the contract's labels (ingest maps them); here they are given canonical
    canon = {"咨询": "inquiry", "故障": "fault", "投诉": "complaint", "建议": "suggestion"}
    rows = [dict(r, category=canon[r["category"]], category_raw=r["category"]) for r in TICKETS]
    ev = evaluate(C, dataset(tickets=rows, surveys=SURVEYS), as_of=parse_as_of(AS_OF, C))
    return ev


def kpi(ev, name, period="2026-03"):
    return ev.period(period).verdict(name)


@pytest.mark.parametrize(
    ("name", "num", "den"),
    [
        ("response_within_target", 4, 5),  # ticket 2 late; 6 excluded
        ("resolution_within_target", 4, 4),  # ticket 4 pending is not judged
        ("resolution_rate", 4, 5),
        ("first_contact_resolution", 3, 4),
        ("reopen_rate", 1, 4),
        ("complaint_rate", 1, 5),
        ("suggestion_adoption_rate", 1, 2),
        ("csat_satisfied_share", 2, 3),
        ("survey_response_rate", 3, 4),
    ],
)
def test_rate_kpis(march, name, num, den):
    v = kpi(march, name)
    assert (v.numerator, v.denominator) == (num, den)
    assert v.value == pytest.approx(num / den)


def test_csat_mean_is_sum_over_count(march):
    v = kpi(march, "csat_mean")
    assert (v.numerator, v.denominator, v.value) == (12, 3, 4.0)
    assert v.status == "missed"  # 4.0 < 4.5


def test_every_kpi_in_table_order(march):
    assert [v.kpi for v in march.month("2026-03").verdicts] == list(KPI_IDS)


def test_statuses_and_sentences(march):
    v = kpi(march, "response_within_target")
    assert v.status == "missed"
    assert v.en == "80.0%: 4 of 5 tickets answered within target; contract requires ≥ 95%: missed."
    assert "4/5 张工单在目标时间内首次响应" in v.zh and "未达标" in v.zh
    assert kpi(march, "reopen_rate").status == "unjudged"  # the example sets no target
    assert kpi(march, "availability").status == "no_data"


def test_breakdowns_by_dimension(march):
    rows = march.values.query(
        "period == '2026-03' and kpi == 'response_within_target' and dimension == 'team'"
    )
    by = {m: (n, d) for m, n, d in zip(rows["member"], rows["numerator"], rows["denominator"], strict=True)}
    assert by == {"A": (1, 2), "B": (3, 3)}
    rows = march.values.query("period == '2026-03' and kpi == 'csat_mean' and dimension == 'customer'")
    by = dict(zip(rows["member"], rows["value"], strict=True))
    assert by == {"财务部": 4.0, "人事部": 4.0}  # survey joined to its ticket's customer


def test_distribution_is_nearest_rank_in_whole_seconds(march):
    d = march.distributions.query("period == '2026-03' and priority == 'P3'").iloc[0]
    # responses of non-excluded tickets: 30m, 3h, 5m, 30m, 30m → sorted 5m,30m,30m,30m,3h
    assert d["response_count"] == 5
    assert d["response_median"] == 1800
    assert d["response_p90"] == 3 * 3600


def test_missing_column_is_no_data_never_zero():
    rows = [T("1", "2026-03-02 09:00", resolved_at="2026-03-02 10:00")]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", C))
    v = kpi(ev, "first_contact_resolution")
    assert v.status == "no_data" and v.value is None
    assert "first_contact_resolved" in v.en


def test_no_data_counts_as_missed_when_the_contract_says_so():
    strict = make_contract({"contract": {"no_data_counts_as_missed": True}})
    rows = [T("1", "2026-03-02 09:00", resolved_at="2026-03-02 10:00")]
    ev = evaluate(strict, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", strict))
    assert kpi(ev, "first_contact_resolution").status == "missed"
    assert kpi(ev, "reopen_rate").status == "no_data"  # no target: nothing owed


def test_quarter_pools_numerators_and_denominators():
    rows = [
        T("a", "2026-01-05 09:00", first_response_at="2026-01-05 09:10"),  # met
        T("b", "2026-02-02 09:00", first_response_at="2026-02-02 12:00"),  # breached
        T("c", "2026-02-03 09:00", first_response_at="2026-02-03 09:10"),  # met
        T("d", "2026-03-02 09:00", first_response_at="2026-03-02 09:10"),  # met
    ]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", C))
    q = ev.quarter("2026Q1").verdict("response_within_target")
    assert (q.numerator, q.denominator) == (3, 4)
    assert q.value == pytest.approx(0.75)
    # not the mean of monthly rates (1, 0.5, 1 → 0.833)
    assert ev.quarter("2026Q1").terms.effective_from.isoformat() == "2026-01-01"


def test_quarter_uses_each_tickets_own_month_targets_and_the_quarters_first_day_terms():
    rows = [
        T("jun", "2026-06-30 10:00", "P2", first_response_at="2026-06-30 10:25"),  # met (30m in June)
        T("jul", "2026-07-01 10:00", "P2", first_response_at="2026-07-01 10:25"),  # breached (20m from July)
    ]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-07-31", C))
    assert ev.quarter("2026Q2").verdict("response_within_target").value == 1.0
    q3 = ev.quarter("2026Q3")
    assert q3.verdict("response_within_target").value == 0.0
    assert q3.terms.effective_from.isoformat() == "2026-07-01"


def test_months_run_continuously_between_first_and_last_month_with_data():
    rows = [T("a", "2026-01-05 09:00"), T("b", "2026-04-05 09:00")]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-04-30", C))
    assert [m.label for m in ev.months] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert ev.month("2026-02").verdict("resolution_rate").status == "no_data"


def test_months_before_the_contract_are_unjudged():
    late = make_contract({"contract": {"effective_from": "2026-02-01"}})
    rows = [
        T("a", "2026-01-05 09:00", first_response_at="2026-01-05 09:10"),
        T("b", "2026-02-05 09:00", first_response_at="2026-02-05 09:10"),
    ]
    ev = evaluate(late, dataset(tickets=rows), as_of=parse_as_of("2026-02-28", late))
    assert ev.month("2026-01").verdict("response_within_target").status == "unjudged"
    assert ev.month("2026-01").verdict("response_within_target").value == 1.0
    assert ev.month("2026-02").verdict("response_within_target").status == "met"


def test_measures_give_backup_and_recovery_and_provider_figures_are_reconciled():
    measures = [
        dict(month="2026-03", kpi="backup_success_rate", value=0.98),
        dict(month="2026-03", kpi="recovery_time_hours", value=3.5),
        dict(month="2026-03", kpi="response_within_target", value=0.99, source="provider"),
    ]
    rows = [
        T("a", "2026-03-02 09:00", first_response_at="2026-03-02 09:10"),
        T("b", "2026-03-02 09:00", first_response_at="2026-03-02 12:00"),
    ]
    ev = evaluate(C, dataset(tickets=rows, measures=measures), as_of=parse_as_of("2026-03-31", C))
    m = ev.month("2026-03")
    assert m.verdict("backup_success_rate").value == pytest.approx(0.98)
    assert m.verdict("backup_success_rate").status == "missed"  # >= 100%
    assert m.verdict("recovery_time_hours").status == "met"
    assert m.verdict("response_within_target").value == 0.5  # the provider's 99% does not replace ours
    rec = ev.reconciliation.iloc[0]
    assert (rec["kpi"], rec["provider_value"], rec["computed_value"], bool(rec["flagged"])) == (
        "response_within_target",
        0.99,
        0.5,
        True,
    )


def test_filtered_values_recompute_on_the_matching_tickets(march):
    from sla_core.evaluate import filtered_values

    canon = {"咨询": "inquiry", "故障": "fault", "投诉": "complaint", "建议": "suggestion"}
    rows = [dict(r, category=canon[r["category"]]) for r in TICKETS]
    data = dataset(tickets=rows, surveys=SURVEYS)
    values = filtered_values(march, data, {"team": ["A"]})
    row = values.query("period == '2026-03' and dimension == 'all' and kpi == 'response_within_target'").iloc[
        0
    ]
    assert (row["numerator"], row["denominator"]) == (1, 2)


def test_filtered_values_for_some_months_equal_the_whole_computation(march):
    from sla_core.evaluate import filtered_values

    canon = {"咨询": "inquiry", "故障": "fault", "投诉": "complaint", "建议": "suggestion"}
    data = dataset(tickets=[dict(r, category=canon[r["category"]]) for r in TICKETS], surveys=SURVEYS)
    whole = filtered_values(march, data, {"team": ["B"]})
    some = filtered_values(march, data, {"team": ["B"]}, months=[2026 * 12 + 2])
    cols = ["period", "dimension", "member", "kpi"]
    a = whole.loc[whole["period"] == "2026-03"].set_index(cols).sort_index()
    b = some.loc[some["period"] == "2026-03"].set_index(cols).sort_index()
    pd.testing.assert_frame_equal(a, b)


# ---------------------------------------------------------------- boundaries and the negative side


def test_an_excluded_ticket_counts_in_no_numerator_either():
    """Spec "Rule (tickets)": excluded — never counted in any KPI. C is excluded, resolved and solved at
    first contact: first-contact resolution is 1 / 2, not 2 / 3 or 2 / 2; the same for reopens."""
    rows = [
        T(
            "A",
            "2026-03-02 09:00",
            resolved_at="2026-03-02 10:00",
            first_contact_resolved=True,
            reopened_count=0,
        ),
        T(
            "B",
            "2026-03-02 09:00",
            resolved_at="2026-03-02 10:00",
            first_contact_resolved=False,
            reopened_count=1,
        ),
        T(
            "C",
            "2026-03-02 09:00",
            resolved_at="2026-03-02 10:00",
            first_contact_resolved=True,
            reopened_count=2,
            exclusion_reason="不可抗力",
        ),
    ]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", C))
    fcr, reopen = kpi(ev, "first_contact_resolution"), kpi(ev, "reopen_rate")
    assert (fcr.numerator, fcr.denominator) == (1, 2)
    assert (reopen.numerator, reopen.denominator) == (1, 2)
    assert (kpi(ev, "resolution_rate").numerator, kpi(ev, "resolution_rate").denominator) == (2, 2)


def test_no_data_counts_as_missed_only_when_data_is_owed_not_when_nothing_happened():
    """README "Semantics": `no_data_counts_as_missed` turns only an absent source into a miss. Here the
    category and suggestion_adopted columns exist, but no suggestion was made in March: nothing to
    count — no_data, not missed (doc 001's 85% cannot be missed by having no suggestions)."""
    strict = make_contract({"contract": {"no_data_counts_as_missed": True}})
    rows = [
        T("1", "2026-03-02 09:00", resolved_at="2026-03-02 10:00", category="fault", suggestion_adopted=False)
    ]
    ev = evaluate(strict, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", strict))
    v = kpi(ev, "suggestion_adoption_rate")
    assert v.target is not None and (v.status, v.value) == ("no_data", None)
    assert "no suggestions" in v.en


def test_a_quarters_reported_measure_is_the_mean_of_its_months():
    """Spec "Semantics": reported measures (backup, recovery time) take the mean of the months. Backup
    100%, 97%, 100% → 99% for Q1 (missed against 100%); recovery 2, 3, 4 h → 3 h (met against ≤ 4 h)."""
    measures = [
        dict(month="2026-01", kpi="backup_success_rate", value=1.0),
        dict(month="2026-02", kpi="backup_success_rate", value=0.97),
        dict(month="2026-03", kpi="backup_success_rate", value=1.0),
        dict(month="2026-01", kpi="recovery_time_hours", value=2.0),
        dict(month="2026-02", kpi="recovery_time_hours", value=3.0),
        dict(month="2026-03", kpi="recovery_time_hours", value=4.0),
    ]
    ev = evaluate(C, dataset(measures=measures), as_of=parse_as_of("2026-04-05", C))
    q = ev.quarter("2026Q1")
    assert q.verdict("backup_success_rate").value == pytest.approx(0.99)
    assert q.verdict("backup_success_rate").status == "missed"
    assert q.verdict("recovery_time_hours").value == pytest.approx(3.0)
    assert q.verdict("recovery_time_hours").status == "met"


def test_a_column_absent_for_a_month_is_no_data_for_that_month_never_zero():
    # January's file had first-response times, February's none (the store holds the column): February's
    # response rate is no data, not 0 %, and the quarter is January's alone. Resolution: both months.
    rows = [
        T("a", "2026-01-05 09:00", first_response_at="2026-01-05 09:10", resolved_at="2026-01-05 10:00"),
        T("b", "2026-01-06 09:00", first_response_at="2026-01-06 12:00", resolved_at="2026-01-06 10:00"),
        T("c", "2026-02-02 09:00", resolved_at="2026-02-02 09:20"),  # answered by its solution? not known
        T("d", "2026-02-03 09:00", resolved_at="2026-02-05 09:00"),
    ]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", C))
    jan = ev.month("2026-01").verdict("response_within_target")
    feb = ev.month("2026-02").verdict("response_within_target")
    # a: 10 min met; b: resolved at 10:00 before its reply → 1 h, met (≤ 2 h)
    assert (jan.value, jan.numerator, jan.denominator) == (1.0, 2, 2)
    assert feb.status == "no_data" and feb.value is None and not feb.denominator
    assert "no ticket of the period carries a first_response_at value" in feb.en
    q = ev.quarter("2026Q1").verdict("response_within_target")
    assert (q.value, q.numerator, q.denominator) == (1.0, 2, 2)  # February adds nothing
    # resolution: a 1 h, b 1 h, c 20 min met; d 2 working days = 18 h met (≤ 24 h)
    rq = ev.quarter("2026Q1").verdict("resolution_within_target")
    assert (rq.numerator, rq.denominator) == (4, 4)
    tickets = ev.tickets.set_index("ticket_id")
    assert tickets.loc["c", "response_status"] == "no_data"
    assert tickets.loc["a", "response_status"] == "met"
    [note] = [w for w in ev.warnings if w.code == "tickets.no_first_response"]
    assert note.value == "2026-02"


def test_a_month_with_nothing_resolved_yet_has_no_resolution_source():
    # "no ticket of this month carries a value in" the resolved/closed columns: absent, not 0 %
    rows = [
        T("a", "2026-02-02 09:00", first_response_at="2026-02-02 09:10", resolved_at="2026-02-02 10:00"),
        T("b", "2026-03-02 09:00", first_response_at="2026-03-02 09:10"),
    ]
    ev = evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", C))
    assert ev.month("2026-02").verdict("resolution_rate").value == 1.0
    march = ev.month("2026-03").verdict("resolution_rate")
    assert march.status == "no_data" and march.value is None
    assert ev.quarter("2026Q1").verdict("resolution_rate").denominator == 1  # March's ticket left out
