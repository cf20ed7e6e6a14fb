"""Which months an evaluation reports: every month from the first with data (or the contract's start,
when data begins before it) to the last with data — a gap in the contract is a month with no data, which
breaks a streak; before the start, only months that hold data.
One stray date from centuries ago costs one unjudged month, not twelve thousand."""

from __future__ import annotations

from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of


def ticket(tid: str, day: str) -> dict[str, str]:
    return dict(
        ticket_id=tid,
        created_at=f"{day} 09:00",
        priority="P2",
        first_response_at=f"{day} 09:10",
        resolved_at=f"{day} 11:00",
    )


def months_of(rows, as_of="2026-04-30", **kinds) -> list[str]:
    contract = make_contract()  # starts 2026-01-01
    ev = evaluate(contract, dataset(tickets=rows, **kinds), as_of=parse_as_of(as_of, contract))
    return [m.label for m in ev.months]


def test_a_stray_ancient_date_adds_its_month_not_the_centuries_between():
    labels = months_of([ticket("A", "1026-03-02"), ticket("B", "2026-03-02")])
    assert labels == ["1026-03", "2026-01", "2026-02", "2026-03"]


def test_months_before_the_start_only_where_data_is_and_unjudged():
    contract = make_contract()
    rows = [ticket("A", "2025-06-10"), ticket("B", "2025-09-10"), ticket("C", "2026-02-03")]
    ev = evaluate(contract, dataset(tickets=rows), as_of=parse_as_of("2026-04-30", contract))
    assert [m.label for m in ev.months] == ["2025-06", "2025-09", "2026-01", "2026-02"]
    assert {v.status for v in ev.months[0].verdicts} <= {"unjudged", "no_data"}  # never met or missed


def test_from_the_start_on_the_months_run_continuously():
    # March has no data but lies between two months that do: it is reported (no_data), so a streak
    # cannot jump it
    assert months_of([ticket("B", "2026-02-02"), ticket("C", "2026-04-02")]) == [
        "2026-02",
        "2026-03",
        "2026-04",
    ]
    # January and February are in the contract, between data: reported (no_data) as they always were
    labels = months_of([ticket("A", "2025-12-10"), ticket("B", "2026-03-02")])
    assert labels == ["2025-12", "2026-01", "2026-02", "2026-03"]
