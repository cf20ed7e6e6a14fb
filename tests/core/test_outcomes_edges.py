"""Per-ticket outcome edges the mutation check found untested, hand-computed (spec "Rule (tickets)",
"Rule (periods and rates)", "Rule (contract versions)").

The example contract: P1 24x7 (response 15m), P2 business (response 30m, 20m from 2026-07-01),
P3 business (response 2h, resolution 24h); business hours 09:00–18:00 on weekdays, Asia/Shanghai.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of
from sla_core.outcomes import Clocks, compute_outcomes, month_columns, version_index

C = make_contract()
JUNE, JULY = 2026 * 12 + 5, 2026 * 12 + 6


def outcomes(rows, as_of, contract=C, data=None):
    data = data if data is not None else dataset(tickets=rows)
    ev = evaluate(contract, data, as_of=parse_as_of(as_of, contract))
    return ev, ev.tickets.set_index("ticket_id")


def test_a_ticket_not_done_whose_time_so_far_equals_its_target_is_pending_one_second_more_breached():
    """Pending means "not done, still within target": P3's 2 h response from Monday 09:00 — at as_of 11:00:00
    exactly 7200 s have run, still within (≤) the target; at 11:00:01 it is breached."""
    rows = [
        dict(ticket_id="open", created_at="2026-03-02 09:00:00", priority="P3"),
        # the month's responses are measured: the export has first-response times
        dict(
            ticket_id="answered",
            created_at="2026-03-02 09:00:00",
            priority="P3",
            first_response_at="2026-03-02 09:30:00",
        ),
    ]
    _, t = outcomes(rows, as_of="2026-03-02T11:00:00")
    assert t.loc["open", "response_seconds"] == 7200
    assert t.loc["open", "response_status"] == "pending"
    _, t = outcomes(rows, as_of="2026-03-02T11:00:01")
    assert t.loc["open", "response_status"] == "breached"


def test_a_version_that_changes_the_calendar_times_its_months_on_its_own_hours():
    """From 2026-07-01 the office opens at 08:00 on Wednesdays. A P2 created Wednesday 2026-07-01 07:00 and
    answered 08:30 has 30 min of business time on July's calendar (08:00–08:30), not 0 (09:00 opening of
    the first version); beside it a P1 on the 24x7 clock, 07:00 → 07:10 = 600 s."""
    contract = make_contract(
        versions=[
            {
                "effective_from": "2026-07-01",
                "priorities": [{"id": "P2", "response": "20m"}],
                "calendar": {"hours": {"wed": ["08:00-18:00"]}},
            }
        ]
    )
    rows = [
        dict(
            ticket_id="p1",
            created_at="2026-07-01 07:00",
            priority="P1",
            first_response_at="2026-07-01 07:10",
        ),
        dict(
            ticket_id="p2",
            created_at="2026-07-01 07:00",
            priority="P2",
            first_response_at="2026-07-01 08:30",
        ),
    ]
    _, t = outcomes(rows, as_of="2026-07-31", contract=contract)
    assert t.loc["p1", "response_seconds"] == 600
    assert t.loc["p2", "response_seconds"] == 1800
    assert t.loc["p2", "response_status"] == "breached"  # 30 min > July's 20 min


def test_version_index_skips_unknown_months_and_finds_later_versions():
    """Month key −1 (no date) gets index 0 and does not stop the look-up of the months after it:
    June 2026 is the first version (0), July the version effective 2026-07-01 (1)."""
    out = version_index(C, np.array([JULY, -1, JUNE, JULY], dtype="int64"))
    assert out.tolist() == [1, 0, 0, 1]
    assert out.dtype == np.dtype("int64")  # an index into contract.versions


def test_month_columns_holds_a_column_only_in_the_months_where_it_is_filled():
    """Spec "Rule (periods and rates)": a column held for other months but empty in this one is absent
    for this one. first_response_at is filled in June only, team in August only, nothing in July
    (so the last month's count is not cut short); the file's valued-blank column first_contact_resolved
    counts in every month, those the file lacks (suggestion_adopted, excluded) in none."""
    tickets = pd.DataFrame(
        {
            "first_response_at": [pd.Timestamp("2026-06-02 10:00", tz="UTC"), pd.NaT, pd.NaT],
            "team": [None, None, "L2"],
            "first_contact_resolved": [False, True, False],
        }
    )
    aug = JULY + 1
    columns = frozenset({"first_response_at", "team", "first_contact_resolved"})
    got = month_columns(tickets, np.array([JUNE, JULY, aug]), columns)
    assert got == {
        JUNE: frozenset({"first_response_at", "first_contact_resolved"}),
        JULY: frozenset({"first_contact_resolved"}),
        aug: frozenset({"team", "first_contact_resolved"}),
    }
    # a column filled only in the first of two months: the second month's count must exist and be 0
    got = month_columns(tickets.iloc[:2], np.array([JUNE, JULY]), frozenset({"first_response_at"}))
    assert got == {JUNE: frozenset({"first_response_at"}), JULY: frozenset()}


def test_tickets_without_a_recorded_column_list_are_measured_as_having_none():
    """A dataset whose tickets carry no column list (nothing says which columns the file had): no month
    has first-response times, so the response is no data (never the resolution time)."""
    data = dataset(
        tickets=[
            dict(
                ticket_id="A",
                created_at="2026-03-02 10:00",
                priority="P3",
                first_response_at="2026-03-02 10:10",
                resolved_at="2026-03-02 11:00",
            )
        ]
    )
    del data.columns["tickets"]
    _, t = outcomes(None, as_of="2026-03-31", data=data)
    assert t.loc["A", "response_status"] == "no_data"
    assert t.loc["A", "resolution_status"] == "met"  # 1 h ≤ 24 h


def _direct(data, as_of="2026-04-30T00:00:00"):
    clocks = Clocks(C, date(2026, 1, 1), date(2026, 12, 31))
    return compute_outcomes(C, data, parse_as_of(as_of, C), clocks)


def test_no_tickets_give_an_empty_outcome_table_without_problems():
    """Outages only (no ticket file), then a ticket file with no rows: nothing to judge, no warning, and
    the file's columns kept as given."""
    only_outages = dataset(outages=[dict(service="VPN", start="2026-04-10 10:00", end="2026-04-10 10:10")])
    got = _direct(only_outages)
    assert isinstance(got.frame, pd.DataFrame) and got.frame.empty
    assert (got.issues, got.columns) == ([], frozenset())
    empty = dataset(tickets=[dict(ticket_id="A", created_at="2026-04-01 10:00", priority="P3")])
    empty.tickets = empty.tickets.iloc[:0]
    got = _direct(empty)
    assert got.frame.empty and got.issues == []
    assert got.columns == frozenset({"ticket_id", "created_at", "priority"})


def test_a_ticket_created_exactly_at_as_of_is_counted_and_a_time_exactly_at_as_of_is_known():
    """Spec: tickets created after as_of are left out, timestamps after as_of count as blank; at as_of
    itself both are in. A P3 resolved at exactly as_of 11:00 after 1 h is resolved and met; a ticket
    created at 11:00:00 is kept (pending, 0 s), one created at 11:00:01 is not."""
    rows = [
        dict(
            ticket_id="done",
            created_at="2026-03-02 10:00:00",
            priority="P3",
            first_response_at="2026-03-02 10:30:00",
            resolved_at="2026-03-02 11:00:00",
        ),
        dict(ticket_id="new", created_at="2026-03-02 11:00:00", priority="P3"),
        dict(ticket_id="later", created_at="2026-03-02 11:00:01", priority="P3"),
    ]
    _, t = outcomes(rows, as_of="2026-03-02T11:00:00")
    assert t.loc["done", "resolution_status"] == "met"
    assert t.loc["done", "resolution_seconds"] == 3600
    assert t.loc["new", "resolution_status"] == "pending"
    assert t.loc["new", "resolution_seconds"] == 0
    assert "later" not in t.index


def test_a_priority_the_terms_do_not_define_is_excluded_named_in_one_warning():
    """Two P9 tickets, a P8 and a P3: the P9s and the P8 stay in the table, excluded ("priority not in
    terms"), and one warning counts 3 and names both priorities, sorted; the P3 is judged."""
    rows = [
        dict(ticket_id="x", created_at="2026-04-01 10:00", priority="P9"),
        dict(ticket_id="y", created_at="2026-04-02 10:00", priority="P9"),
        dict(ticket_id="z", created_at="2026-04-02 11:00", priority="P8"),
        dict(ticket_id="ok", created_at="2026-04-01 10:00", priority="P3", resolved_at="2026-04-01 11:00"),
    ]
    ev, t = outcomes(rows, as_of="2026-04-30")
    assert t.loc[["x", "y"], "resolution_status"].tolist() == ["excluded", "excluded"]
    assert t.loc[["x", "y"], "exclusion_reason"].tolist() == ["priority not in terms"] * 2
    assert t.loc["ok", "resolution_status"] == "met"
    (w,) = [w for w in ev.warnings if w.code == "tickets.priority_not_in_terms"]
    assert w.en == (
        "3 tickets have priority P8, P9, which the terms in force for their month do not define; "
        "they are excluded"
    )
    assert w.zh == "3 张工单的优先级 P8, P9 不在当月有效的合同条款中，已按免责处理"
    assert (w.level, w.column) == ("warning", "priority")


def test_an_export_without_a_workaround_column_judges_no_temporary_fix():
    """An export that has no workaround_at column at all (the column, not its values): the other
    milestones are judged as usual and no ticket has a workaround status."""
    data = dataset(
        tickets=[
            dict(
                ticket_id="A",
                created_at="2026-03-02 10:00",
                priority="P3",
                first_response_at="2026-03-02 10:20",
                resolved_at="2026-03-02 12:00",
            )
        ]
    )
    data.tickets = data.tickets.drop(columns=["workaround_at"])
    _, t = outcomes(None, as_of="2026-03-31", data=data)
    assert t.loc["A", "response_seconds"] == 1200
    assert t.loc["A", "resolution_seconds"] == 7200
    assert t.loc["A", "workaround_status"] is None


def test_closed_at_stands_in_only_where_resolved_at_is_blank_and_the_warning_counts_those():
    """Spec: resolved = resolved_at, else closed_at (with a warning). P2 (business): "both" resolved
    10:00 → 11:00 and closed at 15:00 keeps its 1 h; "closed" has only closed_at 10:00 → 12:00, 2 h.
    One warning, for the one ticket without a resolved time."""
    rows = [
        dict(
            ticket_id="both",
            created_at="2026-03-02 10:00",
            priority="P2",
            first_response_at="2026-03-02 10:05",
            resolved_at="2026-03-02 11:00",
            closed_at="2026-03-02 15:00",
        ),
        dict(
            ticket_id="closed",
            created_at="2026-03-02 10:00",
            priority="P2",
            first_response_at="2026-03-02 10:05",
            closed_at="2026-03-02 12:00",
        ),
    ]
    ev, t = outcomes(rows, as_of="2026-03-31")
    assert t.loc["both", "resolution_seconds"] == 3600
    assert t.loc["closed", "resolution_seconds"] == 7200
    (w,) = [w for w in ev.warnings if w.code == "tickets.closed_as_resolved"]
    assert w.en == "1 tickets have no resolved time; their closed time is used instead"
    assert w.zh == "1 张工单没有解决时间，已用关闭时间代替"
    assert (w.level, w.column) == ("warning", "resolved_at")


def test_a_ticket_whose_priority_is_not_in_the_terms_is_timed_on_the_24x7_clock():
    """Excluded, but still timed for the ticket list: with no priority there is no business clock, so
    wall time — Wednesday 20:00 → 22:00 is 2 h (0 s of business hours)."""
    rows = [
        dict(ticket_id="x", created_at="2026-04-08 20:00", priority="P9", resolved_at="2026-04-08 22:00"),
        dict(ticket_id="ok", created_at="2026-04-08 20:00", priority="P3", resolved_at="2026-04-08 22:00"),
    ]
    _, t = outcomes(rows, as_of="2026-04-30")
    assert t.loc["x", "resolution_seconds"] == 7200
    assert t.loc["ok", "resolution_seconds"] == 0  # P3 on business hours: all after 18:00
    # the ticket list and the exports name that clock: 24x7, as the terms spell it
    assert t.loc["x", ["clock", "response_clock", "resolution_clock"]].tolist() == ["24x7"] * 3


def test_pause_intervals_from_a_status_history_are_clipped_to_the_ticket_and_timed_on_its_clock():
    """Spec "Rule (tickets)": resolution = created → resolved minus paused time; a history's pauses are
    clipped to [created, resolved] (else as_of; a pause still running ends there). Times in UTC
    (Shanghai −8 h). "hist": P3, business, Mon 2026-03-02 09:00 → 17:00 (8 h = 28800 s), paused
    08:00–10:00 (clipped to 09:00: 1 h), 12:00–12:30 (30 min), 16:00–18:00 (clipped to 17:00: 1 h) and
    19:00–20:00 (after it was resolved: 0) — 2.5 h = 9000 s paused, 19800 s left. "running": P1, 24x7,
    Tue 10:00, paused 09:00–10:30 (clipped to 10:00: 30 min) and from 11:00 with no end, as_of 13:00 →
    3 h less 2.5 h = 1800 s. "minutes": no
    history, 30 paused minutes: 10:00 → 12:00 less 1800 s = 5400 s (the file's last row)."""
    rows = [
        dict(
            ticket_id="hist",
            created_at="2026-03-02 09:00",
            priority="P3",
            first_response_at="2026-03-02 09:10",
            resolved_at="2026-03-02 17:00",
            pause_intervals="2026-03-02T00:00:00Z/2026-03-02T02:00:00Z|pause|挂起;"
            "2026-03-02T04:00:00Z/2026-03-02T04:30:00Z|pause|挂起;"
            "2026-03-02T08:00:00Z/2026-03-02T10:00:00Z|pause|挂起;"
            "2026-03-02T11:00:00Z/2026-03-02T12:00:00Z|pause|挂起",
        ),
        dict(
            ticket_id="running",
            created_at="2026-03-03 10:00",
            priority="P1",
            first_response_at="2026-03-03 10:05",
            pause_intervals="2026-03-03T01:00:00Z/2026-03-03T02:30:00Z|pause|挂起;2026-03-03T03:00:00Z/|pause|挂起",
        ),
        dict(
            ticket_id="minutes",
            created_at="2026-03-03 10:00",
            priority="P3",
            first_response_at="2026-03-03 10:05",
            resolved_at="2026-03-03 12:00",
            paused_minutes=30,
            pause_intervals=None,
        ),
    ]
    _, t = outcomes(rows, as_of="2026-03-03T13:00:00")
    assert t.loc["hist", "paused_seconds"] == 9000
    assert t.loc["hist", "resolution_seconds"] == 19800
    assert t.loc["running", "paused_seconds"] == 9000
    assert t.loc["running", "resolution_seconds"] == 1800
    assert t.loc["minutes", "paused_seconds"] == 1800
    assert t.loc["minutes", "resolution_seconds"] == 5400


def test_months_without_any_first_response_are_named_once_sorted_in_one_warning():
    """Spec: response is no_data in a month where no ticket carries a first_response_at, with a warning
    naming the column. March has one, May and April (given out of order, April twice) none: one warning
    listing "2026-04, 2026-05"."""
    rows = [
        dict(
            ticket_id="m", created_at="2026-03-02 10:00", priority="P3", first_response_at="2026-03-02 10:10"
        ),
        dict(ticket_id="y", created_at="2026-05-04 10:00", priority="P3"),
        dict(ticket_id="a", created_at="2026-04-01 10:00", priority="P3"),
        dict(ticket_id="b", created_at="2026-04-02 10:00", priority="P3"),
    ]
    ev, t = outcomes(rows, as_of="2026-05-31")
    assert t.loc[["y", "a"], "response_status"].tolist() == ["no_data", "no_data"]
    (w,) = [w for w in ev.warnings if w.code == "tickets.no_first_response"]
    assert w.en == (
        "no ticket of 2026-04, 2026-05 carries a first-response time (first_response_at): response within "
        "target is no data for those months"
    )
    assert w.zh == (
        "2026-04, 2026-05 没有任何工单有「首次响应时间」（first_response_at）：这些月份的首次响应达标率无数据"
    )
    assert (w.level, w.column, w.value) == ("warning", "first_response_at", "2026-04, 2026-05")


def test_an_export_without_a_first_response_column_says_so_in_one_warning():
    """Spec: without first_response_at the response is no data (never the resolution time), with a
    warning naming the column."""
    rows = [dict(ticket_id="a", created_at="2026-04-01 10:00", priority="P3", resolved_at="2026-04-01 11:00")]
    ev, t = outcomes(rows, as_of="2026-04-30")
    assert t.loc["a", "response_status"] == "no_data"
    (w,) = [w for w in ev.warnings if w.code == "tickets.no_first_response"]
    assert w.en == (
        "the tickets have no first-response column (first_response_at): response within target is "
        "no data (the resolution time never stands in for it)"
    )
    assert (
        w.zh
        == "工单文件没有「首次响应时间」列（first_response_at）：首次响应达标率无数据（不用解决时间代替）"
    )
    assert (w.level, w.column) == ("warning", "first_response_at")


def test_a_blank_feedback_milestone_is_pending_up_to_its_deadline_and_late_one_second_after():
    """Spec "Rule (feedback handling)", 24x7: acknowledge 15 min, classify 2 h, process 24 h. "edge",
    a complaint of 19:00 acknowledged 19:10 and not yet classified: at as_of 21:00 exactly 2 h have run
    (≤ target) → pending; at 21:00:01 → late. "ok" meets every deadline exactly → on_time; an excluded
    complaint and a ticket without a category are not judged (None). "last", acknowledged and classified
    in time but not processed, has run exactly 24 h at as_of → pending, then late."""
    rows = [
        dict(
            ticket_id="edge",
            created_at="2026-03-31 19:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-31 19:10",
        ),
        dict(
            ticket_id="ok",
            created_at="2026-03-30 09:00",
            priority="P3",
            category="feedback",
            first_response_at="2026-03-30 09:15",
            classified_at="2026-03-30 11:00",
            resolved_at="2026-03-31 09:00",
        ),
        dict(
            ticket_id="fixed",
            created_at="2026-03-31 20:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-31 20:05",
            resolved_at="2026-03-31 20:30",
        ),
        dict(
            ticket_id="last",
            created_at="2026-03-30 21:00",
            priority="P3",
            category="complaint",
            first_response_at="2026-03-30 21:05",
            classified_at="2026-03-30 22:00",
        ),
        dict(
            ticket_id="excl",
            created_at="2026-03-30 09:00",
            priority="P3",
            category="complaint",
            excluded=True,
        ),
        dict(ticket_id="none", created_at="2026-03-30 09:00", priority="P3", category=None),
    ]
    _, t = outcomes(rows, as_of="2026-03-31T21:00:00")
    assert t.loc["edge", "feedback_status"] == "pending"
    assert t.loc["last", "feedback_status"] == "pending"  # processing: exactly 24 h so far, not yet late
    assert t.loc["fixed", "feedback_status"] == "pending"  # processed, but its classification still due
    assert t.loc["ok", "feedback_status"] == "on_time"
    assert pd.isna(t.loc["excl", "feedback_status"])
    assert pd.isna(t.loc["none", "feedback_status"])
    _, t = outcomes(rows, as_of="2026-03-31T21:00:01")
    assert t.loc["edge", "feedback_status"] == "late"
    assert t.loc["last", "feedback_status"] == "late"


# doc 003 (三 约定服务时间): outside service hours an urgent fault gets 30 min to respond, 4 h to a temporary fix
AFTER_HOURS = {
    "id": "after-hours-urgent",
    "when": {"priority": ["P1"], "category": ["fault"], "created": "outside_hours"},
    "response": "30m",
    "workaround": "4h",
}


def test_a_temporary_fix_at_creation_takes_0_s_and_an_open_one_runs_to_as_of():
    """Tuesday 22:00 urgent faults (24x7): worked around at 22:00 itself → 0 s, met; none yet at as_of
    01:00 → 3 h = 10800 s so far, pending (≤ 4 h). Whole seconds, like response and resolution: the column
    is integer, so the ticket export reads 10800, not 10800.0."""
    c = make_contract({"targets": [AFTER_HOURS]})
    rows = [
        dict(
            ticket_id="zero",
            created_at="2026-03-03 22:00",
            priority="P1",
            category="fault",
            workaround_at="2026-03-03 22:00",
        ),
        dict(ticket_id="open", created_at="2026-03-03 22:00", priority="P1", category="fault"),
    ]
    _, t = outcomes(rows, as_of="2026-03-04T01:00:00", contract=c)
    assert (t.loc["zero", "workaround_seconds"], t.loc["zero", "workaround_status"]) == (0, "met")
    assert (t.loc["open", "workaround_seconds"], t.loc["open", "workaround_status"]) == (10800, "pending")
    assert str(t["workaround_seconds"].dtype) == "Int64"


def test_an_excluded_ticket_with_a_workaround_target_is_excluded_even_without_the_column():
    """An export without workaround_at: an excluded urgent fault the rule gives a 4 h target still shows
    "excluded"; an excluded ticket no rule gives one has no workaround status."""
    c = make_contract({"targets": [AFTER_HOURS]})
    rows = [
        dict(ticket_id="excl", created_at="2026-03-03 22:00", priority="P1", category="fault", excluded=True),
        dict(
            ticket_id="plain", created_at="2026-03-03 10:00", priority="P3", category="fault", excluded=True
        ),
    ]
    data = dataset(tickets=rows)
    data.tickets = data.tickets.drop(columns=["workaround_at"])
    _, t = outcomes(None, as_of="2026-03-31", contract=c, data=data)
    assert t.loc["excl", "workaround_status"] == "excluded"
    assert pd.isna(t.loc["plain", "workaround_status"])


def test_a_feedback_milestone_is_judged_only_when_the_file_has_a_column_for_it():
    """Spec "Rule (feedback handling)": a milestone whose column the file lacks is not judged. Only
    closed_at: a complaint of 09:00 closed 09:30 is acknowledged by its closing, 30 min > 15 min → late.
    Only classified_at: classified after 1 h (≤ 2 h), nothing else judged — on_time two days later."""
    closed = [
        dict(
            ticket_id="c",
            created_at="2026-03-02 09:00",
            priority="P3",
            category="complaint",
            closed_at="2026-03-02 09:30",
        )
    ]
    _, t = outcomes(closed, as_of="2026-03-31")
    assert t.loc["c", "feedback_status"] == "late"
    classified = [
        dict(
            ticket_id="k",
            created_at="2026-03-02 09:00",
            priority="P3",
            category="complaint",
            classified_at="2026-03-02 10:00",
        )
    ]
    _, t = outcomes(classified, as_of="2026-03-04T09:00:00")
    assert t.loc["k", "feedback_status"] == "on_time"


def _monday_ticket_paused_30_min(
    ticket_id: str, pause_intervals: str, resolved_at: str = "2026-03-02 12:00"
) -> dict:
    """P3 on the business clock, Mon 2026-03-02 10:00 (first response 10:05), the file's 30 paused minutes."""
    return dict(
        ticket_id=ticket_id,
        created_at="2026-03-02 10:00",
        priority="P3",
        first_response_at="2026-03-02 10:05",
        resolved_at=resolved_at,
        paused_minutes=30,
        pause_intervals=pause_intervals,
    )


def test_a_pause_outside_working_hours_takes_no_second_and_a_blank_history_cell_keeps_the_paused_minutes():
    """Spec "Rule (tickets)", business clock 09:00–18:00 weekdays (Shanghai; UTC +8). "weekend": P3, Fri
    2026-03-06 17:00 → Mon 09 10:00 is 1 h + 1 h = 7200 s; its one pause, Sat 10:00–12:00, lies outside working
    time: 0 s paused, not 1, so 7200 s. "blank": a history cell that is empty says nothing, so the file's 30
    paused minutes stand: Mon 2026-03-02 10:00 → 12:00 less 1800 s = 5400 s."""
    rows = [
        dict(
            ticket_id="weekend",
            created_at="2026-03-06 17:00",
            priority="P3",
            first_response_at="2026-03-06 17:05",
            resolved_at="2026-03-09 10:00",
            pause_intervals="2026-03-07T02:00:00Z/2026-03-07T04:00:00Z|pause|挂起",
        ),
        _monday_ticket_paused_30_min("blank", ""),
    ]
    _, t = outcomes(rows, as_of="2026-03-31T12:00:00")
    assert (t.loc["weekend", "paused_seconds"], t.loc["weekend", "resolution_seconds"]) == (0, 7200)
    assert (t.loc["blank", "paused_seconds"], t.loc["blank", "resolution_seconds"]) == (1800, 5400)


def test_each_contract_versions_feedback_deadline_judges_its_own_months_complaints():
    """Spec "Rule (feedback handling)" and "a month is judged by the version in force on its first day": the
    base acknowledges within 15 min, a version from 2026-07-01 within 1 h (24x7; the file has first responses
    only, so only acknowledging is judged). "june" acknowledged after 30 min → late; "july" after 30 min →
    on_time; "soon", acknowledged after 5 min, with as_of 25 min after its creation → on_time (done, not
    pending). With July's complaints alone, the same. A file with no milestone column judges nothing: None."""
    contract = make_contract(versions=[{"effective_from": "2026-07-01", "feedback": {"acknowledge": "1h"}}])
    june = dict(ticket_id="june", created_at="2026-06-10 10:00", first_response_at="2026-06-10 10:30")
    july = dict(ticket_id="july", created_at="2026-07-01 10:00", first_response_at="2026-07-01 10:30")
    soon = dict(ticket_id="soon", created_at="2026-07-02 10:00", first_response_at="2026-07-02 10:05")
    rows = [dict(r, priority="P3", category="complaint") for r in (june, july, soon)]
    _, t = outcomes(rows, as_of="2026-07-02T10:25:00", contract=contract)
    assert t["feedback_status"].to_dict() == {"june": "late", "july": "on_time", "soon": "on_time"}
    _, t = outcomes(rows[1:], as_of="2026-07-02T10:25:00", contract=contract)
    assert t["feedback_status"].to_dict() == {"july": "on_time", "soon": "on_time"}
    bare = [dict(ticket_id="bare", created_at="2026-07-01 10:00", priority="P3", category="complaint")]
    _, t = outcomes(bare, as_of="2026-07-02T10:25:00", contract=contract)
    assert t["feedback_status"].isna().all()


def test_feedback_is_acknowledged_by_a_resolution_processed_by_a_close_and_timed_on_its_own_clock():
    """Spec "Rule (feedback handling)": acknowledging is judged from a first response, else the resolution or
    close; processing from the resolution, else the close. A file with resolutions only: "res", created
    10:00 and resolved 10:30, was acknowledged after 30 min > 15 → late. A file with first responses and
    closes only: "closed", acknowledged at 10:05 and closed 26 h after creation (> 24 h) → late. On the business
    clock (09:00–18:00 weekdays), "fri", created Fri 17:50 and acknowledged Mon 09:05, took 10 + 5 = 15 min
    → on_time, though 63 h 15 min passed on the wall clock."""
    res = [dict(ticket_id="res", created_at="2026-03-02 10:00", resolved_at="2026-03-02 10:30")]
    closed = [
        dict(
            ticket_id="closed",
            created_at="2026-03-02 10:00",
            first_response_at="2026-03-02 10:05",
            closed_at="2026-03-03 12:00",
        )
    ]
    fri = [dict(ticket_id="fri", created_at="2026-03-06 17:50", first_response_at="2026-03-09 09:05")]

    def status(rows, contract=C):
        rows = [dict(r, priority="P3", category="complaint") for r in rows]
        _, t = outcomes(rows, as_of="2026-03-31T12:00:00", contract=contract)
        return t["feedback_status"].to_dict()

    assert status(res) == {"res": "late"}
    assert status(closed) == {"closed": "late"}
    assert status(fri, make_contract({"feedback": {"clock": "business"}})) == {"fri": "on_time"}


def test_a_pause_cell_with_no_readable_interval_keeps_the_paused_minutes():
    """Spec "Rule (tickets)": exact pauses come from readable intervals; a `pause_intervals` cell that holds
    none ("x", or text that is no interval) says nothing, so the file's 30 paused minutes stand, as for an
    empty cell: Mon 2026-03-02 10:00 → 12:00 less 1800 s = 5400 s."""
    rows = [
        _monday_ticket_paused_30_min("one_char", "x"),
        _monday_ticket_paused_30_min("unreadable", "on hold since Monday"),
    ]
    _, t = outcomes(rows, as_of="2026-03-31T12:00:00")
    for name in ("one_char", "unreadable"):
        assert (t.loc[name, "paused_seconds"], t.loc[name, "resolution_seconds"]) == (1800, 5400)


def test_a_one_character_exclusion_reason_excludes_the_ticket_and_a_blank_one_does_not():
    """Spec "Rule (tickets)": a non-empty exclusion_reason makes a ticket excluded — one character is
    non-empty ("停", kept as the reason); a reason of spaces only is blank: that P3, 10:00 → 11:00, is judged
    (met, 1 h ≤ 24 h)."""
    rows = [
        dict(
            ticket_id=name,
            created_at="2026-03-02 10:00",
            priority="P3",
            resolved_at="2026-03-02 11:00",
            exclusion_reason=reason,
        )
        for name, reason in (("one", "停"), ("spaces", "   "))
    ]
    _, t = outcomes(rows, as_of="2026-03-31")
    assert (t.loc["one", "resolution_status"], t.loc["one", "exclusion_reason"]) == ("excluded", "停")
    assert t.loc["spaces", "resolution_status"] == "met"
    assert pd.isna(t.loc["spaces", "exclusion_reason"])


def test_the_outcome_table_carries_the_files_columns_and_per_month_the_filled_ones():
    """Spec "Rule (periods and rates)": the file's columns, and per month those some ticket fills. March's
    ticket has a first response, April's a resolution only: March holds first_response_at, April
    resolved_at, both the three required columns."""
    rows = [
        dict(
            ticket_id="A", created_at="2026-03-02 10:00", priority="P3", first_response_at="2026-03-02 10:10"
        ),
        dict(ticket_id="B", created_at="2026-04-01 10:00", priority="P3", resolved_at="2026-04-01 11:00"),
    ]
    got = _direct(dataset(tickets=rows))
    required = {"ticket_id", "created_at", "priority"}
    assert got.columns == frozenset(required | {"first_response_at", "resolved_at"})
    march, april = 2026 * 12 + 2, 2026 * 12 + 3
    assert got.month_columns == {
        march: frozenset(required | {"first_response_at"}),
        april: frozenset(required | {"resolved_at"}),
    }


def test_a_response_at_or_before_creation_takes_0_s():
    """Spec "Rule (tickets)": response = created → first response, floored at 0. P1 (24x7): answered at
    its creation → 0 s; answered 10 min before it (a clock skew between systems) → 0 s, not −600; both
    met."""
    rows = [
        dict(
            ticket_id="same",
            created_at="2026-03-02 10:00",
            priority="P1",
            first_response_at="2026-03-02 10:00",
        ),
        dict(
            ticket_id="skew",
            created_at="2026-03-02 10:00",
            priority="P1",
            first_response_at="2026-03-02 09:50",
        ),
    ]
    _, t = outcomes(rows, as_of="2026-03-31")
    assert t.loc[["same", "skew"], "response_seconds"].tolist() == [0, 0]
    assert t.loc[["same", "skew"], "response_status"].tolist() == ["met", "met"]


def test_a_frame_not_built_by_ingest_is_judged_and_numbered_from_spreadsheet_row_2():
    """A ticket frame handed over without ingest's row numbers and without the classified_at and workaround_at
    columns: its rows are numbered 2, 3 as a spreadsheet shows them (row 1 the header), and the milestones
    after the missing ones are still read: B (P3, business) resolved 10:00 → 12:00 = 7200 s, met."""
    rows = [
        dict(
            ticket_id="A", created_at="2026-03-02 10:00", priority="P3", first_response_at="2026-03-02 10:10"
        ),
        dict(ticket_id="B", created_at="2026-03-02 10:00", priority="P3", resolved_at="2026-03-02 12:00"),
    ]
    data = dataset(tickets=rows)
    data.tickets = data.tickets.drop(columns=["_row", "classified_at", "workaround_at"])
    got = _direct(data).frame.set_index("ticket_id")
    assert got["_row"].tolist() == [2, 3]
    assert str(got["_row"].dtype) == "Int64"
    assert (got.loc["B", "resolution_seconds"], got.loc["B", "resolution_status"]) == (7200, "met")


def test_the_ticket_list_keeps_ingests_row_numbers_and_whole_seconds():
    """Each ticket keeps the spreadsheet row ingest gave it (here 4 and 7: rows 2, 3, 5 and 6 were set aside),
    so a user finds it in the file. Seconds are whole, as the ticket export prints them (7200, not 7200.0):
    P3 10:00 → 12:00 with 30 paused minutes = 5400 s resolution, 1800 s paused; the response 10 min = 600 s,
    and no_data (blank) in April, where no ticket has a first response."""
    rows = [
        dict(
            ticket_id="A",
            created_at="2026-03-02 10:00",
            priority="P3",
            first_response_at="2026-03-02 10:10",
            resolved_at="2026-03-02 12:00",
            paused_minutes=30,
        ),
        dict(ticket_id="B", created_at="2026-04-01 10:00", priority="P3"),
    ]
    data = dataset(tickets=rows)
    data.tickets["_row"] = pd.array([4, 7], dtype="Int64")
    _, t = outcomes(None, as_of="2026-04-30", data=data)
    assert t["_row"].tolist() == [4, 7]
    assert (t.loc["A", "resolution_seconds"], t.loc["A", "paused_seconds"]) == (5400, 1800)
    assert t.loc["A", "response_seconds"] == 600 and pd.isna(t.loc["B", "response_seconds"])
    dtypes = {c: str(t[c].dtype) for c in ("response_seconds", "resolution_seconds", "paused_seconds")}
    assert dtypes == {"response_seconds": "Int64", "resolution_seconds": "int64", "paused_seconds": "int64"}


def test_each_ticket_says_whether_it_was_responded_to_reopened_resolved_at_first_contact_and_adopted():
    """The per-ticket flags the rates count (spec KPIs: reopen rate, first-contact resolution, suggestion
    adoption): reopened means a reopened_count above 0 — a blank count or 0 is not reopened, 1 and 2 are;
    first_contact_resolved and suggestion_adopted as the file says; responded where a first response is
    known by as_of (the one at 10:10 on 2026-04-01, after as_of, is not)."""
    base = dict(created_at="2026-03-02 10:00", priority="P3")
    rows = [
        dict(base, ticket_id="blank", first_response_at="2026-03-02 10:10", first_contact_resolved=True),
        dict(base, ticket_id="zero", reopened_count=0, suggestion_adopted=True),
        dict(base, ticket_id="once", reopened_count=1, first_response_at="2026-04-01 10:10"),
        dict(base, ticket_id="twice", reopened_count=2),
    ]
    _, t = outcomes(rows, as_of="2026-03-31")
    ids = ["blank", "zero", "once", "twice"]
    assert t.loc[ids, "reopened"].tolist() == [False, False, True, True]
    assert t.loc[ids, "first_contact_resolved"].tolist() == [True, False, False, False]
    assert t.loc[ids, "suggestion_adopted"].tolist() == [False, True, False, False]
    assert t.loc[ids, "responded"].tolist() == [True, False, False, False]


def test_a_history_with_one_pause_times_it_exactly_instead_of_the_paused_minutes():
    """Spec "Rule (tickets)": one readable interval is a history: its exact time replaces the file's paused
    minutes. Mon 2026-03-02 10:00 → 13:00 (Shanghai, business clock: 10 800 s), paused 11:00–12:00 local
    (03:00–04:00 UTC) = 3600 s, not the file's 30 min: 10 800 − 3600 = 7200 s."""
    pause = "2026-03-02T03:00:00Z/2026-03-02T04:00:00Z|pause|挂起"
    rows = [_monday_ticket_paused_30_min("one", pause, resolved_at="2026-03-02 13:00")]
    _, t = outcomes(rows, as_of="2026-03-31T12:00:00")
    assert (t.loc["one", "paused_seconds"], t.loc["one", "resolution_seconds"]) == (3600, 7200)
