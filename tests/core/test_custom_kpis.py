"""The contract's own KPIs (spec "Rule (contract KPIs)"), hand-computed, with the seed clauses.

Doc 003 (二 第二步): "若为“在线客服服务”，可设定“首次响应时间≤2分钟（人工）”" and, among the quality KPIs,
"数据准确率（处理数据无错误的占比）".
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import jsonschema
from builders import ROOT, dataset, make_contract

from sla_core.evaluate import evaluate, filtered_values, parse_as_of

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
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "evaluate.schema.json").read_text(encoding="utf-8"))


def chat(tid, created, answered=None, channel="在线客服", **more):
    row = dict(ticket_id=tid, created_at=created, priority="P3", channel=channel, **more)
    if answered:
        row["first_response_at"] = answered
    return row


def test_online_chat_replied_within_2_minutes():
    """C1 answered in 120 s (met: inclusive), C2 in 121 s (breached), C3 by phone (not counted), C4 excluded
    (not counted), C5 open 60 s before as_of (pending: not counted) → 1 / 2 = 50%, missed against ≥ 90%,
    and priced like any missed KPI: 5% of 200,000."""
    c = make_contract({"custom_kpis": [CHAT]})
    rows = [
        chat("C1", "2026-03-03 22:00:00", "2026-03-03 22:02:00"),
        chat("C2", "2026-03-04 10:00:00", "2026-03-04 10:02:01"),
        chat("C3", "2026-03-04 10:00:00", "2026-03-04 10:05:00", channel="电话"),
        chat("C4", "2026-03-05 10:00:00", "2026-03-05 10:09:00", exclusion_reason="客户原因"),
        chat("C5", "2026-03-31 23:59:00"),
    ]
    ev = evaluate(c, dataset(tickets=rows), as_of=parse_as_of("2026-03-31T23:59:59", c))
    v = ev.month("2026-03").verdict("chat_reply_2m")
    assert (v.value, v.numerator, v.denominator, v.status) == (0.5, 1, 2, "missed")
    assert v.target is not None and v.target.text == ">= 90%"
    assert "在线客服" not in v.en and "1 of 2 matching tickets answered within 2 min" in v.en
    assert "张适用工单在 2 分钟内" in v.zh
    shares = ev.shares.set_index("ticket_id")
    assert shares.loc[["C1", "C2", "C4", "C5"], "status"].tolist() == [
        "met",
        "breached",
        "excluded",
        "pending",
    ]
    assert shares.loc["C2", "seconds"] == 121 and "C3" not in shares.index
    items = [(i.kind, i.ref, i.amount) for i in ev.month("2026-03").penalty.items]
    assert ("missed_kpi", "chat_reply_2m", Decimal("10000.00")) in items
    doc = ev.to_json()
    jsonschema.validate(doc, SCHEMA)
    ids = [k["id"] for k in doc["months"][0]["kpis"]]
    assert ids[-1] == "chat_reply_2m" and ids[:-1] == list(c.kpi_ids[:-1])


def test_a_filter_recounts_the_contract_kpi_like_the_built_in_ones():
    c = make_contract({"custom_kpis": [CHAT]})
    rows = [
        chat("A", "2026-03-04 10:00:00", "2026-03-04 10:01:00", team="一线"),
        chat("B", "2026-03-04 10:00:00", "2026-03-04 10:03:00", team="二线"),
    ]
    data = dataset(tickets=rows)
    ev = evaluate(c, data, as_of=parse_as_of("2026-03-31", c))
    assert ev.month("2026-03").verdict("chat_reply_2m").value == 0.5
    only = filtered_values(ev, data, {"team": ["一线"]})
    row = only.loc[
        (only["period"] == "2026-03") & (only["kpi"] == "chat_reply_2m") & (only["dimension"] == "all")
    ]
    assert row["value"].tolist() == [1.0]
    by_team = ev.values.loc[(ev.values["kpi"] == "chat_reply_2m") & (ev.values["dimension"] == "team")]
    assert dict(zip(by_team["member"], by_team["value"], strict=True)) == {"一线": 1.0, "二线": 0.0}


def test_three_missed_months_of_a_contract_kpi_raise_an_improvement_plan():
    """Doc 003 (七): "连续3个月未达标，需15日内提交改进计划" — the contract's own KPIs streak too."""
    c = make_contract({"custom_kpis": [CHAT]})
    rows = [chat(f"M{m}", f"2026-0{m}-03 10:00:00", f"2026-0{m}-03 10:05:00") for m in (1, 2, 3)]
    ev = evaluate(c, dataset(tickets=rows), as_of=parse_as_of("2026-04-10", c))
    [plan] = [o for o in ev.obligations if o.kind == "improvement_plan" and o.kpi == "chat_reply_2m"]
    assert plan.months == ("2026-01", "2026-02", "2026-03") and plan.due == date(2026, 4, 15)


