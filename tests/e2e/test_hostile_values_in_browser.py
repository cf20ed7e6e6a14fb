"""Hostile values on screen, in a real browser: HTML, script, markdown links and images and LaTeX in the
contract's name, in every free-text ticket field, in a stored file's name and in a file being uploaded
(its name, a line above its header, an invalid value) are shown as the text they are — every page is
drawn and none of them creates an element, runs a script or makes the browser fetch anything.

The payloads point at `pwn.invalid` (a name that never resolves) and carry ids starting with `pwn`: any
request to that host, any element with such an id, link or source, any emphasis or formula built from
them, or `window.__pwn` set, is a failure."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
import tomli_w
from browsertools import errors_on, settle
from conftest import start_app
from playwright.sync_api import Browser, Page

from sla_core import demo, workspace
from sla_core import store as st
from ui.components import WORD_JOINER

pytestmark = pytest.mark.e2e

HOST = "pwn.invalid"


def payload(tag: str) -> str:
    """HTML that would fetch and run, and markdown that would link, fetch, embolden and typeset."""
    return (
        f"<img src=http://{HOST}/{tag}h id=pwn-{tag} onerror=window.__pwn=1>"
        f"![p](http://{HOST}/{tag}m) [pwn-{tag}-link](http://{HOST}/{tag}l) "
        f"**pwn-{tag}-bold** _pwn-{tag}-em_ $pwn{tag}$"
    )


FIELDS = ("类别", "渠道", "客户", "处理组", "处理人")  # no exclusion reason: it would take the ticket out
PAGES = ("", "timeliness", "satisfaction", "availability", "breaches", "quarterly", "upload", "contract")


def _tickets_csv() -> bytes:
    header = "工单号,创建时间,优先级,首次响应时间,解决时间," + ",".join(FIELDS)
    # P1 (15 min, 24x7) answered after four hours: breached, so it is listed for the drill-down
    row = "HX-1,2026-10-12 10:00,P1,2026-10-12 14:00,2026-10-13 10:00," + ",".join(
        payload(f"t{i}") for i in range(len(FIELDS))
    )
    return f"{header}\n{row}\n".encode()


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("hostile") / "sla.duckdb"
    store = workspace.open_workspace(db)
    cid = workspace.load_demo(store)
    terms = tomllib.loads(demo.generate().contract_text)
    terms["contract"]["name"] = payload("name")
    saved = st.save_contract(store, tomli_w.dumps(terms), "e2e", as_new_revision=True)
    assert saved.contract_id == cid, saved.issues
    done = workspace.import_file(
        store, cid, "tickets", _tickets_csv(), user="e2e", file_name=payload("file")[:120] + ".csv"
    )
    assert done.stored, done.result.issues
    proc, base = start_app(db)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _watched(browser: Browser) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if HOST in r.url else None)
    return page, fetched


CREATED = """() => {
  const found = [];
  for (const e of document.querySelectorAll('[src], [href], [srcset], [action], [style*="url("]')) {
    if ((e.getAttribute('href') || '').startsWith('#')) continue;  // a heading's own anchor: a slug
    const where = ['src', 'href', 'srcset', 'action', 'style'].map(a => e.getAttribute(a) || '').join(' ');
    if (where.includes('pwn')) found.push(e.outerHTML.slice(0, 160));
  }
  for (const e of document.querySelectorAll('[id^="pwn"], strong, b, em, i, .katex, script, iframe, form'))
    if (e.id.startsWith('pwn') || (e.textContent || '').includes('pwn')) found.push(e.outerHTML.slice(0, 160));
  if (window.__pwn) found.push('a script ran');
  return found;
}"""


def _clean(page: Page, fetched: list[str], where: str) -> str:
    settle(page)
    assert errors_on(page) == [], where
    found = page.evaluate(CREATED)
    assert found == [], (where, found)
    assert fetched == [], where
    return page.locator("body").inner_text().replace(WORD_JOINER, "")  # breaks bare links, invisibly


def test_every_page_shows_hostile_values_as_text(browser: Browser, hostile_url: str):
    page, fetched = _watched(browser)
    for path in PAGES:
        page.goto(f"{hostile_url}/{path}")
        text = _clean(page, fetched, path or "overview")
        if path == "contract":  # the name reached the title, as text
            assert "**pwn-name-bold**" in page.locator("h1").first.inner_text()
    assert text  # the last page drew


def test_the_drill_down_shows_a_tickets_fields_as_text(browser: Browser, hostile_url: str):
    page, fetched = _watched(browser)
    page.goto(f"{hostile_url}/timeliness")
    settle(page)
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="查看单个工单")
    picker.scroll_into_view_if_needed()
    picker.click()
    page.keyboard.type("HX-1")  # the list is long and drawn as it scrolls: narrow it first
    page.get_by_role("option", name="HX-1").click()
    text = _clean(page, fetched, "drill-down")
    assert f"[pwn-t3-link](http://{HOST}/t3l)" in text  # the team, shown as written
    assert "**pwn-t3-bold** _pwn-t3-em_ $pwnt3$" in text


def test_an_uploaded_files_name_lines_and_values_are_shown_as_text(browser: Browser, hostile_url, tmp_path):
    page, fetched = _watched(browser)
    page.goto(f"{hostile_url}/upload")
    settle(page)
    sheet = tmp_path / "**pwn-upload-bold** [pwn-l](http:⁄⁄pwn.invalid⁄u).csv"
    above, bad = payload("above"), payload("prio")
    sheet.write_text(
        f"{above}\n工单号,创建时间,优先级\nHX-2,2026-10-12 10:00,{bad}\nHX-3,2026-10-12 10:00,P1\n",
        encoding="utf-8",
    )
    page.locator('input[type="file"]').set_input_files(str(sheet))
    settle(page)
    page.get_by_text("问题清单").first.wait_for(timeout=5000)  # the file was read and its problems listed
    found = page.evaluate(CREATED)
    assert found == [] and fetched == [], (found, fetched)
    shown = page.locator("body").inner_text().replace(WORD_JOINER, "")
    assert f"<img src=http://{HOST}/aboveh id=pwn-above" in shown  # the line above, shortened, as text
