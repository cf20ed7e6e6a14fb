"""Plotly figures from evaluation results: pure functions, one theme, one status palette.

Every figure is built from data already aggregated (counts per month, per bin, per weekday × hour),
so a million tickets draw as fast as a thousand. Targets are drawn as lines; hovers show exact values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from sla_core.i18n import KPIS, WEEKDAY_NAMES, fmt_value, status_label, t, unit_word

STATUS_COLORS = {
    "met": "#2e7d32",
    "missed": "#c62828",
    "no_data": "#9e9e9e",
    "unjudged": "#78909c",
    "breached": "#c62828",
    "pending": "#f9a825",
    "excluded": "#bdbdbd",
    "open": "#1565c0",
    "overdue": "#c62828",
    "done": "#2e7d32",
}
SERIES = ["#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#ad1457", "#558b2f", "#37474f"]
TARGET_COLOR = "#263238"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Helvetica, Arial, sans-serif"

pio.templates["sla"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 15, "color": "#263238"},
        title={"font": {"size": 18}, "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top"},
        colorway=SERIES,
        plot_bgcolor="white",
        paper_bgcolor="white",
        xaxis={"gridcolor": "#eceff1", "linecolor": "#b0bec5", "ticks": "outside"},
        yaxis={"gridcolor": "#eceff1", "linecolor": "#b0bec5", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"l": 60, "r": 20, "t": 84, "b": 50},
        hoverlabel={"font": {"family": FONT, "size": 14}},
    )
)
TEMPLATE = "sla"


def month_ticks(months: list[str] | pd.Series, lang: str) -> list[str]:
    """Short month labels for axes: '3月' / 'Mar' within one year, '2026-03' across years."""
    months = [str(m) for m in months]
    if len({m[:4] for m in months}) <= 1:
        names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
        return [f"{int(m[5:7])}月" if lang == "zh" else names[int(m[5:7]) - 1] for m in months]
    return months


def _figure(title: str, height: int = 380) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title=title, height=height)
    return fig


def _titled_with_unit(label: str, unit: str, lang: str) -> str:
    """A duration chart says its unit in the title, its axis being bare numbers: 平均恢复时间（分钟）."""
    word = unit_word(unit, lang)
    if not word:
        return label
    return f"{label}（{word}）" if lang == "zh" else f"{label} ({word})"


def _axis_format(unit: str) -> dict[str, object]:
    return {"tickformat": ".1%"} if unit == "rate" else {}


def _hover_value(unit: str) -> str:
    return "%{y:.2%}" if unit == "rate" else "%{y:,.2f}"


def kpi_trend(periods: pd.DataFrame, kpi: str, lang: str, title: str | None = None) -> go.Figure:
    """One KPI over months: the value, the target in force each month (a step line), status colours.

    periods: month, value, target (float or NaN), status.
    """
    d = KPIS[kpi]
    fig = _figure(title or _titled_with_unit(d.label(lang), d.unit, lang))
    x = month_ticks(periods["month"], lang)
    colors = [STATUS_COLORS.get(s, "#78909c") for s in periods["status"]]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=periods["value"],
            mode="lines+markers",
            name=d.label(lang),
            line={"color": SERIES[0], "width": 3},
            marker={"size": 12, "color": colors, "line": {"width": 1, "color": "white"}},
            customdata=np.stack(
                [
                    [fmt_value(v, d.unit, lang) if pd.notna(v) else "—" for v in periods["value"]],
                    [status_label(s, lang) for s in periods["status"]],
                ],
                axis=-1,
            ),
            hovertemplate="%{x}<br>%{customdata[0]} · %{customdata[1]}<extra></extra>",
        )
    )
    if periods["target"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=periods["target"],
                mode="lines",
                name=t("目标", "Target", lang),
                line={"color": TARGET_COLOR, "dash": "dash", "width": 2, "shape": "hv"},
                hovertemplate=t("目标", "Target", lang)
                + " "
                + _hover_value(d.unit)
                + (f" {unit_word(d.unit, lang)}" if unit_word(d.unit, lang) else "")
                + "<extra></extra>",
            )
        )
    fig.update_yaxes(**_axis_format(d.unit))
    return fig


def compliance_by_priority(series: pd.DataFrame, targets: pd.DataFrame, kpi: str, lang: str) -> go.Figure:
    """Compliance per priority over months. series: month, priority, value, numerator, denominator."""
    d = KPIS[kpi]
    fig = _figure(t(f"{d.zh}（按优先级）", f"{d.en} by priority", lang))
    for i, (priority, rows) in enumerate(series.groupby("priority", sort=True)):
        fig.add_trace(
            go.Scatter(
                x=month_ticks(rows["month"], lang),
                y=rows["value"],
                mode="lines+markers",
                name=str(priority),
                line={"color": SERIES[i % len(SERIES)], "width": 3},
                marker={"size": 9},
                customdata=np.stack([rows["numerator"], rows["denominator"]], axis=-1),
                hovertemplate=f"{priority} %{{x}}<br>%{{y:.2%}} (%{{customdata[0]:,.0f}}/%{{customdata[1]:,.0f}})"
                "<extra></extra>",
            )
        )
    if not targets.empty and targets["target"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=month_ticks(targets["month"], lang),
                y=targets["target"],
                mode="lines",
                name=t("目标", "Target", lang),
                line={"color": TARGET_COLOR, "dash": "dash", "width": 2, "shape": "hv"},
                hovertemplate=t("目标", "Target", lang) + " %{y:.1%}<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat=".0%")
    return fig


def duration_histogram(
    seconds: np.ndarray,
    target: float | None,
    median: float | None,
    p90: float | None,
    title: str,
    lang: str,
    clock: str = "business",
) -> go.Figure:
    """Durations on the priority's clock, pre-binned (≤ 60 bars), with median, p90 and target marked.
    The axis is in minutes when everything drawn fits in an hour (a 15-minute target is not at "0.25"),
    else in hours; the marks in the legend say minutes under an hour either way."""
    fig = _figure(title, height=320)
    durations = np.asarray(seconds, dtype="float64")
    top = 0.5 * 3600
    if durations.size:
        top = max(float(np.nanpercentile(durations, 99)), (target or 0) * 1.3, top)
    unit, per = ("minutes", 60.0) if top <= 3600 else ("hours", 3600.0)
    if durations.size:
        edges = np.linspace(0, top / per, 41)
        counts, edges = np.histogram(np.clip(durations / per, 0, top / per), bins=edges)
        mids = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(
            go.Bar(
                x=mids,
                y=counts,
                width=edges[1] - edges[0],
                marker={"color": SERIES[0]},
                showlegend=False,
                name=t("工单数", "Tickets", lang),
                customdata=np.stack([edges[:-1], edges[1:]], axis=-1),
                hovertemplate="%{customdata[0]:.2f}–%{customdata[1]:.2f} "
                + unit_word(unit, lang)
                + t("：%{y:,} 张工单", ": %{y:,} tickets", lang)
                + "<extra></extra>",
            )
        )
    for value, label, color, dash in (
        (target, t("目标", "target", lang), TARGET_COLOR, "dash"),
        (median, t("中位数", "median", lang), "#2e7d32", "dot"),
        (p90, "p90", "#ef6c00", "dot"),
    ):
        if value is not None and not pd.isna(value):
            fig.add_vline(x=value / per, line={"color": color, "dash": dash, "width": 2})
            # a legend entry for the line (vlines have none of their own)
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="lines",
                    name=f"{label} {spoken_duration(value, lang)}",
                    line={"color": color, "dash": dash, "width": 2},
                )
            )
    fig.update_xaxes(title=_duration_axis(unit, clock, lang))
    fig.update_yaxes(title=t("工单数", "tickets", lang))
    fig.update_layout(bargap=0.02, legend={"font": {"size": 12}})
    return fig


def _duration_axis(unit: str, clock: str, lang: str) -> str:
    zh_unit, en_unit = ("分钟", "minutes") if unit == "minutes" else ("小时", "hours")
    if clock == "24x7":
        return t(f"时长（{zh_unit}，7×24 计时）", f"{en_unit} (24×7 clock)", lang)
    return t(f"工作时长（{zh_unit}）", f"business {en_unit}", lang)


def spoken_duration(seconds: float | None, lang: str) -> str:
    """A marked duration as people say it: under an hour in minutes (a 15-minute target is not "0.25 h")."""
    if seconds is None or pd.isna(seconds):
        return "—"
    if seconds < 3600:
        return fmt_value(seconds / 60, "minutes", lang)
    return fmt_value(seconds / 3600, "hours", lang)


def breach_heatmap(grid: np.ndarray, lang: str, title: str | None = None) -> go.Figure:
    """grid: 7 × 24 counts of breached tickets by local weekday and hour of creation."""
    fig = _figure(
        title
        or t("超时工单：按创建时间（星期 × 小时）", "Breached tickets by creation weekday × hour", lang),
        height=360,
    )
    fig.add_trace(
        go.Heatmap(
            z=grid,
            x=[f"{h:02d}" for h in range(24)],
            y=WEEKDAY_NAMES["zh" if lang == "zh" else "en"],
            colorscale=[[0, "#fff8e1"], [0.5, "#ef6c00"], [1, "#b71c1c"]],
            hovertemplate="%{y} %{x}:00 — %{z:,}<extra></extra>",
            # counts of tickets: whole-number ticks only (a scale of 0 to 2 would read 0.5, 1.5)
            colorbar={
                "title": t("工单", "tickets", lang),
                "dtick": max(1, math.ceil(float(np.max(grid, initial=0)) / 5)),
            },
        )
    )
    # a heatmap's cells send no click to Streamlit: an invisible marker on each cell does (point
    # index = weekday × 24 + hour), and carries the hover text
    days = WEEKDAY_NAMES["zh" if lang == "zh" else "en"]
    fig.data[0].hoverinfo = "skip"
    fig.add_trace(
        go.Scatter(
            x=[f"{h:02d}" for _ in days for h in range(24)],
            y=[d for d in days for _ in range(24)],
            customdata=np.asarray(grid).reshape(-1),
            mode="markers",
            marker={"symbol": "square", "size": 26, "opacity": 0},
            hovertemplate="%{y} %{x}:00 — %{customdata:,}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=t("小时", "hour", lang), type="category")
    return fig


def pareto(counts: pd.Series, title: str, lang: str, what: str | None = None) -> go.Figure:
    """Counts by member (breached tickets unless `what` names them), largest first, with the
    cumulative share."""
    counts = counts.sort_values(ascending=False)
    fig = _figure(title, height=340)
    share = counts.cumsum() / counts.sum() if counts.sum() else counts
    labels = [str(i) if str(i) else t("（空）", "(blank)", lang) for i in counts.index]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=counts.to_numpy(),
            marker={"color": STATUS_COLORS["breached"]},
            name=what or t("超时", "breaches", lang),
            hovertemplate="%{x}: %{y:,}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=share.to_numpy(),
            yaxis="y2",
            mode="lines+markers",
            name=t("累计占比", "cumulative share", lang),
            line={"color": TARGET_COLOR},
            hovertemplate="%{y:.1%}<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "range": [0, 1.05],
            "showgrid": False,
            "automargin": True,  # the shares' labels on the right need room the template does not leave
        },
    )
    fig.update_xaxes(automargin=True)  # long team names, tilted, keep room below the bars
    return fig


def score_distribution(scores: pd.Series, scale_min: int, scale_max: int, lang: str) -> go.Figure:
    fig = _figure(t("评分分布", "Score distribution", lang), height=320)
    counts = scores.round().value_counts().reindex(range(scale_min, scale_max + 1), fill_value=0)
    fig.add_trace(
        go.Bar(
            x=[str(i) for i in counts.index],
            y=counts.to_numpy(),
            marker={"color": SERIES[0]},
            hovertemplate="%{x}: %{y:,}<extra></extra>",
        )
    )
    fig.update_xaxes(title=t("评分", "score", lang))
    fig.update_yaxes(title=t("评价数", "responses", lang))
    return fig


def bar_means(
    means: pd.Series, title: str, lang: str, target: float | None = None, scale: float | None = None
) -> go.Figure:
    """Mean scores per dimension, channel or team; the axis runs to the top of the `scale` when given,
    so that charts of the same scale side by side compare."""
    fig = _figure(title, height=320)
    means = means.sort_values()
    fig.add_trace(
        go.Bar(
            x=means.to_numpy(),
            y=[str(i) for i in means.index],
            orientation="h",
            marker={"color": SERIES[0]},
            text=[f"{v:.2f}" for v in means.to_numpy()],
            textposition="inside",
            insidetextanchor="start",  # at the bar's end the value sat under the target line
            textfont={"color": "white"},
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(automargin=True)
    if scale is not None:
        fig.update_xaxes(range=[0, scale])
    if target is not None:
        fig.add_vline(
            x=target,
            line={"color": TARGET_COLOR, "dash": "dash"},
            annotation_text=t(f"目标 {target:g}", f"target {target:g}", lang),
            # above the plot area: inside it, the label sat on the top bar's value
            annotation_position="top",
            annotation_yanchor="bottom",
        )
    return fig


def availability_trend(
    months: pd.DataFrame, by_service: pd.DataFrame, target: float | None, lang: str
) -> go.Figure:
    """months: month, value; by_service: month, service, value."""
    fig = _figure(t("系统可用性", "Availability", lang))
    fig.add_trace(
        go.Scatter(
            x=month_ticks(months["month"], lang),
            y=months["value"],
            mode="lines+markers",
            name=t("总体", "overall", lang),
            line={"color": TARGET_COLOR, "width": 4},
            hovertemplate="%{y:.3%}<extra></extra>",
        )
    )
    for i, (service, rows) in enumerate(by_service.groupby("service", sort=True)):
        fig.add_trace(
            go.Scatter(
                x=month_ticks(rows["month"], lang),
                y=rows["value"],
                mode="lines+markers",
                name=str(service),
                line={"color": SERIES[i % len(SERIES)]},
                hovertemplate=f"{service} %{{y:.3%}}<extra></extra>",
            )
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": STATUS_COLORS["missed"], "dash": "dash"},
            annotation_text=t(f"目标 {target:.1%}", f"target {target:.1%}", lang),
        )
    fig.update_yaxes(tickformat=".2%")
    return fig


def error_budget(months: pd.DataFrame, lang: str) -> go.Figure:
    """months: month, downtime_minutes, budget_minutes — used vs allowed downtime."""
    fig = _figure(t("停机时间与允许预算（分钟）", "Downtime against the error budget (min)", lang))
    x = month_ticks(months["month"], lang)
    over = months["downtime_minutes"] > months["budget_minutes"]
    fig.add_trace(
        go.Bar(
            x=x,
            y=months["downtime_minutes"],
            name=t("计划外停机", "unplanned downtime", lang),
            marker={"color": [STATUS_COLORS["missed"] if o else SERIES[0] for o in over]},
            hovertemplate="%{y:,.1f} " + unit_word("minutes", lang) + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=months["budget_minutes"],
            mode="lines",
            name=t("预算", "budget", lang),
            line={"color": TARGET_COLOR, "dash": "dash", "shape": "hv"},
            hovertemplate="%{y:,.1f} " + unit_word("minutes", lang) + "<extra></extra>",
        )
    )
    return fig


def _local(seconds: pd.Series, zone: str) -> pd.Series:
    return pd.to_datetime(seconds, unit="s", utc=True).dt.tz_convert(zone).dt.tz_localize(None)


def incident_timeline(
    outages: pd.DataFrame, zone: str, lang: str, span: tuple[float, float] | None = None
) -> go.Figure:
    """outages: service, start_s, end_s, planned_effective, unplanned_reason — a bar per outage, and a
    mark at its start (a few minutes' bar is too thin to see on a month). `span`: the period's bounds
    (epoch seconds) for the axis, so that the timeline shows when in the period outages happened."""
    fig = _figure(
        t("故障时间线", "Incident timeline", lang), height=max(260, 60 + 40 * outages["service"].nunique())
    )
    if outages.empty:
        return fig
    start, end = _local(outages["start_s"], zone), _local(outages["end_s"], zone)
    kinds = np.where(outages["planned_effective"], "planned", "unplanned")
    names = {"planned": t("计划内", "planned", lang), "unplanned": t("计划外", "unplanned", lang)}
    colors = {"planned": "#90a4ae", "unplanned": STATUS_COLORS["missed"]}
    for kind in ("unplanned", "planned"):
        mask = kinds == kind
        if not mask.any():
            continue
        minutes = ((outages["end_s"] - outages["start_s"]) / 60)[mask]
        fig.add_trace(
            go.Bar(
                base=start[mask],
                x=(end[mask] - start[mask]).dt.total_seconds().to_numpy() * 1000,
                y=outages["service"][mask].astype(str),
                orientation="h",
                name=names[kind],
                marker={"color": colors[kind]},
                customdata=np.stack([start[mask].dt.strftime("%Y-%m-%d %H:%M"), minutes.round(1)], axis=-1),
                hovertemplate="%{y}<br>%{customdata[0]} · %{customdata[1]} "
                + unit_word("minutes", lang)
                + "<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=start[mask],
                y=outages["service"][mask].astype(str),
                mode="markers",
                marker={"color": colors[kind], "symbol": "line-ns-open", "size": 18, "line": {"width": 3}},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.update_xaxes(type="date", tickformat="%m-%d %H:%M")
    if span is not None:
        bounds = _local(pd.Series(span), zone)
        fig.update_xaxes(range=[bounds.iloc[0], bounds.iloc[1]], tickformat="%m-%d")
    fig.update_layout(barmode="overlay")
    return fig


def stacked_planned(months: pd.DataFrame, lang: str) -> go.Figure:
    """months: month, planned_minutes, unplanned_minutes."""
    fig = _figure(t("计划内与计划外停机（分钟）", "Planned vs unplanned downtime (min)", lang), height=320)
    x = month_ticks(months["month"], lang)
    fig.add_trace(
        go.Bar(
            x=x,
            y=months["unplanned_minutes"],
            name=t("计划外", "unplanned", lang),
            marker={"color": STATUS_COLORS["missed"]},
        )
    )
    fig.add_trace(
        go.Bar(
            x=x, y=months["planned_minutes"], name=t("计划内", "planned", lang), marker={"color": "#90a4ae"}
        )
    )
    fig.update_layout(barmode="stack")
    return fig
