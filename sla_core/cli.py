"""The command line: the same core as the app, without a browser (also what scheduled jobs use).

This module parses the arguments and runs a command, turning expected failures into exit 2 without a
traceback; each command lives in its module (`cli_evaluate`, `cli_import`, `cli_user`, `cli_report`; what
they share in `cli_common`), `backup` / `restore` and `bench` register from theirs."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from sla_core.cli_common import EXIT_INTERNAL, EXIT_OK, EXIT_REJECTED, add_read_options, percent, read_options
from sla_core.cli_evaluate import (
    TICKETS_OUT_COLUMNS,
    cmd_evaluate,
    read_exclusions,
    tickets_frame,
    tickets_out,
)
from sla_core.cli_import import cmd_demo, cmd_import, read_as_text
from sla_core.cli_report import cmd_report
from sla_core.cli_user import cmd_user
from sla_core.dataset import KINDS
from sla_core.files import OutputError, os_issue
from sla_core.workspace import MAX_SKIP

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_REJECTED",
    "TICKETS_OUT_COLUMNS",
    "add_read_options",
    "build_parser",
    "cmd_demo",
    "cmd_evaluate",
    "cmd_import",
    "cmd_report",
    "cmd_user",
    "main",
    "read_as_text",
    "read_exclusions",
    "read_options",
    "tickets_frame",
    "tickets_out",
]


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
        type=percent,
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

    rp = sub.add_parser("report", help="write the monthly report or the quarterly pack as Excel or PDF")
    rp.add_argument("--db", required=True)
    rp.add_argument("--contract", required=True, help="contract id")
    group = rp.add_mutually_exclusive_group(required=True)
    group.add_argument("--month")
    group.add_argument("--quarter")
    rp.add_argument("--as-of", dest="as_of")
    rp.add_argument("--lang", choices=("zh", "en"), default="zh")
    rp.add_argument("--out", required=True)
    rp.add_argument(
        "--format",
        choices=("xlsx", "pdf"),
        default="xlsx",
        help="xlsx (default): the workbook; pdf: the same sheets on A4 landscape pages (needs fonts-noto-cjk)",
    )
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
