"""Timing ingest on large generated files (not a test: run by hand).

python tests/core/ingest/bench_ingest.py csv 1000000
python tests/core/ingest/bench_ingest.py xlsx 100000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from sla_core.contract import load_contract  # noqa: E402
from sla_core.ingest import read_file  # noqa: E402

CONTRACT = ROOT / "tests" / "fixtures" / "contract.example.toml"


def tickets(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, n), unit="s")
    response = created + pd.to_timedelta(rng.integers(60, 7200, n), unit="s")
    resolved = response + pd.to_timedelta(rng.integers(600, 86400 * 3, n), unit="s")
    closed = resolved + pd.to_timedelta(rng.integers(0, 86400 * 2, n), unit="s")
    fmt = "%Y-%m-%d %H:%M:%S"
    return pd.DataFrame(
        {
            "工单号": [f"INC{i:08d}" for i in range(n)],
            "创建时间": created.strftime(fmt),
            "优先级": rng.choice(["P1", "P2", "P3", "紧急", "一般"], n),
            "首次响应时间": response.strftime(fmt),
            "解决时间": resolved.strftime(fmt),
            "关闭时间": closed.strftime(fmt),
            "状态": rng.choice(["已关闭", "已解决", "处理中"], n),
            "类型": rng.choice(["故障", "咨询", "服务请求", "投诉", "建议"], n),
            "渠道": rng.choice(["电话", "邮件", "微信"], n),
            "客户": rng.choice([f"客户{i}" for i in range(50)], n),
            "处理组": rng.choice(["一线", "二线", "网络组"], n),
            "处理人": rng.choice([f"工程师{i}" for i in range(40)], n),
            "重开次数": rng.integers(0, 3, n),
            "一次解决": rng.choice(["是", "否"], n),
        }
    )


def main() -> None:
    fmt, n = sys.argv[1], int(sys.argv[2])
    terms = load_contract(CONTRACT).base
    frame = tickets(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"tickets.{fmt}"
        t0 = time.perf_counter()
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:  # times as date cells, as helpdesk exports write them
            for column in ("创建时间", "首次响应时间", "解决时间", "关闭时间"):
                frame[column] = pd.to_datetime(frame[column])
            with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
                frame.to_excel(writer, index=False)
        t1 = time.perf_counter()
        size = path.stat().st_size / 1e6
        print(f"wrote {n:,} rows, {size:.1f} MB in {t1 - t0:.1f} s")
        t1 = time.perf_counter()
        result = read_file(path, "tickets", terms, now=pd.Timestamp("2027-01-01", tz="UTC").to_pydatetime())
        t2 = time.perf_counter()
        assert result.frame is not None
        print(f"read_file: {len(result.frame):,} rows in {t2 - t1:.2f} s; {len(result.issues)} issues")
        for issue in result.issues[:5]:
            print("  ", issue.level, issue.code, issue.row, issue.column, issue.en)


if __name__ == "__main__":
    main()
