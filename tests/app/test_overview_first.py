"""The five-second test: the Overview opens with what needs attention — October's one missed KPI,
its two penalty items listed, the overdue obligations with both day counts — and a verdict count is a
filter."""

from __future__ import annotations

from urllib.parse import parse_qs

from apptools import assert_clean, open_app, table_with


def _headers(at) -> list[str]:
    return [h.value for h in at.subheader]


def test_attention_comes_first_with_the_missed_kpi(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    assert_clean(at)
    headers = _headers(at)
    assert headers.index("需要关注") < headers.index("其余指标") < headers.index("待办义务")
    markdown = [m.value for m in at.markdown]
    labels = [m for m in markdown if 'class="sla-tile-label"' in m]
    assert "恢复时间" in labels[0] and "未达标" in labels[0]  # the 17th tile before: now the first


def test_penalty_items_are_listed_not_counted(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    items = table_with(at, "what")
    assert items[["kind", "what", "amount"]].to_dict("records") == [
        {"kind": "超时工单", "what": "GD202610000178（首次响应 · P2）", "amount": 10_000.0},
        {"kind": "未达标指标", "what": "恢复时间", "amount": 10_000.0},
    ]
    assert "¥20,000.00" in [m.value for m in at.metric]


def test_overdue_obligations_are_named_with_their_days(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    lines = [m.value for m in at.markdown if m.value.startswith("- ")]
    plan = next(line for line in lines if "改进计划" in line)
    assert "首次解决率" in plan and "截止 2026-06-15" in plan and "逾期 140 天" in plan  # as of 2026-11-02


def test_a_verdict_count_shows_only_its_kpis(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    pills = at.get("button_group")[0]
    assert [o.content for o in pills.proto.options][:2] == [":red[未达标 1]", ":green[达标 16]"]
    at = open_app(demo_db, monkeypatch, overview_status="missed")
    assert_clean(at)
    assert "只显示：未达标（1）" in _headers(at)
    labels = [m.value for m in at.markdown if 'class="sla-tile-label"' in m.value]
    assert len(labels) == 1 and "恢复时间" in labels[0]
    assert at.query_params["status"] == "missed"


def test_a_link_with_a_verdict_opens_filtered(demo_db, monkeypatch):
    at = open_app(demo_db, monkeypatch)
    at.query_params = {"status": "met", "month": "2026-10"}
    at.run()
    assert "只显示：达标（16）" in _headers(at)


def test_a_month_without_surveys_or_outages_points_to_the_missing_files(sparse_db, monkeypatch):
    at = open_app(sparse_db, monkeypatch, app_contract="sparse")
    assert_clean(at)
    links = {
        parse_qs(link.proto.query_string)["kind"][0]
        for link in at.get("page_link")
        if link.proto.page == "upload"
    }
    assert {"surveys", "outages", "measures"} <= links
