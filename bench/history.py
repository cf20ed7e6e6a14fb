"""Timing a status-history import on a large generated event log (not a test: run by hand).

python -m bench.history 1000000

One row per status change (ticket, time, state, assignee, priority), 5 to 9 events per ticket with
pauses, reopens, duplicates, shuffled rows and tickets still open; timed from the CSV bytes to the
derived tickets (reading, validation and derivation), then the derivation alone and the evaluation.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sla_core.contract import load_contract  # noqa: E402
from sla_core.dataset import Dataset  # noqa: E402
from sla_core.evaluate import evaluate  # noqa: E402
from sla_core.ingest import read_history  # noqa: E402

CONTRACT = ROOT / "tests" / "fixtures" / "contract.example.toml"
CYCLE = ("新建", "处理中", "挂起", "处理中", "已解决", "处理中", "已解决", "已关闭")


def event_log(n_events: int, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    per = rng.integers(5, 9, size=n_events // 5)
    per = per[: np.searchsorted(np.cumsum(per), n_events) + 1]
    ticket = np.repeat(np.arange(len(per)), per)[:n_events]
    step = np.arange(len(ticket)) - np.repeat(np.cumsum(per) - per, per)[: len(ticket)]
    created = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, len(per)), unit="s")
    gap = pd.Series(rng.integers(60, 4 * 3600, len(ticket))).groupby(ticket).cumsum().to_numpy()
    when = created.to_numpy()[ticket] + gap.astype("timedelta64[s]")
    frame = pd.DataFrame(
        {
            "工单号": pd.Series(ticket).map("INC{:08d}".format),
            "变更时间": pd.Series(when).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "状态": np.asarray(CYCLE, dtype=object)[np.minimum(step, len(CYCLE) - 1)],
            "处理人": rng.choice(["张伟", "王磊", "李强", "赵敏"], len(ticket)),
            "优先级": rng.choice(["紧急", "重要", "一般"], len(ticket)),
        }
    )
    dup = rng.choice(len(frame), size=len(frame) // 200, replace=False)  # 0.5 % duplicated events
    frame = pd.concat([frame, frame.iloc[dup]]).sample(frac=1.0, random_state=seed)  # shuffled
    return frame.head(n_events).to_csv(index=False).encode()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    contract = load_contract(CONTRACT)
    data = event_log(n)
    print(f"{n:,} events, {len(data) / 1e6:.1f} MB of CSV")
    began = time.perf_counter()
    result = read_history(data, contract, file_name="events.csv")
    took = time.perf_counter() - began
    h = result.history
    print(f"read + validate + derive: {took:.2f} s (derivation {h.seconds:.2f} s)")
    print(h.summary("en"))
    print(f"errors: {len(result.errors)}, tickets: {len(result.frame):,}")
    began = time.perf_counter()
    evaluate(contract, Dataset(tickets=result.frame, columns={"tickets": result.columns_present}))
    print(f"evaluate the derived tickets: {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
