"""The Summary sheet (the period's verdict, penalty, closes, obligations, KPI lines) and the KPI scorecard
(each KPI by month, with its numerator and denominator grouped beneath)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sla_core.evaluate import PeriodResult
from sla_core.i18n import fmt_value, status_label
from sla_core.i18n.pack import SHEETS
from sla_core.periods import month_label
from sla_core.report.cells import (
    change_kind,
    change_value,
    count_kind,
    date_serial,
    epoch_serial,
    months_text,
    row_digits,
    serial_text,
    stored_serial,
    target_format,
    value_kind,
)
from sla_core.report.context import Context
from sla_core.report.layout import Col, SubRow, V
from sla_core.report.period import ReportPeriod


def verdict_sentence(ctx: Context, result: PeriodResult) -> str:
    counts = {
        s: sum(1 for v in result.verdicts if v.status == s) for s in ("met", "missed", "no_data", "unjudged")
    }
    total = len(result.verdicts)
    pen = result.penalty
    other = counts["no_data"] + counts["unjudged"]
    money = ctx.money(pen.amount)
    text = ctx.w("verdict_counts").format(total=total, met=counts["met"], missed=counts["missed"])
    if other:
        text += ctx.w("verdict_others").format(other=other)
    state = ctx.w("provisional" if pen.provisional else "final")
    penalty = ctx.w("verdict_penalty_capped" if pen.capped else "verdict_penalty")
    return text + penalty.format(money=money, capped=ctx.w("capped_state"), state=state)


def _monthly_misses(ctx: Context, p: ReportPeriod) -> list[tuple[str, Any, str]]:
    """For a quarter: the KPIs missed in each month — a quarter judged on pooled figures can be met
    while single months were not, and those months' penalties stand."""
    if not p.quarterly:
        return []
    parts = []
    for m in p.months:
        names = [ctx.kpi_name(v.kpi) for v in m.verdicts if v.status == "missed"]
        if names:
            month = ctx.pname(m.label)
            parts.append(f"{month}{ctx.w('colon')}{ctx.join(names)}")
    return [(ctx.w("missed_months"), ctx.w("month_sep").join(parts) or "—", "text")]


