"""Consequence edges the mutation check found untested, hand-computed (spec "Consequences", doc 002's
deadlines): what the JSON says of a penalty and an obligation, and a provider step's linked action."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sla_core.consequences import Obligation, ObligationContext, Penalty, PenaltyItem, _provider_step


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
