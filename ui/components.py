"""Reusable pieces of the screens: KPI tile, status badge, tables with CSV/Excel download, issue tables."""

from __future__ import annotations

import html
import io
import re
import string
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig
from streamlit.navigation.page import StreamlitPage

from sla_core.charts import STATUS_COLORS
from sla_core.exports import XLSX_TEXT_OPTIONS, csv_bytes
from sla_core.i18n import field_label
from sla_core.problems import Issue
from sla_core.views import OverviewView, Tile
from sla_core.views.timeliness import AT_RISK_COLUMNS, BREACHED_COLUMNS
from ui import url
from ui.strings import L, lang

if TYPE_CHECKING:
    from ui.state import Context

# column → its header, or its whole configuration (st.column_config.*), or None to hide it
Columns = dict[str, ColumnConfig | str | None]

_PAGES: dict[str, StreamlitPage] = {}

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GitHub-flavoured markdown links bare URLs and e-mail addresses after escapes are resolved: an invisible
# word joiner after the scheme, the "www" or the "@" keeps them text
_BARE_LINK = re.compile(r"(?i)(?<![a-z0-9])(https?|ftp|www)(?=://|\.)|@")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Text from data or from a user, shown as written where Streamlit reads markdown (titles, captions,
    alerts, st.markdown): every ASCII punctuation mark is escaped and bare links are broken invisibly,
    so a value never becomes a link, an image the browser fetches, HTML, emphasis, a formula or a
    colour directive."""
    unlinked = _BARE_LINK.sub(lambda m: m.group(0) + WORD_JOINER, str(text))
    return _PUNCTUATION.sub(r"\\\1", unlinked)


_CODE_SPAN = re.compile(r"(`[^`]+`)")


def plain_but_code(text: str) -> str:
    """`plain`, except that `code spans` stay code: markdown draws their content literally, so a command
    a message quotes (`python -m sla_core restore …`) keeps its look and nothing in it is interpreted."""
    return "".join(part if _CODE_SPAN.fullmatch(part) else plain(part) for part in _CODE_SPAN.split(text))


def said(issues: Sequence[Issue], language: str, sep: str = "\n\n") -> str:
    """Problems' messages (which quote values from files and forms) for an alert, as plain text."""
    return sep.join(plain_but_code(i.message(language)) for i in issues)


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

CSS = """
<style>
.sla-tile-label {font-size: 0.95rem; color: #455a64; margin-bottom: 0.1rem;}
.sla-tile-value {font-size: 2.0rem; font-weight: 700; line-height: 1.15; color: #263238;}
.sla-badge {display: inline-block; padding: 0.05rem 0.55rem; border-radius: 0.8rem; color: white;
            font-size: 0.8rem; font-weight: 600; vertical-align: middle;}
.sla-meta {font-size: 0.85rem; color: #546e7a;}
.sla-sentence {font-size: 0.82rem; color: #37474f; min-height: 2.6em;}
.sla-good {color: #2e7d32;} .sla-bad {color: #c62828;} .sla-flat {color: #78909c;}
.block-container {padding-top: 2.2rem;}
.sla-monthly-misses {font-size: 1rem; color: #37474f; margin: 0.2rem 0 0.6rem 0;}
div[class*="st-key-tile_missed_"] {border-color: #e57373; background: #fff8f8;}
div[class*="st-key-tile_no_data_"] {border-color: #90a4ae; background: #f7f9fa;}
/* Streamlit's own words, in English whatever the user's language: the uploader's "Drag and drop file
   here", "Limit 200MB per file" and "Browse files" are replaced by the page's own caption and label
   (ui.strings "upload_drop"), its "Page not found" dialog (the only dialog without widgets) by a
   toast in the user's language (app.py), and the keyboard's "Skip to main content" link (drawn when
   focused) says it in the user's words ("skip_to_content"). */
[data-testid="stFileUploaderDropzoneInstructions"] > div > * {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {content: var(--sla-drop);
  font-size: 0.875rem; color: rgba(49, 51, 63, 0.6);}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}
[data-testid="stFileUploaderDropzone"] button [data-has-shortcut]::after {content: var(--sla-browse);}
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) {display: none !important;}
[data-testid="stSkipToContent"] {font-size: 0 !important;}
[data-testid="stSkipToContent"]::after {content: var(--sla-skip); font-size: 1rem;}
</style>
"""

