"""What verdicts cost and oblige: penalties with their cap, improvement plans, investigations, reports.

Penalties (spec "Consequences"): an item per breached ticket (by target, optionally by priority, a
percentage of the monthly fee or a fixed amount) and per missed KPI; both apply. Items keep their full
value; amount = min(sum of items, what the cap leaves in its period); money rounds half-up to 0.01.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from sla_core.contract import Contract, FixedAmount, Terms
from sla_core.periods import month_first_day, month_label, month_last_day
from sla_core.periods import month_key as month_key_of

CENT = Decimal("0.01")


def money(x: Decimal | float | int) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PenaltyItem:
    kind: str  # breached_ticket | missed_kpi
    ref: str  # ticket id or KPI id
    amount: Decimal
    target: str | None = None  # response | resolution, for tickets
    priority: str | None = None


@dataclass(frozen=True)
class Penalty:
    amount: Decimal
    uncapped_amount: Decimal
    cap_amount: Decimal | None  # what the cap leaves for this period
    share_of_fee: float
    capped: bool
    provisional: bool
    items: tuple[PenaltyItem, ...] = ()
    cap_total: Decimal | None = None  # the whole cap of the cap period
    cap_period: str = "month"

    def to_json(self) -> dict[str, object]:
        return {
            "amount": float(self.amount),
            "uncapped_amount": float(self.uncapped_amount),
            "cap_amount": None if self.cap_amount is None else float(self.cap_amount),
            "share_of_fee": self.share_of_fee,
            "capped": self.capped,
            "provisional": self.provisional,
            "items": [
                {"kind": i.kind, "ref": i.ref, "amount": float(i.amount)}
                | ({"target": i.target} if i.target else {})
                for i in self.items
            ],
        }


def rate_amount(rate: Decimal | FixedAmount, fee: Decimal) -> Decimal:
    if isinstance(rate, FixedAmount):
        return money(rate.amount)
    return money(fee * rate / 100)


def _ticket_items(terms: Terms, breached: pd.DataFrame) -> list[PenaltyItem]:
    """breached: ticket_id, priority, target ('response'/'resolution') rows of one month."""
    fee = terms.contract.monthly_fee
    items: list[PenaltyItem] = []
    for target, rule in terms.penalties.per_breached_ticket.items():
        rows = breached.loc[breached["target"] == target]
        if rows.empty:
            continue
        if isinstance(rule, dict):
            per_priority = {pid: rate_amount(r, fee) for pid, r in rule.items()}
            amounts = rows["priority"].map(per_priority)
        else:
            amounts = pd.Series(rate_amount(rule, fee), index=rows.index)
        for tid, pid, amount in zip(rows["ticket_id"], rows["priority"], amounts, strict=True):
            if isinstance(amount, Decimal) and amount > 0:
                items.append(PenaltyItem("breached_ticket", str(tid), amount, target, str(pid)))
    return items


def _kpi_items(terms: Terms, missed: list[str]) -> list[PenaltyItem]:
    rule = terms.penalties.per_missed_kpi
    if rule is None:
        return []
    fee = terms.contract.monthly_fee
    items = []
    for kpi in missed:
        rate = rule.get(kpi) if isinstance(rule, dict) else rule
        if rate is not None and (amount := rate_amount(rate, fee)) > 0:
            items.append(PenaltyItem("missed_kpi", kpi, amount))
    return items


def _cap_window(contract: Contract, key: int, period: str) -> tuple[int, int]:
    """(first month key of the cap period containing `key`, the months its cap covers at `key`).

    The first element identifies the period (what is already charged in it); the second sizes its cap:
    12 for a contract year, the whole term for a contract with an end, and the months so far (from the
    start up to `key`) for a contract without one — the same period, a cap that grows each month.
    """
    start = contract.base.contract.effective_from
    start_key = start.year * 12 + start.month - 1
    if period == "month":
        return key, 1
    if period == "contract_year":
        first = start_key + (key - start_key) // 12 * 12
        return first, 12
    end = contract.base.contract.effective_to
    months = (end.year * 12 + end.month - start_key) if end else (key - start_key + 1)
    return start_key, max(months, 1)


def month_penalties(
    contract: Contract,
    keys: list[int],
    breached: pd.DataFrame,
    missed: dict[int, list[str]],
    final: dict[int, bool],
    judged: dict[int, bool],
    fixed: dict[int, Penalty] | None = None,
) -> dict[int, Penalty]:
    """Penalties of every month, in order, so a cap over several months knows what came before.

    fixed: months whose penalty is settled (closed months): kept as they are, and counted in the cap.
    """
    out: dict[int, Penalty] = {}
    charged: dict[int, Decimal] = {}  # cap period (its first month) → amount already charged
    by_month = dict(tuple(breached.groupby("month_key"))) if not breached.empty else {}
    for key in sorted(keys):
        terms = contract.terms_on(month_first_day(key))
        if fixed and key in fixed:
            out[key] = fixed[key]
            if terms.penalties.cap is not None:
                first, _months = _cap_window(contract, key, terms.penalties.cap_period)
                charged[first] = charged.get(first, Decimal(0)) + fixed[key].amount
            continue
        fee = terms.contract.monthly_fee
        items: list[PenaltyItem] = []
        if judged.get(key, True):
            rows = by_month.get(key)
            if rows is not None:
                items += _ticket_items(terms, rows)
            items += _kpi_items(terms, missed.get(key, []))
        uncapped = sum((i.amount for i in items), Decimal(0))
        cap_pct = terms.penalties.cap
        if cap_pct is None:
            amount, cap_left, cap_total = uncapped, None, None
        else:
            first, months = _cap_window(contract, key, terms.penalties.cap_period)
            cap_total = money(fee * cap_pct / 100 * months)
            cap_left = max(cap_total - charged.get(first, Decimal(0)), Decimal(0))
            amount = min(uncapped, cap_left)
            charged[first] = charged.get(first, Decimal(0)) + amount
        amount = money(amount)
        out[key] = Penalty(
            amount=amount,
            uncapped_amount=money(uncapped),
            cap_amount=cap_left,
            share_of_fee=float(amount / fee) if fee else 0.0,
            capped=amount < uncapped,
            provisional=not final.get(key, False),
            items=tuple(items),
            cap_total=cap_total,
            cap_period=terms.penalties.cap_period,
        )
    return out


def pooled_penalty(parts: list[Penalty], fee: Decimal) -> Penalty:
    """A quarter's penalty: the sum of its months (each already capped)."""
    amount = money(sum((p.amount for p in parts), Decimal(0)))
    return Penalty(
        amount=amount,
        uncapped_amount=money(sum((p.uncapped_amount for p in parts), Decimal(0))),
        cap_amount=None,
        share_of_fee=float(amount / (fee * len(parts))) if fee and parts else 0.0,
        capped=any(p.capped for p in parts),
        provisional=any(p.provisional for p in parts) or not parts,
        items=tuple(i for p in parts for i in p.items),
    )


