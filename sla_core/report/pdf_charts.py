"""Line charts in the PDF, drawn simply: gridlines with their values, the KPI as a line with dots, missed
months as red dots, the target as a dashed line, a legend; two charts side by side, four to a page."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sla_core.report.layout import LineChart, Series
from sla_core.report.numfmt import render
from sla_core.report.pdf import FONT, MARGIN, rgb

if TYPE_CHECKING:
    from sla_core.report.pdf import PdfSheet

WIDTH, HEIGHT, GAP = 136.0, 84.0, 5.0  # mm


def draw_charts(sheet: PdfSheet, charts: Sequence[LineChart]) -> None:
    pdf = sheet.pdf
    for i, chart in enumerate(charts):
        if i % 2 == 0:
            if i % 4 == 0 or pdf.will_page_break(HEIGHT + GAP):
                pdf.add_page()
            top = pdf.get_y()
        x = MARGIN + (i % 2) * (WIDTH + GAP)
        _chart(sheet, chart, x, top)
        if i % 2 == 1 or i == len(charts) - 1:
            pdf.set_y(top + HEIGHT + GAP)


def _nice_step(span: float) -> float:
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _range(chart: LineChart) -> tuple[float, float, list[float]]:
    """The y range and its gridlines (multiples of a round step)."""
    values = [v for s in chart.series for v in s.values if v is not None]
    lo = chart.y_min if chart.y_min is not None else min(values, default=0.0)
    hi = chart.y_max if chart.y_max is not None else max(values, default=1.0)
    if chart.y_max is None:
        hi = hi + (hi - lo) * 0.15 or 1.0
    if hi <= lo:
        hi = lo + 1.0
    step = _nice_step(hi - lo)
    if chart.y_max is None:
        hi = math.ceil(hi / step - 1e-9) * step
    first = math.ceil(lo / step - 1e-9) * step
    ticks = [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]
    return lo, hi, ticks


def _chart(sheet: PdfSheet, chart: LineChart, x: float, y: float) -> None:
    pdf = sheet.pdf
    pdf.set_draw_color(*rgb("#cfd8dc"))
    pdf.set_line_width(0.2)
    pdf.rect(x, y, WIDTH, HEIGHT)
    pdf.set_font(FONT, "B", 9)
    pdf.set_xy(x, y + 2)
    pdf.cell(WIDTH, 5, chart.title, align="C")
    left, right, top, bottom = x + 16, x + WIDTH - 5, y + 10, y + HEIGHT - 22
    lo, hi, ticks = _range(chart)
    fmt = chart.y_format or "General"
    pdf.set_font(FONT, "", 6.5)

    def ypos(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    for tick in ticks:
        yy = ypos(tick)
        pdf.set_draw_color(*rgb("#eceff1"))
        pdf.line(left, yy, right, yy)
        pdf.set_xy(x + 1, yy - 2)
        pdf.cell(left - x - 2, 4, render(tick, fmt), align="R")
    pdf.set_draw_color(*rgb("#b0bec5"))
    pdf.line(left, bottom, right, bottom)
    n = len(chart.categories)
    slot = (right - left) / max(n, 1)

    def xpos(i: int) -> float:
        return left + slot * (i + 0.5)

    rotate = n > 6
    for i, label in enumerate(chart.categories):
        if rotate:
            with pdf.rotation(45, xpos(i), bottom + 2):
                width = pdf.get_string_width(label)
                pdf.set_xy(xpos(i) - width, bottom + 0.5)
                pdf.cell(width, 3, label, align="R")
        else:
            pdf.set_xy(xpos(i) - slot / 2, bottom + 1)
            pdf.cell(slot, 3, label, align="C")
    for series in chart.series:
        _series(sheet, series, xpos, ypos)
    _legend(sheet, chart.series, x, y + HEIGHT - 5)


def _series(
    sheet: PdfSheet, series: Series, xpos: Callable[[int], float], ypos: Callable[[float], float]
) -> None:
    pdf = sheet.pdf
    color = rgb(series.color)
    pdf.set_draw_color(*color)
    pdf.set_fill_color(*color)
    points = [(xpos(i), ypos(v)) if v is not None else None for i, v in enumerate(series.values)]
    if series.style != "markers":
        pdf.set_line_width(0.6 if series.style == "line" else 0.35)
        if series.style == "target":
            pdf.set_dash_pattern(dash=1.5, gap=1.0)
        run: list[tuple[float, float]] = []
        for p in [*points, None]:
            if p is None:
                if len(run) > 1:
                    pdf.polyline(run)
                run = []
            else:
                run.append(p)
        pdf.set_dash_pattern()
    if series.style != "target":
        radius = 0.8 if series.style == "line" else 1.2
        for p in points:
            if p is not None:
                pdf.circle(p[0], p[1], radius, style="F")
    pdf.set_line_width(0.2)


def _legend(sheet: PdfSheet, series: tuple[Series, ...], x: float, y: float) -> None:
    pdf = sheet.pdf
    pdf.set_font(FONT, "", 6.5)
    widths = [pdf.get_string_width(s.name) + 13 for s in series]
    at = x + (WIDTH - sum(widths)) / 2
    for s, width in zip(series, widths, strict=True):
        pdf.set_draw_color(*rgb(s.color))
        pdf.set_fill_color(*rgb(s.color))
        if s.style == "markers":
            pdf.circle(at + 3, y + 1.5, 1.1, style="F")
        else:
            pdf.set_line_width(0.5)
            if s.style == "target":
                pdf.set_dash_pattern(dash=1.2, gap=0.8)
            pdf.line(at, y + 1.5, at + 6, y + 1.5)
            pdf.set_dash_pattern()
        pdf.set_xy(at + 7, y)
        pdf.cell(width - 11, 3, s.name)
        at += width
    pdf.set_line_width(0.2)
