"""The xlsx layout engine: a workbook with cached formats in the language's font, and sheets written
strictly top to bottom (xlsxwriter's constant_memory mode) with titles, label/value pairs, tables whose
columns are sized to their contents, print setup."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sla_core.contract import Contract
from sla_core.i18n import status_label, word
from sla_core.i18n.pack import LABELS, SHEETS
from sla_core.report.layout import Col, LineChart, SubRow, V, kind_formats
from sla_core.report.numfmt import render

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

FONTS = {"zh": "Microsoft YaHei", "en": "Arial"}  # LibreOffice falls back to Noto Sans CJK / Liberation Sans


def _text_width(text: str) -> float:
    """Display width in Excel character units: CJK and full-width characters count double."""
    if text.isascii():
        return float(len(text))
    return float(sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text))


_WIDTH_SCALE = {"zh": 1.08, "en": 1.0}  # the Chinese font's Latin digits run a little wider


_LINE_HEIGHT = 14.0  # points per line of 10-point text (CJK fonts run a little taller than Latin ones)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column at most `width` characters wide (an upper
    bound: a wrapped column is never narrower than its text or its cap); word wrap wastes ~10%."""
    count = 0
    for part in text.split("\n"):
        # Latin letters average ~0.8 of the width unit (a digit) but wrap at spaces; CJK wraps anywhere
        shown = (
            0.88 * len(part) if part.isascii() else sum(2.04 if ord(ch) >= 0x2E80 else 0.88 for ch in part)
        )
        count += max(1, math.ceil(shown / max(width, 1.0)))
    return min(count, 30)


def _number_width(kind: str, number: float) -> float:
    """How wide a number shows in its format, in characters."""
    if kind.startswith(("target:", "fmt:")):  # as the format shows it
        return _text_width(render(number, kind.split(":", 1)[1])) + 1.0
    if kind in ("int", "num"):
        return len(f"{number:,.0f}") + (3 if kind == "num" else 0) + 1.0
    if kind == "money":
        return len(f"{number:,.2f}") + 3.0
    return float(_KIND_WIDTH.get(kind, 10))


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return False


class Book:
    """The workbook, its formats (cached) and the words of its language."""

    spreadsheet = True

    def __init__(self, buffer: io.BytesIO, lang: str, contract: Contract) -> None:
        import xlsxwriter

        from sla_core.charts import SERIES, STATUS_COLORS, TARGET_COLOR

        self.lang = lang
        self.contract = contract
        self.zone = contract.zone
        self.colors = STATUS_COLORS
        self.series_color = SERIES[0]
        self.target_color = TARGET_COLOR
        self.font = FONTS.get(lang, FONTS["en"])
        self.wb: Workbook = xlsxwriter.Workbook(
            buffer,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "nan_inf_to_errors": True,
            },
        )
        # the default format (empty cells, row heights) in the workbook's font
        self.wb.formats[0].set_font_name(self.font)
        self.wb.formats[0].set_font_size(10)
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._kinds: dict[tuple[str, bool], Format] = {}
        self.stamp = ""
        currency = contract.base.contract.currency
        self.kind_formats: dict[str, dict[str, Any]] = {
            kind: {"num_format": fmt} for kind, fmt in kind_formats(lang, currency).items()
        }
        self.kind_formats["wrap"]["text_wrap"] = True

    def sheet(self, key: str, title: str, subtitle: str = "") -> Sheet:
        return Sheet(self, key, title, subtitle)

    def set_properties(self, properties: dict[str, str]) -> None:
        self.wb.set_properties(properties)

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def label(self, key: str) -> str:
        if key in LABELS:
            zh, en = LABELS[key]
            return zh if self.lang == "zh" else en
        return status_label(key, self.lang)

    def fmt(self, **props: Any) -> Format:
        props.setdefault("font_name", self.font)
        props.setdefault("font_size", 10)
        props.setdefault("valign", "top")
        key = tuple(sorted(props.items()))
        found = self._cache.get(key)
        if found is None:
            found = self.wb.add_format(props)
            self._cache[key] = found
        return found

    def cell_format(self, kind: str, *, table: bool = True) -> Format:
        found = self._kinds.get((kind, table))
        if found is None:
            found = self._kinds[(kind, table)] = self._cell_format(kind, table)
        return found

    def _cell_format(self, kind: str, table: bool) -> Format:
        kind, _, modifier = kind.partition("|")
        props: dict[str, Any] = {}
        if kind.startswith("status:"):
            code = kind.split(":", 1)[1]
            color = self.colors.get(code, "#78909c")
            props = {"bg_color": color, "font_color": "#ffffff", "bold": True, "align": "center"}
        elif kind.startswith(("target:", "fmt:")):
            props = {"num_format": kind.split(":", 1)[1]}
        elif kind in ("flag:yes", "flag:no"):
            props = (
                {"bg_color": "#ffcdd2", "font_color": "#b71c1c", "bold": True, "align": "center"}
                if kind == "flag:yes"
                else {"align": "center"}
            )
        elif kind == "bool":
            props = {"align": "center"}
        elif kind == "note":
            props = {"italic": True, "font_color": "#546e7a"}
        else:
            props = dict(self.kind_formats.get(kind, self.kind_formats["text"]))
        if table:
            props.update({"border": 1, "border_color": "#cfd8dc"})
        if modifier == "sub":  # the numerator/denominator line under a KPI
            props.update({"font_color": "#607d8b", "font_size": 9, "bg_color": "#f5f7f8"})
        return self.fmt(**props)

    def header_format(self) -> Format:
        return self.fmt(
            bold=True,
            font_color="#ffffff",
            bg_color="#37474f",
            text_wrap=True,
            valign="vcenter",
            border=1,
            border_color="#cfd8dc",
        )

    def group_format(self) -> Format:
        return self.fmt(
            bold=True,
            font_color="#ffffff",
            bg_color="#546e7a",
            align="center",
            valign="vcenter",
            border=1,
            border_color="#cfd8dc",
        )

    def close(self) -> None:
        self.wb.close()


