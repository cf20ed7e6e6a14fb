"""Tables in the PDF: each cell as the workbook shows it, columns fitted to the page's width, long tables
repeating their header row on every page, tables too wide for the page split into column groups.

Fitting: a column starts at the width of its widest line (capped like the workbook's column); text
columns give way first, down to their longest word; then the print gets smaller (8 → 6 points); what is
still too wide is split into column groups, each repeating the key columns (the ticket, the KPI), so no
column is ever cut at the page's edge.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from fpdf.enums import TableBordersLayout, TableCellFillMode
from fpdf.fonts import FontFace

from sla_core.report.layout import Col, SubRow, V
from sla_core.report.pdf import BODY, FONT, rgb

if TYPE_CHECKING:
    from sla_core.report.pdf import PdfBook, PdfSheet

MAX_ROWS = 2000  # rows printed per table; the workbook holds them all
SIZES = (BODY, 7.0, 6.5, 6.0)  # points, tried in turn until the table fits
PAD = 1.0  # mm, each side of a cell's text
SHORT_TEXT = 22.0  # mm at 8 points: a text this wide stays on one line
MM_PER_CHAR = 1.55  # a workbook column unit (a digit at 10 points) at 8 points, in mm
_WORD = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")  # an unbreakable run of Latin text
HEADER = FontFace(emphasis="BOLD", color=rgb("#ffffff"), fill_color=rgb("#37474f"))
GROUP = FontFace(emphasis="BOLD", color=rgb("#ffffff"), fill_color=rgb("#546e7a"))
WHITE = (255, 255, 255)
# every cell names its colours: fpdf2 would otherwise fill a plain cell with the last colour set
PLAIN = FontFace(color=(0, 0, 0), fill_color=WHITE)


@dataclass(frozen=True)
class Cell:
    text: str
    style: str  # text, number, status:<code>, flag, note
    sub: bool = False  # a detail row's cell: smaller and grey


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def cell_text(book: PdfBook, value: Any, kind: str) -> tuple[str, str]:
    """(text, style) of a value of `kind`, as the workbook shows it."""
    kind = kind.partition("|")[0]
    if _blank(value):
        return "", "text"
    if kind.startswith("status:"):
        code = kind.split(":", 1)[1]
        return (book.label(code) if value == code else str(value)), kind
    if kind in ("bool", "flag:yes", "flag:no") or isinstance(value, bool | np.bool_):
        text = book.w("yes") if value else book.w("no")
        return text, ("flag" if kind == "flag:yes" else "center")
    if isinstance(value, str):
        return value, ("note" if kind == "note" else "text")
    number = float(value)
    if math.isinf(number):
        return "", "text"
    return book.number(number, kind), "number"


def _cells(book: PdfBook, cols: Sequence[Col], values: Sequence[Any]) -> list[Cell]:
    sub = isinstance(values, SubRow)
    out = []
    for col, value in zip(cols, values, strict=False):
        kind = value.kind if isinstance(value, V) else col.kind
        text, style = cell_text(book, value.value if isinstance(value, V) else value, kind)
        out.append(Cell(text, style, sub or kind.endswith("|sub")))
    return out


def _measure(
    sheet: PdfSheet, size: float, cols: Sequence[Col], rows: list[list[Cell]]
) -> tuple[list[float], list[float]]:
    """Per column: the width it would like (its widest line, capped) and the least it can take."""
    pdf = sheet.pdf
    pdf.set_font(FONT, "", size)
    scale = size / BODY
    wants, floors = [], []
    for c, col in enumerate(cols):
        cap = col.max_width * MM_PER_CHAR * scale
        texts = [r[c].text for r in rows if c < len(r) and r[c].text]
        widest = max((pdf.get_string_width(line) for t in texts for line in t.split("\n")), default=0.0)
        numeric = all(r[c].style != "text" and r[c].style != "note" for r in rows if c < len(r) and r[c].text)
        longest_word = max((pdf.get_string_width(w) for t in texts for w in _WORD.findall(t)), default=0.0)
        pdf.set_font(FONT, "B", size)
        header = pdf.get_string_width(col.header)
        header_word = max([pdf.get_string_width(w) for w in _WORD.findall(col.header)] + [header / 3])
        pdf.set_font(FONT, "", size)
        # numbers, dates and short texts (a month, a team) never wrap; longer text down to its longest word
        unbroken = numeric or widest <= SHORT_TEXT * scale
        floor = max(header_word, widest if unbroken else min(longest_word, 40.0 * scale), 6.0 * scale)
        # a header wider than 14 characters wraps rather than widening its column (as in the workbook)
        header_want = min(header, 14 * MM_PER_CHAR * scale)
        want = max(floor, min(widest, cap), col.min_width * MM_PER_CHAR * scale, header_want)
        wants.append(want + 2 * PAD)
        floors.append(floor + 2 * PAD)
    return wants, floors


def _fit(wants: list[float], floors: list[float], width: float) -> list[float] | None:
    """Widths summing to at most `width`, taking from the columns with room to give; None: cannot."""
    if sum(floors) > width:
        return None
    excess = sum(wants) - width
    if excess <= 0:
        return wants
    room = [w - f for w, f in zip(wants, floors, strict=True)]
    share = excess / sum(room)
    return [w - r * share for w, r in zip(wants, room, strict=True)]


def _groups_of_columns(widths: list[float], keys: int, width: float) -> list[list[int]]:
    """Column groups that each fit the page beside the key columns."""
    key_width = sum(widths[:keys])
    out: list[list[int]] = []
    current: list[int] = []
    used = key_width
    for c in range(keys, len(widths)):
        if current and used + widths[c] > width:
            out.append(current)
            current, used = [], key_width
        current.append(c)
        used += widths[c]
    if current:
        out.append(current)
    return [list(range(keys)) + g for g in out] or [list(range(len(widths)))]


def draw_table(
    sheet: PdfSheet,
    cols: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    *,
    empty: str | None,
    groups: Sequence[tuple[str, int, int]],
    key_cols: int,
) -> int:
    book = sheet.book
    cells: list[list[Cell]] = []
    count = 0
    for values in rows:
        if count < MAX_ROWS:
            cells.append(_cells(book, cols, values))
        count += 1
    if not cells:
        text = empty or book.w("no_records")
        cells = [[Cell(text, "note"), *(Cell("", "text") for _ in cols[1:])]]
    keys = min(key_cols, len(cols))
    for size in SIZES:
        wants, floors = _measure(sheet, size, cols, cells)
        widths = _fit(wants, floors, sheet.width)
        if widths is not None:
            parts = [list(range(len(cols)))]
            break
    else:  # too wide even in the smallest print: column groups, each with the key columns
        size = SIZES[-1]
        wants, floors = _measure(sheet, size, cols, cells)
        parts = _groups_of_columns(floors, keys, sheet.width)
        widths = floors
    for i, part in enumerate(parts):
        if i:
            sheet.pdf.ln(2)
            sheet.note(book.w("pdf_columns_continued").format(part=i + 1, parts=len(parts)))
        fitted = _fit([wants[c] for c in part], [widths[c] for c in part], sheet.width) or [
            widths[c] for c in part
        ]
        _render(
            sheet,
            [cols[c] for c in part],
            [[r[c] for c in part] for r in cells],
            fitted,
            size,
            _clip(groups, part),
            not count,
        )
    if count > MAX_ROWS:
        sheet.note(book.w("pdf_first_rows").format(shown=MAX_ROWS, count=count))
    sheet.pdf.ln(1)
    return count


def _clip(groups: Sequence[tuple[str, int, int]], part: list[int]) -> list[tuple[str, int, int]]:
    """The group labels over a column group's columns, as positions within it."""
    out = []
    for label, first, last in groups:
        inside = [i for i, c in enumerate(part) if first <= c <= last]
        if inside:
            out.append((label, inside[0], inside[-1]))
    return out


