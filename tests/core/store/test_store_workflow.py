"""Mappings, improvement actions, exemptions and regrades, month close, survey exclusions, audit."""

from __future__ import annotations

import json
from datetime import date

import pytest
from store_helpers import do_import, records, tickets

from sla_core import store as S

ALL = ["ticket_id", "created_at", "priority", "team"]


def test_mappings_are_remembered_per_contract_and_kind(st):
    assert S.load_mapping(st, "acme", "tickets") == {}
    S.save_mapping(st, "acme", "tickets", {"工单号": "ticket_id", "优先级": "priority"}, "tester")
    S.save_mapping(st, "acme", "surveys", {"评分": "score"}, "tester")
    assert S.load_mapping(st, "acme", "tickets") == {"工单号": "ticket_id", "优先级": "priority"}
    S.save_mapping(st, "acme", "tickets", {"编号": "ticket_id"}, "tester")
    assert S.load_mapping(st, "acme", "tickets") == {"编号": "ticket_id"}
    assert S.load_mapping(st, "acme", "surveys") == {"评分": "score"}
    version = S.data_version(st, "acme")
    S.save_mapping(st, "acme", "outages", {"系统": "service"}, "tester")
    assert S.data_version(st, "acme") == version  # a mapping changes no number
    with pytest.raises(ValueError):
        S.save_mapping(st, "acme", "nonsense", {}, "tester")


def test_actions_keep_every_change(st):
    action = S.add_action(
        st,
        "acme",
        cause="understaffed night shift",
        measure="add on-call engineer",
        owner="Li",
        user="qm",
        due=date(2026, 5, 15),
        kpi="response_within_target",
        months=["2026-02", "2026-03"],
        link_kind="miss",
        link_ref="response_within_target:2026-03",
    )
    assert (
        action.status == "open"
        and action.months == ("2026-02", "2026-03")
        and action.due == date(2026, 5, 15)
    )
    same = S.update_action(st, "acme", action.action_id, "qm", owner="Li")
    assert same == action  # nothing changed: nothing written
    moved = S.update_action(
        st, "acme", action.action_id, "provider", status="in_progress", due=date(2026, 5, 30)
    )
    done = S.update_action(st, "acme", action.action_id, "qm", status="done")
    assert (moved.status, moved.due, moved.updated_by) == ("in_progress", date(2026, 5, 30), "provider")
    assert done.status == "done" and done.created_by == "qm"
    history = S.action_history(st, "acme", action.action_id)
    assert [(h.seq, h.change, h.changed_by) for h in history] == [
        (1, "created", "qm"),
        (2, "updated", "provider"),
        (3, "updated", "qm"),
    ]
    assert history[1].fields == {"status": ["open", "in_progress"], "due": ["2026-05-15", "2026-05-30"]}
    assert history[2].fields == {"status": ["in_progress", "done"]}
    assert history[0].fields["cause"] == [None, "understaffed night shift"]
    assert S.list_actions(st, "acme") == [done]
    assert S.list_actions(st, "acme", status="open") == []
    with pytest.raises(ValueError):
        S.update_action(st, "acme", action.action_id, "qm", status="finished")
    with pytest.raises(ValueError):
        S.update_action(st, "acme", action.action_id, "qm", created_by="me")
    with pytest.raises(ValueError):
        S.add_action(st, "acme", cause="c", measure="m", owner="o", user="u", months=["March"])
    second = S.add_action(
        st,
        "acme",
        cause="c",
        measure="m",
        owner="o",
        user="u",
        link_kind="obligation",
        link_ref="improvement_plan:2026-03",
    )
    assert second.action_id != action.action_id and second.due is None and second.kpi is None
    audit = [e.action for e in S.audit_log(st, "acme")]
    assert audit.count("action.update") == 2 and audit.count("action.add") == 2


