"""One KPI for one period, down to its rows: value = numerator / denominator with the rows marked in
each, the definition and the contract's term in words (no contract keys)."""

from __future__ import annotations

from builders import dataset, make_contract

from sla_core.evaluate import evaluate, parse_as_of
from sla_core.views import Period
from sla_core.views.kpi import kpi_detail

C = make_contract()  # P1: 24x7, response 15 min; response_within_target >= 95%; availability >= 99.9%
MARCH = Period.month("2026-03")


def _tickets() -> list[dict[str, object]]:
    return [
        # answered in 5 min: met
        dict(ticket_id="A", created_at="2026-03-02 09:00", priority="P1", first_response_at="2026-03-02 09:05",
             resolved_at="2026-03-02 09:30"),
        # answered after an hour: breached
        dict(ticket_id="B", created_at="2026-03-03 09:00", priority="P1", first_response_at="2026-03-03 10:00",
             resolved_at="2026-03-03 10:30"),
        # a complaint, answered in 10 min: met
        dict(ticket_id="C", created_at="2026-03-04 09:00", priority="P1", first_response_at="2026-03-04 09:10",
             resolved_at="2026-03-04 09:40", category="complaint"),
    ]  # fmt: skip


def _march(**kinds: list[dict[str, object]]) -> object:
    return evaluate(C, dataset(tickets=_tickets(), **kinds), as_of=parse_as_of("2026-03-31", C))


def test_a_rate_is_its_rows_in_the_numerator_over_its_rows_in_the_denominator() -> None:
    ev = _march()
    d = kpi_detail(ev, dataset(tickets=_tickets()), MARCH, None, "response_within_target", "zh")
    assert d is not None
    assert d.equation == "66.7% = 2 / 3"  # A and C within 15 min, B not
    assert d.counted == (2, 3)
    rows = d.rows.set_index("ticket_id")
    assert rows["in_numerator"].to_dict() == {"B": "否", "A": "是", "C": "是"}
    assert d.rows["ticket_id"].iloc[0] == "B"  # outside the numerator first
    assert rows.loc["B", "detail"] == "1:00:00 / 目标 0:15:00 · 超时"
    assert d.clause == "合同目标：首次响应达标率 ≥ 95%（2026-01-01 起的条款）。"
    assert "response_within_target" not in d.definition + d.clause + d.equation


def test_the_denominator_holds_only_what_the_kpi_counts() -> None:
    ev = _march()
    d = kpi_detail(ev, dataset(tickets=_tickets()), MARCH, None, "complaint_rate", "en")
    assert d is not None and d.equation == "33.3% = 1 / 3"
    assert d.rows.set_index("ticket_id")["in_numerator"].to_dict() == {"A": "no", "B": "no", "C": "yes"}
    assert (d.numerator_what, d.denominator_what) == ("complaint tickets", "non-excluded tickets")


def test_a_filter_narrows_the_value_and_the_rows_alike() -> None:
    ev = _march()
    d = kpi_detail(
        ev, dataset(tickets=_tickets()), MARCH, {"category": ("complaint",)}, "response_within_target", "zh"
    )
    assert d is not None and d.equation == "100.0% = 1 / 1"
    assert d.rows["ticket_id"].tolist() == ["C"]


def test_availability_reads_in_minutes_with_its_outage() -> None:
    outage = [dict(service="邮件系统", start="2026-03-10 10:00", end="2026-03-10 10:44")]
    ev = _march(outages=outage)
    d = kpi_detail(ev, dataset(tickets=_tickets(), outages=outage), MARCH, None, "availability", "zh")
    assert d is not None
    # March has 31 × 24 × 60 = 44,640 minutes; 44 down leaves 44,596 up: 99.901%
    assert (d.numerator_text, d.denominator_text) == ("44,596.0 分钟", "44,640.0 分钟")
    # the month adds its 44,640 minutes to both; the outage takes its 44 from the numerator
    assert d.rows[["what", "service", "minutes", "numerator", "denominator"]].to_dict("records") == [
        {"what": "统计期间", "service": "", "minutes": 44640.0, "numerator": 44640.0, "denominator": 44640.0},
        {"what": "计划外停机（各服务合并）", "service": "邮件系统", "minutes": 44.0, "numerator": -44.0,
         "denominator": 0.0},
    ]  # fmt: skip
    assert (d.rows["numerator"].sum(), d.rows["denominator"].sum()) == (44596.0, 44640.0)


