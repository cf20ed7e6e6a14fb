"""Penalties, caps and obligations, hand-computed (spec "Consequences")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of


def late(tid, day, priority="P2"):
    """A P2 ticket answered 1 hour after it was created (30m target), resolved in time."""
    return dict(
        ticket_id=tid,
        created_at=f"{day} 09:00",
        priority=priority,
        first_response_at=f"{day} 10:00",
        resolved_at=f"{day} 11:00",
    )


def on_time(tid, day, priority="P2"):
    return dict(
        ticket_id=tid,
        created_at=f"{day} 09:00",
        priority=priority,
        first_response_at=f"{day} 09:10",
        resolved_at=f"{day} 11:00",
    )


def run(contract, rows, as_of="2026-04-30", **kinds):
    return evaluate(contract, dataset(tickets=rows, **kinds), as_of=parse_as_of(as_of, contract))


def test_items_per_breached_ticket_and_per_missed_kpi_both_apply():
    c = make_contract()
    ev = run(c, [late("A", "2026-03-02"), late("B", "2026-03-03"), on_time("C", "2026-03-04")])
    p = ev.month("2026-03").penalty
    kinds = sorted((i.kind, i.ref, i.target) for i in p.items)
    assert kinds == [
        ("breached_ticket", "A", "response"),
        ("breached_ticket", "B", "response"),
        ("missed_kpi", "response_within_target", None),
    ]
    assert all(i.amount == Decimal("10000.00") for i in p.items)  # 5% of 200000
    assert p.amount == Decimal("30000.00") and not p.capped
    assert p.share_of_fee == 0.15
    assert p.provisional is False  # March ended before as_of and has no pending ticket


def test_monthly_cap_bites_and_items_keep_their_full_value():
    c = make_contract()
    rows = [late(t, "2026-03-02") for t in "ABCD"]
    p = run(c, rows).month("2026-03").penalty
    assert p.uncapped_amount == Decimal("50000.00")  # 4 tickets + 1 KPI
    assert p.amount == Decimal("40000.00")  # 20% of the fee
    assert p.capped and p.cap_amount == Decimal("40000.00")
    assert sum(i.amount for i in p.items) == Decimal("50000.00")


def test_contract_year_cap_is_shared_by_the_months_of_the_year():
    c = make_contract({"penalties": {"cap": 1.0, "cap_period": "contract_year"}})  # 1% × 12 months = 24000
    rows = [late("A", "2026-03-02"), late("B", "2026-04-01")]
    ev = run(c, rows)
    march, april = ev.month("2026-03").penalty, ev.month("2026-04").penalty
    assert march.uncapped_amount == Decimal("20000.00") and march.amount == Decimal("20000.00")
    assert april.cap_amount == Decimal("4000.00")  # what the cap leaves after March
    assert april.amount == Decimal("4000.00") and april.capped


def test_month_cap_period_resets_every_month():
    c = make_contract({"penalties": {"cap": 1.0, "cap_period": "month"}})
    ev = run(c, [late("A", "2026-03-02"), late("B", "2026-04-01")])
    assert ev.month("2026-03").penalty.amount == Decimal("2000.00")
    assert ev.month("2026-04").penalty.amount == Decimal("2000.00")


def test_per_priority_and_fixed_amount_penalties():
    c = make_contract(
        {
            "penalties": {
                "per_breached_ticket": {"response": {"P1": 10.0, "P2": {"amount": 500}}},
                "per_missed_kpi": {"complaint_rate": 7.5},
            }
        }
    )
    rows = [late("A", "2026-03-02", "P2"), late("B", "2026-03-02", "P3")]
    rows[1]["first_response_at"] = "2026-03-02 12:00"  # P3 breached (3h > 2h) but P3 has no penalty rate
    p = run(c, rows).month("2026-03").penalty
    assert [(i.ref, i.amount) for i in p.items] == [("A", Decimal("500.00"))]


def test_money_rounds_half_up_to_cents():
    c = make_contract({"contract": {"monthly_fee": 1000.1}})  # 5% = 50.005 → 50.01
    p = run(c, [late("A", "2026-03-02"), on_time("B", "2026-03-02")]).month("2026-03").penalty
    assert p.items[0].amount == Decimal("50.01")


def test_penalty_is_provisional_until_the_month_is_final():
    c = make_contract()
    rows = [late("A", "2026-03-02"), dict(ticket_id="open", created_at="2026-03-31 17:00", priority="P3")]
    ev = run(c, rows, as_of="2026-04-01T09:30:00")  # the open P3 still has 1.5 h of its 2 h response left
    march = ev.month("2026-03")
    assert march.final is False and march.penalty.provisional is True
    ev = run(c, rows[:1], as_of="2026-04-01T09:30:00")
    assert ev.month("2026-03").final is True


def test_a_tickets_penalty_belongs_to_its_month():
    c = make_contract()
    ev = run(c, [late("A", "2026-03-31"), on_time("B", "2026-04-01")])
    assert [i.ref for i in ev.month("2026-03").penalty.items if i.kind == "breached_ticket"] == ["A"]
    assert ev.month("2026-04").penalty.amount == Decimal(0)


def test_quarter_penalty_sums_its_months():
    c = make_contract()
    ev = run(
        c,
        [
            late("A", "2026-01-05"),
            on_time("B", "2026-01-06"),
            late("C", "2026-03-02"),
            on_time("D", "2026-03-03"),
        ],
        as_of="2026-04-30",
    )
    assert ev.quarter("2026Q1").penalty.amount == Decimal("40000.00")


# ---------------------------------------------------------------- obligations


WORKDAYS = ["2026-01-06", "2026-02-03", "2026-03-03", "2026-04-07", "2026-05-06", "2026-06-02"]


def plans(ev):
    return [o for o in ev.obligations if o.kind == "improvement_plan"]


def test_three_missed_months_raise_an_improvement_plan_due_15_days_after():
    c = make_contract()
    rows = [late(f"T{m}", day) for m, day in enumerate(WORKDAYS[:3])]
    ev = run(c, rows, as_of="2026-04-10")
    [plan] = [o for o in plans(ev) if o.kpi == "response_within_target"]
    assert plan.months == ("2026-01", "2026-02", "2026-03")
    assert plan.due == date(2026, 4, 15)  # a March streak is due April 15
    assert plan.status == "open"
    ev = run(c, rows, as_of="2026-04-16")
    assert next(o for o in plans(ev) if o.kpi == "response_within_target").status == "overdue"


def test_streak_raises_again_at_2n_and_no_data_breaks_it():
    c = make_contract()
    rows = [late(f"T{m}", day) for m, day in enumerate(WORKDAYS)]
    ev = run(c, rows, as_of="2026-07-31")
    dues = [o.due for o in plans(ev) if o.kpi == "response_within_target"]
    assert dues == [date(2026, 4, 15), date(2026, 7, 15)]
    # February without tickets is no_data: Jan | Mar Apr May → one plan, due June 15
    rows = [late("T1", "2026-01-05"), *[late(f"T{m}", WORKDAYS[m - 1]) for m in (3, 4, 5)]]
    ev = run(c, rows, as_of="2026-06-30")
    assert ev.month("2026-02").verdict("response_within_target").status == "no_data"
    assert [o.due for o in plans(ev) if o.kpi == "response_within_target"] == [date(2026, 6, 15)]


def test_satisfaction_miss_raises_investigation_on_working_days_after_the_month():
    c = make_contract()
    surveys = [dict(response_id="s1", submitted_at="2026-09-10 10:00", score=3)]
    ev = run(c, [on_time("A", "2026-09-10")], as_of="2026-10-31", surveys=surveys)
    found = {o.kind: o for o in ev.obligations if o.kind.startswith("satisfaction")}
    # Sep 30, then National Day Oct 1-7: working days Oct 8, 9 (2nd), 10 (make-up Saturday), 12, 13 (5th)
    assert found["satisfaction_investigation"].due == date(2026, 10, 9)
    assert found["satisfaction_findings"].due == date(2026, 10, 13)
    assert found["satisfaction_investigation"].kpi == "csat_mean,csat_satisfied_share"


def test_provider_report_is_due_on_the_5th_and_done_when_figures_arrived():
    c = make_contract()
    measures = [dict(month="2026-03", kpi="response_within_target", value=0.97, source="provider")]
    ev = run(
        c, [on_time("A", "2026-03-02"), on_time("B", "2026-04-02")], as_of="2026-05-10", measures=measures
    )
    reports = {o.months[0]: o for o in ev.obligations if o.kind == "provider_report"}
    assert reports["2026-03"].due == date(2026, 4, 5) and reports["2026-03"].status == "done"
    assert reports["2026-04"].due == date(2026, 5, 5) and reports["2026-04"].status == "overdue"


def test_linked_done_action_closes_the_obligation():
    c = make_contract()
    rows = [late(f"T{m}", day) for m, day in enumerate(WORKDAYS[:3])]
    oid = "improvement_plan:response_within_target:2026-03"
    ev = evaluate(
        c, dataset(tickets=rows), as_of=parse_as_of("2026-05-01", c), actions={oid: ("A-1", "done")}
    )
    plan = next(o for o in ev.obligations if o.id == oid)
    assert (plan.status, plan.linked_action) == ("done", "A-1")


# ---------------------------------------------------------------- caps over several months


def _breaches(per_month: dict[str, int]):
    """`n` breached-response items (5% = 10,000 each) in each month."""
    import pandas as pd

    from sla_core.periods import month_key

    rows = [
        {"month_key": month_key(m), "ticket_id": f"{m}-{i}", "priority": "P2", "target": "response"}
        for m, n in per_month.items()
        for i in range(n)
    ]
    return pd.DataFrame(rows, columns=["month_key", "ticket_id", "priority", "target"])


def _penalties(contract, per_month: dict[str, int]):
    from sla_core.consequences import month_penalties
    from sla_core.periods import month_key

    keys = [month_key(m) for m in per_month]
    out = month_penalties(
        contract, keys, _breaches(per_month), {}, dict.fromkeys(keys, True), dict.fromkeys(keys, True)
    )
    return {m: out[month_key(m)] for m in per_month}


def test_contract_cap_without_an_end_accumulates_over_the_months_so_far():
    """Doc 003 (七): "违约金…按服务费用的5%-10%/次扣除，累计不超过总额的20%". With no effective_to the
    cap covers the contract's months so far: 20% × 200,000 = 40,000 a month, so 40,000 / 80,000 /
    120,000 by January / February / March. Breaches of 30,000, 40,000 and 60,000 pay 30,000, 40,000
    and 50,000 (70,000 already used of 120,000)."""
    c = make_contract({"penalties": {"cap": 20.0, "cap_period": "contract"}})
    assert c.base.contract.effective_to is None
    p = _penalties(c, {"2026-01": 3, "2026-02": 4, "2026-03": 6})
    assert [p[m].uncapped_amount for m in p] == [
        Decimal("30000.00"),
        Decimal("40000.00"),
        Decimal("60000.00"),
    ]
    assert [p[m].amount for m in p] == [Decimal("30000.00"), Decimal("40000.00"), Decimal("50000.00")]
    assert p["2026-03"].cap_amount == Decimal("50000.00") and p["2026-03"].capped
    assert not p["2026-02"].capped
    assert p["2026-03"].cap_total == Decimal("120000.00")


def test_contract_cap_with_an_end_covers_the_whole_term_from_the_first_month():
    """Doc 003: the 20% is of the whole contract's total: 2026-01..2026-03 → 3 × 40,000 = 120,000 at once,
    so January alone may use 60,000 of it."""
    c = make_contract(
        {"contract": {"effective_to": "2026-03-31"}, "penalties": {"cap": 20.0, "cap_period": "contract"}}
    )
    p = _penalties(c, {"2026-01": 6, "2026-02": 5, "2026-03": 2})
    assert [p[m].amount for m in p] == [Decimal("60000.00"), Decimal("50000.00"), Decimal("10000.00")]
    assert p["2026-03"].cap_amount == Decimal("10000.00")


def test_contract_year_cap_follows_a_contract_starting_in_april():
    """Doc 003's cap per contract year, for a contract starting 2026-04-01: its first year runs
    April 2026 – March 2027 (not the calendar year). Cap 1% × 200,000 × 12 = 24,000 a year.
    October 2026: 20,000 (4,000 left); February 2027, same contract year: 10,000 due, 4,000 paid;
    April 2027 opens the second year: 10,000 paid in full."""
    c = make_contract(
        {
            "contract": {"effective_from": "2026-04-01"},
            "penalties": {"cap": 1.0, "cap_period": "contract_year"},
        }
    )
    p = _penalties(c, {"2026-10": 2, "2027-02": 1, "2027-04": 1})
    assert [p[m].amount for m in p] == [Decimal("20000.00"), Decimal("4000.00"), Decimal("10000.00")]
    assert p["2027-02"].capped and p["2027-02"].cap_amount == Decimal("4000.00")
    assert not p["2027-04"].capped and p["2027-04"].cap_amount == Decimal("24000.00")
    assert p["2027-04"].cap_total == Decimal("24000.00")


def test_contract_year_cap_resets_on_the_contract_anniversary_not_before():
    """The equality boundary: March 2027 is the 12th month of a year starting April 2026 (shares the cap),
    April 2027 the 1st of the next."""
    c = make_contract(
        {
            "contract": {"effective_from": "2026-04-01"},
            "penalties": {"cap": 1.0, "cap_period": "contract_year"},
        }
    )
    p = _penalties(c, {"2026-04": 2, "2027-03": 1, "2027-04": 3})
    assert [p[m].amount for m in p] == [Decimal("20000.00"), Decimal("4000.00"), Decimal("24000.00")]


# ---------------------------------------------------------------- doc 002's deadlines

DOC_002 = {
    "obligations": {
        # 3.1(3) "每月结束后10个工作日内完成上一个月度客户满意度的评估工作，并在每月15日前将评估结果…告知甲方"
        "satisfaction_evaluation_workdays": 10,
        "satisfaction_results_day": 15,
        # 4.1 "若甲方在收到满意度评估结果后10个工作日内提出异议"
        "objection_workdays": 10,
        # 4.1(3) "乙方将在5个工作日内向甲方提供一项或多项以下补救措施"
        "remedy_workdays": 5,
        # 4.1 "或发生重大服务投诉（如服务严重失职、泄露客户重要信息等）"
        "major_complaint": {"category": ["complaint"], "priority": ["P1"]},
    }
}


def doc002(ev, kind):
    return {o.months[0]: o for o in ev.obligations if o.kind == kind}


def test_doc_002_deadlines_across_the_national_day_holiday():
    """September 2026: National Day closes 1–7 October, Saturday 10 October is a make-up workday.
    Evaluation within 10 working days of 30 September: 8, 9, 10, 12, 13, 14, 15, 16, 19, 20 → 20 October.
    Results by the 15th: Thursday 15 October, a working day. The client's objections within 10 working
    days of it: 16, 19, 20, 21, 22, 23, 26, 27, 28, 29 → 29 October. September's surveys are in: the
    evaluation and results are done; the objection window is the client's and still open on 16 October."""
    c = make_contract(DOC_002)
    surveys = [dict(response_id="s1", submitted_at="2026-09-10 10:00", score=5)]
    ev = run(c, [on_time("A", "2026-09-10")], as_of="2026-10-16", surveys=surveys)
    evaluation = doc002(ev, "satisfaction_evaluation")["2026-09"]
    results = doc002(ev, "satisfaction_results")["2026-09"]
    objection = doc002(ev, "satisfaction_objection")["2026-09"]
    assert (evaluation.due, results.due, objection.due) == (
        date(2026, 10, 20),
        date(2026, 10, 15),
        date(2026, 10, 29),
    )
    assert (evaluation.owner, results.owner, objection.owner) == ("provider", "provider", "client")
    assert (evaluation.status, results.status, objection.status) == ("done", "done", "open")
    # on 30 October the window has lapsed: nothing is owed any more
    lapsed = doc002(
        run(c, [on_time("A", "2026-09-10")], as_of="2026-10-30", surveys=surveys), "satisfaction_objection"
    )
    assert lapsed["2026-09"].status == "done"


