"""Sign-in fails closed in the real app: a server started on a damaged security configuration shows
a stop message saying what to fix, never the dashboard; a sound one shows the sign-in form."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsertools import errors_on, settle
from conftest import start_app
from playwright.sync_api import Browser

from sla_core import workspace
from sla_core.users import hash_password

pytestmark = pytest.mark.e2e

HASH = hash_password("correct horse battery")
GOOD = f"""
[sla.users.alice]
role = "admin"
contracts = ["*"]
password_hash = "{HASH}"
"""
AUTH = """
[auth]
redirect_url = "http://localhost:8501/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef"
client_id = "x"
client_secret = "y"
server_metadata_url = "https://idp.example.com/.well-known/openid-configuration"
"""
DAMAGED = {
    "stray quote": (GOOD.replace('role = "admin"', 'role = "admin'), "TOML"),
    "empty": ("", "空文件"),
    "role in capitals": (GOOD.replace('role = "admin"', 'role = "Admin"'), "'Admin'"),
    "users table renamed": (GOOD.replace("[sla.users.alice]", "[sla.user.alice]"), "users"),
    "auth key misspelt": (GOOD.replace(HASH, HASH + '"\nemail = "a@example.com') + AUTH, "redirect_uri"),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("signin") / "sla.duckdb"
    workspace.load_demo(workspace.open_workspace(db))
    return db


def first_screen(browser: Browser, db: Path, secrets: Path) -> tuple[str, list[str], int]:
    """The text, error boxes and password fields a visitor sees on a server using `secrets`."""
    proc, base = start_app(db, "--secrets.files", str(secrets))
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(base)
        settle(page)
        seen = (page.inner_text("body"), errors_on(page), page.locator('input[type="password"]').count())
        context.close()
        return seen
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_configuration_keeps_the_app_closed(case, demo_db, browser, tmp_path):
    text, hint = DAMAGED[case]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(text, encoding="utf-8")
    body, errors, passwords = first_screen(browser, demo_db, secrets)
    assert "首次响应达标率" not in body and "未启用登录" not in body  # no dashboard, not "sign-in off"
    assert len(errors) == 1 and hint in errors[0], errors
    assert passwords == 0


def test_a_sound_configuration_asks_for_sign_in(demo_db, browser, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(GOOD, encoding="utf-8")
    body, errors, passwords = first_screen(browser, demo_db, secrets)
    assert "首次响应达标率" not in body and errors == [] and passwords == 1
