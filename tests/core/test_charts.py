"""Charts speak the page's language, hovers included."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sla_core import charts


def _months() -> pd.DataFrame:
    return pd.DataFrame(
        {"month": ["2026-05", "2026-06"], "downtime_minutes": [28.0, 163.0], "budget_minutes": [44.6, 43.2]}
    )


def test_error_budget_hovers_in_the_users_language() -> None:
    zh = charts.error_budget(_months(), "zh")
    en = charts.error_budget(_months(), "en")
    assert all("分钟" in trace.hovertemplate for trace in zh.data)
    assert all(" min" in trace.hovertemplate and "分钟" not in trace.hovertemplate for trace in en.data)
    assert list(zh.data[0].x) == ["5月", "6月"]


def test_a_month_over_its_budget_is_drawn_as_a_miss() -> None:
    colors = charts.error_budget(_months(), "en").data[0].marker.color
    assert colors[0] == charts.SERIES[0]
    assert colors[1] == charts.STATUS_COLORS["missed"]


def _legend(fig) -> list[str]:
    return [trace.name for trace in fig.data if trace.type == "scatter"]


def test_histogram_marks_say_minutes_under_an_hour_in_the_users_language() -> None:
    seconds = np.array([60, 180, 600, 1200, 5400], dtype="float64")
    zh = charts.duration_histogram(seconds, 900, 600, 5400, "P1", "zh", "24x7")
    en = charts.duration_histogram(seconds, 14400, 600, 5400, "P2", "en")
    assert _legend(zh) == ["目标 15.0 分钟", "中位数 10.0 分钟", "p90 1.50 小时"]
    assert _legend(en) == ["target 4.00 h", "median 10.0 min", "p90 1.50 h"]
    assert zh.layout.xaxis.title.text == "时长（小时，7×24 计时）"  # P1 counts every second
    assert en.layout.xaxis.title.text == "business hours"
    assert sum(zh.data[0].y) == 5  # every ticket in a bar


def test_a_histogram_that_fits_in_an_hour_is_drawn_in_minutes() -> None:
    seconds = np.array([60, 120, 300, 420, 600], dtype="float64")  # P1 responses, all under 15 minutes
    fig = charts.duration_histogram(seconds, 900, 300, 600, "P1", "zh", "24x7")
    assert fig.layout.xaxis.title.text == "时长（分钟，7×24 计时）"
    lines = [shape.x0 for shape in fig.layout.shapes]
    assert lines == [15.0, 5.0, 10.0]  # target, median, p90 at their minutes
    bars = fig.data[0]
    assert bars.x[-1] < 30 and sum(bars.y) == 5  # the axis spans the half hour shown at least
    en = charts.duration_histogram(seconds, 1200, 300, 600, "P2", "en")
    assert en.layout.xaxis.title.text == "business minutes"


def test_a_duration_trend_names_its_unit_in_the_title_and_target_hover() -> None:
    months = pd.DataFrame(
        {
            "month": ["2026-05", "2026-06"],
            "value": [23.0, 81.5],
            "target": [30.0, 30.0],
            "status": ["met", "missed"],
        }
    )
    zh = charts.kpi_trend(months, "mttr_minutes", "zh")
    en = charts.kpi_trend(months, "recovery_time_hours", "en")
    assert zh.layout.title.text == "平均恢复时间（分钟）"
    assert en.layout.title.text == "Recovery time (h)"
    assert zh.data[1].hovertemplate.startswith("目标 %{y:,.2f} 分钟")
    rate = charts.kpi_trend(months.assign(value=[0.9, 0.8], target=[0.95, 0.95]), "resolution_rate", "en")
    assert rate.layout.title.text == "Resolution rate"  # a rate's axis says % already


def test_breach_heatmap_counts_tickets_in_whole_numbers() -> None:
    grid = np.zeros((7, 24), dtype="int64")
    grid[2, 14] = 2
    assert charts.breach_heatmap(grid, "zh").data[0].colorbar.dtick == 1  # not 0.5 steps up to 2
    grid[2, 14] = 23
    assert charts.breach_heatmap(grid, "en").data[0].colorbar.dtick == 5
    assert charts.breach_heatmap(grid, "en").data[0].colorbar.title.text == "tickets"  # not "n"


def test_pareto_shares_read_in_quarters_with_room_for_their_labels() -> None:
    fig = charts.pareto(pd.Series({"网络组": 3, "桌面支持组": 7, "服务台": 1}), "超时工单：按处理组", "zh")
    assert list(fig.data[0].x) == ["桌面支持组", "网络组", "服务台"]  # largest first
    assert list(fig.data[1].y) == [7 / 11, 10 / 11, 1.0]
    assert list(fig.layout.yaxis2.tickvals) == [0, 0.25, 0.5, 0.75, 1]
    assert fig.layout.yaxis2.automargin and fig.layout.xaxis.automargin


def test_mean_scores_run_to_the_top_of_the_scale_with_the_target_above_the_bars() -> None:
    fig = charts.bar_means(pd.Series({"邮件": 4.71, "短信": 4.65}), "按渠道平均分", "zh", 4.6, 5)
    assert list(fig.layout.xaxis.range) == [0, 5]
    assert list(fig.data[0].y) == ["短信", "邮件"]  # lowest first: the top bar is the best
    label = fig.layout.annotations[0]
    assert label.text == "目标 4.6" and label.yanchor == "bottom" and label.y == 1  # above the plot area
    assert charts.bar_means(pd.Series({"a": 80.0}), "x", "en").layout.xaxis.range is None


def test_the_incident_timeline_spans_the_period_and_marks_short_outages() -> None:
    # 2026-10-20 10:05–10:19 Asia/Shanghai (UTC+8), unplanned; October's bounds in epoch seconds
    outages = pd.DataFrame(
        {
            "service": ["VPN"],
            "start_s": [pd.Timestamp("2026-10-20 02:05", tz="UTC").timestamp()],
            "end_s": [pd.Timestamp("2026-10-20 02:19", tz="UTC").timestamp()],
            "planned_effective": [False],
            "unplanned_reason": ["not_planned"],
        }
    )
    october = (
        pd.Timestamp("2026-10-01", tz="Asia/Shanghai").timestamp(),
        pd.Timestamp("2026-11-01", tz="Asia/Shanghai").timestamp(),
    )
    fig = charts.incident_timeline(outages, "Asia/Shanghai", "zh", october)
    assert [pd.Timestamp(x) for x in fig.layout.xaxis.range] == [
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-11-01"),
    ]
    bar, mark = fig.data
    assert bar.name == "计划外" and list(bar.x) == [14 * 60 * 1000]  # 14 minutes, in ms from its start
    assert pd.Timestamp(mark.x[0]) == pd.Timestamp("2026-10-20 10:05")  # local time, visible at month scale
    assert charts.incident_timeline(outages, "Asia/Shanghai", "en").layout.xaxis.range is None
