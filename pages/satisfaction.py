"""Satisfaction: CSAT trends against target, score distribution, dimensions, by channel and team,
flagged responses and searchable comments."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from sla_core import charts
from sla_core.views import coverage
from ui import components, state
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_satisfaction")
lang = ctx.lang
st.title(f"{L('page_satisfaction')} · {ctx.period.title(lang)}")
components.stale_banner(ctx)
cover = coverage(ctx.evaluation, ctx.period)
if not cover.surveys:
    components.empty_state(L("empty_surveys"), "surveys")
    st.stop()
if not cover.responses:
    components.empty_state(L("empty_surveys_period").format(period=ctx.period.title(lang)), "surveys")
view = state.view("satisfaction", ctx)
st.caption(L("responses_in_period").format(n=view.responses))
if view.filtered:
    st.info(L("filtered_banner"))


def chart(key: str, build: Callable[[], go.Figure]) -> None:
    """A chart built once for everyone who shows this contract, version, period, filters, language."""
    components.chart(state.shared(key, ctx, build), key)


def by_member(dim: str) -> go.Figure:
    means = view.by_channel if dim == "channel" else view.by_team
    means = means.rename(index=lambda v: state.member_label(dim, v, lang))
    return charts.bar_means(means, L(f"by_{dim}"), lang, view.target_mean, view.scale[1])


left, right = st.columns(2)
with left:
    chart("satisfaction_mean_trend", lambda: charts.kpi_trend(view.mean_trend, "csat_mean", lang))
with right:
    chart(
        "satisfaction_share_trend", lambda: charts.kpi_trend(view.share_trend, "csat_satisfied_share", lang)
    )

left, right = st.columns(2)
with left:
    chart("satisfaction_scores", lambda: charts.score_distribution(view.scores, *view.scale, lang))
with right:
    if view.dimensions.empty:
        st.caption(L("no_dimensions"))
    else:
        chart(
            "satisfaction_dimensions",
            lambda: charts.bar_means(
                view.dimensions, L("dimension_scores"), lang, view.target_mean, view.scale[1]
            ),
        )

left, right = st.columns(2)
with left:
    chart("satisfaction_by_channel", lambda: by_member("channel"))
with right:
    chart("satisfaction_by_team", lambda: by_member("team"))

st.subheader(L("flagged_responses"))
st.caption(L("flagged_help"))
components.table(
    view.flagged,
    "satisfaction_flagged",
    file_name="flagged-responses",
    column_config={
        "response_id": L("response_id"),
        "ticket_id": L("tcol_ticket_id"),
        "submitted": L("col_submitted"),
        "score": L("col_score"),
        "flags": L("col_flags"),
        "excluded": L("col_excluded"),
        "exclusion_reason": L("col_reason"),
    },
)

st.subheader(L("comments"))
components.table(
    view.comments,
    "satisfaction_comments",
    file_name="comments",
    column_config={
        "submitted": L("col_submitted"),
        "score": L("col_score"),
        "channel": L("channel"),
        "team": L("team"),
        "ticket_id": L("tcol_ticket_id"),
        "comment": L("col_comment"),
    },
)