# ---------------------------------------------------------------- obligations


# The JSON's obligation kinds (evaluate.schema.json) and the doc 002 terms each belongs to: the provider's
# evaluation and results are reports it owes; the client's objection window, a major complaint's
# investigation, its findings and the remedies are steps of doc 002 §4.1's investigation procedure.
SCHEMA_KIND = {
    "satisfaction_evaluation": "provider_report",
    "satisfaction_results": "provider_report",
    "satisfaction_objection": "satisfaction_investigation",
    "major_complaint_investigation": "satisfaction_investigation",
    "major_complaint_findings": "satisfaction_findings",
    "remedy": "satisfaction_findings",
}


@dataclass(frozen=True)
class Obligation:
    id: str
    # improvement_plan | satisfaction_investigation | satisfaction_findings | provider_report, and doc 002's
    # satisfaction_evaluation | satisfaction_results | satisfaction_objection | major_complaint_investigation
    # | major_complaint_findings | remedy
    kind: str
    kpi: str | None
    months: tuple[str, ...]
    due: date
    status: str  # open | overdue | done
    linked_action: str | None = None
    owner: str = "provider"  # who owes it: provider (乙方) or client (甲方)
    ticket: str | None = None  # the ticket that raised it (a major complaint)

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "id": self.id,
            "kind": SCHEMA_KIND.get(self.kind, self.kind),
            "term": self.kind,
            "owner": self.owner,
            "kpi": self.kpi,
            "months": list(self.months),
            "due": self.due.isoformat(),
            "status": self.status,
            "linked_action": self.linked_action,
        }
        if self.ticket is not None:
            doc["ticket"] = self.ticket
        return doc


