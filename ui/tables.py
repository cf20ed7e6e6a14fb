"""Tables of the screens: sortable with search and CSV/Excel downloads, plain or drawn as HTML for a
projector, and the column headers of each kind of table in the user's language."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from sla_core.exports import XLSX_TEXT_OPTIONS, csv_bytes
from sla_core.i18n import field_label
from sla_core.problems import Issue
from sla_core.views.timeliness import AT_RISK_COLUMNS, BREACHED_COLUMNS
from ui.strings import L, lang

# column → its header, or its whole configuration (st.column_config.*), or None to hide it
Columns = dict[str, ColumnConfig | str | None]


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
    # the files (and the frame they are made of) are built only when a button is pressed, not on every
    # rerun: the labelled copy of every table on every run was 4 % of the server's time under load
    buttons.download_button(
        L("download_csv"),
        # formula-like text neutralised, as in every file we write
        lambda: csv_bytes(export_frame(shown, hide, column_config)),
        f"{file_name}.csv",
        "text/csv",
        key=f"{key}_csv",
    )
    buttons.download_button(
        L("download_xlsx"),
        lambda: _xlsx(export_frame(shown, hide, column_config)),
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
           "days_left_today": 140, "status": 80, "linked_action": 80},
    "en": {"kind": 200, "kpi": 155, "months": 140, "owner": 70, "due": 85, "days_left": 120,
           "days_left_today": 120, "status": 90, "linked_action": 100},
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


def issues_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    # the message right after the level: it is what is read, and a long value (a list of thirty
    # unmapped categories) must not push it out of sight
    keys = {
        "level": "severity",
        "message": "col_note",
        "file": "col_file",
        "sheet": "sheet",
        "row": "row",
        "column": "column",
        "value": "value",
    }
    cols = {k: L(v) for k, v in keys.items()}
    levels = {"error": L("issue_error"), "warning": L("issue_warning")}
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
