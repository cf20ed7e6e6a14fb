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
    assert d.rows[["service", "minutes"]].to_dict("records") == [{"service": "邮件系统", "minutes": 44.0}]


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
    assert d.rows[["service", "minutes"]].to_dict("records") == [{"service": "OA系统", "minutes": 10.0}]
