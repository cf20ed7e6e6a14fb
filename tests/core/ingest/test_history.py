"""Status histories → tickets (spec "Rule (status history)"), on hand-made timelines checked by hand.

The example contract: Asia/Shanghai, business hours Mon–Fri 09:00–18:00 with China's public holidays;
P1 runs round the clock, P2/P3 on business hours; `[pause] states` include 挂起 and 等待客户.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from builders import make_contract

from sla_core import store as S
from sla_core import workspace
from sla_core.dataset import Dataset
from sla_core.evaluate import evaluate
from sla_core.ingest import read_file, read_history
from sla_core.ingest.history import derive, looks_like_history, parse_intervals
from sla_core.ingest.presets import state_table

ZONE = ZoneInfo("Asia/Shanghai")
CONTRACT = make_contract()
HEADER = "工单号,变更时间,状态,处理人,优先级\n"


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


def log(rows: list[str], header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def derived(rows: list[str], header: str = HEADER):
    result = read_history(log(rows, header), CONTRACT, file_name="history.csv")
    assert not result.has_errors, [i.en for i in result.errors]
    return result


def outcomes(result, as_of: str) -> pd.DataFrame:
    data = Dataset(tickets=result.frame, columns={"tickets": result.columns_present})
    return evaluate(CONTRACT, data, as_of=at(as_of)).tickets.set_index("ticket_id")


def test_pause_during_business_hours():
    result = derived(
        [
            "T1,2026-03-02 09:00,新建,张伟,重要",
            "T1,2026-03-02 09:10,处理中,张伟,重要",
            "T1,2026-03-02 10:00,挂起,张伟,重要",
            "T1,2026-03-02 11:30,处理中,张伟,重要",
            "T1,2026-03-02 14:00,已解决,张伟,重要",
        ]
    )
    t = result.frame.iloc[0]
    assert t["created_at"] == pd.Timestamp("2026-03-02 01:00", tz="UTC")
    assert t["first_response_at"] == pd.Timestamp("2026-03-02 01:10", tz="UTC")
    assert t["resolved_at"] == pd.Timestamp("2026-03-02 06:00", tz="UTC")
    assert t["priority"] == "P2" and t["assignee"] == "张伟" and t["status"] == "已解决"
    assert t["pause_intervals"] == "2026-03-02T02:00:00Z/2026-03-02T03:30:00Z|pause|挂起"
    o = outcomes(result, "2026-03-31 00:00").loc["T1"]
    assert o["response_seconds"] == 600  # 09:00 → 09:10
    assert o["paused_seconds"] == 5400  # 10:00 → 11:30
    assert o["resolution_seconds"] == 5 * 3600 - 5400  # 09:00 → 14:00 less the pause
    assert o["resolution_status"] == "met"


def test_pause_across_a_night_on_both_clocks():
    rows = [
        "{id},2026-03-02 16:00,新建,张伟,{p}",
        "{id},2026-03-02 16:05,处理中,张伟,{p}",
        "{id},2026-03-02 17:00,等待客户,张伟,{p}",
        "{id},2026-03-03 10:00,处理中,张伟,{p}",
        "{id},2026-03-03 11:00,已解决,张伟,{p}",
    ]
    result = derived([r.format(id="B", p="重要") for r in rows] + [r.format(id="W", p="紧急") for r in rows])
    o = outcomes(result, "2026-03-31 00:00")
    # business (P2): 16:00–18:00 + 09:00–11:00 = 4 h, paused 17:00–18:00 + 09:00–10:00 = 2 h
    assert o.loc["B", "paused_seconds"] == 2 * 3600
    assert o.loc["B", "resolution_seconds"] == 2 * 3600
    # round the clock (P1): 19 h gross, paused 17 h
    assert o.loc["W", "paused_seconds"] == 17 * 3600
    assert o.loc["W", "resolution_seconds"] == 2 * 3600
    assert o.loc["W", "response_seconds"] == 300


def test_pause_spanning_a_holiday():
    # Labour Day 2026: 1–5 May are public holidays (9 May is the make-up workday)
    result = derived(
        [
            "H,2026-04-30 16:00,新建,张伟,重要",
            "H,2026-04-30 16:10,处理中,张伟,重要",
            "H,2026-04-30 17:00,挂起,张伟,重要",
            "H,2026-05-06 10:00,处理中,张伟,重要",
            "H,2026-05-06 12:00,已解决,张伟,重要",
        ]
    )
    o = outcomes(result, "2026-05-31 00:00").loc["H"]
    assert (
        o["paused_seconds"] == 2 * 3600
    )  # 30 Apr 17:00–18:00 and 6 May 09:00–10:00: the holidays count nothing
    assert o["resolution_seconds"] == 5 * 3600 - 2 * 3600  # 30 Apr 16–18 + 6 May 9–12, less the pause
    assert o["response_seconds"] == 600


def test_two_reopen_cycles():
    result = derived(
        [
            "R,2026-03-02 09:00,新建,张伟,一般",
            "R,2026-03-02 09:30,处理中,张伟,一般",
            "R,2026-03-02 10:00,已解决,张伟,一般",
            "R,2026-03-02 11:00,处理中,张伟,一般",  # reopen 1
            "R,2026-03-02 12:00,已解决,张伟,一般",
            "R,2026-03-02 13:00,已关闭,张伟,一般",
            "R,2026-03-02 15:00,处理中,王磊,一般",  # reopen 2, from closed
            "R,2026-03-02 16:00,已解决,王磊,一般",
            "R,2026-03-02 17:00,已关闭,王磊,一般",  # resolved → closed: not a second resolution
        ]
    )
    t = result.frame.iloc[0]
    assert t["reopened_count"] == 2
    assert t["resolved_at"] == pd.Timestamp("2026-03-02 08:00", tz="UTC")  # 16:00 local
    assert t["closed_at"] == pd.Timestamp("2026-03-02 09:00", tz="UTC")
    assert t["assignee"] == "王磊"
    reasons = parse_intervals(result.frame["pause_intervals"])
    assert reasons["reason"].tolist() == ["reopen", "reopen"]
    o = outcomes(result, "2026-03-31 00:00").loc["R"]
    assert o["paused_seconds"] == 4 * 3600  # resolved 10–11, resolved/closed 12–15
    assert o["resolution_seconds"] == 7 * 3600 - 4 * 3600
    assert o["response_seconds"] == 1800
    assert bool(o["reopened"])
    assert result.history.reopened == 1 and result.history.reopens == 2


def test_events_out_of_order_and_duplicated_are_sorted_and_reported():
    rows = [
        "T1,2026-03-02 14:00,已解决,张伟,重要",
        "T1,2026-03-02 09:10,处理中,张伟,重要",
        "T1,2026-03-02 11:30,处理中,张伟,重要",
        "T1,2026-03-02 09:00,新建,张伟,重要",
        "T1,2026-03-02 10:00,挂起,张伟,重要",
        "T1,2026-03-02 10:00,挂起,张伟,重要",  # duplicate (ticket, time, state)
    ]
    result = derived(rows)
    assert result.history.out_of_order == 1 and result.history.duplicates == 1
    codes = {i.code for i in result.warnings}
    assert {"history.out_of_order", "history.duplicates"} <= codes
    o = outcomes(result, "2026-03-31 00:00").loc["T1"]
    assert (o["response_seconds"], o["paused_seconds"], o["resolution_seconds"]) == (600, 5400, 12600)


def test_open_ticket_at_the_end_of_the_log():
    result = derived(
        [
            "O,2026-03-02 09:00,新建,张伟,重要",
            "O,2026-03-02 09:05,处理中,张伟,重要",
            "O,2026-03-02 10:00,挂起,张伟,重要",  # still paused when the log ends
        ]
    )
    assert result.history.open_at_end == 1
    assert "history.open_at_end" in {i.code for i in result.warnings}
    t = result.frame.iloc[0]
    assert pd.isna(t["resolved_at"]) and t["pause_intervals"].endswith("/|pause|挂起")
    o = outcomes(result, "2026-03-02 17:00").loc["O"]
    assert o["paused_seconds"] == 7 * 3600  # 10:00 → as_of
    assert o["resolution_seconds"] == 3600 and o["resolution_status"] == "pending"


def test_first_event_already_active_gives_zero_response_and_opened_column_is_created():
    header = "Ticket ID,Opened,Timestamp,Status,Priority\n"
    result = derived(
        [
            "A,2026-03-02 09:00,2026-03-02 09:20,In Progress,P2",  # log starts active: responded at once
            "A,2026-03-02 09:00,2026-03-02 10:00,Resolved,P2",
            "B,2026-03-02 09:00,2026-03-02 09:30,New,P2",  # opened before the first event
            "B,2026-03-02 09:00,2026-03-02 09:45,In Progress,P2",
            "B,2026-03-02 09:00,2026-03-02 10:00,Resolved,P2",
        ],
        header,
    )
    o = outcomes(result, "2026-03-31 00:00")
    assert o.loc["A", "response_seconds"] == 0
    assert o.loc["A", "resolution_seconds"] == 3600  # from the Opened column, not the first event
    assert o.loc["B", "response_seconds"] == 45 * 60
    assert o.loc["B", "resolution_seconds"] == 3600


def test_cancelled_tickets_are_excluded_and_priority_is_the_last_known():
    result = derived(
        [
            "C,2026-03-02 09:00,新建,张伟,一般",
            "C,2026-03-02 09:30,处理中,张伟,紧急",
            "C,2026-03-02 10:00,已取消,张伟,",
            "C,2026-03-02 11:00,已关闭,张伟,",  # closed after cancelling: still cancelled
        ]
    )
    t = result.frame.iloc[0]
    assert bool(t["excluded"]) and t["exclusion_reason"] == "cancelled" and t["priority"] == "P1"
    o = outcomes(result, "2026-03-31 00:00").loc["C"]
    assert o["resolution_status"] == "excluded" and o["exclusion_reason"] == "cancelled"


def test_unknown_states_are_active_with_a_warning_and_milestones_before_created_are_errors():
    header = "Ticket ID,Opened,Timestamp,Status,Priority\n"
    result = read_history(
        log(
            [
                "X,2026-03-02 09:00,2026-03-02 09:30,Triage,P2",
                "X,2026-03-02 09:00,2026-03-02 10:00,Resolved,P2",
                "Y,2026-03-02 12:00,2026-03-02 10:00,Resolved,P2",  # resolved before it was opened
            ],
            header,
        ),
        CONTRACT,
    )
    assert result.history.unknown_states == ["Triage"]
    assert any(i.code == "ingest.before_created" and "Y" in i.en for i in result.errors)


def test_a_tickets_read_of_an_event_log_suggests_a_history_import():
    data = log(["T1,2026-03-02 09:00,新建,张伟,重要", "T1,2026-03-02 10:00,处理中,张伟,重要"])
    assert looks_like_history(read_file(data, "tickets", CONTRACT))


def test_reimport_rederives_the_ticket_and_undo_restores_its_pauses(tmp_path):
    store = workspace.open_workspace(tmp_path / "sla.duckdb")
    S.save_contract(store, CONTRACT.source_text or _contract_text(), "tester")
    first = log(
        [
            "T1,2026-03-02 09:00,新建,张伟,重要",
            "T1,2026-03-02 10:00,挂起,张伟,重要",
            "T1,2026-03-02 11:00,已解决,张伟,重要",
        ]
    )
    second = log(["T1,2026-03-02 09:00,新建,张伟,重要", "T1,2026-03-02 12:00,已解决,张伟,重要"])
    cid = CONTRACT.id
    one = workspace.import_file(store, cid, "tickets", first, user="t", file_name="a.csv", history=True)
    assert one.stored
    stored = S.current_dataset(store, cid).tickets.iloc[0]
    assert stored["pause_intervals"].endswith("|pause|挂起")
    two = workspace.import_file(store, cid, "tickets", second, user="t", file_name="b.csv", history=True)
    assert two.stored
    stored = S.current_dataset(store, cid).tickets.iloc[0]
    assert pd.isna(stored["pause_intervals"])  # re-derived whole: no pause any more
    assert stored["resolved_at"] == pd.Timestamp("2026-03-02 04:00", tz="UTC")
    S.undo_batch(store, cid, two.outcome.batch_id, "t")
    stored = S.current_dataset(store, cid).tickets.iloc[0]
    assert stored["pause_intervals"] == "2026-03-02T02:00:00Z/2026-03-02T03:00:00Z|pause|挂起"
    snap = workspace.snapshot(store, cid)
    assert snap.evaluation.tickets.set_index("ticket_id").loc["T1", "paused_seconds"] == 3600


def _contract_text() -> str:
    from builders import EXAMPLE_TEXT

    return EXAMPLE_TEXT


def test_derivation_is_vectorised_at_scale():
    """200,000 events in well under a few seconds (the 1,000,000-event figure: python -m bench.history)."""
    rng = np.random.default_rng(7)
    tickets = 40_000
    per = 5
    base = pd.Timestamp("2026-03-02 01:00", tz="UTC")
    ids = np.repeat(np.arange(tickets), per)
    step = rng.integers(60, 7200, size=tickets * per)
    offsets = pd.Series(step).groupby(ids).cumsum().to_numpy()
    states = np.tile(np.array(["new", "active", "pause", "active", "resolved"], dtype=object), tickets)
    events = pd.DataFrame(
        {
            "ticket_id": pd.Series([f"T{i}" for i in ids], dtype="string"),
            "event_at": (base + pd.to_timedelta(offsets, unit="s")).astype("datetime64[s, UTC]"),
            "state": pd.Series(states, dtype="string"),
            "created_at": pd.Series(pd.NaT, index=range(len(ids)), dtype="datetime64[s, UTC]"),
            "_row": pd.array(np.arange(2, len(ids) + 2), dtype="Int64"),
        }
    )
    out = derive(events, state_table(None), ["pause"])
    assert out.report.tickets == tickets and out.report.paused == tickets
    assert out.report.seconds < 5


@pytest.mark.parametrize("bad", ["", "garbage", "2026-03-02T02:00:00Z"])
def test_parse_intervals_ignores_what_it_cannot_read(bad):
    assert parse_intervals(pd.Series([bad, None], dtype="string")).empty


def test_history_csv_reads_through_the_same_validation():
    result = read_history(io.BytesIO(log(["T1,不是时间,新建,张伟,重要"])).getvalue(), CONTRACT)
    assert result.has_errors and any(i.code == "ingest.bad_timestamp" for i in result.errors)
