"""Time as the reader lives it: on 2026-12-03 the October provider report (due 2026-11-05) is 28 days
late though the data, as of 2026-11-02, counts 3 days left; both counts show with 天, and every page
warns that the newest data is a month old. A week-old data set warns nowhere."""

from __future__ import annotations

from datetime import date

import pytest
from apptools import open_app, table_with

from ui import state


def _on(monkeypatch, day: date) -> None:
    monkeypatch.setattr(state, "today", lambda ctx: day)


def test_breaches_counts_the_days_from_the_data_and_from_today(demo_db, monkeypatch):
    _on(monkeypatch, date(2026, 12, 3))
    at = open_app(demo_db, monkeypatch, "breaches")
    table = table_with(at, "days_left_today").set_index("id")
    report = table.loc["provider_report:2026-10"]
    assert (report["days_left"], report["days_left_today"]) == ("3 天", "逾期 28 天")


def test_quarterly_counts_them_too(demo_db, monkeypatch):
    _on(monkeypatch, date(2026, 12, 3))
    at = open_app(demo_db, monkeypatch, "quarterly")
    table = table_with(at, "days_left_today")
    row = table.loc[table["months"] == "2026年10月"].iloc[0]
    assert (row["days_left"], row["days_left_today"]) == ("3 天", "逾期 28 天")


@pytest.mark.parametrize(
    "page", ["overview", "timeliness", "satisfaction", "availability", "breaches", "kpi"]
)
def test_every_page_warns_when_the_data_is_more_than_a_week_old(demo_db, monkeypatch, page):
    _on(monkeypatch, date(2026, 12, 3))
    at = open_app(demo_db, monkeypatch, page)
    assert any("最新数据截至 2026-11-02，已是 31 天前" in w.value for w in at.warning)


def test_no_warning_at_a_week_and_no_second_count_on_the_same_day(demo_db, monkeypatch):
    _on(monkeypatch, date(2026, 11, 9))  # 7 days after the data's as-of: not yet stale
    at = open_app(demo_db, monkeypatch)
    assert not any("最新数据截至" in w.value for w in at.warning)
    _on(monkeypatch, date(2026, 11, 10))  # 8 days: stale
    at = open_app(demo_db, monkeypatch)
    assert any("已是 8 天前" in w.value for w in at.warning)
    _on(monkeypatch, date(2026, 11, 2))
    at = open_app(demo_db, monkeypatch, "breaches")
    assert "days_left_today" not in table_with(at, "days_left").columns
