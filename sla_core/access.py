"""Who may do what, to which contract — enforced here, in the calls the pages make, not by hiding buttons.

Viewers read; editors also import, undo, manage improvement actions, request exemptions and exclude
survey responses; admins also edit contracts, decide exemptions, close months and read the audit log.
Every call names its contract and is refused unless the principal may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sla_core import store as st
from sla_core import workspace
from sla_core.dataset import Kind
from sla_core.problems import Issue, error
from sla_core.report import build_report
from sla_core.users import ROLES, Role, User

PERMISSIONS: dict[str, Role] = {
    "read": "viewer",
    "export": "viewer",
    "import": "editor",
    "undo": "editor",
    "action": "editor",
    "request_exemption": "editor",
    "exclude_survey": "editor",
    "edit_contract": "admin",
    "create_contract": "admin",
    "decide_exemption": "admin",
    "close_month": "admin",
    "audit": "admin",
}


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    contracts: frozenset[str] | None  # None: every contract

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user.name, user.role, user.contracts)

    def sees(self, contract_id: str) -> bool:
        return self.contracts is None or contract_id in self.contracts

    def can(self, permission: str, contract_id: str | None = None) -> bool:
        needed = PERMISSIONS[permission]
        if ROLES.index(self.role) < ROLES.index(needed):
            return False
        return contract_id is None or self.sees(contract_id)


# Sign-in off: the local single user may do everything (the sidebar says so).
LOCAL = Principal("local", "admin", None)


class AccessDenied(Exception):
    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.en)


def require(principal: Principal, permission: str, contract_id: str | None = None) -> None:
    if contract_id is not None and not principal.sees(contract_id):
        raise AccessDenied(
            error("access.contract", "无权查看该合同", "you may not see this contract", value=contract_id)
        )
    if not principal.can(permission, contract_id):
        raise AccessDenied(
            error(
                "access.role",
                f"当前角色（{principal.role}）无权执行此操作",
                f"your role ({principal.role}) may not do this",
                value=permission,
            )
        )


class Guard:
    """The store and workspace as one principal may use them."""

    def __init__(self, store: st.Store, principal: Principal) -> None:
        self.store = store
        self.principal = principal

    @property
    def user(self) -> str:
        return self.principal.name

    def can(self, permission: str, contract_id: str | None = None) -> bool:
        return self.principal.can(permission, contract_id)

    def _need(self, permission: str, contract_id: str | None) -> None:
        require(self.principal, permission, contract_id)

    # ------------------------------------------------------------ reads

    def contracts(self) -> list[st.ContractRevision]:
        return [c for c in st.list_contracts(self.store) if self.principal.sees(c.contract_id)]

    def snapshot(self, contract_id: str, as_of: float | None = None) -> workspace.Snapshot:
        self._need("read", contract_id)
        return workspace.snapshot(self.store, contract_id, as_of)

    def load_contract(self, contract_id: str) -> Any:
        self._need("read", contract_id)
        return st.load_contract(self.store, contract_id)

    def contract_revisions(self, contract_id: str) -> list[st.ContractRevision]:
        self._need("read", contract_id)
        return st.contract_revisions(self.store, contract_id)

    def load_mapping(self, contract_id: str, kind: str) -> dict[str, str]:
        self._need("read", contract_id)
        return st.load_mapping(self.store, contract_id, kind)

    def user_presets(self, contract_id: str) -> list[Any]:
        self._need("read", contract_id)
        return workspace.user_presets(self.store, contract_id)

    def list_batches(self, contract_id: str) -> list[st.BatchInfo]:
        self._need("read", contract_id)
        return st.list_batches(self.store, contract_id)

    def list_actions(self, contract_id: str) -> list[st.Action]:
        self._need("read", contract_id)
        return st.list_actions(self.store, contract_id)

    def action_history(self, contract_id: str, action_id: int) -> list[st.ActionChange]:
        self._need("read", contract_id)
        return st.action_history(self.store, contract_id, action_id)

    def list_exemptions(self, contract_id: str) -> list[st.Exemption]:
        self._need("read", contract_id)
        return st.list_exemptions(self.store, contract_id)

    def exclusion_register(self, contract_id: str) -> pd.DataFrame:
        """Every excluded ticket with its reason, who asked and who approved (doc 003)."""
        self._need("read", contract_id)
        return workspace.exclusion_register(self.store, contract_id)

    def list_survey_exclusions(self, contract_id: str) -> list[st.SurveyExclusion]:
        self._need("read", contract_id)
        return st.list_survey_exclusions(self.store, contract_id)

    def batch_issues(self, contract_id: str, batch_id: int) -> list[Issue]:
        self._need("read", contract_id)
        return st.batch_issues(self.store, contract_id, batch_id)

    def closed_months(self, contract_id: str) -> list[st.MonthClose]:
        self._need("read", contract_id)
        return st.closed_months(self.store, contract_id)

    def closed_month_changes(self, contract_id: str) -> list[str]:
        self._need("read", contract_id)
        return workspace.closed_month_changes(self.store, contract_id)

    def audit_log(self, contract_id: str, limit: int = 500) -> list[st.AuditEntry]:
        self._need("audit", contract_id)
        return st.audit_log(self.store, contract_id, limit)

    # ------------------------------------------------------------ writes

    def import_file(
        self, contract_id: str, kind: Kind, source: str | Path | bytes, **kw: Any
    ) -> workspace.ImportReport:
        self._need("import", contract_id)
        return workspace.import_file(self.store, contract_id, kind, source, user=self.user, **kw)

    def save_preset(self, contract_id: str, preset: dict[str, Any]) -> None:
        self._need("import", contract_id)
        st.save_preset(self.store, contract_id, preset, self.user)

    def undo_batch(self, contract_id: str, batch_id: int) -> st.UndoOutcome:
        self._need("undo", contract_id)
        return st.undo_batch(self.store, contract_id, batch_id, self.user)

    def load_demo(self) -> str:
        self._need("create_contract", None)
        if self.principal.contracts is not None:
            raise AccessDenied(
                error(
                    "access.role",
                    "只有可查看全部合同的管理员能载入演示数据",
                    "only an admin of every contract may load the demo",
                )
            )
        return workspace.load_demo(self.store, user=self.user)

    def add_action(self, contract_id: str, **fields: Any) -> st.Action:
        self._need("action", contract_id)
        return st.add_action(self.store, contract_id, user=self.user, **fields)

    def update_action(self, contract_id: str, action_id: int, **changes: Any) -> st.Action:
        self._need("action", contract_id)
        return st.update_action(self.store, contract_id, action_id, self.user, **changes)

    def request_exemption(
        self, contract_id: str, ticket_id: str, kind: str, reason: str, new_priority: str | None = None
    ) -> st.Exemption:
        self._need("request_exemption", contract_id)
        return st.request_exemption(self.store, contract_id, ticket_id, kind, reason, self.user, new_priority)

    def decide_exemption(
        self, contract_id: str, exemption_id: int, decision: str, reason: str = ""
    ) -> st.Exemption:
        self._need("decide_exemption", contract_id)
        return st.decide_exemption(self.store, contract_id, exemption_id, decision, self.user, reason)

    def decide_export_exclusion(
        self, contract_id: str, ticket_id: str, reason: str, decision: str, why: str = ""
    ) -> st.Exemption:
        """The client's decision on an exclusion the provider's export asks for (doc 003)."""
        self._need("decide_exemption", contract_id)
        return workspace.decide_export_exclusion(
            self.store, contract_id, ticket_id, reason, decision, self.user, why
        )

    def close_month(
        self, contract_id: str, month: str, snapshot_json: str, data_version: str
    ) -> st.MonthClose:
        self._need("close_month", contract_id)
        return st.close_month(self.store, contract_id, month, snapshot_json, data_version, self.user)

    def exclude_survey(self, contract_id: str, response_id: str, reason: str) -> st.SurveyExclusion:
        self._need("exclude_survey", contract_id)
        return st.exclude_survey(self.store, contract_id, response_id, reason, self.user)

    def save_contract(self, text: str, contract_id: str, *, as_new_revision: bool = False) -> st.ContractSave:
        """Edit a contract the principal administers, or create a new one (admins of every contract).

        The contract saved is the one the TOML names: `contract_id` (the page's) only stands in when the
        text does not parse. An id outside the principal's scope is refused with one answer whether
        such a contract exists or not, so a scoped admin learns nothing about hidden ids."""
        from sla_core.contract import parse_contract

        parsed, _ = parse_contract(text)
        target = parsed.id if parsed is not None else contract_id
        if not self.principal.sees(target):
            raise AccessDenied(
                error(
                    "access.contract",
                    "只能保存自己管理的合同：该合同编号不在您的范围内",
                    "you may only save the contracts you administer: this contract id is outside yours",
                    value=target,
                )
            )
        known = {c.contract_id for c in st.list_contracts(self.store)}
        if target in known:
            self._need("edit_contract", target)
        else:
            self._need("create_contract", None)
            if self.principal.contracts is not None:
                raise AccessDenied(
                    error(
                        "access.role",
                        "只有可查看全部合同的管理员能新建合同",
                        "only an admin of every contract may create contracts",
                    )
                )
        return st.save_contract(self.store, text, self.user, as_new_revision=as_new_revision)

    def export_report(self, contract_id: str, period: str, lang: str) -> bytes:
        """The month's report or the quarter's pack with what this principal may read (the audit log
        only with the audit permission), written to the audit log as an export."""
        self._need("export", contract_id)
        data = build_report(self.snapshot(contract_id), period, lang, guard=self)
        st.record_audit(
            self.store,
            self.user,
            "report.export",
            contract_id,
            {"period": period, "lang": lang, "bytes": len(data)},
        )
        return data


def record_sign_in(store: st.Store, name: str, ok: bool) -> None:
    """A sign-in attempt in the audit log (before anyone is signed in, so outside any Guard)."""
    st.record_audit(store, name.strip() or "?", "sign_in" if ok else "sign_in_failed", None, {})
