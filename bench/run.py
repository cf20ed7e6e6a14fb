"""Run the benchmark suite: `python -m bench.run [--sizes 10000,100000,1000000] [--stages …] [--quick]`.

For every stage and size the data is made (cached) by the demo generator, then our code and its peer
run one after the other, each in a fresh child process; the table gives the time (best of up to three
runs for anything under two seconds), the child's peak memory (ru_maxrss), and the ratio to the peer.
A second table shows how each stage's time grows from size to size; a third checks the goals.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import CODE_ENV, GIB, MIB, OUT, ROOT, VARIANT_ENV, env_with_root

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
BIG = 1_000_000


@dataclass
class Row:
    """One line of the table: a figure of ours, and the peer's figure it is compared with."""

    stage: str
    label: str
    ours: tuple[str, str]  # (task, field)
    peer: tuple[str, str] | None
    faster_is: str = "peer/ours"  # ratio shown: how many times faster we are ("peer/ours") or ours/peer
    memory: str = "peak_rss"  # field of the ours task holding its peak memory
    peer_memory: str = "peak_rss"


@dataclass
class Stage:
    id: str
    title: str
    tasks: list[str]
    data: list[str]
    rows: list[Row]
    max_size: dict[str, int] = field(default_factory=dict)  # task → largest size it runs at


def stages(args: argparse.Namespace) -> list[Stage]:
    return [
        Stage(
            "xlsx",
            "read + validate a ticket xlsx",
            ["xlsx_ours", "xlsx_peer"],
            ["xlsx"],
            [
                Row(
                    "xlsx",
                    "read_file (calamine + validation)",
                    ("xlsx_ours", "seconds"),
                    ("xlsx_peer", "seconds"),
                )
            ],
            max_size={"xlsx_peer": args.xlsx_peer_max},
        ),
        Stage(
            "csv",
            "read + validate + store a ticket csv",
            ["csv_ours", "csv_peer"],
            ["csv"],
            [
                Row(
                    "csv",
                    "import_file: read + validate + store",
                    ("csv_ours", "seconds"),
                    ("csv_peer", "seconds"),
                    "ours/peer",
                ),
                Row("csv", "  of which read + validate", ("csv_ours", "read_validate_seconds"), None),
                Row("csv", "  of which store (import_frame)", ("csv_ours", "store_seconds"), None),
            ],
        ),
        Stage(
            "hours",
            "business-hours response and resolution",
            ["hours_ours", "hours_peer"],
            ["year"],
            [
                Row(
                    "hours",
                    "compute_outcomes (every ticket, its clock)",
                    ("hours_ours", "seconds"),
                    ("hours_peer", "seconds"),
                ),
                Row(
                    "hours",
                    "calendar.elapsed alone (2 durations/ticket)",
                    ("hours_ours", "calendar_seconds"),
                    ("hours_peer", "seconds"),
                ),
                Row(
                    "hours",
                    "compute_outcomes, real CN calendar",
                    ("hours_ours", "real_contract_seconds"),
                    None,
                ),
            ],
        ),
        Stage(
            "kpis",
            "all KPIs, 12 months + 4 quarters × all breakdowns",
            ["kpis_aggregate", "kpis_peer", "kpis_evaluate"],
            ["year"],
            [
                Row(
                    "kpis",
                    "KPI aggregation (compute_values)",
                    ("kpis_aggregate", "seconds"),
                    ("kpis_peer", "seconds"),
                ),
                Row("kpis", "evaluate() whole", ("kpis_evaluate", "seconds"), ("kpis_peer", "seconds")),
            ],
        ),
        Stage(
            "overview",
            "Overview page in headless Chromium",
            ["overview_ours", "overview_peer"],
            ["demo_store"],
            [
                Row(
                    "overview",
                    "navigate → tiles visible (warm)",
                    ("overview_ours", "seconds"),
                    ("overview_peer", "seconds"),
                    "ours/peer",
                    "server_peak_rss",
                    "server_peak_rss",
                ),
                Row(
                    "overview",
                    "filter change → tiles redrawn",
                    ("overview_ours", "filter_seconds"),
                    ("overview_peer", "filter_seconds"),
                    "ours/peer",
                    "server_peak_rss",
                    "server_peak_rss",
                ),
                Row(
                    "overview",
                    "first navigation after start (cold)",
                    ("overview_ours", "cold_seconds"),
                    ("overview_peer", "cold_seconds"),
                    "ours/peer",
                    "server_peak_rss",
                    "server_peak_rss",
                ),
            ],
        ),
        Stage(
            "report",
            "quarterly Excel pack (2026Q4) of the year",
            ["report_ours", "report_peer", "report_cli"],
            ["year_store"],
            [
                Row(
                    "report",
                    "build_report (from an evaluation)",
                    ("report_ours", "seconds"),
                    ("report_peer", "seconds"),
                    "ours/peer",
                ),
                Row(
                    "report",
                    "`sla_core report` end to end",
                    ("report_cli", "seconds"),
                    None,
                    memory="cli_peak_rss",
                ),
            ],
        ),
    ]


