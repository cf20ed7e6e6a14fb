"""Sign-in through the page, roles on the screens, and scoping through widgets, session state and
query parameters."""

from __future__ import annotations

import pytest
from apptools import ROOT, _PathWithoutPagesDir, assert_clean, button, errors, texts
from streamlit.testing.v1 import AppTest

from sla_core import store as st
from sla_core import workspace
from sla_core.users import hash_password

PASSWORDS = {"alice": "alice-admin-pw", "eve": "eve-editor-pw", "vic": "vic-viewer-pw", "sam": "sam-admin-pw"}


@pytest.fixture
def hashes():
    """Fresh salts per test: the sign-in throttle is shared per configuration, like on a server."""
    return {name: hash_password(pw) for name, pw in PASSWORDS.items()}


@pytest.fixture
def two(db):
    """The demo store plus a second contract 'other' that vic and eve may not see."""
    store = workspace.open_workspace(db)
    text = st.load_contract(store, "demo-helpdesk").source_text.replace(
        'id = "demo-helpdesk"', 'id = "other"'
    )
    text = text.replace("IT 运维服务外包", "另一家客户")
    st.save_contract(store, text, "setup")
    return db


def app(db, monkeypatch, hashes, page=None, **state):
    from streamlit.runtime import pages_manager

    monkeypatch.setenv("SLA_DB", str(db))
    monkeypatch.setattr(pages_manager, "Path", _PathWithoutPagesDir)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["sla"] = {
        "users": {
            "alice": {"role": "admin", "contracts": ["*"], "password_hash": hashes["alice"]},
            "eve": {"role": "editor", "contracts": ["demo-helpdesk"], "password_hash": hashes["eve"]},
            "vic": {"role": "viewer", "contracts": ["demo-helpdesk"], "password_hash": hashes["vic"]},
            "sam": {"role": "admin", "contracts": ["demo-helpdesk"], "password_hash": hashes["sam"]},
        }
    }
    for key, value in state.items():
        at.session_state[key] = value
    if page:
        at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def sign_in(at, name, password):
    at.text_input(key="app_sign_in_name").input(name)
    at.text_input(key="app_sign_in_password").input(password)
    button(at, "登录").click()
    at.run()
    return at


def test_with_users_configured_nothing_shows_before_sign_in(two, monkeypatch, hashes):
    at = app(two, monkeypatch, hashes)
    assert_clean(at)
    assert at.title[0].value == "SLA 服务质量看板"
    assert "首次响应达标率" not in texts(at)
    wrong = sign_in(at, "vic", "not-the-password")
    assert any("不正确" in e.value for e in wrong.error)
    assert "首次响应达标率" not in texts(wrong)


def test_signed_in_viewer_reads_but_cannot_import_or_edit(two, monkeypatch, hashes):
    at = sign_in(app(two, monkeypatch, hashes), "vic", PASSWORDS["vic"])
    assert_clean(at)
    assert "首次响应达标率" in texts(at) and "已登录：vic（查看者）" in texts(at)
    upload = app(two, monkeypatch, hashes, "upload", auth_user="vic", auth_at=9e18)
    assert_clean(upload)
    assert not upload.file_uploader and any("只能查看" in i.value for i in upload.info)
    assert not [b for b in upload.button if b.key == "upload_undo"]
    contract = app(two, monkeypatch, hashes, "contract", auth_user="vic", auth_at=9e18)
    assert all(b.disabled for b in contract.button if b.label == "校验并保存")
    breaches = app(two, monkeypatch, hashes, "breaches", auth_user="vic", auth_at=9e18)
    assert all(b.disabled for b in breaches.button if b.label in ("保存", "登记申请"))
    assert not [b for b in breaches.button if b.label in ("批准", "结账")]