def _style(cell: Cell, book: PdfBook, size: float) -> tuple[FontFace, str]:
    """A cell's font face and alignment."""
    small = size - 1 if cell.sub else None
    if cell.style.startswith("status:"):
        color = book.colors.get(cell.style.split(":", 1)[1], "#78909c")
        return FontFace(emphasis="BOLD", color=rgb("#ffffff"), fill_color=rgb(color), size_pt=small), "C"
    if cell.style == "flag":
        return FontFace(emphasis="BOLD", color=rgb("#b71c1c"), fill_color=rgb("#ffcdd2"), size_pt=small), "C"
    if cell.sub:
        return FontFace(color=rgb("#607d8b"), fill_color=rgb("#f5f7f8"), size_pt=small), (
            "R" if cell.style == "number" else "L"
        )
    if cell.style == "note":
        return FontFace(color=rgb("#546e7a"), fill_color=WHITE), "L"
    return PLAIN, {"number": "R", "center": "C"}.get(cell.style, "L")


def _render(
    sheet: PdfSheet,
    cols: list[Col],
    rows: list[list[Cell]],
    widths: list[float],
    size: float,
    groups: list[tuple[str, int, int]],
    empty: bool,
) -> None:
    pdf, book = sheet.pdf, sheet.book
    pdf.set_font(FONT, "", size)
    pdf.set_draw_color(*rgb("#cfd8dc"))
    pdf.set_line_width(0.2)
    pdf.set_x(sheet.pdf.l_margin)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align="LEFT",
        line_height=size * 0.42,
        padding=(0.45, PAD),
        headings_style=HEADER,
        num_heading_rows=2 if groups else 1,
        repeat_headings=1,
        borders_layout=TableBordersLayout.ALL,
        cell_fill_mode=TableCellFillMode.NONE,
        v_align="TOP",
    ) as table:
        if groups:
            row = table.row(style=GROUP)
            covered = 0
            for label, first, last in groups:
                for _ in range(covered, first):
                    row.cell("", style=GROUP)
                row.cell(label, colspan=last - first + 1, align="C", style=GROUP)
                covered = last + 1
            for _ in range(covered, len(cols)):
                row.cell("", style=GROUP)
        header = table.row()
        for col in cols:
            header.cell(col.header, v_align="MIDDLE")
        if empty:
            row = table.row()
            row.cell(
                rows[0][0].text, colspan=len(cols), style=FontFace(color=rgb("#546e7a"), fill_color=WHITE)
            )
            return
        for cells in rows:
            row = table.row()
            for cell in cells:
                style, align = _style(cell, book, size)
                row.cell(cell.text, align=align, style=style)


def pairs_table(sheet: PdfSheet, items: list[tuple[str, str]]) -> None:
    """Label/value lines: labels bold on grey in a column as wide as the widest, values wrapped beside."""
    pdf = sheet.pdf
    pdf.set_font(FONT, "B", BODY)
    label_width = min(max((pdf.get_string_width(label) for label, _ in items), default=20.0) + 2 * PAD, 70.0)
    pdf.set_font(FONT, "", BODY)
    pdf.set_draw_color(*rgb("#cfd8dc"))
    label_style = FontFace(emphasis="BOLD", color=rgb("#37474f"), fill_color=rgb("#eceff1"))
    with pdf.table(
        col_widths=(label_width, sheet.width - label_width),
        width=sheet.width,
        align="LEFT",
        text_align="LEFT",
        line_height=BODY * 0.45,
        padding=(0.8, PAD),
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        v_align="TOP",
    ) as table:
        for label, value in items:
            row = table.row()
            row.cell(label, style=label_style)
            row.cell(value, style=PLAIN)