def summary(ctx: Context) -> None:
    b, ev, p = ctx.book, ctx.ev, ctx.p
    res = p.result
    c = res.terms.contract
    sh = b.sheet("summary", ctx.period_title(), ctx.subtitle())
    as_of_serial = epoch_serial(ev.as_of, ctx.zone)
    terms_text = ctx.w("terms_since").format(
        since=res.terms.effective_from.isoformat(), note=res.terms.note or ctx.w("base_terms")
    )
    counts = {
        s: sum(1 for v in res.verdicts if v.status == s) for s in ("met", "missed", "no_data", "unjudged")
    }
    missed = [ctx.kpi_name(v.kpi) for v in res.verdicts if v.status == "missed"]
    t = ctx.tickets
    breached_resp = int((t["response_status"] == "breached").sum()) if not t.empty else 0
    breached_res = int((t["resolution_status"] == "breached").sum()) if not t.empty else 0
    breached_any = (
        int(((t["response_status"] == "breached") | (t["resolution_status"] == "breached")).sum())
        if not t.empty
        else 0
    )
    responses = ev.responses
    n_responses = 0 if responses.empty else int(responses["month_key"].isin(p.keys).sum())
    open_obl = [o for o in ctx.obligations if o.status != "done"]
    period_text = ctx.w("period_span").format(
        period=ctx.pname(p.label), first=p.first_day.isoformat(), last=p.last_day.isoformat()
    )
    if p.quarterly:
        evaluated = [m.label for m in p.months]
        missing = [month_label(k) for k in p.keys if month_label(k) not in evaluated]
        if missing:
            period_text += ctx.w("months_without_data").format(
                months=ctx.join([ctx.pname(m) for m in missing])
            )
    items: list[tuple[str, Any, str]] = [
        (ctx.w("contract"), f"{c.name} ({c.id})" if c.name else c.id, "text"),
        (ctx.w("client"), c.client, "text"),
        (ctx.w("provider"), c.provider, "text"),
        (ctx.w("report_period"), period_text, "text"),
        (ctx.w("as_of"), as_of_serial, "datetime"),
        (ctx.w("terms"), terms_text, "text"),
        (
            ctx.w("col_status"),
            ctx.w("provisional_why") if not res.final else ctx.w("final_why"),
            "text",
        ),
    ]
    closes = _closes_text(ctx)
    if closes:
        items.append((ctx.w("tab_close"), closes, "text"))
    items += [(ctx.w("tab_close"), text, "text") for text in _close_differences(ctx)]
    items += [
        (ctx.w("verdict"), verdict_sentence(ctx, res), "text"),
        (ctx.w("met_n"), counts["met"], "int"),
        (ctx.w("missed_kpis"), counts["missed"], "int"),
        (ctx.w("no_data_n"), counts["no_data"], "int"),
        (ctx.w("unjudged_n"), counts["unjudged"], "int"),
        (ctx.w("missed_list"), ctx.join(missed) or "—", "text"),
        *_monthly_misses(ctx, p),
        (ctx.w("penalty"), float(res.penalty.amount), "money"),
        (ctx.w("uncapped"), float(res.penalty.uncapped_amount), "money"),
        (ctx.w("capped"), res.penalty.capped, "bool"),
        (ctx.w("provisional_label"), res.penalty.provisional, "bool"),
        (ctx.w("tickets_n"), len(t), "int"),
        (
            ctx.w("breached_tickets"),
            ctx.w("breached_counts").format(
                any=breached_any, response=breached_resp, resolution=breached_res
            ),
            "text",
        ),
        (ctx.w("responses_n"), n_responses, "int"),
        (ctx.w("open_obligations"), len(open_obl), "int"),
        (ctx.w("overdue_n"), sum(1 for o in open_obl if o.status == "overdue"), "int"),
        (
            ctx.w("col_note"),
            ctx.w("summary_units_note").format(zone=c.timezone),
            "text",
        ),
        (ctx.w("generated"), f"{ctx.w('product')} · {ctx.book.stamp}", "text"),
    ]
    for wn in ev.warnings:
        items.append((ctx.w("warnings"), wn.message(ctx.lang), "text"))
    sh.pairs(items)
    sh.skip()
    sh.page_break()  # the KPI table starts a page of its own
    sh.heading(f"{ctx.w('kpi_table')} · {ctx.pname(p.label)}")
    cols = [
        Col(ctx.w("col_kpi"), max_width=24),
        Col(ctx.w("value"), "num"),
        Col(ctx.w("target"), "text"),
        Col(ctx.w("col_status"), "text"),
        Col(ctx.w("col_note"), "wrap", max_width=70, min_width=40),
    ]
    sh.table(cols, (_kpi_cells(ctx, v) for v in res.verdicts))
    if open_obl:
        sh.skip()
        sh.heading(ctx.w("open_obligations"))
        sh.table(
            [
                Col(ctx.w("col_obligation"), max_width=24),
                Col(ctx.w("col_due"), "date"),
                Col(ctx.w("col_status")),
                Col(ctx.w("col_months"), max_width=20),
                Col(ctx.w("col_kpi"), max_width=40),
            ],
            (
                [
                    ctx.book.label(o.kind),
                    date_serial(o.due),
                    V(o.status, f"status:{o.status}"),
                    months_text(o.months),
                    ctx.obligation_kpis(o),
                ]
                for o in open_obl
            ),
        )
    sh.finish()


def _closes_text(ctx: Context) -> str:
    """Which months of the period are closed (settled with the provider), by whom and when."""
    closed = [m.label for m in ctx.p.months if m.closed]
    by_month = {c.month: c for c in ctx.rec.closes or []}
    if ctx.rec.closes is None and not closed:
        return ""
    closed = sorted(set(closed) | {m for m in by_month if m in ctx.p.month_labels})
    if not closed:
        return ctx.w("no_month_closed")
    parts = []
    for month in closed:
        close = by_month.get(month)
        if close is None:
            parts.append(ctx.w("month_closed_settled").format(month=month))
            continue
        at = stored_serial(close.closed_at, ctx.zone)
        when = "" if at is None else serial_text(at)
        parts.append(ctx.w("month_closed_on_by").format(month=month, when=when, by=close.closed_by))
    return ctx.w("month_sep").join(parts)


def _close_differences(ctx: Context) -> list[str]:
    """Closed months whose figures the data as stored now would change: the settled ones stand."""
    out = []
    for month in sorted(ctx.p.month_labels):
        diffs = ctx.ev.closed_differences.get(month) or []
        if not diffs:
            continue
        parts = []
        for d in diffs:
            item = d["item"]
            if item == "penalty":
                parts.append(
                    f"{ctx.w('penalty')} {ctx.money(d['settled'] or 0.0)} → {ctx.money(d['now'] or 0.0)}"
                )
                continue
            unit = ctx.kpi_unit(item) or "rate"
            digits = 2 if unit == "rate" else None
            settled = fmt_value(d["settled"], unit, ctx.lang, digits=digits)
            now = fmt_value(d["now"], unit, ctx.lang, digits=digits)
            change = f"{ctx.kpi_name(item)} {settled} → {now}"
            if d["settled_status"] != d["now_status"]:
                change += (
                    f" ({status_label(d['settled_status'], ctx.lang)} → "
                    f"{status_label(d['now_status'], ctx.lang)})"
                )
            parts.append(change)
        sep = ctx.w("month_sep")
        out.append(ctx.w("month_closed_recomputed").format(month=month, changes=sep.join(parts)))
    return out


