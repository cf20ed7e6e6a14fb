"""The review registers: improvement actions with their history, exemption and regrade requests,
month closes and survey exclusions."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sla_core.contract import parse_contract
from sla_core.store.audit import _audit
from sla_core.store.contracts import _require_contract
from sla_core.store.db import Connection, Store, _fail, _now, _one, _rows, _run

# ---------------------------------------------------------------- improvement actions

ActionStatus = Literal["open", "in_progress", "done"]
ACTION_STATUSES: tuple[str, ...] = ("open", "in_progress", "done")
ACTION_LINKS: tuple[str | None, ...] = (None, "miss", "obligation")
_ACTION_FIELDS = ("link_kind", "link_ref", "kpi", "months", "cause", "measure", "owner", "due", "status")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Action:
    action_id: int
    contract_id: str
    link_kind: str | None  # miss | obligation | None
    link_ref: str | None  # the obligation id, or the missed KPI-month it answers
    kpi: str | None
    months: tuple[str, ...]
    cause: str
    measure: str
    owner: str
    due: date | None
    status: str  # open | in_progress | done
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class ActionChange:
    action_id: int
    seq: int
    changed_at: datetime
    changed_by: str
    change: Literal["created", "updated"]
    fields: dict[str, list[Any]]  # field -> [old, new]


def _check_action(values: Mapping[str, Any]) -> None:
    if values["status"] not in ACTION_STATUSES:
        raise ValueError(f"status must be one of {ACTION_STATUSES}")
    if values["link_kind"] not in ACTION_LINKS:
        raise ValueError(f"link_kind must be one of {ACTION_LINKS}")
    for month in values["months"]:
        if not _MONTH.match(month):
            raise ValueError(f"month {month!r} is not YYYY-MM")
    if values["due"] is not None and not isinstance(values["due"], date):
        raise ValueError("due must be a date")


_ACTION_COLUMNS = (
    "action_id, contract_id, link_kind, link_ref, kpi, months, cause, measure, owner, due, status, "
    "created_at, created_by, updated_at, updated_by"
)


def _action(row: tuple[Any, ...]) -> Action:
    values = list(row)
    values[5] = tuple(values[5] or ())
    return Action(*values)


def _get_action(con: Connection, contract_id: str, action_id: int) -> Action:
    row = _one(
        con,
        f"SELECT {_ACTION_COLUMNS} FROM actions WHERE contract_id = $c AND action_id = $id",  # noqa: S608 - constant columns
        {"c": contract_id, "id": action_id},
    )
    if row is None:
        raise _fail(
            "store.unknown_action",
            f"合同 {contract_id} 没有改进措施 {action_id}",
            f"Contract {contract_id} has no improvement action {action_id}.",
            value=str(action_id),
        )
    return _action(row)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _history(
    con: Connection, action: Action, user: str, change: str, fields: Mapping[str, list[Any]]
) -> None:
    _rows(
        con,
        "INSERT INTO action_history SELECT $id, $c, coalesce(max(seq), 0) + 1, $at, $by, $change, $fields "
        "FROM action_history WHERE action_id = $id",
        {
            "id": action.action_id,
            "c": action.contract_id,
            "at": _now(),
            "by": user,
            "change": change,
            "fields": json.dumps(fields, ensure_ascii=False, default=str, sort_keys=True),
        },
    )


def add_action(
    store: Store,
    contract_id: str,
    *,
    cause: str,
    measure: str,
    owner: str,
    user: str,
    due: date | None = None,
    kpi: str | None = None,
    months: Iterable[str] = (),
    link_kind: str | None = None,
    link_ref: str | None = None,
    status: str = "open",
) -> Action:
    """Register an improvement action (linked to a KPI miss or an obligation when given)."""
    values: dict[str, Any] = {
        "link_kind": link_kind,
        "link_ref": link_ref,
        "kpi": kpi,
        "months": tuple(months),
        "cause": cause,
        "measure": measure,
        "owner": owner,
        "due": due,
        "status": status,
    }
    _check_action(values)

    def work(con: Connection) -> Action:
        _require_contract(con, contract_id)
        now = _now()
        row = _one(
            con,
            "INSERT INTO actions VALUES (nextval('action_id_seq'), $c, $link_kind, $link_ref, $kpi, $months, "  # noqa: S608 - the interpolated names are fixed column lists, values are bound
            f"$cause, $measure, $owner, $due, $status, $at, $by, $at, $by) RETURNING {_ACTION_COLUMNS}",
            {**values, "months": list(values["months"]), "c": contract_id, "at": now, "by": user},
        )
        if row is None:  # an invariant, checked even under python -O
            raise RuntimeError("row is missing")
        action = _action(row)
        fields = {k: [None, _jsonable(v)] for k, v in values.items()}
        _history(con, action, user, "created", fields)
        _audit(con, user, "action.add", contract_id, {"action_id": action.action_id, **fields})
        return action

    return _run(store, work)


def update_action(store: Store, contract_id: str, action_id: int, user: str, **changes: Any) -> Action:
    """Change fields of an action (any of link_kind, link_ref, kpi, months, cause, measure, owner, due,
    status); every change is kept in its history. Changing nothing writes nothing."""
    unknown = set(changes) - set(_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}; fields are {_ACTION_FIELDS}")
    if "months" in changes:
        changes["months"] = tuple(changes["months"])

    def work(con: Connection) -> Action:
        old = _get_action(con, contract_id, action_id)
        values = {f: getattr(old, f) for f in _ACTION_FIELDS}
        diff = {f: [_jsonable(values[f]), _jsonable(v)] for f, v in changes.items() if values[f] != v}
        if not diff:
            return old
        values.update(changes)
        _check_action(values)
        row = _one(
            con,
            "UPDATE actions SET link_kind = $link_kind, link_ref = $link_ref, kpi = $kpi, months = $months, "  # noqa: S608 - the interpolated names are fixed column lists, values are bound
            "cause = $cause, measure = $measure, owner = $owner, due = $due, status = $status, "
            f"updated_at = $at, updated_by = $by WHERE contract_id = $c AND action_id = $id RETURNING {_ACTION_COLUMNS}",
            {
                **values,
                "months": list(values["months"]),
                "c": contract_id,
                "id": action_id,
                "at": _now(),
                "by": user,
            },
        )
        if row is None:  # an invariant, checked even under python -O
            raise RuntimeError("row is missing")
        action = _action(row)
        _history(con, action, user, "updated", diff)
        _audit(con, user, "action.update", contract_id, {"action_id": action_id, **diff})
        return action

    return _run(store, work)


def list_actions(store: Store, contract_id: str, status: str | None = None) -> list[Action]:
    """The contract's improvement actions (optionally of one status), oldest first."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            f"SELECT {_ACTION_COLUMNS} FROM actions WHERE contract_id = $c AND ($status IS NULL OR status = $status) "  # noqa: S608 - the interpolated names are fixed column lists, values are bound
            "ORDER BY action_id",
            {"c": contract_id, "status": status},
        ),
    )
    return [_action(r) for r in rows]


