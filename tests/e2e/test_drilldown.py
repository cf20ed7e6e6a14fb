"""From a number to its rows in the real browser: a tile's 详情 opens its KPI with the period, a
scorecard cell opens that KPI for that month, a heatmap cell lists its breached tickets."""

from __future__ import annotations

import time

from browsertools import errors_on, settle


def test_a_tile_opens_its_kpi_with_the_rows(app_url, page):
    page.goto(f"{app_url}/?lang=zh&month=2026-10")
    settle(page)
    # the missed KPI stands first under 需要关注: its 详情 leads to its rows
    page.locator('[class*="st-key-tile_missed_"]').first.get_by_text("详情").click()
    settle(page)
    assert page.locator("h1").first.inner_text() == "恢复时间 · 2026年10月"
    assert "kpi=recovery_time_hours" in page.url and "month=2026-10" in page.url
    body = page.inner_text("body")
    assert "4.50 小时（报告值）" in body and "明细（1 行）" in body  # the month's reported measure
    assert not errors_on(page)
    page.reload()  # the link reproduces the view
    settle(page)
    assert page.locator("h1").first.inner_text() == "恢复时间 · 2026年10月"


def test_a_scorecard_cell_opens_that_kpi_for_that_month(app_url, page):
    page.goto(f"{app_url}/quarterly?lang=zh&quarter=2026Q4")  # Quarterly opens on Q3 unless asked
    settle(page)
    grid = page.locator(".st-key-quarterly_scorecard")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box
    # the last column (October), the 18th row (恢复时间, after the workaround KPI): header 35 px, rows 35 px
    page.mouse.click(box["x"] + box["width"] - 40, box["y"] + 35 + 35 * 17 + 17)
    time.sleep(2)
    settle(page)
    assert page.locator("h1").first.inner_text() == "恢复时间 · 2026年10月"
    assert not errors_on(page)


def test_a_heatmap_cell_lists_its_breached_tickets(app_url, page):
    page.goto(f"{app_url}/timeliness?lang=zh&quarter=2026Q3")
    settle(page)
    plot = page.locator(".st-key-timeliness_heatmap .nsewdrag").first
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    assert box
    page.mouse.click(box["x"] + 10.5 * box["width"] / 24, box["y"] + 1.5 * box["height"] / 7)  # Tue 10:00
    time.sleep(2)
    settle(page)
    headers = [h.inner_text() for h in page.query_selector_all("h3")]
    assert any(h.endswith("创建的超时工单") and h.startswith("周") for h in headers), headers
    assert not errors_on(page)
