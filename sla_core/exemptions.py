"""Approved exemption and regrade requests applied to the imported tickets (a data transform, not
persistence: the requests themselves live in `store.registers`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from sla_core.dataset import Dataset
from sla_core.problems import warning

if TYPE_CHECKING:
    from sla_core.store.registers import Exemption


def apply_exemptions(dataset: Dataset, approved: Iterable[Exemption]) -> Dataset:
    """The dataset with approved requests applied on top of the imported tickets, in decision order:
    exempt → excluded with reason "exempted: <reason>"; regrade → priority = new_priority.
    Requests for tickets not in the data add a warning. Pending and rejected ones are ignored."""
    chosen = sorted(
        (e for e in approved if e.decision == "approved"),
        key=lambda e: (e.decided_at or e.requested_at, e.exemption_id),
    )
    tickets = dataset.tickets
    if tickets is None or not chosen:
        return dataset
    exempt = {e.ticket_id: f"exempted: {e.reason}" for e in chosen if e.kind == "exempt"}
    regrade = {e.ticket_id: e.new_priority for e in chosen if e.kind == "regrade" and e.new_priority}
    out = tickets.copy()
    ids = out["ticket_id"]
    if regrade:
        mask = ids.isin(list(regrade)).fillna(False).to_numpy(dtype=bool)
        out.loc[mask, "priority"] = ids[mask].map(regrade).astype("string")
    if exempt:
        mask = ids.isin(list(exempt)).fillna(False).to_numpy(dtype=bool)
        out.loc[mask, "excluded"] = True
        out.loc[mask, "exclusion_reason"] = ids[mask].map(exempt).astype("string")
    known = set(ids.dropna())
    issues = list(dataset.issues)
    for e in chosen:
        if e.ticket_id not in known:
            issues.append(
                warning(
                    "store.exemption_unknown_ticket",
                    f"已批准的豁免申请 {e.exemption_id} 所指工单 {e.ticket_id} 不在数据中",
                    f"Approved exemption {e.exemption_id} names ticket {e.ticket_id}, which is not in the data.",
                    value=e.ticket_id,
                )
            )
    columns = dict(dataset.columns)
    if exempt:
        columns["tickets"] = columns.get("tickets", frozenset()) | {"excluded", "exclusion_reason"}
    return replace(dataset, tickets=out, columns=columns, issues=issues)
