"""Typed columns → the canonical frame of one kind, with every value rule of the spec checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sla_core.contract import CATEGORIES, RATE_KPIS, Terms
from sla_core.dataset import AUXILIARY, DIMENSION_PREFIX, REQUIRED, SCHEMA, TIMESTAMP, SourceKind
from sla_core.ingest.collect import Collector, row_values
from sla_core.ingest.plausible import window
from sla_core.ingest.synonyms import COLUMN_LABELS, PROVIDER_SOURCES, kpi_index, normalize
from sla_core.ingest.values import (
    Cells,
    DateOrder,
    localize,
    naive_timestamps,
    parse_bool,
    parse_duration_seconds,
    parse_month,
    parse_number,
    parse_text,
)

MILESTONES = ("first_response_at", "workaround_at", "resolved_at", "closed_at", "classified_at")
NON_NEGATIVE = ("paused_minutes", "duration_seconds", "reopened_count")
FUTURE_GRACE = pd.Timedelta(days=1)


def label_key(text: str) -> str:
    """Priority labels compare case- and space-insensitively."""
    return "".join(str(text).casefold().split())


def required_columns(kind: SourceKind, terms: Terms) -> tuple[str, ...]:
    """The columns a file of `kind` cannot do without: a contract with a default priority makes the
    priority column optional (spec "Rule (cancelled and unprioritised tickets)")."""
    if kind == "tickets" and terms.contract.default_priority:
        return tuple(c for c in REQUIRED[kind] if c != "priority")
    return REQUIRED[kind]


def column_dtype(kind: SourceKind, canonical: str) -> str | None:
    """A column's type: the schema's, an auxiliary column's, None for the rest (survey dimensions)."""
    return SCHEMA[kind].get(canonical) or AUXILIARY.get(kind, {}).get(canonical)


@dataclass
class Context:
    kind: SourceKind
    terms: Terms
    priority_labels: dict[str, str]  # label_key(label or id) → priority id
    zone: ZoneInfo
    now: pd.Timestamp  # UTC
    date_order: DateOrder | None
    report: Collector
    index: pd.Index  # spreadsheet row numbers of the data rows
    file_id: str = ""  # the first 12 hex of the file's sha256: generated ids are unique per file
    states: dict[str, str] = field(default_factory=dict)  # normalised raw status → canonical state

    @property
    def required(self) -> tuple[str, ...]:
        return required_columns(self.kind, self.terms)


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
        present |= _tickets(frame, columns, ctx)
    elif kind == "events":
        _events(frame, columns, ctx)
    elif kind == "surveys":
        _surveys(frame, columns, ctx)
    elif kind == "outages":
        _outages(frame, columns, ctx)
    else:
        _measures(frame, columns, ctx)
    return frame, present


# ---------------------------------------------------------------- generic types


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


# ---------------------------------------------------------------- tickets