def _kpi_cells(ctx: Context, v: Any, digits: int | None = None) -> list[Any]:
    """Name, value, target, status, sentence; value and target with the row's decimals (`digits`, else
    the ones the sentence gives the value)."""
    unit = ctx.kpi_unit(v.kpi) or "rate"
    d = row_digits(v.kpi, [(v.value, v.target)], unit) if digits is None else digits
    target = (
        V(float(v.target.value), "target:" + target_format(v.target, unit, ctx.lang, d)) if v.target else None
    )
    return [
        ctx.kpi_name(v.kpi),
        V(v.value, value_kind(v.kpi, d, ctx.lang, unit)),
        target,
        V(v.status, f"status:{v.status}"),
        v.explanation(ctx.lang),
    ]


def scorecard(ctx: Context) -> None:
    """The matrix (KPI × the period, its months and the previous period: value and status) on
    top, then every KPI × period with its target, numerator and denominator."""
    p = ctx.p
    periods: list[PeriodResult] = [p.result]
    if p.quarterly:
        periods += p.months
    if p.previous is not None:
        periods.append(p.previous)
    sh = ctx.book.sheet(
        "scorecard",
        f"{SHEETS['scorecard'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        (ctx.w("scorecard_note_quarter") if p.quarterly else "")
        + (ctx.w("scorecard_note_previous") if p.previous else "")
        + ctx.w("scorecard_note_rows")
        + ctx.w("scorecard_note_collapsible" if ctx.book.spreadsheet else "full_stop"),
    )
    cols = [Col(ctx.w("col_kpi"), max_width=24), Col(ctx.w("target"), "text", min_width=8)]
    groups: list[tuple[str, int, int]] = []
    for i, per in enumerate(periods):
        first = 2 + i * 2
        groups.append((_period_tag(ctx, per), first, first + 1))
        cols += [Col(ctx.w("value"), "num", min_width=9), Col(ctx.w("col_status"), "text", min_width=7)]
    if p.previous is not None:
        cols.append(Col(ctx.w("change"), "num", min_width=10))

    def matrix() -> Iterable[list[Any]]:
        sub_label = ctx.w("numerator_denominator_row")
        for kpi in ctx.ev.kpi_ids:  # the built-in table, then the contract's own KPIs
            head = p.result.verdict(kpi)
            verdicts = [per.verdict(kpi) for per in periods]
            digits = row_digits(kpi, [(v.value, v.target) for v in verdicts], ctx.kpi_unit(kpi))
            cells: list[Any] = [ctx.kpi_name(kpi), _kpi_cells(ctx, head, digits)[2]]
            parts: list[Any] = [V(sub_label, "text|sub"), V(None, "text|sub")]
            for v in verdicts:
                _, value, _, status, _ = _kpi_cells(ctx, v, digits)
                cells += [value, status]
                parts += [
                    V(v.numerator, count_kind(kpi, v.numerator, "numerator") + "|sub"),
                    V(v.denominator, count_kind(kpi, v.denominator, "denominator") + "|sub"),
                ]
            if p.previous is not None:
                now, before = head.value, p.previous.verdict(kpi).value
                change = None if now is None or before is None else now - before
                unit = ctx.kpi_unit(kpi)
                cells.append(
                    V(change_value(kpi, change, digits, unit), change_kind(kpi, digits, ctx.lang, unit))
                )
                parts.append(V(None, "text|sub"))
            yield cells
            yield SubRow(parts)

    sh.details_below()  # the detail line sits below its KPI
    sh.table(cols, matrix(), main=True, groups=groups, freeze_col=1)
    sh.finish(one_page=True)


def _period_tag(ctx: Context, per: PeriodResult) -> str:
    tag = ctx.pname(per.label)
    if per is ctx.p.previous:
        return ctx.w("tag_previous").format(tag=tag)
    if per is ctx.p.result and ctx.p.quarterly:
        return ctx.w("tag_quarter").format(tag=tag)
    if per.closed:
        return ctx.w("tag_closed").format(tag=tag)
    return tag