@dataclass
class ObligationContext:
    as_of_day: date
    working_days_after: Callable[[int, date, int], date]  # (contract version index, day, n) → day
    done: dict[str, str] = field(default_factory=dict)  # obligation id → linked action id (done)
    linked: dict[str, str] = field(default_factory=dict)  # obligation id → linked action id (any status)
    reported_months: frozenset[int] = frozenset()  # months the provider reported figures for
    surveyed_months: frozenset[int] = frozenset()  # months with survey responses (the evaluation's data)
    is_working_day: object = None  # callable(version, date) -> bool


def _status(oid: str, due: date, ctx: ObligationContext) -> tuple[str, str | None]:
    if oid in ctx.done:
        return "done", ctx.done[oid]
    return ("overdue" if ctx.as_of_day > due else "open"), ctx.linked.get(oid)


def improvement_plans(
    contract: Contract, statuses: Mapping[str, Mapping[int, str]], ctx: ObligationContext
) -> list[Obligation]:
    """A streak of N judged `missed` months raises a plan, again at 2N, 3N…; no_data/unjudged break it."""
    out = []
    for kpi, by_month in statuses.items():
        streak: list[int] = []
        for key in sorted(by_month):
            status = by_month[key]
            streak = [*streak, key] if status == "missed" else []
            terms = contract.terms_on(month_first_day(key))
            n = terms.obligations.improvement_plan_after_months
            if streak and len(streak) % n == 0:
                months = tuple(month_label(k) for k in streak[-n:])
                due = month_last_day(key) + timedelta(days=terms.obligations.improvement_plan_due_days)
                oid = f"improvement_plan:{kpi}:{month_label(key)}"
                status_text, action = _status(oid, due, ctx)
                out.append(Obligation(oid, "improvement_plan", kpi, months, due, status_text, action))
    return out


def satisfaction_obligations(
    contract: Contract, statuses: Mapping[str, Mapping[int, str]], ctx: ObligationContext
) -> list[Obligation]:
    """Either satisfaction KPI missed → one investigation (2nd working day) and findings (5th)."""
    out = []
    keys = sorted(
        {
            k
            for kpi in ("csat_mean", "csat_satisfied_share")
            for k, s in statuses.get(kpi, {}).items()
            if s == "missed"
        }
    )
    for key in keys:
        terms = contract.terms_on(month_first_day(key))
        version = contract.versions.index(terms)
        missed = [
            k for k in ("csat_mean", "csat_satisfied_share") if statuses.get(k, {}).get(key) == "missed"
        ]
        end = month_last_day(key)
        for kind, n in (
            ("satisfaction_investigation", terms.obligations.satisfaction_investigation_workdays),
            ("satisfaction_findings", terms.obligations.satisfaction_findings_workdays),
        ):
            due = ctx.working_days_after(version, end, n)
            oid = f"{kind}:{month_label(key)}"
            status_text, action = _status(oid, due, ctx)
            out.append(Obligation(oid, kind, ",".join(missed), (month_label(key),), due, status_text, action))
    return out


def _working_day_on_or_after(version: int, day: date, ctx: ObligationContext) -> date:
    """A deadline on a closed day moves to the next working day (民法典 第二百零三条: 期间的最后一日是法定
    休假日的，以法定休假日结束的次日为期间的最后一日)."""
    if ctx.is_working_day is None or ctx.is_working_day(version, day):  # type: ignore[operator]
        return day
    return ctx.working_days_after(version, day, 1)