def _tickets(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> set[str]:
    report = ctx.report
    added: set[str] = set()
    _priorities(frame, columns, ctx)
    if "priority" not in frame and ctx.terms.contract.default_priority:
        frame["priority"] = pd.Series(ctx.terms.contract.default_priority, index=frame.index, dtype="string")
        added.add("priority")
        report.add(
            "warning",
            "ingest.default_priority",
            f"文件没有优先级列：所有工单按合同的默认优先级 {ctx.terms.contract.default_priority} 计",
            "the file has no priority column: every ticket takes the contract's default priority "
            f"{ctx.terms.contract.default_priority}",
            value=ctx.terms.contract.default_priority,
        )
    if "category" in frame:
        header, _ = columns["category"]
        raw = frame["category"]
        frame["category_raw"] = raw
        frame["category"], unmapped = categories(raw, ctx.terms)
        added.add("category_raw")
        if unmapped:
            listed = "、".join(unmapped[:30]) + (" …" if len(unmapped) > 30 else "")
            report.add(
                "warning",
                "ingest.unmapped_categories",
                f"以下类型不属于合同的任何类别，按原值保留并计为「其他」：{listed}",
                f"these categories match none of the contract's [categories] labels; kept as written and "
                f"counted as other: {', '.join(unmapped[:30])}" + (" …" if len(unmapped) > 30 else ""),
                column=header,
                value=", ".join(unmapped),
            )
    if "exclusion_reason" in frame:
        reason = frame["exclusion_reason"]
        has_reason = (reason.notna() & (reason.str.strip() != "")).fillna(False).astype(bool)
        frame["excluded"] = frame["excluded"] | has_reason if "excluded" in frame else has_reason
        added.add("excluded")
    if "created_at" in frame:
        created = frame["created_at"]
        for milestone in (*MILESTONES, "status_changed_at"):
            if milestone not in columns:
                continue
            header, c = columns[milestone]
            created_header, created_cells = columns["created_at"]
            before = (frame[milestone] < created).fillna(False)

            def created_as_written(row: int, cells: Cells = created_cells) -> tuple[str, str]:
                shown = cells.display([row])[0]
                return f"（{shown}）", f" ({shown})"

            report.rows(
                "error",
                "ingest.before_created",
                before,
                column=header,
                values=c.display,
                zh=f"「{header}」（{{value}}）早于「{created_header}」",
                en=f'"{header}" ({{value}}) is before "{created_header}"',
                extra=created_as_written,
            )
    if "status" in frame:  # after the checks above: a resolution it fills in was checked as written
        added |= _statuses(frame, columns, ctx)
    if "ticket_id" in frame:
        _duplicates(frame["ticket_id"], columns["ticket_id"][0], "工单号", "ticket id", ctx)
    return added


def _priorities(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    """Priority labels → the contract's priority ids; an unknown label is an error; a blank one takes
    the contract's default priority when it sets one (else, in a tickets file, a blank required cell)."""
    if "priority" not in frame:
        return
    header, _ = columns["priority"]
    text = frame["priority"]
    codes, uniques = pd.factorize(text)
    ids = np.array([ctx.priority_labels.get(label_key(u)) for u in uniques] + [None], dtype=object)
    mapped = pd.Series(ids[codes], index=frame.index, dtype="string")
    default = ctx.terms.contract.default_priority
    if default and ctx.kind == "tickets":
        blank = text.isna()
        if blank.any():
            mapped = mapped.mask(blank, default)
            ctx.report.add(
                "warning",
                "ingest.default_priority",
                f"{int(blank.sum()):,} 张工单没有优先级，按合同的默认优先级 {default} 计",
                f"{int(blank.sum()):,} tickets have no priority; they take the contract's default priority "
                f"{default}",
                column=header,
                value=default,
            )
    unknown = text.notna() & mapped.isna()
    known = ", ".join(p.id for p in ctx.terms.priorities)
    ctx.report.rows(
        "error",
        "ingest.unknown_priority",
        unknown,
        column=header,
        values=row_values(text),
        zh=f"未知优先级「{{value}}」：合同的优先级是 {known}（可在“合同条款”页的优先级表中，把这个写法加到对应优先级的“数据中的写法”）",
        en=f'unknown priority "{{value}}": the contract has {known} (on the Contract page, add this spelling to '
        f'the priority\'s "Labels in the data")',
    )
    frame["priority"] = mapped


RESOLVED_STATES = ("resolved", "closed")


def _statuses(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> set[str]:
    """What a ticket's status says (spec "Rule (cancelled and unprioritised tickets)"): a cancelled
    ticket is excluded with reason "cancelled"; a ticket whose status means resolved but that has no
    resolution time is resolved at closed_at (outcomes), else at the status-change time the export
    gives, else it stays unresolved (one warning says how many)."""
    header, _ = columns["status"]
    codes, uniques = pd.factorize(frame["status"])
    meaning = np.array([ctx.states.get(normalize(u)) for u in uniques] + [None], dtype=object)[codes]
    cancelled = pd.Series(meaning == "cancelled", index=frame.index)
    excluded = frame["excluded"] if "excluded" in frame else pd.Series(False, index=frame.index)
    reason = (
        frame["exclusion_reason"]
        if "exclusion_reason" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    blank_reason = reason.isna() | (reason.fillna("").str.strip() == "")
    frame["exclusion_reason"] = reason.mask(cancelled & blank_reason, "cancelled").astype("string")
    frame["excluded"] = (excluded | cancelled).astype(bool)
    done = pd.Series(np.isin(meaning, RESOLVED_STATES), index=frame.index)
    undated = done.copy()
    for column in ("resolved_at", "closed_at"):
        if column in frame:
            undated &= frame[column].isna()
    added = {"excluded", "exclusion_reason"}
    if "status_changed_at" in frame:
        usable = undated & frame["status_changed_at"].notna()
        if usable.any():
            blank = pd.Series(pd.NaT, index=frame.index, dtype=TIMESTAMP)
            resolved = frame.get("resolved_at", blank)
            frame["resolved_at"] = resolved.mask(usable, frame["status_changed_at"])
            added.add("resolved_at")
        undated &= ~usable
    if undated.any():
        zh_col, en_col = COLUMN_LABELS["resolved_at"]
        count = int(undated.sum())
        ctx.report.add(
            "warning",
            "ingest.resolved_without_time",
            f"{count:,} 张工单的状态表示已解决，但没有{zh_col}、关闭时间或状态变更时间：按未解决计",
            f"{count:,} tickets have a status that means resolved but no {en_col} time, closed time or "
            "status-change time: they count as unresolved",
            column=header,
            value=str(count),
        )
    return added


def _events(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
    """A status history's rows: priorities mapped; the rest is checked when tickets are derived."""
    _priorities(frame, columns, ctx)


def categories(raw: pd.Series, terms: Terms) -> tuple[pd.Series, list[str]]:
    labels = sorted(
        (
            (str(label).casefold().strip(), cat)
            for cat in CATEGORIES
            for label in getattr(terms.categories, cat)
        ),
        key=lambda lc: -len(lc[0]),
    )
    codes, uniques = pd.factorize(raw)
    canon: list[str] = []
    unmapped: list[str] = []
    for value in uniques:
        folded = str(value).casefold().strip()
        cat = next((c for label, c in labels if label and folded.startswith(label)), None)
        if cat is None:
            unmapped.append(str(value))
        canon.append(cat or str(value))
    table = np.array([*canon, None], dtype=object)
    return pd.Series(table[codes], index=raw.index, dtype="string"), unmapped


def _duplicates(ids: pd.Series, header: str, zh_name: str, en_name: str, ctx: Context) -> None:
    dup = (ids.notna() & ids.duplicated(keep=False)).fillna(False).astype(bool)
    if not dup.any():
        return
    dup_ids = ids[dup]

    def others(row: int) -> tuple[str, str]:
        same = dup_ids.index[(dup_ids == dup_ids.loc[row]).to_numpy()]
        listed = ", ".join(str(r) for r in same[:6]) + (" …" if len(same) > 6 else "")
        return f"（第 {listed} 行）", f" (rows {listed})"

    ctx.report.rows(
        "error",
        "ingest.duplicate_id",
        dup,
        column=header,
        values=row_values(ids),
        zh=f"{zh_name}「{{value}}」在文件中重复出现",
        en=f'{en_name} "{{value}}" appears more than once in the file',
        extra=others,
    )


# ---------------------------------------------------------------- surveys


def _surveys(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
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
        _duplicates(frame["response_id"], columns["response_id"][0], "回访编号", "response id", ctx)
        frame["response_id"] = frame["response_id"].fillna(generated)
    else:
        frame["response_id"] = generated


# ---------------------------------------------------------------- outages


def _outages(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
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


# ---------------------------------------------------------------- measures


def _measures(frame: pd.DataFrame, columns: dict[str, tuple[str, Cells]], ctx: Context) -> None:
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