def test_exemptions_and_regrades_are_applied_on_top_of_the_import(st):
    do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "priority": "P1"},
                {"ticket_id": "T2", "priority": "P1"},
                {"ticket_id": "T3", "priority": "P1", "exclusion_reason": "cancelled", "excluded": True},
                {"ticket_id": "T4", "priority": "P2"},
            ]
        ),
        [*ALL, "excluded", "exclusion_reason"],
        sha="1",
    )
    exempt = S.request_exemption(st, "acme", "T1", "exempt", "power outage at the client site", "provider")
    regrade = S.request_exemption(
        st, "acme", "T2", "regrade", "was not urgent", "provider", new_priority="P2"
    )
    rejected = S.request_exemption(st, "acme", "T4", "exempt", "we were busy", "provider")
    pending = S.request_exemption(st, "acme", "T4", "regrade", "please", "provider", new_priority="P1")
    ghost = S.request_exemption(st, "acme", "T9", "exempt", "not imported yet", "provider")
    assert exempt.decision == "pending" and exempt.decided_by is None

    version = S.data_version(st, "acme")
    S.decide_exemption(st, "acme", exempt.exemption_id, "approved", "client", "agreed in meeting")
    assert S.data_version(st, "acme") != version
    S.decide_exemption(st, "acme", regrade.exemption_id, "approved", "client", "agreed")
    S.decide_exemption(st, "acme", rejected.exemption_id, "rejected", "client", "not a valid reason")
    S.decide_exemption(st, "acme", ghost.exemption_id, "approved", "client", "ok")
    with pytest.raises(S.StoreError) as twice:
        S.decide_exemption(st, "acme", exempt.exemption_id, "rejected", "client", "changed my mind")
    assert twice.value.issue.code == "store.exemption_decided"

    approved = S.list_exemptions(st, "acme", decision="approved")
    assert [e.exemption_id for e in approved] == [
        exempt.exemption_id,
        regrade.exemption_id,
        ghost.exemption_id,
    ]
    assert approved[0].decided_by == "client" and approved[0].decision_reason == "agreed in meeting"
    assert [e.decision for e in S.list_exemptions(st, "acme")] == [
        "approved",
        "approved",
        "rejected",
        "pending",
        "approved",
    ]

    data = S.current_dataset(st, "acme")
    applied = S.apply_exemptions(data, S.list_exemptions(st, "acme"))  # only approved ones count
    got = applied.tickets.sort_values("ticket_id")
    assert records(got, ["ticket_id", "priority", "excluded", "exclusion_reason"]) == [
        ("T1", "P1", True, "exempted: power outage at the client site"),
        ("T2", "P2", False, None),
        ("T3", "P1", True, "cancelled"),
        ("T4", "P2", False, None),
    ]
    assert applied.has("tickets", "excluded") and applied.has("tickets", "exclusion_reason")
    assert [i.code for i in applied.issues] == ["store.exemption_unknown_ticket"]
    assert str(got["priority"].dtype) == "string" and str(got["exclusion_reason"].dtype) == "string"
    # the imported data is untouched
    assert records(data.tickets.sort_values("ticket_id"), ["ticket_id", "priority", "excluded"])[:2] == [
        ("T1", "P1", False),
        ("T2", "P1", False),
    ]
    assert S.apply_exemptions(data, []) is data
    assert pending.decision == "pending"


def test_exemption_requests_are_checked(st):
    with pytest.raises(S.StoreError) as unknown:
        S.request_exemption(st, "acme", "T1", "regrade", "r", "provider", new_priority="P9")
    assert unknown.value.issue.code == "store.unknown_priority"
    with pytest.raises(S.StoreError):
        S.request_exemption(st, "acme", "T1", "regrade", "r", "provider")
    with pytest.raises(S.StoreError):
        S.request_exemption(st, "acme", "T1", "exempt", "  ", "provider")
    with pytest.raises(ValueError):
        S.request_exemption(st, "acme", "T1", "forgive", "r", "provider")
    request = S.request_exemption(st, "acme", "T1", "exempt", "r", "provider")
    with pytest.raises(ValueError):
        S.decide_exemption(st, "acme", request.exemption_id, "maybe", "client")


def test_month_close_freezes_the_snapshot(st):
    do_import(st, "tickets", tickets([{"ticket_id": "T1"}]), ALL, sha="1")
    version = S.data_version(st, "acme")
    snapshot = {
        "month": "2026-03",
        "kpis": {"response_within_target": {"value": 0.95, "status": "met"}},
        "penalty": "0.00",
        "note": "已与乙方确认",
    }
    closed = S.close_month(st, "acme", "2026-03", json.dumps(snapshot, ensure_ascii=False), version, "qm")
    assert closed.data_version == version
    assert S.data_version(st, "acme") == version  # closing changes no number
    do_import(st, "tickets", tickets([{"ticket_id": "T1", "team": "late fix"}]), ALL, sha="2")
    assert S.data_version(st, "acme") != version  # a later import does, and the close still tells which
    [frozen] = S.closed_months(st, "acme")
    assert (frozen.month, frozen.closed_by, frozen.data_version) == ("2026-03", "qm", version)
    assert frozen.snapshot == snapshot
    with pytest.raises(S.StoreError) as again:
        S.close_month(st, "acme", "2026-03", "{}", "other", "qm")
    assert again.value.issue.code == "store.month_closed"
    with pytest.raises(ValueError):
        S.close_month(st, "acme", "2026-13", "{}", version, "qm")
    with pytest.raises(ValueError):
        S.close_month(st, "acme", "2026-04", "not json", version, "qm")
    S.close_month(st, "acme", "2026-02", "[]", version, "qm")
    assert [c.month for c in S.closed_months(st, "acme")] == ["2026-02", "2026-03"]


