"""The contract's own KPIs (spec "Rule (contract KPIs)"), counted and declared like the built-in ones.

- `ticket_share`: tickets matching `where` (like a conditional target's `when`) whose `milestone`
  (response, workaround or resolution, measured as for the built-in KPIs) met `within` on `clock` (the
  ticket's priority's clock when not given); value = met / (met + breached), pending and excluded
  tickets not counted. Doc 003: "在线客服服务…首次响应时间≤2分钟（人工）".
- `measure`: a value reported in the measures file under the KPI's id (or its label), a rate or a number;
  a quarter takes the mean of its months, as backup success does. Doc 003: "数据准确率".

A contract KPI is counted only in months whose terms declare it; in other months it is unjudged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sla_core.contract import Contract, CustomKpi
from sla_core.i18n import KPIS, KpiDef
from sla_core.i18n.formats import duration_text
from sla_core.kpis import Formula, _run
from sla_core.outcomes import Clocks, _elapsed, _status
from sla_core.targets import Matcher

SHARE_COLUMNS = (
    "ticket_id",
    "month_key",
    "kpi",
    "status",
    "seconds",
    "within",
    "priority",
    "team",
    "category",
    "channel",
    "customer",
)
# where each milestone ends on the per-ticket outcomes frame, and the built-in KPI whose source it shares
MILESTONE_END = {"response": "response_end", "workaround": "workaround_end", "resolution": "resolved_time"}
MILESTONE_SOURCE = {
    "response": "response_within_target",
    "workaround": "workaround_within_target",
    "resolution": "resolution_within_target",
}
_MILESTONE_WORDS = {
    "response": ("首次响应", "answered"),
    "workaround": ("临时解决", "worked around"),
    "resolution": ("解决", "resolved"),
}


def empty_shares() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in SHARE_COLUMNS})


def share_outcomes(contract: Contract, tickets: pd.DataFrame, clocks: Clocks, as_of: float) -> pd.DataFrame:
    """One row per (ticket, ticket-share KPI whose `where` it matches) with the milestone's status:
    met / breached / pending / excluded, the elapsed seconds and the KPI's `within`."""
    if tickets.empty or not any(k.kind == "ticket_share" for t in contract.versions for k in t.custom_kpis):
        return empty_shares()
    version = tickets["version"].to_numpy()
    created = tickets["created"].to_numpy(dtype="float64")
    parts = []
    for v, terms in enumerate(contract.versions):
        shares = [k for k in terms.custom_kpis if k.kind == "ticket_share"]
        idx = np.flatnonzero(version == v)
        if not shares or not idx.size:
            continue
        sub = tickets.iloc[idx]

        def in_hours(v: int = v, idx: np.ndarray = idx) -> np.ndarray:
            return clocks.calendar(v).in_working_time(created[idx])

        matcher = Matcher(sub, in_hours)
        for kpi in shares:
            rows = idx[matcher.mask(kpi.where, terms)]
            if rows.size:
                parts.append(_share_rows(kpi, tickets.iloc[rows], clocks, as_of))
    return pd.concat(parts, ignore_index=True) if parts else empty_shares()


def _share_rows(kpi: CustomKpi, t: pd.DataFrame, clocks: Clocks, as_of: float) -> pd.DataFrame:
    end = t[MILESTONE_END[kpi.milestone]].to_numpy(dtype="float64")
    done = ~np.isnan(end)
    created = t["created"].to_numpy(dtype="float64")
    clock = np.full(len(t), kpi.clock, dtype=object) if kpi.clock else t["clock"].to_numpy(dtype=object)
    took = _elapsed(clocks, t["version"].to_numpy(), clock, created, np.where(done, end, as_of))
    if kpi.milestone == "resolution":  # net of pauses, as the resolution is
        took = took - t["paused_seconds"].to_numpy(dtype="float64")
    took = np.maximum(took, 0)
    within = float(kpi.within or 0)
    status = _status(done, took, np.full(len(t), within), t["excluded"].to_numpy(dtype=bool))
    return pd.DataFrame(
        {
            "ticket_id": t["ticket_id"].to_numpy(),
            "month_key": t["month_key"].to_numpy(),
            "kpi": kpi.id,
            "status": status,
            "seconds": took.astype("int64"),
            "within": int(within),
            **{c: t[c].to_numpy() for c in ("priority", "team", "category", "channel", "customer")},
        }
    )


def share_counts(shares: pd.DataFrame) -> pd.DataFrame:
    """Wide counts per (period, dimension, member): `share_met:<kpi>`, `share_judged:<kpi>`,
    `share_pending:<kpi>` (shares carry a `period` column set by the caller)."""
    index = ["period", "dimension", "member"]
    if shares.empty:
        return pd.DataFrame(columns=index)
    frame = shares[["period", "kpi", "status", "priority", "team", "category", "channel", "customer"]]
    long = _run("share_counts", "shares", frame)
    wide = long.pivot_table(
        index=index, columns="kpi", values=["met", "judged", "pending"], aggfunc="sum", fill_value=0
    )
    wide.columns = [f"share_{col[0]}:{col[1]}" for col in wide.columns]  # (what, kpi) pairs
    return wide.reset_index()


def formulas(contract: Contract) -> dict[str, Formula]:
    ids = dict.fromkeys(k.id for t in contract.versions for k in t.custom_kpis if k.kind == "ticket_share")
    return {k: Formula(f"share_met:{k}", f"share_judged:{k}") for k in ids}


def measure_ids(contract: Contract) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k.id for t in contract.versions for k in t.custom_kpis if k.kind == "measure"))


def presence(contract: Contract, builtin: dict[str, str | None]) -> dict[str, str | None]:
    """Why each contract KPI has no source (None: it has one), from the built-in KPI it shares it with."""
    out: dict[str, str | None] = {}
    for kpi in (k for t in contract.versions for k in t.custom_kpis):
        source = MILESTONE_SOURCE[kpi.milestone] if kpi.kind == "ticket_share" else "backup_success_rate"
        out.setdefault(kpi.id, builtin.get(source))
    return out


def kpi_def(kpi: CustomKpi) -> KpiDef:
    """A contract KPI declared as the built-in ones are (labels, unit, direction, what it counts)."""
    if kpi.kind == "ticket_share":
        zh_word, en_word = _MILESTONE_WORDS[kpi.milestone]
        seconds = int(kpi.within or 0)
        return KpiDef(
            kpi.id,
            kpi.label.zh,
            kpi.label.en,
            "rate",
            True,
            "tickets",
            f"张适用工单在 {duration_text(seconds, 'zh')}内{zh_word}",
            f"matching tickets {en_word} within {duration_text(seconds, 'en')}",
        )
    return KpiDef(
        kpi.id,
        kpi.label.zh,
        kpi.label.en,
        "rate" if kpi.unit == "rate" else "number",
        kpi.higher_is_better,
        "measures",
    )


def definition(contract: Contract, kpi: str) -> KpiDef:
    """The declaration of any KPI of the contract: built-in (i18n.KPIS) or the contract's own."""
    if kpi in KPIS:
        return KPIS[kpi]
    custom = contract.custom_kpi(kpi)
    if custom is None:
        raise KeyError(kpi)
    return kpi_def(custom)
