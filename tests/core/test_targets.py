"""Conditional targets (spec "Rule (conditional targets)"), hand-computed, each with its seed clause.

The example contract: P1 紧急 on the 24×7 clock, 15 min response / 2 h resolution; P2 business hours
30 min / 8 h; P3 business hours 2 h / 24 h; service hours Mon–Fri 09:00–18:00 (China's calendar).
2026-03-03 is a Tuesday, 2026-03-04 a Wednesday, 2026-03-06 a Friday.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from builders import dataset, make_contract

from sla_core.cli import TICKETS_OUT_COLUMNS, tickets_frame
from sla_core.evaluate import evaluate, parse_as_of

# doc 003 (三 约定服务时间): "非服务时段仅受理紧急故障，需在30分钟内响应，4小时内提供临时解决方案"
AFTER_HOURS = {
    "id": "after-hours-urgent",
    "when": {"priority": ["P1"], "category": ["fault"], "created": "outside_hours"},
    "response": "30m",
    "workaround": "4h",
}
# doc 001 (二.1): "客户咨询响应时间：15分钟内首次响应"
INQUIRY = {"id": "inquiry-15m", "when": {"category": ["inquiry"]}, "response": "15m"}


def run(contract, rows, as_of="2026-03-31"):
    ev = evaluate(contract, dataset(tickets=rows), as_of=parse_as_of(as_of, contract))
    return ev, ev.tickets.set_index("ticket_id")


RAW = {"fault": "故障", "inquiry": "咨询", "request": "需求"}


def ticket(tid, created, priority="P1", category="fault", **times):
    """(categories as ingest maps them: canonical, with the exported word in category_raw)"""
    return dict(
        ticket_id=tid,
        created_at=created,
        priority=priority,
        category=category,
        category_raw=RAW[category],
        **times,
    )


def test_an_urgent_fault_at_22_00_on_a_weekday_takes_the_30_min_and_4_h_rule():
    """Doc 003: outside service hours (Tuesday 22:00) an urgent fault gets 30 min to respond and 4 h to a
    temporary fix. Answered at 22:25 (25 min: met; P1's own 15 min would breach), worked around at 02:00
    (exactly 4 h: met, the target is inclusive), resolved at 03:00 (5 h: the rule names no resolution,
    so P1's 2 h applies: breached)."""
    c = make_contract({"targets": [AFTER_HOURS]})
    ev, t = run(
        c,
        [
            ticket(
                "U1",
                "2026-03-03 22:00",
                first_response_at="2026-03-03 22:25",
                workaround_at="2026-03-04 02:00",
                resolved_at="2026-03-04 03:00",
            )
        ],
    )
    u = t.loc["U1"]
    assert (u["response_target"], u["response_seconds"], u["response_status"]) == (1800, 1500, "met")
    assert (u["workaround_target"], u["workaround_seconds"], u["workaround_status"]) == (14400, 14400, "met")
    assert (u["resolution_target"], u["resolution_seconds"], u["resolution_status"]) == (
        7200,
        18000,
        "breached",
    )
    assert (u["response_rule"], u["workaround_rule"]) == ("after-hours-urgent", "after-hours-urgent")
    assert pd.isna(u["resolution_rule"])
    assert u["response_clock"] == u["workaround_clock"] == "24x7"  # the priority's clock
    march = ev.month("2026-03")
    assert march.verdict("workaround_within_target").value == 1.0
    assert march.verdict("response_within_target").value == 1.0


def test_the_same_fault_in_service_hours_keeps_the_priority_targets():
    """The negative side of doc 003's rule: at 10:00 on a Tuesday the urgent fault is in service hours —
    15 min response (25 min: breached) and no temporary-fix target (not judged)."""
    c = make_contract({"targets": [AFTER_HOURS]})
    _, t = run(
        c,
        [
            ticket(
                "U2",
                "2026-03-03 10:00",
                first_response_at="2026-03-03 10:25",
                workaround_at="2026-03-03 11:00",
                resolved_at="2026-03-03 11:30",
            )
        ],
    )
    u = t.loc["U2"]
    assert (u["response_target"], u["response_status"]) == (900, "breached") and pd.isna(u["response_rule"])
    assert np.isnan(u["workaround_target"]) and u["workaround_status"] is None


def test_one_second_past_the_after_hours_targets_is_a_breach():
    """Equality boundary, the other side: 30 min 1 s to respond, 4 h 0 min 1 s to the temporary fix."""
    c = make_contract({"targets": [AFTER_HOURS]})
    _, t = run(
        c,
        [
            ticket(
                "U3",
                "2026-03-03 22:00",
                first_response_at="2026-03-03 22:30:01",
                workaround_at="2026-03-04 02:00:01",
                resolved_at="2026-03-04 03:00",
            ),
            # an urgent *inquiry* at night: the rule names faults only
            ticket("U4", "2026-03-03 22:00", category="inquiry", first_response_at="2026-03-03 22:20:00"),
        ],
    )
    assert (t.loc["U3", "response_status"], t.loc["U3", "workaround_status"]) == ("breached", "breached")
    assert (t.loc["U4", "response_target"], t.loc["U4", "response_status"]) == (900, "breached")


def test_an_inquiry_takes_15_minutes_on_its_priority_clock():
    """Doc 001: inquiries get a 15 min first response (P3's own target is 2 h), on the business clock.
    Q1 answered in exactly 15 min: met; Q2 in 16 min: breached; Q3 created Friday 17:50 and answered
    Monday 09:05 (2026-03-09): 10 + 5 = 15 working minutes: met; R1, a request, keeps P3's 2 h."""
    c = make_contract({"targets": [INQUIRY]})
    ev, t = run(
        c,
        [
            ticket("Q1", "2026-03-04 10:00", "P3", "inquiry", first_response_at="2026-03-04 10:15"),
            ticket("Q2", "2026-03-04 10:00", "P3", "inquiry", first_response_at="2026-03-04 10:16"),
            ticket("Q3", "2026-03-06 17:50", "P3", "inquiry", first_response_at="2026-03-09 09:05"),
            ticket("R1", "2026-03-04 10:00", "P3", "request", first_response_at="2026-03-04 11:00"),
        ],
    )
    assert t.loc[["Q1", "Q2", "Q3", "R1"], "response_status"].tolist() == ["met", "breached", "met", "met"]
    assert t.loc["Q3", "response_seconds"] == 900
    assert t.loc["R1", "response_target"] == 7200 and pd.isna(t.loc["R1", "response_rule"])
    assert "workaround_within_target" not in [v.kpi for v in ev.month("2026-03").verdicts]  # not named
    assert ev.month("2026-03").verdict("response_within_target").numerator == 3


def test_the_first_matching_rule_wins_per_milestone_and_a_rule_may_set_its_clock():
    """Rules in file order; each milestone from the first rule that matches *and* names it. Doc 002
    (1.2(2)): "4小时内提供初步解决方案" as a second rule for every fault; the first (for channel 电话)
    sets the response on the 24×7 clock. P2 fault by phone created Friday 17:50, answered 18:25: 35 min
    on the wall clock (breached against 30 min), though only 10 business minutes."""
    c = make_contract(
        {
            "targets": [
                {
                    "id": "phone",
                    "when": {"channel": ["电话"]},
                    "response": {"within": "30m", "clock": "24x7"},
                },
                {"when": {"category": ["fault"]}, "response": "1m", "workaround": "4h"},
            ]
        }
    )
    rows = [
        ticket("F1", "2026-03-06 17:50", "P2", channel="电话", first_response_at="2026-03-06 18:25"),
        ticket("F2", "2026-03-06 17:50", "P2", channel="邮件", first_response_at="2026-03-06 17:51"),
    ]
    ev, t = run(c, rows)
    f1, f2 = t.loc["F1"], t.loc["F2"]
    assert (f1["response_clock"], f1["response_seconds"], f1["response_status"]) == ("24x7", 2100, "breached")
    assert (f1["response_rule"], f1["workaround_rule"]) == ("phone", "targets[2]")  # numbered as people count
    assert (f2["response_rule"], f2["response_target"], f2["response_status"]) == ("targets[2]", 60, "met")
    out = tickets_frame(ev, None).set_index("ticket_id")
    assert list(out.columns)[: len(TICKETS_OUT_COLUMNS) - 1] == TICKETS_OUT_COLUMNS[1:]
    # a workaround target from the second rule, not judged: this export has no workaround_at column
    assert out.loc["F1", "workaround_target_seconds"] == 14400 and pd.isna(out.loc["F1", "workaround_status"])
    assert (
        out.loc["F1", "target_rule"] == "phone; targets[2]" and out.loc["F2", "target_rule"] == "targets[2]"
    )


def test_versions_change_the_rules_from_their_month():
    """Spec "Rule (versions)": targets are an array, replaced by a version; each ticket is judged by its
    month's rules. From April the inquiry target is 10 min: a 12-minute answer meets it in March only."""
    c = make_contract(
        {"targets": [INQUIRY]},
        versions=[{"effective_from": "2026-04-01", "targets": [{**INQUIRY, "response": "10m"}]}],
    )
    rows = [
        ticket("M", "2026-03-04 10:00", "P3", "inquiry", first_response_at="2026-03-04 10:12"),
        ticket("A", "2026-04-01 10:00", "P3", "inquiry", first_response_at="2026-04-01 10:12"),
    ]
    _, t = run(c, rows, as_of="2026-04-30")
    assert t.loc[["M", "A"], "response_status"].tolist() == ["met", "breached"]
    assert t.loc[["M", "A"], "response_target"].tolist() == [900, 600]


def test_a_workaround_penalty_applies_per_breached_ticket():
    """Doc 001 (三.2): "每次响应超时，客户可获得服务费用5%的补偿" — a contract may price the temporary fix
    the same way: 2% of 200,000 = 4,000 for the late one."""
    c = make_contract(
        {
            "targets": [AFTER_HOURS],
            "penalties": {"per_breached_ticket": {"workaround": 2.0}, "per_missed_kpi": 0},
        }
    )
    rows = [
        ticket(
            "L", "2026-03-03 22:00", first_response_at="2026-03-03 22:10", workaround_at="2026-03-04 03:00"
        ),
        ticket(
            "OK", "2026-03-03 23:00", first_response_at="2026-03-03 23:10", workaround_at="2026-03-04 01:00"
        ),
    ]
    ev, _ = run(c, rows)
    items = [
        (i.ref, i.target, i.amount) for i in ev.month("2026-03").penalty.items if i.kind == "breached_ticket"
    ]
    assert ("L", "workaround", 4000) in [(r, tg, int(a)) for r, tg, a in items]
    assert not [i for i in items if i[0] == "OK" and i[1] == "workaround"]


def test_without_a_workaround_column_the_kpi_has_no_data():
    """A milestone whose column the export lacks is not judged: the KPI says which column is missing."""
    c = make_contract({"targets": [AFTER_HOURS]})
    ev, t = run(c, [ticket("N", "2026-03-03 22:00", first_response_at="2026-03-03 22:10")])
    v = ev.month("2026-03").verdict("workaround_within_target")
    assert v.status == "no_data" and "workaround_at" in v.en
    assert t.loc["N", "workaround_status"] is None


def test_a_ticket_solved_without_a_separate_temporary_fix_had_it_at_its_resolution():
    """The workaround is the earlier of workaround_at and the resolution (as a ticket solved without a
    separate reply was answered by its solution): resolved at 01:30 with a blank workaround_at, 3.5 h."""
    c = make_contract({"targets": [AFTER_HOURS]})
    rows = [
        ticket("S", "2026-03-03 22:00", first_response_at="2026-03-03 22:10", resolved_at="2026-03-04 01:30"),
        ticket(
            "W", "2026-03-03 22:00", first_response_at="2026-03-03 22:10", workaround_at="2026-03-03 23:00"
        ),
    ]
    _, t = run(c, rows)
    assert (t.loc["S", "workaround_seconds"], t.loc["S", "workaround_status"]) == (12600, "met")


# ---------------------------------------------------------------- where a ticket's targets came from


def _three_tickets():
    """U: doc 003's after-hours urgent fault (Tuesday 22:00, answered in 25 min of its 30, worked around
    in exactly 4 h); I: doc 001's inquiry (P2, Tuesday 10:00, answered in 20 min of its 15: breached);
    P: an ordinary P2 fault in service hours (10 min of P2's 30: met, the priority's own targets)."""
    c = make_contract({"targets": [AFTER_HOURS, INQUIRY]})
    rows = [
        ticket(
            "U",
            "2026-03-03 22:00",
            first_response_at="2026-03-03 22:25",
            workaround_at="2026-03-04 02:00",
            resolved_at="2026-03-04 03:00",
        ),
        ticket("I", "2026-03-03 10:00", "P2", "inquiry", first_response_at="2026-03-03 10:20"),
        ticket("P", "2026-03-03 10:00", "P2", first_response_at="2026-03-03 10:10"),
    ]
    return c, rows


def test_the_trace_names_the_rule_that_set_each_tickets_target():
    """doc 003 (客户审计权): the response rows of March say which conditional target judged each ticket,
    as --tickets-out does (blank: the priority's) — U after-hours-urgent, I inquiry-15m, P none."""
    from sla_core.trace import trace

    c, rows = _three_tickets()
    ev, _ = run(c, rows)
    t = trace(ev, "response_within_target", "2026-03")
    by_id = t.rows.set_index("ticket_id")
    assert by_id.loc["U", "target_rule"] == "after-hours-urgent"
    assert by_id.loc["I", "target_rule"] == "inquiry-15m"
    assert pd.isna(by_id.loc["P", "target_rule"])
    assert by_id["response_target"].to_dict() == {"I": 900, "P": 1800, "U": 1800}
    assert by_id["numerator"].to_dict() == {"I": 0, "P": 1, "U": 1}
    csv = t.csv_bytes().decode("utf-8").splitlines()
    assert "target_rule" in csv[0].split(",")
    out = tickets_frame(ev, None).set_index("ticket_id")["target_rule"]
    assert out.fillna("").to_dict() == by_id["target_rule"].fillna("").to_dict()


def test_the_ticket_timeline_shows_the_rule_and_the_temporary_fix():
    """The timeliness drill-down of U shows its workaround (4:00:00 of 4:00:00, met), the workaround
    event at 02:00, and which rule set which target; P shows the priority's targets."""
    from sla_core.views import ticket_detail

    c, rows = _three_tickets()
    data = dataset(tickets=rows)
    ev = evaluate(c, data, as_of=parse_as_of("2026-03-31", c))
    u = ticket_detail(ev, data, "U", "en")
    facts = dict(u.facts)
    assert facts["Target rule"] == "response: after-hours-urgent; workaround: after-hours-urgent"
    assert facts["Workaround"] == "4:00:00 / 4:00:00 · met"
    events = dict(zip(u.timeline["event"], u.timeline["time"], strict=True))
    assert events["workaround"] == "2026-03-04 02:00:00"
    zh = dict(ticket_detail(ev, data, "I", "zh").facts)
    assert zh["目标规则"] == "首次响应：inquiry-15m" and "临时解决" not in zh
    p = ticket_detail(ev, data, "P", "en")
    assert dict(p.facts)["Target rule"] == "the priority's targets"
    assert "workaround" not in set(p.timeline["event"])
