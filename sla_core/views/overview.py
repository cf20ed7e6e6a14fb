"""The Overview screen: KPI tiles (value, target, verdict, change, where the tile leads), penalty, obligations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from sla_core.dataset import Dataset, Kind
from sla_core.evaluate import Evaluation, PeriodResult, Row
from sla_core.i18n import KPIS, KpiDef, fmt_money, fmt_value, month_label
from sla_core.verdicts import target_text
from sla_core.views.common import (
    Filters,
    Period,
    _delta,
    _months_in_range,
    active,
    period_months,
    period_tickets,
    previous_label,
    values_for,
)
from sla_core.views.tables import obligations_table
from sla_core.views.timeliness import at_risk

# the analysis page that shows a KPI's source further (reported measures have none: the KPI page is all)
_SOURCE_PAGE: dict[Kind, str | None] = {
    "tickets": "timeliness",
    "surveys": "satisfaction",
    "outages": "availability",
    "measures": None,
}
KPI_PAGE = {k: _SOURCE_PAGE[d.source] for k, d in KPIS.items()}


@dataclass(frozen=True)
class Tile:
    kpi: str
    label: str
    value: float | None
    value_text: str
    target_text: str
    status: str  # met / missed / no_data / unjudged / filtered
    sentence: str
    delta_text: str
    delta_good: bool | None  # None when there is nothing to compare
    numerator: float | None
    denominator: float | None
    page: str | None  # the analysis page of its source, None for a reported measure
    has_target: bool = True  # False: target_text says there is none


def _result(evaluation: Evaluation, period: Period) -> PeriodResult | None:
    if period.kind == "month":
        return evaluation.month(period.label)
    if period.kind == "quarter":
        return evaluation.quarter(period.label)
    return None


def _row_lookup(values: pd.DataFrame, label: str) -> dict[str, Row]:
    rows = values.loc[(values["period"] == label) & (values["dimension"] == "all")]
    return {str(r["kpi"]): r for r in rows.to_dict("records")}


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or pd.isna(x) else float(x)


def tiles(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> list[Tile]:
    values = values_for(evaluation, data, period, filters, nearby=True)
    rows = _row_lookup(values, period.label)
    prev_label = previous_label(evaluation, period)
    prev_rows = _row_lookup(values, prev_label) if prev_label else {}
    result = _result(evaluation, period)
    filtered = active(filters) or period.kind == "range"
    out = []
    for kpi in evaluation.kpi_ids:  # the built-in table, then the contract's own KPIs
        d = evaluation.definition(kpi)
        verdict = result.verdict(kpi) if result else None
        row = rows.get(kpi, {})
        value = verdict.value if (verdict and not filtered) else _num(row.get("value"))
        prev = _num(prev_rows.get(kpi, {}).get("value")) if prev_rows else None
        delta_text, good = "", None
        if value is not None and prev is not None:
            diff = value - prev
            delta_text = _delta(diff, d.unit, lang)
            flat = float(delta_text.split()[0]) == 0  # a change that rounds to nothing is no change
            if flat:
                delta_text = "±" + delta_text.lstrip("+-")
            good = None if flat else (diff > 0) == d.higher_is_better
        terms = result.terms if result else evaluation.contract.terms_on(period.start or date.today())
        target = terms.target(kpi)
        beside = target.value if target else None
        if filtered:
            # a custom range with no filter is pooled, not filtered: say which, neither is a verdict
            status = "filtered" if active(filters) else "pooled"
            sentence = _filtered_sentence(
                kpi, value, row, lang, pooled=status == "pooled", beside=beside, d=d
            )
        elif verdict is None:  # a month or quarter the evaluation does not hold: nothing to judge
            status, sentence = "no_data", ""
        else:
            status = verdict.status
            sentence = verdict.explanation(lang)
        out.append(
            Tile(
                kpi=kpi,
                label=d.label(lang),
                value=value,
                value_text=fmt_value(value, d.unit, lang, beside=beside),
                target_text=target_text(target, d.unit, lang)
                if target
                else ("未设目标" if lang == "zh" else "no target"),
                has_target=target is not None,
                status=status,
                sentence=sentence,
                delta_text=delta_text,
                delta_good=good,
                numerator=_num(row.get("numerator")) if row else None,
                denominator=_num(row.get("denominator")) if row else None,
                page=_SOURCE_PAGE[d.source],
            )
        )
    return out


def _filtered_sentence(
    kpi: str,
    value: float | None,
    row: Row,
    lang: str,
    *,
    pooled: bool = False,
    beside: float | Decimal | None = None,
    d: KpiDef | None = None,
) -> str:
    d = d or KPIS[kpi]
    if value is None:
        if pooled:
            return (
                "该区间无数据——非合同评判。"
                if lang == "zh"
                else "No data in the range — not a contract verdict."
            )
        return (
            "筛选后无数据——非合同评判。"
            if lang == "zh"
            else "No data in the filtered selection — not a contract verdict."
        )
    num, den = _num(row.get("numerator")), _num(row.get("denominator"))
    counts = f" ({num:,.0f}/{den:,.0f})" if num is not None and den is not None and d.unit == "rate" else ""
    if (
        kpi == "availability" and num is not None and den is not None
    ):  # seconds up / in the span: say minutes down
        down = fmt_value((den - num) / 60, "minutes", lang)
        counts = f"（计划外停机 {down}）" if lang == "zh" else f" ({down} of unplanned downtime)"
    how_zh, how_en = ("区间合并计算", "pooled over the range") if pooled else ("已筛选", "filtered")
    shown = fmt_value(value, d.unit, lang, beside=beside)
    if lang == "zh":
        return f"{shown}{counts}，{how_zh}——非合同评判。"
    return f"{shown}{counts}, {how_en} — not a contract verdict."


ATTENTION = ("missed", "no_data")  # the verdicts a reader must see first, in this order


@dataclass
class Attention:
    """What needs attention in the period, for the top of the Overview (the contract's verdicts,
    whatever the filters: penalties and obligations always use whole months)."""

    kpis: list[str]  # missed KPIs, then judged KPIs without data, in the contract's order
    at_risk: int  # open tickets of the period that used ≥ 80% of a target (breached ones included)
    overdue: pd.DataFrame  # open obligations past their due date, by the data's as-of or by today
    penalties: pd.DataFrame  # month, kind, what, amount: every penalty item of the period

    @property
    def empty(self) -> bool:
        return not (self.kpis or self.at_risk or len(self.overdue) or len(self.penalties))


@dataclass
class OverviewView:
    title: str
    tiles: list[Tile]
    counts: dict[str, int]
    penalty_text: str
    penalty_note: str
    penalty_provisional: bool
    obligations: pd.DataFrame
    filtered: bool
    final: bool | None
    attention: Attention
    warnings: list[str] = field(default_factory=list)

    def ordered(self) -> tuple[list[Tile], list[Tile]]:
        """(tiles needing attention, the rest): the missed and no-data KPIs first."""
        first = [t for k in self.attention.kpis for t in self.tiles if t.kpi == k]
        return first, [t for t in self.tiles if t.kpi not in self.attention.kpis]


def overview(
    evaluation: Evaluation,
    data: Dataset,
    period: Period,
    filters: Filters | None,
    lang: str,
    today: date | None = None,
) -> OverviewView:
    """`today`: the user's date, for obligations overdue today though not at the data's as-of."""
    tile_list = tiles(evaluation, data, period, filters, lang)
    counts: dict[str, int] = {}
    for tile in tile_list:
        counts[tile.status] = counts.get(tile.status, 0) + 1
    result = _result(evaluation, period)
    currency = evaluation.contract.base.contract.currency
    if result is not None:
        p = result.penalty
        text = fmt_money(p.amount, currency, lang)
        note = _penalty_note(p.uncapped_amount, p.capped, p.cap_total, currency, len(p.items), lang)
        provisional, final = p.provisional, result.final
        months = {
            month_label(k_label, lang) for k_label in ([result.label] if period.kind == "month" else [])
        }
        del months
    else:
        months_in = _months_in_range(evaluation, period)
        amount = sum((m.penalty.amount for m in evaluation.months if m.label in months_in), start=0)
        text = fmt_money(amount, currency, lang)
        note = (
            "自定义区间：合计所含整月的罚金"
            if lang == "zh"
            else "custom range: sum of the whole months it touches"
        )
        provisional = any(m.penalty.provisional for m in evaluation.months if m.label in months_in)
        final = None
    return OverviewView(
        title=period.title(lang),
        tiles=tile_list,
        counts=counts,
        penalty_text=text,
        penalty_note=note,
        penalty_provisional=provisional,
        obligations=obligations_table(evaluation, lang, open_only=True, today=today),
        filtered=active(filters) or period.kind == "range",
        final=final,
        attention=attention(evaluation, period, filters, lang, today),
        warnings=[w.message(lang) for w in evaluation.warnings],
    )


def _penalty_note(
    uncapped: Decimal, capped: bool, cap_total: Decimal | None, currency: str, items: int, lang: str
) -> str:
    zh = lang == "zh"
    base = f"{items} 项扣款" if zh else f"{items} item{'s' if items != 1 else ''}"
    if not capped:
        return base
    if cap_total is None:  # a quarter: each month was capped on its own
        return (
            f"{base}，合计 {fmt_money(uncapped, currency, lang)}，部分月份已封顶"
            if zh
            else f"{base}, {fmt_money(uncapped, currency, lang)} before the monthly caps"
        )
    if zh:
        return f"{base}，合计 {fmt_money(uncapped, currency, lang)}，已按上限 {fmt_money(cap_total, currency, lang)} 封顶"
    return f"{base}, {fmt_money(uncapped, currency, lang)} before the cap of {fmt_money(cap_total, currency, lang)}"


def attention(
    evaluation: Evaluation, period: Period, filters: Filters | None, lang: str, today: date | None = None
) -> Attention:
    result = _result(evaluation, period)
    verdicts = {v.kpi: v.status for v in result.verdicts} if result else {}
    # a KPI without data matters when the contract judges it (one it only shows can wait)
    ids = evaluation.kpi_ids  # the built-in table, then the contract's own KPIs
    judged = {k for k in ids if result and result.terms.target(k) is not None}
    kpis = [k for status in ATTENTION for k in ids if verdicts.get(k) == status and k in judged]
    tickets = period_tickets(evaluation, period, filters)
    obligations = obligations_table(evaluation, lang, open_only=True, today=today)
    late = obligations["status_code"] == "overdue"
    if "status_today_code" in obligations.columns:
        late |= obligations["status_today_code"] == "overdue"
    return Attention(
        kpis=kpis,
        at_risk=len(at_risk(evaluation, tickets, lang)),
        overdue=obligations.loc[late].reset_index(drop=True),
        penalties=penalty_list(evaluation, period, lang),
    )


def penalty_list(evaluation: Evaluation, period: Period, lang: str) -> pd.DataFrame:
    """Every penalty item of the period's months: month, kind, what (ticket or KPI, and which target),
    amount (each item's full value; the cap applies to their sum)."""
    zh = lang == "zh"
    kinds = {
        "breached_ticket": "超时工单" if zh else "breached ticket",
        "missed_kpi": "未达标指标" if zh else "missed KPI",
    }
    targets = {
        "response": "首次响应" if zh else "response",
        "resolution": "解决" if zh else "resolution",
        "workaround": "临时解决" if zh else "workaround",
    }
    rows = []
    for label in period_months(evaluation, period):
        month = evaluation.month(label)
        for item in month.penalty.items if month else ():
            if item.kind == "missed_kpi":
                d = evaluation.find_definition(item.ref)
                what = d.label(lang) if d else item.ref
            else:
                target = targets.get(item.target or "", "")
                why = " · ".join(x for x in (target, item.priority or "") if x)
                what = f"{item.ref}（{why}）" if zh and why else (f"{item.ref} ({why})" if why else item.ref)
            rows.append(
                {
                    "month": month_label(label, lang),
                    "kind": kinds.get(item.kind, item.kind),
                    "what": what,
                    "amount": float(item.amount),
                }
            )
    return pd.DataFrame(rows, columns=["month", "kind", "what", "amount"])
