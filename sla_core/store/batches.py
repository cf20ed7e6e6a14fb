"""Versioned imports: each file is a batch of row versions per key, undoable; the current dataset read
back from the versions in force, its data version, and the column mappings and presets saved per contract."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from sla_core.dataset import DIMENSION_PREFIX, KINDS, ROW, SCHEMA, Dataset, Kind
from sla_core.problems import Issue
from sla_core.store.audit import _audit
from sla_core.store.contracts import _require_contract
from sla_core.store.db import Connection, Sql, Store, _fail, _now, _one, _rows, _run, reused, sql
from sla_core.store.tables import (
    _DIMS,
    _DIMS_MERGED,
    _KEY_SQL,
    _TABLES,
    KEY_COLUMNS,
    _current_columns,
    _frame,
    _ident,
    _incoming,
    _join,
    _kind,
    _stored_columns,
    _to_pandas,
)

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
    kind: Kind
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
    return [BatchInfo(*(*r[:6], frozenset(r[6]), *r[7:])) for r in rows]


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


def current_dataset(store: Store, contract_id: str) -> Dataset:
    """The current rows of every kind as canonical frames (None for a kind without an active batch);
    `columns` is the union of the columns the files of the active batches had."""

    def work(con: Connection) -> tuple[dict[str, list[str]], dict[Kind, pa.Table]]:
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

    def read() -> str:
        row = _run(store, lambda con: _one(con, sql("data_version"), {"contract_id": contract_id}))
        return str(row[0]) if row else ""

    return reused(store, f"data_version:{contract_id}", read)


def evaluation_version(store: Store, contract_id: str) -> tuple[str, str]:
    """(data version, evaluation version) in one read: the second also changes with every write of the
    workflow an evaluation shows — improvement actions, month closes, exemption decisions. Every page
    run of every session asks (the sidebar's snapshot): reused while the store's files are unchanged."""
    query = sql("evaluation_version", data_version=Sql(sql("data_version")))

    def read() -> tuple[str, str]:
        row = _run(store, lambda con: _one(con, query, {"contract_id": contract_id}))
        return (str(row[0]), str(row[1])) if row else ("", "")

    return reused(store, f"evaluation_version:{contract_id}", read)


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
