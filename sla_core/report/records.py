"""What the store adds to the evaluation: the registers (actions and their history, exemptions,
month closes, survey exclusions), batches with their skipped-row issues, the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sla_core.problems import Issue

if TYPE_CHECKING:
    from sla_core.store import Store


MAX_LOG_ROWS = 50_000  # skipped-row issues listed per workbook; the rest are counted


@dataclass
class Records:
    """What the store adds to the evaluation (None fields: no store)."""

    actions: list[Any] | None = None
    history: dict[int, list[Any]] = field(default_factory=dict)
    exemptions: list[Any] | None = None
    batches: list[Any] | None = None
    batch_issues: dict[int, list[Issue]] = field(default_factory=dict)
    closes: list[Any] | None = None
    survey_exclusions: dict[str, Any] = field(default_factory=dict)
    audit: list[Any] | None = None


def fetch_records(store: Store | None, contract_id: str) -> Records:
    if store is None:
        return Records()
    from sla_core import store as st

    actions = st.list_actions(store, contract_id)
    batches = st.list_batches(store, contract_id)
    issues: dict[int, list[Issue]] = {}
    budget = MAX_LOG_ROWS
    for b in batches:
        if b.skipped and budget > 0:
            found = st.batch_issues(store, contract_id, b.batch_id)
            issues[b.batch_id] = found
            budget -= len(found)
    return Records(
        actions=actions,
        history={a.action_id: st.action_history(store, contract_id, a.action_id) for a in actions},
        exemptions=st.list_exemptions(store, contract_id),
        batches=batches,
        batch_issues=issues,
        closes=st.closed_months(store, contract_id),
        survey_exclusions={e.response_id: e for e in st.list_survey_exclusions(store, contract_id)},
        audit=st.audit_log(store, contract_id, limit=MAX_LOG_ROWS),
    )
