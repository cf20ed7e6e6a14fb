"""Typed columns → the canonical frame of one kind, with every value rule of the spec checked.

Here: the frame built, Excel errors and blanks of required columns, timestamps and numbers; the rules of
each kind in `rules_tickets` (tickets, status events) and `rules_other_kinds` (surveys, outages, measures),
what they share in `rules_context`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sla_core.dataset import TIMESTAMP, SourceKind
from sla_core.ingest.plausible import window
from sla_core.ingest.rules_context import Context, column_dtype, label_key, required_columns
from sla_core.ingest.rules_other_kinds import measures, outages, surveys
from sla_core.ingest.rules_tickets import MILESTONES, categories, events, tickets
from sla_core.ingest.values import (
    Cells,
    localize,
    naive_timestamps,
    parse_bool,
    parse_duration_seconds,
    parse_number,
    parse_text,
)

__all__ = [
    "MILESTONES",
    "Context",
    "build_frame",
    "categories",
    "column_dtype",
    "label_key",
    "required_columns",
]


NON_NEGATIVE = ("paused_minutes", "duration_seconds", "reopened_count")
FUTURE_GRACE = pd.Timedelta(days=1)


def build_frame(
    kind: SourceKind, columns: dict[str, tuple[str, Cells]], ctx: Context
) -> tuple[pd.DataFrame, set[str]]:
    """The frame (canonical columns present, index = row numbers) and the canonical columns it holds."""
    report = ctx.report
    data: dict[str, Any] = {}
    present = set(columns)
    for canonical, (header, c) in columns.items():
        required = canonical in ctx.required
        report.rows(
            "error" if required else "warning",
            "ingest.excel_error",
            c.error,
            column=header,
            values=c.display,
            zh="单元格是 Excel 错误值「{value}」" + ("" if required else "，按空白处理"),
            en='the cell holds the Excel error "{value}"' + ("" if required else "; read as blank"),
        )
        if required:
            report.rows(
                "error",
                "ingest.missing_value",
                c.blank,
                column=header,
                zh=f"必填列「{header}」为空",
                en=f'the required column "{header}" is blank',
            )
    for canonical, (header, c) in columns.items():
        dtype = column_dtype(kind, canonical) or "Float64"
        if dtype == TIMESTAMP:
            data[canonical] = _timestamps(c, header, ctx)
        elif dtype == "bool":
            parsed = parse_bool(c)
            report.rows(
                "error",
                "ingest.bad_boolean",
                parsed.bad,
                column=header,
                values=c.display,
                zh="「{value}」不是是/否值（可写 是/否、Y/N、true/false、1/0）",
                en='"{value}" is not a yes/no value (write yes/no, Y/N, true/false, 1/0 or 是/否)',
            )
            data[canonical] = parsed.value
        elif dtype in ("Int64", "Float64"):
            data[canonical] = _numbers(canonical, c, header, ctx)
        else:
            data[canonical] = parse_text(c)
    frame = pd.DataFrame(data, index=ctx.index)
    if kind == "tickets":
        present |= tickets(frame, columns, ctx)
    elif kind == "events":
        events(frame, columns, ctx)
    elif kind == "surveys":
        surveys(frame, columns, ctx)
    elif kind == "outages":
        outages(frame, columns, ctx)
    else:
        measures(frame, columns, ctx)
    return frame, present


def _timestamps(c: Cells, header: str, ctx: Context) -> pd.Series:
    report = ctx.report
    naive = naive_timestamps(c, ctx.date_order)
    report.rows(
        "error",
        "ingest.bad_timestamp",
        naive.bad,
        column=header,
        values=c.display,
        zh="无法识别的日期时间「{value}」",
        en='"{value}" is not a date/time',
    )
    report.rows(
        "error",
        "ingest.duration_not_time",
        naive.duration,
        column=header,
        values=c.display,
        zh="「{value}」看起来是时长，不是时间点",
        en='"{value}" looks like a duration, not a time',
    )
    if naive.order == "ambiguous":
        count = int(naive.unresolved.sum())
        report.add(
            "error",
            "ingest.ambiguous_date_order",
            f"「{header}」列无法判断日期顺序（{count} 个值的日和月都不超过 12，"
            "可能是 日/月/年 也可能是 月/日/年）：请选择日期顺序",
            f'column "{header}": the day/month order cannot be told from the values ({count} dates have '
            "day and month both ≤ 12, so d/m/yyyy and m/d/yyyy both fit): choose the date order",
            column=header,
        )
        report.mark(naive.unresolved.index[naive.unresolved.to_numpy()])
    elif naive.order == "conflict":
        report.add(
            "error",
            "ingest.date_order_conflict",
            f"「{header}」列的日期顺序前后矛盾：有的值只能是 日/月/年，有的只能是 月/日/年",
            f'column "{header}" mixes day/month orders: some dates only fit d/m/yyyy, others only m/d/yyyy',
            column=header,
        )
        report.mark(naive.unresolved.index[naive.unresolved.to_numpy()])
    instants = localize(naive, ctx.zone)
    zone = ctx.zone.key
    report.rows(
        "error",
        "ingest.nonexistent_time",
        instants.nonexistent,
        column=header,
        values=c.display,
        zh=f"「{{value}}」在时区 {zone} 中不存在（夏令时跳过的时间）",
        en=f'"{{value}}" does not exist in {zone} (skipped by a daylight-saving change)',
    )
    report.rows(
        "warning",
        "ingest.ambiguous_time",
        instants.ambiguous,
        column=header,
        values=c.display,
        zh=f"「{{value}}」在时区 {zone} 中出现两次（夏令时结束），按第一次计",
        en=f'"{{value}}" occurs twice in {zone} (daylight saving ends); the first occurrence is used',
    )
    plausible = window(ctx.terms, ctx.now)
    early_zh, early_en = plausible.early_words()
    late_zh, late_en = plausible.late_words()
    too_early, too_late = plausible.too_early(instants.utc), plausible.too_late(instants.utc)
    for mask, zh, en in ((too_early, early_zh, early_en), (too_late, late_zh, late_en)):
        report.rows(
            "error",
            "ingest.implausible_timestamp",
            mask,
            column=header,
            values=c.display,
            zh="「{value}」" + zh,
            en='"{value}" ' + en,
        )
    future = (instants.utc > ctx.now + FUTURE_GRACE) & ~too_late
    report.rows(
        "warning",
        "ingest.future_timestamp",
        future,
        column=header,
        values=c.display,
        zh="「{value}」晚于导入时间一天以上",
        en='"{value}" is more than a day after the import time',
    )
    return instants.utc


def _numbers(canonical: str, c: Cells, header: str, ctx: Context) -> pd.Series:
    report = ctx.report
    parsed = parse_duration_seconds(c) if canonical == "duration_seconds" else parse_number(c)
    bad = parsed.bad
    if canonical != "value":  # only measures take percentages
        bad = bad | (parsed.percent & c.present)
    report.rows(
        "error",
        "ingest.bad_number",
        bad,
        column=header,
        values=c.display,
        zh="「{value}」不是数字",
        en='"{value}" is not a number',
    )
    value = parsed.value.where(~bad)
    if canonical in NON_NEGATIVE:
        negative = value < 0
        report.rows(
            "error",
            "ingest.negative",
            negative.fillna(False),
            column=header,
            values=c.display,
            zh="「{value}」不能为负数",
            en='"{value}" cannot be negative',
        )
        value = value.where(~negative.fillna(False))
    if canonical == "reopened_count":
        fraction = value.notna() & (value != value.round())
        report.rows(
            "error",
            "ingest.bad_number",
            fraction.fillna(False),
            column=header,
            values=c.display,
            zh="「{value}」应为整数",
            en='"{value}" should be a whole number',
        )
        return value.where(~fraction.fillna(False)).round().astype("Int64")
    return value.astype("Float64")
