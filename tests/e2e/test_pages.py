"""Every page in a real browser: no error element, a 1440×900 screenshot each, state kept across pages,
and a spreadsheet uploaded through the browser changes the tiles."""

from __future__ import annotations

import re

import pytest
from browsertools import errors_on, settle, shot

pytestmark = pytest.mark.e2e

PAGES = {
    "": "总览",
    "timeliness": "时效",
    "satisfaction": "满意度",
    "availability": "可用性",
    "breaches": "违约与罚金",
    "quarterly": "季度评审",
    "upload": "上传数据",
    "contract": "合同条款",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_without_errors(app_url, page, path):
    page.goto(f"{app_url}/{path}")
    settle(page)
    assert PAGES[path] in page.locator("h1").first.inner_text()
    assert errors_on(page) == []
    assert shot(page, path or "overview").stat().st_size > 10_000


def test_overview_shows_tiles_and_english_switch(app_url, page):
    page.goto(app_url)
    settle(page)
    assert page.get_by_text("首次响应达标率").first.is_visible()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    assert page.locator("h1").first.inner_text() == "Overview · Oct 2026"
    assert page.get_by_text("Response within target").first.is_visible()
    shot(page, "overview-en")


def test_the_month_chosen_survives_moving_between_pages(app_url, page):
    page.goto(app_url)
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').nth(1).click()  # the contract's, then the month's
    page.get_by_role("option", name="2026年6月").click()
    settle(page)
    assert "2026年6月" in page.locator("h1").first.inner_text()
    sidebar.get_by_role("link", name=re.compile("可用性")).click()
    settle(page)
    assert page.locator("h1").first.inner_text() == "可用性 · 2026年6月"
    shot(page, "availability-june")


def test_a_spreadsheet_uploaded_in_the_browser_changes_the_tiles(app_url, page, tmp_path):
    page.goto(app_url)
    settle(page)
    before = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    sheet = tmp_path / "新工单.csv"
    sheet.write_text(
        "工单号,创建时间,优先级,首次响应时间,解决时间\n"
        "E2E-1,2026-10-12 10:00,重要,2026-10-12 11:30,2026-10-12 12:00\n"
        "E2E-2,2026-10-13 10:00,重要,2026-10-13 11:00,2026-10-13 12:00\n",
        encoding="utf-8",
    )
    page.goto(f"{app_url}/upload")
    settle(page)
    # sign-in is off: a change needs the operator's name (the audit log records it)
    operator = page.locator('[data-testid="stSidebar"] [data-testid="stTextInputField"]')
    operator.fill("测试员")
    operator.press("Enter")
    settle(page)
    page.locator('input[type="file"]').set_input_files(str(sheet))
    settle(page)
    page.get_by_role("button", name="导入 2 行").click()
    # the import's rerun may start after settle() has seen a quiet page (a loaded machine): wait for it
    page.get_by_text("已导入为批次").first.wait_for(state="visible", timeout=90_000)
    settle(page)
    assert page.get_by_text("已导入为批次").first.is_visible()
    shot(page, "upload-done")
    page.goto(app_url)
    settle(page)
    after = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert (before, after) == ("¥20,000.00", "¥40,000.00")


def test_a_table_downloads_with_the_headers_the_page_shows(app_url, page, tmp_path):
    page.goto(f"{app_url}/breaches")
    settle(page)
    page.get_by_role("tab", name="义务").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 CSV").first.click()
    path = tmp_path / "obligations.csv"
    download.value.save_as(path)
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",")[:4] == ["id", "类型", "指标", "月份"]
    assert "status_code" not in header
