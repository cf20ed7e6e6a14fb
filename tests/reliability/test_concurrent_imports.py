"""Two processes import different files into one store at the same moment: both land, or the one
that waited too long gets the bilingual "busy, retry" — never a half-written batch, never corruption.

Each worker process runs several rounds; in each, both start on the same signal (a file appearing).
Patient workers (the store's retry window longer than an import) must both land; impatient ones
(two quick tries) let the loser give up. Both files hold one shared ticket: the later batch wins it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hostile_corpus import HEADER, csv_bytes
from reliability_helpers import CONTRACT_ID, ROOT, assert_sound, new_store

from sla_core import store as S

WORKER = Path(__file__).with_name("store_worker.py")
ROUNDS = 3
ROWS = 3000
BUSY = ("store.busy", "数据库正忙，请稍后重试", "The database is busy; please retry.")


def _files(folder: Path, name: str) -> None:
    for r in range(ROUNDS):
        rows = [[*HEADER, "处理组"]]
        rows += [[f"{name}-{r}-{i}", "2026-10-01 09:00", "P2", "", "", name] for i in range(ROWS)]
        rows.append([f"SHARED-{r}", "2026-10-01 09:00", "P1", "", "", name])
        (folder / f"{name}-{r}.csv").write_bytes(csv_bytes(rows))


def _start(store: S.Store, folder: Path, name: str, tries: int, timeout: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(WORKER),
            "files",
            str(store.path),
            str(folder),
            name,
            str(ROUNDS),
            str(tries),
            str(timeout),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize(("mode", "tries", "timeout"), [("patient", 60, 60.0), ("impatient", 2, 0.02)])
def test_two_processes_import_at_once(tmp_path, mode, tries, timeout):
    store = new_store(tmp_path / "sla.duckdb")
    names = ("alpha", "beta")
    for name in names:
        _files(tmp_path, name)
    workers = {name: _start(store, tmp_path, name, tries, timeout) for name in names}
    errors = {}
    summary: Counter[str] = Counter()
    try:
        for r in range(ROUNDS):
            (tmp_path / f"go-{r}").touch()
            results = {}
            for name, proc in workers.items():
                assert proc.stdout is not None
                line = proc.stdout.readline()
                assert line, proc.stderr.read() if proc.stderr else ""
                results[name] = json.loads(line)
                assert results[name]["round"] == r
            _check_round(store, r, results, mode, summary)
        for proc in workers.values():  # let them finish (closing DuckDB, leaving Python) on their own
            proc.wait(timeout=60)
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
            errors[proc.pid] = (proc.returncode, proc.stderr.read()[-3000:] if proc.stderr else "")
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
    assert all(proc.returncode == 0 for proc in workers.values()), errors
    print(f"\n{mode}: {dict(summary)}")


def _check_round(store: S.Store, r: int, results: dict[str, dict], mode: str, summary: Counter[str]) -> None:
    assert_sound(store)
    batches = {b.file_name: b for b in S.list_batches(store, CONTRACT_ID)}
    data = S.current_dataset(store, CONTRACT_ID).tickets
    assert data is not None
    team = dict(zip(data["ticket_id"], data["team"], strict=True))
    landed = {}
    for name, result in results.items():
        batch = batches.get(f"{name}-{r}.csv")
        if "busy" in result:
            assert (result["busy"], result["zh"], result["en"]) == BUSY
            assert mode == "impatient", "a patient worker gave up"
            assert batch is None, "told busy, but its batch landed"
            summary["busy"] += 1
        else:
            assert batch is not None and result["landed"] == batch.batch_id
            summary["landed"] += 1
        if batch is not None:
            assert batch.rows == ROWS + 1 and batch.status == "active"
            mine = [f"{name}-{r}-{i}" for i in range(ROWS)]
            assert all(team.get(t) == name for t in mine), "a batch landed in part"
            landed[name] = batch.batch_id
        else:
            assert not any(t.startswith(f"{name}-{r}-") for t in team), "a refused batch left rows"
    assert landed, "neither import landed"
    assert team[f"SHARED-{r}"] == max(landed, key=landed.__getitem__)  # the later batch wins
    if len(landed) == 2:
        summary["both landed"] += 1