def test_a_kpi_without_its_file_says_so() -> None:
    ev = _march()
    d = kpi_detail(ev, dataset(tickets=_tickets()), MARCH, None, "csat_mean", "zh")
    assert d is not None and d.tile.status == "no_data"
    assert d.equation == "无数据：没有可计算的记录。" and d.rows.empty


def test_not_a_kpi() -> None:
    assert kpi_detail(_march(), dataset(tickets=_tickets()), MARCH, None, "nonsense", "zh") is None


def test_a_heatmap_cell_lists_the_breached_tickets_created_then() -> None:
    import pandas as pd

    from sla_core.views.timeliness import breached_in_cell

    breached = pd.DataFrame(
        {
            "ticket_id": ["Mon9", "Mon10", "Tue9"],
            # 2026-03-02 is a Monday
            "created": pd.to_datetime(["2026-03-02 09:59:59", "2026-03-02 10:00:00", "2026-03-03 09:30:00"]),
        }
    )
    assert breached_in_cell(breached, 0, 9)["ticket_id"].tolist() == ["Mon9"]
    assert breached_in_cell(breached, 0, 10)["ticket_id"].tolist() == ["Mon10"]
    assert breached_in_cell(breached, 1, 9)["ticket_id"].tolist() == ["Tue9"]
    assert breached_in_cell(breached, 6, 9).empty


def test_a_custom_range_lists_only_the_downtime_inside_it() -> None:
    from datetime import date

    outage = [
        dict(service="邮件系统", start="2026-03-10 10:00", end="2026-03-10 10:44"),
        dict(service="OA系统", start="2026-03-20 23:50", end="2026-03-21 00:20"),  # 10 min on the 20th
    ]
    ev = _march(outages=outage)
    data = dataset(tickets=_tickets(), outages=outage)
    d = kpi_detail(
        ev, data, Period.range(date(2026, 3, 15), date(2026, 3, 20)), None, "unplanned_downtime_minutes", "zh"
    )
    assert d is not None
    # the range's 6 days, then the one outage inside it (10 of its 30 minutes): 10 minutes over 1
    interval = d.rows.loc[d.rows["what"] == "计划外停机（各服务合并）"]
    assert interval[["service", "minutes"]].to_dict("records") == [{"service": "OA系统", "minutes": 10.0}]
    assert d.rows["minutes"].iloc[0] == 6 * 24 * 60
    assert (d.rows["numerator"].sum(), d.rows["denominator"].sum()) == (10.0, 1.0)


CHAT = {
    "id": "chat_reply_2m",
    "label": {"zh": "在线客服2分钟响应率", "en": "Online chat replied within 2 min"},
    "kind": "ticket_share",
    "where": {"channel": ["在线客服"]},
    "milestone": "response",
    "within": "2m",
    "clock": "24x7",
    "target": ">= 90%",
}
ACCURACY = {
    "id": "data_accuracy",
    "label": {"zh": "数据准确率", "en": "Data accuracy"},
    "kind": "measure",
    "target": ">= 99.5%",
}


def _chat(
    tid: str, created: str, answered: str | None, channel: str = "在线客服", **more: str
) -> dict[str, str]:
    row = dict(ticket_id=tid, created_at=created, priority="P3", channel=channel, **more)
    return row | ({"first_response_at": answered} if answered else {})


