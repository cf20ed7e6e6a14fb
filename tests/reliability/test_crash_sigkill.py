"""No lost data: an import killed with SIGKILL at any point leaves the store openable, with the whole
batch or none of it, and everything stored before it intact.

A worker process imports a large tickets frame as one batch into a store that already holds a small
batch; it prints a marker as the transaction reaches each step, and the test kills it there (or a
little after, to land inside COMMIT and the checkpoint that follows a large commit). The same store
takes every kill in turn, so each run also opens a file left behind by the kill before it.
SLA_CRASH_ROWS sets the frame's size (default 200,000 rows).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from reliability_helpers import CONTRACT_ID, ROOT, assert_sound, new_store, violations

from sla_core import store as S
from sla_core.dataset import conform

WORKER = Path(__file__).with_name("store_worker.py")
ROWS = int(os.environ.get("SLA_CRASH_ROWS", "200000"))
# (marker to wait for, seconds to wait after it). A batch whose COMMIT had not started must be absent;
# one whose COMMIT returned must be there; in between (the WAL write, the checkpoint): whole or absent.
KILLS = [
    ("ready", 0.5),
    ("stage", 0.0),
    ("insert", 0.05),
    ("batch", 0.0),
    ("commit", 0.0),
    ("commit", 0.005),
    ("committed", 0.02),  # closing the connection checkpoints the WAL into the file
    ("done", 0.0),
]
PRIOR = {f"PRIOR-{i}": f"L{i}" for i in range(3)}
RESULTS: list[str] = []


def worker_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def crash_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    store = new_store(folder / "sla.duckdb")
    prior = conform(
        "tickets",
        pd.DataFrame(
            {
                "ticket_id": pd.array(list(PRIOR), dtype="string"),
                "created_at": pd.Series(pd.to_datetime(["2026-03-01 01:00"] * 3, utc=True)).astype(
                    "datetime64[s, UTC]"
                ),
                "priority": pd.array(["P1"] * 3, dtype="string"),
                "team": pd.array(list(PRIOR.values()), dtype="string"),
                "_row": pd.array([2, 3, 4], dtype="Int64"),
            }
        ),
    )
    S.import_frame(
        store,
        CONTRACT_ID,
        "tickets",
        prior,
        file_name="prior.csv",
        sha256="prior",
        columns_present=["ticket_id", "created_at", "priority", "team"],
        user="tester",
    )
    n = ROWS
    big = conform(
        "tickets",
        pd.DataFrame(
            {
                "ticket_id": pd.array(np.char.add("K", np.arange(n).astype(str)), dtype="string"),
                "created_at": pd.Series(
                    pd.Timestamp("2026-03-01", tz="UTC") + pd.to_timedelta(np.arange(n) % 2_000_000, unit="s")
                ).astype("datetime64[s, UTC]"),
                "priority": pd.array(np.where(np.arange(n) % 3, "P2", "P1"), dtype="string"),
                "team": pd.array(["attempt-0"] * n, dtype="string"),
                "_row": pd.array(np.arange(2, n + 2), dtype="Int64"),
            }
        ),
    )
    frame_path = folder / "big.parquet"
    big.to_parquet(frame_path)
    state = {"landed": None, "attempts": 0}  # landed: the attempt whose batch holds the K… keys
    yield store, frame_path, state
    print("\nSIGKILL results:", "; ".join(RESULTS))


def _kill_at(store: S.Store, frame_path: Path, attempt: int, marker: str, delay: float) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), "frame", str(store.path), str(frame_path), str(attempt)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=worker_env(),
    )
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line.split()[0])
            if seen[-1] == marker:
                if delay:
                    time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
        seen += [line.split()[0] for line in proc.stdout.read().splitlines() if line]  # what it reached
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
        err = proc.stderr.read() if proc.stderr else ""
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert marker in seen, (seen, err[-2000:])
    assert proc.returncode in (-signal.SIGKILL, 0), (proc.returncode, err[-2000:])
    return seen


@pytest.mark.parametrize(("marker", "delay"), KILLS, ids=[f"{m}+{d}s" for m, d in KILLS])
def test_sigkill_leaves_the_whole_batch_or_none(crash_store, marker, delay):
    store, frame_path, state = crash_store
    state["attempts"] += 1
    attempt = state["attempts"]
    seen = _kill_at(store, frame_path, attempt, marker, delay)

    reopened = S.open_store(store.path)  # replays the write-ahead log, if the kill left one
    assert S.schema_version(reopened) == S.schema_target()
    assert_sound(reopened)
    batches = {b.sha256: b for b in S.list_batches(reopened, CONTRACT_ID)}
    landed = f"big-{attempt}" in batches
    if "commit" not in seen:
        assert not landed, seen
    if "committed" in seen:
        assert landed, seen
    with S.connect(reopened) as con:
        teams = con.execute(
            "SELECT team, count(*) FROM tickets_rows WHERE is_current AND ticket_id LIKE 'K%' GROUP BY team"
        ).fetchall()
        prior = dict(
            con.execute("SELECT ticket_id, team FROM tickets_rows WHERE ticket_id LIKE 'PRIOR-%'").fetchall()
        )
        versions = con.execute("SELECT count(*) FROM tickets_rows").fetchall()[0][0]
    if landed:
        batch = batches[f"big-{attempt}"]
        assert batch.rows == ROWS and batch.status == "active"
        state["landed"] = attempt
    expected = [] if state["landed"] is None else [(f"attempt-{state['landed']}", ROWS)]
    assert teams == expected  # every key of the last landed batch, none of a half-written one
    assert prior == PRIOR  # what was stored before is untouched
    assert versions == sum(b.rows for b in batches.values())
    reached = next((m for m in ("committed", "commit", "batch", "insert", "stage") if m in seen), "ready")
    RESULTS.append(f"{marker}+{delay}s (reached {reached}): {'landed whole' if landed else 'absent'}")


def test_the_invariant_checks_see_a_half_written_batch(tmp_path):
    """The checks above would notice damage: cut half of a batch's rows, orphan a row, double a key."""
    store = new_store(tmp_path / "sla.duckdb")
    frame = conform(
        "tickets",
        pd.DataFrame(
            {
                "ticket_id": pd.array([f"T{i}" for i in range(10)], dtype="string"),
                "created_at": pd.Series(pd.to_datetime(["2026-03-01"] * 10, utc=True)).astype(
                    "datetime64[s, UTC]"
                ),
                "priority": pd.array(["P1"] * 10, dtype="string"),
                "_row": pd.array(range(2, 12), dtype="Int64"),
            }
        ),
    )
    S.import_frame(
        store,
        CONTRACT_ID,
        "tickets",
        frame,
        file_name="t.csv",
        sha256="t",
        columns_present=["ticket_id", "created_at", "priority"],
        user="tester",
    )
    assert_sound(store)
    with S.connect(store) as con:
        con.execute("DELETE FROM tickets_rows WHERE ticket_id IN ('T1', 'T2')").fetchall()
        con.execute("UPDATE tickets_rows SET batch_id = 99 WHERE ticket_id = 'T3'").fetchall()
        con.execute("INSERT INTO tickets_rows SELECT * FROM tickets_rows WHERE ticket_id = 'T4'").fetchall()
        broken = violations(con)
    assert {
        "tickets: batch row counts",
        "tickets: orphan rows",
        "tickets: two current versions",
        "tickets: duplicate keys in a batch",
    } <= set(broken)
