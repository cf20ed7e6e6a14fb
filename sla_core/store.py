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
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.contract import Contract, ContractError, parse_contract
from sla_core.dataset import DIMENSION_PREFIX, KINDS, ROW, SCHEMA, Dataset, Kind, conform
from sla_core.problems import Issue, error, warning

T = TypeVar("T")
Connection = duckdb.DuckDBPyConnection

DEFAULT_PATH = Path("data/sla.duckdb")

# ---------------------------------------------------------------- errors


class StoreError(Exception):
    """A problem the user should see: carries one bilingual `Issue`."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.en)


class StoreBusy(StoreError):
    """Another process holds the database; the call was retried and gave up."""

    def __init__(self) -> None:
        super().__init__(error("store.busy", "数据库正忙，请稍后重试", "The database is busy; please retry."))


def _fail(code: str, zh: str, en: str, **where: Any) -> StoreError:
    return StoreError(error(code, zh, en, **where))


# ---------------------------------------------------------------- SQL files and whitelisted identifiers

_SQL_DIR = Path(__file__).with_name("sql") / "store"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


class Sql(str):
    """A SQL fragment built only from whitelisted identifiers and constant text (never from values)."""

    __slots__ = ()


@functools.cache
def _sql_text(name: str) -> str:
    return (_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql(name: str, **fragments: Sql) -> str:
    """The query in `sql/store/<name>.sql`, its `{{placeholders}}` filled with whitelisted fragments."""
    text = _sql_text(name)
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted != set(fragments):
        raise ValueError(f"{name}.sql needs {sorted(wanted)}, got {sorted(fragments)}")
    for key, value in fragments.items():
        if not isinstance(value, Sql):
            raise TypeError(f"fragment {key!r} of {name}.sql is not a whitelisted Sql fragment")
    return _PLACEHOLDER.sub(lambda m: fragments[m.group(1)], text)


_TABLES: dict[str, Sql] = {kind: Sql(f"{kind}_rows") for kind in KINDS}
# The row identity of each kind, as stored in the `key` column.
KEY_COLUMNS: dict[Kind, tuple[str, ...]] = {
    "tickets": ("ticket_id",),
    "surveys": ("response_id",),
    "outages": ("service", "start"),
    "measures": ("month", "kpi", "source"),
}
_KEY_SQL: dict[str, Sql] = {
    "tickets": Sql('"ticket_id"'),
    "surveys": Sql('"response_id"'),
    "outages": Sql('"service" || chr(31) || CAST(epoch_us("start") AS VARCHAR)'),
    "measures": Sql('"month" || chr(31) || "kpi" || chr(31) || coalesce("source", \'\')'),
}
_DIMS = "dims"  # surveys: MAP(VARCHAR, DOUBLE) of dimension scores
_DIMS_TYPE = pa.map_(pa.string(), pa.float64())
# surveys whose file had dimension columns: drop the stored scores of those dimensions, add the file's
_DIMS_MERGED = Sql(
    "map_from_entries(list_sort(list_concat("
    "list_filter(coalesce(map_entries(cur.dims), []), lambda e: NOT list_contains($present_dims, e.key)), "
    "coalesce(map_entries(s.dims), []))))"
)


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    return cast(Kind, kind)


def _ident(kind: Kind, column: str, alias: str = "") -> Sql:
    """A quoted canonical column name of `kind`, optionally qualified by a fixed alias."""
    if column not in SCHEMA[kind] and column != ROW:
        raise ValueError(f"{column!r} is not a canonical {kind} column")
    if alias not in ("", "s", "cur", "v"):
        raise ValueError(f"unknown alias {alias!r}")
    return Sql(f'{alias}."{column}"' if alias else f'"{column}"')


def _join(parts: Iterable[str]) -> Sql:
    return Sql(", ".join(parts))


_SQL_TYPES = {
    "string": "VARCHAR",
    "datetime64[s, UTC]": "TIMESTAMPTZ",
    "bool": "BOOLEAN",
    "Int64": "BIGINT",
    "Float64": "DOUBLE",
}


def _current_columns(kind: Kind, present: Iterable[str]) -> list[Sql]:
    """The columns `current_dataset` reads: the ones some active batch's file had, blank for the rest
    (a value carried from an undone batch must not show in a column no active file has)."""
    have = set(present) | set(KEY_COLUMNS[kind])
    out = []
    for column, dtype in SCHEMA[kind].items():
        if column in have:
            out.append(_ident(kind, column))
        elif dtype == "bool":
            out.append(Sql(f"false AS {_ident(kind, column)}"))
        else:
            out.append(Sql(f"CAST(NULL AS {_SQL_TYPES[dtype]}) AS {_ident(kind, column)}"))
    if kind == "surveys":
        out.append(Sql(_DIMS))
    out.append(_ident(kind, ROW))
    return out


def _stored_columns(kind: Kind) -> list[Sql]:
    """The data columns of the kind's version table, in canonical order."""
    cols = [_ident(kind, c) for c in SCHEMA[kind]]
    if kind == "surveys":
        cols.append(Sql(_DIMS))
    cols.append(_ident(kind, ROW))
    return cols


