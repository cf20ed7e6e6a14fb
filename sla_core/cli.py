"""The command line: the same core as the app, without a browser (also what scheduled jobs use)."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sla_core.contract import ContractError, load_contract
from sla_core.dataset import KINDS, Kind
from sla_core.evaluate import Evaluation, evaluate, parse_as_of
from sla_core.exclusions import settle
from sla_core.exports import write_csv
from sla_core.files import OutputError, os_issue
from sla_core.ingest import IngestResult
from sla_core.ingest.feeds import unfed_issues
from sla_core.ingest.shape import SHAPES
from sla_core.periods import MONTH_RE, QUARTER_RE, month_key, quarter_months
from sla_core.problems import Issue, error
from sla_core.surveys import Exclusion
from sla_core.targets import target_rule_text
from sla_core.trace import trace
from sla_core.workspace import MAX_SKIP

EXIT_OK, EXIT_INTERNAL, EXIT_REJECTED = 0, 1, 2

TICKETS_OUT_COLUMNS = [
    "ticket_id",
    "month",
    "priority",
    "clock",
    "response_seconds",
    "response_target_seconds",
    "response_status",
    "resolution_seconds",
    "resolution_target_seconds",
    "resolution_status",
    "paused_seconds",
    "exclusion_reason",
    "target_rule",
]


def _print_json(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return str(value)


def _rejected(contract_id: str, issues: list[Issue], lang: str) -> int:
    errors = [i for i in issues if i.level == "error"]
    _print_json(
        {
            "contract": contract_id,
            "as_of": "",
            "months": [],
            "obligations": [],
            "issues": [i.to_json() for i in errors],
            "warnings": [i.to_json() for i in issues if i.level == "warning"],
        }
    )
    for issue in errors[:20]:
        where = ":".join(
            str(x) for x in (issue.file, issue.sheet, issue.row, issue.column) if x not in (None, "")
        )
        print(f"{where} {issue.message(lang)}", file=sys.stderr)
    return EXIT_REJECTED


def read_exclusions(path: Path) -> tuple[list[Exclusion], set[str], list[Issue]]:
    """A CSV of exclusions both parties agreed: rows with a response_id exclude a survey response (by or
    excluded_by, reason); rows with a ticket_id approve the exclusion the provider's export gives that
    ticket (doc 003: exclusions need both parties; the contract's provider_exclusions = "request")."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return (
            [],
            set(),
            [
                error(
                    "exclusions.unreadable",
                    f"无法读取排除清单：{exc}",
                    f"cannot read the exclusions: {exc}",
                    file=path.name,
                )
            ],
        )
    cols = {c.strip().lower(): c for c in frame.columns}
    rid = cols.get("response_id") or cols.get("id")
    tid = cols.get("ticket_id")
    if rid is None and tid is None:
        return (
            [],
            set(),
            [
                error(
                    "exclusions.missing_column",
                    "排除清单缺少 response_id 或 ticket_id 列",
                    "the exclusions file has no response_id or ticket_id column",
                    file=path.name,
                )
            ],
        )
    by = cols.get("by") or cols.get("excluded_by")
    reason = cols.get("reason")
    responses = frame[rid].astype(str).str.strip() if rid else pd.Series("", index=frame.index)
    out = [
        Exclusion(r, str(b) if by else "", str(w) if reason else "")
        for r, b, w in zip(
            responses,
            frame[by] if by else responses,
            frame[reason] if reason else responses,
            strict=True,
        )
        if r
    ]
    tickets = set(frame[tid].astype(str).str.strip()) - {""} if tid else set()
    return out, tickets, []


