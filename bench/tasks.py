"""One function per measured task. Each runs in its own child process (bench.child), so its peak
memory is its own; it returns a dict of figures (seconds, counts, checks) for the parent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench import data as bd
from bench.common import VARIANT_ENV, code_root, env_with_root, measure, rss

QUARTER = "2026Q4"  # the last quarter of the benchmark year (has tickets still open at as_of)
TASKS: dict[str, Callable[..., dict[str, Any]]] = {}


def task(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    TASKS[fn.__name__] = fn
    return fn


def _contract() -> Any:
    from sla_core.demo import demo_contract

    return demo_contract()


def _year(size: int) -> Any:
    """(DemoData, Dataset, as_of) of the benchmark year."""
    demo = bd.load_year(size)
    return demo, demo.dataset(), demo.as_of.timestamp()


@task
def prepare(size: int, items: list[str], **_: Any) -> dict[str, Any]:
    start = time.perf_counter()
    paths = bd.prepare(size, items)
    return {"seconds": time.perf_counter() - start, "paths": paths}


# ---------------------------------------------------------------- xlsx


@task
def xlsx_ours(size: int, **_: Any) -> dict[str, Any]:
    from sla_core.ingest import read_file

    path = bd.path_of(size, "xlsx")
    contract = _contract()
    base = rss()
    best, runs, result = measure(lambda: read_file(path, "tickets", contract))
    errors = [i for i in result.issues if i.level == "error"]
    return {
        "seconds": best,
        "runs": runs,
        "rows": 0 if result.frame is None else len(result.frame),
        "errors": len(errors),
        "first_error": errors[0].en if errors else None,
        "rss_before": base,
        "file_bytes": path.stat().st_size,
    }


@task
def xlsx_peer(size: int, **_: Any) -> dict[str, Any]:
    path = bd.path_of(size, "xlsx")
    base = rss()
    best, runs, frame = measure(lambda: pd.read_excel(path, engine="openpyxl"))
    return {"seconds": best, "runs": runs, "rows": len(frame), "rss_before": base}


# ---------------------------------------------------------------- csv → store


@task
def csv_ours(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    from sla_core import store as st
    from sla_core import workspace
    from sla_core.demo import demo_contract_text
    from sla_core.ingest import read_file

    path = bd.path_of(size, "csv")
    state: dict[str, Any] = {}

    def fresh() -> None:
        d = Path(workspace_dir := tempfile.mkdtemp(dir=workdir))
        state["dir"] = workspace_dir
        store = workspace.open_workspace(d / "bench.duckdb")
        saved = st.save_contract(store, demo_contract_text(), "bench")
        state["store"], state["cid"] = store, saved.contract_id
        state["contract"] = st.load_contract(store, saved.contract_id)

    splits: list[tuple[float, float]] = []

    def work() -> Any:
        t0 = time.perf_counter()
        result = read_file(path, "tickets", state["contract"])
        t1 = time.perf_counter()
        report = workspace.import_file(
            state["store"], state["cid"], "tickets", path, user="bench", result=result
        )
        splits.append((t1 - t0, time.perf_counter() - t1))
        shutil.rmtree(state["dir"], ignore_errors=True)
        return report

    base = rss()
    # at least two runs, as the peer gets (its runs are quick): best against best, first against first
    best, runs, report = measure(work, setup=fresh, warm=True)
    i = runs.index(best)
    outcome = report.outcome
    return {
        "seconds": best,
        "runs": runs,
        "read_validate_seconds": splits[i][0],
        "store_seconds": splits[i][1],
        "rows": 0 if report.result.frame is None else len(report.result.frame),
        "stored": bool(report.stored),
        "inserted": getattr(outcome, "inserted", None),
        "errors": len(report.result.errors),
        "first_error": report.result.errors[0].en if report.result.errors else None,
        "rss_before": base,
        "file_bytes": path.stat().st_size,
    }


@task
def csv_peer(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    import duckdb

    path = bd.path_of(size, "csv")
    state: dict[str, Any] = {}

    def fresh() -> None:
        state["dir"] = tempfile.mkdtemp(dir=workdir)

    def work() -> int:
        con = duckdb.connect(str(Path(state["dir"]) / "peer.duckdb"))
        con.execute("CREATE TABLE tickets AS SELECT * FROM read_csv(?)", [str(path)])
        n = con.execute("SELECT count(*) FROM tickets").fetchone()[0]
        con.close()
        shutil.rmtree(state["dir"], ignore_errors=True)
        return int(n)

    base = rss()
    best, runs, rows = measure(work, setup=fresh)
    return {"seconds": best, "runs": runs, "rows": rows, "rss_before": base}


# ---------------------------------------------------------------- business hours


def sample_ids(ticket_ids: pd.Series, sample: int) -> np.ndarray:
    """A fixed random sample of positions (the same in both processes)."""
    n = len(ticket_ids)
    if sample >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, size=sample, replace=False))


@task
def hours_ours(size: int, workdir: str, sample: int, **_: Any) -> dict[str, Any]:
    from sla_core.calendar import build_calendar
    from sla_core.outcomes import Clocks, compute_outcomes

    demo, data, as_of = _year(size)
    contract = _expressible(demo.contract_text, (2025, 2027))
    first, last = _span(data, as_of, contract)
    out: dict[str, Any] = {"rss_before": rss()}

    def outcomes(c: Any) -> Any:
        return compute_outcomes(c, data, as_of, Clocks(c, first, last))

    best, runs, result = measure(lambda: outcomes(contract), warm=True)
    out.update(seconds=best, runs=runs, tickets=len(result.frame))
    frame = result.frame
    # the calendar alone: response and resolution of every ticket on the business clock
    cal = build_calendar(contract.base.calendar, contract.base.contract.timezone, first, last)
    created = frame["created"].to_numpy()
    r_end = np.where(np.isnan(frame["response_end"].to_numpy()), as_of, frame["response_end"].to_numpy())
    s_end = np.where(np.isnan(frame["resolved_time"].to_numpy()), as_of, frame["resolved_time"].to_numpy())
    best_cal, runs_cal, _ = measure(lambda: (cal.elapsed(created, r_end), cal.elapsed(created, s_end)))
    out.update(calendar_seconds=best_cal, calendar_runs=runs_cal)
    # the same on the real contract (China's calendar with make-up workdays), for reference
    real_contract = _contract()
    best_real, _, real = measure(lambda: outcomes(real_contract), warm=True)
    out.update(real_contract_seconds=best_real)
    # durations of the sample, for the parent to compare with the peer's
    pos = sample_ids(data.tickets["ticket_id"], sample)
    ids = data.tickets["ticket_id"].astype(str).to_numpy()[pos]
    mine = frame.set_index(frame["ticket_id"].astype(str)).loc[ids]
    on_real = real.frame.set_index(real.frame["ticket_id"].astype(str)).loc[ids]
    pd.DataFrame(
        {
            "ticket_id": ids,
            "clock": mine["clock"].to_numpy(),
            "response_seconds": mine["response_seconds"].to_numpy(),
            "resolution_seconds": mine["resolution_seconds"].to_numpy(),
            "real_response_seconds": on_real["response_seconds"].to_numpy(),
            "real_resolution_seconds": on_real["resolution_seconds"].to_numpy(),
        }
    ).to_parquet(
        Path(workdir)
        / f"hours_ours{'_before' if os.environ.get(VARIANT_ENV) == 'before' else ''}_{size}.parquet"
    )
    return out


@task
def hours_peer(size: int, workdir: str, sample: int, **_: Any) -> dict[str, Any]:
    from bench import peers

    demo, data, as_of = _year(size)
    contract = _expressible(demo.contract_text, (2025, 2027))
    pos = sample_ids(data.tickets["ticket_id"], sample)
    tickets = data.tickets.iloc[pos].reset_index(drop=True)
    inputs = peers.btd_inputs(tickets, contract, as_of)
    rule = peers.btd_rule(contract, peers.public_holidays(2025, 2027))
    base = rss()
    best, _runs, (response, resolution) = measure(lambda: peers.btd_durations(rule, inputs), repeat=False)
    pd.DataFrame(
        {"ticket_id": inputs["ticket_id"], "response_seconds": response, "resolution_seconds": resolution}
    ).to_parquet(Path(workdir) / f"hours_peer_{size}.parquet")
    n = len(data.tickets)
    return {
        "sample_seconds": best,
        "sample": len(pos),
        "seconds": best * n / len(pos),  # scaled to every ticket
        "scaled": len(pos) < n,
        "business_share": float(np.mean(inputs["business"])),
        "rss_before": base,
    }


def _expressible(text: str, years: tuple[int, int]) -> Any:
    from bench.peers import expressible_contract

    return expressible_contract(text, *years)


def _span(data: Any, as_of: float, contract: Any) -> tuple[Any, Any]:
    """The first and last day evaluate() builds its clocks for."""
    from sla_core.evaluate import _data_months
    from sla_core.periods import key_of_instant, month_first_day

    keys = _data_months(data, as_of, contract)
    last = max([*keys, key_of_instant(as_of, contract.zone)])
    return month_first_day(min(keys)), month_first_day(last + 1)


# ---------------------------------------------------------------- KPIs


@task
def kpis_evaluate(size: int, **_: Any) -> dict[str, Any]:
    from sla_core.evaluate import evaluate

    _demo, data, as_of = _year(size)
    contract = _contract()
    base = rss()
    best, runs, ev = measure(lambda: evaluate(contract, data, as_of=as_of), warm=True)
    return {
        "seconds": best,
        "runs": runs,
        "months": len(ev.months),
        "quarters": len(ev.quarters),
        "tickets": len(ev.tickets),
        "responses": len(ev.responses),
        "outages": len(data.outages),
        "values": len(ev.values),
        "rss_before": base,
    }


def _evaluated(size: int) -> tuple[Any, Any, Any]:
    from sla_core.evaluate import evaluate

    _demo, data, as_of = _year(size)
    contract = _contract()
    return contract, data, evaluate(contract, data, as_of=as_of)


@task
def kpis_aggregate(size: int, **_: Any) -> dict[str, Any]:
    from sla_core.evaluate import compute_values
    from sla_core.kpis import source_presence

    contract, data, ev = _evaluated(size)
    keys = [k for m in ev.months for k in m.keys]
    presence = source_presence(data)
    base = rss()
    best, runs, values = measure(
        lambda: compute_values(ev.tickets, ev.responses, ev.outages, presence, keys, contract, data),
        warm=True,
    )
    return {"seconds": best, "runs": runs, "values": len(values), "rss_before": base}


@task
def kpis_peer(size: int, **_: Any) -> dict[str, Any]:
    from bench import peers
    from sla_core.evaluate import compute_values
    from sla_core.kpis import source_presence

    contract, data, ev = _evaluated(size)
    base = rss()
    best, runs, values = measure(lambda: peers.pandas_kpis(ev.tickets, ev.responses), warm=True)
    keys = [k for m in ev.months for k in m.keys]
    ours = compute_values(ev.tickets, ev.responses, ev.outages, source_presence(data), keys, contract, data)
    return {
        "seconds": best,
        "runs": runs,
        "values": len(values),
        "check": peers.compare_kpis(ours, values),
        "rss_before": base,
    }


# ---------------------------------------------------------------- Overview page (headless Chromium)


@task
def overview_ours(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    from bench.browser import measure_app

    store = bd.copy_store(bd.path_of(size, "demo_store"), Path(workdir) / f"overview_{size}")
    return measure_app("app.py", store, Path(workdir) / f"overview_{size}.log")


@task
def overview_peer(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    from bench.browser import measure_app

    return measure_app(
        "bench/peer_app.py", None, Path(workdir) / f"overview_peer_{size}.log", tiles=16, size=size
    )


# ---------------------------------------------------------------- quarterly pack


@task
def report_cli(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    """End to end, as a user runs it: open the store, evaluate the year, write the quarterly pack."""

    if not _report_ready():
        return {"skipped": "sla_core.report is not ready (no build_report / report command)"}
    d = Path(workdir) / f"report_cli_{size}"
    store_path = bd.copy_store(bd.path_of(size, "year_store"), d)
    xlsx = d / "pack.xlsx"
    cmd = [sys.executable, "-m", "sla_core", "report", "--db", str(store_path)]
    cmd += ["--contract", "demo-helpdesk", "--quarter", QUARTER, "--out", str(xlsx)]
    start = time.perf_counter()
    with (d / "cli.log").open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=code_root(), stdout=log, stderr=subprocess.STDOUT, env=env_with_root()
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
    out: dict[str, Any] = {"seconds": time.perf_counter() - start, "cli_peak_rss": usage.ru_maxrss * 1024}
    out["exit"] = os.waitstatus_to_exitcode(status)
    if out["exit"] != 0:
        out["error"] = (d / "cli.log").read_text(errors="replace")[-2000:]
    out["bytes"] = xlsx.stat().st_size if xlsx.exists() else 0
    shutil.rmtree(d, ignore_errors=True)
    return out


def _report_ready() -> bool:
    try:
        from sla_core.cli import cmd_report  # noqa: F401
        from sla_core.report import build_report  # noqa: F401
    except ImportError:
        return False
    return True


@task
def report_ours(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    """The writing alone, from an evaluation already made (what the Quarterly page's button does)."""
    if not _report_ready():
        return {"skipped": "sla_core.report is not ready (no build_report)"}
    from sla_core import workspace
    from sla_core.access import LOCAL, Guard
    from sla_core.report import build_report

    d = Path(workdir) / f"report_{size}"
    store_path = bd.copy_store(bd.path_of(size, "year_store"), d)
    store = workspace.open_workspace(store_path)
    snap = workspace.snapshot(store, "demo-helpdesk")
    base = rss()
    best, runs, pack = measure(
        lambda: build_report(snap, QUARTER, "zh", guard=Guard(store, LOCAL)), warm=True
    )
    shutil.rmtree(d, ignore_errors=True)
    return {"seconds": best, "runs": runs, "bytes": len(pack), "rss_before": base}


@task
def report_peer(size: int, workdir: str, **_: Any) -> dict[str, Any]:
    from bench import peers
    from sla_core import workspace

    d = Path(workdir) / f"report_peer_{size}"
    store_path = bd.copy_store(bd.path_of(size, "year_store"), d)
    store = workspace.open_workspace(store_path)
    snap = workspace.snapshot(store, "demo-helpdesk")
    base = rss()
    best, runs, pack = measure(lambda: peers.pandas_report(snap.evaluation, QUARTER), warm=True)
    shutil.rmtree(d, ignore_errors=True)
    return {"seconds": best, "runs": runs, "bytes": len(pack), "rss_before": base}
