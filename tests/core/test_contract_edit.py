"""The Contract screen's tables: every rule a form cannot show survives a save, or the save is refused.

Doc 001 (三.2 补偿措施: "每次响应超时，客户可获得服务费用5%的补偿") and doc 003 (七: "按服务费用的5%-10%/次扣除，
累计不超过总额的20%") set the penalties; a contract may write them per priority, as fixed amounts or per KPI —
shapes the penalty form (one percentage each) cannot show.
"""

from __future__ import annotations

import copy

import pytest
from builders import EXAMPLE_RAW

from sla_core import contract_edit as ce


def raw_with_penalties(penalties: dict) -> dict:
    raw = copy.deepcopy(EXAMPLE_RAW)
    raw["penalties"] = penalties
    return raw


RICH = {
    "per_breached_ticket": {
        "response": {"P1": 10.0, "P2": {"amount": 500}},
        "resolution": {"amount": 800},
    },
    "per_missed_kpi": {"complaint_rate": 7.5, "availability": 10.0},
    "cap": 20.0,
    "cap_period": "month",
}


def test_saving_a_new_cap_keeps_per_priority_fixed_and_per_kpi_penalties():
    """The bug: saving a new cap turned these three rules into {}."""
    raw = raw_with_penalties(copy.deepcopy(RICH))
    form = ce.penalty_form(raw)
    assert (form.response, form.resolution, form.per_kpi) == (None, None, None)  # not one percentage each
    new = ce.with_penalties(raw, form.response, form.resolution, form.per_kpi, 15.0, "contract")
    pen = new["penalties"]
    assert pen["per_breached_ticket"] == RICH["per_breached_ticket"]
    assert pen["per_missed_kpi"] == RICH["per_missed_kpi"]
    assert (pen["cap"], pen["cap_period"]) == (15.0, "contract")
    contract, issues = ce.validate(new)
    assert contract is not None, [i.en for i in issues]
    assert contract.base.penalties.per_breached_ticket["resolution"].amount == 800  # type: ignore[union-attr]


def test_the_screens_zeros_for_rules_it_could_not_show_keep_them():
    """What the Contract screen sent before: 0.0 in each input it could not fill (a table by priority, a
    fixed amount, a table by KPI). Those rules stay as they are."""
    raw = raw_with_penalties(copy.deepcopy(RICH))
    new = ce.with_penalties(raw, 0.0, 0.0, 0.0, 15.0, "contract")["penalties"]
    assert new["per_breached_ticket"] == RICH["per_breached_ticket"]
    assert new["per_missed_kpi"] == RICH["per_missed_kpi"]


def test_the_form_names_every_rule_it_cannot_show():
    form = ce.penalty_form(raw_with_penalties(copy.deepcopy(RICH)))
    assert [k for k, _ in form.kept] == [
        "per_breached_ticket.response",
        "per_breached_ticket.resolution",
        "per_missed_kpi",
    ]
    text = dict(form.kept)
    assert "P1" in text["per_breached_ticket.response"] and "500" in text["per_breached_ticket.response"]


def test_a_number_typed_over_a_rule_the_form_cannot_show_is_refused_and_says_why():
    raw = raw_with_penalties(copy.deepcopy(RICH))
    with pytest.raises(ce.EditRefused) as refused:
        ce.with_penalties(raw, 5.0, None, None, 20.0, "month")
    issue = refused.value.issue
    assert issue.column == "penalties.per_breached_ticket.response"
    assert "TOML" in issue.en and "TOML" in issue.zh
    assert raw["penalties"] == RICH  # nothing changed


def test_plain_percentages_are_edited_and_zero_removes_them():
    raw = raw_with_penalties({"per_breached_ticket": {"response": 5.0}, "per_missed_kpi": 5.0, "cap": 20.0})
    form = ce.penalty_form(raw)
    assert (form.response, form.resolution, form.per_kpi, form.cap) == (5.0, 0.0, 5.0, 20.0)
    assert form.kept == ()
    new = ce.with_penalties(raw, 6.0, 2.5, 0.0, 0.0, "month")["penalties"]
    assert new["per_breached_ticket"] == {"response": 6.0, "resolution": 2.5}
    assert "per_missed_kpi" not in new and "cap" not in new


def test_a_workaround_penalty_the_form_does_not_show_survives():
    """Doc 003 (三): "4小时内提供临时解决方案" may carry its own per-ticket penalty."""
    raw = raw_with_penalties({"per_breached_ticket": {"response": 5.0, "workaround": 2.0}})
    new = ce.with_penalties(raw, 5.0, 0.0, None, None, "month")
    assert new["penalties"]["per_breached_ticket"] == {"response": 5.0, "workaround": 2.0}


def test_kpi_table_keeps_targets_it_does_not_list():
    raw = copy.deepcopy(EXAMPLE_RAW)
    raw["kpis"]["not_a_listed_kpi"] = ">= 50%"  # e.g. a target written by a newer release
    frame = ce.kpi_frame(raw, "en")
    frame.loc[frame["kpi"] == "csat_mean", "target"] = ">= 4.7"
    new = ce.with_kpis(raw, frame)
    assert new["kpis"]["not_a_listed_kpi"] == ">= 50%"
    assert new["kpis"]["csat_mean"] == ">= 4.7"
    frame.loc[frame["kpi"] == "csat_mean", "target"] = ""
    assert "csat_mean" not in ce.with_kpis(raw, frame)["kpis"]  # blank: shown, not judged