def action_history(store: Store, contract_id: str, action_id: int) -> list[ActionChange]:
    """Every change of one action, oldest first (the first is its creation)."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT action_id, seq, changed_at, changed_by, change, fields FROM action_history "
            "WHERE contract_id = $c AND action_id = $id ORDER BY seq",
            {"c": contract_id, "id": action_id},
        ),
    )
    return [ActionChange(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]


# ---------------------------------------------------------------- exemptions and regrades

EXEMPTION_KINDS: tuple[str, ...] = ("exempt", "regrade")
DECISIONS: tuple[str, ...] = ("pending", "approved", "rejected")


@dataclass(frozen=True)
class Exemption:
    exemption_id: int
    contract_id: str
    ticket_id: str
    kind: str  # exempt | regrade
    new_priority: str | None
    reason: str
    requested_by: str
    requested_at: datetime
    decision: str  # pending | approved | rejected
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


_EXEMPTION_COLUMNS = (
    "exemption_id, contract_id, ticket_id, kind, new_priority, reason, requested_by, requested_at, decision, "
    "decided_by, decided_at, decision_reason"
)


def _priority_ids(con: Connection, contract_id: str) -> set[str]:
    row = _one(
        con,
        "SELECT text FROM contracts WHERE contract_id = $c ORDER BY revision DESC LIMIT 1",
        {"c": contract_id},
    )
    contract = parse_contract(row[0])[0] if row else None
    if contract is None:
        return set()
    return {p.id for terms in contract.versions for p in terms.priorities}


def request_exemption(
    store: Store,
    contract_id: str,
    ticket_id: str,
    kind: str,
    reason: str,
    user: str,
    new_priority: str | None = None,
) -> Exemption:
    """Record the provider's request to exempt a ticket or change its priority (pending a decision)."""
    if kind not in EXEMPTION_KINDS:
        raise ValueError(f"kind must be one of {EXEMPTION_KINDS}")
    if not reason.strip():
        raise _fail("store.reason_required", "请填写理由", "A reason is required.")
    if kind == "regrade" and not new_priority:
        raise _fail("store.priority_required", "改级须指定新优先级", "A regrade needs the new priority.")
    if kind == "exempt":
        new_priority = None

    def work(con: Connection) -> Exemption:
        _require_contract(con, contract_id)
        if new_priority is not None and new_priority not in _priority_ids(con, contract_id):
            raise _fail(
                "store.unknown_priority",
                f"合同中没有优先级 {new_priority}",
                f"The contract has no priority {new_priority}.",
                value=new_priority,
            )
        row = _one(
            con,
            "INSERT INTO exemptions VALUES (nextval('exemption_id_seq'), $c, $ticket, $kind, $priority, $reason, "  # noqa: S608 - the interpolated names are fixed column lists, values are bound
            f"$by, $at, 'pending', NULL, NULL, NULL) RETURNING {_EXEMPTION_COLUMNS}",
            {
                "c": contract_id,
                "ticket": ticket_id,
                "kind": kind,
                "priority": new_priority,
                "reason": reason,
                "by": user,
                "at": _now(),
            },
        )
        if row is None:  # an invariant, checked even under python -O
            raise RuntimeError("row is missing")
        exemption = Exemption(*row)
        _audit(
            con,
            user,
            "exemption.request",
            contract_id,
            {
                "exemption_id": exemption.exemption_id,
                "ticket_id": ticket_id,
                "kind": kind,
                "new_priority": new_priority,
                "reason": reason,
            },
        )
        return exemption

    return _run(store, work)


