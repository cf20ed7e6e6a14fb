"""Reusable pieces of the screens: page links and empty states, KPI tiles, status badges and the KPI ×
period status table, charts, the penalty line, the stale-data banner, report exports and confirmed
buttons. Text safety and CSS live in `ui.markup`, tables in `ui.tables`; both are re-exported here so
that pages keep writing `components.X`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from sla_core.charts import STATUS_COLORS
from sla_core.i18n import month_label
from sla_core.views import OverviewView, QuarterView, Tile
from ui import url
from ui.markup import (
    CSS as CSS,
)
from ui.markup import (
    PRESENTATION_CSS as PRESENTATION_CSS,
)
from ui.markup import (
    PRESENTATION_PX as PRESENTATION_PX,
)
from ui.markup import (
    WORD_JOINER as WORD_JOINER,
)
from ui.markup import (
    copy_link_button as copy_link_button,
)
from ui.markup import (
    plain as plain,
)
from ui.markup import (
    plain_but_code as plain_but_code,
)
from ui.markup import (
    said as said,
)
from ui.markup import (
    style as style,
)
from ui.strings import L, lang
from ui.tables import (
    OBLIGATION_WIDTHS as OBLIGATION_WIDTHS,
)
from ui.tables import (
    Columns as Columns,
)
from ui.tables import (
    action_columns as action_columns,
)
from ui.tables import (
    export_frame as export_frame,
)
from ui.tables import (
    fitted as fitted,
)
from ui.tables import (
    frame as frame,
)
from ui.tables import (
    issues_frame as issues_frame,
)
from ui.tables import (
    kpi_row_columns as kpi_row_columns,
)
from ui.tables import (
    obligation_columns as obligation_columns,
)
from ui.tables import (
    obligation_lines as obligation_lines,
)
from ui.tables import (
    penalty_columns as penalty_columns,
)
from ui.tables import (
    plain_table as plain_table,
)
from ui.tables import (
    table as table,
)
from ui.tables import (
    ticket_columns as ticket_columns,
)

if TYPE_CHECKING:
    from ui.state import Context

_PAGES: dict[str, StreamlitPage] = {}


def register_pages(pages: dict[str, StreamlitPage]) -> None:
    """app.py hands over its st.Page objects so that tiles can link to them."""
    _PAGES.clear()
    _PAGES.update(pages)


def page_link(
    name: str,
    label: str,
    *,
    query: dict[str, list[str]] | None = None,
    icon: str = ":material/arrow_forward:",
) -> None:
    """A link to one of the app's pages; `query` carries what it should open (a KPI, a file kind)."""
    page = _PAGES.get(name)
    if page is not None:
        # a link with its own parameters carries the view too (language, contract, period, filters):
        # Streamlit opens it with the sidebar's widgets reset, and the link then says what they were
        view = {k: v for k, v in url.current().items() if k in url.SIDEBAR_KEYS} if query else {}
        params = [(k, v) for k, v in {**view, **(query or {})}.items()]
        st.page_link(page, label=label, icon=icon, query_params=params or None)


def empty_state(message: str, kind: str = "tickets") -> None:
    """What is missing and where to add it: a sentence and a link to Upload with the file kind chosen."""
    with st.container(border=True, key=f"empty_state_{kind}"):
        st.info(message, icon=":material/upload_file:")
        page_link("upload", L("go_upload"), query={"kind": [kind]}, icon=":material/upload:")


def stop_without_data(title: str, has_months: bool, contract_name: str) -> None:
    """A contract with no data yet: the page's title and the empty state instead of a crash."""
    if has_months:
        return
    st.title(title)
    empty_state(L("empty_contract").format(name=contract_name))
    st.stop()


STALE_DAYS = 7  # newer data than this is not worth a banner

STATUS_TEXT = {"met", "missed", "no_data", "unjudged", "filtered", "pooled"}


def quarter_headline(view: QuarterView) -> None:
    """The review's first lines: the KPIs per status and the penalty, then the quarter's monthly misses
    with their months (季度内月度未达标 N 项：2026年7月：首次解决率…)."""
    summary = " ".join(badge(s, f"{L(s)} {n}") for s, n in view.counts.items())
    st.markdown(
        f"{summary} &nbsp; <b>{html.escape(L('penalty'))} {html.escape(view.total_penalty)}</b>",
        unsafe_allow_html=True,
    )
    if not view.monthly_misses:
        st.markdown(
            f'<div class="sla-monthly-misses">{html.escape(L("no_monthly_misses"))}</div>',
            unsafe_allow_html=True,
        )
        return
    months = L("month_sep").join(
        f"{month_label(m, lang())}{L('colon')}{L('kpi_sep').join(kpis)}" for m, kpis in view.monthly_misses
    )
    st.markdown(
        f'<div class="sla-monthly-misses">{html.escape(L("monthly_misses").format(n=view.monthly_miss_count))}'
        f"{L('colon')}{html.escape(months)}</div>",
        unsafe_allow_html=True,
    )


