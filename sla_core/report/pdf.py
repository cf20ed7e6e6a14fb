"""The PDF layout engine: the same sheets as the workbook, printed on A4 landscape pages with fpdf2.

Each sheet starts a page and a bookmark; every page carries the contract (top left), the sheet (top
right), the contract id, page n / N and when it was made (bottom). Text is drawn in Noto Sans CJK SC,
which also holds the Latin letters, so Chinese data shows in the English report too. Tables fit the
page's width: text wraps inside its column, a table too wide even in small print is split into column
groups that repeat its key columns, and a table longer than a page repeats its header row on the next.
Charts are drawn simply (lines, markers, a dashed target), two side by side.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

from sla_core.contract import Contract
from sla_core.i18n import status_label, word
from sla_core.i18n.pack import LABELS, SHEETS
from sla_core.report.layout import Col, LineChart, kind_formats, number_format_of
from sla_core.report.numfmt import render
from sla_core.report.period import ReportError, both

FONT = "noto"
# Noto Sans CJK as Debian, Ubuntu (fonts-noto-cjk), Fedora and Arch install it; SLA_PDF_FONT_DIR first
FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/truetype/noto",
)
SIMPLIFIED_CHINESE = 2  # the face of the .ttc collections that draws Simplified Chinese (Noto Sans CJK SC)
MARGIN = 10.0  # mm, left and right
PAGE_WIDTH = 297.0  # A4 landscape
BODY = 8.0  # points: tables and text


def font_files() -> tuple[Path, Path]:
    """The regular and bold Noto Sans CJK collections, or a ReportError saying how to install them."""
    dirs = [os.environ["SLA_PDF_FONT_DIR"]] if os.environ.get("SLA_PDF_FONT_DIR") else []
    for folder in (*dirs, *FONT_DIRS):
        regular, bold = Path(folder) / "NotoSansCJK-Regular.ttc", Path(folder) / "NotoSansCJK-Bold.ttc"
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise ReportError(*both("pdf_fonts_missing"))


def rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


class _Document(FPDF):
    """fpdf2 with the report's running header and footer."""

    def __init__(self, book: PdfBook) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.book = book
        self.sheet_name = ""
        self.set_margins(MARGIN, 15.0, MARGIN)
        self.set_auto_page_break(True, 13.0)
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular), collection_font_number=SIMPLIFIED_CHINESE)
        self.add_font(FONT, "B", str(bold), collection_font_number=SIMPLIFIED_CHINESE)
        self.set_font(FONT, size=BODY)
        self.alias_nb_pages()

    def header(self) -> None:
        contract = self.book.contract.base.contract
        self.set_font(FONT, size=7)
        self.set_text_color(*rgb("#607d8b"))
        self.set_xy(MARGIN, 6)
        width = PAGE_WIDTH - 2 * MARGIN
        self.cell(width / 2, 4, contract.name or contract.id)
        self.cell(width / 2, 4, self.sheet_name, align="R")
        self.set_draw_color(*rgb("#cfd8dc"))
        self.line(MARGIN, 11, PAGE_WIDTH - MARGIN, 11)
        self.set_text_color(0, 0, 0)
        self.set_xy(MARGIN, 15)

    def footer(self) -> None:
        self.set_font(FONT, size=7)
        self.set_text_color(*rgb("#607d8b"))
        self.set_xy(MARGIN, -9)
        width = (PAGE_WIDTH - 2 * MARGIN) / 3
        self.cell(width, 4, self.book.contract.id)
        self.cell(width, 4, f"{self.page_no()} / {{nb}}", align="C")
        self.cell(width, 4, self.book.stamp, align="R")
        self.set_text_color(0, 0, 0)