# The quarterly review on a projector (1920×1080, read from the back of a room): no sidebar, every text
# of the main area at least 20 px, headings larger; tables are drawn as HTML (a data grid's canvas text
# cannot be enlarged) and charts with 18 px fonts.
PRESENTATION_PX = 20
PRESENTATION_CSS = f"""
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {{display: none !important;}}
[data-testid="stMain"] :is(p, li, label, td, th, span, div, input, button) {{
  font-size: {PRESENTATION_PX}px !important; line-height: 1.45 !important;}}
[data-testid="stMain"] h1, [data-testid="stMain"] h1 * {{font-size: 44px !important;}}
[data-testid="stMain"] h3, [data-testid="stMain"] h3 * {{font-size: 30px !important;}}
[data-testid="stMain"] .sla-badge {{font-size: {PRESENTATION_PX}px !important; padding: 0.1rem 0.7rem;}}
[data-testid="stMain"] .sla-monthly-misses {{font-weight: 600;}}
</style>
"""


def style() -> None:
    words = (
        f":root {{--sla-drop: {_css_text(L('upload_drop'))}; --sla-browse: {_css_text(L('upload_browse'))};"
        f" --sla-skip: {_css_text(L('skip_to_content'))};}}"
    )
    st.markdown(CSS.replace("</style>", words + "\n</style>"), unsafe_allow_html=True)


def _css_text(text: str) -> str:
    """Text for a CSS `content` value (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_words(key: str, types: Sequence[str]) -> None:
    """Nothing left to do: every uploader's English ("Drag and drop file here", "200MB per file",
    "Browse files") is replaced in the user's words by the global CSS (`CSS`, `style`), proven in a
    browser by tests/e2e/test_streamlit_words.py. Kept until pages/upload.py and pages/contract.py,
    being split on another branch, drop their call."""
    del key, types


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


def _xlsx(frame: pd.DataFrame) -> bytes:
    """An Excel copy of a table; text that looks like a formula stays text."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": XLSX_TEXT_OPTIONS},
    ) as w:
        out = frame.copy()
        for col in out.columns:
            if isinstance(out[col].dtype, pd.DatetimeTZDtype):
                out[col] = out[col].dt.tz_localize(None)
        out.to_excel(w, index=False, sheet_name="data")
    return buffer.getvalue()


def plain_table(
    frame: pd.DataFrame,
    key: str,
    *,
    column_config: Columns | None = None,
    large: bool = False,
) -> None:
    """A table without search or downloads; an empty one says so in the user's language (Streamlit's
    own placeholder reads "empty" whatever the language). large: drawn as HTML, for presentation mode."""
    if frame.empty:
        st.caption(L("no_rows"))
        return
    if large:
        st.table(_as_html_table(frame, column_config).style.hide(axis="index"))
        return
    st.dataframe(frame, hide_index=True, key=key, column_config=column_config)


def _as_html_table(frame: pd.DataFrame, column_config: Columns | None) -> pd.DataFrame:
    """The frame as the data grid would show it: hidden columns dropped, headers labelled, money with
    thousands separators and two decimals."""
    config = column_config or {}
    hidden = [c for c, v in config.items() if v is None and c in frame.columns]
    out = frame.drop(columns=hidden).copy()
    labels: dict[str, str] = {}
    for column, value in config.items():
        if column not in out.columns or value is None:
            continue
        settings: dict[str, Any] = {} if isinstance(value, str) else dict(value)
        label = value if isinstance(value, str) else settings.get("label")
        if (settings.get("type_config") or {}).get("format") == "accounting":
            out[column] = out[column].map(lambda x: "" if pd.isna(x) else f"{float(x):,.2f}")
        if isinstance(label, str):
            labels[column] = label
    return out.rename(columns=labels).fillna("")


def table(
    frame: pd.DataFrame,
    key: str,
    *,
    file_name: str,
    search: bool = True,
    column_config: Columns | None = None,
    height: int | Literal["auto", "stretch", "content"] = "auto",
    hide: Sequence[str] = (),
) -> pd.DataFrame:
    """A sortable table with a search box and CSV/Excel downloads; returns the rows shown."""
    shown = frame
    if search and not frame.empty:
        needle = st.text_input(
            L("search"), key=f"{key}_search", placeholder=L("search_rows"), label_visibility="collapsed"
        )
        if needle:
            text = frame.astype(str).apply(lambda col: col.str.contains(needle, case=False, regex=False))
            shown = frame.loc[text.any(axis=1)]
    if shown.empty:
        st.caption(L("no_rows"))
        return shown  # nothing to download either
    visible = [c for c in shown.columns if c not in hide]
    st.dataframe(
        shown,
        hide_index=True,
        column_order=visible,
        column_config=column_config,
        height=height,
        key=f"{key}_table",
    )
    # side by side at their own widths (columns left a gap the width of the longer label)
    buttons = st.container(horizontal=True)
    export = export_frame(shown, hide, column_config)
    # the files are built only when a button is pressed (callables), not on every rerun
    buttons.download_button(
        L("download_csv"),
        lambda: csv_bytes(export),  # formula-like text neutralised, as in every file we write
        f"{file_name}.csv",
        "text/csv",
        key=f"{key}_csv",
    )
    buttons.download_button(
        L("download_xlsx"),
        lambda: _xlsx(export),
        f"{file_name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
    )
    return shown


