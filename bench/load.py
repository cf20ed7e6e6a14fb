"""Many people at once: N sessions against one `streamlit run app.py`, each moving through the pages
as fast as the server answers, for a fixed time; page times, errors and the server's memory.

A session is a websocket client speaking Streamlit's own protocol (what the browser sends when a page is
opened: a `rerun_script` back-message for the page), not a browser: twenty Chromiums would take the two
cores the server is measured on. A page's time is from the request to the server's `script_finished`,
i.e. every element of the page computed and sent — what a user waits for, less the browser's drawing.

    python -m bench.load                          # 20 sessions, 120 s, on the demo store
    python -m bench.load --sessions 20 --seconds 120 --tickets 1000000
    python -m bench.load --db data/sla.duckdb     # an existing store (left unchanged: pages only read)

A benchmark, not a test: it prints figures (and --out writes them as JSON); nothing asserts on them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.common import ROOT, start_app

# the analysis and work pages a review meeting moves through (Upload and Contract are edited alone), by
# their addresses: the root is no page of its own (it switches to /overview, a second run of the script)
PAGES = ("overview", "timeliness", "satisfaction", "availability", "breaches", "quarterly")


@dataclass
class Run:
    session: int
    page: str
    seconds: float
    ok: bool  # the page asked for ran to its end, drawing no error
    errors: int  # error alerts and exceptions the page drew
    drawn: str = ""  # the address of the page the server ran last (another than `page` is a failure)


@dataclass
class Result:
    sessions: int
    seconds: float
    tickets: int | None
    runs: list[Run] = field(default_factory=list)
    rss_idle: int = 0  # the server's resident memory once started, before any session, bytes
    rss_before: int = 0  # the server's resident memory after the first page of every session, bytes
    rss_after: int = 0
    rss_peak: int = 0  # VmHWM at the end

    def summary(self) -> dict[str, Any]:
        times = sorted(r.seconds for r in self.runs if r.ok)
        pages = {p: sorted(r.seconds for r in self.runs if r.ok and r.page == p) for p in PAGES}
        return {
            "sessions": self.sessions,
            "seconds": self.seconds,
            "tickets": self.tickets,
            "page_runs": len(self.runs),
            "failed_runs": sum(1 for r in self.runs if not r.ok),
            "failed_per_page": {p: sum(1 for r in self.runs if not r.ok and r.page == p) for p in PAGES},
            "error_elements": sum(r.errors for r in self.runs),
            "runs_per_second": round(len(times) / self.seconds, 2),
            "median_s": _q(times, 0.5),
            "p90_s": _q(times, 0.9),
            "p95_s": _q(times, 0.95),
            "max_s": round(times[-1], 3) if times else None,
            "per_page_median_s": {p: _q(t, 0.5) for p, t in pages.items()},
            "per_page_p95_s": {p: _q(t, 0.95) for p, t in pages.items()},
            # idle, after every session's first page, at the end
            "server_rss_mib": [round(m / 2**20) for m in (self.rss_idle, self.rss_before, self.rss_after)],
            "server_peak_mib": round(self.rss_peak / 2**20),
        }


def _q(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1], 3)


def _memory(pid: int, field_name: str) -> int:
    with Path(f"/proc/{pid}/status").open() as f:
        for line in f:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) * 1024
    return 0


class Session:
    """One user: a websocket, the pages' script hashes (from the first run's navigation message)."""

    def __init__(self, number: int, base: str) -> None:
        self.number = number
        self.url = base.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = base
        self.hashes: dict[str, str] = {}
        self.ws: Any = None

    async def open(self) -> None:
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.origin,  # type: ignore[arg-type]
            max_size=None,
            ping_interval=None,
        )

    async def page(self, path: str) -> Run:
        """Ask for a page and wait until its script has finished; count what it drew as an error.

        A run the app ends early to run again (`st.switch_page`, `st.rerun`) is part of the wait: the page
        is there only when the run after it finishes. The run is good only if the page the server ran last
        (its navigation message names it) is the one asked for, and it drew no error.
        """
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.hashes.get(path, "")
        state.page_name = path
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        errors = 0
        ran = ""  # the script hash of the page the server is running
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                for p in fwd.navigation.app_pages:
                    self.hashes[p.url_pathname] = p.page_script_hash
                ran = fwd.navigation.page_script_hash
            elif kind == "delta":
                errors += _is_error(fwd)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    errors = 0  # what the ended run drew is replaced by the next run
                    continue
                seconds = time.perf_counter() - started
                drawn = next((u for u, h in self.hashes.items() if h == ran), "")
                ok = fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY and errors == 0 and drawn == path
                return Run(self.number, path, seconds, ok, errors, drawn)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def _is_error(fwd: ForwardMsg) -> int:
    delta = fwd.delta
    if delta.WhichOneof("type") != "new_element":
        return 0
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return 1
    if kind == "alert" and element.alert.format == 1:  # Alert.ERROR
        return 1
    return 0


async def _drive(base: str, sessions: int, seconds: float, pid: int, result: Result) -> None:
    # every session opens its first page together (the meeting starts); that warm-up is not counted
    warm: list[asyncio.Event] = [asyncio.Event() for _ in range(sessions)]
    runs: list[Run] = []
    shared = {"until": float("inf")}  # set once every session is in

    async def user(n: int) -> None:
        session = Session(n, base)
        await session.open()
        try:
            await session.page(PAGES[0])
            warm[n].set()
            await asyncio.gather(*(e.wait() for e in warm))
            i = n
            while time.perf_counter() < shared["until"]:
                runs.append(await session.page(PAGES[i % len(PAGES)]))
                i += 1
        finally:
            await session.close()

    tasks = [asyncio.create_task(user(n)) for n in range(sessions)]
    await asyncio.gather(*(e.wait() for e in warm))
    result.rss_before = _memory(pid, "VmRSS")
    shared["until"] = time.perf_counter() + seconds
    await asyncio.gather(*tasks)
    result.rss_after = _memory(pid, "VmRSS")
    result.rss_peak = _memory(pid, "VmHWM")
    result.runs = runs


def _store(db: str | None, tickets: int | None) -> Path:
    if db:
        return Path(db)
    from sla_core import workspace

    folder = ROOT / "bench" / "out" / "load"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{tickets or 'default'}.duckdb"
    if not path.exists():
        tmp = Path(tempfile.mkdtemp(dir=folder)) / path.name
        workspace.load_demo(workspace.open_workspace(tmp), n_tickets=tickets)
        tmp.replace(path)
        tmp.parent.rmdir()
    return path


def run(
    sessions: int,
    seconds: float,
    db: str | None = None,
    tickets: int | None = None,
    options: list[str] | None = None,
) -> Result:
    store = _store(db, tickets)
    proc, base = start_app(store, *(options or []))
    result = Result(sessions, seconds, tickets, rss_idle=_memory(proc.pid, "VmRSS"))
    try:
        asyncio.run(_drive(base, sessions, seconds, proc.pid, result))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--tickets", type=int, default=None, help="demo size (default: the demo's ~6,000)")
    parser.add_argument("--db", help="an existing store instead of a demo one")
    parser.add_argument("--out", help="write the summary and every page run as JSON here")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        help="a Streamlit option for the server, e.g. --option=--runner.postScriptGC=true (repeatable)",
    )
    args = parser.parse_args(argv)
    result = run(args.sessions, args.seconds, args.db, args.tickets, args.option)
    summary = result.summary()
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if args.out:
        Path(args.out).write_text(
            json.dumps({"summary": summary, "runs": [asdict(r) for r in result.runs]}, indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
