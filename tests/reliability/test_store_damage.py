"""A damaged store, a full disk, a read-only disk: said plainly on the command line — which file, why,
the newest backup that opens and the `restore` command — never a traceback, and a full disk never called
damage (nor "busy"). `report` only reads: it opens the store read-only, so it works on a read-only disk.

Disks are simulated in-process (DuckDB's own error text, raised where DuckDB raises it); a real full
and read-only tmpfs run is in the closing note of issue 21."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hostile_corpus import csv_bytes, tickets
from reliability_helpers import CONTRACT, CONTRACT_ID, ROOT, new_store

from sla_core import backup as B
from sla_core import store as S
from sla_core import workspace as W
from sla_core.cli import main
from sla_core.store import db as store_db


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    store = new_store(folder / "sla.duckdb")
    path = folder / "t.csv"
    path.write_bytes(csv_bytes(tickets("A", 30)))
    assert W.import_file(store, CONTRACT_ID, "tickets", path, user="tester").stored
    with S.connect(store) as con:
        con.execute("CHECKPOINT").fetchall()
    return store.path


@pytest.fixture
def sound(template, tmp_path) -> Path:
    path = tmp_path / "data" / "sla.duckdb"
    path.parent.mkdir()
    shutil.copy2(template, path)
    return path


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    else:  # a few bytes changed inside a block: DuckDB's checksum catches it
        data[5000:5064] = os.urandom(64)
        path.write_bytes(bytes(data))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sla_core", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


@pytest.mark.parametrize("how", ["garbage", "truncated", "checksum"])
def test_a_damaged_store_names_the_newest_backup_and_the_restore_command(sound, tmp_path, how):
    folder = sound.parent / "backups"
    older = B.backup_store(sound, folder / "sla-20260101T000000Z.duckdb").path
    time.sleep(0.05)
    newest = B.backup_store(sound, folder / "sla-20260301T000000Z.duckdb").path
    time.sleep(0.05)
    broken = folder / "sla-20260401T000000Z.duckdb"  # the newest file, itself damaged: not offered
    broken.write_bytes(os.urandom(4096))
    assert older.exists()
    _damage(sound, how)
    for args in (
        ("import", "--db", str(sound), "--contract", str(CONTRACT), "--lang", "en"),
        (
            "report",
            "--db",
            str(sound),
            "--contract",
            CONTRACT_ID,
            "--quarter",
            "2026Q4",
            "--out",
            str(tmp_path / "q.xlsx"),
        ),
        ("backup", "--db", str(sound), "--out", str(tmp_path / "b.duckdb")),
    ):
        done = cli(*args)
        assert "Traceback" not in done.stderr, (args[0], done.stderr)
        assert done.returncode == 2, (args[0], done.returncode, done.stderr)
        assert "is damaged and cannot be read" in done.stderr, (args[0], done.stderr)
        assert f"restore --db {sound} --from {newest}" in done.stderr, (args[0], done.stderr)
        assert "已损坏" in done.stderr
    # and the command it names does bring the store back
    assert cli("restore", "--db", str(sound), "--from", str(newest), "--yes").returncode == 0
    assert (
        cli(
            "report",
            "--db",
            str(sound),
            "--contract",
            CONTRACT_ID,
            "--quarter",
            "2026Q4",
            "--out",
            str(tmp_path / "q.xlsx"),
        ).returncode
        == 0
    )


def test_without_a_backup_it_says_where_it_looked(sound):
    _damage(sound, "garbage")
    with pytest.raises(S.StoreError) as caught:
        S.open_store(sound)
    issue = caught.value.issue
    assert issue.code == "store.damaged"
    assert f"No usable backup was found in {sound.parent / 'backups'}" in issue.en
    assert f"restore --db {sound} --from FILE" in issue.en


def _refuse_writes(monkeypatch, message: str) -> None:
    """Every read-write connection fails as DuckDB fails on such a disk; read-only ones work."""
    real = duckdb.connect

    def connect(database: str = ":memory:", read_only: bool = False, **kw):
        if database.startswith(":memory:"):  # the KPI queries' own in-memory databases
            return real(database, read_only=read_only, **kw)
        if not read_only:
            raise duckdb.IOException(message.format(path=database))
        return real(database, read_only=True, **kw)

    monkeypatch.setattr(store_db.duckdb, "connect", connect)


def test_report_reads_a_store_on_a_read_only_disk(sound, tmp_path, monkeypatch, capsys):
    _refuse_writes(monkeypatch, 'IO Error: Cannot open file "{path}": Read-only file system')
    out = tmp_path / "q3.xlsx"
    code = main(
        ["report", "--db", str(sound), "--contract", CONTRACT_ID, "--quarter", "2026Q4", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert out.stat().st_size > 0
    code = main(["import", "--db", str(sound), "--contract", str(CONTRACT), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "is on a read-only file system" in err and "Traceback" not in err


def test_backup_copies_a_store_on_a_read_only_disk(sound, tmp_path, monkeypatch):
    _refuse_writes(monkeypatch, 'IO Error: Cannot open file "{path}": Read-only file system')
    made = B.backup_store(sound, tmp_path / "b.duckdb")
    assert made.path.read_bytes() == sound.read_bytes() and made.version == S.schema_target()


def test_an_import_on_a_full_disk_says_so_not_busy_and_stores_nothing(sound, tmp_path, monkeypatch, capsys):
    before = S.list_batches(S.Store(sound), CONTRACT_ID)
    path = tmp_path / "more.csv"
    path.write_bytes(csv_bytes(tickets("B", 20)))

    def no_space_at_commit(con: duckdb.DuckDBPyConnection) -> None:  # where DuckDB says it (its WAL)
        raise duckdb.TransactionException(
            f'TransactionContext Error: Failed to commit: Could not write file "{sound}.wal": No space left on device'
        )

    real_run = store_db._run

    def run(store, work, *, transaction=True):
        if transaction:
            return real_run(store, lambda con: (work(con), no_space_at_commit(con))[0], transaction=True)
        return real_run(store, work, transaction=False)

    monkeypatch.setattr(store_db, "_run", run)
    monkeypatch.setattr("sla_core.store.batches._run", run)
    code = main(
        ["import", "--db", str(sound), "--contract", str(CONTRACT), "--tickets", str(path), "--lang", "en"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "the disk is full" in err, err
    assert "busy" not in err and "damaged" not in err and "Traceback" not in err
    monkeypatch.undo()
    assert S.list_batches(S.Store(sound), CONTRACT_ID) == before
