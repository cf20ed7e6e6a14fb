"""The Overview page in headless Chromium: start `streamlit run` on a free port, then time

- `cold`: the first navigation after the server started (loads the store and evaluates it);
- `warm`: a navigation in a new browser session (another user; the evaluation is cached);
- `filter`: in that session, choosing a team in the sidebar's filters until every tile is redrawn
  as filtered.

"Tiles visible" = the last KPI tile of the page is drawn; "redrawn as filtered" = its badge reads
已筛选 (the page is in Chinese by default). The server's peak memory comes from wait4 when it ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, code_root, env_with_root, free_port, wait_healthy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAST_TILE = ".st-key-tile_overview_recovery_time_hours"
FILTERED = "已筛选"
TIMEOUT_MS = 300_000


def _tiles_drawn(page: Any) -> None:
    page.wait_for_selector(f"{LAST_TILE} .sla-tile-value", state="visible", timeout=TIMEOUT_MS)


def _navigate(browser: Any, url: str) -> tuple[float, Any]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    _tiles_drawn(page)
    return time.perf_counter() - start, page


def _choose_team(page: Any) -> float:
    sidebar = page.locator('[data-testid="stSidebar"]')
    expander = sidebar.locator('[data-testid="stExpander"]').filter(has_text="筛选").first
    combo = expander.locator('[data-testid="stMultiSelect"]').filter(has_text="处理组").first
    combo = combo.locator('input[role="combobox"]')
    # the first team (the list starts with "Select all")
    option = page.locator('[role="listbox"] [role="option"]').filter(has_not_text="Select all").first

    def open_list() -> None:
        for _ in range(20):  # open the expander, then the list (a click while it animates may be lost)
            try:
                if expander.locator("details").get_attribute("open", timeout=5000) is None:
                    expander.locator("summary").click(timeout=5000)
                combo.click(timeout=5000)
                option.wait_for(state="visible", timeout=3000)
                return
            except Exception:  # playwright's TimeoutError: try again
                page.keyboard.press("Escape")
        option.wait_for(state="visible", timeout=TIMEOUT_MS)

    for attempt in range(5):  # the list may be redrawn under the click (the option detached): again
        open_list()
        start = time.perf_counter()
        try:
            option.click(timeout=5000)
            break
        except Exception:
            if attempt == 4:
                raise
            page.keyboard.press("Escape")
    page.wait_for_function(
        "([sel, text]) => { const b = document.querySelector(sel + ' .sla-badge');"
        " return b !== null && b.textContent.trim() === text; }",
        arg=[LAST_TILE, FILTERED],
        timeout=TIMEOUT_MS,
        polling=50,
    )
    return time.perf_counter() - start


def measure_app(script: str, store: Path | None, log_path: Path, **peer_env: Any) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = env_with_root()
    if store is not None:
        env["SLA_DB"] = str(store)
    for key, value in peer_env.items():
        env[f"BENCH_{key.upper()}"] = str(value)
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cmd += ["--server.fileWatcherType", "none", "--server.address", "127.0.0.1"]
    out: dict[str, Any] = {}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        start = time.perf_counter()
        cwd = ROOT if script.startswith("bench/") else code_root()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            out["server_ready_seconds"] = wait_healthy(port, proc)
            url = f"http://127.0.0.1:{port}/"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    out["cold_seconds"], first = _navigate(browser, url)
                    first.context.close()
                    warm_runs = []
                    page = None
                    for _ in range(3):
                        if page is not None:
                            page.context.close()
                        seconds, page = _navigate(browser, url)
                        warm_runs.append(seconds)
                    out["warm_runs"] = warm_runs
                    out["seconds"] = min(warm_runs)
                    out["filter_seconds"] = _choose_team(page)
                    page.context.close()
                finally:
                    browser.close()
            out["total_seconds"] = time.perf_counter() - start
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                _pid, _status, usage = _wait4(proc, 30)
                out["server_peak_rss"] = usage.ru_maxrss * 1024
            except TimeoutError:
                proc.kill()
                proc.wait()
    return out


def _wait4(proc: subprocess.Popen, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return pid, status, usage
        time.sleep(0.1)
    raise TimeoutError
