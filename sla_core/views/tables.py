"""Tables several screens show: obligations, improvement actions, penalties, the KPI × month status matrix."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from sla_core.evaluate import Evaluation, PeriodResult
from sla_core.i18n import (
    KPIS,
    action_status_label,
    fmt_value,
    label_with_unit,
    link_label,
    month_label,
    months_label,
    obligation_kind_label,
    owner_label,
    status_label,
    value_digits,
)
from sla_core.verdicts import target_text

if TYPE_CHECKING:
    from sla_core.store import Action


def obligations_table(
    evaluation: Evaluation, lang: str, *, open_only: bool = False, today: date | None = None
) -> pd.DataFrame:
    """One row per obligation. Days are counted to the due date from the data's as-of ("days_left");
    with `today` on another day (the data is older than today), also from today ("days_left_today"),
    and `status_today_code` says whether it is overdue today (an open report due on the 5th is 28 days
    late on 3 December however old the data)."""
    as_of = datetime.fromtimestamp(evaluation.as_of, evaluation.contract.zone).date()
    both = today is not None and today != as_of
    rows = []
    for o in evaluation.obligations:
        if open_only and o.status == "done":
            continue
        kpi_names = ", ".join(
            d.label(lang) for k in (o.kpi or "").split(",") if (d := evaluation.find_definition(k))
        )
        done = o.status == "done"
        row = {
            "id": o.id,
            "kind": obligation_kind_label(o.kind, lang),
            "kpi": kpi_names,
            "months": months_label(o.months, lang),
            "owner": owner_label(o.owner, lang),
            "due": o.due,
            # done: nothing is left (text, since a table shows a missing number as "None")
            "days_left": "" if done else days_left_text((o.due - as_of).days, lang),
            "status": status_label(o.status, lang),
            "status_code": o.status,
            "linked_action": o.linked_action or "",
        }
        if today is not None and both:
            row["days_left_today"] = "" if done else days_left_text((o.due - today).days, lang)
            row["status_today_code"] = "overdue" if not done and o.due < today else o.status
        rows.append(row)
    columns = ["id", "kind", "kpi", "months", "owner", "due", "days_left"]
    columns += ["days_left_today"] if both else []
    columns += ["status", "status_code", *(["status_today_code"] if both else []), "linked_action"]
    return pd.DataFrame(rows, columns=columns)


def days_left_text(days: int, lang: str) -> str:
    """'12 天' / '12 days', or past the due date '逾期 140 天' / '140 days overdue' (not '-140')."""
    if days >= 0:
        return f"{days:d} 天" if lang == "zh" else f"{days:d} day{'s' if days != 1 else ''}"
    if lang == "zh":
        return f"逾期 {-days:d} 天"
    return f"{-days:d} day{'s' if days != -1 else ''} overdue"


def status_matrix(
    evaluation: Evaluation, lang: str, months: list[str] | None = None, quarter: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, statuses): KPI rows × period columns; values formatted, statuses for colouring."""
    chosen = [m for m in evaluation.months if months is None or m.label in months]
    periods: list[PeriodResult] = list(chosen)
    whole = evaluation.quarter(quarter) if quarter else None
    if whole:
        periods = [whole, *chosen]
    labels = _column_labels([p.label for p in periods], lang)
    # a duration row names its unit once (计划外停机（分钟）) and its cells hold numbers: a cell mixing
    # digits and CJK is drawn by the grid in the CJK fallback font, larger than its neighbours
    defs = {k: evaluation.definition(k) for k in evaluation.kpi_ids}  # built-in, then the contract's own
    rows = {k: label_with_unit(k, lang, d) for k, d in defs.items()}
    values = pd.DataFrame(index=list(rows.values()), columns=labels, dtype=object)
    statuses = pd.DataFrame(index=values.index, columns=labels, dtype=object)
    for k, d in defs.items():
        cells = [(p.verdict(k), p.terms.target(k)) for p in periods]
        # one number of decimals per row: the most any of its cells needs (88.10% beside 80.97%, not 88.1%)
        digits = max(
            (
                value_digits(float(v.value), d.unit, t.value if t else None)
                for v, t in cells
                if v.value is not None
            ),
            default=None,
        )
        for (v, _), col in zip(cells, labels, strict=True):
            values.loc[rows[k], col] = fmt_value(v.value, d.unit, lang, digits=digits, bare=True)
            statuses.loc[rows[k], col] = v.status
    targets = []
    last = periods[-1] if periods else None
    for k, d in defs.items():
        t = last.terms.target(k) if last else None
        targets.append(target_text(t, d.unit, lang, bare=True) if t else "—")
    values.insert(0, "目标" if lang == "zh" else "Target", targets)
    statuses.insert(0, "目标" if lang == "zh" else "Target", "")
    return values, statuses


def _column_labels(periods: list[str], lang: str) -> list[str]:
    """Month columns as a calendar writes them: the year on the first month and on each January
    (2026年1月, 2月, 3月…), so a year of months fits the page; full names when short ones would repeat."""
    labels = []
    for i, label in enumerate(periods):
        month_only = "Q" not in label and i > 0 and "Q" not in periods[i - 1] and not label.endswith("-01")
        labels.append(month_label(label, lang, short=month_only))
    if len(set(labels)) < len(labels):
        return [month_label(label, lang) for label in periods]
    return labels


def penalties_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    zh = lang == "zh"
    rows = []
    for m in evaluation.months:
        p = m.penalty
        rows.append(
            {
                "month": month_label(m.label, lang),
                "items": len(p.items),
                "uncapped": float(p.uncapped_amount),
                "cap": None if p.cap_amount is None else float(p.cap_amount),
                "amount": float(p.amount),
                "capped": ("已封顶" if zh else "capped") if p.capped else "",
                "state": ("已结账" if zh else "closed")
                if m.closed
                else (("暂定" if zh else "provisional") if p.provisional else ("已结" if zh else "final")),
            }
        )
    return pd.DataFrame(rows, columns=["month", "items", "uncapped", "cap", "amount", "capped", "state"])


def actions_table(actions: list[Action], lang: str) -> pd.DataFrame:
    rows = [
        {
            "id": a.action_id,
            "link": link_label(a.link_kind, a.link_ref, lang),
            "kpi": KPIS[a.kpi].label(lang) if a.kpi in KPIS else (a.kpi or ""),
            "months": months_label(a.months, lang),
            "cause": a.cause,
            "measure": a.measure,
            "owner": a.owner,
            "due": a.due,
            "status": action_status_label(a.status, lang),
            "updated": a.updated_at.replace(tzinfo=None) if a.updated_at else None,
        }
        for a in actions
    ]
    return pd.DataFrame(
        rows, columns=["id", "link", "kpi", "months", "cause", "measure", "owner", "due", "status", "updated"]
    )
