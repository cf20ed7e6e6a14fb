"""Bad paths on the command line: a missing or binary --contract, --out a folder or on a full disk, a
--db that cannot be created — a message naming the file and the reason, and exit 2, never a traceback.

A full disk is simulated in-process (the write's fsync raises ENOSPC): these tests run as root in CI,
and a real device such as /dev/full must never be a target a test could rename a file over."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sla_core import cli, demo, files, workspace

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("paths")
    paths = demo.write_files(demo.generate(), base / "files", lang="zh", fmt="csv")
    db = base / "s.duckdb"
    workspace.load_demo(workspace.open_workspace(db))
    binary = base / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 8)
    (base / "a-folder").mkdir()
    (base / "a-file").write_text("x", encoding="utf-8")
    return base, paths, db


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sla_core", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, (done.returncode, done.stderr)
    for word in words:
        assert word in done.stderr + done.stdout, (word, done.stderr, done.stdout)


def test_a_missing_or_binary_contract(setup):
    base, paths, db = setup
    tickets = str(paths["tickets"])
    refused(run("evaluate", "--contract", str(base / "nope.toml"), "--tickets", tickets), "nope.toml")
    refused(run("evaluate", "--contract", str(base / "binary.toml"), "--tickets", tickets), "not UTF-8 text")
    refused(
        run("import", "--db", str(db), "--contract", str(base / "nope.toml"), "--lang", "en"),
        "nope.toml does not exist",
    )
    refused(
        run("import", "--db", str(db), "--contract", str(base / "binary.toml"), "--lang", "en"),
        "not UTF-8 text",
    )


def test_an_output_that_is_a_folder(setup):
    base, paths, db = setup
    folder = str(base / "a-folder")
    refused(
        run(
            "evaluate",
            "--contract",
            str(paths["contract"]),
            "--tickets",
            str(paths["tickets"]),
            "--tickets-out",
            folder,
        ),
        "a-folder is a folder, not a file",
    )
    refused(
        run("report", "--db", str(db), "--contract", "demo-helpdesk", "--quarter", "2026Q3", "--out", folder),
        "a-folder is a folder, not a file",
    )
    refused(run("backup", "--db", str(db), "--out", folder), "a-folder is a folder, not a file")
    assert (base / "a-folder").is_dir() and not any((base / "a-folder").iterdir())


def test_a_store_that_cannot_be_created(setup):
    base, paths, _ = setup
    under_a_file = str(base / "a-file" / "s.duckdb")
    refused(
        run("import", "--db", under_a_file, "--contract", str(paths["contract"])),
        "a part of the path is a file",
    )
    refused(run("demo", "--db", under_a_file), "a part of the path is a file")
    refused(run("demo", "--out-dir", str(base / "a-file" / "out")), "a part of the path is a file")


def test_backup_never_replaces_what_is_not_a_regular_file(setup):
    """Renaming a backup over a device or a pipe would replace it with the copy (as root, even /dev/full)."""
    base, _, db = setup
    pipe = base / "a-pipe"
    os.mkfifo(pipe)
    refused(run("backup", "--db", str(db), "--out", str(pipe)), "a-pipe is not a regular file")
    assert pipe.is_fifo()


@pytest.fixture
def full_disk(monkeypatch):
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", no_space)


def test_a_full_disk_says_so_and_leaves_nothing_half_written(setup, full_disk, tmp_path, capsys):
    base, paths, db = setup
    csv_out, xlsx_out = tmp_path / "tickets.csv", tmp_path / "q3.xlsx"
    code = cli.main(
        [
            "evaluate",
            "--contract",
            str(paths["contract"]),
            "--tickets",
            str(paths["tickets"]),
            "--tickets-out",
            str(csv_out),
        ]
    )
    assert code == 2 and "the disk is full: cannot write" in capsys.readouterr().err
    code = cli.main(
        [
            "report",
            "--db",
            str(db),
            "--contract",
            "demo-helpdesk",
            "--quarter",
            "2026Q3",
            "--out",
            str(xlsx_out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "the disk is full: cannot write" in err and "q3.xlsx" in err
    assert list(tmp_path.iterdir()) == []  # no truncated file, no temporary one


def test_restore_and_user_add_on_a_full_disk_name_the_users_file_not_a_temporary_one(
    setup, full_disk, tmp_path, capsys, monkeypatch
):
    base, paths, db = setup
    store = tmp_path / "restored.duckdb"
    assert cli.main(["restore", "--db", str(store), "--from", str(db), "--yes"]) == 2
    err = capsys.readouterr().err
    assert f"the disk is full: cannot write {store}" in err and ".restore-" not in err, err
    assert not store.exists()

    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    code = cli.main(["user", "add", "ann", "--secrets", str(secrets), "--db", str(db), "--password-stdin"])
    err = capsys.readouterr().err
    assert code == 2 and f"the disk is full: cannot write {secrets}" in err and ".tmp" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no staging copy, no temporary file left