def _chats() -> list[dict[str, str]]:
    return [
        _chat("C1", "2026-03-03 22:00:00", "2026-03-03 22:02:00", team="一线"),  # 120 s: met (inclusive)
        _chat("C2", "2026-03-04 10:00:00", "2026-03-04 10:02:01", team="二线"),  # 121 s: breached
        _chat("C3", "2026-03-04 11:00:00", "2026-03-04 11:05:00", channel="电话"),  # not chat: not counted
        _chat("C4", "2026-03-05 10:00:00", "2026-03-05 10:09:00", exclusion_reason="客户原因"),  # excluded
        _chat("C5", "2026-03-31 23:59:00", None),  # open 59 s at as_of: pending, not counted
    ]


def test_a_contract_ticket_share_lists_its_judged_tickets() -> None:
    """Doc 003 "在线客服…首次响应时间≤2分钟": C1 met, C2 breached; C3 (phone), C4 (excluded) and C5
    (pending) are in neither: 50.0% = 1 / 2, the breached C2 first."""
    c = make_contract({"custom_kpis": [CHAT]})
    data = dataset(tickets=_chats())
    ev = evaluate(c, data, as_of=parse_as_of("2026-03-31T23:59:59", c))
    d = kpi_detail(ev, data, MARCH, None, "chat_reply_2m", "zh")
    assert d is not None and d.equation == "50.0% = 1 / 2"
    assert d.rows["ticket_id"].tolist() == ["C2", "C1"] and d.counted == (1, 2)
    assert d.rows["in_numerator"].tolist() == ["否", "是"] and set(d.rows["in_denominator"]) == {"是"}
    assert d.rows["detail"].tolist() == ["0:02:01 / 目标 0:02:00 · 超时", "0:02:00 / 目标 0:02:00 · 达标"]
    assert str(d.rows["created"].iloc[0]) == "2026-03-04 10:00:00"
    assert d.definition.startswith(
        "合同自定义的指标：符合合同所列条件的工单中，首次响应用时不超过 0:02:00 的占比"
    )
    assert (d.numerator_what, d.denominator_what) == ("0:02:00 内首次响应的适用工单", "已判定的适用工单")
    # a team filter narrows the rows as it narrows the value
    one = kpi_detail(ev, data, MARCH, {"team": ("一线",)}, "chat_reply_2m", "zh")
    assert one is not None and one.equation == "100.0% = 1 / 1" and one.rows["ticket_id"].tolist() == ["C1"]


def test_a_contract_measure_lists_the_value_reported_for_each_month() -> None:
    """Doc 003 "数据准确率": March 99.6% (ours, with a note) and the provider's own 99.9% (not counted);
    Q2 is the mean of April, May and June: one row each, June's provider figure not among them."""
    c = make_contract({"custom_kpis": [ACCURACY]})
    m = [
        dict(month="2026-03", kpi="data_accuracy", value=0.996, note="抽查 500 条"),
        dict(month="2026-03", kpi="data_accuracy", value=0.999, source="provider"),
        dict(month="2026-04", kpi="data_accuracy", value=0.994),
        dict(month="2026-05", kpi="data_accuracy", value=0.998),
        dict(month="2026-06", kpi="data_accuracy", value=0.999),
        dict(month="2026-06", kpi="data_accuracy", value=1.0, source="provider"),
    ]
    data = dataset(measures=m)
    ev = evaluate(c, data, as_of=parse_as_of("2026-07-05", c))
    d = kpi_detail(ev, data, MARCH, None, "data_accuracy", "zh")
    assert d is not None and d.equation == "99.6%（报告值）"
    assert d.rows.to_dict("records") == [{"month": "2026年3月", "value": "99.6%", "note": "抽查 500 条"}]
    assert d.definition.startswith("合同自定义的指标：每月报告的数值") and d.numerator_what == ""
    q = kpi_detail(ev, data, Period.quarter("2026Q2"), None, "data_accuracy", "en")
    assert q is not None and q.rows["value"].tolist() == ["99.4%", "99.8%", "99.9%"]
