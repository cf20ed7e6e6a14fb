"""Charts and tables built once for every session (ui.state.shared): a page drawn from the shared cache
shows exactly what it shows when everything is built for it alone, and a write that changes a figure
changes the chart everyone sees (the key holds the evaluation version)."""

from __future__ import annotations

import pytest
from apptools import assert_clean, open_app, texts

from sla_core import store as st_store
from sla_core import workspace
from ui import state

PAGES = ("overview", "timeliness", "satisfaction", "availability", "quarterly", "breaches")


def _charts(at) -> list[str]:
    """Every Plotly chart's spec (the JSON the browser draws), every table and every text, as sent."""
    specs = [e.proto.spec for e in at.get("plotly_chart")]
    tables = [e.value.to_csv() for e in at.dataframe]
    return [*specs, *tables, texts(at)]


def _built_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No shared cache: every view, chart and table built for this run alone."""
    monkeypatch.setattr(state, "shared", lambda name, ctx, build, *extra: build())
    monkeypatch.setattr(state, "_cached_view", state._cached_view.__wrapped__)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_from_the_shared_cache_is_the_page_built_for_it_alone(demo_db, monkeypatch, page):
    first = open_app(demo_db, monkeypatch, page)  # fills the cache (or finds it filled)
    again = open_app(demo_db, monkeypatch, page)  # another session: from the cache
    with monkeypatch.context() as m:
        _built_alone(m)
        alone = open_app(demo_db, m, page)
    assert_clean(again)
    assert _charts(first) == _charts(again) == _charts(alone)
    drawn = _charts(alone)
    assert [e for e in drawn if e.startswith("{")] or page in ("overview", "breaches"), (
        "the page draws charts"
    )
    assert len(drawn) >= 3


def test_a_page_in_english_is_not_the_chinese_page_from_the_cache(demo_db, monkeypatch):
    zh = open_app(demo_db, monkeypatch, "satisfaction")
    en = open_app(demo_db, monkeypatch, "satisfaction", lang="en")
    assert _charts(zh) != _charts(en)
    with monkeypatch.context() as m:
        _built_alone(m)
        assert _charts(open_app(demo_db, m, "satisfaction", lang="en")) == _charts(en)


def test_a_view_is_shared_by_the_sessions_that_show_it(demo_db, monkeypatch):
    one = open_app(demo_db, monkeypatch, "satisfaction").session_state["_ctx"]
    two = open_app(demo_db, monkeypatch, "satisfaction").session_state["_ctx"]
    assert state.view("satisfaction", one) is state.view("satisfaction", two)  # no copy per run


def test_a_write_that_changes_a_figure_changes_the_shared_chart(db, monkeypatch):
    before = open_app(db, monkeypatch, "satisfaction")
    store = workspace.open_workspace(db)
    surveys = workspace.snapshot(store, "demo-helpdesk").data.surveys
    assert surveys is not None
    lowest = str(surveys.sort_values("score")["response_id"].iloc[0])
    st_store.exclude_survey(store, "demo-helpdesk", lowest, "test: a duplicate", "测试员")
    after = open_app(db, monkeypatch, "satisfaction")
    assert _charts(after) != _charts(before)
    with monkeypatch.context() as m:
        _built_alone(m)
        assert _charts(open_app(db, m, "satisfaction")) == _charts(after)


def test_the_view_key_holds_store_contract_version_period_filters_and_language(db, monkeypatch):
    at = open_app(db, monkeypatch, "satisfaction")
    ctx = at.session_state["_ctx"]
    key = state.view_key(ctx)
    assert key == (str(db), "demo-helpdesk", ctx.snap.key, ctx.period, (), "zh")
    st_store.exclude_survey(workspace.open_workspace(db), "demo-helpdesk", "x-none", "test", "测试员")
    again = open_app(db, monkeypatch, "satisfaction")
    assert state.view_key(again.session_state["_ctx"])[2] != ctx.snap.key
