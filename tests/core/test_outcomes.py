"""Per-ticket outcomes, hand-computed (spec "Rule (tickets)", "Rule (as_of)")."""

from __future__ import annotations

import pandas as pd
from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of

C = make_contract()


def outcomes(rows, as_of="2026-03-31", contract=C, **kinds):
    ev = evaluate(contract, dataset(tickets=rows, **kinds), as_of=parse_as_of(as_of, contract))
    return ev, ev.tickets.set_index("ticket_id")


def test_business_clock_counts_from_next_opening_when_created_outside_hours():
    # P2 (business, 30m response, 8h resolution) created Friday 17:50: 10 min Friday + Monday from 09:00
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-06 17:50",
                priority="P2",
                first_response_at="2026-03-09 09:15",
                resolved_at="2026-03-09 17:00",
            )
        ]
    )
    assert t.loc["A", "response_seconds"] == 25 * 60
    assert t.loc["A", "response_status"] == "met"
    assert t.loc["A", "resolution_seconds"] == 8 * 3600 + 10 * 60
    assert t.loc["A", "resolution_status"] == "breached"


def test_created_on_saturday_night_starts_monday_morning():
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-07 23:00",
                priority="P3",
                first_response_at="2026-03-09 11:00",
                resolved_at="2026-03-10 10:00",
            )
        ]
    )
    assert t.loc["A", "response_seconds"] == 2 * 3600  # 09:00 → 11:00 Monday
    assert t.loc["A", "response_status"] == "met"  # ≤ 2h, inclusive
    assert t.loc["A", "resolution_seconds"] == 9 * 3600 + 3600


def test_24x7_clock_counts_every_second():
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-07 23:00",
                priority="P1",
                first_response_at="2026-03-07 23:15",
                resolved_at="2026-03-08 01:00:01",
            )
        ]
    )
    assert t.loc["A", "response_seconds"] == 900
    assert t.loc["A", "response_status"] == "met"
    assert t.loc["A", "resolution_seconds"] == 7201
    assert t.loc["A", "resolution_status"] == "breached"


def test_resolution_counts_as_response_when_earlier():
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-02 10:00",
                priority="P2",
                first_response_at="2026-03-02 11:00",
                resolved_at="2026-03-02 10:20",
            )
        ]
    )
    assert t.loc["A", "response_seconds"] == 20 * 60
    assert t.loc["A", "response_status"] == "met"


def test_resolution_counts_as_response_when_no_first_response():
    # the export has a first-response column (B carries one); A was solved without a separate reply
    _, t = outcomes(
        [
            dict(ticket_id="A", created_at="2026-03-02 10:00", priority="P2", resolved_at="2026-03-02 10:40"),
            dict(
                ticket_id="B",
                created_at="2026-03-02 10:00",
                priority="P2",
                first_response_at="2026-03-02 10:05",
            ),
        ]
    )
    assert t.loc["A", "response_seconds"] == 40 * 60
    assert t.loc["A", "response_status"] == "breached"


def test_no_first_response_column_is_no_data_never_the_resolution_time():
    ev, t = outcomes(
        [dict(ticket_id="A", created_at="2026-03-02 10:00", priority="P2", resolved_at="2026-03-02 10:10")]
    )
    assert t.loc["A", "response_status"] == "no_data" and pd.isna(t.loc["A", "response_seconds"])
    assert not t.loc["A", "responded"]
    assert t.loc["A", "resolution_seconds"] == 600 and t.loc["A", "resolution_status"] == "met"
    [note] = [w for w in ev.warnings if w.code == "tickets.no_first_response"]
    assert note.column == "first_response_at" and "first-response" in note.en
    verdict = ev.month("2026-03").verdict("response_within_target")
    assert verdict.status == "no_data" and verdict.value is None


def test_closed_at_stands_in_for_resolved_with_a_warning():
    ev, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-02 10:00",
                priority="P2",
                first_response_at="2026-03-02 10:05",
                closed_at="2026-03-02 12:00",
            )
        ]
    )
    assert t.loc["A", "resolution_seconds"] == 2 * 3600
    assert any(w.code == "tickets.closed_as_resolved" for w in ev.warnings)


