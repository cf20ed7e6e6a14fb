"""The audit log: every change the store makes writes one entry in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sla_core.store.db import Connection, Store, _now, _rows, _run


def _audit(
    con: Connection, user: str, action: str, contract_id: str | None, detail: Mapping[str, Any]
) -> None:
    _rows(
        con,
        "INSERT INTO audit_log VALUES (nextval('audit_id_seq'), $at, $by, $action, $contract_id, $detail)",
        {
            "at": _now(),
            "by": user,
            "action": action,
            "contract_id": contract_id,
            "detail": json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True),
        },
    )


@dataclass(frozen=True)
class AuditEntry:
    audit_id: int
    logged_at: datetime
    actor: str
    action: str
    contract_id: str | None
    detail: dict[str, Any]


def record_audit(
    store: Store, user: str, action: str, contract_id: str | None, detail: Mapping[str, Any]
) -> None:
    """An audit entry for something done outside the store (an export, a sign-in)."""
    _run(store, lambda con: _audit(con, user, action, contract_id, detail))


def audit_log(store: Store, contract_id: str, limit: int = 500) -> list[AuditEntry]:
    """The contract's audit trail, newest first."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT audit_id, logged_at, actor, action, contract_id, detail FROM audit_log "
            "WHERE contract_id = $c ORDER BY audit_id DESC LIMIT $limit",
            {"c": contract_id, "limit": limit},
        ),
    )
    return [AuditEntry(*(*r[:5], json.loads(r[5]))) for r in rows]