# ---------------------------------------------------------------- goals


@dataclass
class Goal:
    text: str
    size: int
    check: Callable[[dict[str, dict[str, Any]]], tuple[bool | None, str]]  # results of the size's tasks


def _get(res: dict[str, dict[str, Any]], task: str, key: str) -> float | None:
    value = res.get(task, {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def goals(sizes: Sequence[int]) -> list[Goal]:
    big = max(sizes)
    xsize = 100_000 if 100_000 in sizes else big

    def xlsx(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        ours, peer = _get(res, "xlsx_ours", "seconds"), _get(res, "xlsx_peer", "seconds")
        if ours is None or peer is None:
            return None, "not measured"
        return ours <= 3 and peer / ours >= 5, f"{ours:.2f} s, {peer / ours:.1f}× faster than openpyxl"

    def csv(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        ours, peer = _get(res, "csv_ours", "seconds"), _get(res, "csv_peer", "seconds")
        if ours is None or peer is None:
            return None, "not measured"
        text = f"{ours:.2f} s = {ours / peer:.2f}× DuckDB read_csv ({peer:.2f} s)"
        firsts = res["csv_ours"].get("runs") or [], res["csv_peer"].get("runs") or []
        if all(firsts):
            first_ours, first_peer = firsts[0][0], firsts[1][0]
            text += f"; first runs {first_ours:.2f} s vs {first_peer:.2f} s = {first_ours / first_peer:.2f}×"
        return ours <= 2 * peer, text

    def hours(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        ours, peer = _get(res, "hours_ours", "seconds"), _get(res, "hours_peer", "seconds")
        check = res.get("hours_check", {})
        if ours is None or peer is None:
            return None, "not measured"
        same = bool(check.get("identical"))
        return peer / ours >= 200 and same, (
            f"{peer / ours:,.0f}× faster; sample of {check.get('compared', 0):,} "
            + ("identical" if same else f"DIFFERS in {check.get('differing')}")
        )

    def kpis(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        ours, peer = _get(res, "kpis_aggregate", "seconds"), _get(res, "kpis_peer", "seconds")
        if ours is None or peer is None:
            return None, "not measured"
        same = bool(res.get("kpis_peer", {}).get("check", {}).get("identical"))
        return ours <= 1 and ours < peer and same, (
            f"{ours:.2f} s vs pandas {peer:.2f} s; values " + ("identical" if same else "DIFFER")
        )

    def overview(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        nav, flt = _get(res, "overview_ours", "seconds"), _get(res, "overview_ours", "filter_seconds")
        if nav is None or flt is None:
            return None, "not measured"
        return nav <= 2 and flt <= 1, f"navigation {nav:.2f} s, filter {flt:.2f} s"

    def report(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        if "skipped" in res.get("report_cli", {}):
            return None, str(res["report_cli"]["skipped"])
        cli = _get(res, "report_cli", "seconds")
        if cli is None:
            return None, "not measured"
        return cli <= 15 and res["report_cli"].get("exit") == 0, f"{cli:.1f} s end to end"

    def memory(res: dict[str, dict[str, Any]]) -> tuple[bool | None, str]:
        peaks = {t: _peak(r) for t, r in res.items() if _is_ours(t) and _peak(r)}
        if not peaks:
            return None, "not measured"
        task, peak = max(peaks.items(), key=lambda kv: kv[1])
        return peak <= 2 * GIB, f"{peak / GIB:.2f} GiB at most ({task})"

    return [
        Goal(f"xlsx {xsize:,} rows: ≤ 3 s and ≥ 5× openpyxl", xsize, xlsx),
        Goal(f"csv {big:,} rows into a fresh store: ≤ 2× DuckDB read_csv", big, csv),
        Goal(f"business hours {big:,} tickets: ≥ 200× businesstimedelta, identical", big, hours),
        Goal(f"KPI aggregation {big:,} tickets: ≤ 1 s and faster than pandas", big, kpis),
        Goal(f"Overview {big:,} tickets: navigation ≤ 2 s, filter ≤ 1 s", big, overview),
        Goal(f"quarterly pack of a {big:,}-ticket year: ≤ 15 s", big, report),
        Goal(f"peak memory of any stage at {big:,} tickets: ≤ 2 GiB", big, memory),
    ]


def _is_ours(task: str) -> bool:
    return not task.endswith("_peer") and BEFORE not in task and task not in ("prepare", "hours_check")


def _peak(result: dict[str, Any]) -> int:
    return int(max(result.get(k) or 0 for k in ("peak_rss", "server_peak_rss", "cli_peak_rss")))


# ---------------------------------------------------------------- running


def run_task(
    name: str, size: int, params: dict[str, Any], workdir: Path, code: Path | None = None
) -> dict[str, Any]:
    tag = f"{name}{'_before' if code == BEFORE_DIR else ''}_{size}"
    result_path = workdir / f"{tag}.json"
    log_path = workdir / f"{tag}.log"
    result_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.child", name, str(size), json.dumps(params), str(result_path)]
    env = env_with_root()
    if code is not None:
        env[CODE_ENV] = str(code)
        env[VARIANT_ENV] = "before" if code == BEFORE_DIR else "at"
        env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT), env["PYTHONPATH"]])}
    start = time.perf_counter()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    try:
        result: dict[str, Any] = json.loads(result_path.read_text())
    except (OSError, ValueError):
        result = {"error": "no result: " + log_path.read_text(errors="replace")[-1500:]}
    result["peak_rss"] = usage.ru_maxrss * 1024
    result["wall_seconds"] = wall
    result["exit"] = result.get("exit", os.waitstatus_to_exitcode(status))
    return result


def compare_hours(workdir: Path, size: int) -> dict[str, Any]:
    """Our durations and businesstimedelta's on the sample: equal to the second?"""
    import pandas as pd

    try:
        ours = pd.read_parquet(workdir / f"hours_ours_{size}.parquet")
        peer = pd.read_parquet(workdir / f"hours_peer_{size}.parquet")
    except OSError as exc:
        return {"identical": False, "error": str(exc)}
    both = ours.merge(peer, on="ticket_id", suffixes=("", "_peer"))
    differ = (both["response_seconds"] != both["response_seconds_peer"]) | (
        both["resolution_seconds"] != both["resolution_seconds_peer"]
    )
    real_differ = (both["real_response_seconds"] != both["response_seconds_peer"]) | (
        both["real_resolution_seconds"] != both["resolution_seconds_peer"]
    )
    return {
        "compared": len(both),
        "business_clock": int((both["clock"] == "business").sum()),
        "differing": int(differ.sum()),
        "identical": bool(len(both) == len(ours) == len(peer) and not differ.any()),
        # the real contract (make-up workdays, the half day of 31 December) vs the peer's calendar
        "differing_on_real_calendar": int(real_differ.sum()),
    }


BEFORE = "@before"
RUN_ID = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{os.getpid()}"  # runs side by side never share a directory
BEFORE_DIR = OUT / "checkouts" / f"before-{RUN_ID}"


AT_DIR = OUT / "checkouts" / f"at-{RUN_ID}"


def _worktree(path: Path, rev: str) -> None:
    if path.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False)
        shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT, check=True, capture_output=True
    )


def at_checkout(args: argparse.Namespace) -> Path | None:
    """A clean checkout of --at REV to measure (others' uncommitted work in the project left out)."""
    if not args.at:
        return None
    _worktree(AT_DIR, args.at)
    _log(f"measuring {args.at} from a clean checkout: {AT_DIR}")
    return AT_DIR


def before_checkout(args: argparse.Namespace) -> Path | None:
    """A checkout of the code without the given commits (HEAD with them reverted, uncommitted), for
    before/after figures of the same stage in the same run; or the directory given."""
    if args.before_dir:
        return Path(args.before_dir).resolve()
    if not args.before_revert:
        return None
    shas = [x.strip() for x in args.before_revert.split(",") if x.strip()]
    _worktree(BEFORE_DIR, args.at or "HEAD")
    subprocess.run(["git", "revert", "--no-commit", *shas], cwd=BEFORE_DIR, check=True, capture_output=True)
    _log(f"before the fixes: {BEFORE_DIR} = {args.at or 'HEAD'} without {', '.join(shas)}")
    return BEFORE_DIR


def _log(text: str) -> None:
    print(text, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = sorted(args.sizes)
    chosen = [s for s in stages(args) if s.id in args.stages]
    workdir = OUT / "work" / RUN_ID
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, dict[str, Any]]] = {str(n): {} for n in sizes}
    code = at_checkout(args)
    before = before_checkout(args)
    started = time.perf_counter()
    for stage in chosen:
        for size in sizes:
            _log(f"[{time.perf_counter() - started:7.1f} s] {stage.id} at {size:,}: preparing data")
            prep = run_task("prepare", size, {"items": stage.data}, workdir, code=code)
            if "error" in prep:
                _log(f"    data preparation failed: {prep['error'][:500]}")
                continue
            for name in stage.tasks:
                if size > stage.max_size.get(name, size):
                    results[str(size)][name] = {"skipped": f"not run above {stage.max_size[name]:,}"}
                    continue
                params = {"workdir": str(workdir), "sample": args.peer_sample}
                res = run_task(name, size, params, workdir, code=code)
                results[str(size)][name] = res
                _log(f"    {name:<16} {_brief(res)}")
                if before is not None and stage.id in args.before_stages and _is_ours(name):
                    res = run_task(name, size, params, workdir, code=before)
                    results[str(size)][name + BEFORE] = res
                    _log(f"    {name + BEFORE:<16} {_brief(res)}")
            if stage.id == "hours" and "error" not in results[str(size)].get("hours_peer", {"error": 1}):
                results[str(size)]["hours_check"] = compare_hours(workdir, size)
                _log(f"    hours_check      {results[str(size)]['hours_check']}")
    for checkout in (code, before):
        if checkout is not None and checkout.parent == OUT / "checkouts":
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=False)
    return {
        "machine": machine(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "total_seconds": time.perf_counter() - started,
        "sizes": sizes,
        "stages": [s.id for s in chosen],
        "at": args.at,
        "before_revert": args.before_revert,
        "results": results,
    }


def _brief(res: dict[str, Any]) -> str:
    if "error" in res:
        return "ERROR " + str(res["error"]).strip().splitlines()[-1][:300]
    if "skipped" in res:
        return "skipped: " + str(res["skipped"])
    secs = res.get("seconds")
    peak = _peak(res)
    return (f"{secs:.3f} s" if isinstance(secs, int | float) else "") + f"  peak {peak / MIB:,.0f} MiB"


def machine() -> dict[str, Any]:
    import duckdb
    import numpy
    import pandas

    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = int(Path("/proc/meminfo").read_text().split()[1]) * 1024
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem / GIB, 1),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "duckdb": duckdb.__version__,
        "commit": commit.stdout.strip(),
        "load_average": os.getloadavg(),
    }


