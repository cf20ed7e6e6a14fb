"""Exclusions need both parties (doc 003: exceptions are what both parties agreed — "定义例外情形：列出
不可抗力或双方约定的免责情形", "问题分级需双方确认").

An exclusion that arrives in the provider's export (the `excluded` column or an exclusion reason) is a
*request*: the ticket counts like any other until the client approves it, through the same exemption
workflow as a request made in the app (`store.request_exemption` / `decide_exemption`). A contract may
trust its provider's exports instead: `[contract] provider_exclusions = "accepted"` (per version, by the
terms in force for the ticket's month). A ticket excluded because it was cancelled is not a request:
that is its status, not a claim.

`settle` is applied to the data before evaluation, where the approvals are known (the store, the
command line's `--exclusions` file); `register` lists every exclusion with who asked and who agreed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sla_core.contract import Contract
from sla_core.dataset import Dataset
from sla_core.periods import month_first_day
from sla_core.problems import warning

PROVIDER_EXPORT = "provider_export"  # who asked, for an exclusion that came in the provider's export
ACCEPTED_BY_CONTRACT = "contract"  # who agreed, when the contract trusts the export's exclusions
NOT_A_REQUEST = frozenset({"cancelled"})  # reasons that state a fact of the ticket, not a claim

REGISTER_COLUMNS = ("ticket_id", "month", "reason", "asked_by", "approved_by", "status")


@dataclass(frozen=True)
class Decision:
    """What the exemption workflow holds for one ticket's exclusion."""

    ticket_id: str
    decision: str  # pending | approved | rejected
    reason: str = ""
    requested_by: str = ""
    decided_by: str | None = None


def _month_keys(contract: Contract, created: pd.Series) -> np.ndarray:
    local = pd.to_datetime(created, utc=True).dt.tz_convert(contract.zone.key)
    keys = (local.dt.year * 12 + local.dt.month - 1).to_numpy(dtype="float64")
    return np.where(np.isnan(keys), -1, keys).astype("int64")


def export_exclusions(tickets: pd.DataFrame) -> np.ndarray:
    """Which tickets the export itself excludes (not the cancelled ones)."""
    reason = tickets["exclusion_reason"].astype("string").str.strip().fillna("")
    excluded = tickets["excluded"].to_numpy(dtype=bool) | (reason.str.len() > 0).to_numpy(dtype=bool)
    return excluded & ~reason.isin(list(NOT_A_REQUEST)).to_numpy(dtype=bool)


def _requests(contract: Contract, tickets: pd.DataFrame) -> np.ndarray:
    """Export exclusions that are requests under the terms in force for each ticket's month."""
    claimed = export_exclusions(tickets)
    if not claimed.any():
        return claimed
    months, at = np.unique(_month_keys(contract, tickets["created_at"]), return_inverse=True)
    asks = np.array(
        [
            k >= 0 and contract.terms_on(month_first_day(int(k))).contract.provider_exclusions == "request"
            for k in months
        ]
    )
    return np.asarray(claimed & asks[at], dtype=bool)


def settle(contract: Contract, data: Dataset, approved: Iterable[str]) -> Dataset:
    """The data with the export's exclusions that are still requests lifted: those tickets count
    until the client approves (approved: ticket ids whose exclusion the client agreed). One warning
    says how many wait."""
    tickets = data.tickets
    if tickets is None or tickets.empty:
        return data
    asked = _requests(contract, tickets)
    lifted = asked & ~tickets["ticket_id"].isin(list(set(approved))).fillna(False).to_numpy(dtype=bool)
    if not lifted.any():
        return data
    out = tickets.copy()
    out.loc[lifted, "excluded"] = False
    out.loc[lifted, "exclusion_reason"] = pd.NA
    n = int(lifted.sum())
    issue = warning(
        "exclusions.awaiting_approval",
        f'服务商导出中有 {n} 张工单标为免责，甲方尚未确认：确认前照常计入（合同 provider_exclusions = "request"）',
        f"{n} tickets excluded in the provider's export await the client's approval; they count until "
        'approved (the contract\'s provider_exclusions = "request")',
        column="exclusion_reason",
        value=str(n),
    )
    return replace(data, tickets=out, issues=[*data.issues, issue])


def register(
    contract: Contract, tickets: pd.DataFrame | None, decisions: Mapping[str, Decision]
) -> pd.DataFrame:
    """Every ticket excluded or asked to be (from the export or in the app), one row each:
    ticket_id, month, reason, asked_by (provider_export or the user who asked), approved_by (the user
    who decided, `contract` when the contract trusts the export, blank while pending), status
    (pending / approved / rejected / accepted / cancelled). `tickets`: the data as imported."""
    parts = []
    listed: set[str] = set()
    if tickets is not None and not tickets.empty:
        reason = tickets["exclusion_reason"].astype("string").str.strip()
        cancelled = reason.isin(list(NOT_A_REQUEST)).fillna(False).to_numpy(dtype=bool)
        asked = _requests(contract, tickets)
        pick = export_exclusions(tickets) | cancelled
        t = tickets.loc[pick]
        ids = t["ticket_id"].astype("string")
        decided = {tid: d for tid, d in decisions.items() if d.decision != "pending"}
        status = np.where(
            cancelled[pick],
            "cancelled",
            np.where(
                ~asked[pick],
                "accepted",
                ids.map(lambda tid: decided[tid].decision if tid in decided else "pending"),
            ),
        )
        approved_by = np.where(
            status == "accepted",
            ACCEPTED_BY_CONTRACT,
            ids.map(lambda tid: (decided[tid].decided_by or "") if tid in decided else "").astype(object),
        )
        local = pd.to_datetime(t["created_at"], utc=True).dt.tz_convert(contract.zone.key)
        parts.append(
            pd.DataFrame(
                {
                    "ticket_id": ids.to_numpy(),
                    "month": local.dt.strftime("%Y-%m").to_numpy(),
                    "reason": reason.loc[pick].fillna("").to_numpy(),
                    "asked_by": PROVIDER_EXPORT,
                    "approved_by": np.where(status == "cancelled", "", approved_by),
                    "status": status,
                }
            )
        )
        listed = set(ids.dropna())
    extra = [d for tid, d in decisions.items() if tid not in listed]  # asked in the app
    if extra:
        parts.append(
            pd.DataFrame(
                {
                    "ticket_id": [d.ticket_id for d in extra],
                    "month": "",
                    "reason": [d.reason for d in extra],
                    "asked_by": [d.requested_by for d in extra],
                    "approved_by": [d.decided_by or "" for d in extra],
                    "status": [d.decision for d in extra],
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(REGISTER_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(REGISTER_COLUMNS)]
