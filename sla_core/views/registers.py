"""The registers as the Breaches screen lists them, headed in the reader's language: exemption and
regrade requests, survey exclusions, an improvement action's history, the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sla_core.i18n import action_change_text, audit_action_label, audit_detail_text, word

if TYPE_CHECKING:
    from sla_core.store import ActionChange, AuditEntry, Exemption, SurveyExclusion


def _headed(rows: list[list[object]], keys: tuple[str, ...], lang: str) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[word(k, lang) for k in keys])


def exemptions_table(exemptions: list[Exemption], lang: str) -> pd.DataFrame:
    keys = (
        "col_id",
        "tcol_ticket_id",
        "col_kind",
        "new_priority",
        "col_reason",
        "col_by",
        "decision",
        "decided_by",
        "decision_reason",
    )
    rows: list[list[object]] = [
        [
            e.exemption_id,
            e.ticket_id,
            word(f"ex_{e.kind}", lang),
            e.new_priority or "",
            e.reason,
            e.requested_by,
            word(f"decision_{e.decision}", lang),
            e.decided_by or "",
            e.decision_reason or "",
        ]
        for e in exemptions
    ]
    return _headed(rows, keys, lang)


def survey_exclusions_table(exclusions: list[SurveyExclusion], lang: str) -> pd.DataFrame:
    rows: list[list[object]] = [
        [e.response_id, e.reason, e.excluded_by, e.excluded_at.replace(tzinfo=None)] for e in exclusions
    ]
    return _headed(rows, ("response_id", "col_reason", "col_by", "col_at"), lang)


def action_history_table(history: list[ActionChange], lang: str) -> pd.DataFrame:
    rows: list[list[object]] = [
        [h.changed_at.replace(tzinfo=None), h.changed_by, action_change_text(h.fields, h.change, lang)]
        for h in history
    ]
    return _headed(rows, ("col_at", "col_by", "col_change"), lang)


def audit_table(entries: list[AuditEntry], lang: str) -> pd.DataFrame:
    rows: list[list[object]] = [
        [
            e.logged_at.replace(tzinfo=None),
            e.actor,
            audit_action_label(e.action, lang),
            audit_detail_text(e.action, e.detail, lang),  # words, not the entry's JSON
        ]
        for e in entries
    ]
    return _headed(rows, ("col_at", "col_by", "col_kind", "col_change"), lang)
