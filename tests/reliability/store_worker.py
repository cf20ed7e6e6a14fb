"""A separate process that writes to a store, for the crash and concurrency tests.

python store_worker.py frame STORE FRAME.parquet ATTEMPT
    imports the canonical tickets frame as one batch (sha256 and team vary with ATTEMPT), printing
    a marker line as the transaction reaches each step: stage, merge, supersede, insert, batch,
    commit (the last statement before COMMIT ran), done (import_frame returned)
python store_worker.py file STORE FILE KIND GO TRIES TIMEOUT
    waits until the file GO exists, then imports FILE through workspace.import_file; prints one
    JSON line: {"landed": batch_id, "rows": n} or {"busy": code, "zh": ..., "en": ...}
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from sla_core import store as S
from sla_core import workspace as W

MARKERS = (  # (text of a statement, marker printed before it runs); the SQL in sql/store/import_*.sql
    (" stage AS", "stage"),
    (" merged AS", "merge"),
    ("SET is_current = false", "supersede"),
    ("INSERT INTO tickets_rows", "insert"),
    ("INSERT INTO batches", "batch"),
)


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Marked:
    """A connection that prints a marker before the statements of an import, and around its COMMIT."""

    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        for needle, marker in MARKERS:
            if needle in query:
                say(marker)
        commit = query.strip().upper() == "COMMIT"
        if commit:
            say("commit")
        result = self._con.execute(query, *args, **kwargs)
        if commit:
            say("committed")
        return result

    def sql(self, query: str, *args: Any, **kwargs: Any) -> Any:
        for needle, marker in MARKERS:
            if needle in query:
                say(marker)
        return self._con.sql(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def import_frame(path: str, frame_path: str, attempt: int) -> None:
    store = S.Store(Path(path), tries=50, busy_timeout=20)
    frame = pd.read_parquet(frame_path)
    frame["team"] = pd.array([f"attempt-{attempt}"] * len(frame), dtype="string")
    real = S.db._open
    S.db._open = lambda store: Marked(real(store))  # type: ignore[assignment,return-value]
    say("ready")
    outcome = S.import_frame(
        store,
        "demo-helpdesk",
        "tickets",
        frame,
        file_name=f"big-{attempt}.csv",
        sha256=f"big-{attempt}",
        columns_present=["ticket_id", "created_at", "priority", "team"],
        user="crash-test",
    )
    say(f"done {outcome.batch_id} {outcome.rows}")


def import_files(path: str, folder: str, name: str, rounds: int, tries: int, timeout: float) -> None:
    store = replace(S.Store(Path(path)), tries=tries, busy_timeout=timeout)
    for r in range(rounds):
        go = Path(folder) / f"go-{r}"
        while not go.exists():
            time.sleep(0.002)
        file = Path(folder) / f"{name}-{r}.csv"
        try:
            report = W.import_file(store, "demo-helpdesk", "tickets", file, user=name)
        except S.StoreBusy as busy:
            issue = busy.issue
            say(
                json.dumps(
                    {"round": r, "busy": issue.code, "zh": issue.zh, "en": issue.en}, ensure_ascii=False
                )
            )
            continue
        outcome = report.outcome
        landed = outcome.batch_id if outcome else None
        say(json.dumps({"round": r, "landed": landed, "rows": outcome.rows if outcome else 0}))


if __name__ == "__main__":
    if sys.argv[1] == "frame":
        import_frame(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        import_files(
            sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
        )