def export_frame(shown: pd.DataFrame, hide: Sequence[str], column_config: Columns | None) -> pd.DataFrame:
    """The rows shown, for a download: hidden helper columns dropped, headers as the table labels them
    (a user's file says 截止日期, not due)."""
    labels: dict[str, str] = {}
    for column, config in (column_config or {}).items():
        label = config if isinstance(config, str) else (config or {}).get("label")
        if isinstance(label, str) and column in shown.columns:
            labels[column] = label
    return shown.drop(columns=[c for c in hide if c in shown.columns]).rename(columns=labels)


def action_columns() -> Columns:
    """Column headers of the improvement-action register."""
    keys = {
        "id": "col_id",
        "link": "col_link",
        "kpi": "col_kpi",
        "months": "col_months",
        "cause": "col_cause",
        "measure": "col_measure",
        "owner": "col_owner",
        "due": "col_due",
        "status": "col_status",
        "updated": "col_at",
    }
    return {k: L(v) for k, v in keys.items()}


def obligation_columns(frame: pd.DataFrame | None = None) -> Columns:
    """Headers of an obligations table; with days counted both from the data and from today, each
    says which."""
    both = frame is not None and "days_left_today" in frame.columns
    keys = {
        "id": "col_id",
        "kind": "col_kind",
        "kpi": "col_kpi",
        "months": "col_months",
        "owner": "col_owed_by",
        "due": "col_due",
        "days_left": "col_days_left_data" if both else "col_days_left",
        "days_left_today": "col_days_left_today",
        "status": "col_status",
        "linked_action": "col_action",
    }
    return {k: L(v) for k, v in keys.items()}


# px per column of the obligations table, so that all of it fits the main area at 1440 px (≈ 980 px wide)
# with every value whole (tests/e2e/test_breaches_layout.py measures them in the browser): auto-sizing
# measured the first rows, reports without a KPI, and cut the improvement plans' KPI names below them.
# A header cut short shows whole on hover.
OBLIGATION_WIDTHS = {
    "zh": {"kind": 145, "kpi": 150, "months": 160, "owner": 60, "due": 90, "days_left": 150,
           "days_left_today": 140, "status": 60, "linked_action": 80},
    "en": {"kind": 200, "kpi": 155, "months": 140, "owner": 70, "due": 85, "days_left": 120,
           "days_left_today": 120, "status": 70, "linked_action": 100},
}  # fmt: skip


def fitted(columns: Columns, widths: dict[str, int]) -> Columns:
    """Headers given fixed widths (px); a header cut short shows whole on hover."""
    out = dict(columns)
    for column, width in widths.items():
        label = out.get(column)
        if isinstance(label, str):
            out[column] = st.column_config.Column(label, width=width, help=label)
    return out


def obligation_lines(frame: pd.DataFrame) -> list[str]:
    """Obligations as sentences: 改进计划 · 首次解决率 · 2026年3月 – 2026年5月 · 截止 2026-06-15 · 逾期 140 天."""
    out = []
    for row in frame.to_dict("records"):
        parts = [row["kind"], row["kpi"], row["months"], L("due_on").format(due=row["due"])]
        days = str(row["days_left"])
        today = str(row.get("days_left_today") or "")
        if today and today != days:
            days = L("days_data_and_today").format(data=days, today=today)
        out.append(" · ".join(str(p) for p in [*parts, days] if p))
    return out


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


def penalty_columns() -> Columns:
    money = {"uncapped": "col_uncapped", "cap": "col_cap_left", "amount": "col_amount"}
    return {
        "month": L("col_months"),
        "items": L("col_items"),
        # "accounting": thousands separators and two decimals, 10,000.00
        **{k: st.column_config.NumberColumn(L(v), format="accounting") for k, v in money.items()},
        "capped": L("capped"),
        "state": L("col_state"),
    }


