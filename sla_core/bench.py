"""`python -m sla_core bench`: the benchmark suite of the project's bench/ directory (not a test).

The suite itself lives in bench/ at the top of the project (it drives the app in a browser and
compares with other packages, which the core never imports); this only registers the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def add_bench_command(sub: Any) -> None:
    """Register `python -m sla_core bench` on the command line's sub-parsers."""
    bp = sub.add_parser(
        "bench",
        help="benchmark every stage at 10k/100k/1M tickets against a peer (figures, not a test)",
        description="Run the benchmark suite of bench/ and print time, peak memory and the ratio to a "
        "peer measured in the same run, per stage and size (see bench/README.md).",
    )
    try:
        run = _bench_run()
    except ImportError:
        bp.set_defaults(func=_missing)
        return
    run.add_arguments(bp)
    bp.set_defaults(func=cmd_bench)


def _bench_run() -> Any:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import run

    return run


def cmd_bench(args: argparse.Namespace) -> int:
    return int(_bench_run().main_with(args))


def _missing(args: argparse.Namespace) -> int:
    print("bench/ is not there: the benchmark suite runs from a checkout of the project", file=sys.stderr)
    return 1
