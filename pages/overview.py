"""Overview: what needs attention first (missed KPIs, KPIs without data, penalty items, overdue
obligations, tickets at risk), then the other KPI tiles, the open obligations and the monthly report."""

from __future__ import annotations

import html

import streamlit as st

from sla_core.i18n import KIND_NAMES
from sla_core.views import Tile, active
from ui import components, state, url
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_overview")
view = state.view("overview", ctx)
attention = view.attention

st.title(f"{L('page_overview')} · {view.title}")
as_of = ctx.evaluation.as_of_iso[:16].replace("T", " ")
st.markdown(f'<span class="sla-meta">{L("as_of")} {as_of}</span>', unsafe_allow_html=True)
components.stale_banner(ctx)
if view.filtered:
    st.info(L("range_banner") if ctx.period.kind == "range" else L("filtered_banner"))

# the verdict counts, clickable: one of them shows only its KPIs
ORDER = ("missed", "no_data", "met", "unjudged", "filtered", "pooled")
COLORS = {"missed": "red", "no_data": "gray", "met": "green"}
statuses = sorted(view.counts, key=lambda s: ORDER.index(s) if s in ORDER else len(ORDER))
url.seed("status", "overview_status", statuses)
chosen = st.pills(
    L("show_status"),
    statuses,
    key="overview_status",
    format_func=lambda s: (
        f":{COLORS[s]}[{L(s)} {view.counts[s]}]" if s in COLORS else f"{L(s)} {view.counts[s]}"
    ),
    label_visibility="collapsed",
)
url.keep("status", chosen)


def grid(tiles: list[Tile], key: str) -> None:
    columns = st.columns(4)
    for i, tile in enumerate(tiles):
        with columns[i % 4]:
            components.tile(tile, key=f"{key}_{tile.kpi}")
            if tile.status == "no_data" or (tile.kpi in attention.kpis and tile.value is None):
                source = ctx.evaluation.definition(tile.kpi).source
                components.page_link(
                    "upload",
                    L("upload_source").format(kind=KIND_NAMES[source][0 if ctx.lang == "zh" else 1]),
                    query={"kind": [source]},
                    icon=":material/upload:",
                )


if chosen:
    st.subheader(L("only_status").format(status=L(chosen), n=view.counts[chosen]))
    grid([t for t in view.tiles if t.status == chosen], "overview_only")
    st.stop()

first, rest = view.ordered()
st.subheader(L("attention"))
if attention.empty:
    st.success(L("nothing_needs_attention"))
else:
    grid(first, "overview_attention")
    money, duties = st.columns([1, 1])
    with money:
        components.penalty_line(view)
        items = attention.penalties
        if ctx.period.kind == "month":
            items = items.drop(columns=["month"])
        components.plain_table(
            items,
            "overview_penalty_items",
            column_config={
                "month": L("col_months"),
                "kind": L("col_kind"),
                "what": L("col_ref"),
                "amount": st.column_config.NumberColumn(L("col_amount"), format="accounting"),
            },
        )
        if active(ctx.filters):
            st.caption(L("filtered_penalty"))
    with duties:
        st.markdown(f"**{L('overdue_obligations')}**")
        if attention.overdue.empty:
            st.caption(L("no_overdue"))
        for line in components.obligation_lines(attention.overdue):
            st.markdown(f"- {html.escape(line)}")
        components.page_link("breaches", L("to_obligations"))
        st.markdown(f"**{L('at_risk')}**")
        st.markdown(L("at_risk_count").format(n=attention.at_risk))
        components.page_link("timeliness", L("to_at_risk"))

st.subheader(L("other_kpis"))
grid(rest, "overview")
if attention.empty:  # nothing above: the penalty line stands here
    components.penalty_line(view)

st.subheader(L("open_obligations"))
if view.obligations.empty:
    st.caption(L("no_open_obligations"))
else:
    components.table(
        view.obligations,
        "overview_obligations",
        file_name="obligations",
        search=False,
        column_config=components.obligation_columns(view.obligations),
        hide=("id", "status_code", "status_today_code"),
    )
if ctx.period.kind == "month" and ctx.evaluation.month(ctx.period.label):
    components.report_exports(
        ctx,
        ctx.period.label,
        {
            "xlsx": (L("prepare_report"), L("download_report")),
            "pdf": (L("prepare_report_pdf"), L("download_report_pdf")),
        },
        {
            "xlsx": ("overview_prepare_report", "overview_report", "overview_download_report"),
            "pdf": ("overview_prepare_report_pdf", "overview_report_pdf", "overview_download_report_pdf"),
        },
    )
if view.warnings:
    with st.expander(L("warnings")):
        for w in view.warnings:
            st.caption(components.plain(w))