def tickets_frame(evaluation: Evaluation, months: set[str] | None) -> pd.DataFrame:
    """One row per ticket: the spec's `--tickets-out` columns, `target_rule` (the conditional targets
    that set its targets, blank: the priority's) and, when a target names the workaround milestone,
    its seconds, target and status."""
    t = evaluation.tickets
    if t.empty:
        return pd.DataFrame(columns=TICKETS_OUT_COLUMNS)
    if months is not None:
        t = t.loc[t["month"].isin(months)]
    out = pd.DataFrame(
        {
            "ticket_id": t["ticket_id"],
            "month": t["month"],
            "priority": t["priority"],
            "clock": t["clock"],
            "response_seconds": t["response_seconds"],
            "response_target_seconds": t["response_target"].astype("Int64"),
            "response_status": t["response_status"],
            "resolution_seconds": t["resolution_seconds"],
            "resolution_target_seconds": t["resolution_target"].astype("Int64"),
            "resolution_status": t["resolution_status"],
            "paused_seconds": t["paused_seconds"],
            "exclusion_reason": t["exclusion_reason"],
            "target_rule": target_rule_text(t),
        }
    )
    if any(terms.names_milestone("workaround") for terms in evaluation.contract.versions):
        out["workaround_seconds"] = t["workaround_seconds"]
        out["workaround_target_seconds"] = t["workaround_target"].astype("Int64")
        out["workaround_status"] = t["workaround_status"]
    return out


def tickets_out(evaluation: Evaluation, path: Path, months: set[str] | None) -> None:
    # a ticket id or reason from the export may look like a formula
    write_csv(tickets_frame(evaluation, months), path)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sla_core.ingest import read_dataset

    try:
        contract = load_contract(args.contract)
    except ContractError as exc:
        return _rejected("", exc.issues, args.lang)
    except (OSError, UnicodeDecodeError) as exc:
        return _rejected("", [_contract_unreadable(Path(args.contract), exc)], args.lang)
    paths: dict[Kind, Path] = {k: Path(v) for k in KINDS if (v := getattr(args, k))}
    sheets: dict[Kind, str] | None = dict.fromkeys(paths, args.sheet) if args.sheet else None
    data = read_dataset(paths, contract, shape=args.shape, sheets=sheets, read_options=read_options(args))
    issues = list(data.issues)
    exclusions: list[Exclusion] = []
    approved: set[str] = set()
    if args.exclusions:
        exclusions, approved, problems = read_exclusions(Path(args.exclusions))
        issues += problems
    data = settle(contract, data, approved)
    issues += [i for i in data.issues if i.code == "exclusions.awaiting_approval"]
    months: set[str] | None = None
    quarters: list[str] | None = None
    if args.month:
        if not MONTH_RE.match(args.month):
            issues.append(
                error(
                    "cli.bad_month",
                    f"--month {args.month} 应为 YYYY-MM",
                    f"--month {args.month}: expected YYYY-MM",
                )
            )
        else:
            months = {args.month}
    if args.quarter:
        if not QUARTER_RE.match(args.quarter):
            issues.append(
                error(
                    "cli.bad_quarter",
                    f"--quarter {args.quarter} 应为 YYYYQn",
                    f"--quarter {args.quarter}: expected YYYYQn",
                )
            )
        else:
            quarters = [args.quarter]
            months = {f"{k // 12:04d}-{k % 12 + 1:02d}" for k in quarter_months(args.quarter)}
    as_of = None
    if args.as_of:
        try:
            as_of = parse_as_of(args.as_of, contract)
        except ValueError:
            issues.append(
                error(
                    "cli.bad_as_of",
                    f"--as-of {args.as_of} 不是日期时间",
                    f"--as-of {args.as_of} is not a date or time",
                )
            )
    if any(i.level == "error" for i in issues):
        return _rejected(contract.id, issues, args.lang)
    if args.trace and args.trace not in contract.kpi_ids:
        issues.append(
            error(
                "cli.unknown_kpi",
                f"--trace {args.trace}：合同中没有该指标（{', '.join(contract.kpi_ids)}）",
                f"--trace {args.trace}: not a KPI of the contract ({', '.join(contract.kpi_ids)})",
            )
        )
    if args.trace and not (args.month or args.quarter):
        issues.append(
            error(
                "cli.trace_period", "--trace 需要 --month 或 --quarter", "--trace needs --month or --quarter"
            )
        )
    if any(i.level == "error" for i in issues):
        return _rejected(contract.id, issues, args.lang)
    forced = sorted(month_key(m) for m in months) if months else None
    result = evaluate(contract, data, as_of=as_of, exclusions=exclusions, include_months=forced)
    if args.trace:
        sys.stdout.buffer.write(trace(result, args.trace, args.month or args.quarter, data).csv_bytes())
        sys.stdout.flush()
        return EXIT_OK
    doc = result.to_json(months=months, quarters=quarters)
    doc["warnings"] = [w.to_json() for w in issues if w.level == "warning"] + doc["warnings"]
    _print_json(doc)
    if args.tickets_out:
        tickets_out(result, Path(args.tickets_out), months)
    return EXIT_OK


