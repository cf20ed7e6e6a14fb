"""Consequence edges the mutation check found untested, hand-computed (spec "Consequences", doc 002's
deadlines): what the JSON says of a penalty and an obligation, and a provider step's linked action."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from builders import make_contract

from sla_core.consequences import (
    Obligation,
    ObligationContext,
    Penalty,
    PenaltyItem,
    _kpi_items,
    _provider_step,
    _ticket_items,
    major_complaints,
    month_penalties,
    pooled_penalty,
    remedies,
    report_obligations,
    satisfaction_agreement,
    satisfaction_obligations,
)
from sla_core.periods import month_key


def test_a_capped_penalty_in_json_keeps_its_cap_and_each_items_target():
    """Two late responses (5% of 200,000 = 10,000 each) and one missed KPI (10,000) under a 20% monthly
    cap: 30,000 uncapped, 40,000 left by the cap, nothing cut. Ticket items name their target; the KPI
    item has none."""
    penalty = Penalty(
        amount=Decimal("30000.00"),
        uncapped_amount=Decimal("30000.00"),
        cap_amount=Decimal("40000.00"),
        share_of_fee=0.15,
        capped=False,
        provisional=False,
        items=(
            PenaltyItem("breached_ticket", "A", Decimal("10000.00"), "response", "P2"),
            PenaltyItem("breached_ticket", "B", Decimal("10000.00"), "response", "P2"),
            PenaltyItem("missed_kpi", "response_within_target", Decimal("10000.00")),
        ),
    )
    assert penalty.to_json() == {
        "amount": 30000.0,
        "uncapped_amount": 30000.0,
        "cap_amount": 40000.0,
        "share_of_fee": 0.15,
        "capped": False,
        "provisional": False,
        "items": [
            {"kind": "breached_ticket", "ref": "A", "amount": 10000.0, "target": "response"},
            {"kind": "breached_ticket", "ref": "B", "amount": 10000.0, "target": "response"},
            {"kind": "missed_kpi", "ref": "response_within_target", "amount": 10000.0},
        ],
    }


def test_a_penalty_without_a_cap_says_null():
    penalty = Penalty(Decimal("0.00"), Decimal("0.00"), None, 0.0, False, True)
    assert penalty.to_json()["cap_amount"] is None


def test_an_obligation_in_json_names_its_kpi_months_and_linked_action():
    plan = Obligation(
        "improvement_plan:response_within_target:2026-03",
        "improvement_plan",
        "response_within_target",
        ("2026-01", "2026-02", "2026-03"),
        date(2026, 4, 15),
        "done",
        "A-1",
    )
    assert plan.to_json() == {
        "id": "improvement_plan:response_within_target:2026-03",
        "kind": "improvement_plan",
        "term": "improvement_plan",
        "owner": "provider",
        "kpi": "response_within_target",
        "months": ["2026-01", "2026-02", "2026-03"],
        "due": "2026-04-15",
        "status": "done",
        "linked_action": "A-1",
    }


def _ctx(as_of: date, done=None, linked=None) -> ObligationContext:
    return ObligationContext(as_of, lambda version, day, n: day, dict(done or {}), dict(linked or {}))


OID = "satisfaction_results:2026-09"
DUE = date(2026, 10, 15)


def test_a_provider_step_whose_data_arrived_is_done_and_keeps_its_linked_action():
    """September's surveys arrived: the results are done; an action linked to it (open) is still shown."""
    step = _provider_step(
        "satisfaction_results", "2026-09", DUE, True, _ctx(date(2026, 10, 20), linked={OID: "A-7"})
    )
    assert (step.id, step.status, step.linked_action) == (OID, "done", "A-7")


def test_a_provider_step_without_its_data_is_done_by_a_done_action_else_overdue_after_its_day():
    """No surveys: a linked action marked done closes it (with that action); without one it is open on
    its due day (15 October) and overdue the day after, showing the open action linked to it."""
    done = _provider_step(
        "satisfaction_results", "2026-09", DUE, False, _ctx(date(2026, 10, 20), done={OID: "A-8"})
    )
    assert (done.status, done.linked_action) == ("done", "A-8")
    on_the_day = _provider_step("satisfaction_results", "2026-09", DUE, False, _ctx(DUE, linked={OID: "A-9"}))
    assert (on_the_day.status, on_the_day.linked_action) == ("open", "A-9")
    after = _provider_step("satisfaction_results", "2026-09", DUE, False, _ctx(date(2026, 10, 16)))
    assert (after.status, after.linked_action) == ("overdue", None)


