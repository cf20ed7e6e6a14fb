"""The SQL files in `sla_core/sql/` (and `sql/store/`, through `store.db.sql`): one query per file, read once."""

from __future__ import annotations

import functools
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")


@functools.cache
def query(name: str) -> str:
    """The text of `sql/<name>.sql`; names are fixed in code, never taken from input."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
