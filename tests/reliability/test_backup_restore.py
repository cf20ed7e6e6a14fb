"""`python -m sla_core backup` / `restore`: consistent copies, refusals, and a backup of whatever a
restore replaces."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hostile_corpus import csv_bytes, tickets
from reliability_helpers import CONTRACT_ID, ROOT, assert_sound, fingerprint, new_store

from sla_core import backup as B
from sla_core import store as S
from sla_core import workspace as W
from sla_core.cli import main

WRITER_ROUNDS = 3
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _import(store: S.Store, tmp: Path, prefix: str, n: int = 5) -> int:
    path = tmp / f"{prefix}.csv"
    path.write_bytes(csv_bytes(tickets(prefix, n)))
    report = W.import_file(store, CONTRACT_ID, "tickets", path, user="tester")
    assert report.stored and report.outcome is not None and report.outcome.batch_id is not None
    return report.outcome.batch_id


def _ids(store: S.Store) -> list[str]:
    data = S.current_dataset(store, CONTRACT_ID).tickets
    return [] if data is None else sorted(data["ticket_id"])


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    store = new_store(folder / "sla.duckdb")
    _import(store, folder, "A")
    _import(store, folder, "B")
    with S.connect(store) as con:
        con.execute("CHECKPOINT").fetchall()
    return store.path


@pytest.fixture
def filled(template, tmp_path):
    """A store with the example contract and two batches (a copy of one made once)."""
    path = tmp_path / "data" / "sla.duckdb"
    path.parent.mkdir()
    shutil.copy2(template, path)
    return S.open_store(path)


def test_backup_and_restore_on_the_command_line(filled, tmp_path):
    out = tmp_path / "copies" / "monday.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "sla_core", "backup", "--db", str(filled.path), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "已备份到" in done.stdout and "backup written to" in done.stdout
    before = _ids(filled)
    assert _ids(S.Store(out)) == before

    later = _import(filled, tmp_path, "C")  # the day goes on: more imports, an undo
    S.undo_batch(filled, CONTRACT_ID, later, "tester")
    _import(filled, tmp_path, "D")
    changed = fingerprint(filled)
    assert _ids(filled) != before

    done = subprocess.run(
        [sys.executable, "-m", "sla_core", "restore", "--db", str(filled.path), "--from", str(out), "--yes"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout and "已从" in done.stdout
    assert _ids(filled) == before
    assert_sound(filled)
    # what the restore replaced is kept, exactly
    previous = sorted((filled.path.parent / "backups").glob("sla-before-restore-*.duckdb"))
    assert len(previous) == 1
    assert fingerprint(S.Store(previous[0])) == changed


def test_backup_default_place_and_in_process_calls(filled, capsys):
    assert main(["backup", "--db", str(filled.path)]) == 0
    made = sorted((filled.path.parent / "backups").glob("sla-*.duckdb"))
    assert len(made) == 1
    assert B.store_version(made[0]) == S.schema_target()
    assert str(made[0]) in capsys.readouterr().out
    copy = B.backup_store(filled.path, filled.path.parent / "x.duckdb")
    assert copy.version == S.schema_target() and copy.size > 0


def test_backup_waits_for_a_writer_then_says_busy(filled, tmp_path):
    copy = B.backup_store(filled.path, tmp_path / "copy.duckdb").path
    before = filled.path.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(filled.path), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        with pytest.raises(S.StoreBusy):
            B.backup_store(filled.path, filled.path.parent / "busy.duckdb", tries=2, busy_timeout=0.2)
        assert not (filled.path.parent / "busy.duckdb").exists()
        with pytest.raises(S.StoreBusy):  # a restore cannot take its backup of the current file
            B.restore_store(filled.path, copy, tries=2, busy_timeout=0.2)
        assert filled.path.read_bytes() == before
    finally:
        proc.kill()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_backups_taken_while_another_process_imports_are_all_consistent(filled, tmp_path):
    """A writer process imports round after round; every backup taken meanwhile is a sound store
    holding whole batches only."""
    names = []
    for r in range(WRITER_ROUNDS):
        rows = tickets(f"W{r}", 1000)
        (tmp_path / f"writer-{r}.csv").write_bytes(csv_bytes(rows))
        (tmp_path / f"go-{r}").touch()
        names.append(f"writer-{r}.csv")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("store_worker.py")),
            "files",
            str(filled.path),
            str(tmp_path),
            "writer",
            str(WRITER_ROUNDS),
            "200",
            "60",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    copies = []
    try:
        while proc.poll() is None and len(copies) < 8:
            copies.append(
                B.backup_store(
                    filled.path, tmp_path / f"copy-{len(copies)}.duckdb", tries=200, busy_timeout=60
                )
            )
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert copies
    for copy in copies:
        store = S.Store(copy.path)
        assert_sound(store)
        for batch in S.list_batches(store, CONTRACT_ID):
            assert batch.rows in (5, 1000)


def test_restore_refuses_what_is_not_a_store_of_this_release(filled, tmp_path, capsys):
    before = fingerprint(filled)
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database")
    foreign = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE something (x INTEGER)").fetchall()
    con.close()
    newer = tmp_path / "newer.duckdb"
    B.backup_store(filled.path, newer)
    con = duckdb.connect(str(newer))
    con.execute("INSERT INTO schema_version VALUES (99, now())").fetchall()
    con.close()
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    for source, code in [
        (text, "backup.not_store"),
        (foreign, "backup.not_store"),
        (newer, "backup.newer"),
        (empty, "backup.not_store"),
        (tmp_path / "nowhere.duckdb", "backup.missing"),
    ]:
        with pytest.raises(S.StoreError) as refused:
            B.restore_store(filled.path, source)
        issue = refused.value.issue
        assert issue.code == code, (source, issue)
        assert issue.zh and issue.en
        assert main(["restore", "--db", str(filled.path), "--from", str(source), "--yes"]) == 2
    assert fingerprint(filled) == before
    assert not list((filled.path.parent / "backups").glob("*before-restore*"))
    err = capsys.readouterr().err
    assert "newer than this release" in err and "高于本程序支持" in err


def test_restore_asks_before_replacing(filled, tmp_path, capsys, monkeypatch):
    copy = B.backup_store(filled.path, tmp_path / "copy.duckdb").path
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert main(["restore", "--db", str(filled.path), "--from", str(copy)]) == 2
    assert "--yes" in capsys.readouterr().err
    fresh = tmp_path / "new" / "sla.duckdb"  # nothing to replace: no question
    assert main(["restore", "--db", str(fresh), "--from", str(copy)]) == 0
    assert _ids(S.Store(fresh)) == _ids(filled)


def test_restore_over_a_damaged_store_keeps_the_damaged_bytes(filled, tmp_path):
    copy = B.backup_store(filled.path, tmp_path / "copy.duckdb").path
    expected = _ids(filled)
    garbage = os.urandom(50_000)
    filled.path.write_bytes(garbage)
    with pytest.raises(S.StoreError):
        B.backup_store(filled.path, tmp_path / "broken-backup.duckdb")
    done = B.restore_store(filled.path, copy)
    assert done.previous is not None and done.previous.read_bytes() == garbage
    assert _ids(filled) == expected
    assert_sound(filled)


def test_restore_of_an_older_backup_migrates_it_with_a_backup_first(filled, tmp_path, monkeypatch):
    old = B.backup_store(filled.path, tmp_path / "old.duckdb").path
    target = S.schema_target()

    def add_column(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("ALTER TABLE actions ADD COLUMN severity VARCHAR").fetchall()

    monkeypatch.setattr(S.db, "MIGRATIONS", [*S.MIGRATIONS, (target + 1, add_column)])
    S.open_store(filled.path)  # this release migrates the live store (with its backup)
    done = B.restore_store(filled.path, old)
    assert done.version == target
    assert S.schema_version(filled) == target + 1  # the restored backup was migrated on opening
    backups = sorted(p.name for p in (filled.path.parent / "backups").glob("*.duckdb"))
    migrations = [b for b in backups if "before-restore" not in b]
    assert len(migrations) == 2  # one per migration: the live store's, then the restored file's
    assert len(backups) == 3
    with S.connect(filled) as con:
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'actions'"
            ).fetchall()
        }
    assert "severity" in columns
    assert_sound(filled)


def test_the_restored_store_serves_the_same_numbers(filled, tmp_path):
    copy = B.backup_store(filled.path, tmp_path / "copy.duckdb").path
    before = S.current_dataset(filled, CONTRACT_ID).tickets
    shutil.copy2(copy, tmp_path / "second.duckdb")
    B.restore_store(filled.path, tmp_path / "second.duckdb")
    after = S.current_dataset(filled, CONTRACT_ID).tickets
    assert before is not None and after is not None
    pd.testing.assert_frame_equal(before, after)
    assert S.data_version(filled, CONTRACT_ID)


def test_a_full_disk_is_said_as_such_not_as_a_damaged_store(filled, tmp_path, monkeypatch, capsys):
    """Told "damaged", an operator restores a sound store; a full disk needs space, not a restore."""
    import errno

    def no_space_on_copy(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:  # the backup's own disk is full
        m.setattr(B.os, "fsync", no_space_on_copy)
        assert main(["backup", "--db", str(filled.path), "--out", str(tmp_path / "b.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "the disk is full" in err and "damaged" not in err
    assert not list(tmp_path.glob("*b.duckdb*"))  # no partial copy left

    def checkpoint_on_a_full_disk(db, target, store):  # the store's disk is full: DuckDB says so in text
        raise duckdb.IOException(f'IO Error: Could not write file "{db}": No space left on device')

    with monkeypatch.context() as m:
        m.setattr(B, "_consistent_copy", checkpoint_on_a_full_disk)
        with pytest.raises(S.StoreError) as caught:
            B.backup_store(filled.path, tmp_path / "b.duckdb")
    assert caught.value.issue.code == "file.disk_full"
    assert "damaged" not in caught.value.issue.en and "已损坏" not in caught.value.issue.zh
