"""The versioned row tables: each kind's table and key, its whitelisted column identifiers, and the
conversions between the import's frames and Arrow tables and back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.dataset import DIMENSION_PREFIX, KINDS, ROW, SCHEMA, Kind, conform
from sla_core.store.db import Sql

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
    return kind


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
    out: pd.DataFrame = frame
    return out


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