def test_doc_002_results_due_on_a_closed_day_move_to_the_next_working_day():
    """民法典 第二百零三条 (doc 002 is made under it): a period ending on a holiday ends on the next working
    day. January's results "by 15 February": Sunday in the Spring Festival break (16–23 February
    closed) → Tuesday 24 February. With results due on the 3rd, September's fall in National Day →
    Thursday 8 October. No surveys for the month: the evaluation and results are not done — overdue."""
    c = make_contract(DOC_002)
    ev = run(c, [on_time("A", "2026-01-06")], as_of="2026-03-31")
    january = doc002(ev, "satisfaction_results")["2026-01"]
    assert (january.due, january.status) == (date(2026, 2, 24), "overdue")
    # 10 working days after 31 January: 2, 3, 4, 5, 6, 9, 10, 11, 12, 13 → 13 February
    assert doc002(ev, "satisfaction_evaluation")["2026-01"].due == date(2026, 2, 13)
    early = make_contract({"obligations": {**DOC_002["obligations"], "satisfaction_results_day": 3}})
    ev = run(early, [on_time("A", "2026-09-10")], as_of="2026-10-31")
    assert doc002(ev, "satisfaction_results")["2026-09"].due == date(2026, 10, 8)


def test_a_major_complaint_triggers_an_investigation_findings_and_a_remedy():
    """Doc 002 §4.1: a P1 complaint made Wednesday 30 September starts the procedure: investigation
    within 2 working days (8, 9 October → 9 October), findings within 5 (8, 9, 10, 12, 13 → 13
    October), remedies within 5 working days of the findings (14, 15, 16, 19, 20 → 20 October). A P2
    complaint and an excluded P1 complaint are not major."""
    c = make_contract(DOC_002)
    rows = [
        dict(ticket_id="K1", created_at="2026-09-30 15:00", priority="P1", category="complaint"),
        dict(ticket_id="K2", created_at="2026-09-30 15:00", priority="P2", category="complaint"),
        dict(
            ticket_id="K3",
            created_at="2026-09-30 15:00",
            priority="P1",
            category="complaint",
            exclusion_reason="误报",
        ),
    ]
    ev = run(c, rows, as_of="2026-10-12")
    found = {o.kind: o for o in ev.obligations if o.ticket is not None}
    assert set(found) == {"major_complaint_investigation", "major_complaint_findings", "remedy"}
    assert {o.ticket for o in found.values()} == {"K1"}
    assert found["major_complaint_investigation"].due == date(2026, 10, 9)
    assert found["major_complaint_investigation"].status == "overdue"  # as of 12 October
    assert found["major_complaint_findings"].due == date(2026, 10, 13)
    assert found["remedy"].due == date(2026, 10, 20) and found["remedy"].status == "open"