def _items(penalties, breached_rows):
    contract = make_contract({"penalties": {"per_missed_kpi": 0, **penalties}})
    breached = pd.DataFrame(breached_rows, columns=["ticket_id", "priority", "target"])
    return [(i.ref, i.target, i.priority, i.amount) for i in _ticket_items(contract.base, breached)]


def test_a_month_with_only_resolution_breaches_still_pays_the_resolution_rate():
    """Both targets priced (response 5%, resolution 3% of 200,000): a month whose only breach is a
    resolution pays 6,000 for it — the response rule having nothing to charge does not end the look-up."""
    got = _items({"per_breached_ticket": {"response": 5.0, "resolution": 3.0}}, [("R", "P2", "resolution")])
    assert got == [("R", "resolution", "P2", Decimal("6000.00"))]


def test_per_priority_rates_charge_only_positive_amounts_down_to_one_yuan():
    """P1 10% = 20,000; P2 priced at 0 → no item (a zero charge is no charge); P3 a fixed 1 yuan → an
    item of 1.00; P4 not in the rule → no item. Each item names its priority."""
    rule = {"response": {"P1": 10.0, "P2": 0.0, "P3": {"amount": 1}}}
    got = _items(
        {"per_breached_ticket": rule},
        [("A", "P1", "response"), ("B", "P2", "response"), ("C", "P3", "response"), ("D", "P4", "response")],
    )
    assert got == [("A", "response", "P1", Decimal("20000.00")), ("C", "response", "P3", Decimal("1.00"))]


def test_a_per_kpi_table_charges_each_missed_kpi_its_own_positive_amount_down_to_one_yuan():
    """Doc 003's penalty per missed KPI as a table: complaint_rate 7.5% of 200,000 = 15,000;
    response_within_target a fixed 1 yuan → 1.00; csat_mean priced at 0 → no item (a zero charge is
    no charge); resolution_within_target, not in the table, costs nothing."""
    rule = {"response_within_target": {"amount": 1}, "csat_mean": 0.0, "complaint_rate": 7.5}
    contract = make_contract({"penalties": {"per_missed_kpi": rule}}, versions=[])
    missed = ["response_within_target", "csat_mean", "complaint_rate", "resolution_within_target"]
    got = [(i.kind, i.ref, i.amount) for i in _kpi_items(contract.base, missed)]
    assert got == [
        ("missed_kpi", "response_within_target", Decimal("1.00")),
        ("missed_kpi", "complaint_rate", Decimal("15000.00")),
    ]


def test_a_quarters_penalty_sums_its_months_uncapped_amounts_and_share_of_three_fees():
    """January paid 30,000 of 50,000 (capped), February 10,000 of 10,000, March nothing: the quarter pays
    40,000 of 60,000, capped (a month was), 40,000 / (3 × 200,000) = 1/15 of its fees; final months."""
    months = [
        Penalty(Decimal("30000.00"), Decimal("50000.00"), Decimal("30000.00"), 0.15, True, False),
        Penalty(Decimal("10000.00"), Decimal("10000.00"), Decimal("40000.00"), 0.05, False, False),
        Penalty(Decimal("0.00"), Decimal("0.00"), Decimal("40000.00"), 0.0, False, False),
    ]
    q = pooled_penalty(months, Decimal("200000"))
    assert (q.amount, q.uncapped_amount, q.capped, q.provisional) == (
        Decimal("40000.00"),
        Decimal("60000.00"),
        True,
        False,
    )
    assert q.share_of_fee == 40000 / 600000


# ---------------------------------------------------------------- satisfaction (doc 002 §3.1, §4.1)


def _every_day_open(as_of: date, done=None, linked=None) -> ObligationContext:
    """A calendar where every day is a working day: N working days after a day are N days after it."""
    return ObligationContext(
        as_of, lambda version, day, n: day + timedelta(days=n), dict(done or {}), dict(linked or {})
    )


SEP = month_key("2026-09")


def _investigations(statuses, ctx):
    found = satisfaction_obligations(make_contract(versions=[]), statuses, ctx)
    return [(o.id, o.kpi, o.due, o.status, o.linked_action) for o in found]


