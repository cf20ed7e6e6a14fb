"""A user's first days: a contract with no data yet, and a month with tickets but no surveys or outage
log. Every page says what to upload and links to Upload with that file kind chosen; none crashes."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from apptools import assert_clean, open_app

from ui.strings import TEXT

PAGES = (None, "timeliness", "satisfaction", "availability", "breaches", "quarterly")
TITLES = {
    None: "page_overview",
    "timeliness": "page_timeliness",
    "satisfaction": "page_satisfaction",
    "availability": "page_availability",
    "breaches": "page_breaches",
    "quarterly": "page_quarterly",
}


def _upload_links(at) -> list[str]:
    """The query of each link to Upload on the page."""
    # the file kind each link to Upload chooses (the links also carry the view: language, contract…)
    links = [parse_qs(link.proto.query_string) for link in at.get("page_link") if link.proto.page == "upload"]
    return [f"kind={q['kind'][0]}" for q in links]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_a_contract_without_data_shows_what_to_upload_on_every_page(sparse_db, monkeypatch, page, lang):
    at = open_app(sparse_db, monkeypatch, page, app_contract="empty-one", lang=lang)
    assert_clean(at)
    i = 0 if lang == "zh" else 1
    assert at.title[0].value == TEXT[TITLES[page]][i]
    assert [info.value for info in at.info] == [TEXT["empty_contract"][i].format(name="空合同")]
    assert _upload_links(at) == ["kind=tickets"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_month_without_surveys_says_so_and_still_shows_the_other_months(sparse_db, monkeypatch, lang):
    at = open_app(sparse_db, monkeypatch, "satisfaction", app_contract="sparse", lang=lang)
    assert_clean(at)
    period = "2026年10月" if lang == "zh" else "Oct 2026"
    message = TEXT["empty_surveys_period"][0 if lang == "zh" else 1].format(period=period)
    assert [info.value for info in at.info] == [message]
    assert _upload_links(at) == ["kind=surveys"]
    assert at.get("plotly_chart"), "September's trend is still drawn"


def test_a_month_with_surveys_has_no_empty_state(sparse_db, monkeypatch):
    at = open_app(sparse_db, monkeypatch, "satisfaction", app_contract="sparse", app_month="2026-09")
    assert_clean(at)
    assert not at.info and not _upload_links(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_outage_log_says_what_to_upload(sparse_db, monkeypatch, lang):
    at = open_app(sparse_db, monkeypatch, "availability", app_contract="sparse", lang=lang)
    assert_clean(at)
    assert [info.value for info in at.info] == [TEXT["empty_outages"][0 if lang == "zh" else 1]]
    assert _upload_links(at) == ["kind=outages"]


@pytest.mark.parametrize("page", [None, "timeliness", "breaches", "quarterly"])
def test_pages_fed_by_tickets_render_a_month_without_surveys_or_outages(sparse_db, monkeypatch, page):
    at = open_app(sparse_db, monkeypatch, page, app_contract="sparse")
    assert_clean(at)
    assert "2026" in at.title[0].value


def test_the_upload_link_chooses_the_file_kind(sparse_db, monkeypatch):
    at = open_app(sparse_db, monkeypatch, "upload", app_contract="sparse")
    at.query_params = {"kind": "outages"}
    at.run()
    assert_clean(at)
    assert at.session_state["upload_kind"] == "outages"
    assert at.query_params["kind"] == "outages"


def test_an_unknown_kind_in_a_link_is_ignored(sparse_db, monkeypatch):
    at = open_app(sparse_db, monkeypatch, "upload", app_contract="sparse")
    at.query_params = {"kind": "secrets"}
    at.run()
    assert_clean(at)
    assert at.session_state["upload_kind"] == "tickets"
