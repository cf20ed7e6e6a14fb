"""The quarterly review as a quality manager opens it for the meeting: the last complete quarter, one
period control, partial quarters labelled, the months inside the quarter that missed, and a presentation
mode for the projector."""

from __future__ import annotations

from apptools import assert_clean, open_app, texts

# The demo holds January–October 2026 as of 2026-11-02: Q3 is the last complete quarter, Q4 has October only.


def test_the_review_opens_on_the_last_complete_quarter_with_one_period_control(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, "quarterly", app_month="2026-10")
    assert_clean(at)
    assert at.selectbox(key="quarterly_quarter").value == "2026Q3"
    assert at.title[0].value == "季度评审 · 2026年第3季度"
    # the sidebar's period controls are not drawn on this page: one control only
    assert not [s for s in at.sidebar.selectbox if s.key in ("app_month", "app_quarter")]
    assert not [c for c in at.sidebar.get("segmented_control") if c.proto.id.endswith("app_period_kind")]


def test_a_partial_quarter_says_so_in_its_choice_and_title(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, "quarterly")
    choice = at.selectbox(key="quarterly_quarter")
    assert choice.options[-1] == "2026年第4季度（不完整：仅 10月）"
    assert choice.options[-2] == "2026年第3季度"
    choice.set_value("2026Q4").run()
    assert at.title[0].value == "季度评审 · 2026年第4季度（不完整：仅 10月）"
    english = open_app(demo_db, monkeypatch, "quarterly", lang="en")
    assert english.selectbox(key="quarterly_quarter").options[-1] == "2026 Q4 (partial: Oct only)"


def test_a_quarter_chosen_in_the_sidebar_is_the_one_reviewed(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, "quarterly", app_period_kind="quarter", app_quarter="2026Q2")
    assert at.selectbox(key="quarterly_quarter").value == "2026Q2"


def test_the_sidebars_month_survives_a_visit_to_the_review(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, "overview", app_month="2026-06")
    at.switch_page("pages/quarterly.py").run()
    at.switch_page("pages/overview.py").run()
    assert_clean(at)
    assert at.sidebar.selectbox(key="app_month").value == "2026-06"


def test_the_months_that_missed_inside_the_quarter_are_named(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, "quarterly")
    # Q3 meets every KPI as a quarter, yet four KPIs missed in one of its months (the Summary sheet agrees)
    assert "未达标 " not in texts(at).split("季度内")[0]  # no quarter-level miss badge
    assert (
        "季度内月度未达标 4 项：2026年7月：反馈处理及时率、计划外停机；2026年8月：满意度均分；2026年9月：投诉率"
        in texts(at)
    )


def test_presentation_mode_hides_the_sidebar_and_draws_large_html_tables(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, "quarterly")
    assert not at.table and at.dataframe  # the usual data grids
    at.toggle(key="quarterly_present").set_value(True).run()
    assert_clean(at)
    css = "\n".join(m.value for m in at.markdown if "<style>" in m.value)
    assert 'section[data-testid="stSidebar"]' in css and "font-size: 20px" in css
    assert len(at.table) >= 3 and not at.dataframe  # scorecard, comparison, penalties… as HTML
    scorecard = at.table[0].value
    assert "首次响应达标率" in scorecard.index and list(scorecard.columns)[1:] == [
        "2026年第3季度",
        "2026年7月",
        "8月",
        "9月",
    ]
