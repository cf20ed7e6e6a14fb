"""What an evaluation gives: each month's and quarter's verdicts and penalty (`PeriodResult`), the
whole `Evaluation`, its JSON (evaluate.schema.json), and a closed month as settled beside what the data
would change now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict

import pandas as pd

from sla_core import custom_kpis
from sla_core.availability import OutageFacts
from sla_core.consequences import Obligation, Penalty, PenaltyItem
from sla_core.contract import Contract, Target, Terms
from sla_core.i18n import KpiDef
from sla_core.problems import Issue
from sla_core.verdicts import Verdict


class Difference(TypedDict):
    """One figure of a closed month that recomputing from the data as stored now would change."""

    item: str  # a KPI id, or "penalty"
    settled: float | None
    now: float | None
    settled_status: str  # "" for the penalty
    now_status: str


@dataclass
class PeriodResult:
    label: str  # 2026-03 or 2026Q1
    keys: tuple[int, ...]
    terms: Terms
    final: bool
    judged: bool
    verdicts: list[Verdict]
    penalty: Penalty
    closed: bool = False  # settled with the provider: verdicts and penalty are the frozen ones

    def verdict(self, kpi: str) -> Verdict:
        return next(v for v in self.verdicts if v.kpi == kpi)

    def to_json(self) -> dict[str, object]:
        return {
            "month": self.label,
            "contract_version": self.terms.effective_from.isoformat(),
            "final": self.final,
            "kpis": [_verdict_json(v) for v in self.verdicts],
            "penalty": self.penalty.to_json(),
        }


def _number(x: float | None) -> float | int | None:
    """Counts as integers in the JSON; sums (minutes, scores) stay as they are."""
    return int(x) if x is not None and float(x).is_integer() else x


def _verdict_json(v: Verdict) -> dict[str, object]:
    return {
        "id": v.kpi,
        "value": v.value,
        "target": None
        if v.target is None
        else {"op": v.target.op, "value": float(v.target.value), "text": v.target.text},
        "status": v.status,
        "numerator": _number(v.numerator),
        "denominator": _number(v.denominator),
        "explanation": {"zh": v.zh, "en": v.en},
    }


@dataclass
class Evaluation:
    contract: Contract
    as_of: float
    months: list[PeriodResult]
    quarters: list[PeriodResult]
    obligations: list[Obligation]
    tickets: pd.DataFrame  # per-ticket outcomes (see outcomes.py) with `month`
    responses: pd.DataFrame  # survey responses with flags
    outages: OutageFacts
    values: pd.DataFrame  # period, dimension, member, kpi, value, numerator, denominator, no_data
    distributions: pd.DataFrame  # period, priority, response/resolution count, median, p90
    reconciliation: pd.DataFrame  # month, kpi, provider_value, computed_value, difference, flagged
    warnings: list[Issue] = field(default_factory=list)
    # ticket × contract ticket-share KPI: status, seconds, within (custom_kpis.SHARE_COLUMNS)
    shares: pd.DataFrame = field(default_factory=custom_kpis.empty_shares)
    unpublished_years: frozenset[int] = frozenset()
    # closed month → what recomputing it from the data as stored now would change (empty: nothing)
    closed_differences: dict[str, list[Difference]] = field(default_factory=dict)
    # period label → KPI → why it has no source in that period (None: it has one)
    presence: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @property
    def as_of_iso(self) -> str:
        return datetime.fromtimestamp(self.as_of, self.contract.zone).isoformat()

    def month(self, label: str) -> PeriodResult | None:
        return next((m for m in self.months if m.label == label), None)

    @property
    def kpi_ids(self) -> tuple[str, ...]:
        """Every KPI of this contract's table, in order (built-in, then the contract's own)."""
        return self.contract.kpi_ids

    def definition(self, kpi: str) -> KpiDef:
        """Labels, unit and direction of any KPI of the table (a contract KPI included)."""
        return custom_kpis.definition(self.contract, kpi)

    def find_definition(self, kpi: str) -> KpiDef | None:
        """definition(kpi), or None for an id that is not a KPI of the contract ("penalty", a typo)."""
        try:
            return self.definition(kpi)
        except KeyError:
            return None

    def quarter(self, label: str) -> PeriodResult | None:
        return next((q for q in self.quarters if q.label == label), None)

    def period(self, label: str) -> PeriodResult | None:
        return self.quarter(label) if "Q" in label else self.month(label)

    def to_json(
        self, *, months: Iterable[str] | None = None, quarters: Iterable[str] | None = None
    ) -> dict[str, Any]:
        wanted = set(months) if months is not None else None
        chosen = [m for m in self.months if wanted is None or m.label in wanted]
        labels = {m.label for m in chosen}
        doc: dict[str, object] = {
            "contract": self.contract.id,
            "as_of": self.as_of_iso,
            "months": [m.to_json() for m in chosen],
            "obligations": [o.to_json() for o in self.obligations if labels & set(o.months)],
            "issues": [],
            "warnings": [w.to_json() for w in self.warnings],
        }
        if quarters is not None:
            doc["quarters"] = [q.to_json() for q in self.quarters if q.label in set(quarters)]
        return doc


def frozen_result(current: PeriodResult, settled: Mapping[str, Any]) -> PeriodResult:
    # `settled` is the month's JSON as stored when it was closed (PeriodResult.to_json())
    """The month as settled: its verdicts and penalty from the snapshot taken when it was closed."""
    verdicts = []
    for d in settled.get("kpis", []):
        t = d.get("target")
        target = None
        if t:
            target = Target(
                op=t["op"], value=Decimal(str(t["value"])), text=t["text"], percent="%" in t["text"]
            )
        verdicts.append(
            Verdict(
                d["id"],
                d["value"],
                target,
                d["status"],
                d["numerator"],
                d["denominator"],
                d["explanation"]["zh"],
                d["explanation"]["en"],
            )
        )
    p = settled["penalty"]
    items = tuple(
        PenaltyItem(i["kind"], i["ref"], Decimal(str(i["amount"])), i.get("target")) for i in p["items"]
    )
    penalty = Penalty(
        amount=Decimal(str(p["amount"])),
        uncapped_amount=Decimal(str(p["uncapped_amount"])),
        cap_amount=None if p["cap_amount"] is None else Decimal(str(p["cap_amount"])),
        share_of_fee=float(p["share_of_fee"]),
        capped=bool(p["capped"]),
        provisional=False,
        items=items,
    )
    known = {v.kpi for v in verdicts}
    verdicts += [v for v in current.verdicts if v.kpi not in known]
    order = {v.kpi: i for i, v in enumerate(current.verdicts)}  # the contract's table order
    verdicts.sort(key=lambda v: order.get(v.kpi, len(order)))
    return PeriodResult(
        current.label, current.keys, current.terms, True, current.judged, verdicts, penalty, closed=True
    )


def settled_differences(kept: PeriodResult, now: PeriodResult, now_penalty: Penalty) -> list[Difference]:
    """What recomputing a closed month would change: KPI values and statuses, and the penalty."""
    out: list[Difference] = []
    for v in kept.verdicts:
        c = now.verdict(v.kpi)
        same_value = (v.value is None and c.value is None) or (
            v.value is not None and c.value is not None and abs(float(v.value) - float(c.value)) <= 1e-12
        )
        if not same_value or v.status != c.status:
            out.append(
                {
                    "item": v.kpi,
                    "settled": v.value,
                    "now": c.value,
                    "settled_status": v.status,
                    "now_status": c.status,
                }
            )
    if kept.penalty.amount != now_penalty.amount:
        out.append(
            {
                "item": "penalty",
                "settled": float(kept.penalty.amount),
                "now": float(now_penalty.amount),
                "settled_status": "",
                "now_status": "",
            }
        )
    return out


def keep_settled(
    months: list[PeriodResult],
    keys: list[int],
    frozen: Mapping[str, Mapping[str, Any]],
    current_penalties: Mapping[int, Penalty],
) -> tuple[dict[str, list[Difference]], dict[int, Penalty]]:
    """Closed months as settled: each replaced in `months` by its frozen result. Returns what recomputing
    each would change and their settled penalties (by month key), which the penalties keep."""
    differences: dict[str, list[Difference]] = {}
    fixed: dict[int, Penalty] = {}
    for i, (key, month) in enumerate(zip(keys, months, strict=True)):
        settled = frozen.get(month.label)
        if settled is None:
            continue
        kept = frozen_result(month, settled)
        differences[month.label] = settled_differences(kept, month, current_penalties[key])
        months[i] = kept
        fixed[key] = kept.penalty
    return differences, fixed