def badge(status: str, text: str | None = None) -> str:
    color = STATUS_COLORS.get(status, "#5c6bc0" if status in ("filtered", "pooled") else "#78909c")
    label = text or (L(status) if status in STATUS_TEXT else status)
    return f'<span class="sla-badge" style="background:{color}">{html.escape(label)}</span>'


def tile(t: Tile, key: str) -> None:
    with st.container(border=True, key=f"tile_{t.status}_{key}"):
        st.markdown(
            f'<div class="sla-tile-label">{html.escape(t.label)} {badge(t.status)}</div>'
            f'<div class="sla-tile-value">{html.escape(t.value_text)}</div>'
            f'<div class="sla-meta">{html.escape(_target_line(t))}'
            + (
                f' · <span class="{_delta_class(t.delta_good)}">{L("vs_previous")} {html.escape(t.delta_text)}</span>'
                if t.delta_text
                else ""
            )
            + f'</div><div class="sla-sentence">{html.escape(t.sentence)}</div>',
            unsafe_allow_html=True,
        )
        # the KPI for this period: definition, clause, numerator / denominator and their rows
        page_link("kpi", L("details"), query={"kpi": [t.kpi]})


def _target_line(t: Tile) -> str:
    """ "Target ≥ 95%", or just "no target" (not "Target no target")."""
    return f"{L('target')} {t.target_text}" if t.has_target else t.target_text


def _delta_class(good: bool | None) -> str:
    return "sla-flat" if good is None else ("sla-good" if good else "sla-bad")


def chart(fig: go.Figure, key: str, *, large: bool = False) -> None:
    if large:  # for a projector: every text of the chart at 18 px or more
        fig = go.Figure(fig).update_layout(font={"size": 18}, title_font_size=22)
    st.plotly_chart(fig, key=key, theme=None, config={"displaylogo": False})


def clickable_chart(fig: go.Figure, key: str) -> list[dict[str, object]]:
    """A chart whose points (bars, heatmap cells) can be clicked: the clicked points."""
    event = st.plotly_chart(
        fig, key=key, theme=None, config={"displaylogo": False}, on_select="rerun", selection_mode="points"
    )
    return list(event.selection.get("points", [])) if event else []


def heatmap_cell(points: Sequence[dict[str, object]]) -> tuple[int, int] | None:
    """(weekday 0 = Monday, hour) of a clicked cell of the weekday × hour heatmap (its clickable layer
    numbers the cells weekday × 24 + hour)."""
    for point in points:
        index = point.get("point_index")
        if point.get("curve_number") == 1 and isinstance(index, int) and 0 <= index < 7 * 24:
            return index // 24, index % 24
    return None


def penalty_line(view: OverviewView) -> None:
    """The period's penalty: amount, provisional or final, how the items add up."""
    provisional = bool(view.penalty_provisional)
    st.metric(L("penalty"), view.penalty_text)
    st.markdown(
        f"{badge('pending' if provisional else 'met', L('provisional') if provisional else L('final'))} "
        f'<span class="sla-meta">{html.escape(view.penalty_note)}</span>',
        unsafe_allow_html=True,
    )


def stale_banner(ctx: Context) -> None:
    """The newest data is more than a week old: say so, with both dates (obligations count from both)."""
    from datetime import datetime

    from ui import state

    ev = ctx.evaluation
    as_of = datetime.fromtimestamp(ev.as_of, ev.contract.zone).date()
    days = (state.today(ctx) - as_of).days
    if days > STALE_DAYS:
        st.warning(L("stale_data").format(as_of=as_of.isoformat(), days=days), icon=":material/history:")


def status_table(
    values: pd.DataFrame,
    statuses: pd.DataFrame,
    key: str,
    *,
    large: bool = False,
    kpis: Sequence[str] | None = None,
    periods: Sequence[str | None] | None = None,
) -> None:
    """A KPI × period table whose cells are coloured by status (met green, missed red…); large: drawn
    as HTML, for presentation mode. With the KPI of each row and the period of each column (None: a
    column that is no period, the target), a click on a cell opens that KPI for that period."""
    fills = {"met": "#e8f5e9", "missed": "#ffebee", "no_data": "#eceff1", "unjudged": "#f5f5f5"}
    inks = {"met": "#1b5e20", "missed": "#b71c1c", "no_data": "#607d8b", "unjudged": "#607d8b"}

    def paint(_: pd.DataFrame) -> pd.DataFrame:
        return statuses.map(lambda s: f"background-color: {fills[s]}; color: {inks[s]}" if s in fills else "")

    legend = " ".join(badge(s) for s in ("met", "missed", "no_data", "unjudged"))
    if large:
        st.table(values.style.apply(paint, axis=None))
        st.caption(legend, unsafe_allow_html=True)
        return
    # the KPI names column is sized to its longest name (计划外停机（分钟）), not to the grid's guess
    longest = max((len(str(name)) for name in values.index), default=0)
    wide = 14 if lang() == "zh" else 8  # px per character, roughly
    styled = values.style.apply(paint, axis=None)
    height = min(40 + 35 * len(values), 720)
    config: Columns = {"_index": st.column_config.Column(width=min(20 + wide * longest, 320))}
    if kpis is None or periods is None:
        st.dataframe(styled, key=key, height=height, column_config=config)
    else:
        event = st.dataframe(
            styled,
            key=key,
            height=height,
            column_config=config,
            on_select="rerun",
            selection_mode="single-cell",
        )
    clickable = kpis is not None and periods is not None
    st.caption(
        legend + (f" &nbsp; {html.escape(L('kpi_cell_help'))}" if clickable else ""),
        unsafe_allow_html=True,
    )
    if kpis is not None and periods is not None:
        cells = list(event.selection.get("cells", []))
        chosen = cell_target(cells, [str(c) for c in values.columns], kpis, periods)
        if chosen:
            open_kpi(*chosen)