def test_either_satisfaction_kpi_missed_alone_raises_the_investigation_and_findings():
    """Doc 002 §4.1: csat_mean missed alone (the satisfied share met), or the share missed alone, opens the
    procedure: investigation 2 working days after 30 September (2 October), findings 5 (5 October); the
    obligation names only the KPI missed. A contract judging only one of the two KPIs has no status for
    the other: that is no miss."""
    ctx = _every_day_open(date(2026, 10, 1))
    only_mean = {"csat_mean": {SEP: "missed"}, "csat_satisfied_share": {SEP: "met"}}
    assert _investigations(only_mean, ctx) == [
        ("satisfaction_investigation:2026-09", "csat_mean", date(2026, 10, 2), "open", None),
        ("satisfaction_findings:2026-09", "csat_mean", date(2026, 10, 5), "open", None),
    ]
    only_share = {"csat_mean": {SEP: "met"}, "csat_satisfied_share": {SEP: "missed"}}
    assert [kpi for _id, kpi, *_ in _investigations(only_share, ctx)] == ["csat_satisfied_share"] * 2
    assert [kpi for _id, kpi, *_ in _investigations({"csat_mean": {SEP: "missed"}}, ctx)] == ["csat_mean"] * 2
    share_alone = {"csat_satisfied_share": {SEP: "missed"}}
    assert [kpi for _id, kpi, *_ in _investigations(share_alone, ctx)] == ["csat_satisfied_share"] * 2


def test_a_satisfaction_investigation_shows_its_linked_action_and_is_closed_by_a_done_one():
    """As of 3 October: the investigation (due 2 October) has an open action linked → overdue, showing
    it; the findings (due 5 October) are closed by a done action → done, with that action."""
    ctx = _every_day_open(
        date(2026, 10, 3),
        done={"satisfaction_findings:2026-09": "A-2"},
        linked={"satisfaction_investigation:2026-09": "A-1", "satisfaction_findings:2026-09": "A-2"},
    )
    statuses = {"csat_mean": {SEP: "missed"}, "csat_satisfied_share": {SEP: "missed"}}
    assert _investigations(statuses, ctx) == [
        (
            "satisfaction_investigation:2026-09",
            "csat_mean,csat_satisfied_share",
            date(2026, 10, 2),
            "overdue",
            "A-1",
        ),
        ("satisfaction_findings:2026-09", "csat_mean,csat_satisfied_share", date(2026, 10, 5), "done", "A-2"),
    ]


DOC_002_SATISFACTION = {
    # doc 002 §3.1(3): evaluation within 10 working days, results by the 15th; §4.1: objections within 10
    "satisfaction_evaluation_workdays": 10,
    "satisfaction_results_day": 15,
    "objection_workdays": 10,
}


def _agreement(obligations, keys, ctx, contract_change=None):
    change = {"obligations": obligations, **(contract_change or {})}
    found = satisfaction_agreement(make_contract(change, versions=[]), keys, ctx)
    return [(o.id, o.due, o.status, o.linked_action, o.owner) for o in found]


def test_months_before_a_contract_starting_in_april_owe_no_satisfaction_evaluation():
    """A contract effective 1 April 2026: February and March are not judged and owe nothing; April is:
    evaluation 10 (every-day) working days after 30 April = 10 May, results 15 May, the client's
    objections until 25 May. No surveys arrived; as of 1 May all three are open."""
    start = {"contract": {"effective_from": "2026-04-01"}}
    keys = [month_key(m) for m in ("2026-02", "2026-03", "2026-04")]
    got = _agreement(DOC_002_SATISFACTION, keys, _every_day_open(date(2026, 5, 1)), start)
    assert got == [
        ("satisfaction_evaluation:2026-04", date(2026, 5, 10), "open", None, "provider"),
        ("satisfaction_results:2026-04", date(2026, 5, 15), "open", None, "provider"),
        ("satisfaction_objection:2026-04", date(2026, 5, 25), "open", None, "client"),
    ]


