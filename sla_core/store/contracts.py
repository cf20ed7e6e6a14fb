"""Contracts in the store: saved TOML with revisions, listed and loaded back as `Contract`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sla_core.contract import Contract, ContractError, parse_contract
from sla_core.problems import Issue, error
from sla_core.store.audit import _audit
from sla_core.store.db import Connection, Store, _fail, _now, _one, _rows, _run, reused


@dataclass(frozen=True)
class ContractSave:
    """What `save_contract` did: created / unchanged / revised, or refused / invalid (nothing stored)."""

    status: Literal["created", "unchanged", "revised", "refused", "invalid"]
    contract_id: str | None
    revision: int | None
    issues: list[Issue]

    @property
    def stored(self) -> bool:
        return self.status in ("created", "revised")


@dataclass(frozen=True)
class ContractRevision:
    contract_id: str
    revision: int
    name: str
    sha256: str
    stored_at: datetime
    stored_by: str


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _require_contract(con: Connection, contract_id: str) -> None:
    if _one(con, "SELECT 1 FROM contracts WHERE contract_id = $c LIMIT 1", {"c": contract_id}) is None:
        raise _fail(
            "store.unknown_contract",
            f"合同 {contract_id} 不存在；请先保存合同",
            f"There is no contract {contract_id}; save the contract first.",
            value=contract_id,
        )


def save_contract(store: Store, text: str, user: str, as_new_revision: bool = False) -> ContractSave:
    """Store a contract's TOML. A new id is stored as revision 1; the same text again changes nothing;
    a known id whose terms changed is refused unless `as_new_revision` (then it becomes the next
    revision). A text whose terms equal the latest revision's (comments, layout) is kept as a revision."""
    contract, issues = parse_contract(text)
    if contract is None:
        return ContractSave("invalid", None, None, issues)
    cid, sha = contract.id, _sha(text)

    def work(con: Connection) -> ContractSave:
        latest = _one(
            con,
            "SELECT revision, sha256, text FROM contracts WHERE contract_id = $c ORDER BY revision DESC LIMIT 1",
            {"c": cid},
        )
        if latest is not None and latest[1] == sha:
            return ContractSave("unchanged", cid, int(latest[0]), issues)
        if latest is not None and not as_new_revision:
            previous, _ = parse_contract(latest[2])
            if previous is None or previous.versions != contract.versions:
                refused = error(
                    "store.contract_changed",
                    f"合同 {cid} 已存在且条款有变化；如需保留，请另存为新修订版",
                    f"Contract {cid} already exists with different terms; store it as a new revision "
                    "to keep it.",
                    column="contract.id",
                    value=cid,
                )
                return ContractSave("refused", cid, int(latest[0]), [*issues, refused])
        revision = 1 if latest is None else int(latest[0]) + 1
        _rows(
            con,
            "INSERT INTO contracts VALUES ($c, $rev, $name, $text, $sha, $at, $by)",
            {
                "c": cid,
                "rev": revision,
                "name": contract.base.contract.name,
                "text": text,
                "sha": sha,
                "at": _now(),
                "by": user,
            },
        )
        _audit(con, user, "contract.save", cid, {"revision": revision, "sha256": sha})
        return ContractSave("created" if latest is None else "revised", cid, revision, issues)

    return _run(store, work)


def list_contracts(store: Store) -> list[ContractRevision]:
    """The latest revision of every stored contract, by id."""
    rows = reused(
        store,
        "contracts",
        lambda: _run(
            store,
            lambda con: _rows(
                con,
                "SELECT contract_id, revision, coalesce(name, ''), sha256, stored_at, stored_by FROM contracts "
                "QUALIFY row_number() OVER (PARTITION BY contract_id ORDER BY revision DESC) = 1 "
                "ORDER BY contract_id",
            ),
        ),
    )
    return [ContractRevision(*r) for r in rows]


def contract_revisions(store: Store, contract_id: str) -> list[ContractRevision]:
    """Every stored revision of one contract, oldest first."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT contract_id, revision, coalesce(name, ''), sha256, stored_at, stored_by FROM contracts "
            "WHERE contract_id = $c ORDER BY revision",
            {"c": contract_id},
        ),
    )
    return [ContractRevision(*r) for r in rows]


def load_contract(store: Store, contract_id: str, revision: int | None = None) -> Contract | None:
    """The contract as stored (latest revision by default); None when there is no such revision."""
    row = _run(
        store,
        lambda con: _one(
            con,
            "SELECT text FROM contracts WHERE contract_id = $c AND ($rev IS NULL OR revision = $rev) "
            "ORDER BY revision DESC LIMIT 1",
            {"c": contract_id, "rev": revision},
        ),
    )
    if row is None:
        return None
    contract, issues = parse_contract(row[0])
    if contract is None:
        raise ContractError(issues)
    return contract