def test_a_scoped_user_never_reaches_another_contract(two, monkeypatch, hashes):
    # through the widget: the contract list holds only what eve may see
    at = app(two, monkeypatch, hashes, auth_user="eve", auth_at=9e18)
    assert_clean(at)
    assert at.sidebar.selectbox(key="app_contract").options == ["IT 运维服务外包 / IT operations outsourcing"]
    # through session state and query parameters: ignored, the page stays on her contract
    tampered = app(
        two,
        monkeypatch,
        hashes,
        auth_user="eve",
        auth_at=9e18,
        app_contract="other",
        app_contract_next="other",
    )
    assert tampered.session_state["app_contract"] == "demo-helpdesk"
    assert "另一家客户" not in texts(tampered)
    at = app(two, monkeypatch, hashes)
    at.query_params["contract"] = "other"
    at.session_state["auth_user"], at.session_state["auth_at"] = "eve", 9e18
    at.run()
    assert "另一家客户" not in texts(at)
    # an admin of every contract sees both
    admin = app(two, monkeypatch, hashes, auth_user="alice", auth_at=9e18)
    assert len(admin.sidebar.selectbox(key="app_contract").options) == 2


def test_sessions_expire(two, monkeypatch, hashes):
    at = app(two, monkeypatch, hashes, auth_user="vic", auth_at=1.0)  # signed in long ago
    assert at.title[0].value == "SLA 服务质量看板"
    assert "首次响应达标率" not in texts(at)


def test_sign_in_off_shows_the_notice(demo_db, monkeypatch):
    from apptools import open_app

    at = open_app(demo_db, monkeypatch)
    assert "未启用登录" in texts(at) or any("未启用登录" in c.value for c in at.sidebar.caption)


def test_an_unknown_role_closes_the_app_instead_of_turning_sign_in_off(two, monkeypatch, hashes):
    at = app(two, monkeypatch, hashes)
    at.secrets["sla"]["users"]["alice"]["role"] = "Admin"  # a hand edit: not a role, not normalised
    at.run()
    assert not at.exception
    assert "首次响应达标率" not in texts(at) and "未启用登录" not in texts(at)
    assert errors(at) and "'Admin'" in errors(at)[0]
    assert not at.text_input  # no sign-in form either: nothing works until the file is fixed


def test_the_create_form_does_not_tell_a_scoped_admin_which_hidden_ids_exist(two, monkeypatch, hashes):
    """sam administers demo-helpdesk only: 'other' exists, 'nowhere' does not — he is told the same."""
    said = []
    for cid in ("other", "nowhere"):
        at = app(two, monkeypatch, hashes, "contract", auth_user="sam", auth_at=9e18)
        form = [t for t in at.text_input if t.label == "合同编号"]
        assert form, [t.label for t in at.text_input]
        form[-1].input(cid)  # the first is the contract in view, shown read-only
        button(at, "以示例合同新建").click()
        at.run()
        assert not at.exception and not list(at.success)
        said.append([e.value for e in at.error])
    assert said[0] == said[1] and said[0], said
    assert [c.contract_id for c in st.list_contracts(workspace.open_workspace(two))] == [
        "demo-helpdesk",
        "other",
    ]


@pytest.mark.parametrize(("name", "has_audit"), [("vic", False), ("alice", True)])
def test_the_quarterly_pack_is_exported_through_the_guard(two, monkeypatch, hashes, name, has_audit):
    """Quarterly's pack: the export permission, an audit entry like the Overview's export writes, and
    the audit sheet only for a reader who may see the audit log."""
    import io

    from openpyxl import load_workbook

    at = app(
        two, monkeypatch, hashes, "quarterly", auth_user=name, auth_at=9e18, app_contract="demo-helpdesk"
    )
    at.selectbox(key="quarterly_quarter").set_value("2026Q2").run()
    at.button(key="quarterly_prepare").click().run()
    assert_clean(at)
    quarter, lang, data = at.session_state["quarterly_pack"]
    assert (quarter, lang) == ("2026Q2", "zh")
    assert ("审计日志" in load_workbook(io.BytesIO(data)).sheetnames) is has_audit
    [entry] = [
        e for e in st.audit_log(workspace.open_workspace(two), "demo-helpdesk") if e.action == "report.export"
    ]
    assert entry.actor == name and entry.detail["period"] == "2026Q2" and entry.detail["bytes"] == len(data)
