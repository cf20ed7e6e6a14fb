"""The Breaches screen draws its obligations at the widths the browser test measures as fitting
(tests/e2e/test_breaches_layout.py): the KPI column is no longer left to auto-sizing, which cut it."""

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
