"""Helpers for the browser tests: wait for a page to settle, find errors, take screenshots."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page

SHOTS = Path(__file__).with_name("screenshots")


def settle(page: Page, timeout: float = 90) -> None:
    """Wait until the script run has finished and every element has drawn."""
    page.wait_for_selector("h1", timeout=timeout * 1000)
    deadline = time.time() + timeout
    quiet = 0
    while time.time() < deadline:
        busy = page.query_selector_all('[data-testid="stSkeleton"], [data-testid="stStatusWidget"]')
        quiet = quiet + 1 if not busy else 0
        if quiet >= 3:
            break
        time.sleep(0.3)
    time.sleep(0.5)


def errors_on(page: Page) -> list[str]:
    found = page.query_selector_all('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [e.inner_text() for e in found]


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
