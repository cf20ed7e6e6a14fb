"""The Chinese UI in a real browser shows none of Streamlit's own English words (the uploader's "Upload"
and "200MB per file", the multiselect's "Choose options", the "Page not found" dialog, the keyboard's
"Skip to main content" link), and the
quarterly review's presentation mode is readable from the back of a room at 1920×1080."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from browsertools import settle, shot

PAGES = [
    "overview",
    "timeliness",
    "satisfaction",
    "availability",
    "breaches",
    "quarterly",
    "upload",
    "contract",
]
STREAMLIT_ENGLISH = re.compile(
    r"Drag and drop|per file|\bUpload\b|Browse files|Choose options?|Choose an option|Select all|"
    r"Page not found|No results|does not seem to exist"
)


def _visible_text(page) -> str:
    """What a user reads: the text drawn (not display:none), with pseudo-element text and placeholders."""
    return page.evaluate(
        """() => {
          const parts = [document.body.innerText];
          for (const el of document.querySelectorAll('*')) {
            const after = getComputedStyle(el, '::after').content;
            if (after && after !== 'none' && after !== 'normal' && el.offsetParent !== null) parts.push(after);
            if (el.placeholder && el.offsetParent !== null) parts.push(el.placeholder);
          }
          return parts.join('\\n');
        }"""
    )


@pytest.mark.parametrize("path", PAGES)
def test_no_streamlit_english_on_any_page_in_chinese(app_url, page, path):
    page.goto(f"{app_url}/{path}")
    settle(page)
    expander = page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary')
    if expander.count():
        expander.first.click()  # the filters: their multiselects' placeholders
        time.sleep(1)
    text = _visible_text(page)
    assert not STREAMLIT_ENGLISH.findall(text), STREAMLIT_ENGLISH.findall(text)
    if path == "upload":
        assert "将文件拖放到此处" in text and "浏览文件" in text
    if path == "overview":
        assert "全部（可多选）" in text


def test_overview_reloads_at_its_own_address_and_a_wrong_one_says_so_in_chinese(app_url, page):
    page.goto(f"{app_url}/overview")
    settle(page)
    page.reload()
    settle(page)
    assert urlsplit(page.url).path.endswith("/overview")  # the view's query may follow
    assert not STREAMLIT_ENGLISH.findall(_visible_text(page))
    page.goto(f"{app_url}/")
    settle(page)
    assert urlsplit(page.url).path.endswith(
        "/overview"
    )  # the view's query may follow  # the root opens the Overview at its address
    page.goto(f"{app_url}/no-such-page")
    settle(page)
    text = _visible_text(page)
    assert "Page not found" not in text and "没有“no-such-page”这个页面，已打开总览。" in text


def _drawn_text(page, selector: str) -> str:
    """The text an element draws: its own text unless its font size is zero, then its ::after content."""
    return page.evaluate(
        """(selector) => {
          const el = document.querySelector(selector);
          const own = parseFloat(getComputedStyle(el).fontSize) > 0 ? el.textContent.trim() : '';
          const after = getComputedStyle(el, '::after').content;
          const extra = after && after !== 'none' && after !== 'normal' ? after.replace(/^"|"$/g, '') : '';
          return (own + extra).trim();
        }""",
        selector,
    )


def test_the_keyboard_skip_link_speaks_the_users_language(app_url, page):
    """Streamlit's skip link, the first thing a keyboard user reaches (Tab), drawn in Chinese."""
    page.goto(f"{app_url}/overview")
    settle(page)
    page.evaluate("() => document.activeElement?.blur()")  # the keyboard starts from the document
    focused = ""
    for _ in range(3):  # the first stop of the keyboard (the page may take the first press itself)
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement?.dataset?.testid || ''")
        if focused == "stSkipToContent":
            break
    assert focused == "stSkipToContent"
    link = '[data-testid="stSkipToContent"]'
    assert page.locator(link).bounding_box()["width"] > 20  # drawn once focused
    shot(page, "skip-link-zh")
    assert _drawn_text(page, link) == "跳到主要内容"
    page.goto(f"{app_url}/overview?lang=en")
    settle(page)
    assert _drawn_text(page, link) == "Skip to main content"


def test_presentation_mode_draws_every_text_at_18px_or_more_at_1920x1080(app_url, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/quarterly")
        settle(page)
        page.get_by_text("演示模式").click()
        settle(page)
        small = page.evaluate(
            """() => {
              const out = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              while (walker.nextNode()) {
                const el = walker.currentNode.parentElement;
                if (!walker.currentNode.textContent.trim() || el.closest('svg, style, script')) continue;
                const box = el.getBoundingClientRect();
                if (box.width <= 1 || box.height <= 1) continue;  // visually hidden (the skip link)
                const size = parseFloat(getComputedStyle(el).fontSize);
                if (size < 18) out.push([walker.currentNode.textContent.trim().slice(0, 30), size]);
              }
              return out;
            }"""
        )
        assert not small, small
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.get_by_text("季度内月度未达标 4 项").is_visible()
        shot(page, "quarterly-presentation-1920")
    finally:
        context.close()
