"""From a number to its rows: a tile's 详情 and a scorecard cell open one KPI for one period — its
definition and contract term, value = numerator / denominator, and the rows of each, downloadable."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from apptools import assert_clean, open_app, table_with, texts

from ui.components import cell_target


def _kpi_page(demo_db, monkeypatch, **query):
    at = open_app(demo_db, monkeypatch, page="kpi")
    at.query_params = {"lang": "zh", "contract": "demo-helpdesk", **query}
    at.run()
    return at


def test_every_tile_links_to_its_kpi_for_the_period(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    details = [link for link in at.get("page_link") if link.proto.label == "详情"]
    assert (
        len(details) == 20
    )  # one per KPI of the demo table (18 built-in with the workaround, 2 of its own), each with its id
    queries = [parse_qs(link.proto.query_string) for link in details]
    assert {q["kpi"][0] for q in queries} >= {"recovery_time_hours", "csat_mean"}
    # the link carries the view too: the KPI opens for the tile's month, in the tile's language
    assert all((q["month"], q["lang"]) == (["2026-10"], ["zh"]) for q in queries)


def test_a_rate_kpi_shows_its_equation_and_every_ticket_of_it(demo_db, monkeypatch):
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="response_within_target")
    assert_clean(at)
    assert at.title[0].value == "首次响应达标率 · 2026年10月"
    shown = texts(at)
    assert "99.8% = 506 / 507" in shown  # the October tile's value, numerator and denominator
    assert "合同目标：首次响应达标率 ≥ 95%" in shown
    assert "response_within_target" not in shown and ">= 95%" not in shown  # no contract keys on screen
    rows = table_with(at, "in_numerator")
    assert len(rows) == 507 and (rows["in_numerator"] == "是").sum() == 506
    # the one breached ticket comes first: it is what the reader came for
    first = rows.iloc[0]
    assert first["ticket_id"] == "GD202610000178" and first["in_numerator"] == "否"
    assert "超时" in first["detail"]
    assert {b.label for b in at.get("download_button")} >= {"下载 CSV", "下载 Excel"}
    assert at.query_params["kpi"] == "response_within_target" and at.query_params["month"] == "2026-10"


def test_only_the_rows_outside_the_numerator(demo_db, monkeypatch):
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="response_within_target")
    at.get("button_group")[0].set_value("outside").run()
    rows = table_with(at, "in_numerator")
    assert rows["ticket_id"].tolist() == ["GD202610000178"]


def test_a_quarter_pools_its_months(demo_db, monkeypatch):
    at = _kpi_page(demo_db, monkeypatch, quarter="2026Q3", kpi="csat_satisfied_share")
    assert_clean(at)
    assert "94.1% = 764 / 812" in texts(at)
    rows = table_with(at, "score")
    assert len(rows) == 812 and (rows["in_numerator"] == "是").sum() == 764


def test_a_reported_measure_shows_its_row(demo_db, monkeypatch):
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="recovery_time_hours")
    assert_clean(at)
    rows = table_with(at, "note")
    assert rows["value"].tolist() == ["4.50 小时"]


def test_an_unknown_kpi_in_a_link_opens_the_first_one(demo_db, monkeypatch):
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="nonsense")
    assert_clean(at)
    assert at.title[0].value.startswith("首次响应达标率")


def test_in_english_the_rows_say_yes_and_no(demo_db, monkeypatch):
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="complaint_rate")
    at.query_params = {"lang": "en", "contract": "demo-helpdesk", "month": "2026-10", "kpi": "complaint_rate"}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "Complaint rate · Oct 2026"
    rows = table_with(at, "in_numerator")
    assert (rows["in_numerator"] == "yes").sum() == 7 and set(rows["in_denominator"]) == {"yes"}


def test_a_scorecard_cell_names_its_kpi_and_period():
    columns = ["目标", "2026年第3季度", "7月", "8月", "9月"]
    kpis = ["response_within_target", "csat_mean"]
    periods = [None, "2026Q3", "2026-07", "2026-08", "2026-09"]
    assert cell_target([(1, "8月")], columns, kpis, periods) == ("csat_mean", "2026-08")
    assert cell_target([(0, "2026年第3季度")], columns, kpis, periods) == ("response_within_target", "2026Q3")
    assert cell_target([(0, "目标")], columns, kpis, periods) is None  # the target is no period
    assert cell_target([], columns, kpis, periods) is None
    assert cell_target([(2, "7月")], columns, kpis, periods) is None  # no such row


def test_a_heatmap_click_names_its_weekday_and_hour():
    from ui.components import heatmap_cell

    # the clickable layer (trace 1) numbers the cells weekday × 24 + hour
    assert heatmap_cell([{"curve_number": 1, "point_index": 24 + 9}]) == (1, 9)
    assert heatmap_cell([{"curve_number": 1, "point_index": 0}]) == (0, 0)
    assert heatmap_cell([{"curve_number": 0, "point_index": 5}]) is None  # the colour layer
    assert heatmap_cell([{"curve_number": 1, "point_index": 7 * 24}]) is None
    assert heatmap_cell([]) is None


def test_the_heatmap_has_a_clickable_cell_per_weekday_and_hour():
    import numpy as np

    from sla_core import charts

    grid = np.zeros((7, 24), dtype="int64")
    grid[1, 9] = 3
    layer = charts.breach_heatmap(grid, "zh").data[1]
    assert len(layer.x) == 7 * 24 and (layer.y[24 + 9], layer.x[24 + 9]) == ("周二", "09")
    assert layer.customdata[24 + 9] == 3


def test_a_kpi_the_contract_declares_opens_too(demo_db, monkeypatch):
    for kpi in ("data_accuracy", "chat_reply_2m", "workaround_within_target"):
        at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi=kpi)
        assert_clean(at)
        assert at.query_params["kpi"] == kpi


def test_a_contract_ticket_share_lists_the_tickets_of_its_equation(demo_db, monkeypatch):
    """The demo contract's own 在线客服2分钟响应率 (kind ticket_share): one row per judged chat ticket, as
    many as the denominator shown, those in the numerator as many as the numerator, the breached first."""
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="chat_reply_2m")
    assert_clean(at)
    equation = re.search(r"[\d.]+% = ([\d,]+) / ([\d,]+)", texts(at))
    assert equation is not None
    numerator, denominator = (int(x.replace(",", "")) for x in equation.groups())
    rows = table_with(at, "in_numerator")
    assert len(rows) == denominator > 0 and (rows["in_numerator"] == "是").sum() == numerator
    assert rows["in_numerator"].iloc[0] == ("否" if numerator < denominator else "是")
    assert rows["detail"].str.contains("目标 0:02:00").all()  # the contract KPI's own limit, 2 minutes


def test_a_contract_measure_lists_the_value_it_reports(demo_db, monkeypatch):
    """The demo contract's own 数据准确率 (kind measure): October's reported value, the tile's."""
    at = _kpi_page(demo_db, monkeypatch, month="2026-10", kpi="data_accuracy")
    assert_clean(at)
    rows = table_with(at, "note")
    assert len(rows) == 1 and rows["month"].tolist() == ["2026年10月"]
    assert f"{rows['value'].iloc[0]}（报告值）" in texts(at)
