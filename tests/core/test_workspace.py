"""The evaluation cached by the store's state: every write that can change a figure changes the key.

One process, one cache: after each write the next `snapshot` must show its consequence (the bug: an
improvement action marked done left its obligation "overdue", a closed month still showed open and could
be closed again, until other data changed).
"""

from __future__ import annotations

import json

import pytest
from builders import EXAMPLE_TEXT, frame

from sla_core import store as st
from sla_core import workspace

CID = "demo-helpdesk"


def late(tid: str, day: str) -> dict:
    """A P2 ticket answered 1 hour after it was created (30m target): a response breach."""
    return dict(
        ticket_id=tid,
        created_at=f"{day} 09:00",
        priority="P2",
        first_response_at=f"{day} 10:00",
        resolved_at=f"{day} 11:00",
    )


@pytest.fixture
def store(tmp_path) -> st.Store:
    s = st.open_store(tmp_path / "sla.duckdb")
    assert st.save_contract(s, EXAMPLE_TEXT, "qm").contract_id == CID
    rows = [late("A", "2026-01-06"), late("B", "2026-02-03"), late("C", "2026-03-03")]
    columns = sorted({k for r in rows for k in r})
    st.import_frame(
        s,
        CID,
        "tickets",
        frame("tickets", rows),
        file_name="t.xlsx",
        sha256="t1",
        columns_present=columns,
        user="qm",
    )
    surveys = [dict(response_id="R1", submitted_at="2026-03-10 10:00", score=2, ticket_id="C")]
    st.import_frame(
        s,
        CID,
        "surveys",
        frame("surveys", surveys),
        file_name="s.xlsx",
        sha256="s1",
        columns_present=["response_id", "submitted_at", "score", "ticket_id"],
        user="qm",
    )
    return s


PLAN = "improvement_plan:response_within_target:2026-03"


def test_an_action_marked_done_closes_its_obligation_at_once(store):
    """Doc 003 (七): "连续3个月未达标，需15日内提交改进计划" — three missed months raise the plan; the
    action that answers it, once done, closes it."""
    before = workspace.snapshot(store, CID)
    plan = next(o for o in before.evaluation.obligations if o.id == PLAN)
    assert plan.status == "open" and plan.linked_action is None  # due 2026-04-15; as_of is 2026-03-10
    action = st.add_action(
        store,
        CID,
        cause="night shift",
        measure="on-call",
        owner="Li",
        user="qm",
        link_kind="obligation",
        link_ref=PLAN,
    )
    linked = next(o for o in workspace.snapshot(store, CID).evaluation.obligations if o.id == PLAN)
    assert linked.linked_action == str(action.action_id) and linked.status != "done"
    st.update_action(store, CID, action.action_id, "qm", status="done")
    done = next(o for o in workspace.snapshot(store, CID).evaluation.obligations if o.id == PLAN)
    assert done.status == "done"


def test_a_closed_month_shows_closed_at_once(store):
    snap = workspace.snapshot(store, CID)
    march = snap.evaluation.month("2026-03")
    assert march is not None and not march.closed
    st.close_month(store, CID, "2026-03", json.dumps(march.to_json()), snap.version, "qm")
    again = workspace.snapshot(store, CID)
    assert again.evaluation.month("2026-03").closed
    assert again.version == snap.version  # the data behind the figures did not change


def test_survey_exclusions_and_exemption_decisions_change_the_figures_at_once(store):
    snap = workspace.snapshot(store, CID)
    assert snap.evaluation.month("2026-03").verdict("csat_mean").value == 2.0
    st.exclude_survey(store, CID, "R1", "straight-lining", "qm")
    assert workspace.snapshot(store, CID).evaluation.month("2026-03").verdict("csat_mean").value is None
    st.remove_survey_exclusion(store, CID, "R1", "qm")
    assert workspace.snapshot(store, CID).evaluation.month("2026-03").verdict("csat_mean").value == 2.0
    request = st.request_exemption(store, CID, "C", "exempt", "power cut", "provider")
    assert (
        workspace.snapshot(store, CID).evaluation.month("2026-03").verdict("response_within_target").value
        == 0.0
    )
    st.decide_exemption(store, CID, request.exemption_id, "approved", "client", "agreed")
    march = workspace.snapshot(store, CID).evaluation.month("2026-03")
    assert march.verdict("response_within_target").status == "no_data"  # its only ticket is exempt


def test_reading_changes_no_key(store):
    first = workspace.snapshot(store, CID)
    st.save_mapping(store, CID, "tickets", {"编号": "ticket_id"}, "qm")
    assert workspace.snapshot(store, CID) is first  # a mapping changes no figure: the cached evaluation


def test_sessions_asking_at_once_share_one_evaluation(store, monkeypatch):
    """Twenty sessions opening the app together evaluated the same data twenty times at once (the peak
    memory of a million tickets); the others now wait for the first and take its result."""
    import threading
    import time

    calls: list[int] = []
    real = workspace.evaluate

    def slow(*args, **kwargs):
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to ask while the first evaluates
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace, "evaluate", slow)
    workspace._cache.items.clear()
    results: list[workspace.Snapshot] = []
    threads = [
        threading.Thread(target=lambda: results.append(workspace.snapshot(store, CID))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(results) == 4 and all(r is results[0] for r in results)
    assert workspace._build_locks == {}  # nothing left behind
