"""The value rules of survey responses, outages and reported measures: scores on the contract's scale,
outage spans in order, measure months and KPIs the contract knows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sla_core.contract import RATE_KPIS
from sla_core.dataset import DIMENSION_PREFIX
from sla_core.ingest.collect import row_values
from sla_core.ingest.plausible import window
from sla_core.ingest.rules_context import Context, duplicates
from sla_core.ingest.synonyms import PROVIDER_SOURCES, kpi_index, normalize
from sla_core.ingest.values import Cells, parse_month, parse_number


def surveys(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    report = ctx.report
    low, high = float(ctx.terms.surveys.min), float(ctx.terms.surveys.scale)
    if "score" in frame:
        header, c = columns["score"]
        outside = (frame["score"] < low) | (frame["score"] > high)
        report.rows(
            "error",
            "ingest.score_out_of_range",
            outside.fillna(False),
            column=header,
            values=c.display,
            zh=f"评分「{{value}}」超出合同量表 {low:g}–{high:g}",
            en=f'score "{{value}}" is outside the contract\'s scale {low:g}–{high:g}',
        )
    for canonical, (header, c) in columns.items():
        if not canonical.startswith(DIMENSION_PREFIX):
            continue
        outside = (frame[canonical] < low) | (frame[canonical] > high)
        report.rows(
            "warning",
            "ingest.dimension_out_of_range",
            outside.fillna(False),
            column=header,
            values=c.display,
            zh=f"维度评分「{{value}}」超出量表 {low:g}–{high:g}（将被标记）",
            en=f'dimension score "{{value}}" is outside the scale {low:g}–{high:g} (it will be flagged)',
        )
    # stable and unique per file: the same file gives the same ids, two files never collide in the store
    prefix = (ctx.file_id or "row") + "-"
    generated = pd.Series([prefix + str(r) for r in frame.index], index=frame.index, dtype="string")
    if "response_id" in frame:
        duplicates(frame["response_id"], columns["response_id"][0], "回访编号", "response id", ctx)
        frame["response_id"] = frame["response_id"].fillna(generated)
    else:
        frame["response_id"] = generated


def outages(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    if "start" in frame and "end" in frame:
        header, c = columns["end"]
        start_header = columns["start"][0]
        before = (frame["end"] < frame["start"]).fillna(False)
        ctx.report.rows(
            "error",
            "ingest.end_before_start",
            before,
            column=header,
            values=c.display,
            zh=f"「{header}」（{{value}}）早于「{start_header}」",
            en=f'"{header}" ({{value}}) is before "{start_header}"',
        )
    if "service" in frame and "start" in frame:  # the store keys an outage by service and start
        keys = frame[["service", "start"]]
        dup = (keys.duplicated(keep=False) & keys.notna().all(axis=1)).astype(bool)
        if dup.any():
            header, c = columns["start"]
            service_header = columns["service"][0]
            ctx.report.rows(
                "error",
                "ingest.duplicate_outage",
                dup,
                column=header,
                values=c.display,
                zh=f"同一「{service_header}」在同一开始时间（{{value}}）有多条停机记录",
                en=f'the same "{service_header}" has more than one outage starting at {{value}}',
            )


def measures(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    report = ctx.report
    if "month" in frame:
        header, c = columns["month"]
        month, bad = parse_month(c, ctx.date_order)
        report.rows(
            "error",
            "ingest.bad_month",
            bad,
            column=header,
            values=c.display,
            zh="「{value}」不是月份（可写 2026-10、2026/10、2026年10月 或该月中的日期）",
            en='"{value}" is not a month (write 2026-10, 2026/10, 2026年10月 or a date in the month)',
        )
        plausible = window(ctx.terms, ctx.now)
        first, last = plausible.month_bounds(ctx.zone.key)
        for mask, (zh, en) in (
            ((month < first).fillna(False), plausible.early_words()),
            ((month > last).fillna(False), plausible.late_words()),
        ):
            report.rows(
                "error",
                "ingest.implausible_month",
                mask,
                column=header,
                values=c.display,
                zh="月份「{value}」" + zh,
                en='the month "{value}" ' + en,
            )
        frame["month"] = month
    kpi_ids = pd.Series(pd.NA, index=frame.index, dtype="string")
    if "kpi" in frame:
        header, c = columns["kpi"]
        names = frame["kpi"]
        # the contract's own KPIs by id or label (spec "Rule (contract KPIs)": a measure under that id)
        index = kpi_index() | {
            normalize(name): k.id for k in ctx.terms.custom_kpis for name in (k.id, k.label.zh, k.label.en)
        }
        codes, uniques = pd.factorize(names)
        ids = np.array([index.get(normalize(u)) for u in uniques] + [None], dtype=object)
        kpi_ids = pd.Series(ids[codes], index=frame.index, dtype="string")
        unknown = names.notna() & kpi_ids.isna()
        report.rows(
            "warning",
            "ingest.unknown_kpi",
            unknown,
            column=header,
            values=row_values(names),
            zh="未知指标「{value}」：按原名保留，不参与评判",
            en='unknown KPI "{value}": kept under its own name, not judged',
        )
        frame["kpi"] = kpi_ids.fillna(names)
    if "value" in frame:
        header, c = columns["value"]
        parsed = parse_number(c)
        percent = parsed.percent
        value = frame["value"]
        rates = [
            *RATE_KPIS,
            *(k.id for k in ctx.terms.custom_kpis if k.kind == "ticket_share" or k.unit == "rate"),
        ]
        is_rate = kpi_ids.isin(rates).fillna(False).astype(bool)
        known = kpi_ids.notna()
        over = is_rate & (value > 1).fillna(False)
        report.rows(
            "error",
            "ingest.rate_over_one",
            over & ~percent,
            column=header,
            values=c.display,
            zh="比率「{value}」大于 1：请写成 99.5% 或 0.995",
            en='the rate "{value}" is above 1: write it as 99.5% or 0.995',
        )
        report.rows(
            "error",
            "ingest.rate_over_one",
            over & percent,
            column=header,
            values=c.display,
            zh="比率「{value}」超过 100%",
            en='the rate "{value}" is above 100%',
        )
        negative = (value < 0).fillna(False) & is_rate
        report.rows(
            "error",
            "ingest.negative",
            negative,
            column=header,
            values=c.display,
            zh="比率「{value}」不能为负",
            en='the rate "{value}" cannot be negative',
        )
        not_rate = percent & known & ~is_rate
        report.rows(
            "error",
            "ingest.bad_number",
            not_rate,
            column=header,
            values=c.display,
            zh="「{value}」带 %，但该指标不是比率",
            en='"{value}" has a % but this KPI is not a rate',
        )
        frame["value"] = value.where(~(over | negative | not_rate))
    if "source" in frame:
        source = frame["source"]
        providers = {normalize(p) for p in PROVIDER_SOURCES}
        codes, uniques = pd.factorize(source)
        is_provider = np.array([normalize(u) in providers for u in uniques] + [False])
        frame["source"] = source.where(~pd.Series(is_provider[codes], index=frame.index), "provider")
    keys = [k for k in ("month", "kpi", "source") if k in frame]
    if "month" in frame and "kpi" in frame:
        key_frame = frame[keys]
        dup = key_frame.duplicated(keep=False) & frame["month"].notna() & frame["kpi"].notna()
        if dup.any():
            header = columns["kpi"][0]
            shown = frame["month"].astype(str) + " × " + frame["kpi"].astype(str)
            if "source" in frame:
                shown = shown + " × " + frame["source"].fillna("").astype(str)
            report.rows(
                "error",
                "ingest.duplicate_measure",
                dup.fillna(False).astype(bool),
                column=header,
                values=row_values(shown),
                zh="同一月份和指标出现多次：{value}",
                en="the same month and KPI appear more than once: {value}",
            )