def test_pending_versus_breached_at_as_of():
    rows = [
        dict(ticket_id="within", created_at="2026-03-31 17:00", priority="P3"),  # 1h used of 2h
        dict(ticket_id="over", created_at="2026-03-31 09:00", priority="P2"),  # 9h used of 30m
        # the month's responses are measured: the export has first-response times
        dict(
            ticket_id="answered",
            created_at="2026-03-02 09:00",
            priority="P3",
            first_response_at="2026-03-02 09:30",
        ),
    ]
    _, t = outcomes(rows, as_of="2026-03-31T18:00:00")
    assert t.loc["within", "response_status"] == "pending"
    assert t.loc["within", "resolution_status"] == "pending"
    assert t.loc["over", "response_status"] == "breached"
    assert t.loc["over", "resolution_status"] == "breached"  # 9h > 8h
    assert t.loc["over", "response_seconds"] == 9 * 3600  # elapsed so far at as_of


def test_timestamps_after_as_of_count_as_blank_and_later_tickets_are_left_out():
    rows = [
        dict(
            ticket_id="A",
            created_at="2026-03-02 10:00",
            priority="P2",
            first_response_at="2026-03-02 10:10",
            resolved_at="2026-03-02 16:00",
        ),
        dict(ticket_id="B", created_at="2026-03-02 13:00", priority="P2"),
    ]
    _, t = outcomes(rows, as_of="2026-03-02T12:00:00")
    assert t.loc["A", "response_status"] == "met"
    assert t.loc["A", "resolution_status"] == "pending"  # resolved at 16:00 is after as_of
    assert "B" not in t.index


def test_pauses_reduce_resolution_but_never_response():
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-02 09:00",
                priority="P2",
                first_response_at="2026-03-02 10:00",
                resolved_at="2026-03-03 12:00",
                paused_minutes=120,
            )
        ]
    )
    assert t.loc["A", "response_seconds"] == 3600
    assert t.loc["A", "response_status"] == "breached"
    assert t.loc["A", "resolution_seconds"] == 12 * 3600 - 7200  # 9h Monday + 3h Tuesday − 2h paused
    assert t.loc["A", "resolution_status"] == "breached"  # 10h > 8h
    assert t.loc["A", "paused_seconds"] == 7200


def test_resolution_minus_pause_is_floored_at_zero():
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-02 09:00",
                priority="P2",
                first_response_at="2026-03-02 09:05",
                resolved_at="2026-03-02 09:30",
                paused_minutes=60,
            )
        ]
    )
    assert t.loc["A", "resolution_seconds"] == 0


def test_excluded_tickets_have_outcome_excluded_with_reason():
    rows = [
        dict(ticket_id="A", created_at="2026-03-02 09:00", priority="P2", exclusion_reason="不可抗力：停电"),
        dict(ticket_id="B", created_at="2026-03-02 09:00", priority="P2", excluded=True),
    ]
    ev, t = outcomes(rows)
    assert (t["response_status"] == "excluded").all()
    assert (t["resolution_status"] == "excluded").all()
    assert t.loc["A", "exclusion_reason"] == "不可抗力：停电"
    assert t.loc["B", "exclusion_reason"] == "excluded"
    rate = ev.month("2026-03").verdict("resolution_rate")
    assert rate.status == "no_data" and rate.denominator == 0  # excluded tickets are never counted


def test_month_is_taken_in_the_contracts_zone():
    # 2026-03-31 23:30 in Shanghai is 15:30 UTC: still March; 2026-04-01 00:30 local is April
    _, t = outcomes(
        [
            dict(ticket_id="A", created_at="2026-03-31 23:30", priority="P1"),
            dict(ticket_id="B", created_at="2026-04-01 00:30", priority="P1"),
        ],
        as_of="2026-04-30",
    )
    assert t.loc["A", "month"] == "2026-03"
    assert t.loc["B", "month"] == "2026-04"


def test_offset_timestamps_are_the_same_instants():
    # 02:00 UTC = 10:00 Shanghai, a Monday: response at 10:30 local = 30 min ≤ 30m
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-03-02T02:00:00+00:00",
                priority="P2",
                first_response_at="2026-03-02 10:30",
            )
        ]
    )
    assert t.loc["A", "response_seconds"] == 1800
    assert t.loc["A", "response_status"] == "met"