def test_the_objection_window_needs_both_a_results_day_and_its_working_days():
    """Doc 002 §4.1 counts the objection window from the results: without a results day there is none
    to count from; without objection working days (the term absent) there is no window. Either way no objection item."""
    ctx = _every_day_open(date(2026, 10, 1))
    no_results_day = {"satisfaction_evaluation_workdays": 10, "objection_workdays": 10}
    assert [i for i, *_ in _agreement(no_results_day, [SEP], ctx)] == ["satisfaction_evaluation:2026-09"]
    no_window = {"satisfaction_results_day": 15}
    assert [i for i, *_ in _agreement(no_window, [SEP], ctx)] == ["satisfaction_results:2026-09"]


OBJECTION = "satisfaction_objection:2026-09"


def test_the_clients_objection_window_is_open_on_its_last_day_and_shows_its_action():
    """September's results due 15 October, the objection window 10 days to 25 October: on 25 October it
    is still open, showing the action linked to it; a done action closes it, with that action."""
    linked = _every_day_open(date(2026, 10, 25), linked={OBJECTION: "A-3"})
    [objection] = [o for o in _agreement(DOC_002_SATISFACTION, [SEP], linked) if o[0] == OBJECTION]
    assert objection == (OBJECTION, date(2026, 10, 25), "open", "A-3", "client")
    closed = _every_day_open(date(2026, 10, 20), done={OBJECTION: "A-4"}, linked={OBJECTION: "A-4"})
    [objection] = [o for o in _agreement(DOC_002_SATISFACTION, [SEP], closed) if o[0] == OBJECTION]
    assert objection == (OBJECTION, date(2026, 10, 25), "done", "A-4", "client")


def test_remedies_follow_each_findings_own_terms_and_keep_a_complaints_ticket_in_their_id():
    """Doc 002 §4.1(3), remedies 5 working days after the findings, agreed from July (a version): March's
    findings owe none, yet September's still do. A major complaint's remedy keeps the ticket and month of
    its findings (remedy:K1:2026-09, due 13 + 5 = 18 October, open on 12 October); September's low
    satisfaction's remedy (findings 5 October → 10 October) is closed by a done action."""
    contract = make_contract(
        versions=[{"effective_from": "2026-07-01", "obligations": {"remedy_workdays": 5}}]
    )
    findings = [
        Obligation(
            "satisfaction_findings:2026-03",
            "satisfaction_findings",
            "csat_mean",
            ("2026-03",),
            date(2026, 4, 7),
            "done",
        ),
        Obligation(
            "major_complaint_findings:K1:2026-09",
            "major_complaint_findings",
            None,
            ("2026-09",),
            date(2026, 10, 13),
            "open",
            ticket="K1",
        ),
        Obligation(
            "satisfaction_findings:2026-09",
            "satisfaction_findings",
            "csat_mean",
            ("2026-09",),
            date(2026, 10, 5),
            "done",
        ),
    ]
    ctx = _every_day_open(
        date(2026, 10, 12), done={"remedy:2026-09": "A-5"}, linked={"remedy:2026-09": "A-5"}
    )
    got = [
        (o.id, o.kpi, o.months, o.due, o.status, o.linked_action, o.ticket)
        for o in remedies(contract, findings, ctx)
    ]
    assert got == [
        ("remedy:K1:2026-09", None, ("2026-09",), date(2026, 10, 18), "open", None, "K1"),
        ("remedy:2026-09", "csat_mean", ("2026-09",), date(2026, 10, 10), "done", "A-5", None),
    ]


def test_monthly_reports_start_with_the_contract_and_a_done_action_outranks_reported_figures():
    """Doc 003: the provider's report by the 5th of the next month, for a contract effective 1 April 2026:
    February and March owe none. April's figures arrived and an action marked done closes it → done,
    with that action; May's figures arrived → done; June's did not: open on its due day, 5 July, showing
    the action linked to it."""
    contract = make_contract({"contract": {"effective_from": "2026-04-01"}}, versions=[])
    keys = [month_key(m) for m in ("2026-02", "2026-03", "2026-04", "2026-05", "2026-06")]
    ctx = _every_day_open(
        date(2026, 7, 5),
        done={"provider_report:2026-04": "A-6"},
        linked={"provider_report:2026-04": "A-6", "provider_report:2026-06": "A-8"},
    )
    ctx.reported_months = frozenset({month_key("2026-04"), month_key("2026-05")})
    got = [
        (o.id, o.months, o.due, o.status, o.linked_action) for o in report_obligations(contract, keys, ctx)
    ]
    assert got == [
        ("provider_report:2026-04", ("2026-04",), date(2026, 5, 5), "done", "A-6"),
        ("provider_report:2026-05", ("2026-05",), date(2026, 6, 5), "done", None),
        ("provider_report:2026-06", ("2026-06",), date(2026, 7, 5), "open", "A-8"),
    ]


