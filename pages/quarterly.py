"""Quarterly review: presentation-ready scorecard (quarter × months), quarter vs previous quarter, top
causes, penalties, obligations and actions, and the pack (Excel and PDF)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from sla_core import charts
from sla_core.i18n import month_label
from sla_core.views import (
    Period,
    actions_table,
    default_quarter,
    obligations_table,
    period_months,
    quarter_choices,
    quarter_view,
)
from ui import components, state
from ui.strings import L

ctx = state.context()
lang = ctx.lang
ev = ctx.evaluation
ctx.stop_without_data("page_quarterly")
choices = {c.label: c for c in quarter_choices(ev)}
if not choices:
    st.info(L("no_rows"))
    st.stop()


def _choice_label(label: str) -> str:
    c = choices[label]
    if c.complete:
        return month_label(label, lang)
    months = "、".join(month_label(m, lang, short=True) for m in c.months)
    return L("quarter_partial").format(quarter=month_label(label, lang), months=months)


# the one period control of this page: the last complete quarter unless the user chose a quarter
chosen = st.session_state.get("quarterly_quarter")
if chosen not in choices:
    picked = ctx.period.label if ctx.period.kind == "quarter" else None
    st.session_state["quarterly_quarter"] = picked if picked in choices else default_quarter(ev)
top = st.columns([3, 1], vertical_alignment="bottom")
quarter = top[0].selectbox(
    L("period_quarter"),
    list(choices),
    key="quarterly_quarter",
    format_func=_choice_label,
    placeholder=L("pick_one"),
)
presenting = top[1].toggle(L("presentation_mode"), key="quarterly_present", help=L("presentation_help"))
if presenting:
    st.markdown(components.PRESENTATION_CSS, unsafe_allow_html=True)
# the same quarter's review for everyone in the meeting: computed once per contract version and language
view = state.shared("quarterly_view", ctx, lambda: quarter_view(ev, quarter, lang), quarter)
if view is None:
    st.stop()

st.title(f"{L('page_quarterly')} · {_choice_label(quarter)}")
components.quarter_headline(view)

st.subheader(L("scorecard"))
components.status_table(
    view.values,
    view.statuses,
    key="quarterly_scorecard",
    large=presenting,
    kpis=ev.kpi_ids,  # the scorecard's rows
    periods=[None, quarter, *period_months(ev, Period.quarter(quarter))],  # target, quarter, its months
)

left, right = st.columns([3, 2])
with left:
    st.subheader(L("vs_previous_quarter"))
    components.plain_table(
        view.comparison.drop(columns=["status"]),
        "quarterly_comparison",
        column_config={
            "kpi": L("col_kpi"),
            "now": L("this_quarter"),
            "previous": L("previous_quarter"),
            "change": L("col_change"),
        },
        large=presenting,
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

    causes_by = view.causes

    def causes() -> go.Figure:
        counts = causes_by[dim]
        if dim == "missed_kpis":
            return charts.pareto(counts, L("missed_kpis_title"), lang, what=L("misses"))
        counts = counts.rename(index=lambda v: state.member_label(dim, str(v), lang))
        return charts.pareto(counts, L("pareto_title").format(dim=L(dim).lower()), lang)

    figure = state.shared("quarterly_causes", ctx, causes, quarter, dim)
    components.chart(figure, "quarterly_causes", large=presenting)

st.subheader(L("penalty"))
components.plain_table(
    view.penalties, "quarterly_penalties", column_config=components.penalty_columns(), large=presenting
)

# full width, one under the other: side by side, half the obligations' columns hid behind a scroll bar
st.subheader(L("open_obligations"))
# days counted from the data's as-of and, when the data is older, from today too
today = state.today(ctx)
obligations = state.shared(
    "quarterly_obligations", ctx, lambda: obligations_table(ev, lang, open_only=True, today=today), today
)
components.plain_table(
    obligations.drop(columns=[c for c in ("status_code", "status_today_code") if c in obligations.columns]),
    "quarterly_obligations",
    column_config={**components.obligation_columns(obligations), "id": None},
    large=presenting,
)
st.subheader(L("tab_actions"))
actions = actions_table(ctx.guard.list_actions(ctx.contract_id), lang)
components.plain_table(
    actions,
    "quarterly_actions",
    column_config={**components.action_columns(), "updated": None},
    large=presenting,
)

st.subheader(L("excel_pack"))
components.report_exports(
    ctx,
    quarter,
    {
        "xlsx": (L("prepare_pack"), L("download_pack")),
        "pdf": (L("prepare_pack_pdf"), L("download_pack_pdf")),
    },
    {
        "xlsx": ("quarterly_prepare", "quarterly_pack", "quarterly_download"),
        "pdf": ("quarterly_prepare_pdf", "quarterly_pack_pdf", "quarterly_download_pdf"),
    },
)
