"""Contracts stored as TOML text with revisions; changed terms are refused without the flag."""

from __future__ import annotations

from store_helpers import contract_text

from sla_core import store as S


def test_same_text_changes_nothing(st):
    before = S.data_version(st, "acme")
    again = S.save_contract(st, contract_text("acme"), "someone")
    assert (again.status, again.revision, again.stored) == ("unchanged", 1, False)
    assert S.data_version(st, "acme") == before
    assert [r.revision for r in S.contract_revisions(st, "acme")] == [1]


def test_changed_terms_refused_without_the_flag(st):
    changed = contract_text("acme", p2_response="2h")
    before = S.data_version(st, "acme")
    refused = S.save_contract(st, changed, "someone")
    assert refused.status == "refused" and not refused.stored
    issue = refused.issues[-1]
    assert issue.level == "error" and issue.code == "store.contract_changed"
    assert "acme" in issue.zh and "acme" in issue.en and "修订" in issue.zh and "revision" in issue.en
    assert [r.revision for r in S.contract_revisions(st, "acme")] == [1]
    assert S.data_version(st, "acme") == before

    stored = S.save_contract(st, changed, "someone", as_new_revision=True)
    assert (stored.status, stored.revision) == ("revised", 2)
    assert S.data_version(st, "acme") != before
    latest = S.load_contract(st, "acme")
    assert latest is not None and latest.base.priority("P2").response == 7200
    first = S.load_contract(st, "acme", revision=1)
    assert first is not None and first.base.priority("P2").response == 3600
    assert latest.source_text == changed
    assert S.load_contract(st, "acme", revision=9) is None
    assert S.load_contract(st, "nobody") is None
    revisions = S.contract_revisions(st, "acme")
    assert [(r.revision, r.stored_by) for r in revisions] == [(1, "tester"), (2, "someone")]
    assert revisions[1].sha256 != revisions[0].sha256


def test_comment_only_change_is_kept_without_the_flag(st):
    saved = S.save_contract(st, contract_text("acme", comment="reviewed 2026-04"), "someone")
    assert (saved.status, saved.revision) == ("revised", 2)


def test_invalid_contract_is_not_stored(st):
    saved = S.save_contract(st, "[contract]\nid = 'Bad Id'\n", "someone")
    assert saved.status == "invalid" and saved.issues and saved.contract_id is None
    assert [c.contract_id for c in S.list_contracts(st)] == ["acme", "beta"]


def test_list_contracts_shows_the_latest_revision(st):
    S.save_contract(st, contract_text("beta", name="Beta 2", p2_response="3h"), "x", as_new_revision=True)
    listed = {c.contract_id: c for c in S.list_contracts(st)}
    assert (listed["beta"].revision, listed["beta"].name) == (2, "Beta 2")
    assert (listed["acme"].revision, listed["acme"].name) == (1, "Acme")