# ---------------------------------------------------------------- connections, retries, transactions


@dataclass(frozen=True)
class Store:
    """Where the database is and how long to wait for it; holds no connection."""

    path: Path
    tries: int = 5
    busy_timeout: float = 2.0  # seconds spread over the retries


def _is_busy(exc: BaseException) -> bool:
    if isinstance(exc, duckdb.TransactionException):
        return True  # a write-write conflict with another connection of this process
    text = str(exc).lower()
    return isinstance(exc, duckdb.IOException) and ("lock" in text or "resource temporarily" in text)


def _retrying(store: Store, attempt: Callable[[], T]) -> T:
    delay = store.busy_timeout / max(store.tries - 1, 1)
    last: BaseException | None = None
    for number in range(store.tries):
        if number:
            time.sleep(delay)
        try:
            return attempt()
        except duckdb.Error as exc:
            if not _is_busy(exc):
                raise
            last = exc
    raise StoreBusy() from last


# DuckDB 2.0 shares one database instance among a process's connections to a file, and creating or
# tearing it down while another thread connects fails now and then ("python_arrow_scan does not
# exist", "file is already attached"). Opening and closing are therefore serialised per file; the
# work in between runs concurrently, each thread on its own connection.
_GUARD = threading.Lock()
_FILE_LOCKS: dict[str, threading.Lock] = {}


def _file_lock(store: Store) -> threading.Lock:
    with _GUARD:
        return _FILE_LOCKS.setdefault(str(store.path.resolve()), threading.Lock())


def _open(store: Store) -> Connection:
    with _file_lock(store):
        return duckdb.connect(str(store.path))


def _close(store: Store, con: Connection) -> None:
    with _file_lock(store):
        con.close()


@contextlib.contextmanager
def connect(store: Store) -> Iterator[Connection]:
    """A short-lived connection of one's own (opening it retries while another process writes).

    For reads by other modules; never share it across threads, and close it soon."""
    con = _retrying(store, lambda: _open(store))
    try:
        yield con
    finally:
        _close(store, con)


def _run(store: Store, work: Callable[[Connection], T], *, transaction: bool = True) -> T:
    """Open, run `work` in one transaction (ROLLBACK on any exception), close; retry when busy."""

    def attempt() -> T:
        con = _open(store)
        try:
            if not transaction:
                return work(con)
            con.execute("BEGIN TRANSACTION")
            try:
                result = work(con)
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
            return result
        finally:
            _close(store, con)

    return _retrying(store, attempt)