def test_survey_exclusions_record_who_and_why(st):
    version = S.data_version(st, "acme")
    excluded = S.exclude_survey(st, "acme", "R7", "straight-lining", "qm")
    assert S.data_version(st, "acme") != version
    S.exclude_survey(st, "acme", "R8", "duplicate of R2", "qm")
    listed = S.list_survey_exclusions(st, "acme")
    assert [(e.response_id, e.reason, e.excluded_by) for e in listed] == [
        ("R7", "straight-lining", "qm"),
        ("R8", "duplicate of R2", "qm"),
    ]
    assert listed[0].excluded_at == excluded.excluded_at
    S.exclude_survey(st, "acme", "R7", "speeder", "lead")
    assert {e.response_id: e.reason for e in S.list_survey_exclusions(st, "acme")}["R7"] == "speeder"
    assert S.remove_survey_exclusion(st, "acme", "R8", "qm")
    assert not S.remove_survey_exclusion(st, "acme", "R8", "qm")
    assert [e.response_id for e in S.list_survey_exclusions(st, "acme")] == ["R7"]
    with pytest.raises(S.StoreError):
        S.exclude_survey(st, "acme", "R9", "", "qm")


def test_every_mutating_call_writes_the_audit_log(st):
    outcome = do_import(st, "tickets", tickets([{"ticket_id": "T1"}]), ALL, sha="1")
    S.undo_batch(st, "acme", outcome.batch_id, "undoer")
    entries = S.audit_log(st, "acme")
    assert [e.action for e in entries[:2]] == ["batch.undo", "batch.import"]
    assert entries[0].actor == "undoer" and entries[0].detail["batch_id"] == outcome.batch_id
    assert entries[1].detail["inserted"] == 1 and entries[1].detail["sha256"] == "1"
    assert entries[-1].action == "contract.save"


def test_data_version_tracks_what_changes_numbers(st):
    versions = [S.data_version(st, "acme")]
    first = do_import(st, "tickets", tickets([{"ticket_id": "T1"}]), ALL, sha="1")
    versions.append(S.data_version(st, "acme"))
    S.undo_batch(st, "acme", first.batch_id, "tester")
    versions.append(S.data_version(st, "acme"))
    S.save_contract(
        st, S.load_contract(st, "acme").source_text.replace('"1h"', '"3h"'), "t", as_new_revision=True
    )
    versions.append(S.data_version(st, "acme"))
    assert len(set(versions)) == len(versions)
    S.add_action(st, "acme", cause="c", measure="m", owner="o", user="u")
    S.request_exemption(st, "acme", "T1", "exempt", "r", "provider")  # pending: no number changes yet
    assert S.data_version(st, "acme") == versions[-1]


def test_every_workflow_write_changes_the_evaluation_version_and_only_data_changes_the_data_version(st):
    """What the screens cache by: an action, its update, a month close, an exemption request and its
    decision each change the evaluation version; a mapping changes neither."""
    seen = [S.evaluation_version(st, "acme")]

    def changed(data_too: bool = False) -> None:
        now = S.evaluation_version(st, "acme")
        assert now[1] != seen[-1][1]
        assert (now[0] != seen[-1][0]) == data_too
        seen.append(now)

    action = S.add_action(
        st, "acme", cause="c", measure="m", owner="o", user="qm", link_kind="obligation", link_ref="x"
    )
    changed()
    S.update_action(st, "acme", action.action_id, "qm", status="done")
    changed()
    S.close_month(st, "acme", "2026-03", "{}", seen[-1][0], "qm")
    changed()
    request = S.request_exemption(st, "acme", "T1", "exempt", "power cut", "provider")
    changed()
    S.decide_exemption(st, "acme", request.exemption_id, "approved", "client", "ok")
    changed(data_too=True)  # an approved exemption changes the figures' data
    S.save_mapping(st, "acme", "tickets", {"编号": "ticket_id"}, "qm")
    assert S.evaluation_version(st, "acme") == seen[-1]
    assert S.evaluation_version(st, "beta")[1] != seen[-1][1]  # per contract