class PdfBook:
    """The document, its fonts and the words of its language; the same calls as the workbook's Book."""

    spreadsheet = False

    def __init__(self, buffer: io.BytesIO, lang: str, contract: Contract) -> None:
        from sla_core.charts import SERIES, STATUS_COLORS, TARGET_COLOR

        self.buffer = buffer
        self.lang = lang
        self.contract = contract
        self.zone = contract.zone
        self.colors = STATUS_COLORS
        self.series_color = SERIES[0]
        self.target_color = TARGET_COLOR
        self.stamp = ""
        self.formats = kind_formats(lang, contract.base.contract.currency)
        self.pdf = _Document(self)

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def label(self, key: str) -> str:
        if key in LABELS:
            zh, en = LABELS[key]
            return zh if self.lang == "zh" else en
        return status_label(key, self.lang)

    def sheet(self, key: str, title: str, subtitle: str = "") -> PdfSheet:
        return PdfSheet(self, key, title, subtitle)

    def set_properties(self, properties: dict[str, str]) -> None:
        pdf = self.pdf
        pdf.set_title(properties.get("title", ""))
        pdf.set_subject(properties.get("subject", ""))
        pdf.set_author(properties.get("author", ""))
        pdf.set_creator(properties.get("author", ""))
        pdf.set_keywords(properties.get("comments", ""))
        pdf.set_lang("zh-CN" if self.lang == "zh" else "en")

    def text_of(self, value: Any, kind: str) -> str:
        """A cell's value as the workbook shows it."""
        from sla_core.report.pdf_table import cell_text

        return cell_text(self, value, kind)[0]

    def number(self, value: float, kind: str) -> str:
        return render(value, number_format_of(kind, self.formats))

    def close(self) -> None:
        self.buffer.write(bytes(self.pdf.output()))


class PdfSheet:
    """One sheet of the workbook as a run of pages: title, texts, label/value lines, tables, charts."""

    def __init__(self, book: PdfBook, key: str, title: str, subtitle: str = "") -> None:
        self.book = book
        self.pdf = book.pdf
        self.name = SHEETS[key][0] if book.lang == "zh" else SHEETS[key][1]
        self.row = 0
        self.pdf.sheet_name = self.name
        self.pdf.add_page()
        self.pdf.start_section(self.name)
        self.title(title, subtitle)

    @property
    def width(self) -> float:
        return PAGE_WIDTH - 2 * MARGIN

    def _text(
        self, text: str, size: float, *, bold: bool = False, color: str = "#263238", gap: float = 1.0
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*rgb(color))
        pdf.set_x(MARGIN)
        pdf.multi_cell(self.width, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT, "", BODY)
        pdf.ln(gap)

    def title(self, text: str, subtitle: str = "") -> None:
        self._text(text, 14, bold=True, gap=1.5)
        if subtitle:
            self._text(subtitle, 8.5, color="#546e7a", gap=2)
        self.row += 3

    def heading(self, text: str) -> None:
        if self.pdf.will_page_break(20):  # a heading keeps company with the first lines beneath it
            self.pdf.add_page()
        self._text(text, 11, bold=True, color="#37474f", gap=1.0)
        self.row += 1

    def note(self, text: str, col: int = 0) -> None:
        self._text(text, BODY, color="#546e7a")
        self.row += 1

    def skip(self, n: int = 1) -> None:
        self.pdf.ln(3 * n)
        self.row += n

    def page_break(self) -> None:
        if self.pdf.get_y() > 30:
            self.pdf.add_page()

    def details_below(self) -> None:
        """Detail rows already print below the row they detail."""

    def pairs(self, items: Sequence[tuple[str, Any, str]]) -> None:
        """Label/value lines: the label on grey, the value beside it, wrapped."""
        from sla_core.report.pdf_table import pairs_table

        pairs_table(self, [(label, self.book.text_of(value, kind)) for label, value, kind in items])
        self.row += len(items)

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
    ) -> int:
        """Header + rows, fitted to the page (see the module); returns the number of data rows."""
        from sla_core.report.pdf_table import draw_table

        count = draw_table(self, cols, rows, empty=empty, groups=groups, key_cols=max(freeze_col, 1))
        self.row += count + 1 + (1 if groups else 0)
        return count

    def line_charts(self, charts: Sequence[LineChart]) -> None:
        from sla_core.report.pdf_charts import draw_charts

        draw_charts(self, charts)

    def finish(
        self, *, fixed: dict[int, float] | None = None, repeat: bool = True, one_page: bool = False
    ) -> None:
        """Nothing to size or set up: the pages are already laid out."""