# ---------------------------------------------------------------- printing


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def _fmt_mem(x: float | None) -> str:
    return "—" if not x else f"{x / MIB:,.0f} MiB"


def _value(res: dict[str, Any], task: str, key: str) -> float | None:
    value = res.get(task, {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def before_after_table(report: dict[str, Any], args: argparse.Namespace) -> str:
    """Each figure measured before the fixes too: before, after, how many times faster (same run)."""
    sizes = report["sizes"]
    results = report["results"]
    chosen = [s for s in stages(args) if s.id in report["stages"]]
    lines = ["| figure | tickets | before the fixes | after | faster |", "|---|---:|---:|---:|---:|"]
    for stage in chosen:
        for row in stage.rows:
            for size in sizes:
                res = results[str(size)]
                after = _value(res, *row.ours)
                before = _value(res, row.ours[0] + BEFORE, row.ours[1])
                if after is None or before is None or res.get(row.ours[0], {}).get("errors"):
                    continue
                lines.append(
                    f"| {stage.id}: {row.label.strip()} | {size:,} | {_fmt_s(before)} | {_fmt_s(after)} "
                    f"| {before / after:.1f}× |"
                )
    return "\n".join(lines) if len(lines) > 2 else ""


def table(report: dict[str, Any], args: argparse.Namespace, with_before: bool = False) -> str:
    sizes = report["sizes"]
    results = report["results"]
    chosen = [s for s in stages(args) if s.id in report["stages"]]
    lines = [
        "| stage | tickets | ours | peak memory | peer | peer memory | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for stage in chosen:
        for row in _with_before(stage.rows, results) if with_before else stage.rows:
            for size in sizes:
                res = results[str(size)]
                if row.ours[0] not in res:
                    continue
                ours = _value(res, *row.ours)
                mem = _value(res, row.ours[0], row.memory) or _value(res, row.ours[0], "peak_rss")
                peer = _value(res, *row.peer) if row.peer else None
                peer_mem = _value(res, row.peer[0], row.peer_memory) if row.peer else None
                note = ""
                if row.ours[0] in res and "skipped" in res[row.ours[0]]:
                    note = " (skipped)"
                if row.ours[0] in res and "error" in res[row.ours[0]]:
                    note = " (error)"
                if res.get(row.ours[0], {}).get("errors"):  # the file was refused: say why
                    note = f" (refused: {str(res[row.ours[0]].get('first_error') or '').split(':')[0][:60]})"
                ratio = "—"
                if ours and peer:
                    if row.faster_is == "peer/ours":
                        ratio = (
                            f"{peer / ours:,.1f}× faster" if peer >= ours else f"{ours / peer:,.2f}× slower"
                        )
                    else:
                        ratio = f"{ours / peer:,.2f}× the peer"
                peer_text = _fmt_s(peer)
                if row.peer and row.peer[0] == "hours_peer" and res.get("hours_peer", {}).get("scaled"):
                    sample = res["hours_peer"].get("sample", 0)
                    peer_text += f" (scaled from {sample:,})"
                lines.append(
                    f"| {stage.id}: {row.label} | {size:,} | {_fmt_s(ours)}{note} | {_fmt_mem(mem)} "
                    f"| {peer_text if row.peer else '—'} | {_fmt_mem(peer_mem)} | {ratio} |"
                )
    return "\n".join(lines)


def _with_before(rows: list[Row], results: dict[str, dict[str, dict[str, Any]]]) -> list[Row]:
    """The stage's rows, each followed by the same figure before the fixes when that was measured."""
    out = []
    for row in rows:
        out.append(row)
        task = row.ours[0] + BEFORE
        if any(task in res for res in results.values()):
            out.append(
                Row(
                    row.stage,
                    f"{row.label.strip()} — BEFORE the fixes",
                    (task, row.ours[1]),
                    row.peer,
                    row.faster_is,
                    row.memory,
                    row.peer_memory,
                )
            )
    return out


def growth_table(report: dict[str, Any], args: argparse.Namespace) -> str:
    sizes = report["sizes"]
    results = report["results"]
    chosen = [s for s in stages(args) if s.id in report["stages"]]
    columns = [f"{n:,}" for n in sizes] + [f"{a:,} → {b:,}: time ×" for a, b in itertools.pairwise(sizes)]
    lines = ["| figure | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for stage in chosen:
        for row in stage.rows:
            refused = [bool(results[str(n)].get(row.ours[0], {}).get("errors")) for n in sizes]
            # a refused file (an xlsx over the unpacked-size limit) took no time to grow: no figure
            values = [
                None if no else _value(results[str(n)], *row.ours)
                for n, no in zip(sizes, refused, strict=True)
            ]
            steps = [f"{b / a:.1f}" if a and b else "—" for a, b in itertools.pairwise(values)]
            cells = ["refused" if no else _fmt_s(v) for v, no in zip(values, refused, strict=True)] + steps
            lines.append(f"| {stage.id}: {row.label.strip()} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def goals_table(report: dict[str, Any]) -> str:
    sizes = report["sizes"]
    lines = ["| goal | result | verdict |", "|---|---|---|"]
    for goal in goals(sizes):
        res = report["results"].get(str(goal.size), {})
        ok, text = goal.check(res)
        verdict = "not measured" if ok is None else ("met" if ok else "MISSED")
        lines.append(f"| {goal.text} | {text} | {verdict} |")
    return "\n".join(lines)


def render(report: dict[str, Any], args: argparse.Namespace) -> str:
    m = report["machine"]
    head = (
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gib']} GiB; Python {m['python']}, pandas "
        f"{m['pandas']}, numpy {m['numpy']}, DuckDB {m['duckdb']}; commit {m['commit']}; load average at "
        f"start {', '.join(f'{x:.1f}' for x in m['load_average'])}. Whole run: {report['total_seconds'] / 60:.1f} min."
    )
    return "\n\n".join(
        [
            head,
            "Figures (time: best of up to 3 runs under 2 s, else one run; memory: the child process's peak RSS):",
            table(report, args),
            *(
                [
                    "Before and after the fixes (our side run twice in the same run; see --before-revert):\n",
                    ba,
                ]
                if (ba := before_after_table(report, args))
                else []
            ),
            "Growth with size (time of ours; ×10 tickets should give about ×10 time):",
            growth_table(report, args),
            "Goals:",
            goals_table(report),
        ]
    )


# ---------------------------------------------------------------- command line

STAGE_IDS = ("xlsx", "csv", "hours", "kpis", "overview", "report")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sizes", help="ticket counts, comma-separated (default 10000,100000,1000000)")
    parser.add_argument(
        "--stages", default=",".join(STAGE_IDS), help=f"comma-separated: {','.join(STAGE_IDS)}"
    )
    parser.add_argument("--out", default=str(OUT / "results.json"), help="where to write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="10k and 100k only, a 2,000-ticket peer sample")
    parser.add_argument(
        "--peer-sample", dest="peer_sample", type=int, default=None, help="businesstimedelta sample (10000)"
    )
    parser.add_argument(
        "--xlsx-peer-max",
        dest="xlsx_peer_max",
        type=int,
        default=100_000,
        help="largest xlsx the openpyxl peer reads (it needs minutes per 100k rows; default 100000)",
    )
    parser.add_argument("--rerender", help="print the tables of an earlier results.json and stop")
    parser.add_argument(
        "--before-revert",
        dest="before_revert",
        help="commits (comma-separated) to leave out for a 'before the fixes' run of our side, in the same run",
    )
    parser.add_argument("--before-dir", dest="before_dir", help="a checkout to measure as 'before the fixes'")
    parser.add_argument(
        "--at", help="measure a clean checkout of this revision (e.g. HEAD) instead of the working tree"
    )
    parser.add_argument(
        "--before-stages",
        dest="before_stages",
        default="csv,hours,kpis,overview,report",
        help="stages measured before the fixes too (with --before-revert/--before-dir)",
    )


def main_with(args: argparse.Namespace) -> int:
    if args.rerender:
        report = json.loads(Path(args.rerender).read_text())
        args.stages = report["stages"]
        print(render(report, args))
        return 0
    if args.sizes:
        args.sizes = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
    else:
        args.sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.peer_sample is None:
        args.peer_sample = 2_000 if args.quick else 10_000
    args.stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    args.before_stages = [s.strip() for s in args.before_stages.split(",") if s.strip()]
    unknown = set(args.stages) - set(STAGE_IDS)
    if unknown:
        print(f"unknown stages: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    report = run(args)
    report["options"] = {"peer_sample": args.peer_sample, "xlsx_peer_max": args.xlsx_peer_max}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str))
    print()
    print(render(report, args))
    print(f"\nfigures written to {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return main_with(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