def test_a_major_complaints_steps_show_their_actions_done_or_linked():
    """Doc 002 §4.1: complaint K1 made 30 September starts an investigation (2 working days: 2 October)
    and findings (5: 5 October). As of 3 October the investigation is closed by a done action (shown);
    the findings are open, showing the action linked to them."""
    complaints = pd.DataFrame(
        {"ticket_id": ["K1"], "month_key": [SEP], "version": [0], "day": [date(2026, 9, 30)]}
    )
    investigation, findings = (
        "major_complaint_investigation:K1:2026-09",
        "major_complaint_findings:K1:2026-09",
    )
    ctx = _every_day_open(
        date(2026, 10, 3), done={investigation: "A-10"}, linked={investigation: "A-10", findings: "A-11"}
    )
    got = major_complaints(make_contract(versions=[]), complaints, ctx)
    assert [(o.id, o.months, o.due, o.status, o.linked_action, o.ticket) for o in got] == [
        (investigation, ("2026-09",), date(2026, 10, 2), "done", "A-10", "K1"),
        (findings, ("2026-09",), date(2026, 10, 5), "open", "A-11", "K1"),
    ]


def _five_late_responses_in(label: str, change: dict) -> Penalty:
    """Five breached responses (5% of 200,000 = 10,000 each: 50,000) in one judged, final month."""
    key = month_key(label)
    breached = pd.DataFrame(
        {
            "month_key": [key] * 5,
            "ticket_id": list("ABCDE"),
            "priority": ["P2"] * 5,
            "target": ["response"] * 5,
        }
    )
    contract = make_contract(change, versions=[])
    return month_penalties(contract, [key], breached, {}, {key: True}, {key: True})[key]


def test_a_contract_caps_first_month_without_an_end_is_one_months_cap():
    """Doc 003 (七), "累计不超过总额的20%", over the contract's months so far: in its first month (January
    2026) that is 20% × 200,000 × 1 = 40,000, so 50,000 of breaches pay 40,000, capped."""
    p = _five_late_responses_in("2026-01", {"penalties": {"cap": 20.0, "cap_period": "contract"}})
    assert (p.uncapped_amount, p.amount, p.cap_total, p.capped) == (
        Decimal("50000.00"),
        Decimal("40000.00"),
        Decimal("40000.00"),
        True,
    )


def _late_responses(per_month: dict[str, int]) -> pd.DataFrame:
    """`n` breached responses (5% of 200,000 = 10,000 each) in each month."""
    rows = [(month_key(m), f"{m}-{i}", "P2", "response") for m, n in per_month.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["month_key", "ticket_id", "priority", "target"])


def test_settled_months_count_in_a_contract_year_cap_and_a_used_up_cap_leaves_nothing():
    """Cap 1% × 200,000 × 12 = 24,000 a contract year. January (10,000) and February (8,000) are settled:
    kept as they are, 18,000 charged. March's two breaches (20,000) pay what is left, 6,000, capped;
    April's one (10,000) pays 0.00 — the cap is used up, 0.00 left."""
    contract = make_contract({"penalties": {"cap": 1.0, "cap_period": "contract_year"}}, versions=[])
    keys = [month_key(m) for m in ("2026-01", "2026-02", "2026-03", "2026-04")]
    jan, feb, mar, apr = keys
    settled = {
        jan: Penalty(Decimal("10000.00"), Decimal("10000.00"), Decimal("24000.00"), 0.05, False, False),
        feb: Penalty(Decimal("8000.00"), Decimal("8000.00"), Decimal("14000.00"), 0.04, False, False),
    }
    everything = dict.fromkeys(keys, True)
    breached = _late_responses({"2026-03": 2, "2026-04": 1})
    out = month_penalties(contract, keys, breached, {}, everything, everything, fixed=settled)
    assert out[jan] is settled[jan] and out[feb] is settled[feb]
    got = [
        (p.uncapped_amount, p.cap_amount, p.amount, p.capped, p.cap_total, p.cap_period)
        for p in (out[mar], out[apr])
    ]
    assert got == [
        (
            Decimal("20000.00"),
            Decimal("6000.00"),
            Decimal("6000.00"),
            True,
            Decimal("24000.00"),
            "contract_year",
        ),
        (Decimal("10000.00"), Decimal("0.00"), Decimal("0.00"), True, Decimal("24000.00"), "contract_year"),
    ]
    # the second contract year: January 2027 settled at 20,000 leaves February 2027 4,000 of its own 24,000
    jan27, feb27 = month_key("2027-01"), month_key("2027-02")
    settled27 = {jan27: Penalty(Decimal("20000.00"), Decimal("20000.00"), None, 0.1, False, False)}
    out = month_penalties(
        contract,
        [jan27, feb27],
        _late_responses({"2027-02": 2}),
        {},
        {jan27: True, feb27: True},
        {jan27: True, feb27: True},
        fixed=settled27,
    )
    assert (out[feb27].amount, out[feb27].cap_amount) == (Decimal("4000.00"), Decimal("4000.00"))


