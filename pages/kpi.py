"""One KPI for one period: its definition and the contract's term, value = numerator / denominator, and
the rows behind each, downloadable. Opened from a tile, a scorecard cell or a link (?kpi=…)."""

from __future__ import annotations

import html

import streamlit as st

from sla_core.i18n import KIND_NAMES
from sla_core.views.kpi import kpi_detail
from ui import components, state, url
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_kpi")
lang = ctx.lang
head = st.container()  # the title goes above the KPI choice, once the choice is known
ids = list(ctx.evaluation.kpi_ids)  # the built-in table, then the contract's own KPIs
url.seed("kpi", "kpi_choice", ids)
kpi = st.selectbox(
    L("col_kpi"),
    ids,
    key="kpi_choice",
    format_func=lambda k: ctx.evaluation.definition(k).label(lang),
    width=320,
)
url.keep("kpi", kpi)
detail = kpi_detail(ctx.evaluation, ctx.data, ctx.period, ctx.filters, kpi, lang)
if detail is None:
    st.stop()
tile = detail.tile

head.title(f"{tile.label} · {detail.period_title}")
components.stale_banner(ctx)
st.markdown(
    f'<div class="sla-tile-value">{html.escape(tile.value_text)} {components.badge(tile.status)}</div>'
    f'<div class="sla-sentence">{html.escape(tile.sentence)}</div>',
    unsafe_allow_html=True,
)
left, right = st.columns(2)
with left:
    st.markdown(f"**{L('kpi_definition')}**")
    st.markdown(detail.definition)
    st.caption(detail.clause)
with right:
    st.markdown(f"**{L('kpi_value') if detail.numerator_text else L('value')}**")
    st.markdown(f"### {detail.equation}")
    if detail.numerator_what and detail.numerator_text:
        st.markdown(L("kpi_numerator").format(what=detail.numerator_what, n=detail.numerator_text))
        st.markdown(L("kpi_denominator").format(what=detail.denominator_what, n=detail.denominator_text))
    if tile.page:
        components.page_link(tile.page, L("kpi_more").format(page=L(f"page_{tile.page}")))
if tile.status == "no_data":
    source = ctx.evaluation.definition(kpi).source
    components.page_link(
        "upload",
        L("upload_source").format(kind=KIND_NAMES[source][0 if lang == "zh" else 1]),
        query={"kind": [source]},
        icon=":material/upload:",
    )

rows = detail.rows
st.subheader(L("kpi_rows").format(n=len(rows)))
if "in_numerator" in rows.columns and not rows.empty:
    show = st.segmented_control(
        L("kpi_rows_show"),
        ["all", "outside", "inside"],  # every row, those outside the numerator, those in it
        key="kpi_rows_show",
        default="all",
        required=True,
        format_func=lambda s: L("col_in_numerator") if s == "inside" else L(f"rows_{s}"),
    )
    yes = L("yes")
    if show == "outside":
        rows = rows.loc[rows["in_numerator"] != yes]
    elif show == "inside":
        rows = rows.loc[rows["in_numerator"] == yes]
components.table(
    rows,
    "kpi_rows",
    file_name=f"{tile.label}-{ctx.period.label}",
    column_config=components.kpi_row_columns(),
)
