"""A closed month keeps its settled verdicts and penalty; recomputing only shows the difference."""

from __future__ import annotations

from decimal import Decimal

from builders import dataset, make_contract
from test_consequences import late, on_time

from sla_core.evaluate import evaluate, parse_as_of

C = make_contract()
AS_OF = parse_as_of("2026-04-30", C)


def test_closed_month_keeps_its_penalty_and_reports_the_difference():
    before = evaluate(C, dataset(tickets=[late("A", "2026-03-02"), on_time("B", "2026-03-03")]), as_of=AS_OF)
    march = before.month("2026-03")
    assert march.penalty.amount == Decimal("20000.00")
    settled = {"2026-03": march.to_json()}

    # a later import adds another late ticket to March
    rows = [late("A", "2026-03-02"), on_time("B", "2026-03-03"), late("C", "2026-03-04")]
    plain = evaluate(C, dataset(tickets=rows), as_of=AS_OF)
    assert plain.month("2026-03").penalty.amount == Decimal("30000.00")
    after = evaluate(C, dataset(tickets=rows), as_of=AS_OF, frozen=settled)
    kept = after.month("2026-03")
    assert kept.closed and kept.penalty.amount == Decimal("20000.00")
    assert kept.verdict("response_within_target").value == 0.5  # the settled 1 of 2, not 1 of 3
    diff = {d["item"]: d for d in after.closed_differences["2026-03"]}
    assert diff["penalty"]["settled"] == 20000.0 and diff["penalty"]["now"] == 30000.0
    assert diff["response_within_target"]["now"] == 1 / 3


def test_closed_month_without_changes_has_no_difference():
    rows = [late("A", "2026-03-02"), on_time("B", "2026-03-03")]
    first = evaluate(C, dataset(tickets=rows), as_of=AS_OF)
    again = evaluate(
        C, dataset(tickets=rows), as_of=AS_OF, frozen={"2026-03": first.month("2026-03").to_json()}
    )
    assert again.closed_differences == {"2026-03": []}
    assert again.month("2026-03").to_json() == first.month("2026-03").to_json()


def test_a_closed_months_penalty_counts_in_a_longer_cap():
    c = make_contract({"penalties": {"cap": 1.0, "cap_period": "contract_year"}})  # 24,000 a year
    march_rows = [late("A", "2026-03-02")]
    first = evaluate(c, dataset(tickets=march_rows), as_of=AS_OF)
    settled = {"2026-03": first.month("2026-03").to_json()}  # 20,000 charged
    rows = [*march_rows, late("B", "2026-04-01")]
    ev = evaluate(c, dataset(tickets=rows), as_of=AS_OF, frozen=settled)
    assert ev.month("2026-04").penalty.amount == Decimal("4000.00")
