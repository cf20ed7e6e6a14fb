"""Two contracts with the same ticket ids side by side: nothing of one shows through any API of the other."""

from __future__ import annotations

from datetime import date

import pytest
from store_helpers import current, do_import, records, tickets

from sla_core import store as S
from sla_core.problems import error

ALL = ["ticket_id", "created_at", "priority", "team"]


def test_no_leakage_between_contracts(st):
    a1 = do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "acme-1"}, {"ticket_id": "T2", "team": "acme-2"}]),
        ALL,
        sha="same-file",
        skipped=[error("x", "甲", "a", row=4)],
    )
    # the same file (same sha256) for another contract is not a duplicate there
    b1 = do_import(
        st, "tickets", tickets([{"ticket_id": "T1", "team": "beta-1"}]), ALL, cid="beta", sha="same-file"
    )
    assert b1.duplicate_of is None and b1.inserted == 1
    assert records(current(st, cid="acme"), ["ticket_id", "team"]) == [("T1", "acme-1"), ("T2", "acme-2")]
    assert records(current(st, cid="beta"), ["ticket_id", "team"]) == [("T1", "beta-1")]

    # an update in beta does not touch acme, and counts against beta's rows only
    b2 = do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "beta-x"}, {"ticket_id": "T2", "team": "b"}]),
        ALL,
        cid="beta",
        sha="b2",
    )
    assert (b2.inserted, b2.updated) == (1, 1)
    assert records(current(st, cid="acme"), ["ticket_id", "team"]) == [("T1", "acme-1"), ("T2", "acme-2")]

    # batches, issues and undo are scoped
    assert [b.batch_id for b in S.list_batches(st, "acme")] == [a1.batch_id]
    assert [b.batch_id for b in S.list_batches(st, "beta")] == [b1.batch_id, b2.batch_id]
    assert S.batch_issues(st, "beta", a1.batch_id) == []
    assert len(S.batch_issues(st, "acme", a1.batch_id)) == 1
    with pytest.raises(S.StoreError):
        S.undo_batch(st, "beta", a1.batch_id, "tester")
    acme_version = S.data_version(st, "acme")
    S.undo_batch(st, "beta", b2.batch_id, "tester")
    assert S.data_version(st, "acme") == acme_version
    assert records(current(st, cid="acme"), ["ticket_id", "team"]) == [("T1", "acme-1"), ("T2", "acme-2")]
    assert records(current(st, cid="beta"), ["ticket_id", "team"]) == [("T1", "beta-1")]
    assert S.current_dataset(st, "gamma").tickets is None

    # mappings
    S.save_mapping(st, "acme", "tickets", {"工单号": "ticket_id"}, "tester")
    assert S.load_mapping(st, "beta", "tickets") == {}

    # actions
    action = S.add_action(st, "acme", cause="c", measure="m", owner="o", user="tester")
    assert S.list_actions(st, "beta") == []
    assert S.action_history(st, "beta", action.action_id) == []
    with pytest.raises(S.StoreError):
        S.update_action(st, "beta", action.action_id, "tester", status="done")

    # exemptions
    request = S.request_exemption(st, "acme", "T1", "exempt", "force majeure", "provider")
    assert S.list_exemptions(st, "beta") == []
    with pytest.raises(S.StoreError):
        S.decide_exemption(st, "beta", request.exemption_id, "approved", "client", "ok")
    beta_version = S.data_version(st, "beta")
    S.decide_exemption(st, "acme", request.exemption_id, "approved", "client", "ok")
    assert S.data_version(st, "beta") == beta_version

    # month close and survey exclusions
    S.close_month(st, "acme", "2026-03", "{}", "v", "tester")
    assert S.closed_months(st, "beta") == []
    S.close_month(st, "beta", "2026-03", "{}", "v", "tester")  # the same month closes per contract
    S.exclude_survey(st, "acme", "R1", "duplicate", "tester")
    assert S.list_survey_exclusions(st, "beta") == []
    assert not S.remove_survey_exclusion(st, "beta", "R1", "tester")
    assert [e.response_id for e in S.list_survey_exclusions(st, "acme")] == ["R1"]

    # audit log
    acme_actions = {e.action for e in S.audit_log(st, "acme")}
    assert {
        "batch.import",
        "mapping.save",
        "action.add",
        "exemption.request",
        "exemption.decide",
        "month.close",
        "survey.exclude",
        "contract.save",
    } <= acme_actions
    assert all(e.contract_id == "beta" for e in S.audit_log(st, "beta"))
    assert "action.add" not in {e.action for e in S.audit_log(st, "beta")}

    # contracts
    assert S.load_contract(st, "acme").id == "acme"
    assert [r.revision for r in S.contract_revisions(st, "beta")] == [1]


def test_workflow_needs_a_known_contract(st):
    for call in (
        lambda: S.save_mapping(st, "nobody", "tickets", {}, "tester"),
        lambda: S.add_action(
            st, "nobody", cause="c", measure="m", owner="o", user="tester", due=date(2026, 4, 1)
        ),
        lambda: S.request_exemption(st, "nobody", "T1", "exempt", "r", "tester"),
        lambda: S.close_month(st, "nobody", "2026-03", "{}", "v", "tester"),
        lambda: S.exclude_survey(st, "nobody", "R1", "r", "tester"),
    ):
        with pytest.raises(S.StoreError) as caught:
            call()
        assert caught.value.issue.code == "store.unknown_contract"
