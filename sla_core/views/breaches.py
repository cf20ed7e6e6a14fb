"""The Breaches & actions screen: a period's penalty items, the misses actions answer, month closes and
what changed since, the provider's reported values reconciled with the computed ones."""

from __future__ import annotations

import pandas as pd

from sla_core.evaluate import Evaluation
from sla_core.i18n import fmt_money, fmt_value, month_label, status_label
from sla_core.views.common import _delta


def penalty_items(evaluation: Evaluation, label: str, lang: str) -> pd.DataFrame:
    result = evaluation.period(label)
    zh = lang == "zh"
    if result is None:
        return pd.DataFrame(columns=["kind", "ref", "target", "amount"])
    kinds = {
        "breached_ticket": "超时工单" if zh else "breached ticket",
        "missed_kpi": "未达标指标" if zh else "missed KPI",
    }
    targets = {
        "response": "首次响应" if zh else "response",
        "workaround": "临时解决" if zh else "workaround",
        "resolution": "解决" if zh else "resolution",
    }
    rows = [
        {
            "kind": kinds.get(i.kind, i.kind),
            "ref": d.label(lang)
            if i.kind == "missed_kpi" and (d := evaluation.find_definition(i.ref))
            else i.ref,
            "target": targets.get(i.target or "", ""),
            "amount": float(i.amount),
        }
        for i in result.penalty.items
    ]
    return pd.DataFrame(rows, columns=["kind", "ref", "target", "amount"])


def misses(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(month, kpi) of every judged miss, for linking improvement actions."""
    return [(m.label, v.kpi) for m in evaluation.months for v in m.verdicts if v.status == "missed"]


def closed_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = []
    for month, diffs in evaluation.closed_differences.items():
        if not diffs:
            rows.append(
                {
                    "month": month_label(month, lang),
                    "item": "—",
                    "settled": "",
                    "now": "",
                    "note": "与当前数据一致" if zh else "matches the data as stored now",
                }
            )
        for d in diffs:
            item = str(d["item"])
            found = evaluation.find_definition(item)
            unit = found.unit if found else None
            fmt = (
                (lambda x, u=unit: fmt_value(x, u, lang))
                if unit
                else (
                    lambda x: (
                        fmt_money(x, evaluation.contract.base.contract.currency, lang)
                        if x is not None
                        else "—"
                    )
                )
            )
            rows.append(
                {
                    "month": month_label(month, lang),
                    "item": found.label(lang) if found else ("罚金" if zh else "penalty"),
                    "settled": fmt(d["settled"]),
                    "now": fmt(d["now"]),
                    "note": (
                        f"{status_label(str(d['settled_status']), lang)} → {status_label(str(d['now_status']), lang)}"
                        if d["settled_status"]
                        else ""
                    ),
                }
            )
    return pd.DataFrame(rows, columns=["month", "item", "settled", "now", "note"])


def _difference(diff: float, unit: str, lang: str) -> str:
    """The provider's figure less ours in the KPI's units: '+0.31 pp' (rates to a hundredth of a
    point, as the pack shows them), '+2.0 min', '0' when they agree."""
    if diff == 0:
        return "0"
    if unit == "rate":
        return f"{diff * 100:+.2f} 个百分点" if lang == "zh" else f"{diff * 100:+.2f} pp"
    return _delta(diff, unit, lang)


def reconciliation_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    rec = evaluation.reconciliation
    rows = []
    for _, r in rec.iterrows():
        kpi = str(r["kpi"])
        found = evaluation.find_definition(kpi)
        unit = found.unit if found else "score"
        rows.append(
            {
                "month": month_label(str(r["month"]), lang),
                "kpi": found.label(lang) if found else kpi,
                "provider": fmt_value(r["provider_value"], unit, lang),
                "computed": fmt_value(
                    None if pd.isna(r["computed_value"]) else r["computed_value"], unit, lang
                ),
                "difference": ""
                if pd.isna(r["difference"])
                else _difference(float(r["difference"]), unit, lang),
                "flagged": bool(r["flagged"]),
            }
        )
    return pd.DataFrame(rows, columns=["month", "kpi", "provider", "computed", "difference", "flagged"])
