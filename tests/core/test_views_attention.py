"""The Overview opens with what needs attention: missed KPIs then KPIs without data, every penalty item,
obligations overdue at the data's as-of or today, and open tickets at risk; obligations count their
days from both dates when they differ, always with the unit."""

from __future__ import annotations

from datetime import date

from builders import dataset, make_contract

from sla_core import views
from sla_core.evaluate import evaluate, parse_as_of
from sla_core.views.overview import attention, penalty_list
from sla_core.views.tables import days_left_text

C = (
    make_contract()
)  # P1: 24x7, response 15 min, resolution 2 h; 5% of 200,000 per response timeout and per missed KPI


def _march() -> object:
    rows = [
        # answered after an hour: the response is breached (one penalty item, and 1/2 < 95% misses the KPI)
        dict(ticket_id="A", created_at="2026-03-02 09:00", priority="P1", first_response_at="2026-03-02 10:00",
             resolved_at="2026-03-02 10:30"),
        dict(ticket_id="B", created_at="2026-03-03 09:00", priority="P1", first_response_at="2026-03-03 09:05",
             resolved_at="2026-03-03 09:30"),
    ]  # fmt: skip
    return evaluate(C, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", C))


def test_missed_kpis_come_first_then_those_without_data() -> None:
    ev = _march()
    found = attention(ev, views.Period.month("2026-03"), None, "zh")
    statuses = [ev.month("2026-03").verdict(k).status for k in found.kpis]
    assert found.kpis[0] == "response_within_target" and statuses[0] == "missed"
    assert statuses[1:] and set(statuses[1:]) == {"no_data"}  # surveys, outages, measures: no file
    assert "csat_mean" in found.kpis  # judged (≥ 4.5) without surveys
    assert "mttr_minutes" not in found.kpis  # shown without a target: no data there can wait
    assert "resolution_within_target" not in found.kpis  # met: 2 of 2 within 2 h


def test_every_penalty_item_is_listed_with_what_it_is_for() -> None:
    items = penalty_list(_march(), views.Period.month("2026-03"), "zh")
    assert items.to_dict("records") == [
        {"month": "2026年3月", "kind": "超时工单", "what": "A（首次响应 · P1）", "amount": 10_000.0},
        {"month": "2026年3月", "kind": "未达标指标", "what": "首次响应达标率", "amount": 10_000.0},
    ]
    en = penalty_list(_march(), views.Period.month("2026-03"), "en")
    assert en["what"].tolist() == ["A (response · P1)", "Response within target"]


def test_a_month_without_penalty_items_lists_none() -> None:
    assert penalty_list(_march(), views.Period.month("2026-02"), "zh").empty


def test_an_obligation_open_at_the_data_but_overdue_today_needs_attention() -> None:
    ev = _march()
    # March's provider report is due on 5 April; the data ends on 31 March
    at_data = attention(ev, views.Period.month("2026-03"), None, "zh", today=date(2026, 3, 31))
    assert at_data.overdue.empty
    later = attention(ev, views.Period.month("2026-03"), None, "zh", today=date(2026, 4, 10))
    [row] = later.overdue.to_dict("records")
    assert row["id"] == "provider_report:2026-03"
    assert (row["days_left"], row["days_left_today"]) == ("5 天", "逾期 5 天")
    assert (row["status_code"], row["status_today_code"]) == ("open", "overdue")


def test_days_are_counted_from_today_only_when_it_is_another_day() -> None:
    ev = _march()
    same = views.obligations_table(ev, "en", today=date(2026, 3, 31))
    assert "days_left_today" not in same.columns
    report = same.set_index("id").loc["provider_report:2026-03"]
    assert report["days_left"] == "5 days"
    later = views.obligations_table(ev, "en", today=date(2026, 4, 5)).set_index("id")
    assert later.loc["provider_report:2026-03", "days_left_today"] == "0 days"
    assert later.loc["provider_report:2026-03", "status_today_code"] == "open"  # due today: not yet late


def test_day_counts_always_carry_their_unit() -> None:
    assert [days_left_text(d, "zh") for d in (0, 1, 12, -1, -140)] == [
        "0 天",
        "1 天",
        "12 天",
        "逾期 1 天",
        "逾期 140 天",
    ]
    assert [days_left_text(d, "en") for d in (0, 1, 12, -1, -140)] == [
        "0 days",
        "1 day",
        "12 days",
        "1 day overdue",
        "140 days overdue",
    ]


def test_a_period_with_nothing_to_report_is_empty() -> None:
    rows = [
        dict(ticket_id="B", created_at="2026-03-03 09:00", priority="P1", first_response_at="2026-03-03 09:05",
             resolved_at="2026-03-03 09:30"),
    ]  # fmt: skip
    contract = make_contract(drop=("kpis",))  # nothing judged: nothing missed, nothing without data
    ev = evaluate(contract, dataset(tickets=rows), as_of=parse_as_of("2026-03-31", contract))
    found = attention(ev, views.Period.month("2026-03"), None, "zh", today=date(2026, 3, 31))
    assert found.kpis == [] and found.penalties.empty and found.overdue.empty and found.at_risk == 0
    assert found.empty
