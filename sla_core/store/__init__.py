"""The store: one embedded DuckDB file holding contracts, imported rows and the review workflow.

Design
- Several contracts live side by side; every query filters on `contract_id`, and values are always
  bound parameters. Identifiers that vary (a kind's table and columns) come only from a whitelist:
  the canonical columns of `dataset.SCHEMA`. Non-trivial SQL lives in `sql/store/*.sql`.
- Connections are short-lived: each call opens the file, runs one transaction and closes it.
  DuckDB lets one process write at a time; a call that meets a lock (or a write conflict) retries
  for about two seconds, then raises `StoreBusy` ("busy, retry", in both languages).
- Every import is a batch. Rows are versioned per kind (`<kind>_rows`): each batch writes one version
  per key it holds, merged with the current one (columns the file lacked keep the stored value; a
  blank in a column it had clears it). `is_current` marks the version in force: the one from the
  latest active batch of that key. Undoing a batch marks it undone and, for keys whose current
  version came from it, makes the latest version of a still-active batch current again; keys a
  later batch had already replaced are reported and left alone. No version is ever deleted.
- The schema carries a version; `open_store` creates or migrates it, after copying an existing file
  to `backups/<name>-<timestamp>.duckdb` beside it.

Modules: `db` (connections, retries, migrations, the SQL files and whitelisted identifiers) · `contracts` ·
`batches` (versioned imports with undo, the current dataset, mappings and presets) · `registers` (actions,
exemptions, month close, survey exclusions) · `audit`. Callers use the names re-exported here.
"""

from sla_core.dataset import SCHEMA  # the canonical columns, read through the store by its tests
from sla_core.exemptions import apply_exemptions
from sla_core.store.audit import AuditEntry, audit_log, record_audit
from sla_core.store.batches import (
    BatchInfo,
    ImportOutcome,
    UndoOutcome,
    batch_issues,
    current_dataset,
    data_version,
    evaluation_version,
    import_frame,
    list_batches,
    load_mapping,
    load_presets,
    save_mapping,
    save_preset,
    undo_batch,
)
from sla_core.store.contracts import (
    ContractRevision,
    ContractSave,
    contract_revisions,
    list_contracts,
    load_contract,
    save_contract,
)
from sla_core.store.db import (
    DEFAULT_PATH,
    MIGRATIONS,
    Connection,
    Sql,
    Store,
    StoreBusy,
    StoreError,
    connect,
    open_store,
    schema_target,
    schema_version,
    sql,
)
from sla_core.store.registers import (
    ACTION_LINKS,
    ACTION_STATUSES,
    DECISIONS,
    EXEMPTION_KINDS,
    Action,
    ActionChange,
    ActionStatus,
    Exemption,
    MonthClose,
    SurveyExclusion,
    action_history,
    add_action,
    close_month,
    closed_months,
    decide_exemption,
    exclude_survey,
    list_actions,
    list_exemptions,
    list_survey_exclusions,
    remove_survey_exclusion,
    request_exemption,
    update_action,
)
from sla_core.store.tables import KEY_COLUMNS

__all__ = [
    "ACTION_LINKS",
    "ACTION_STATUSES",
    "DECISIONS",
    "DEFAULT_PATH",
    "EXEMPTION_KINDS",
    "KEY_COLUMNS",
    "MIGRATIONS",
    "SCHEMA",
    "Action",
    "ActionChange",
    "ActionStatus",
    "AuditEntry",
    "BatchInfo",
    "Connection",
    "ContractRevision",
    "ContractSave",
    "Exemption",
    "ImportOutcome",
    "MonthClose",
    "Sql",
    "Store",
    "StoreBusy",
    "StoreError",
    "SurveyExclusion",
    "UndoOutcome",
    "action_history",
    "add_action",
    "apply_exemptions",
    "audit_log",
    "batch_issues",
    "close_month",
    "closed_months",
    "connect",
    "contract_revisions",
    "current_dataset",
    "data_version",
    "decide_exemption",
    "evaluation_version",
    "exclude_survey",
    "import_frame",
    "list_actions",
    "list_batches",
    "list_contracts",
    "list_exemptions",
    "list_survey_exclusions",
    "load_contract",
    "load_mapping",
    "load_presets",
    "open_store",
    "record_audit",
    "remove_survey_exclusion",
    "request_exemption",
    "save_contract",
    "save_mapping",
    "save_preset",
    "schema_target",
    "schema_version",
    "sql",
    "undo_batch",
    "update_action",
]
