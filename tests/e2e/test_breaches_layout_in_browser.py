"""The Breaches screen's obligations table at 1440×900: every column fits the main area, and every
kind, KPI name, month range, due date, count of days and status is drawn whole in its column (the
grid's auto-sizing measured the first rows, reports without a KPI, and cut the improvement plans' KPI
names: seen on a screenshot). Texts are measured in the browser, in the grid's font."""

from __future__ import annotations

from datetime import date

import pytest

from sla_core import demo
from sla_core.evaluate import evaluate
from sla_core.views import obligations_table
from ui.components import OBLIGATION_WIDTHS

MAIN_WIDTH = 980  # px of the main area at 1440 px with the sidebar open
PADDING = 16  # a grid cell's padding, both sides


@pytest.fixture(scope="module")
def demo_evaluation():
    data = demo.generate()  # as the e2e store's demo (workspace.load_demo)
    return evaluate(demo.demo_contract(), data.dataset(), as_of=data.as_of.timestamp())


def _widths(page, texts: list[str]) -> list[float]:
    return page.evaluate(
        """(texts) => {
          const c = document.createElement('canvas').getContext('2d');
          c.font = `14px ${getComputedStyle(document.body).fontFamily}`;
          return texts.map(t => c.measureText(t).width);
        }""",
        texts,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_obligation_is_drawn_whole(app_url, page, demo_evaluation, lang):
    page.goto(f"{app_url}/breaches?lang={lang}")
    page.wait_for_selector("h1")
    # data older than today: both counts of days are shown
    table = obligations_table(demo_evaluation, lang, today=date(2026, 12, 4))
    widths = OBLIGATION_WIDTHS[lang]
    drawn = [c for c in table.columns if c in widths and c != "linked_action"]  # empty: hidden
    assert sum(widths[c] for c in drawn) <= MAIN_WIDTH
    longest = {c: max(_widths(page, sorted(set(table[c].astype(str))))) for c in drawn}
    for column in drawn:
        assert widths[column] >= longest[column] + PADDING, (column, longest[column])