def _rows(con: Connection, query: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Run a statement and read its whole result (leaves no open result on the connection)."""
    return con.execute(query, dict(params) if params else None).fetchall()


def _one(con: Connection, query: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
    rows = _rows(con, query, params)
    return rows[0] if rows else None


def _now() -> datetime:
    return datetime.now(UTC)


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


# ---------------------------------------------------------------- schema version and migrations


def _script(name: str) -> Callable[[Connection], None]:
    def run(con: Connection) -> None:
        _rows(con, _sql_text(name))

    return run


# (version, migration from the version before). Append only; never edit a released migration.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _script("migrations/001_initial")),
    (2, _script("migrations/002_pause_intervals")),
]


def schema_target() -> int:
    """The schema version this code writes."""
    return max(version for version, _ in MIGRATIONS)


def _read_version(con: Connection) -> int:
    tables = {r[0] for r in _rows(con, "SELECT table_name FROM information_schema.tables")}
    if "schema_version" not in tables:
        if tables:
            raise _fail(
                "store.foreign",
                "该文件不是本工具的数据库",
                "This file is not a database of this tool.",
            )
        return 0
    row = _one(con, "SELECT coalesce(max(version), 0) FROM schema_version")
    return int(row[0]) if row else 0


def schema_version(store: Store) -> int:
    """The schema version of the store's file."""
    return _run(store, _read_version)


def _backup(store: Store) -> Path:
    folder = store.path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _now().strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{store.path.stem}-{stamp}.duckdb"
    number = 1
    while target.exists():
        target = folder / f"{store.path.stem}-{stamp}-{number}.duckdb"
        number += 1

    def copy(con: Connection) -> None:
        _rows(con, "CHECKPOINT")  # fold the write-ahead log into the file; we hold the lock meanwhile
        shutil.copy2(store.path, target)

    _run(store, copy, transaction=False)
    return target


def _migrate(con: Connection) -> list[int]:
    current = _read_version(con)  # read again inside the transaction: another opener may have won
    applied = []
    for version, step in sorted(MIGRATIONS, key=lambda m: m[0]):
        if version > current:
            step(con)
            _rows(con, "INSERT INTO schema_version VALUES ($v, $at)", {"v": version, "at": _now()})
            applied.append(version)
    return applied


def open_store(path: str | Path = DEFAULT_PATH, *, tries: int = 5, busy_timeout: float = 2.0) -> Store:
    """The store at `path`, created on first use (parent folder too) or migrated to this version.

    An existing file is copied to `backups/<name>-<timestamp>.duckdb` beside it before migrating."""
    store = Store(Path(path), tries=tries, busy_timeout=busy_timeout)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    version = schema_version(store)
    target = schema_target()
    if version > target:
        raise _fail(
            "store.newer",
            f"数据库版本 {version} 高于本程序支持的 {target}；请升级程序",
            f"The database has schema version {version}, newer than this release ({target}); upgrade it.",
        )
    if version < target:
        if version > 0:
            _backup(store)
        _run(store, _migrate)
    return store


# ---------------------------------------------------------------- contracts


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
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT contract_id, revision, coalesce(name, ''), sha256, stored_at, stored_by FROM contracts "
            "QUALIFY row_number() OVER (PARTITION BY contract_id ORDER BY revision DESC) = 1 "
            "ORDER BY contract_id",
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


# ---------------------------------------------------------------- imports


@dataclass(frozen=True)
class ImportOutcome:
    """One import: the new batch and how its rows compare, or the active batch it duplicates."""

    batch_id: int | None
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate_of: int | None = None


@dataclass(frozen=True)
class BatchInfo:
    batch_id: int
    contract_id: str
    kind: str
    file_name: str | None
    sha256: str | None
    rows: int
    columns_present: frozenset[str]
    imported_at: datetime
    imported_by: str
    status: Literal["active", "undone"]
    skipped: int
    inserted: int
    updated: int
    unchanged: int
    undone_at: datetime | None
    undone_by: str | None


def _present_columns(
    kind: Kind, columns_present: Iterable[str], frame_columns: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The canonical columns and the survey dimensions a file had (validated against the whitelist);
    dimensions in the frame's column order (the questionnaire's), then any others as given."""
    cols: set[str] = set()
    dims: list[str] = []
    for name in columns_present:
        if name == ROW:
            continue
        if kind == "surveys" and name.startswith(DIMENSION_PREFIX) and len(name) > len(DIMENSION_PREFIX):
            dims.append(name[len(DIMENSION_PREFIX) :])
        elif name in SCHEMA[kind]:
            cols.add(name)
        else:
            raise ValueError(f"{name!r} is not a canonical {kind} column")
    position = {name: i for i, name in enumerate(frame_columns)}
    ordered = sorted(dict.fromkeys(dims), key=lambda d: position.get(DIMENSION_PREFIX + d, len(position)))
    return [c for c in SCHEMA[kind] if c in cols], ordered


def _dims_array(frame: pd.DataFrame, dims: list[str]) -> pa.Array:
    """A MAP(dimension → score) per row, built without a Python loop over rows."""
    n = len(frame)
    if not dims:
        return pa.nulls(n, type=_DIMS_TYPE)
    columns = []
    for dim in dims:
        name = DIMENSION_PREFIX + dim
        if name in frame.columns:
            values = pd.to_numeric(frame[name], errors="coerce").astype("float64").to_numpy()
        else:
            values = np.full(n, np.nan)
        columns.append(values)
    flat = np.column_stack(columns).ravel() if n else np.empty(0)
    offsets = pa.array(np.arange(0, n * len(dims) + 1, len(dims), dtype=np.int32))
    keys = pa.array(np.tile(np.array(dims, dtype=object), n), type=pa.string())
    items = pa.array(flat, mask=np.isnan(flat), type=pa.float64())
    return pa.MapArray.from_arrays(offsets, keys, items)


def _incoming(kind: Kind, frame: pd.DataFrame, dims: list[str]) -> pa.Table:
    data = conform(kind, frame)
    table = pa.Table.from_pandas(data[[*SCHEMA[kind], ROW]], preserve_index=False)
    if kind == "surveys":
        table = table.append_column(_DIMS, _dims_array(data, dims))
    return table


def _issue_rows(batch_id: int, contract_id: str, issues: Sequence[Issue]) -> pa.Table:
    return pa.table(
        {
            "batch_id": pa.array([batch_id] * len(issues), type=pa.int64()),
            "contract_id": pa.array([contract_id] * len(issues), type=pa.string()),
            "seq": pa.array(range(1, len(issues) + 1), type=pa.int32()),
            "level": pa.array([i.level for i in issues], type=pa.string()),
            "code": pa.array([i.code for i in issues], type=pa.string()),
            "file": pa.array([i.file for i in issues], type=pa.string()),
            "sheet": pa.array([i.sheet for i in issues], type=pa.string()),
            "row_no": pa.array([i.row for i in issues], type=pa.int64()),
            "column_name": pa.array([i.column for i in issues], type=pa.string()),
            "value": pa.array([None if i.value is None else str(i.value) for i in issues], type=pa.string()),
            "zh": pa.array([i.zh for i in issues], type=pa.string()),
            "en": pa.array([i.en for i in issues], type=pa.string()),
        }
    )


def _skipped_rows(issues: Sequence[Issue]) -> int:
    return len({(i.file, i.sheet, i.row) for i in issues if i.level == "error" and i.row is not None})


def import_frame(
    store: Store,
    contract_id: str,
    kind: str,
    frame: pd.DataFrame,
    *,
    file_name: str | None,
    sha256: str | None,
    columns_present: Iterable[str],
    user: str,
    skipped: list[Issue] | None = None,
) -> ImportOutcome:
    """Import one canonical frame as a batch, in one transaction with its rows and its skipped-row log.

    The same file (sha256) already imported and active for this contract and kind changes nothing
    (`duplicate_of`). Otherwise every row becomes the current version of its key: columns in
    `columns_present` come from the frame (a blank clears), the others keep the stored value.
    Keys must be present and unique within the frame (ingest reports duplicates as errors)."""
    kind_ = _kind(kind)
    present = list(dict.fromkeys(columns_present))
    cols, dims = _present_columns(kind_, present, list(frame.columns))
    keys = set(KEY_COLUMNS[kind_])  # the key columns always come from the file
    issues = list(skipped or [])
    table = _incoming(kind_, frame, dims)
    stored = _stored_columns(kind_)
    merged = []
    changed = []
    for column in SCHEMA[kind_]:
        if column in cols or column in keys:
            merged.append(Sql(f"{_ident(kind_, column, 's')} AS {_ident(kind_, column)}"))
            changed.append(
                Sql(f"{_ident(kind_, column, 's')} IS DISTINCT FROM {_ident(kind_, column, 'cur')}")
            )
        else:
            merged.append(Sql(f"{_ident(kind_, column, 'cur')} AS {_ident(kind_, column)}"))
    params: dict[str, Any] = {"contract_id": contract_id}
    if kind_ == "surveys":
        if dims:
            merged.append(Sql(f"{_DIMS_MERGED} AS {_DIMS}"))
            changed.append(Sql(f"{_DIMS_MERGED} IS DISTINCT FROM cur.{_DIMS}"))
            params["present_dims"] = dims
        else:
            merged.append(Sql(f"cur.{_DIMS} AS {_DIMS}"))
    merged.append(Sql(f"{_ident(kind_, ROW, 's')} AS {_ident(kind_, ROW)}"))
    merge_sql = sql(
        "import_merge",
        table=_TABLES[kind_],
        merged=_join(merged),
        changed=Sql(" OR ".join(changed) or "false"),
    )

    def work(con: Connection) -> ImportOutcome:
        _require_contract(con, contract_id)
        if sha256:
            dup = _one(
                con, sql("batch_duplicate"), {"contract_id": contract_id, "kind": kind_, "sha256": sha256}
            )
            if dup is not None:
                return ImportOutcome(batch_id=None, rows=len(frame), duplicate_of=int(dup[0]))
        # `stage` is a view of the registered frame, read twice (key check, merge) rather than copied
        con.register("incoming", table)
        try:
            _rows(con, sql("import_stage", key=_KEY_SQL[kind_], columns=_join(stored)))
            missing, duplicates = _one(con, sql("import_key_problems")) or (0, [])
            if missing or duplicates:
                names = ", ".join(KEY_COLUMNS[kind_])
                raise ValueError(
                    f"{kind_}: {missing} row(s) without a key ({names}); keys held twice: {duplicates}"
                )
            batch_id = int(_rows(con, "SELECT nextval('batch_id_seq')")[0][0])
            _rows(con, merge_sql, params)
        finally:
            con.unregister("incoming")
        inserted, updated, unchanged = _one(con, sql("import_counts")) or (0, 0, 0)
        _rows(con, sql("import_supersede", table=_TABLES[kind_]), {"contract_id": contract_id})
        _rows(
            con,
            sql("import_insert", table=_TABLES[kind_], columns=_join(stored)),
            {"contract_id": contract_id, "batch_id": batch_id},
        )
        _rows(
            con,
            "INSERT INTO batches VALUES ($batch_id, $contract_id, $kind, $file_name, $sha256, $rows, $columns, "
            "$at, $by, 'active', $skipped, $inserted, $updated, $unchanged, NULL, NULL)",
            {
                "batch_id": batch_id,
                "contract_id": contract_id,
                "kind": kind_,
                "file_name": file_name,
                "sha256": sha256,
                "rows": len(table),
                "columns": [*cols, *(DIMENSION_PREFIX + d for d in dims)],
                "at": _now(),
                "by": user,
                "skipped": _skipped_rows(issues),
                "inserted": inserted,
                "updated": updated,
                "unchanged": unchanged,
            },
        )
        if issues:
            con.register("issue_rows", _issue_rows(batch_id, contract_id, issues))
            try:
                _rows(con, "INSERT INTO batch_issues SELECT * FROM issue_rows")
            finally:
                con.unregister("issue_rows")
        _rows(con, "DROP VIEW IF EXISTS stage; DROP TABLE IF EXISTS merged")
        _audit(
            con,
            user,
            "batch.import",
            contract_id,
            {
                "batch_id": batch_id,
                "kind": kind_,
                "file_name": file_name,
                "sha256": sha256,
                "rows": len(table),
                "inserted": inserted,
                "updated": updated,
                "unchanged": unchanged,
                "skipped": _skipped_rows(issues),
            },
        )
        return ImportOutcome(batch_id, len(table), int(inserted), int(updated), int(unchanged))

    return _run(store, work)


@dataclass(frozen=True)
class UndoOutcome:
    """An undone batch: keys whose replaced version is current again (`restored`), keys that had no
    earlier version and are gone (`removed`), and the batch's rows a later batch had already replaced
    (`already_replaced`: the key columns and `replaced_by`, the batch whose version is in force)."""

    batch_id: int
    kind: str
    restored: int
    removed: int
    already_replaced: pd.DataFrame


def undo_batch(store: Store, contract_id: str, batch_id: int, user: str) -> UndoOutcome:
    """Undo one batch in one transaction (see the module docstring). Undoing twice is refused."""

    def work(con: Connection) -> UndoOutcome:
        row = _one(
            con,
            "SELECT kind, status FROM batches WHERE contract_id = $c AND batch_id = $b",
            {"c": contract_id, "b": batch_id},
        )
        if row is None:
            raise _fail(
                "store.unknown_batch",
                f"合同 {contract_id} 没有批次 {batch_id}",
                f"Contract {contract_id} has no batch {batch_id}.",
                value=str(batch_id),
            )
        if row[1] != "active":
            raise _fail(
                "store.batch_undone",
                f"批次 {batch_id} 已撤销",
                f"Batch {batch_id} was already undone.",
                value=str(batch_id),
            )
        kind = _kind(row[0])
        table = _TABLES[kind]
        params = {"contract_id": contract_id, "batch_id": batch_id}
        key_cols = _join(_ident(kind, c, "v") for c in KEY_COLUMNS[kind])
        replaced = con.sql(sql("undo_already_replaced", table=table, key_columns=key_cols), params=params)
        already = replaced.to_arrow_table()
        _rows(con, sql("undo_keys", table=table), params)
        affected = int(_rows(con, "SELECT count(*) FROM undo_keys")[0][0])
        _rows(
            con,
            "UPDATE batches SET status = 'undone', undone_at = $at, undone_by = $by "
            "WHERE contract_id = $contract_id AND batch_id = $batch_id",
            {**params, "at": _now(), "by": user},
        )
        _rows(con, sql("undo_withdraw", table=table), params)
        restored_rows = _rows(con, sql("undo_restore", table=table), {"contract_id": contract_id})
        restored = int(restored_rows[0][0]) if restored_rows else 0
        _rows(con, "DROP TABLE IF EXISTS undo_keys")
        _audit(
            con,
            user,
            "batch.undo",
            contract_id,
            {
                "batch_id": batch_id,
                "kind": kind,
                "restored": restored,
                "removed": affected - restored,
                "already_replaced": already.num_rows,
            },
        )
        frame = _to_pandas(already)
        return UndoOutcome(batch_id, kind, restored, affected - restored, frame)

    return _run(store, work)


def list_batches(store: Store, contract_id: str, kind: str | None = None) -> list[BatchInfo]:
    """The contract's batches (optionally of one kind), oldest first."""
    if kind is not None:
        _kind(kind)
    rows = _run(
        store,
        lambda con: _rows(
            con,
            'SELECT batch_id, contract_id, kind, file_name, sha256, "rows", columns_present, imported_at, '
            "imported_by, status, skipped, inserted, updated, unchanged, undone_at, undone_by FROM batches "
            "WHERE contract_id = $c AND ($kind IS NULL OR kind = $kind) ORDER BY batch_id",
            {"c": contract_id, "kind": kind},
        ),
    )
    return [BatchInfo(*r[:6], frozenset(r[6]), *r[7:]) for r in rows]  # type: ignore[arg-type]


def batch_issues(store: Store, contract_id: str, batch_id: int) -> list[Issue]:
    """The data-quality log of one batch of the contract: the issues of the rows it skipped."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT level, code, zh, en, file, sheet, row_no, column_name, value FROM batch_issues "
            "WHERE contract_id = $c AND batch_id = $b ORDER BY seq",
            {"c": contract_id, "b": batch_id},
        ),
    )
    return [Issue(*r) for r in rows]


# ---------------------------------------------------------------- reading the current data

_ARROW_TO_PANDAS: dict[pa.DataType, Any] = {
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.int32(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
}


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas(types_mapper=_ARROW_TO_PANDAS.get)
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.DatetimeTZDtype):
            frame[name] = frame[name].dt.tz_convert("UTC").astype("datetime64[s, UTC]")
    return frame


def _frame(kind: Kind, table: pa.Table, present: Sequence[str]) -> pd.DataFrame:
    dims: dict[str, pa.ChunkedArray] = {}
    if kind == "surveys":
        for name in present:
            if name.startswith(DIMENSION_PREFIX):
                dims[name] = _map_first(table[_DIMS], name[len(DIMENSION_PREFIX) :])
        table = table.drop_columns([_DIMS])
    frame = conform(kind, _to_pandas(table))
    if not dims:
        return frame
    for name, values in dims.items():  # Float64 like ingest's score columns; ingest's column order
        frame[name] = pd.array(values, dtype="Float64")
    return frame[[*SCHEMA[kind], *dims, ROW]]


def _map_first(column: pa.ChunkedArray | pa.Array, key: str) -> np.ndarray:
    """Each row's value for `key` in a MAP column (its first entry; NaN where absent or null): what
    pc.map_lookup(column, key, "first") gives, four times faster — by finding the matching entries
    in the flattened keys and the row each belongs to from the offsets."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    out = np.full(len(arr), np.nan)
    if len(arr) == 0:
        return out
    offsets = arr.offsets.to_numpy()
    match = np.flatnonzero(pc.equal(arr.keys, key).fill_null(False).to_numpy(zero_copy_only=False))
    match = match[(match >= offsets[0]) & (match < offsets[-1])]
    row = np.searchsorted(offsets, match, side="right") - 1
    rows, first = np.unique(row, return_index=True)
    out[rows] = arr.items.to_numpy(zero_copy_only=False)[match[first]]
    out[arr.is_null().to_numpy(zero_copy_only=False)] = np.nan
    return out


def current_dataset(store: Store, contract_id: str) -> Dataset:
    """The current rows of every kind as canonical frames (None for a kind without an active batch);
    `columns` is the union of the columns the files of the active batches had."""

    def work(con: Connection) -> tuple[dict[str, list[str]], dict[str, pa.Table]]:
        present: dict[str, list[str]] = {}
        for kind, columns in _rows(con, sql("columns_present"), {"contract_id": contract_id}):
            present.setdefault(kind, [])
            present[kind] += [c for c in columns if c not in present[kind]]  # ordered union
        tables = {}
        for kind in KINDS:
            if kind in present:
                columns = _join(_current_columns(kind, present[kind]))
                query = sql("current_rows", table=_TABLES[kind], columns=columns)
                tables[kind] = con.sql(query, params={"contract_id": contract_id}).to_arrow_table()
        return present, tables

    present, tables = _run(store, work)
    dataset = Dataset()
    for kind, table in tables.items():
        kind_ = _kind(kind)
        setattr(dataset, kind_, _frame(kind_, table, present[kind]))
        dataset.columns[kind_] = frozenset(present[kind])
    return dataset


def data_version(store: Store, contract_id: str) -> str:
    """Changes whenever something that affects the contract's numbers changes (for caching)."""
    row = _run(store, lambda con: _one(con, sql("data_version"), {"contract_id": contract_id}))
    return str(row[0]) if row else ""


# ---------------------------------------------------------------- column mappings


def save_mapping(
    store: Store, contract_id: str, kind: str, mapping: Mapping[str, str], user: str = ""
) -> None:
    """Remember the column mapping (header as written → canonical column) for a contract and kind."""
    kind_ = _kind(kind)
    clean = {str(k): str(v) for k, v in mapping.items()}

    def work(con: Connection) -> None:
        _require_contract(con, contract_id)
        _rows(
            con,
            "INSERT OR REPLACE INTO mappings VALUES ($c, $kind, $mapping, $at, $by)",
            {
                "c": contract_id,
                "kind": kind_,
                "mapping": json.dumps(clean, ensure_ascii=False),
                "at": _now(),
                "by": user,
            },
        )
        _audit(con, user, "mapping.save", contract_id, {"kind": kind_, "mapping": clean})

    _run(store, work)


def load_mapping(store: Store, contract_id: str, kind: str) -> dict[str, str]:
    """The remembered mapping ({} when none was saved)."""
    kind_ = _kind(kind)
    row = _run(
        store,
        lambda con: _one(
            con,
            "SELECT mapping FROM mappings WHERE contract_id = $c AND kind = $kind",
            {"c": contract_id, "kind": kind_},
        ),
    )
    return dict(json.loads(row[0])) if row else {}


# ---------------------------------------------------------------- user presets (per contract)

_PRESET_KIND = "preset:"  # rows of the mappings table whose kind is "preset:<id>" hold a user preset


def save_preset(store: Store, contract_id: str, preset: Mapping[str, Any], user: str = "") -> None:
    """Remember one of the user's own import presets (`ingest.presets.Preset.to_dict()`) for a contract;
    the same id again replaces it."""
    preset_id = str(preset.get("id") or "").strip()
    if not preset_id:
        raise ValueError("a preset needs an id")
    text = json.dumps(dict(preset), ensure_ascii=False, sort_keys=True)

    def work(con: Connection) -> None:
        _require_contract(con, contract_id)
        _rows(
            con,
            "INSERT OR REPLACE INTO mappings VALUES ($c, $kind, $mapping, $at, $by)",
            {"c": contract_id, "kind": _PRESET_KIND + preset_id, "mapping": text, "at": _now(), "by": user},
        )
        _audit(con, user, "preset.save", contract_id, {"preset": preset_id})

    _run(store, work)


def load_presets(store: Store, contract_id: str) -> list[dict[str, Any]]:
    """The contract's user presets, by id."""
    rows = _run(
        store,
        lambda con: _rows(
            con,
            "SELECT mapping FROM mappings WHERE contract_id = $c AND starts_with(kind, $prefix) ORDER BY kind",
            {"c": contract_id, "prefix": _PRESET_KIND},
        ),
    )
    return [dict(json.loads(r[0])) for r in rows]


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


# ---------------------------------------------------------------- audit log


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
    return [AuditEntry(*r[:5], json.loads(r[5])) for r in rows]