def test_national_day_holiday_and_make_up_workday():
    # P3 created Wed 2026-09-30 17:00: 1h that day; Oct 1-7 holiday; Thu Oct 8 09:00 → resolved Oct 8 18:00
    _, t = outcomes(
        [
            dict(
                ticket_id="A",
                created_at="2026-09-30 17:00",
                priority="P3",
                first_response_at="2026-10-08 10:00",
                resolved_at="2026-10-08 18:00",
            )
        ],
        as_of="2026-10-31",
    )
    assert t.loc["A", "response_seconds"] == 2 * 3600
    assert t.loc["A", "resolution_seconds"] == 10 * 3600
    # Saturday Oct 10 is a make-up workday (调休): created 09:00, answered 10:00 → 1h
    _, t = outcomes(
        [
            dict(
                ticket_id="B",
                created_at="2026-10-10 09:00",
                priority="P2",
                first_response_at="2026-10-10 10:00",
            )
        ],
        as_of="2026-10-31",
    )
    assert t.loc["B", "response_seconds"] == 3600


def test_version_in_force_sets_the_target_per_month():
    # P2 response tightened from 30m to 20m from 2026-07-01: 25 minutes is met in June, breached in July
    rows = [
        dict(
            ticket_id="jun",
            created_at="2026-06-30 10:00",
            priority="P2",
            first_response_at="2026-06-30 10:25",
        ),
        dict(
            ticket_id="jul",
            created_at="2026-07-01 10:00",
            priority="P2",
            first_response_at="2026-07-01 10:25",
        ),
    ]
    _, t = outcomes(rows, as_of="2026-07-31")
    assert t.loc["jun", "response_target"] == 1800
    assert t.loc["jun", "response_status"] == "met"
    assert t.loc["jul", "response_target"] == 1200
    assert t.loc["jul", "response_status"] == "breached"
    assert t.loc["jul", "resolution_target"] == 8 * 3600  # deep merge kept P2's resolution and labels


def test_feedback_milestones():
    # complaint: acknowledged 10 min (≤15m), classified 3h (> 2h), processed 20h (≤ 24h) → late
    rows = [
        dict(
            ticket_id="late",
            created_at="2026-03-02 09:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-02 09:10",
            classified_at="2026-03-02 12:00",
            resolved_at="2026-03-03 05:00",
        ),
        dict(
            ticket_id="ok",
            created_at="2026-03-02 09:00",
            priority="P3",
            category="feedback",
            first_response_at="2026-03-02 09:15",
            classified_at="2026-03-02 11:00",
            resolved_at="2026-03-03 09:00",
        ),
        dict(
            ticket_id="open",
            created_at="2026-03-31 20:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-31 20:05",
        ),
        dict(ticket_id="other", created_at="2026-03-02 09:00", priority="P3", category="inquiry"),
    ]
    ev, t = outcomes(rows, as_of="2026-03-31T21:00:00")
    assert t.loc["late", "feedback_status"] == "late"
    assert t.loc["ok", "feedback_status"] == "on_time"  # 24h exactly is on time
    assert t.loc["open", "feedback_status"] == "pending"  # classify deadline 22:00 not yet passed
    assert pd.isna(t.loc["other", "feedback_status"])
    v = ev.month("2026-03").verdict("feedback_on_time")
    assert (v.numerator, v.denominator) == (1, 2)


def test_feedback_milestone_without_its_column_is_not_judged():
    rows = [
        dict(
            ticket_id="A",
            created_at="2026-03-02 09:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-02 09:10",
            resolved_at="2026-03-02 18:00",
        )
    ]
    _, t = outcomes(rows)
    assert t.loc["A", "feedback_status"] == "on_time"  # classified_at column absent: not judged


def test_blank_feedback_milestone_is_late_once_its_deadline_passed():
    rows = [
        dict(
            ticket_id="A",
            created_at="2026-03-02 09:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-02 09:10",
            classified_at=None,
            resolved_at="2026-03-02 18:00",
        )
    ]
    _, t = outcomes(rows)
    assert t.loc["A", "feedback_status"] == "late"