def _contract_unreadable(path: Path, exc: OSError | UnicodeDecodeError) -> Issue:
    if isinstance(exc, UnicodeDecodeError):
        return error(
            "contract.not_text",
            f"合同文件 {path} 不是 UTF-8 文本（是否选错了文件？）",
            f"the contract {path} is not UTF-8 text (the wrong file?)",
            file=str(path),
        )
    problem = os_issue(exc, path)
    return error("contract.unreadable", problem.zh, problem.en, file=str(path))


def _contract_text(path: Path) -> tuple[str | None, list[Issue]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [_contract_unreadable(path, exc)]


def cmd_demo(args: argparse.Namespace) -> int:
    from sla_core import demo, workspace

    if args.out_dir:
        data = demo.generate(args.tickets)
        paths = demo.write_files(data, Path(args.out_dir), lang=args.lang, fmt=args.format)
        for kind, path in paths.items():
            print(f"{kind}: {path}")
    if args.db or not args.out_dir:
        store = workspace.open_workspace(args.db or workspace.db_path())
        contract_id = workspace.load_demo(store, args.tickets)
        print(f"demo contract {contract_id} and data stored in {store.path}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from sla_core import store as st
    from sla_core import workspace
    from sla_core.contract import parse_contract

    lang = args.lang
    text, unreadable = _contract_text(Path(args.contract))
    if text is None:
        return _report_issues(unreadable, lang)
    contract, problems = parse_contract(text, file=Path(args.contract).name)
    if contract is None:
        return _report_issues(problems, lang)
    store = workspace.open_workspace(args.db)
    saved = st.save_contract(store, text, args.user, as_new_revision=args.new_revision)
    if saved.status in ("refused", "invalid"):
        return _report_issues(saved.issues, lang)
    print(f"contract {saved.contract_id}: {saved.status} (revision {saved.revision})")
    files: dict[Kind, Path] = {k: Path(v) for k in KINDS if (v := getattr(args, k))}
    reports = workspace.import_files(
        store,
        contract.id,
        files,
        user=args.user,
        skip_invalid=args.skip_invalid,
        max_skip=args.max_skip / 100,
        shape=args.shape,
        sheet=args.sheet,
        read_options=read_options(args),
    )
    failed = False
    for kind, report in reports.items():
        for issue in [*report.result.issues, *unfed_issues(report.result.unfed, report.result.file_name)]:
            _print_issue(issue, lang)
        print(f"{kind}: {report.result.file_name}: {read_as_text(report.result, lang)}")
        if report.refused is not None:
            failed = True
            _print_issue(report.refused, lang)
            print(f"{kind}: {report.result.file_name}: {_rejected_text(lang)}")
        elif report.outcome is None:
            failed = True
            print(f"{kind}: {report.result.file_name}: {_rejected_text(lang)}")
        elif report.outcome.duplicate_of is not None:
            print(
                f"{kind}: {report.result.file_name}: same file as batch {report.outcome.duplicate_of}, nothing changed"
            )
        else:
            o = report.outcome
            print(
                f"{kind}: {report.result.file_name}: batch {o.batch_id}, {o.rows} rows "
                f"({o.inserted} new, {o.updated} updated, {o.unchanged} unchanged, {report.skipped} skipped)"
            )
    return EXIT_REJECTED if failed else EXIT_OK


def read_as_text(result: IngestResult, lang: str) -> str:
    """How a file was read, in a line: its shape, preset and header row."""
    zh = lang == "zh"
    history = result.history
    if history is not None:
        shape = (
            f"状态记录：{history.events:,} 条状态变更 → {history.tickets:,} 张工单"
            if zh
            else f"status history: {history.events:,} status changes → {history.tickets:,} tickets"
        )
    elif result.kind == "tickets" and result.frame is not None:
        shape = (
            f"每行一张工单：{len(result.frame):,} 张" if zh else f"one row per ticket: {len(result.frame):,}"
        )
    else:
        shape = f"{result.rows_total:,} 行" if zh else f"{result.rows_total:,} rows"
    preset = result.preset_name or ("无预设" if zh else "no preset")
    forced = ("（按 --shape 指定）" if zh else " (as --shape says)") if result.shape_forced else ""
    header = f"表头第 {result.header_row} 行" if zh else f"header row {result.header_row}"
    return f"{shape}{forced}; {preset}; {header}"


def _rejected_text(lang: str) -> str:
    return "有错误，未导入任何数据" if lang == "zh" else "rejected: errors, nothing stored"


def _delimiter(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    value = named.get(text.lower(), text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"expected one character (or tab, comma, semicolon, pipe): {text!r}")
    return value


def _header_row(text: str) -> int:
    row = int(text)
    if row < 1:
        raise argparse.ArgumentTypeError("rows are numbered from 1")
    return row


def _percent(text: str) -> float:
    value = float(text.rstrip("%"))
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("a percentage between 0 and 100")
    return value


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """How the files are read: what the file itself shows unless one of these says otherwise."""
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="auto",
        help="tickets file: one row per ticket (ticket) or per status change (history); "
        "auto (default) tells them apart from the file",
    )
    parser.add_argument("--delimiter", type=_delimiter, help="CSV delimiter (found from the file by default)")
    parser.add_argument(
        "--encoding", help="text encoding, e.g. utf-8, gb18030 (found from the file by default)"
    )
    parser.add_argument("--sheet", help="the sheet to read (the first sheet with the columns by default)")
    parser.add_argument(
        "--header-row", dest="header_row", type=_header_row, help="the header's row, counted from 1"
    )


def read_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        k: v for k in ("delimiter", "encoding", "header_row") if (v := getattr(args, k, None)) is not None
    }


def _print_issue(issue: Issue, lang: str) -> None:
    where = ":".join(
        str(x) for x in (issue.file, issue.sheet, issue.row, issue.column) if x not in (None, "")
    )
    print(f"{issue.level}: {where} {issue.message(lang)}", file=sys.stderr)


def _report_issues(issues: list[Issue], lang: str) -> int:
    for issue in issues:
        _print_issue(issue, lang)
    return EXIT_REJECTED if any(i.level == "error" for i in issues) else EXIT_OK


def cmd_user(args: argparse.Namespace) -> int:
    """Users live in .streamlit/secrets.toml as salted hashes; this command is the only way to manage them."""
    import getpass

    from sla_core import users, workspace

    path = Path(args.secrets)
    if args.action == "list":  # also the check of a configuration: a damaged one is reported, exit 2
        for name, user in users.users_from(users.read_secrets(path)).items():
            scope = "*" if user.contracts is None else ",".join(sorted(user.contracts))
            print(f"{name}\t{user.role}\t{scope}\t{user.email or ''}")
        return EXIT_OK
    if args.action == "remove":
        if not users.remove_user(path, args.name):
            print(f"no user {args.name}", file=sys.stderr)
            return EXIT_REJECTED
        print(f"user {args.name} removed")
        return EXIT_OK
    contracts = [c.strip() for c in (args.contracts or "*").split(",") if c.strip()]
    known = (
        _known_contracts(Path(args.db) if args.db else workspace.db_path())
        if contracts != [users.ALL]
        else None
    )
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the passwords differ", file=sys.stderr)
            return EXIT_REJECTED
    try:
        users.add_user(
            path, args.name, args.role, contracts, password, email=args.email, known_contracts=known
        )
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    print(f"user {args.name} ({args.role}) saved in {path}")
    return EXIT_OK


def _known_contracts(db: Path) -> set[str]:
    """The contract ids in the store (a user may only be given contracts that exist)."""
    from sla_core import store as st
    from sla_core import workspace

    if not db.is_file():
        raise st.StoreError(
            error(
                "cli.no_store",
                f"找不到数据库 {db}，无法核对合同编号：先启动一次应用或导入合同，或用 --db 指定，或用 --contracts '*'",
                f"no store at {db} to check the contract ids against: start the app or import a contract "
                "first, name the store with --db, or use --contracts '*'",
            )
        )
    return {c.contract_id for c in st.list_contracts(workspace.open_workspace(db))}


def _refuse(zh: str, en: str) -> int:
    print(f"{zh}\n{en}", file=sys.stderr)
    return EXIT_REJECTED


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
    """Open the store, evaluate the contract as stored, write the workbook. Exit 0, or 2 when refused."""
    from sla_core import store as st
    from sla_core import workspace
    from sla_core.access import LOCAL, Guard
    from sla_core.report import ReportError, write_report

    period = args.month or args.quarter
    if args.month and not MONTH_RE.match(args.month):
        return _refuse(f"--month {args.month} 应为 YYYY-MM", f"--month {args.month}: expected YYYY-MM")
    if args.quarter and not QUARTER_RE.match(args.quarter):
        return _refuse(f"--quarter {args.quarter} 应为 YYYYQn", f"--quarter {args.quarter}: expected YYYYQn")
    db = Path(args.db)
    if not db.exists():
        return _refuse(f"找不到数据库文件：{db}", f"no store at {db}")
    store = _store_for_reading(db)
    contract = st.load_contract(store, args.contract)
    if contract is None:
        known = ", ".join(sorted({c.contract_id for c in st.list_contracts(store)})) or "—"
        return _refuse(
            f"数据库中没有合同 {args.contract}（已有：{known}）",
            f"no contract {args.contract} in the store (known: {known})",
        )
    as_of = None
    if args.as_of:
        try:
            as_of = parse_as_of(args.as_of, contract)
        except ValueError:
            return _refuse(
                f"--as-of {args.as_of} 不是日期时间", f"--as-of {args.as_of} is not a date or time"
            )
    snap = workspace.snapshot(store, args.contract, as_of)
    try:
        # the command line is the store's local owner: everything, the audit log included
        path = write_report(args.out, snap, period, args.lang, guard=Guard(store, LOCAL))
    except ReportError as exc:
        return _refuse(exc.zh, exc.en)
    print(str(path))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sla_core", description="SLA quality dashboard — command line"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ev = sub.add_parser("evaluate", help="evaluate files against a contract; JSON on stdout")
    ev.add_argument("--contract", required=True)
    for kind in KINDS:
        ev.add_argument(f"--{kind}")
    ev.add_argument("--exclusions")
    ev.add_argument("--as-of", dest="as_of")
    group = ev.add_mutually_exclusive_group()
    group.add_argument("--month")
    group.add_argument("--quarter")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh")
    ev.add_argument("--tickets-out", dest="tickets_out")
    ev.add_argument(
        "--trace",
        metavar="KPI",
        help="print the rows in the KPI's numerator and denominator for --month or --quarter as CSV",
    )
    add_read_options(ev)
    ev.set_defaults(func=cmd_evaluate)

    dm = sub.add_parser("demo", help="the demo contract and data (Jan–Oct 2026), into the store or as files")
    dm.add_argument("--db", help="store to load the demo into (default data/sla.duckdb when no --out-dir)")
    dm.add_argument("--out-dir", dest="out_dir", help="write the contract and spreadsheets here")
    dm.add_argument("--tickets", type=int, default=None, help="number of tickets (default about 6,000)")
    dm.add_argument("--lang", choices=("zh", "en"), default="zh", help="headers of the written files")
    dm.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    dm.set_defaults(func=cmd_demo)

    im = sub.add_parser("import", help="store a contract and import spreadsheets as batches")
    im.add_argument("--db", required=True)
    im.add_argument("--contract", required=True)
    for kind in KINDS:
        im.add_argument(f"--{kind}")
    im.add_argument(
        "--skip-invalid",
        dest="skip_invalid",
        action="store_true",
        help="import the valid rows and skip (and log) the rows with errors; refused when more than "
        "--max-skip of the rows would be skipped",
    )
    im.add_argument(
        "--max-skip",
        dest="max_skip",
        type=_percent,
        default=MAX_SKIP * 100,
        help=f"the largest share of rows --skip-invalid may skip, in percent (default {MAX_SKIP * 100:g})",
    )
    add_read_options(im)
    im.add_argument(
        "--new-revision",
        dest="new_revision",
        action="store_true",
        help="store a changed contract with a known id as a new revision",
    )
    im.add_argument("--user", default="cli")
    im.add_argument("--lang", choices=("zh", "en"), default="zh")
    im.set_defaults(func=cmd_import)

    us = sub.add_parser("user", help="manage sign-in users (salted hashes in .streamlit/secrets.toml)")
    us.add_argument("action", choices=("add", "remove", "list"))
    us.add_argument("name", nargs="?", default="")
    us.add_argument("--role", choices=("viewer", "editor", "admin"), default="viewer")
    us.add_argument("--contracts", help="contract ids, comma-separated; * for all (default)")
    us.add_argument("--email", help="maps an OIDC identity (st.login) to this user")
    us.add_argument("--secrets", default=str(Path(".streamlit") / "secrets.toml"))
    us.add_argument(
        "--db", default=None, help="the store whose contract ids --contracts may name (default: the app's)"
    )
    us.add_argument(
        "--password-stdin",
        dest="password_stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of prompting",
    )
    us.set_defaults(func=cmd_user)

    rp = sub.add_parser("report", help="write the monthly report or the quarterly pack as Excel")
    rp.add_argument("--db", required=True)
    rp.add_argument("--contract", required=True, help="contract id")
    group = rp.add_mutually_exclusive_group(required=True)
    group.add_argument("--month")
    group.add_argument("--quarter")
    rp.add_argument("--as-of", dest="as_of")
    rp.add_argument("--lang", choices=("zh", "en"), default="zh")
    rp.add_argument("--out", required=True)
    rp.set_defaults(func=cmd_report)

    from sla_core.backup import add_backup_commands
    from sla_core.bench import add_bench_command

    add_backup_commands(sub)
    add_bench_command(sub)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from sla_core.access import AccessDenied
    from sla_core.security import SecurityConfigError
    from sla_core.store import StoreError

    try:
        return int(args.func(args))
    except (StoreError, AccessDenied) as exc:  # expected: busy store, unknown contract… — no traceback
        print(f"{exc.issue.zh} / {exc.issue.en}", file=sys.stderr)
        return EXIT_REJECTED
    except OutputError as exc:  # a file we were asked to write: a folder, a full or read-only disk…
        print(f"{exc.issue.zh} / {exc.issue.en}", file=sys.stderr)
        return EXIT_REJECTED
    except OSError as exc:  # a path the user gave that cannot be read or created
        issue = os_issue(exc)
        print(f"{issue.zh} / {issue.en}", file=sys.stderr)
        return EXIT_REJECTED
    except SecurityConfigError as exc:  # a damaged sign-in configuration: said, never overwritten
        for issue in exc.issues:
            print(f"{issue.zh} / {issue.en}", file=sys.stderr)
        return EXIT_REJECTED
    except Exception:  # an internal error: say so, with the trace on stderr for the bug report
        traceback.print_exc()
        print("internal error / 内部错误", file=sys.stderr)
        return EXIT_INTERNAL
