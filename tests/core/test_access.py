"""Roles, per-contract scoping, sign-in throttling, password storage and the audit trail."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from sla_core import store as st
from sla_core import workspace
from sla_core.access import AccessDenied, Guard, Principal
from sla_core.users import Authenticator, Throttle, add_user, read_secrets, users_from, verify_password

ROOT = Path(__file__).resolve().parents[2]
CSV = (
    "工单号,创建时间,优先级,首次响应时间,解决时间\n"
    "S-1,2026-10-12 10:00,重要,2026-10-12 10:10,2026-10-12 12:00\n"
).encode()


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """A store with the demo contract and a second contract 'other' holding its own ticket."""
    path = tmp_path_factory.mktemp("access") / "s.duckdb"
    store = workspace.open_workspace(path)
    workspace.load_demo(store)
    text = st.load_contract(store, "demo-helpdesk").source_text.replace(
        'id = "demo-helpdesk"', 'id = "other"'
    )
    st.save_contract(store, text, "setup")
    workspace.import_file(store, "other", "tickets", CSV, user="setup", file_name="other.csv")
    return store


def guard(store, role, contracts=("demo-helpdesk",)):
    return Guard(store, Principal("someone", role, None if contracts is None else frozenset(contracts)))


def test_viewers_read_but_cannot_change_anything(two):
    g = guard(two, "viewer")
    assert g.snapshot("demo-helpdesk").evaluation.months
    for call in (
        lambda: g.import_file("demo-helpdesk", "tickets", CSV, file_name="x.csv"),
        lambda: g.undo_batch("demo-helpdesk", 1),
        lambda: g.add_action("demo-helpdesk", cause="c", measure="m", owner="o"),
        lambda: g.request_exemption("demo-helpdesk", "S-1", "exempt", "r"),
        lambda: g.save_contract(
            st.load_contract(two, "demo-helpdesk").source_text, "demo-helpdesk", as_new_revision=True
        ),
        lambda: g.close_month("demo-helpdesk", "2026-01", "{}", "v"),
        lambda: g.audit_log("demo-helpdesk"),
    ):
        with pytest.raises(AccessDenied):
            call()
    assert len(st.list_batches(two, "demo-helpdesk")) == 4  # nothing was written


def test_editors_import_and_request_but_do_not_decide_close_or_edit_contracts(two):
    g = guard(two, "editor")
    req = g.request_exemption("demo-helpdesk", "GD202610000178", "exempt", "客户原因")
    with pytest.raises(AccessDenied):
        g.decide_exemption("demo-helpdesk", req.exemption_id, "approved")
    with pytest.raises(AccessDenied):
        g.close_month("demo-helpdesk", "2026-01", "{}", "v")
    with pytest.raises(AccessDenied):
        g.save_contract(
            st.load_contract(two, "demo-helpdesk").source_text, "demo-helpdesk", as_new_revision=True
        )
    admin = guard(two, "admin")
    assert (
        admin.decide_exemption("demo-helpdesk", req.exemption_id, "rejected", "无依据").decision == "rejected"
    )


def test_a_user_of_one_contract_gets_nothing_of_another(two):
    g = guard(two, "admin", contracts=("demo-helpdesk",))
    assert [c.contract_id for c in g.contracts()] == ["demo-helpdesk"]
    for call in (
        lambda: g.snapshot("other"),
        lambda: g.load_contract("other"),
        lambda: g.list_batches("other"),
        lambda: g.list_actions("other"),
        lambda: g.list_exemptions("other"),
        lambda: g.list_survey_exclusions("other"),
        lambda: g.contract_revisions("other"),
        lambda: g.load_mapping("other", "tickets"),
        lambda: g.audit_log("other"),
        lambda: g.export_report("other", "2026-10", "zh"),
        lambda: g.import_file("other", "tickets", CSV, file_name="x.csv"),
        lambda: g.undo_batch("other", 5),
    ):
        with pytest.raises(AccessDenied) as caught:
            call()
        assert caught.value.issue.code == "access.contract"
    # a scoped admin may not create contracts either (a new id would escape the scope)
    with pytest.raises(AccessDenied):
        g.save_contract(st.load_contract(two, "other").source_text.replace('"other"', '"third"'), "third")


def test_wrong_passwords_are_refused_and_the_delay_grows(tmp_path):
    clock = [1000.0]
    path = tmp_path / "secrets.toml"
    password = secrets.token_urlsafe(12)
    add_user(path, "alice", "editor", ["demo-helpdesk"], password)
    auth = Authenticator(users_from(read_secrets(path)), Throttle(clock=lambda: clock[0]))
    first = auth.sign_in("alice", "wrong-password")
    assert not first.ok and first.wait == 1
    # during the wait even the right password is not checked
    assert not auth.sign_in("alice", password).ok
    clock[0] += 1
    assert auth.sign_in("alice", "wrong-again").wait == 2
    clock[0] += 2
    assert auth.sign_in("alice", "still-wrong").wait == 4
    clock[0] += 4
    ok = auth.sign_in("alice", password)
    assert ok.ok and ok.user.role == "editor"
    assert auth.sign_in("alice", "wrong-password").wait == 1  # success resets the count
    assert not auth.sign_in("nobody", password).ok


def test_no_plain_text_password_anywhere(tmp_path, two):
    path = tmp_path / "secrets.toml"
    password = "pw-" + secrets.token_hex(8)
    add_user(path, "bob", "admin", ["*"], password)
    stored = path.read_text(encoding="utf-8")
    assert password not in stored
    assert verify_password(password, users_from(read_secrets(path))["bob"].password_hash)
    auth = Authenticator(users_from(read_secrets(path)))
    auth.sign_in("bob", password)
    st.record_audit(two, "bob", "sign_in", None, {})
    assert password.encode() not in two.path.read_bytes()
    tracked = [
        p
        for p in ROOT.rglob("*")
        if p.is_file() and ".venv" not in p.parts and ".git" not in p.parts and p.stat().st_size < 5_000_000
    ]
    assert not [p for p in tracked if password.encode() in p.read_bytes()]
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_every_audited_action_leaves_its_entry(tmp_path):
    store = workspace.open_workspace(tmp_path / "a.duckdb")
    workspace.load_demo(store)
    g = guard(store, "admin", contracts=None)
    cid = "demo-helpdesk"
    batch = g.import_file(cid, "tickets", CSV, file_name="s.csv").outcome.batch_id
    g.undo_batch(cid, batch)
    text = st.load_contract(store, cid).source_text
    g.save_contract(text.replace("P1 紧急", "P1 紧急 ") + "\n# edited\n", cid, as_new_revision=True)
    action = g.add_action(cid, cause="c", measure="m", owner="o")
    g.update_action(cid, action.action_id, status="done")
    req = g.request_exemption(cid, "GD202610000178", "exempt", "r")
    g.decide_exemption(cid, req.exemption_id, "approved", "ok")
    month = g.snapshot(cid).evaluation.month("2026-01")
    g.close_month(cid, "2026-01", json.dumps(month.to_json()), "v1")
    g.export_report(cid, "2026-09", "en")
    actions = {e.action for e in g.audit_log(cid)}
    expected = {
        "batch.import",
        "batch.undo",
        "contract.save",
        "action.add",
        "action.update",
        "exemption.request",
        "exemption.decide",
        "month.close",
        "report.export",
    }
    assert expected <= actions, expected - actions


def test_a_contract_is_saved_under_the_id_its_toml_names_not_the_callers(two):
    """An admin of demo-helpdesk, on its page, pastes a TOML whose id is 'other': it must not become a
    revision of 'other' (the id the store files it under is the TOML's)."""
    g = guard(two, "admin")
    before = st.contract_revisions(two, "other")
    text = st.load_contract(two, "other").source_text.replace("另一家", "改过的")
    text = text.replace('name = "', 'name = "改过的 ', 1)
    with pytest.raises(AccessDenied) as caught:
        g.save_contract(text, "demo-helpdesk", as_new_revision=True)
    assert caught.value.issue.code == "access.contract"
    assert st.contract_revisions(two, "other") == before


def test_a_scoped_admin_learns_nothing_about_ids_outside_the_scope(two):
    """Whether 'other' exists or 'nowhere' does not, the answer is the same."""
    g = guard(two, "admin")
    base = st.load_contract(two, "demo-helpdesk").source_text
    answers = []
    for cid in ("other", "nowhere"):
        with pytest.raises(AccessDenied) as caught:
            g.save_contract(base.replace('id = "demo-helpdesk"', f'id = "{cid}"'), cid)
        issue = caught.value.issue
        answers.append((issue.code, issue.zh, issue.en))
    assert answers[0] == answers[1]