def decide_exemption(
    store: Store, contract_id: str, exemption_id: int, decision: str, user: str, reason: str = ""
) -> Exemption:
    """Approve or reject a pending request, with the approver and the reason."""
    if decision not in ("approved", "rejected"):
        raise ValueError("decision must be 'approved' or 'rejected'")

    def work(con: Connection) -> Exemption:
        row = _one(
            con,
            "SELECT decision FROM exemptions WHERE contract_id = $c AND exemption_id = $id",
            {"c": contract_id, "id": exemption_id},
        )
        if row is None:
            raise _fail(
                "store.unknown_exemption",
                f"合同 {contract_id} 没有豁免申请 {exemption_id}",
                f"Contract {contract_id} has no exemption request {exemption_id}.",
                value=str(exemption_id),
            )
        if row[0] != "pending":
            raise _fail(
                "store.exemption_decided",
                f"豁免申请 {exemption_id} 已有决定",
                f"Exemption request {exemption_id} was already decided.",
                value=str(exemption_id),
            )
        updated = _one(
            con,
            "UPDATE exemptions SET decision = $decision, decided_by = $by, decided_at = $at, "  # noqa: S608 - the interpolated names are fixed column lists, values are bound
            "decision_reason = $reason WHERE contract_id = $c AND exemption_id = $id "
            f"RETURNING {_EXEMPTION_COLUMNS}",
            {
                "decision": decision,
                "by": user,
                "at": _now(),
                "reason": reason,
                "c": contract_id,
                "id": exemption_id,
            },
        )
        if updated is None:  # an invariant, checked even under python -O
            raise RuntimeError("updated is missing")
        _audit(
            con,
            user,
            "exemption.decide",
            contract_id,
            {"exemption_id": exemption_id, "decision": decision, "reason": reason},
        )
        return Exemption(*updated)

    return _run(store, work)


