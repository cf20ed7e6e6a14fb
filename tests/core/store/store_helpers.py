"""Small canonical frames and contracts for the store tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from sla_core import store as S
from sla_core.dataset import SCHEMA, conform
from sla_core.problems import Issue

CONTRACT = """
[contract]
id = "{id}"
name = "{name}"
effective_from = 2026-01-01

[[priorities]]
id = "P1"
response = "15m"
resolution = "2h"

[[priorities]]
id = "P2"
response = "{p2_response}"
resolution = "8h"
"""


def contract_text(
    cid: str = "acme", *, name: str = "Acme", p2_response: str = "1h", comment: str = ""
) -> str:
    text = CONTRACT.format(id=cid, name=name, p2_response=p2_response)
    return f"# {comment}\n{text}" if comment else text


def ts(text: str | None) -> pd.Timestamp | None:
    return None if text is None else pd.Timestamp(text, tz="UTC")


def frame(kind: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A canonical frame from dict rows (timestamps as ISO text, read as UTC)."""
    raw = pd.DataFrame(rows)
    for column, dtype in SCHEMA[kind].items():  # type: ignore[index]
        if column in raw.columns and dtype.startswith("datetime64"):
            raw[column] = pd.to_datetime(raw[column], utc=True)
    return conform(kind, raw)  # type: ignore[arg-type]


def tickets(rows: list[dict[str, Any]]) -> pd.DataFrame:
    base = {"created_at": "2026-03-01T01:00:00Z", "priority": "P1"}
    return frame("tickets", [{**base, **r} for r in rows])


def do_import(
    st: S.Store,
    kind: str,
    data: pd.DataFrame,
    present: Iterable[str],
    *,
    cid: str = "acme",
    sha: str | None = None,
    name: str = "file.xlsx",
    skipped: list[Issue] | None = None,
) -> S.ImportOutcome:
    return S.import_frame(
        st,
        cid,
        kind,
        data,
        file_name=name,
        sha256=sha,
        columns_present=list(present),
        user="tester",
        skipped=skipped,
    )


def current(st: S.Store, kind: str = "tickets", cid: str = "acme") -> pd.DataFrame:
    data = S.current_dataset(st, cid).frame(kind)  # type: ignore[arg-type]
    assert data is not None
    key = S.KEY_COLUMNS[kind][0]  # type: ignore[index]
    return data.sort_values(key).reset_index(drop=True)


def records(df: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    """Rows as plain tuples, blanks as None."""
    out = []
    for row in df[columns].itertuples(index=False):
        out.append(tuple(None if pd.isna(v) else v for v in row))
    return out