def test_an_unjudged_month_costs_nothing_and_a_month_without_a_fee_has_no_share_of_it():
    """A month the contract does not judge (before it starts) pays nothing for its two breaches and its
    missed KPI. With no monthly fee and no cap, a breach priced at a fixed 500 yuan pays 500.00, and its
    share of the (zero) fee is 0."""
    contract = make_contract(versions=[])
    mar = month_key("2026-03")
    out = month_penalties(
        contract,
        [mar],
        _late_responses({"2026-03": 2}),
        {mar: ["response_within_target"]},
        {mar: True},
        {mar: False},
    )
    assert (out[mar].amount, out[mar].uncapped_amount, out[mar].items) == (
        Decimal("0.00"),
        Decimal("0.00"),
        (),
    )
    no_fee = make_contract(
        {"contract": {"monthly_fee": 0}, "penalties": {"per_breached_ticket": {"response": {"amount": 500}}}},
        versions=[],
        drop=("penalties.cap",),
    )
    p = month_penalties(no_fee, [mar], _late_responses({"2026-03": 1}), {}, {mar: True}, {mar: True})[mar]
    assert (p.amount, p.share_of_fee, p.capped, p.cap_amount) == (Decimal("500.00"), 0.0, False, None)


def test_a_quarter_is_provisional_while_a_month_is_and_a_quarter_without_months_is_zero_and_provisional():
    """A quarter whose March is still provisional is provisional (10,000 + 10,000 + 0: 20,000, 1/30 of three fees,
    not capped). A quarter with no months has nothing to pay (0.00, share 0) and nothing final."""
    item = PenaltyItem("missed_kpi", "csat_mean", Decimal("10000.00"))
    final = Penalty(
        Decimal("10000.00"), Decimal("10000.00"), Decimal("40000.00"), 0.05, False, False, (item,)
    )
    open_march = Penalty(Decimal("0.00"), Decimal("0.00"), Decimal("40000.00"), 0.0, False, True)
    q = pooled_penalty([final, final, open_march], Decimal("200000"))
    assert (q.amount, q.share_of_fee, q.capped, q.provisional) == (
        Decimal("20000.00"),
        20000 / 600000,
        False,
        True,
    )
    assert q.items == (item, item)  # each month's items, in order
    empty = pooled_penalty([], Decimal("200000"))
    assert empty.items == ()
    assert (empty.amount, empty.uncapped_amount, empty.share_of_fee, empty.capped, empty.provisional) == (
        Decimal("0.00"),
        Decimal("0.00"),
        0.0,
        False,
        True,
    )


def test_a_month_the_caller_says_nothing_about_is_judged_and_stays_provisional():
    """Nothing is final until said so, and a month is judged unless it is before the contract: with empty
    `final` and `judged` maps, March 2026's two late P2 responses (5% × 200,000 each) cost 20,000, provisional."""
    contract = make_contract(versions=[], drop=("penalties.cap",))
    mar = month_key("2026-03")
    p = month_penalties(contract, [mar], _late_responses({"2026-03": 2}), {}, {}, {})[mar]
    assert (p.amount, p.provisional, len(p.items)) == (Decimal("20000.00"), True, 2)