def test_a_satisfaction_miss_also_owes_a_remedy_after_its_findings():
    """Doc 002 §4.1(3): findings of September's low satisfaction due 13 October; remedies 5 working days
    later: 20 October."""
    c = make_contract(DOC_002)
    surveys = [dict(response_id="s1", submitted_at="2026-09-10 10:00", score=3)]
    ev = run(c, [on_time("A", "2026-09-10")], as_of="2026-10-31", surveys=surveys)
    [remedy] = [o for o in ev.obligations if o.kind == "remedy"]
    assert (remedy.id, remedy.due, remedy.kpi) == (
        "remedy:2026-09",
        date(2026, 10, 20),
        "csat_mean,csat_satisfied_share",
    )


def test_without_doc_002_terms_there_are_no_such_obligations():
    ev = run(make_contract(), [on_time("A", "2026-09-10")], as_of="2026-10-31")
    assert {o.kind for o in ev.obligations} <= {
        "improvement_plan",
        "satisfaction_investigation",
        "satisfaction_findings",
        "provider_report",
    }


def test_doc_002_obligations_keep_the_json_valid():
    import json

    import jsonschema
    from builders import ROOT

    schema = json.loads((ROOT / "tests" / "fixtures" / "evaluate.schema.json").read_text(encoding="utf-8"))
    c = make_contract(DOC_002)
    rows = [dict(ticket_id="K1", created_at="2026-09-30 15:00", priority="P1", category="complaint")]
    doc = run(c, rows, as_of="2026-10-31").to_json()
    jsonschema.validate(doc, schema)
    by_term = {o["term"]: o for o in doc["obligations"]}
    assert by_term["satisfaction_objection"]["kind"] == "satisfaction_investigation"
    assert by_term["satisfaction_objection"]["owner"] == "client"
    assert by_term["satisfaction_results"]["kind"] == "provider_report"
    assert by_term["major_complaint_investigation"]["ticket"] == "K1"
