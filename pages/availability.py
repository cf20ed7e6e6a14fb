"""Availability: uptime per month and service against target, downtime against the error budget,
incident timeline, MTTR trend, planned vs unplanned."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from sla_core import charts
from sla_core.i18n import fmt_value
from ui import components, state
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_availability")
lang = ctx.lang
st.title(f"{L('page_availability')} · {ctx.period.title(lang)}")
components.stale_banner(ctx)
if not ctx.evaluation.outages.given:
    components.empty_state(L("empty_outages"), "outages")
    st.stop()
view = state.view("availability", ctx)
st.caption(L("availability_scope"))

a, b, c = st.columns(3)
a.metric(
    L("budget_left"),
    "—" if view.budget_left_minutes is None else fmt_value(view.budget_left_minutes, "minutes", lang),
)
b.metric(L("budget_burn"), "—" if view.burn is None else fmt_value(view.burn, "rate", lang))
c.metric(L("incidents"), f"{len(view.incidents):,}")


def chart(key: str, build: Callable[[], go.Figure]) -> None:
    """A chart built once for everyone who shows this contract, version, period, filters, language."""
    components.chart(state.shared(key, ctx, build), key)


def mttr_trend() -> go.Figure:
    mttr = view.months.assign(status="unjudged").rename(columns={"mttr": "value_mttr"})
    mttr = mttr.assign(value=mttr["value_mttr"], target=float("nan"))
    return charts.kpi_trend(mttr, "mttr_minutes", lang)


zone = ctx.evaluation.contract.base.contract.timezone
left, right = st.columns(2)
with left:
    chart(
        "availability_trend",
        lambda: charts.availability_trend(view.months, view.by_service, view.target, lang),
    )
with right:
    chart("availability_budget", lambda: charts.error_budget(view.months, lang))

chart("availability_timeline", lambda: charts.incident_timeline(view.outages, zone, lang, view.span))

left, right = st.columns(2)
with left:
    chart("availability_mttr", mttr_trend)
with right:
    chart("availability_planned", lambda: charts.stacked_planned(view.months, lang))

st.subheader(L("outages_in_period"))
table = view.outages
if not table.empty:
    import pandas as pd

    table = pd.DataFrame(
        {
            L("service"): table["service"],
            L("col_start"): pd.to_datetime(table["start_s"], unit="s", utc=True)
            .dt.tz_convert(zone)
            .dt.tz_localize(None),
            L("col_end"): pd.to_datetime(table["end_s"], unit="s", utc=True)
            .dt.tz_convert(zone)
            .dt.tz_localize(None),
            L("col_minutes"): ((table["end_s"] - table["start_s"]) / 60).round(1),
            L("col_planned"): table["planned_effective"],
            L("col_unplanned_reason"): table["unplanned_reason"].map(lambda r: L(f"reason_{r}") if r else ""),
            L("col_cause"): table["cause"],
            L("col_description"): table["description"],
        }
    )
components.table(table, "availability_outages", file_name="outages")