def measures(*rows):
    return [dict(month=m, kpi=k, value=v) for m, k, v in rows]


def test_data_accuracy_is_read_from_the_measures_and_a_quarter_takes_the_mean():
    """March 99.6% meets ≥ 99.5%; April 99.4% misses; Q2 = mean(99.4, 99.8, 99.9) = 99.7%: met
    (a sum, 298.1%, or the last month would say otherwise)."""
    c = make_contract({"custom_kpis": [ACCURACY]})
    m = measures(
        ("2026-03", "data_accuracy", 0.996),
        ("2026-04", "data_accuracy", 0.994),
        ("2026-05", "data_accuracy", 0.998),
        ("2026-06", "data_accuracy", 0.999),
    )
    ev = evaluate(c, dataset(measures=m), as_of=parse_as_of("2026-07-05", c))
    assert ev.month("2026-03").verdict("data_accuracy").status == "met"
    april = ev.month("2026-04").verdict("data_accuracy")
    assert (april.value, april.status) == (0.994, "missed") and april.en.startswith("Reported 99.4%;")
    q2 = ev.quarter("2026Q2")
    assert q2 is not None, [q.label for q in ev.quarters]
    assert (
        abs(q2.verdict("data_accuracy").value - 0.997) < 1e-12 and q2.verdict("data_accuracy").status == "met"
    )


def test_a_number_measure_with_lower_is_better():
    errors = {
        "id": "report_errors",
        "label": {"zh": "报表差错数", "en": "Report errors"},
        "kind": "measure",
        "unit": "number",
        "direction": "lower",
        "target": "<= 2",
    }
    c = make_contract({"custom_kpis": [errors]})
    ev = evaluate(
        c,
        dataset(measures=measures(("2026-03", "report_errors", 2.0), ("2026-04", "report_errors", 3.0))),
        as_of=parse_as_of("2026-05-05", c),
    )
    assert [ev.month(x).verdict("report_errors").status for x in ("2026-03", "2026-04")] == ["met", "missed"]
    assert ev.month("2026-03").verdict("report_errors").en.startswith("Reported 2.00")


def test_a_contract_kpi_is_unjudged_in_months_whose_terms_do_not_declare_it():
    c = make_contract(versions=[{"effective_from": "2026-04-01", "custom_kpis": [ACCURACY]}])
    m = measures(("2026-03", "data_accuracy", 0.9), ("2026-04", "data_accuracy", 0.9))
    ev = evaluate(c, dataset(measures=m), as_of=parse_as_of("2026-05-05", c))
    march, april = ev.month("2026-03").verdict("data_accuracy"), ev.month("2026-04").verdict("data_accuracy")
    assert march.status == "unjudged" and "do not include this KPI" in march.en
    assert april.status == "missed"


def test_no_measures_file_is_no_data_and_the_contract_may_count_it_as_missed():
    c = make_contract({"custom_kpis": [ACCURACY], "contract": {"no_data_counts_as_missed": True}})
    rows = [chat("A", "2026-03-04 10:00:00", "2026-03-04 10:01:00")]
    v = (
        evaluate(c, dataset(tickets=rows), as_of=parse_as_of("2026-04-05", c))
        .month("2026-03")
        .verdict("data_accuracy")
    )
    assert v.status == "missed" and "no measures file" in v.en
