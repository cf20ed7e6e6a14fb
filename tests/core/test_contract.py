"""The contract: validation names the key, versions merge, the terms in force per month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from builders import EXAMPLE_TEXT, make_contract

from sla_core.contract import parse_contract, parse_duration, parse_target


def errors_of(text):
    contract, issues = parse_contract(text)
    assert contract is None
    return [i.en for i in issues if i.level == "error"]


def test_the_example_contract_is_valid():
    contract, issues = parse_contract(EXAMPLE_TEXT)
    assert contract is not None and issues == []
    assert contract.id == "demo-helpdesk"
    assert [t.effective_from for t in contract.versions] == [date(2026, 1, 1), date(2026, 7, 1)]


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1.5h", 5400)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_bad_duration_names_the_key():
    text = EXAMPLE_TEXT.replace('response = "30m"', 'response = "15 minutes"')
    assert errors_of(text) == ['priorities[2].response: "15 minutes" is not a duration like 15m, 2h']


def test_targets_are_exact_decimals():
    t = parse_target(">= 99.9%", rate=True)
    assert t is not None and t.value == Decimal("0.999")
    assert t.met_by(1 - 2592 / 2592000)  # 0.999 as a float
    assert not t.met_by(0.99899999)
    assert parse_target("off", rate=True) is None


def test_rates_need_percent_and_others_refuse_it():
    text = EXAMPLE_TEXT.replace('resolution_rate = ">= 98%"', 'resolution_rate = ">= 0.98"').replace(
        'csat_mean = ">= 4.5"', 'csat_mean = ">= 90%"'
    )
    errs = errors_of(text)
    assert any(e.startswith("kpis.resolution_rate:") and "needs %" in e for e in errs)
    assert any(e.startswith("kpis.csat_mean:") and "plain number" in e for e in errs)


def test_all_problems_are_reported_together():
    text = (
        EXAMPLE_TEXT.replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"')
        .replace('mon = ["09:00-18:00"]', 'mon = ["09:00-18:00", "17:00-19:00"]')
        .replace("cap = 20.0", "cap = -1")
        .replace('unplanned_downtime_minutes = "<= 30"', 'unplanned_downtime = "<= 30"')
    )
    errs = errors_of(text)
    keys = sorted(e.split(":")[0] for e in errs)
    assert keys == ["calendar.hours.mon", "contract.timezone", "kpis.unplanned_downtime", "penalties.cap"]


def test_a_date_in_both_extra_lists_is_an_error():
    text = EXAMPLE_TEXT.replace("extra_holidays = []", 'extra_holidays = ["2026-05-06"]').replace(
        "extra_workdays = []", 'extra_workdays = ["2026-05-06"]'
    )
    assert any("both extra_holidays and extra_workdays" in e for e in errors_of(text))


def test_hours_up_to_midnight_and_several_intervals():
    c = make_contract({"calendar": {"hours": {"sat": ["00:00-12:00", "13:00-24:00"]}}})
    sat = c.base.calendar.hours.sat
    assert [(i.open, i.close) for i in sat] == [(0, 43200), (46800, 86400)]


def test_versions_deep_merge_and_off_removes_a_target():
    c = make_contract(
        versions=[
            {
                "effective_from": "2026-04-01",
                "kpis": {"complaint_rate": "off"},
                "priorities": [{"id": "P3", "resolution": "16h"}],
                "penalties": {"cap": 10.0},
            },
            {"effective_from": "2026-07-01", "kpis": {"csat_mean": ">= 4.6"}},
        ]
    )
    march, april, july = (c.terms_for_month(2026, m) for m in (3, 4, 7))
    assert march.target("complaint_rate") is not None
    assert april.target("complaint_rate") is None
    assert july.target("complaint_rate") is None  # later versions build on earlier ones
    p3 = april.priority("P3")
    assert (p3.response, p3.resolution, p3.labels[0]) == (7200, 16 * 3600, "P3")
    assert april.penalties.cap == Decimal(10) and april.penalties.per_missed_kpi == Decimal(5)
    assert july.target("csat_mean").value == Decimal("4.6") and march.target("csat_mean").value == Decimal(
        "4.5"
    )
    assert [p.id for p in july.priorities] == ["P1", "P2", "P3"]


def test_version_errors_point_at_the_version():
    text = EXAMPLE_TEXT.replace(
        'priorities = [{ id = "P2", response = "20m" }]',
        'priorities = [{ id = "P2", response = "20 min" }]\ncontract = { timezone = "UTC" }',
    )
    errs = errors_of(text)
    assert 'versions[1].priorities[1].response: "20 min" is not a duration like 15m, 2h' in errs
    assert "versions[1].contract.timezone: cannot change in a version" in errs


def test_mid_month_version_is_a_warning_and_judges_from_the_next_month():
    text = EXAMPLE_TEXT.replace('effective_from = "2026-07-01"', 'effective_from = "2026-07-15"')
    contract, issues = parse_contract(text)
    assert contract is not None
    assert [i.code for i in issues] == ["contract.version_mid_month"]
    assert contract.terms_for_month(2026, 7).target("csat_mean").value == Decimal("4.5")
    assert contract.terms_for_month(2026, 8).target("csat_mean").value == Decimal("4.6")


def test_unknown_key_is_reported():
    text = EXAMPLE_TEXT.replace("[surveys]", "[surveys]\nscal = 5")
    assert errors_of(text) == ["surveys.scal: is not a known key (a typo?)"]


def test_bilingual_messages():
    text = EXAMPLE_TEXT.replace('response = "30m"', 'response = "15 minutes"')
    _, issues = parse_contract(text)
    assert issues[0].zh.startswith("priorities[2].response：")
    assert issues[0].column == "priorities[2].response"
