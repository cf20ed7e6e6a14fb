"""The real app on a damaged store: the first screen, before sign-in, says the store is damaged and
names the backup and the restore command — not Streamlit's crash page, not a sign-in form."""

from __future__ import annotations

import os

import pytest
from browsertools import errors_on, settle
from conftest import start_app
from playwright.sync_api import Browser

from sla_core import backup, workspace
from sla_core.users import hash_password

pytestmark = pytest.mark.e2e


def test_a_damaged_store_is_said_before_sign_in(browser: Browser, tmp_path):
    db = tmp_path / "sla.duckdb"
    workspace.load_demo(workspace.open_workspace(db))
    copy = backup.backup_store(db, tmp_path / "backups" / "sla-20261001T000000Z.duckdb").path
    db.write_bytes(os.urandom(300_000))
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[sla.users.alice]\nrole = "admin"\ncontracts = ["*"]\npassword_hash = "{hash_password("pw-12345678")}"\n',
        encoding="utf-8",
    )
    proc, base = start_app(db, "--secrets.files", str(secrets))
    try:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(base)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0  # no crash page
        (error,) = errors_on(page)
        assert "已损坏" in error and f"python -m sla_core restore --db {db} --from {copy}" in error
        assert page.locator('input[type="password"]').count() == 0
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
