"""The Quarterly review screen: the quarter's values and verdicts beside the previous quarter, causes,
penalties."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sla_core.evaluate import Evaluation
from sla_core.i18n import fmt_money, fmt_value, month_label
from sla_core.periods import quarter_of
from sla_core.views.common import _delta
from sla_core.views.tables import penalties_table, status_matrix


def quarter_of_month(label: str) -> str:
    y, m = (int(x) for x in label.split("-"))
    return quarter_of(y * 12 + m - 1)


@dataclass
class QuarterView:
    label: str
    values: pd.DataFrame
    statuses: pd.DataFrame
    comparison: pd.DataFrame  # kpi, this quarter, previous quarter, change
    causes: dict[str, pd.Series]
    penalties: pd.DataFrame
    total_penalty: str
    counts: dict[str, int]


def quarter_view(evaluation: Evaluation, quarter: str, lang: str) -> QuarterView | None:
    q = evaluation.quarter(quarter)
    if q is None:
        return None
    months = [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in q.keys]
    values, statuses = status_matrix(evaluation, lang, months=months, quarter=quarter)
    labels = [x.label for x in evaluation.quarters]
    prev = evaluation.quarter(labels[labels.index(quarter) - 1]) if labels.index(quarter) > 0 else None
    rows = []
    for k in evaluation.kpi_ids:
        d = evaluation.definition(k)
        now, before = q.verdict(k).value, prev.verdict(k).value if prev else None
        rows.append(
            {
                "kpi": d.label(lang),
                "now": fmt_value(now, d.unit, lang),
                "status": q.verdict(k).status,
                "previous": fmt_value(before, d.unit, lang),
                "change": _delta(now - before, d.unit, lang)
                if now is not None and before is not None
                else "",
            }
        )
    tickets = evaluation.tickets
    in_q = tickets.loc[tickets["month"].isin(months)] if not tickets.empty else tickets
    breached = (
        in_q.loc[(in_q["response_status"] == "breached") | (in_q["resolution_status"] == "breached")]
        if not in_q.empty
        else in_q
    )
    causes = {
        dim: breached[dim].fillna("").value_counts().head(8)
        if not breached.empty
        else pd.Series(dtype="int64")
        for dim in ("category", "team", "priority")
    }
    missed_kpis = pd.Series(
        [
            evaluation.definition(v.kpi).label(lang)
            for m in evaluation.months
            if m.label in months
            for v in m.verdicts
            if v.status == "missed"
        ],
        dtype="object",
    ).value_counts()
    causes["missed_kpis"] = missed_kpis
    pens = penalties_table(evaluation, lang)
    pens = pens.loc[pens["month"].isin([month_label(m, lang) for m in months])]
    counts: dict[str, int] = {}
    for v in q.verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    return QuarterView(
        label=quarter,
        values=values,
        statuses=statuses,
        comparison=pd.DataFrame(rows),
        causes=causes,
        penalties=pens,
        total_penalty=fmt_money(q.penalty.amount, evaluation.contract.base.contract.currency, lang),
        counts=counts,
    )
