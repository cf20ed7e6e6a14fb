"""The view lives in the address bar: a link with contract, period, filters and language opens exactly
that view, the session writes its view back, and an empty query (moving between pages) keeps it."""

from __future__ import annotations

from apptools import assert_clean, open_app


def test_the_address_bar_shows_the_view(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    assert at.query_params == {"lang": "zh", "contract": "demo-helpdesk", "month": "2026-10"}


def test_a_link_opens_its_month_language_and_filters(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.query_params = {"month": "2026-06", "lang": "en", "contract": "demo-helpdesk", "team": ["网络组"]}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "Overview · Jun 2026"
    assert at.session_state["app_filter_team"] == ["网络组"]
    assert any("Filtered" in info.value for info in at.info)
    assert at.query_params == {
        "lang": "en",
        "contract": "demo-helpdesk",
        "month": "2026-06",
        "team": "网络组",
    }


def test_a_link_without_filters_clears_the_sessions_filters(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, app_filter_team=["网络组"])
    at.query_params = {"month": "2026-05", "contract": "demo-helpdesk", "lang": "zh"}
    at.run()
    assert at.session_state["app_filter_team"] == []
    assert at.title[0].value == "总览 · 2026年5月"


def test_a_quarter_and_a_range_from_a_link(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.query_params = {"quarter": "2026Q2", "lang": "zh"}
    at.run()
    assert at.title[0].value == "总览 · 2026年第2季度"
    assert at.query_params["quarter"] == "2026Q2" and "month" not in at.query_params
    at.query_params = {"from": "2026-08-01", "to": "2026-09-15"}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "总览 · 2026-08-01 – 2026-09-15"
    assert (at.query_params["from"], at.query_params["to"]) == ("2026-08-01", "2026-09-15")


def test_a_month_the_data_does_not_hold_falls_back_to_the_latest(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.query_params = {"month": "2031-01", "contract": "nobody", "lang": "xx"}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "总览 · 2026年10月"
    assert at.query_params == {"lang": "zh", "contract": "demo-helpdesk", "month": "2026-10"}


def test_a_range_starting_before_the_data_starts_at_its_first_day(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.query_params = {"from": "2025-01-01", "to": "2026-01-31"}
    at.run()
    assert_clean(at)
    assert at.query_params["from"] == "2026-01-01"


def test_an_empty_query_keeps_the_sessions_view(demo_db, monkeypatch):
    # Streamlit drops the query when the user moves to another page: the view stays and is written back
    at = open_app(demo_db, monkeypatch, lang="en", app_month="2026-07")
    at.query_params = {}
    at.switch_page("pages/timeliness.py").run()
    assert_clean(at)
    assert at.title[0].value == "Timeliness · Jul 2026"
    assert at.query_params == {"lang": "en", "contract": "demo-helpdesk", "month": "2026-07"}


def test_language_switch_is_written_to_the_link(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.session_state["lang"] = "en"
    at.run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Overview · Oct 2026"