def ticket_columns() -> Columns:
    """Column headers of the ticket tables (at risk, breached) in the user's language."""
    keys = dict.fromkeys((*BREACHED_COLUMNS, *AT_RISK_COLUMNS))
    # the dimensions and the status are named as everywhere else; the rest as ticket tables say them
    shared = {"priority": "priority", "team": "team", "category": "category", "channel": "channel"}
    shared |= {
        "response_status": "measure_response",
        "resolution_status": "measure_resolution",
        "used": "used",
    }
    return {k: L(shared.get(k, "col_status" if k == "status" else f"tcol_{k}")) for k in keys}


def kpi_row_columns() -> Columns:
    """Column headers of a KPI's rows (tickets, responses, outages, incidents or measures)."""
    keys = {
        "ticket_id": "tcol_ticket_id",
        "month": "tcol_month",
        "priority": "priority",
        "team": "team",
        "category": "category",
        "channel": "channel",
        "created": "tcol_created",
        "detail": "col_counted_on",
        "in_numerator": "col_in_numerator",
        "in_denominator": "col_in_denominator",
        "submitted": "col_submitted",
        "score": "col_score",
        "service": "service",
        "start": "col_start",
        "end": "col_end",
        "minutes": "col_minutes",
        "restored_in_time": "restored_in_time",
        "cause": "col_cause",
        "description": "col_description",
        "value": "value",
        "source": "col_source",
        "note": "col_note",
        "what": "col_item",
        "numerator": "col_numerator",
        "denominator": "col_denominator",
    }
    out: Columns = {k: L(v) for k, v in keys.items()}
    # minutes and what each row adds: thousands separated, as the equation above writes them
    for k in ("minutes", "numerator", "denominator"):
        out[k] = st.column_config.NumberColumn(L(keys[k]), format="localized")
    out["response_id"] = field_label("response_id", lang())
    return out


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


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


def issues_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    zh = lang() == "zh"
    # the message right after the level: it is what is read, and a long value (a list of thirty
    # unmapped categories) must not push it out of sight
    cols = {
        "level": "级别" if zh else "Level",
        "message": "说明" if zh else "Message",
        "file": "文件" if zh else "File",
        "sheet": "工作表" if zh else "Sheet",
        "row": "行" if zh else "Row",
        "column": "列" if zh else "Column",
        "value": "值" if zh else "Value",
    }
    levels = {"error": "错误" if zh else "error", "warning": "警告" if zh else "warning"}
    rows = [
        {
            cols["level"]: levels[i.level],
            cols["file"]: i.file or "",
            cols["sheet"]: i.sheet or "",
            # a file-level problem has no row: blank, not the "None" a table would show
            cols["row"]: "" if i.row is None else str(i.row),
            cols["column"]: i.column or "",
            cols["value"]: i.value or "",
            cols["message"]: i.message(lang()),
        }
        for i in issues
    ]
    return pd.DataFrame(rows, columns=list(cols.values()))


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


# A button copying the address (with its query: the whole view) to the clipboard. Browsers only copy on
# a user's click in the page's own code, so this is the one place with JavaScript: the Clipboard API,
# and on plain http (no secure context) a selected text area and execCommand.
_COPY_LINK_CSS = """
button {font: inherit; font-size: 0.9rem; padding: 0.3rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
        border: 1px solid rgba(49, 51, 63, 0.2); background: white; color: rgb(49, 51, 63);}
button:hover {border-color: #1565c0; color: #1565c0;}
"""
_COPY_LINK_JS = """
export default function(component) {
  const { data, parentElement } = component;
  const button = parentElement.querySelector("button");
  button.textContent = data.label;
  button.title = data.help;
  button.onclick = async () => {
    const link = window.location.href;
    let copied = false;
    try { await navigator.clipboard.writeText(link); copied = true; } catch (e) { copied = false; }
    if (!copied) {
      const area = document.createElement("textarea");
      area.value = link;
      document.body.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      area.remove();
    }
    button.textContent = copied ? data.done : data.failed;
    setTimeout(() => { button.textContent = data.label; }, 2500);
  };
}
"""
_copy_link = st.components.v2.component(
    "sla_copy_link",
    html='<button type="button" data-testid="slaCopyLink"></button>',
    css=_COPY_LINK_CSS,
    js=_COPY_LINK_JS,
)


def copy_link_button() -> None:
    """ "Copy link": the address of this view (page, contract, period, filters, language)."""
    with st.sidebar:
        _copy_link(
            key="app_copy_link",
            data={
                "label": L("copy_link"),
                "done": L("link_copied"),
                "failed": L("link_not_copied"),
                "help": L("copy_link_help"),
            },
            width="content",
        )
