"""Export time and size of the Excel report for a demo year of N tickets (default 1,000,000).

    python tests/core/bench_report.py [N] [--out DIR]

Prints the time to generate and evaluate the year (not part of the export), then for each report
(a quarter and a month, Chinese and English) the time `build_report` takes and the file size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sla_core.demo import demo_contract, generate
from sla_core.evaluate import evaluate
from sla_core.report import build_report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the workbooks here")
    parser.add_argument("--periods", default="2026Q2,2026Q4,2026-06")
    args = parser.parse_args()

    start = time.perf_counter()
    demo = generate(args.n)
    print(f"generate {args.n:,} tickets: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    ev = evaluate(demo_contract(), demo.dataset(), as_of=demo.as_of.timestamp())
    print(
        f"evaluate: {time.perf_counter() - start:.1f} s ({len(ev.tickets):,} tickets, {len(ev.responses):,} responses)"
    )
    build_report(ev, "2026-01", "en")  # imports and format tables warmed once
    for period in args.periods.split(","):
        tickets = int(ev.tickets["month_key"].isin(_keys(period)).sum())
        for lang in ("zh", "en"):
            start = time.perf_counter()
            data = build_report(ev, period, lang)
            took = time.perf_counter() - start
            print(
                f"report {period} {lang}: {took:.2f} s, {len(data) / 1e6:.2f} MB ({tickets:,} tickets in the period)"
            )
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"report_{args.n}_{period}_{lang}.xlsx").write_bytes(data)


def _keys(period: str) -> list[int]:
    from sla_core.periods import month_key, quarter_months

    return quarter_months(period) if "Q" in period else [month_key(period)]


if __name__ == "__main__":
    main()
