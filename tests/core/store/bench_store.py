"""Time `import_frame` and `current_dataset` on generated tickets (not collected by pytest).

PYTHONPATH=. .venv/bin/python tests/core/store/bench_store.py [N]    # N defaults to 1,000,000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sla_core import store
from sla_core.dataset import SCHEMA, conform

CONTRACT = """
[contract]
id = "bench"
effective_from = 2026-01-01

[[priorities]]
id = "P1"
response = "15m"
resolution = "2h"

[[priorities]]
id = "P2"
response = "1h"
resolution = "8h"
"""


def tickets(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 300 * 86400, n), unit="s"
    )
    response = created + pd.to_timedelta(rng.integers(60, 7200, n), unit="s")
    resolved = created + pd.to_timedelta(rng.integers(3600, 5 * 86400, n), unit="s")
    frame = pd.DataFrame(
        {
            "ticket_id": pd.array([f"T{i:07d}" for i in range(n)], dtype="string"),
            "created_at": created,
            "priority": pd.array(np.where(rng.random(n) < 0.2, "P1", "P2"), dtype="string"),
            "first_response_at": response,
            "resolved_at": resolved.where(rng.random(n) < 0.95),
            "status": pd.array(np.where(rng.random(n) < 0.9, "closed", "active"), dtype="string"),
            "category": pd.array(rng.choice(["fault", "request", "inquiry", "complaint"], n), dtype="string"),
            "team": pd.array(rng.choice(["L1", "L2", "DB", "NET"], n), dtype="string"),
            "reopened_count": pd.array(rng.integers(0, 3, n), dtype="Int64"),
            "first_contact_resolved": rng.random(n) < 0.8,
        }
    )
    return conform("tickets", frame)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frame = tickets(n)
    present = [
        c
        for c in SCHEMA["tickets"]
        if c
        in (
            "ticket_id",
            "created_at",
            "priority",
            "first_response_at",
            "resolved_at",
            "status",
            "category",
            "team",
            "reopened_count",
            "first_contact_resolved",
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        st = store.open_store(Path(tmp) / "bench.duckdb")
        store.save_contract(st, CONTRACT, "bench")
        t0 = time.perf_counter()
        first = store.import_frame(
            st,
            "bench",
            "tickets",
            frame,
            file_name="t1.xlsx",
            sha256="one",
            columns_present=present,
            user="bench",
        )
        t1 = time.perf_counter()
        changed = frame.copy()
        changed.loc[changed.index[::10], "status"] = "resolved"
        second = store.import_frame(
            st,
            "bench",
            "tickets",
            changed,
            file_name="t2.xlsx",
            sha256="two",
            columns_present=present,
            user="bench",
        )
        t2 = time.perf_counter()
        data = store.current_dataset(st, "bench")
        t3 = time.perf_counter()
        undo = store.undo_batch(st, "bench", second.batch_id or 0, "bench")
        t4 = time.perf_counter()
        size = (Path(tmp) / "bench.duckdb").stat().st_size
    assert data.tickets is not None and len(data.tickets) == n
    print(f"{n:,} tickets")
    print(f"import_frame (new store, all inserted): {t1 - t0:6.2f} s  {first}")
    print(
        f"import_frame (re-import, 10% updated):  {t2 - t1:6.2f} s  inserted={second.inserted} "
        f"updated={second.updated} unchanged={second.unchanged}"
    )
    print(f"current_dataset:                        {t3 - t2:6.2f} s")
    print(f"undo_batch (the re-import):             {t4 - t3:6.2f} s  restored={undo.restored}")
    print(f"file size after two imports: {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
