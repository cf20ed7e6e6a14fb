"""What the sheet builders hand to a layout engine, whichever it writes (the xlsx workbook or the PDF):
table columns, cells whose kind differs from their column's, grouped detail rows, line charts, and the
number formats of each kind of value.

An engine offers `Book.sheet(key, title, subtitle)` and, on the sheet it returns: `table`, `pairs`,
`heading`, `note`, `skip`, `page_break`, `details_below`, `line_charts`, `finish`, and `row` (the next
row). `sla_core.report.xlsx` writes a workbook, `sla_core.report.pdf` an A4 landscape document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from sla_core.i18n import unit_word

if TYPE_CHECKING:
    from sla_core.contract import Contract


class SubRow(list[Any]):
    """A table row grouped under the row before it (outline level 1, collapsible in Excel)."""


class V(NamedTuple):
    """A cell whose kind differs from its column's (a per-row number format, a status)."""

    value: Any
    kind: str


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"
    max_width: float = 40.0
    min_width: float = 6.0


@dataclass(frozen=True)
class Series:
    """One line of a chart: its values by category and the sheet row that holds them."""

    name: str
    values: list[float | None]
    row: int
    style: Literal["line", "target", "markers"]
    color: str


@dataclass(frozen=True)
class LineChart:
    """A line chart over the categories written in `header_row` from `first_col` on."""

    title: str
    categories: list[str]
    header_row: int
    first_col: int
    series: tuple[Series, ...]
    y_min: float | None = None
    y_max: float | None = None
    y_format: str | None = None  # an Excel number format for the axis, None: General


def kind_formats(lang: str, currency: str) -> dict[str, str]:
    """The Excel number format of each kind of value (column kinds; `fmt:` and `target:` kinds carry
    their own)."""
    s, m, h = (unit_word(unit, lang) for unit in ("seconds", "minutes", "hours"))
    money = '"¥"#,##0.00' if currency == "CNY" else f'#,##0.00" {currency}"'
    return {
        "text": "@",
        "wrap": "@",
        "int": "#,##0",
        "num": "#,##0.00",
        "rate": "0.00%",
        "score": "0.00",
        "general": "General",
        "seconds": f'#,##0" {s}"',
        "dscore": "+0.00;-0.00;0.00",
        "minutes": f'#,##0.0" {m}"',
        "dminutes": f'+#,##0.0" {m}";-#,##0.0" {m}";0.0',
        "hours": f'0.00" {h}"',
        "dhours": f'+0.00" {h}";-0.00" {h}";0.00',
        "money": money,
        "date": "yyyy-mm-dd",
        "datetime": "yyyy-mm-dd hh:mm",
        "dur": "[h]:mm:ss",
        "dur_hm": "[h]:mm",
        "pct1": "0.0%",
    }


def number_format_of(kind: str, formats: dict[str, str]) -> str:
    """A kind's number format: its own (`fmt:…`, `target:…`) or its column kind's."""
    kind = kind.partition("|")[0]
    if kind.startswith(("fmt:", "target:")):
        return kind.split(":", 1)[1]
    return formats.get(kind, "General")


class SheetWriter(Protocol):
    """A sheet as the builders write it, top to bottom."""

    row: int
    name: str

    def table(
        self,
        cols: Sequence[Col],
        rows: Iterable[Sequence[Any]],
        *,
        main: bool = False,
        empty: str | None = None,
        groups: Sequence[tuple[str, int, int]] = (),
        freeze_col: int = 0,
        start_col: int = 0,
    ) -> int: ...

    def pairs(self, items: Sequence[tuple[str, Any, str]]) -> None: ...

    def heading(self, text: str) -> None: ...

    def note(self, text: str, col: int = 0) -> None: ...

    def skip(self, n: int = 1) -> None: ...

    def page_break(self) -> None: ...

    def details_below(self) -> None: ...

    def line_charts(self, charts: Sequence[LineChart]) -> None: ...

    def finish(
        self, *, fixed: dict[int, float] | None = None, repeat: bool = True, one_page: bool = False
    ) -> None: ...


class BookWriter(Protocol):
    """A report being written: its language, contract, palette, words and sheets."""

    lang: str
    contract: Contract
    colors: dict[str, str]
    series_color: str
    target_color: str
    stamp: str
    spreadsheet: bool

    def w(self, key: str) -> str: ...

    def label(self, key: str) -> str: ...

    def sheet(self, key: str, title: str, subtitle: str = "") -> SheetWriter: ...

    def set_properties(self, properties: dict[str, str]) -> None: ...

    def close(self) -> None: ...
