"""In the real browser: a link reproduces its view after a reload (page, contract, period, filters,
language), /overview opens the Overview, and a contract without data shows on every page what to upload
with a link to Upload — never an error."""

from __future__ import annotations

import importlib.util
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browsertools import errors_on, settle

from sla_core import workspace


def _start_app(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The e2e conftest's server starter, loaded by path (every test folder has a conftest module)."""
    spec = importlib.util.spec_from_file_location("e2e_conftest", Path(__file__).with_name("conftest.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.start_app(db)  # type: ignore[no-any-return]


PAGES = ("", "timeliness", "satisfaction", "availability", "breaches", "quarterly", "kpi")


@pytest.fixture(scope="module")
def app_with_empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo store plus a contract of the user's own with no data yet."""
    from sla_core import contract_edit as ce
    from sla_core import store as st
    from sla_core.demo import generate

    db = tmp_path_factory.mktemp("e2e-empty") / "sla.duckdb"
    store = workspace.open_workspace(db)
    workspace.load_demo(store)
    raw = ce.new_contract(generate().contract_text, "empty-one", "空合同")
    st.save_contract(store, ce.to_text(raw), "test")
    proc, base = _start_app(db)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("path", PAGES)
def test_an_empty_contract_says_what_to_upload_on_every_page(app_with_empty, page, path):
    page.goto(f"{app_with_empty}/{path}?lang=zh&contract=empty-one")
    settle(page)
    body = page.inner_text("body")
    assert "还没有数据" in body and "前往上传数据" in body, body[:400]
    assert not errors_on(page)
    page.get_by_text("前往上传数据").click()
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    assert urlparse(page.url).path == "/upload" and query["kind"] == ["tickets"]
    assert query["contract"] == ["empty-one"] and query["lang"] == ["zh"]


def test_a_link_reproduces_its_view_after_a_reload(app_with_empty, page):
    view = "lang=en&contract=demo-helpdesk&month=2026-06&team=%E7%BD%91%E7%BB%9C%E7%BB%84"  # 网络组
    page.goto(f"{app_with_empty}/timeliness?{view}")
    settle(page)
    assert page.locator("h1").first.inner_text() == "Timeliness · Jun 2026"
    assert "Filtered" in page.inner_text("body")
    menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Overview" in menu and "总览" not in menu  # the menu in the link's language, on its first run
    page.reload()
    settle(page)
    assert page.locator("h1").first.inner_text() == "Timeliness · Jun 2026"
    query = parse_qs(urlparse(page.url).query)
    assert (query["lang"], query["month"], query["team"]) == (["en"], ["2026-06"], ["网络组"])


def test_the_language_survives_a_reload_and_overview_is_a_page(app_with_empty, page):
    page.goto(f"{app_with_empty}/?lang=zh&contract=demo-helpdesk&month=2026-10")
    settle(page)
    page.get_by_text("English", exact=True).click()
    settle(page)
    assert page.locator("h1").first.inner_text() == "Overview · Oct 2026"
    assert "Timeliness" in page.locator('[data-testid="stSidebarNav"]').inner_text()  # the menu relabels too
    page.reload()
    settle(page)
    assert page.locator("h1").first.inner_text() == "Overview · Oct 2026"
    page.goto(f"{app_with_empty}/overview?lang=zh&contract=demo-helpdesk&month=2026-05")
    settle(page)
    assert page.locator("h1").first.inner_text() == "总览 · 2026年5月"
    assert "Page not found" not in page.inner_text("body")
