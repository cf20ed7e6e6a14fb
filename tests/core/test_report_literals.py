"""The report's sheets take their words from the vocabulary (`sla_core.i18n`, the pack's words in
`i18n/pack.py`), looked up by key: no report module holds a Chinese string of its own. Docstrings aside,
there are none left: the six the pack once said differently from the vocabulary (月费 / 月服务费,
时间 At / Time, 工作日历 Business calendar / Calendar, 服务商月报 / 服务商月度报告, 可用性 Availability /
Service availability, 操作 Action — which is also 措施编号) now take the vocabulary's word."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "sla_core" / "report"
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


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
    found = {
        (path.name, line, text)
        for path in sorted(REPORT.glob("*.py"))
        for line, text in chinese_literals(path.read_text(encoding="utf-8"))
    }
    assert found == set()


def test_the_scan_finds_a_chinese_literal_and_skips_docstrings() -> None:
    source = '''"""模块说明"""
def f(lang):
    """函数说明"""
    total = "合计" if lang == "zh" else "Total"
    return f"{total}：{lang}", "Total"
'''
    assert chinese_literals(source) == [(4, "合计"), (5, "：")]
    assert chinese_literals('x = "Total"\n') == []