def list_exemptions(store: Store, contract_id: str, decision: str | None = None) -> list[Exemption]:
    """The contract's exemption and regrade requests (optionally of one decision), oldest first."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            f"SELECT {_EXEMPTION_COLUMNS} FROM exemptions WHERE contract_id = $c "  # noqa: S608 - the interpolated names are fixed column lists, values are bound
            "AND ($decision IS NULL OR decision = $decision) ORDER BY exemption_id",
            {"c": contract_id, "decision": decision},
        ),
    )
    return [Exemption(*r) for r in rows]


# ---------------------------------------------------------------- month close


@dataclass(frozen=True)
class MonthClose:
    contract_id: str
    month: str
    snapshot_json: str
    data_version: str
    closed_at: datetime
    closed_by: str

    @property
    def snapshot(self) -> Any:
        return json.loads(self.snapshot_json)


def close_month(
    store: Store, contract_id: str, month: str, snapshot_json: str, data_version: str, user: str
) -> MonthClose:
    """Freeze a settled month: its snapshot (verdicts, penalty… as JSON) and the data version behind it.
    A month closes once; closing it again is refused."""
    if not _MONTH.match(month):
        raise ValueError(f"month {month!r} is not YYYY-MM")
    json.loads(snapshot_json)  # must be JSON

    def work(con: Connection) -> MonthClose:
        _require_contract(con, contract_id)
        if _one(
            con,
            "SELECT 1 FROM month_closes WHERE contract_id = $c AND month = $m",
            {"c": contract_id, "m": month},
        ):
            raise _fail(
                "store.month_closed",
                f"{month} 已结账",
                f"{month} is already closed.",
                value=month,
            )
        now = _now()
        _rows(
            con,
            "INSERT INTO month_closes VALUES ($c, $m, $snapshot, $version, $at, $by)",
            {
                "c": contract_id,
                "m": month,
                "snapshot": snapshot_json,
                "version": data_version,
                "at": now,
                "by": user,
            },
        )
        _audit(con, user, "month.close", contract_id, {"month": month, "data_version": data_version})
        return MonthClose(contract_id, month, snapshot_json, data_version, now, user)

    return _run(store, work)


def closed_months(store: Store, contract_id: str) -> list[MonthClose]:
    """The contract's closed months with their frozen snapshots, by month."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT contract_id, month, snapshot_json, data_version, closed_at, closed_by FROM month_closes "
            "WHERE contract_id = $c ORDER BY month",
            {"c": contract_id},
        ),
    )
    return [MonthClose(*r) for r in rows]


# ---------------------------------------------------------------- survey exclusions


@dataclass(frozen=True)
class SurveyExclusion:
    contract_id: str
    response_id: str
    reason: str
    excluded_by: str
    excluded_at: datetime


def exclude_survey(
    store: Store, contract_id: str, response_id: str, reason: str, user: str
) -> SurveyExclusion:
    """Exclude a survey response from the KPIs, recording who and why (again: the new reason wins)."""
    if not reason.strip():
        raise _fail("store.reason_required", "请填写理由", "A reason is required.")

    def work(con: Connection) -> SurveyExclusion:
        _require_contract(con, contract_id)
        now = _now()
        _rows(
            con,
            "INSERT OR REPLACE INTO survey_exclusions VALUES ($c, $r, $reason, $by, $at)",
            {"c": contract_id, "r": response_id, "reason": reason, "by": user, "at": now},
        )
        _audit(con, user, "survey.exclude", contract_id, {"response_id": response_id, "reason": reason})
        return SurveyExclusion(contract_id, response_id, reason, user, now)

    return _run(store, work)


def remove_survey_exclusion(store: Store, contract_id: str, response_id: str, user: str) -> bool:
    """Count a response again; False when it was not excluded."""

    def work(con: Connection) -> bool:
        gone = _rows(
            con,
            "DELETE FROM survey_exclusions WHERE contract_id = $c AND response_id = $r",
            {"c": contract_id, "r": response_id},
        )
        if not gone or not gone[0][0]:
            return False
        _audit(con, user, "survey.include", contract_id, {"response_id": response_id})
        return True

    return _run(store, work)


def list_survey_exclusions(store: Store, contract_id: str) -> list[SurveyExclusion]:
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT contract_id, response_id, reason, excluded_by, excluded_at FROM survey_exclusions "
            "WHERE contract_id = $c ORDER BY excluded_at, response_id",
            {"c": contract_id},
        ),
    )
    return [SurveyExclusion(*r) for r in rows]
