"""Every text field of a contract is validated: ISO 4217 currency, the id pattern and length, plain
printable text of bounded length (no markup-carrying control characters, no bidi overrides)."""

from __future__ import annotations

import pytest
from builders import EXAMPLE_TEXT

from sla_core.contract import parse_contract

HOSTILE_CURRENCY = '<div style="position:fixed;inset:0"><form>session expired</form></div>'


def errors_of(text: str) -> list[str]:
    contract, issues = parse_contract(text)
    assert contract is None, "the contract should have been refused"
    return [i.column or "" for i in issues if i.level == "error"]


def replaced(old: str, new: str) -> str:
    assert old in EXAMPLE_TEXT
    return EXAMPLE_TEXT.replace(old, new, 1)


@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "HKD", "XOF"])
def test_real_currencies_are_accepted(code):
    contract, issues = parse_contract(replaced('currency = "CNY"', f'currency = "{code}"'))
    assert contract is not None and issues == [] and contract.base.contract.currency == code


@pytest.mark.parametrize("code", [HOSTILE_CURRENCY, "cny", "RMB", "CN", "CNYY", "XXX", "¥", ""])
def test_anything_but_an_iso_4217_code_is_refused(code):
    assert errors_of(replaced('currency = "CNY"', f"currency = '{code}'")) == ["contract.currency"]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('id = "demo-helpdesk"', 'id = "' + "a" * 65 + '"', "contract.id"),
        ('id = "demo-helpdesk"', 'id = "Demo_Helpdesk"', "contract.id"),
        ('client = "甲方示例有限公司"', 'client = "' + "甲" * 201 + '"', "contract.client"),
        ('provider = "乙方服务有限公司"', 'provider = "evil\\u202Eexe.txt"', "contract.provider"),
        ('name = "IT 运维服务外包 / IT operations outsourcing"', 'name = "two\\nlines"', "contract.name"),
        ('id = "P1"', 'id = "P1\\u0000"', "priorities[1].id"),
        ('id = "P1"', 'id = "' + "P" * 33 + '"', "priorities[1].id"),
        ('labels = ["P1",', 'labels = ["",', "priorities[1].labels[1]"),
        ('"挂起"]', '"' + "x" * 101 + '"]', "pause.states[9]"),
        ('question"]', 'question", "\\u0007"]', "categories.inquiry[4]"),
        ('note = "Quarterly', 'note = "' + "n" * 1001 + '" # "', "versions[1].note"),
    ],
)
def test_text_fields_have_bounds(old, new, where):
    assert errors_of(replaced(old, new)) == [where]


def test_the_limits_themselves_are_accepted():
    text = replaced('id = "demo-helpdesk"', 'id = "' + "a" * 64 + '"')
    text = text.replace('client = "甲方示例有限公司"', 'client = "' + "甲" * 200 + '"')
    text = text.replace('name = "IT 运维服务外包 / IT operations outsourcing"', 'name = "a <b> & \\"c\\""')
    contract, issues = parse_contract(text)
    assert contract is not None and issues == []
    assert contract.base.contract.name == 'a <b> & "c"'  # markup-looking text is text: escaped where shown