# widths of numbers as shown, in characters
_KIND_WIDTH = {
    "int": 8,
    "num": 10,
    "rate": 8,
    "score": 6,
    "dscore": 6,
    "minutes": 11,
    "dminutes": 11,
    "hours": 9,
    "dhours": 9,
    "money": 13,
    "date": 11,
    "datetime": 18,
    "dur": 10,
    "dur_hm": 8,
    "pct1": 7,
    "seconds": 12,
    "general": 6,
}


class Sheet:
    """One worksheet written top to bottom (constant_memory), with widths fitted and print set up."""

    def __init__(self, book: Book, key: str, title: str, subtitle: str = "") -> None:
        self.book = book
        name = SHEETS[key][0] if book.lang == "zh" else SHEETS[key][1]
        self.name = name
        self.ws: Worksheet = book.wb.add_worksheet(name)
        self.row = 0
        self.widths: dict[int, float] = {}
        self.main_header: int | None = None
        self.main_cols = 0
        self.main_last = 0
        self.freeze_col = 0
        self.main_groups = False
        self.breaks: list[int] = []
        self.title(title, subtitle)

    # -- writing

    def _measure(self, col: int, width: float, col_def: Col | None = None) -> None:
        if col_def is not None:
            width = min(max(width, col_def.min_width), col_def.max_width)
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def write(
        self, row: int, col: int, value: Any, kind: str, *, table: bool = True, col_def: Col | None = None
    ) -> None:
        ws = self.ws
        fmt = self.book.cell_format(kind, table=table)
        kind = kind.partition("|")[0]
        if _blank(value):
            if table:
                ws.write_blank(row, col, None, fmt)
            return
        if kind.startswith("status:"):
            code = kind.split(":", 1)[1]
            text = self.book.label(code) if value == code else str(value)
            ws.write_string(row, col, text, fmt)
            self._measure(col, _text_width(text) + 2, col_def)
            return
        if kind in ("bool", "flag:yes", "flag:no"):
            text = self.book.w("yes") if value else self.book.w("no")
            ws.write_string(row, col, text, fmt)
            self._measure(col, _text_width(text) + 2, col_def)
            return
        if isinstance(value, str):
            ws.write_string(row, col, value, fmt)
            if col_def is not None or not table:
                self._measure(col, _text_width(value) + 1, col_def)
            return
        if isinstance(value, bool | np.bool_):
            text = self.book.w("yes") if value else self.book.w("no")
            ws.write_string(row, col, text, fmt)
            return
        number = float(value)
        if math.isinf(number):
            ws.write_blank(row, col, None, fmt)
            return
        ws.write_number(row, col, number, fmt)
        self._measure(col, _number_width(kind, number), col_def)

    def title(self, text: str, subtitle: str = "") -> None:
        self.ws.set_row(self.row, 24)
        self.ws.write_string(
            self.row, 0, text, self.book.fmt(bold=True, font_size=15, font_color="#263238", valign="vcenter")
        )
        self.row += 1
        if subtitle:
            self.ws.write_string(self.row, 0, subtitle, self.book.fmt(font_color="#546e7a"))
            self.row += 1
        self.row += 1

    def heading(self, text: str) -> None:
        self.ws.set_row(self.row, 20)
        self.ws.write_string(
            self.row, 0, text, self.book.fmt(bold=True, font_size=12, font_color="#37474f", valign="vcenter")
        )
        self.row += 1

    def note(self, text: str, col: int = 0) -> None:
        self.ws.write_string(self.row, col, text, self.book.cell_format("note", table=False))
        self.row += 1

    def pairs(self, items: Sequence[tuple[str, Any, str]]) -> None:
        """Label/value lines (Summary, Contract terms): the value is left-aligned and unbordered, so
        long text runs on over the empty cells to its right instead of widening the column."""
        book = self.book
        label_fmt = book.fmt(
            bold=True, font_color="#37474f", bg_color="#eceff1", bottom=1, bottom_color="#cfd8dc"
        )
        for label, value, kind in items:
            self.ws.write_string(self.row, 0, label, label_fmt)
            self._measure(0, _text_width(label) + 2)
            if kind in ("bool", "text") or isinstance(value, str | bool):
                if isinstance(value, bool):
                    value = book.w("yes") if value else book.w("no")
                if not _blank(value):
                    self.ws.write_string(self.row, 1, str(value), book.fmt(align="left"))
            elif not _blank(value):
                props = dict(book.kind_formats.get(kind, {}))
                self.ws.write_number(self.row, 1, float(value), book.fmt(align="left", **props))
                self._measure(1, float(_KIND_WIDTH.get(kind, 10)))
            self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n

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
        """Header + rows; `groups` (label, first col, last col) add a merged row above the header.
        Returns the number of data rows."""
        ws, book = self.ws, self.book
        if groups:
            ws.set_row(self.row, 18)
            group_fmt = book.group_format()
            covered: set[int] = set()
            for label, first, last in groups:
                if last > first:
                    ws.merge_range(self.row, start_col + first, self.row, start_col + last, label, group_fmt)
                else:
                    ws.write_string(self.row, start_col + first, label, group_fmt)
                covered.update(range(first, last + 1))
            for c in range(len(cols)):
                if c not in covered:
                    ws.write_blank(self.row, start_col + c, None, group_fmt)
            self.row += 1
        header = self.row
        lines = 1
        for c, col in enumerate(cols):
            # a header wider than 14 characters wraps rather than widening its column
            width = _text_width(col.header) + 2
            self._measure(start_col + c, min(width, 14.0), col)
            lines = max(lines, math.ceil(width / max(self.widths.get(start_col + c, 1.0), 1.0)))
        ws.set_row(header, 15 * min(lines, 3) + 4)
        head_fmt = book.header_format()
        for c, col in enumerate(cols):
            ws.write_string(header, start_col + c, col.header, head_fmt)
        self.row += 1
        count = 0
        kinds = [col.kind for col in cols]
        formats = [book.cell_format(k) for k in kinds]
        text = [k in ("text", "wrap") for k in kinds]
        wrap = [k == "wrap" for k in kinds]
        scale = _WIDTH_SCALE[book.lang]
        numeric = [k in _KIND_WIDTH for k in kinds]
        for values in rows:
            r = self.row
            # LibreOffice does not fit row heights to wrapped text on opening: give the height
            lines = max(
                (
                    _lines(v, cols[c].max_width * scale)
                    for c, v in enumerate(values)
                    if wrap[c] and isinstance(v, str)
                ),
                default=1,
            )
            options = {"level": 1} if isinstance(values, SubRow) else None
            if lines > 1 or options:
                ws.set_row(r, _LINE_HEIGHT * lines + 3 if lines > 1 else None, None, options)
            # widths: every row of the first thousands, then a sample (long sheets stream fast)
            measure = count < 3000 or count % 50 == 0
            for c, value in enumerate(values):
                at = start_col + c
                # fast paths for the bulk of long sheets: plain text, finite numbers
                if text[c] and isinstance(value, str):
                    ws.write_string(r, at, value, formats[c])
                    if measure:
                        self._measure(at, _text_width(value) + 1, cols[c])
                elif (
                    numeric[c]
                    and isinstance(value, float | int)
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                ):
                    ws.write_number(r, at, value, formats[c])
                    if measure:
                        self._measure(at, _number_width(kinds[c], value), cols[c])
                elif isinstance(value, V):
                    self.write(r, at, value.value, value.kind, col_def=cols[c])
                else:
                    self.write(r, at, value, kinds[c], col_def=cols[c])
            self.row += 1
            count += 1
        if count == 0:
            ws.write_string(self.row, start_col, empty or book.w("no_records"), book.cell_format("note"))
            for c in range(1, len(cols)):
                ws.write_blank(self.row, start_col + c, None, book.cell_format("text"))
            self.row += 1
        if main:
            self.main_header = header
            self.main_cols = start_col + len(cols)
            self.main_last = self.row - 1
            self.freeze_col = freeze_col
            self.main_groups = bool(groups)
        return count

    def page_break(self) -> None:
        """What follows starts a printed page of its own."""
        self.breaks.append(self.row)

    def details_below(self) -> None:
        """Grouped detail rows (SubRow) sit below the row they detail, collapsible from above."""
        self.ws.outline_settings(True, False, True, False)

    def line_charts(self, charts: Sequence[LineChart]) -> None:
        """Native line charts below the table, two side by side, four to a printed page (never across
        a page break)."""
        top = self.row + 1
        width, height, stride = 520, 282, 15
        for i, spec in enumerate(charts):
            row = top + (i // 2) * stride
            if i % 4 == 0:
                self.breaks.append(row)
            self.ws.insert_chart(
                row,
                0,
                self._chart(spec, width, height),
                {"x_offset": 4 + (i % 2) * (width + 12), "y_offset": 4},
            )

    def _chart(self, spec: LineChart, width: int, height: int) -> Any:
        b = self.book
        chart = b.wb.add_chart({"type": "line"})
        font = {"name": b.font, "size": 9}
        last_col = spec.first_col + len(spec.categories) - 1
        # constant_memory keeps no cell data to cache in the chart: give the cache explicitly, so the
        # chart shows in viewers that do not recalculate, and the month labels are text categories
        categories = [self.name, spec.header_row, spec.first_col, spec.header_row, last_col]
        for series in spec.series:
            options: dict[str, Any] = {
                "name": series.name,
                "categories": categories,
                "categories_data": spec.categories,
                "values": [self.name, series.row, spec.first_col, series.row, last_col],
                "values_data": series.values,
            }
            if series.style == "line":
                options["line"] = {"color": series.color, "width": 2.25}
                options["marker"] = {
                    "type": "circle",
                    "size": 7,
                    "fill": {"color": series.color},
                    "border": {"color": series.color},
                }
            elif series.style == "target":
                options["line"] = {"color": series.color, "width": 1.5, "dash_type": "dash"}
                options["marker"] = {"type": "none"}
            else:  # markers alone: the missed months
                options["line"] = {"none": True}
                options["marker"] = {
                    "type": "circle",
                    "size": 9,
                    "fill": {"color": series.color},
                    "border": {"color": series.color},
                }
            chart.add_series(options)
        axis: dict[str, Any] = {
            "num_font": font,
            "major_gridlines": {"visible": True, "line": {"color": "#eceff1"}},
            "line": {"color": "#b0bec5"},
        }
        if spec.y_format:
            axis["num_format"] = spec.y_format
        if spec.y_min is not None:
            axis["min"] = spec.y_min
        if spec.y_max is not None:
            axis["max"] = spec.y_max
        chart.set_y_axis(axis)
        rotation = -45 if len(spec.categories) > 6 else 0
        chart.set_x_axis({"num_font": {**font, "rotation": rotation}, "line": {"color": "#b0bec5"}})
        chart.set_title({"name": spec.title, "name_font": {"name": b.font, "size": 11, "bold": True}})
        chart.set_legend({"position": "bottom", "font": font})
        chart.set_size({"width": width, "height": height})
        chart.set_chartarea({"border": {"color": "#cfd8dc"}})
        chart.show_blanks_as("gap")
        return chart

    # -- finishing

    def finish(
        self, *, fixed: dict[int, float] | None = None, repeat: bool = True, one_page: bool = False
    ) -> None:
        ws, book = self.ws, self.book
        # the Chinese font's Latin digits run a little wider than the column unit (a Latin digit)
        scale = _WIDTH_SCALE[book.lang]
        for col, width in sorted({**self.widths, **(fixed or {})}.items()):
            ws.set_column(col, col, round(width * scale + 0.5, 1))
        if self.main_header is not None:
            first = self.main_header - (1 if self.main_groups else 0)
            ws.freeze_panes(self.main_header + 1, self.freeze_col)
            ws.autofilter(self.main_header, 0, max(self.main_last, self.main_header), self.main_cols - 1)
            if repeat:
                ws.repeat_rows(first, self.main_header)
        else:
            ws.freeze_panes(1, 0)
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 1 if one_page else 0)
        ws.set_margins(
            left=0.4,
            right=0.4,
            top=0.7,
            bottom=0.7,
        )
        contract = book.contract.base.contract
        head = _hf(f"{contract.name or contract.id}")
        # a space after the font size: "&8" followed by digits would read as a larger size
        ws.set_header(f"&L&8 {head}&R&8 {_hf(self.name)}")
        ws.set_footer(f"&L&8 {_hf(contract.id)}&C&8 &P / &N&R&8 {_hf(book.stamp)}")


def _hf(text: str) -> str:
    """Text for a print header/footer: & escaped, kept short."""
    return text.replace("&", "&&")[:80]
