"""The Breaches screen as a 1440×900 screenshot showed it: the obligations drawn at the widths the browser
test measures as fitting (tests/e2e/test_breaches_layout_in_browser.py; auto-sizing cut the KPI column), the
excluded tickets' months in words and no contract key in their note."""

from __future__ import annotations

import json

from apptools import assert_clean, open_app

from ui.components import OBLIGATION_WIDTHS


def test_the_obligations_are_drawn_at_their_widths(demo_db, monkeypatch):
    for lang in ("zh", "en"):
        at = open_app(demo_db, monkeypatch, page="breaches")
        at.query_params = {"lang": lang, "contract": "demo-helpdesk", "month": "2026-10"}
        at.run()
        assert_clean(at)
        [table] = [df for df in at.dataframe if {"kpi", "due"} <= set(df.value.columns)]
        config = json.loads(table.proto.columns)
        drawn = [c for c in table.proto.column_order if not config.get(c, {}).get("hidden")]  # not the id
        assert {"kind", "kpi", "months", "due", "status"} <= set(drawn)
        assert {c: config[c]["width"] for c in drawn} == {c: OBLIGATION_WIDTHS[lang][c] for c in drawn}
        assert config["kpi"]["help"] == config["kpi"]["label"] == ("指标" if lang == "zh" else "KPI")


def test_the_excluded_tickets_read_in_words(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch, page="breaches")
    at.query_params = {"lang": "zh", "contract": "demo-helpdesk", "month": "2026-10"}
    at.run()
    assert_clean(at)
    [register] = [df.value for df in at.dataframe if "申请方" in df.value.columns]
    assert register["月份"].str.fullmatch(r"2026年\d{1,2}月").all(), register["月份"].tolist()
    notes = " ".join(c.value for c in at.caption)
    assert "免责工单" in notes or "免责" in notes
    assert "provider_exclusions" not in notes and "accepted" not in notes
