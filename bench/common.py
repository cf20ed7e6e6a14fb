"""Shared helpers: where things live, timing, memory of the current process."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
GIB = 1024**3
MIB = 1024**2

# a run of a quick callable is repeated (best of) until this much time has been spent on it
REPEAT_UNDER_SECONDS = 2.0
MAX_REPEATS = 3


def proc_status(field: str) -> int:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in bytes."""
    with Path("/proc/self/status").open() as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def rss() -> int:
    return proc_status("VmRSS")


def measure(
    work: Callable[[], Any],
    *,
    setup: Callable[[], Any] | None = None,
    repeat: bool = True,
    warm: bool = False,
) -> tuple[float, list[float], Any]:
    """Time `work` (after an untimed `setup`, if given, before every run); return (best, all runs, result).

    Quick callables are repeated (best of up to MAX_REPEATS), the usual way to take the noise of a
    shared machine out of a figure; anything slower than REPEAT_UNDER_SECONDS runs once — twice with
    `warm`, for in-memory work whose first call also pays one-time costs (building the calendar
    tables, opening the aggregation database), which the app pays once per process.
    """
    runs: list[float] = []
    result: Any = None
    while True:
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        result = work()
        runs.append(time.perf_counter() - start)
        enough = len(runs) >= MAX_REPEATS or sum(runs) >= REPEAT_UNDER_SECONDS
        if not repeat or (enough and (not warm or len(runs) >= 2)):
            break
        result = None
    return min(runs), runs, result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# A child measuring "before the fixes" imports sla_core from this checkout (see run.py --before)
CODE_ENV = "BENCH_CODE"
VARIANT_ENV = "BENCH_VARIANT"  # "before" in a child measuring the code before the fixes


def code_root() -> Path:
    """Where sla_core, app.py and pages/ come from in this process: the project, or a checkout."""
    return Path(os.environ.get(CODE_ENV) or ROOT)


def env_with_root() -> dict[str, str]:
    """The environment for a child process that imports sla_core (and bench) from the code root."""
    env = dict(os.environ)
    paths = [str(code_root()), str(ROOT), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(p for p in paths if p))
    return env


def wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> float:
    """Seconds until the server on `port` answers its health check (it must not exit first)."""
    start = time.perf_counter()
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.read().strip() == b"ok":
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("streamlit did not become ready")


def start_app(db: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """The app on a free loopback port on the store `db`, once its health check answers; `options`: more
    Streamlit options (`--secrets.files`, `--runner.postScriptGC`, …). For the browser tests and the load
    benchmark."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.runOnSave", "false"]
    command += ["--browser.gatherUsageStats", "false", *options]
    env = {**os.environ, "SLA_DB": str(db)}
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, proc)
    except (RuntimeError, TimeoutError):
        proc.kill()
        raise RuntimeError("the app did not start") from None
    return proc, f"http://127.0.0.1:{port}"