def cell_target(
    cells: Sequence[Sequence[object]],
    columns: Sequence[str],
    kpis: Sequence[str],
    periods: Sequence[str | None],
) -> tuple[str, str] | None:
    """(KPI, period) of the selected cell of a KPI × period table; None for no cell or the target column."""
    if not cells:
        return None
    row, column = cells[0][0], cells[0][1]
    if (
        not isinstance(row, int)
        or not 0 <= row < len(kpis)
        or not isinstance(column, str)
        or column not in columns
    ):
        return None
    period = periods[list(columns).index(column)]
    return (kpis[row], period) if period else None


def open_kpi(kpi: str, period: str) -> None:
    """Go to the KPI's page for a month or quarter, keeping language, contract and filters."""
    keep = {k: v for k, v in url.current().items() if k in url.SIDEBAR_KEYS}
    for k in ("month", "quarter", "from", "to"):
        keep.pop(k, None)
    query = {**keep, ("quarter" if "Q" in period else "month"): [period], "kpi": [kpi]}
    page = _PAGES.get("kpi")
    if page is not None:
        st.switch_page(page, query_params=list(query.items()))


def report_exports(
    ctx: Context,
    period: str,
    labels: dict[str, tuple[str, str]],
    keys: dict[str, tuple[str, str, str]],
) -> None:
    """The period's report as Excel and as PDF: each built on a click (through the Guard: the export
    permission, an audit entry), then offered for download. A report that cannot be built says why
    (a PDF without its fonts names the package to install).

    labels: format → (build, download) labels; keys: format → (build button, session entry holding
    (period, language, bytes), download button)."""
    from sla_core.report import MIMES, ReportError, report_filename

    # side by side at the left, not spread over the width of the page
    columns = st.columns([1] * len(labels) + [max(1, 4 - len(labels))])[: len(labels)]
    for column, (fmt, (build, download)) in zip(columns, labels.items(), strict=True):
        button, entry, download_key = keys[fmt]
        with column:
            if st.button(build, key=button):
                with st.spinner(L("building_pdf") if fmt == "pdf" else L("storing")):
                    try:
                        data = ctx.guard.export_report(ctx.contract_id, period, ctx.lang, fmt)
                        st.session_state[entry] = (period, ctx.lang, data)
                    except ReportError as refused:
                        st.session_state.pop(entry, None)
                        st.error(refused.zh if lang() == "zh" else refused.en)
            ready = st.session_state.get(entry)
            if ready and ready[:2] == (period, ctx.lang):
                st.download_button(
                    download,
                    ready[2],
                    report_filename(ctx.contract_id, period, ctx.lang, fmt),
                    MIMES[fmt],
                    key=download_key,
                    type="primary",
                )


def confirmed(label: str, key: str, question: str, *, name_needed: bool, disabled: bool = False) -> bool:
    """The button of an action not lightly taken back (undo a batch, close a month, load the demo): the
    first click asks `question` and, with sign-in off (`name_needed`), the operator's name, which the
    audit log records. True on the one run after the user confirms."""
    asking, name_key = f"{key}_asking", f"{key}_name"

    def ask() -> None:
        st.session_state[asking] = True
        st.session_state[name_key] = st.session_state.get("app_user") or ""

    def confirm() -> None:
        name = str(st.session_state.get(name_key) or "").strip()
        if name_needed and not name:
            st.session_state[f"{key}_refused"] = True
            return
        if name_needed:
            st.session_state["app_user"] = name  # the sidebar's name field, which the Guard records
        st.session_state.pop(asking, None)
        st.session_state[f"{key}_go"] = True

    st.button(label, key=key, disabled=disabled, on_click=ask)
    if st.session_state.pop(f"{key}_go", False):
        return True
    if not st.session_state.get(asking):
        return False
    with st.container(border=True, key=f"{key}_box"):
        st.warning(question)
        if name_needed:
            st.text_input(L("user"), key=name_key, placeholder=L("user_placeholder"))
            if st.session_state.pop(f"{key}_refused", False):
                st.error(L("confirm_name_needed"))
        row = st.container(horizontal=True)
        row.button(L("confirm"), key=f"{key}_confirm", type="primary", on_click=confirm)
        row.button(L("cancel"), key=f"{key}_cancel", on_click=lambda: st.session_state.pop(asking, None))
    return False
