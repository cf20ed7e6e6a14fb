"""[[targets]] and [[custom_kpis]] in the contract file: parsed, validated with the key named, versioned."""

from __future__ import annotations

import copy

import pytest
from builders import EXAMPLE_RAW, make_contract

from sla_core.contract import KPI_IDS, contract_from_raw


def errors(change: dict) -> list[str]:
    raw = copy.deepcopy(EXAMPLE_RAW)
    raw.update(copy.deepcopy(change))
    contract, issues = contract_from_raw(raw)
    assert contract is None
    return [i.en for i in issues if i.level == "error"]


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


def test_rules_read_a_duration_or_a_table_and_are_numbered_as_people_count():
    c = make_contract(
        {
            "targets": [
                {"when": {"category": "inquiry"}, "response": "15m"},
                {
                    "id": "night",
                    "when": {"created": "outside_hours"},
                    "workaround": {"within": "4h", "clock": "24x7"},
                },
            ]
        }
    )
    first, night = c.base.targets
    assert first.id == "targets[1]" and first.when.category == ("inquiry",)
    assert first.response is not None and (first.response.within, first.response.clock) == (900, None)
    assert night.workaround is not None and (night.workaround.within, night.workaround.clock) == (
        14400,
        "24x7",
    )
    assert c.base.names_milestone("workaround") and not c.base.names_milestone("resolution")


def test_the_workaround_kpi_joins_the_table_after_resolution_when_a_target_names_it():
    plain = make_contract()
    assert plain.kpi_ids == KPI_IDS
    named = make_contract({"targets": [{"when": {}, "workaround": "4h"}], "custom_kpis": [CHAT, ACCURACY]})
    ids = named.kpi_ids
    assert ids[:3] == ("response_within_target", "resolution_within_target", "workaround_within_target")
    assert ids[-2:] == ("chat_reply_2m", "data_accuracy") and len(ids) == len(KPI_IDS) + 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"targets": [{"when": {"priority": ["P9"]}, "response": "1h"}]},
            "targets[1].when.priority: the contract has no priority P9",
        ),
        (
            {"targets": [{"when": {}}]},
            "targets[1]: a rule needs at least one of response, workaround, resolution",
        ),
        (
            {"targets": [{"when": {"created": "at_night"}, "response": "1h"}]},
            "targets[1].when.created: is not one of the allowed values",
        ),
        (
            {"targets": [{"when": {}, "response": "soon"}]},
            'targets[1].response: "soon" is not a duration like 15m, 2h',
        ),
        (
            {"targets": [{"when": {"colour": ["red"]}, "response": "1h"}]},
            "targets[1].when.colour: is not a known key",
        ),
        (
            {
                "targets": [
                    {"id": "a", "when": {}, "response": "1h"},
                    {"id": "a", "when": {}, "response": "2h"},
                ]
            },
            "targets[2].id: duplicate id a",
        ),
    ],
)
def test_rule_errors_name_the_key(change, message):
    assert any(e.startswith(message) for e in errors(change)), errors(change)


def test_priorities_in_a_rule_may_be_labels():
    c = make_contract({"targets": [{"when": {"priority": ["紧急"]}, "response": "30m"}]})
    assert c.base.targets[0].when.priority == ("紧急",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({**CHAT, "within": None}, "custom_kpis[1]: a ticket_share KPI needs within"),
        ({**CHAT, "target": ">= 0.9"}, 'custom_kpis[1].target: ">= 0.9" is a rate'),
        ({**ACCURACY, "unit": "number", "target": ">= 99%"}, 'custom_kpis[1].target: ">= 99%" is not a rate'),
        ({**ACCURACY, "target": "<= 1%"}, "custom_kpis[1]: target <= 1% goes against direction higher"),
        ({**ACCURACY, "id": "availability"}, 'custom_kpis[1].id: "availability" is a built-in KPI'),
        (
            {**ACCURACY, "where": {"channel": ["x"]}},
            "custom_kpis[1]: a measure KPI is read from the measures file",
        ),
        ({**ACCURACY, "label": {"zh": "数据准确率"}}, "custom_kpis[1].label.en: is required"),
    ],
)
def test_contract_kpi_errors_name_the_key(change, message):
    change = {k: v for k, v in change.items() if v is not None}
    assert any(e.startswith(message) for e in errors({"custom_kpis": [change]})), errors(
        {"custom_kpis": [change]}
    )


def test_a_missed_contract_kpi_may_carry_its_own_penalty():
    """Doc 003 (七): "违约金…按服务费用的5%-10%/次扣除" — per KPI, the contract's own included."""
    c = make_contract({"custom_kpis": [ACCURACY], "penalties": {"per_missed_kpi": {"data_accuracy": 10.0}}})
    assert c.base.penalties.per_missed_kpi["data_accuracy"] == 10  # type: ignore[index]
    assert any(
        e.startswith("penalties.per_missed_kpi: unknown KPI: data_accurracy")
        for e in errors(
            {"custom_kpis": [ACCURACY], "penalties": {"per_missed_kpi": {"data_accurracy": 10.0}}}
        )
    )


def test_versions_replace_the_rules_and_the_kpis():
    c = make_contract(
        {
            "targets": [{"id": "inq", "when": {"category": ["inquiry"]}, "response": "15m"}],
            "custom_kpis": [CHAT],
        },
        versions=[{"effective_from": "2026-07-01", "targets": [], "custom_kpis": [ACCURACY]}],
    )
    june, july = c.terms_for_month(2026, 6), c.terms_for_month(2026, 7)
    assert [r.id for r in june.targets] == ["inq"] and july.targets == ()
    assert [k.id for k in june.custom_kpis] == ["chat_reply_2m"] and [k.id for k in july.custom_kpis] == [
        "data_accuracy"
    ]
    assert c.kpi_ids[-2:] == ("chat_reply_2m", "data_accuracy")  # every KPI any version judges
    assert july.target("chat_reply_2m") is None and june.target("chat_reply_2m").text == ">= 90%"


def test_provider_exclusions_are_requests_unless_the_contract_trusts_them():
    """Doc 003 (三): exceptions (例外情形) are agreed by both parties."""
    assert make_contract().base.contract.provider_exclusions == "request"
    trusted = make_contract({"contract": {"provider_exclusions": "accepted"}})
    assert trusted.base.contract.provider_exclusions == "accepted"
    assert any(
        e.startswith("contract.provider_exclusions")
        for e in errors({"contract": {**EXAMPLE_RAW["contract"], "provider_exclusions": "maybe"}})
    )
