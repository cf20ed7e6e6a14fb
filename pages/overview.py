"""Overview: a tile per KPI (value, target, status, change, sentence), the penalty, open obligations."""

from __future__ import annotations

import streamlit as st

from sla_core.views import active
from ui import components, state
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_overview")
view = state.view("overview", ctx)

st.title(f"{L('page_overview')} · {view.title}")
as_of = ctx.evaluation.as_of_iso[:16].replace("T", " ")
summary = " ".join(components.badge(s, f"{L(s)} {n}") for s, n in view.counts.items())
st.markdown(f'<span class="sla-meta">{L("as_of")} {as_of}</span> &nbsp; {summary}', unsafe_allow_html=True)
if view.filtered:
    st.info(L("range_banner") if ctx.period.kind == "range" else L("filtered_banner"))

columns = st.columns(4)
for i, tile in enumerate(view.tiles):
    with columns[i % 4]:
        components.tile(tile, key=f"overview_{tile.kpi}")

st.subheader(L("penalty"))
left, right = st.columns([1, 3])
left.metric(L("penalty"), view.penalty_text, label_visibility="collapsed")
status = L("provisional") if view.penalty_provisional else L("final")
right.markdown(
    f"{components.badge('pending' if view.penalty_provisional else 'met', status)} {view.penalty_note}",
    unsafe_allow_html=True,
)
if active(ctx.filters):  # a custom range alone changes no penalty: its note says how they add up
    right.caption(L("filtered_penalty"))

st.subheader(L("open_obligations"))
if view.obligations.empty:
    st.caption(L("no_open_obligations"))
else:
    components.table(
        view.obligations,
        "overview_obligations",
        file_name="obligations",
        search=False,
        column_config=components.obligation_columns(),
        hide=("id", "status_code"),
    )
if ctx.period.kind == "month" and ctx.evaluation.month(ctx.period.label):
    if st.button(L("prepare_report"), key="overview_prepare_report"):
        with st.spinner(L("storing")):
            data = ctx.guard.export_report(ctx.contract_id, ctx.period.label, ctx.lang)
        st.session_state["overview_report"] = (ctx.period.label, ctx.lang, data)
    ready = st.session_state.get("overview_report")
    if ready and ready[:2] == (ctx.period.label, ctx.lang):
        st.download_button(
            L("download_report"),
            ready[2],
            f"{ctx.contract_id}-{ctx.period.label}-{ctx.lang}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="overview_download_report",
            type="primary",
        )
if view.warnings:
    with st.expander(L("warnings")):
        for w in view.warnings:
            st.caption(w)
