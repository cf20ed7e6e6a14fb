"""How fast could a CSV import be if it were done inside DuckDB? A measurement, not a product path.

The CSV goal (≤ 2× DuckDB `read_csv` into a table) is missed; the only design that could reach it
parses, types, checks and stores in one native pass. This script times a bare sketch of that pass on
the benchmark's 1,000,000-row ticket CSV — `read_csv(all_varchar)`, the columns trimmed and typed in
SQL (timestamps by a cast, in the contract's zone), two checks (duplicate ids, a resolution before its
creation), the rows written to a table — and the same typing in one statement from the reader
straight into the table, without the checks, beside the peer in the same process. Last, it times the
import's own store write alone (the typed rows into the ticket version table, one commit). It leaves out nearly
every value rule the import keeps (timestamp formats and day/month order, DST gaps and overlaps,
labels from the contract, missing markers, booleans, numbers, problems with rows and columns, future
times) and the versioned batch, so it is a floor, not an estimate.

    python -m bench.native_floor [--size 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from bench import data as bd

# the demo's Chinese export, mapped by hand (the import finds this mapping from the headers)
TIMESTAMPS = {
    "创建时间": "created_at",
    "首次响应时间": "first_response_at",
    "解决时间": "resolved_at",
    "关闭时间": "closed_at",
    "分类时间": "classified_at",
}
TEXTS = {"状态": "status", "类别": "category", "渠道": "channel", "客户": "customer"}
TEXTS |= {"处理组": "team", "处理人": "assignee", "免责原因": "exclusion_reason"}
ZONE = "Asia/Shanghai"


def _typed_sql() -> str:
    def ts(col: str) -> str:
        return f"timezone('{ZONE}', TRY_CAST(trim(\"{col}\") AS TIMESTAMP))"

    columns = [
        'trim("工单号") AS ticket_id',
        "CASE trim(\"优先级\") WHEN '紧急' THEN 'P1' WHEN '重要' THEN 'P2' ELSE 'P3' END AS priority",
        *(f"{ts(col)} AS {name}" for col, name in TIMESTAMPS.items()),
        *(f"NULLIF(trim(\"{col}\"), '') AS {name}" for col, name in TEXTS.items()),
        'TRY_CAST(trim("重开次数") AS BIGINT) AS reopened_count',
        "trim(\"一次解决\") = '是' AS first_contact_resolved",
        'TRY_CAST(trim("挂起分钟数") AS DOUBLE) AS paused_minutes',
        "trim(\"建议采纳\") = '是' AS suggestion_adopted",
        "coalesce(trim(\"免责原因\"), '') <> '' AS excluded",
    ]
    # the interpolated names are the fixed headers above, no value is
    return "CREATE TEMP TABLE typed AS SELECT " + ", ".join(columns) + " FROM raw"  # noqa: S608


def native_once(path: Path, workdir: Path) -> tuple[dict[str, float], tuple[int, int]]:
    con = duckdb.connect(str(workdir / "native.duckdb"))
    t0 = time.perf_counter()
    con.execute(
        "CREATE TEMP TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, header = true)", [str(path)]
    )
    t1 = time.perf_counter()
    con.execute(_typed_sql())
    t2 = time.perf_counter()
    duplicates, backwards = con.execute(
        "SELECT count(*) - count(DISTINCT ticket_id), count(*) FILTER (WHERE resolved_at < created_at) FROM typed"
    ).fetchone() or (0, 0)
    t3 = time.perf_counter()
    con.execute("CREATE TABLE tickets AS SELECT 'bench' AS contract_id, ticket_id AS key, * FROM typed")
    con.close()
    t4 = time.perf_counter()
    times = {"parse": t1 - t0, "type": t2 - t1, "check": t3 - t2, "store": t4 - t3, "total": t4 - t0}
    return times, (int(duplicates), int(backwards))


def one_pass_once(path: Path, workdir: Path) -> float:
    """The same typing in one statement straight from the reader into the table: no checks at all."""
    select = _typed_sql().removeprefix("CREATE TEMP TABLE typed AS SELECT ").removesuffix(" FROM raw")
    con = duckdb.connect(str(workdir / "one_pass.duckdb"))
    t0 = time.perf_counter()
    con.execute(
        f"CREATE TABLE tickets AS SELECT 'bench' AS contract_id, {select} "  # noqa: S608 - fixed names
        "FROM read_csv(?, all_varchar = true, header = true)",
        [str(path)],
    )
    con.close()
    return time.perf_counter() - t0


def store_write_once(table: object, workdir: Path) -> float:
    """Only the write of the import's store step: the typed rows, already checked, into a fresh store's
    ticket version table the way the import writes them (a temp table, then one insert), one commit."""
    from sla_core import store as st
    from sla_core import workspace

    store = workspace.open_workspace(workdir / "store.duckdb")
    columns = ", ".join(st.tables._ident("tickets", c) for c in table.column_names)  # type: ignore[attr-defined]
    con = duckdb.connect(str(store.path))
    con.register("incoming", table)
    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    con.execute(f'CREATE TEMP TABLE merged AS SELECT "ticket_id" AS key, {columns} FROM incoming')  # noqa: S608 - schema names
    con.execute(
        f"INSERT INTO tickets_rows (contract_id, key, batch_id, is_current, {columns}) "  # noqa: S608 - schema names
        f"SELECT 'bench', key, 1, true, {columns} FROM merged"
    )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def peer_once(path: Path, workdir: Path) -> float:
    con = duckdb.connect(str(workdir / "peer.duckdb"))
    t0 = time.perf_counter()
    con.execute("CREATE TABLE tickets AS SELECT * FROM read_csv(?)", [str(path)])
    con.close()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    bd.prepare(args.size, ["csv"])  # the benchmark's cached data, made if missing
    path = bd.path_of(args.size, "csv")
    for run in range(args.repeat):
        workdir = Path(tempfile.mkdtemp())
        try:
            native, (duplicates, backwards) = native_once(path, workdir)
            one_pass = one_pass_once(path, workdir)
            peer = peer_once(path, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in native.items() if k != "total")
        print(
            f"run {run + 1}: native sketch {native['total']:.2f} s ({parts}); "
            f"peer {peer:.2f} s; ratio {native['total'] / peer:.2f}× "
            f"(found {duplicates} duplicate ids, {backwards} resolutions before creation); "
            f"one statement, no checks: {one_pass:.2f} s = {one_pass / peer:.2f}×"
        )
    # the store's share: our import's rows (read once, untimed) written as the import writes them
    from sla_core import store as st
    from sla_core.demo import demo_contract
    from sla_core.ingest import read_file

    result = read_file(path, "tickets", demo_contract())
    table = st.tables._incoming("tickets", result.frame, [])
    for run in range(args.repeat):
        workdir = Path(tempfile.mkdtemp())
        try:
            write = store_write_once(table, workdir)
            peer = peer_once(path, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(
            f"store write {run + 1}: {len(result.frame):,} typed rows into the version table {write:.2f} s; "
            f"the peer's whole import {peer:.2f} s = {write / peer:.2f}× of it"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
