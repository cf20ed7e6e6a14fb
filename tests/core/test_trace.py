"""From a KPI value to its rows (doc 003 二(六) 客户审计权: "服务提供商需配合提供相关记录（如工单系统日志、
监控数据）…审计内容包括“KPI指标真实性”"): numerator and denominator are the sums of the rows listed."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from builders import dataset, make_contract

from sla_core import demo
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.exports import neutralise as neutralised
from sla_core.periods import month_key
from sla_core.trace import Scope, trace, trace_rows


def ticket(tid, day, answered, **more):
    return dict(
        ticket_id=tid, created_at=f"{day} 09:00", priority="P2", first_response_at=f"{day} {answered}", **more
    )


def test_response_rows_are_the_judged_tickets_and_the_met_ones_count_in_the_numerator():
    """A answered in 10 min (met), B in 1 h (breached), C excluded, D still open within its 30 min at as_of
    (pending): the denominator lists A and B, the numerator A."""
    c = make_contract({"contract": {"provider_exclusions": "accepted"}})
    rows = [
        ticket("A", "2026-03-02", "09:10"),
        ticket("B", "2026-03-03", "10:00"),
        ticket("C", "2026-03-04", "11:00", exclusion_reason="不可抗力"),
        dict(ticket_id="D", created_at="2026-03-31 17:50", priority="P2"),
    ]
    ev = evaluate(c, dataset(tickets=rows), as_of=parse_as_of("2026-03-31T17:55:00", c))
    t = trace(ev, "response_within_target", "2026-03")
    assert t.source == "tickets"
    assert t.rows["ticket_id"].tolist() == ["A", "B"]
    assert t.rows["numerator"].tolist() == [1, 0] and t.rows["denominator"].tolist() == [1, 1]
    assert t.rows["response_seconds"].tolist() == [600, 3600]
    assert t.rows["created"].tolist() == ["2026-03-02 09:00:00", "2026-03-03 09:00:00"]
    assert (t.numerator, t.denominator, t.value) == (1, 2, 0.5)


def test_availability_rows_are_the_month_less_its_unplanned_intervals():
    """Doc 001: 99.9%. March 2026 has 2,678,400 s; two overlapping unplanned outages of two services
    10:00–10:30 and 10:20–10:45 merge into one 45-minute interval (2,700 s); a planned, announced
    maintenance does not count: 2,675,700 / 2,678,400."""
    c = make_contract()
    outages = [
        dict(service="邮件", start="2026-03-05 10:00", end="2026-03-05 10:30"),
        dict(service="OA", start="2026-03-05 10:20", end="2026-03-05 10:45"),
        dict(
            service="VPN",
            start="2026-03-07 22:00",
            end="2026-03-07 23:00",
            planned=True,
            announced_at="2026-03-01 09:00",
        ),
    ]
    ev = evaluate(c, dataset(outages=outages), as_of=parse_as_of("2026-04-02", c))
    t = trace(ev, "availability", "2026-03")
    assert t.rows["row"].tolist() == ["month", "interval"]
    assert t.rows["services"].tolist() == ["", "OA, 邮件"]
    assert t.rows["numerator"].sum() == 2_675_700 and t.rows["denominator"].sum() == 2_678_400
    down = trace(ev, "unplanned_downtime_minutes", "2026-03")
    assert down.rows["numerator"].sum() == 45 and down.rows["denominator"].sum() == 1


def test_text_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not():
    frame = pd.DataFrame(
        {"ticket_id": ['=HYPERLINK("x")', "+A1", "@a", "-b", "ok"], "numerator": [-3, 1, 0, 1, 1]}
    )
    out = neutralised(frame)
    assert out["ticket_id"].tolist() == ['\'=HYPERLINK("x")', "'+A1", "'@a", "'-b", "ok"]
    assert out["numerator"].tolist() == [-3, 1, 0, 1, 1]
    c = make_contract()
    ev = evaluate(
        c, dataset(tickets=[ticket("=cmd|x", "2026-03-02", "09:10")]), as_of=parse_as_of("2026-03-31", c)
    )
    csv = trace(ev, "response_within_target", "2026-03").csv_bytes().decode("utf-8")
    assert "'=cmd|x" in csv and pd.read_csv(io.StringIO(csv))["numerator"].tolist() == [1]


def test_unknown_kpi_or_period_is_refused():
    c = make_contract()
    ev = evaluate(
        c, dataset(tickets=[ticket("A", "2026-03-02", "09:10")]), as_of=parse_as_of("2026-03-31", c)
    )
    with pytest.raises(KeyError):
        trace(ev, "no_such_kpi", "2026-03")
    with pytest.raises(KeyError):
        trace(ev, "response_within_target", "2026-07")


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


def chat(tid, created, answered, channel="在线客服", **more):
    return dict(
        ticket_id=tid, created_at=created, priority="P3", channel=channel, first_response_at=answered, **more
    )


def test_a_contract_ticket_share_traces_its_judged_tickets():
    """Doc 003 "在线客服…首次响应时间≤2分钟": C1 in 120 s (met), C2 in 121 s (breached), C3 by phone (not
    matched), C4 excluded: 1 / 2, and the April chat C5 is another month's."""
    c = make_contract({"custom_kpis": [CHAT]})
    rows = [
        chat("C1", "2026-03-03 22:00:00", "2026-03-03 22:02:00", team="一线"),
        chat("C2", "2026-03-04 10:00:00", "2026-03-04 10:02:01", team="二线"),
        chat("C3", "2026-03-04 11:00:00", "2026-03-04 11:01:00", channel="电话"),
        chat("C4", "2026-03-05 10:00:00", "2026-03-05 10:09:00", exclusion_reason="客户原因"),
        chat("C5", "2026-04-01 10:00:00", "2026-04-01 10:01:00"),
    ]
    ev = evaluate(c, dataset(tickets=rows), as_of=parse_as_of("2026-04-02", c))
    t = trace(ev, "chat_reply_2m", "2026-03")
    assert t.source == "tickets" and (t.numerator, t.denominator) == (1, 2)
    assert t.rows[["ticket_id", "seconds", "status", "numerator", "denominator"]].values.tolist() == [
        ["C1", 120, "met", 1, 1],
        ["C2", 121, "breached", 0, 1],
    ]
    assert t.rows["created"].tolist() == ["2026-03-03 22:00:00", "2026-03-04 10:00:00"]
    # a scope narrowed to a team, and a custom range (which pools no contract share: no value, no rows)
    source, team = trace_rows(ev, "chat_reply_2m", Scope((month_key("2026-03"),), filters={"team": ["二线"]}))
    assert team["ticket_id"].tolist() == ["C2"]
    _, ranged = trace_rows(ev, "chat_reply_2m", Scope((month_key("2026-03"),), bounds=(0.0, 2e9)))
    assert ranged.empty


