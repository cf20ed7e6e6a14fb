"""Shared by the reliability tests: a store with the example contract, the store's invariants, and
a fingerprint of everything stored (to prove that a rejected import wrote nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from sla_core import store as S
from sla_core.dataset import KINDS
from sla_core.problems import Issue

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "tests" / "fixtures" / "contract.example.toml"
CONTRACT_ID = "demo-helpdesk"


def new_store(path: Path) -> S.Store:
    """A fresh store at `path` holding the example contract."""
    store = S.open_store(path)
    saved = S.save_contract(store, CONTRACT.read_text(encoding="utf-8"), "tester")
    assert saved.status in ("created", "unchanged"), saved.issues
    return store


def _table(kind: str) -> str:
    if kind not in KINDS:  # the table name is built from a whitelisted kind only
        raise ValueError(kind)
    return f"{kind}_rows"


# Each query returns the rows that break the invariant it is named after (none when the store is sound).
# `__TABLE__` and `__KIND__` stand for a kind's version table and name (from the whitelist of kinds).
KIND_CHECKS = {
    # a version whose batch does not exist, or belongs to another kind or contract
    "orphan rows": """
            SELECT v.batch_id, v.key FROM __TABLE__ v LEFT JOIN batches b ON b.batch_id = v.batch_id
            WHERE b.batch_id IS NULL OR b.kind <> '__KIND__' OR b.contract_id <> v.contract_id""",
    # a batch whose stored versions are not exactly the rows it says it imported
    "batch row counts": """
            SELECT b.batch_id, b."rows", count(v.batch_id) AS stored
            FROM batches b LEFT JOIN __TABLE__ v ON v.batch_id = b.batch_id
            WHERE b.kind = '__KIND__' GROUP BY b.batch_id, b."rows" HAVING b."rows" <> count(v.batch_id)""",
    # one key twice in one batch
    "duplicate keys in a batch": """
            SELECT batch_id, key FROM __TABLE__ GROUP BY batch_id, key HAVING count(*) > 1""",
    # more than one current version of a key
    "two current versions": """
            SELECT contract_id, key FROM __TABLE__ WHERE is_current GROUP BY contract_id, key HAVING count(*) > 1""",
    # a current version from an undone batch
    "current from an undone batch": """
            SELECT v.batch_id, v.key FROM __TABLE__ v JOIN batches b ON b.batch_id = v.batch_id
            WHERE v.is_current AND b.status <> 'active'""",
    # a key of an active batch whose current version is not the latest active batch's
    "current is not the latest active version": """
            WITH latest AS (
                SELECT v.contract_id, v.key, max(v.batch_id) AS batch_id
                FROM __TABLE__ v JOIN batches b ON b.batch_id = v.batch_id AND b.status = 'active'
                GROUP BY v.contract_id, v.key)
            SELECT l.contract_id, l.key, l.batch_id, c.batch_id AS current_batch
            FROM latest l LEFT JOIN __TABLE__ c ON c.contract_id = l.contract_id AND c.key = l.key AND c.is_current
            WHERE c.batch_id IS DISTINCT FROM l.batch_id""",
}


def _kind_checks(kind: str) -> dict[str, str]:
    table = _table(kind)
    return {name: q.replace("__TABLE__", table).replace("__KIND__", kind) for name, q in KIND_CHECKS.items()}


GLOBAL_CHECKS = {
    "issues of a batch that does not exist": """
        SELECT i.batch_id FROM batch_issues i LEFT JOIN batches b ON b.batch_id = i.batch_id
        WHERE b.batch_id IS NULL""",
    "a batch without its audit entry": """
        SELECT b.batch_id FROM batches b WHERE NOT EXISTS (
            SELECT 1 FROM audit_log a WHERE a.action = 'batch.import'
            AND CAST(json_extract(a.detail, '$.batch_id') AS BIGINT) = b.batch_id)""",
    "an undone batch without its audit entry": """
        SELECT b.batch_id FROM batches b WHERE b.status = 'undone' AND NOT EXISTS (
            SELECT 1 FROM audit_log a WHERE a.action = 'batch.undo'
            AND CAST(json_extract(a.detail, '$.batch_id') AS BIGINT) = b.batch_id)""",
    "a batch of an unknown kind or status": """
        SELECT batch_id FROM batches
        WHERE kind NOT IN ('tickets', 'surveys', 'outages', 'measures') OR status NOT IN ('active', 'undone')""",
    "batch ids out of their sequence": """
        SELECT batch_id FROM batches WHERE batch_id > currval('batch_id_seq')""",
}


def _all_checks(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    checks = {f"{kind}: {name}": q for kind in KINDS for name, q in _kind_checks(kind).items()}
    checks.update(GLOBAL_CHECKS)
    if con.execute("SELECT count(*) FROM batches").fetchall()[0][0] == 0:
        del checks["batch ids out of their sequence"]  # currval is undefined before the first batch
    return checks


def violations(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every broken invariant of the store on `con`, with (up to five of) the offending rows."""
    checks = _all_checks(con)
    # one round trip for all of them; the offending rows only for the ones that fail
    counts = " UNION ALL ".join(
        f"SELECT {n} AS n, count(*) AS c FROM ({q})"  # noqa: S608 - the fixed checks above
        for n, q in enumerate(checks.values())
    )
    failing = {int(n) for n, c in con.execute(counts).fetchall() if c}
    return {
        name: con.execute(query).fetchall()[:5]
        for n, (name, query) in enumerate(checks.items())
        if n in failing
    }


def assert_sound(store: S.Store) -> None:
    """The store opens and keeps every invariant (see `violations`)."""
    with S.connect(store) as con:
        broken = violations(con)
    assert not broken, broken


FINGERPRINTED = (*(_table(k) for k in KINDS), "batches", "batch_issues", "mappings", "audit_log")


def fingerprint(store: S.Store) -> dict[str, Any]:
    """Everything an import may write: batches, versions (with is_current), issues, mappings, audit."""
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(sum(hash(t)), 0) FROM {t} AS t"  # noqa: S608 - fixed names
        for t in FINGERPRINTED
    )
    with S.connect(store) as con:
        return {r[0]: r[1:] for r in con.execute(query).fetchall()}


def batch_rows(store: S.Store, kind: str, batch_id: int) -> int:
    with S.connect(store) as con:
        return int(
            con.execute(
                f"SELECT count(*) FROM {_table(kind)} WHERE batch_id = $b",  # noqa: S608 - whitelisted kind
                {"b": batch_id},
            ).fetchall()[0][0]
        )


def bilingual(issue: Issue) -> bool:
    """A message a person can act on in both languages (and no Python trace in it)."""
    texts = (issue.zh, issue.en)
    return (
        issue.level in ("error", "warning")
        and bool(issue.code)
        and all(t and t.strip() for t in texts)
        and not any("Traceback" in t for t in texts)
        and any("\u4e00" <= ch <= "\u9fff" for ch in issue.zh)
    )