def satisfaction_agreement(contract: Contract, keys: list[int], ctx: ObligationContext) -> list[Obligation]:
    """Doc 002 §3.1(3): each month's satisfaction evaluation within N working days after it ends and its
    results by day D of the next month (provider); §4.1: the client's objection window, N working days
    from the results. The evaluation and results are done when the month's survey responses arrived."""
    out = []
    for key in keys:
        terms = contract.terms_on(month_first_day(key))
        terms_ob = terms.obligations
        if not contract.judged(key // 12, key % 12 + 1):
            continue
        version = contract.versions.index(terms)
        label = month_label(key)
        arrived = key in ctx.surveyed_months
        results_due: date | None = None
        if terms_ob.satisfaction_evaluation_workdays:
            due = ctx.working_days_after(
                version, month_last_day(key), terms_ob.satisfaction_evaluation_workdays
            )
            out.append(_provider_step("satisfaction_evaluation", label, due, arrived, ctx))
        if terms_ob.satisfaction_results_day:
            day = month_first_day(key + 1).replace(day=terms_ob.satisfaction_results_day)
            results_due = _working_day_on_or_after(version, day, ctx)
            out.append(_provider_step("satisfaction_results", label, results_due, arrived, ctx))
        if terms_ob.objection_workdays and results_due is not None:
            due = ctx.working_days_after(version, results_due, terms_ob.objection_workdays)
            oid = f"satisfaction_objection:{label}"
            action: str | None
            if oid in ctx.done:
                status, action = "done", ctx.done[oid]
            else:  # the client's right: open while it runs, over once it has lapsed
                status, action = ("open" if ctx.as_of_day <= due else "done"), ctx.linked.get(oid)
            out.append(
                Obligation(oid, "satisfaction_objection", None, (label,), due, status, action, "client")
            )
    return out


def _provider_step(kind: str, label: str, due: date, arrived: bool, ctx: ObligationContext) -> Obligation:
    oid = f"{kind}:{label}"
    if arrived and oid not in ctx.done:
        return Obligation(oid, kind, None, (label,), due, "done", ctx.linked.get(oid))
    status, action = _status(oid, due, ctx)
    return Obligation(oid, kind, None, (label,), due, status, action)


def remedies(contract: Contract, findings: list[Obligation], ctx: ObligationContext) -> list[Obligation]:
    """Doc 002 §4.1(3): remedies within N working days of each investigation's findings."""
    out = []
    for f in findings:
        key = month_key_of(f.months[0])
        terms = contract.terms_on(month_first_day(key))
        n = terms.obligations.remedy_workdays
        if not n:
            continue
        due = ctx.working_days_after(contract.versions.index(terms), f.due, n)
        oid = "remedy:" + f.id.split(":", 1)[1]
        status, action = _status(oid, due, ctx)
        out.append(Obligation(oid, "remedy", f.kpi, f.months, due, status, action, ticket=f.ticket))
    return out


def major_complaints(
    contract: Contract, complaints: pd.DataFrame, ctx: ObligationContext
) -> list[Obligation]:
    """Doc 002 §4.1: a major complaint starts the investigation a low satisfaction does — investigation
    and findings due the contract's working days after the day it was made.
    complaints: ticket_id, month_key, version, day (local date it was created) of the matching tickets."""
    out = []
    for tid, key, version, day in complaints[["ticket_id", "month_key", "version", "day"]].itertuples(
        index=False
    ):
        terms = contract.versions[int(version)]
        label = month_label(int(key))
        for kind, n in (
            ("major_complaint_investigation", terms.obligations.satisfaction_investigation_workdays),
            ("major_complaint_findings", terms.obligations.satisfaction_findings_workdays),
        ):
            due = ctx.working_days_after(int(version), day, n)
            oid = f"{kind}:{tid}:{label}"
            status, action = _status(oid, due, ctx)
            out.append(Obligation(oid, kind, None, (label,), due, status, action, ticket=str(tid)))
    return out


def report_obligations(contract: Contract, keys: list[int], ctx: ObligationContext) -> list[Obligation]:
    """The provider's monthly report is due on the contract's day of the following month."""
    out = []
    for key in keys:
        terms = contract.terms_on(month_first_day(key))
        day = terms.obligations.provider_report_day
        if day is None or not contract.judged(key // 12, key % 12 + 1):
            continue
        due = month_first_day(key + 1).replace(day=day)
        oid = f"provider_report:{month_label(key)}"
        if key in ctx.reported_months and oid not in ctx.done:
            out.append(Obligation(oid, "provider_report", None, (month_label(key),), due, "done", None))
            continue
        status_text, action = _status(oid, due, ctx)
        out.append(Obligation(oid, "provider_report", None, (month_label(key),), due, status_text, action))
    return out
