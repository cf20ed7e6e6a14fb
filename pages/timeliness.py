"""Timeliness: compliance by priority over months, distributions, breach heatmap, Pareto, at-risk
tickets and the breached-ticket drill-down."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from sla_core import charts
from sla_core.i18n import WEEKDAY_NAMES
from sla_core.views import coverage, ticket_detail
from sla_core.views.timeliness import breached_in_cell
from ui import components, state
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_timeliness")
lang = ctx.lang
st.title(f"{L('page_timeliness')} · {ctx.period.title(lang)}")
components.stale_banner(ctx)
if not state.shared("coverage", ctx, lambda: coverage(ctx.evaluation, ctx.period)).tickets:
    components.empty_state(L("empty_tickets_period").format(period=ctx.period.title(lang)), "tickets")
    st.stop()
view = state.view("timeliness", ctx)
if view.filtered:
    st.info(L("filtered_banner"))


def figure(key: str, build: Callable[[], go.Figure], *extra: str) -> go.Figure:
    """A chart built once for everyone who shows this contract, version, period, filters, language."""
    return state.shared(key, ctx, build, *extra)


def compliance(measure: str) -> go.Figure:
    series = view.response_series if measure == "response" else view.resolution_series
    kpi = f"{measure}_within_target"
    return charts.compliance_by_priority(series, view.targets[kpi], kpi, lang)


left, right = st.columns(2)
with left:
    key = "timeliness_response_trend"
    components.chart(figure(key, lambda: compliance("response")), key)
with right:
    key = "timeliness_resolution_trend"
    components.chart(figure(key, lambda: compliance("resolution")), key)

st.subheader(L("distributions"))
measure = (
    st.segmented_control(
        L("measure"),
        ["response", "resolution"],
        key="timeliness_measure",
        required=True,
        default="response",
        format_func=lambda m: L(f"measure_{m}"),
    )
    or "response"
)
dists = [d for d in view.distributions if d.measure == measure]
for column, d in zip(st.columns(len(dists)), dists, strict=True):
    with column:
        title = f"{d.priority} · {L(f'measure_{d.measure}')} (n={d.seconds.size:,})"
        key = f"timeliness_hist_{d.priority}_{measure}"
        histogram = partial(
            charts.duration_histogram, d.seconds, d.target, d.median, d.p90, title, lang, d.clock
        )
        components.chart(figure(key, histogram), key)
        said = partial(charts.spoken_duration, lang=lang)  # the chart's own unit, not h:mm:ss
        st.caption(
            L("distribution_caption").format(median=said(d.median), p90=said(d.p90), target=said(d.target))
        )

left, right = st.columns([3, 2])
with left:
    heatmap = figure("timeliness_heatmap", lambda: charts.breach_heatmap(view.heatmap, lang))
    clicked = components.clickable_chart(heatmap, "timeliness_heatmap")
    cell = components.heatmap_cell(clicked)
    if cell is None:
        st.caption(L("heatmap_help"))
with right:
    dim = (
        st.segmented_control(
            L("pareto_by"),
            ["team", "category", "channel"],
            key="timeliness_pareto_dim",
            required=True,
            default="team",
            format_func=L,
        )
        or "team"
    )

    def causes() -> go.Figure:
        counts = view.pareto[dim].rename(index=lambda v: state.member_label(dim, str(v), lang))
        return charts.pareto(counts, L("pareto_title").format(dim=L(dim).lower()), lang)

    components.chart(figure("timeliness_pareto", causes, dim), "timeliness_pareto")

if cell is not None:  # the rows behind the clicked cell
    day, hour = cell
    st.subheader(L("heatmap_cell").format(day=WEEKDAY_NAMES[lang][day], hour=f"{hour:02d}"))
    components.table(
        breached_in_cell(view.breached, day, hour),
        "timeliness_heatmap_cell",
        file_name="breached-tickets-cell",
        column_config=components.ticket_columns(),
    )

st.subheader(L("at_risk"))
st.caption(L("at_risk_help"))
components.table(
    view.at_risk,
    "timeliness_at_risk",
    file_name="at-risk",
    column_config={
        **components.ticket_columns(),
        "used": st.column_config.ProgressColumn(L("used"), format="percent", min_value=0, max_value=1),
    },
)

st.subheader(L("breached_tickets"))
shown = components.table(
    view.breached,
    "timeliness_breached",
    file_name="breached-tickets",
    column_config=components.ticket_columns(),
)
if not shown.empty:
    chosen = st.selectbox(
        L("drill_down"),
        shown["ticket_id"].tolist(),
        key="timeliness_ticket",
        index=None,
        placeholder=L("pick_ticket"),
    )
    if chosen:
        detail = ticket_detail(ctx.evaluation, ctx.data, chosen, lang)
        if detail:
            a, b = st.columns([2, 3])
            with a:
                for label, value in detail.facts:
                    st.markdown(f"**{label}**: {components.plain(value)}")  # imported text, as written
            with b:
                st.dataframe(
                    detail.timeline,
                    hide_index=True,
                    key="timeliness_timeline",
                    column_config={
                        c: L("col_at" if c == "time" else f"tl_{c}") for c in detail.timeline.columns
                    },
                )
