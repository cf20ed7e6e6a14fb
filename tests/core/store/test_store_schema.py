"""Schema version, migrations with a backup first, and the tables against the canonical frames."""

from __future__ import annotations

import duckdb
import pytest
from store_helpers import contract_text, current, do_import, records, tickets

from sla_core import store as S
from sla_core.dataset import KINDS, ROW, SCHEMA

SQL_TYPES = {
    "string": "VARCHAR",
    "datetime64[s, UTC]": "TIMESTAMP WITH TIME ZONE",
    "bool": "BOOLEAN",
    "Int64": "BIGINT",
    "Float64": "DOUBLE",
}


def test_default_path_is_created_on_first_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = S.open_store()
    assert (tmp_path / "data" / "sla.duckdb").exists()
    assert S.schema_version(store) == S.schema_target() == len(S.MIGRATIONS)
    assert not (tmp_path / "data" / "backups").exists()
    S.open_store()  # opening again neither migrates nor backs up
    assert not (tmp_path / "data" / "backups").exists()


def test_version_tables_match_the_canonical_frames(st):
    with S.connect(st) as con:
        for kind in KINDS:
            got = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $t "
                "ORDER BY ordinal_position",
                {"t": f"{kind}_rows"},
            ).fetchall()
            expected = [
                ("contract_id", "VARCHAR"),
                ("key", "VARCHAR"),
                ("batch_id", "BIGINT"),
                ("is_current", "BOOLEAN"),
            ]
            expected += [(c, SQL_TYPES[t]) for c, t in SCHEMA[kind].items()]
            if kind == "surveys":
                expected.append(("dims", "MAP(VARCHAR, DOUBLE)"))
            expected.append((ROW, "BIGINT"))
            assert got == expected, kind


def test_migration_backs_up_the_file_first(tmp_path, monkeypatch):
    path = tmp_path / "data" / "sla.duckdb"
    store = S.open_store(path)
    S.save_contract(store, contract_text("acme"), "tester")
    do_import(
        store,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "L1"}]),
        ["ticket_id", "created_at", "priority", "team"],
        sha="1",
    )

    def add_column(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("ALTER TABLE actions ADD COLUMN severity VARCHAR").fetchall()

    target = S.schema_target()
    monkeypatch.setattr(S.db, "MIGRATIONS", [*S.MIGRATIONS, (target + 1, add_column)])
    migrated = S.open_store(path)
    assert S.schema_version(migrated) == target + 1
    backups = sorted((tmp_path / "data" / "backups").glob("sla-*.duckdb"))
    assert len(backups) == 1
    old = duckdb.connect(str(backups[0]), read_only=True)
    try:
        assert old.execute("SELECT max(version) FROM schema_version").fetchall() == [(target,)]
        assert old.execute("SELECT count(*) FROM tickets_rows").fetchall() == [(1,)]
        columns = {
            r[0]
            for r in old.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'actions'"
            ).fetchall()
        }
        assert "severity" not in columns
    finally:
        old.close()
    with S.connect(migrated) as con:
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'actions'"
            ).fetchall()
        }
    assert "severity" in columns
    assert records(current(migrated), ["ticket_id", "team"]) == [("T1", "L1")]
    S.open_store(path)  # up to date: no second backup
    assert len(list((tmp_path / "data" / "backups").glob("*.duckdb"))) == 1


def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "sla.duckdb"
    S.open_store(path)

    def broken(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("ALTER TABLE actions ADD COLUMN half_done VARCHAR").fetchall()
        raise RuntimeError("bug in migration")

    monkeypatch.setattr(S.db, "MIGRATIONS", [*S.MIGRATIONS, (S.schema_target() + 1, broken)])
    with pytest.raises(RuntimeError):
        S.open_store(path)
    monkeypatch.undo()
    store = S.open_store(path)
    assert S.schema_version(store) == S.schema_target()
    with S.connect(store) as con:
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'actions'"
            ).fetchall()
        }
    assert "half_done" not in columns


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "sla.duckdb"
    store = S.open_store(path)
    with S.connect(store) as con:
        con.execute("INSERT INTO schema_version VALUES (99, now())").fetchall()
    with pytest.raises(S.StoreError) as newer:
        S.open_store(path)
    assert newer.value.issue.code == "store.newer"


def test_a_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE something (x INTEGER)").fetchall()
    con.close()
    with pytest.raises(S.StoreError) as foreign:
        S.open_store(path)
    assert foreign.value.issue.code == "store.foreign"


def test_migration_3_adds_the_workaround_column_and_keeps_every_stored_value(tmp_path, monkeypatch):
    """A store of schema 2 (before conditional targets) opens as schema 3: its tickets keep their values,
    have no workaround, and a later import stores one (doc 003 临时解决方案)."""
    path = tmp_path / "sla.duckdb"
    monkeypatch.setattr(S.db, "MIGRATIONS", S.MIGRATIONS[:2])
    old = S.open_store(path)
    S.save_contract(old, contract_text("acme"), "tester")
    with S.connect(old) as con:  # a row as schema 2 stored it (the canonical frame now has one more column)
        con.execute(
            "INSERT INTO tickets_rows (contract_id, key, batch_id, is_current, ticket_id, team, _row) "
            "VALUES ('acme', 'T1', 1, true, 'T1', 'L1', 2)"
        ).fetchall()
    monkeypatch.undo()
    store = S.open_store(path)
    assert S.schema_version(store) == 3
    with S.connect(store) as con:
        assert con.execute("SELECT ticket_id, team, workaround_at, _row FROM tickets_rows").fetchall() == [
            ("T1", "L1", None, 2)
        ]
    rows = tickets([{"ticket_id": "T2", "workaround_at": "2026-03-01T03:00:00Z"}])
    do_import(store, "tickets", rows, ["ticket_id", "created_at", "priority", "workaround_at"], sha="2")
    stored = current(store).set_index("ticket_id")
    assert str(stored.loc["T2", "workaround_at"]) == "2026-03-01 03:00:00+00:00"
