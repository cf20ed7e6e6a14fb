"""A damaged store stops the app with what it is and how to restore it — before sign-in, instead of
Streamlit's crash page; damage met only by a later query (a truncated file) is said the same way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from apptools import ROOT, _PathWithoutPagesDir, errors, open_app
from streamlit.testing.v1 import AppTest

from sla_core import backup
from sla_core.users import hash_password


@pytest.fixture
def with_backup(db: Path) -> tuple[Path, Path]:
    made = backup.backup_store(db, db.parent / "backups" / "demo-20261001T000000Z.duckdb")
    return db, made.path


def said_damaged(at: AppTest, db: Path, copy: Path) -> None:
    assert not at.exception, [e.value for e in at.exception]
    said = errors(at)
    assert len(said) == 1, said
    assert "已损坏" in said[0] and f"python -m sla_core restore --db {db} --from {copy}" in said[0]


def test_a_damaged_store_is_said_with_its_backup_not_a_crash(with_backup, monkeypatch):
    db, copy = with_backup
    db.write_bytes(os.urandom(200_000))
    at = open_app(db, monkeypatch)
    said_damaged(at, db, copy)
    assert not at.dataframe and not at.metric  # no dashboard


def test_before_sign_in_too(with_backup, monkeypatch):
    db, copy = with_backup
    db.write_bytes(os.urandom(200_000))
    from streamlit.runtime import pages_manager

    monkeypatch.setenv("SLA_DB", str(db))
    monkeypatch.setattr(pages_manager, "Path", _PathWithoutPagesDir)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["sla"] = {
        "users": {
            "alice": {"role": "admin", "contracts": ["*"], "password_hash": hash_password("pw-12345678")}
        }
    }
    at.run()
    said_damaged(at, db, copy)
    assert not at.text_input  # no sign-in form on a store that cannot be read


def test_damage_met_by_a_later_query_is_said_the_same_way(with_backup, monkeypatch):
    db, copy = with_backup
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])  # the header and schema read fine; the rows do not
    at = open_app(db, monkeypatch)
    said_damaged(at, db, copy)