def test_a_contract_measure_traces_the_value_reported_for_each_month():
    """Doc 003 "数据准确率": ours 99.6% in March (the provider's own 99.9% is not the value); Q2 is the
    mean of its three months: each adds its value over 1, (99.4 + 99.8 + 99.9) / 3 = 99.7%."""
    accuracy = {"id": "data_accuracy", "label": {"zh": "数据准确率", "en": "Data accuracy"}, "kind": "measure",
                "target": ">= 99.5%"}  # fmt: skip
    c = make_contract({"custom_kpis": [accuracy]})
    m = [
        dict(month="2026-03", kpi="data_accuracy", value=0.996),
        dict(month="2026-03", kpi="data_accuracy", value=0.999, source="provider"),
        dict(month="2026-04", kpi="data_accuracy", value=0.994),
        dict(month="2026-05", kpi="data_accuracy", value=0.998),
        dict(month="2026-06", kpi="data_accuracy", value=0.999),
    ]
    data = dataset(measures=m)
    ev = evaluate(c, data, as_of=parse_as_of("2026-07-05", c))
    march = trace(ev, "data_accuracy", "2026-03", data)
    assert march.source == "measures"
    assert march.rows[["month", "value", "denominator"]].values.tolist() == [["2026-03", 0.996, 1]]
    q2 = trace(ev, "data_accuracy", "2026Q2", data)
    assert q2.rows["month"].tolist() == ["2026-04", "2026-05", "2026-06"]
    assert q2.rows["numerator"].sum() / q2.rows["denominator"].sum() == pytest.approx(0.997, abs=1e-12)


@pytest.fixture(scope="module")
def demo_evaluation():
    data = demo.generate(3000)
    contract = demo.demo_contract()
    dataset_ = data.dataset()
    return evaluate(contract, dataset_, as_of=data.as_of.timestamp()), dataset_


def test_every_kpi_of_every_period_adds_up_to_its_numerator_and_denominator(demo_evaluation):
    """The demo's ten months and four quarters, every KPI of the table: the rows' sums are the figures."""
    ev, data = demo_evaluation
    checked = 0
    for period in [m.label for m in ev.months] + [q.label for q in ev.quarters]:
        for kpi in ev.kpi_ids:
            v = ev.period(period).verdict(kpi)
            if v.value is None:
                continue
            t = trace(ev, kpi, period, data)
            num, den = t.rows["numerator"].sum(), t.rows["denominator"].sum()
            if v.numerator is not None:
                assert num == pytest.approx(v.numerator, abs=1e-6), (period, kpi)
                assert den == pytest.approx(v.denominator, abs=1e-6), (period, kpi)
            assert num / den == pytest.approx(v.value, abs=1e-9), (period, kpi)
            checked += 1
    assert checked > 200
