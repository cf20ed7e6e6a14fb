"""The screens' modules cleaned of inline words take every word a user reads from the vocabulary
(`sla_core.i18n`, looked up by key with `word(key, lang)` or `L(key)`): none holds a Chinese string of
its own (docstrings aside). A module joins CLEAN once its last `"中文" if lang == "zh" else "English"`
pair has moved to `sla_core/i18n/screens.py`."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report_literals import chinese_literals

ROOT = Path(__file__).resolve().parents[2]
CLEAN = [
    "ui/components.py",
    "ui/markup.py",
    "ui/tables.py",
    "ui/upload_forms.py",
    "pages/kpi.py",
    "sla_core/views/upload.py",
    "sla_core/views/breaches.py",
    "sla_core/views/kpi.py",
]
# Words still inline, each waiting on a decision about the vocabulary, where one word would be said two
# ways: the screens abbreviate a rate's change "pp" (views/common.py too) where the pack's number format
# says "percentage points"; a KPI row's "resolved" and "reopened" (已解决, 重开过) where the vocabulary's
# Resolved and Reopened are the resolution time and the reopen count; a feedback's 超时 "late" and
# 处理中 "pending" where the ticket statuses say 超时 "breached" and 未完成 "pending".
WAITING = {
    "sla_core/views/breaches.py": {" 个百分点"},
    "sla_core/views/kpi.py": {"已解决", "重开过", "超时", "处理中"},
}


@pytest.mark.parametrize("module", CLEAN)
def test_a_cleaned_screen_module_holds_no_chinese_word_of_its_own(module: str) -> None:
    found = {text for _, text in chinese_literals((ROOT / module).read_text(encoding="utf-8"))}
    assert found == WAITING.get(module, set())


def test_the_scan_sees_an_inline_pair() -> None:
    assert chinese_literals('w = "目标" if lang == "zh" else "Target"\n') == [(1, "目标")]
