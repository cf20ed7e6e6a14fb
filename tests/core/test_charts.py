"""Charts speak the page's language, hovers included."""

from __future__ import annotations

import pandas as pd

from sla_core import charts


def _months() -> pd.DataFrame:
    return pd.DataFrame(
        {"month": ["2026-05", "2026-06"], "downtime_minutes": [28.0, 163.0], "budget_minutes": [44.6, 43.2]}
    )


def test_error_budget_hovers_in_the_users_language() -> None:
    zh = charts.error_budget(_months(), "zh")
    en = charts.error_budget(_months(), "en")
    assert all("分钟" in trace.hovertemplate for trace in zh.data)
    assert all(" min" in trace.hovertemplate and "分钟" not in trace.hovertemplate for trace in en.data)
    assert list(zh.data[0].x) == ["5月", "6月"]


def test_a_month_over_its_budget_is_drawn_as_a_miss() -> None:
    colors = charts.error_budget(_months(), "en").data[0].marker.color
    assert colors[0] == charts.SERIES[0]
    assert colors[1] == charts.STATUS_COLORS["missed"]
