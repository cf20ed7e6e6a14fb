"""Quarterly review: presentation-ready scorecard (quarter × months), quarter vs previous quarter, top
causes, penalties, obligations and actions, and the Excel pack."""

from __future__ import annotations

import html

import streamlit as st

from sla_core import charts
from sla_core.i18n import month_label
from sla_core.views import (
    Period,
    actions_table,
    obligations_table,
    period_months,
    quarter_of_month,
    quarter_view,
)
from ui import components, state
from ui.strings import L

ctx = state.context()
lang = ctx.lang
ev = ctx.evaluation
ctx.stop_without_data("page_quarterly")
quarters = [q.label for q in ev.quarters]
default = (
    ctx.period.label
    if ctx.period.kind == "quarter"
    else (quarter_of_month(ctx.period.label) if ctx.period.kind == "month" else quarters[-1])
)
if default not in quarters:
    default = quarters[-1]
quarter = st.selectbox(
    L("period_quarter"),
    quarters,
    index=quarters.index(default),
    key="quarterly_quarter",
    format_func=lambda q: month_label(q, lang),
)
view = quarter_view(ev, quarter, lang)
if view is None:
    st.stop()

st.title(f"{L('page_quarterly')} · {month_label(quarter, lang)}")
summary = " ".join(components.badge(s, f"{L(s)} {n}") for s, n in view.counts.items())
st.markdown(
    f"{summary} &nbsp; <b>{html.escape(L('penalty'))} {html.escape(view.total_penalty)}</b>",
    unsafe_allow_html=True,
)

st.subheader(L("scorecard"))
components.status_table(
    view.values,
    view.statuses,
    key="quarterly_scorecard",
    kpis=ev.kpi_ids,  # the scorecard's rows
    periods=[None, quarter, *period_months(ev, Period.quarter(quarter))],  # target, quarter, its months
)

left, right = st.columns([3, 2])
with left:
    st.subheader(L("vs_previous_quarter"))
    st.dataframe(
        view.comparison.drop(columns=["status"]),
        hide_index=True,
        key="quarterly_comparison",
        column_config={
            "kpi": L("col_kpi"),
            "now": L("this_quarter"),
            "previous": L("previous_quarter"),
            "change": L("col_change"),
        },
    )
with right:
    st.subheader(L("top_causes"))
    dim = (
        st.segmented_control(
            L("pareto_by"),
            ["category", "team", "priority", "missed_kpis"],
            key="quarterly_causes_dim",
            required=True,
            default="category",
            format_func=lambda d: L(d) if d != "missed_kpis" else L("missed_kpis"),
        )
        or "category"
    )
    counts = view.causes[dim]
    if dim == "missed_kpis":
        figure = charts.pareto(counts, L("missed_kpis_title"), lang, what=L("misses"))
    else:
        counts = counts.rename(index=lambda v: state.member_label(dim, str(v)))
        figure = charts.pareto(counts, L("pareto_title").format(dim=L(dim).lower()), lang)
    components.chart(figure, "quarterly_causes")

st.subheader(L("penalty"))
components.plain_table(view.penalties, "quarterly_penalties", column_config=components.penalty_columns())

# full width, one under the other: side by side, half the obligations' columns hid behind a scroll bar
st.subheader(L("open_obligations"))
# days counted from the data's as-of and, when the data is older, from today too
obligations = obligations_table(ev, lang, open_only=True, today=state.today(ctx))
components.plain_table(
    obligations.drop(columns=[c for c in ("status_code", "status_today_code") if c in obligations.columns]),
    "quarterly_obligations",
    column_config={**components.obligation_columns(obligations), "id": None},
)
st.subheader(L("tab_actions"))
actions = actions_table(ctx.guard.list_actions(ctx.contract_id), lang)
components.plain_table(
    actions, "quarterly_actions", column_config={**components.action_columns(), "updated": None}
)

st.subheader(L("excel_pack"))
if st.button(L("prepare_pack"), key="quarterly_prepare"):
    with st.spinner(L("storing")):
        data = ctx.guard.export_report(ctx.contract_id, quarter, lang)
    st.session_state["quarterly_pack"] = (quarter, lang, data)
pack = st.session_state.get("quarterly_pack")
if pack and pack[0] == quarter and pack[1] == lang:
    st.download_button(
        L("download_pack"),
        pack[2],
        f"{ctx.contract_id}-{quarter}-{lang}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="quarterly_download",
        type="primary",
    )
