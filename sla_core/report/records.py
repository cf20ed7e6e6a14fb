"""What the store adds to the evaluation, read through the Guard of whoever asks for the report: the
registers (actions and their history, exemptions, month closes, survey exclusions), batches with their
skipped-row issues, and the audit log (only for a principal with the audit permission)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sla_core.problems import Issue

if TYPE_CHECKING:
    from sla_core.access import Guard
    from sla_core.store import (
        Action,
        ActionChange,
        AuditEntry,
        BatchInfo,
        Exemption,
        MonthClose,
        SurveyExclusion,
    )


MAX_LOG_ROWS = 50_000  # skipped-row issues listed per workbook; the rest are counted


@dataclass
class Records:
    """What the store adds to the evaluation (None fields: no store)."""

    actions: list[Action] | None = None
    history: dict[int, list[ActionChange]] = field(default_factory=dict)
    exemptions: list[Exemption] | None = None
    batches: list[BatchInfo] | None = None
    batch_issues: dict[int, list[Issue]] = field(default_factory=dict)
    closes: list[MonthClose] | None = None
    survey_exclusions: dict[str, SurveyExclusion] = field(default_factory=dict)
    audit: list[AuditEntry] | None = None
    audit_allowed: bool = True  # False: the reader may not see the audit log, so the pack has no such sheet


def fetch_records(guard: Guard | None, contract_id: str) -> Records:
    """The contract's records as `guard`'s principal may read them (None: no store, empty records)."""
    if guard is None:
        return Records()
    actions = guard.list_actions(contract_id)
    batches = guard.list_batches(contract_id)
    issues: dict[int, list[Issue]] = {}
    budget = MAX_LOG_ROWS
    for b in batches:
        if b.skipped and budget > 0:
            found = guard.batch_issues(contract_id, b.batch_id)
            issues[b.batch_id] = found
            budget -= len(found)
    audit_allowed = guard.can("audit", contract_id)
    return Records(
        actions=actions,
        history={a.action_id: guard.action_history(contract_id, a.action_id) for a in actions},
        exemptions=guard.list_exemptions(contract_id),
        batches=batches,
        batch_issues=issues,
        closes=guard.closed_months(contract_id),
        survey_exclusions={e.response_id: e for e in guard.list_survey_exclusions(contract_id)},
        audit=guard.audit_log(contract_id, limit=MAX_LOG_ROWS) if audit_allowed else None,
        audit_allowed=audit_allowed,
    )
