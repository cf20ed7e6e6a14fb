"""`python -m sla_core report`: the monthly report or quarterly pack of a stored contract, as Excel or
PDF, from the store opened read-only."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sla_core.cli_common import EXIT_OK, refuse
from sla_core.evaluate import parse_as_of
from sla_core.periods import MONTH_RE, QUARTER_RE


def _store_for_reading(db: Path) -> Any:
    """The store opened read-only (a read-only disk, a copy one may not change); one from an older
    release is upgraded first, which needs writing."""
    from sla_core import store as st

    try:
        return st.open_store(db, read_only=True)
    except st.StoreError as exc:
        if exc.issue.code != "store.needs_upgrade":
            raise
        return st.open_store(db)


def cmd_report(args: argparse.Namespace) -> int:
    """Open the store, evaluate the contract as stored, write the workbook or the PDF. Exit 0, or 2 when
    refused (also when the PDF's fonts are missing)."""
    from sla_core import store as st
    from sla_core import workspace
    from sla_core.access import LOCAL, Guard
    from sla_core.report import ReportError, write_report

    period = args.month or args.quarter
    if args.month and not MONTH_RE.match(args.month):
        return refuse(f"--month {args.month} 应为 YYYY-MM", f"--month {args.month}: expected YYYY-MM")
    if args.quarter and not QUARTER_RE.match(args.quarter):
        return refuse(f"--quarter {args.quarter} 应为 YYYYQn", f"--quarter {args.quarter}: expected YYYYQn")
    db = Path(args.db)
    if not db.exists():
        return refuse(f"找不到数据库文件：{db}", f"no store at {db}")
    store = _store_for_reading(db)
    contract = st.load_contract(store, args.contract)
    if contract is None:
        known = ", ".join(sorted({c.contract_id for c in st.list_contracts(store)})) or "—"
        return refuse(
            f"数据库中没有合同 {args.contract}（已有：{known}）",
            f"no contract {args.contract} in the store (known: {known})",
        )
    as_of = None
    if args.as_of:
        try:
            as_of = parse_as_of(args.as_of, contract)
        except ValueError:
            return refuse(f"--as-of {args.as_of} 不是日期时间", f"--as-of {args.as_of} is not a date or time")
    snap = workspace.snapshot(store, args.contract, as_of)
    try:
        # the command line is the store's local owner: everything, the audit log included
        path = write_report(args.out, snap, period, args.lang, guard=Guard(store, LOCAL), fmt=args.format)
    except ReportError as exc:
        return refuse(exc.zh, exc.en)
    print(str(path))
    return EXIT_OK
