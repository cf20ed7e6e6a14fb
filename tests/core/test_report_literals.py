"""The report's sheets take their words from the vocabulary (`sla_core.i18n`, the pack's words in
`i18n/pack.py`), looked up by key: no report module holds a Chinese string of its own. Docstrings aside,
the only ones left are the words the pack says differently from the vocabulary (`Context.unagreed`),
each listed below with its rival; the list cannot go stale (each must still be in its module, and still
disagree with its rival)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sla_core.i18n import WORDS, names

REPORT = Path(__file__).resolve().parents[2] / "sla_core" / "report"
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")

# (module, Chinese, English) → the vocabulary's word for the same thing, said differently. Moving the
# pack's word into the vocabulary as it is would give one word two translations (test_i18n_words);
# taking the vocabulary's would change the pack's cells. Kept inline until one wording is agreed.
UNAGREED: dict[tuple[str, str, str], tuple[str, str]] = {
    ("quality.py", "时间", "At"): WORDS["col_at"],  # the audit log's column: 时间 / Time on the screens
    ("quality.py", "操作", "Action"): WORDS["action"],  # Action is 措施编号, an improvement action's id
    ("terms.py", "月费", "Monthly fee"): WORDS["monthly_fee"],  # 月服务费 on the Contract screen
    ("terms.py", "工作日历", "Business calendar"): WORDS["tab_calendar"],  # 工作日历 / Calendar
    ("terms.py", "服务商月报", "Provider's monthly report"): names.OBLIGATION_KINDS["provider_report"],
    ("terms.py", "可用性", "Availability"): WORDS["page_availability"],  # and the KPI's 系统可用性
}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes (module, class, function): prose for developers."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal holding Chinese (an f-string's literal parts included)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
        if id(node) not in skip and CJK.search(text):
            found.append((node.lineno, text))
    return sorted(set(found))


def test_no_report_module_holds_a_chinese_word_of_its_own() -> None:
    allowed = {(module, zh) for module, zh, _en in UNAGREED}
    found = {
        (path.name, line, text)
        for path in sorted(REPORT.glob("*.py"))
        for line, text in chinese_literals(path.read_text(encoding="utf-8"))
        if (path.name, text) not in allowed
    }
    assert found == set()


def test_each_unagreed_word_is_still_there_and_still_disagrees() -> None:
    for (module, zh, en), (rival_zh, rival_en) in UNAGREED.items():
        source = (REPORT / module).read_text(encoding="utf-8")
        assert f'unagreed("{zh}", "{en}")' in source, (module, zh)
        # one word, two translations: the same Chinese said differently, or the same English
        assert (zh == rival_zh) != (en.casefold() == rival_en.casefold()), (zh, en)


def test_the_scan_finds_a_chinese_literal_and_skips_docstrings() -> None:
    source = '''"""模块说明"""
def f(lang):
    """函数说明"""
    total = "合计" if lang == "zh" else "Total"
    return f"{total}：{lang}", "Total"
'''
    assert chinese_literals(source) == [(4, "合计"), (5, "：")]
    assert chinese_literals('x = "Total"\n') == []
