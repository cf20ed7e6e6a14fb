"""One writing process at a time: calls retry while another process holds the file, then say "busy"."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace

import pytest
from store_helpers import current, do_import, tickets

from sla_core import store as S

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
con.execute("INSERT INTO audit_log VALUES (0, now(), 'other process', 'hold', NULL, '{}')").fetchall()
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
con.close()
print("released", flush=True)
"""


@pytest.fixture
def hold(st):
    """Start another process that opens the store for writing and keeps it for `seconds`."""
    started: list[subprocess.Popen[str]] = []

    def start(seconds: float) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(st.path), str(seconds)], stdout=subprocess.PIPE, text=True
        )
        started.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def counting_opens(monkeypatch) -> list[int]:
    opens: list[int] = []
    real = S.db._open

    def counted(store: S.Store):
        opens.append(1)
        return real(store)

    monkeypatch.setattr(S.db, "_open", counted)
    return opens


def test_busy_after_the_retries(st, hold, monkeypatch):
    hold(30)
    opens = counting_opens(monkeypatch)
    impatient = replace(st, tries=3, busy_timeout=0.3)
    with pytest.raises(S.StoreBusy) as busy:
        S.save_mapping(impatient, "acme", "tickets", {"a": "ticket_id"}, "tester")
    assert len(opens) == 3
    issue = busy.value.issue
    assert (issue.code, issue.level) == ("store.busy", "error")
    assert issue.zh == "数据库正忙，请稍后重试" and issue.en == "The database is busy; please retry."
    with pytest.raises(S.StoreBusy):  # reads wait for the file too
        S.current_dataset(impatient, "acme")


def test_retry_succeeds_once_the_other_process_lets_go(st, hold, monkeypatch):
    proc = hold(0.5)
    opens = counting_opens(monkeypatch)
    patient = replace(st, tries=30, busy_timeout=15)
    S.save_mapping(patient, "acme", "tickets", {"a": "ticket_id"}, "tester")
    assert len(opens) > 1  # it met the lock at least once
    assert proc.wait(timeout=10) == 0
    assert S.load_mapping(st, "acme", "tickets") == {"a": "ticket_id"}
    # the other process's uncommitted write is not there
    assert all(e.actor != "other process" for e in S.audit_log(st, "acme"))


def test_threads_each_use_their_own_connection(st):
    errors: list[BaseException] = []
    patient = replace(st, tries=20, busy_timeout=10)

    def worker(cid: str, start: int) -> None:
        try:
            for n in range(3):
                data = tickets([{"ticket_id": f"T{start + n}-{i}", "team": cid} for i in range(20)])
                do_import(
                    patient,
                    "tickets",
                    data,
                    ["ticket_id", "created_at", "priority", "team"],
                    cid=cid,
                    sha=f"{cid}-{start}-{n}",
                )
                S.current_dataset(patient, cid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(cid, start)) for cid in ("acme", "beta") for start in (0, 100)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for cid in ("acme", "beta"):
        now = current(st, cid=cid)
        assert len(now) == 2 * 3 * 20 and set(now["team"]) == {cid}
        assert len(S.list_batches(st, cid)) == 6
