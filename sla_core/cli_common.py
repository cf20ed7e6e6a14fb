"""What every command shares: exit codes, JSON and issues printed, a refusal in both languages, the
contract file read (or why not), and the options that say how a file is read."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sla_core.files import os_issue
from sla_core.ingest.shape import SHAPES
from sla_core.problems import Issue, error

EXIT_OK, EXIT_INTERNAL, EXIT_REJECTED = 0, 1, 2


def print_json(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return str(value)


def rejected(contract_id: str, issues: list[Issue], lang: str) -> int:
    errors = [i for i in issues if i.level == "error"]
    print_json(
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


def contract_unreadable(path: Path, exc: OSError | UnicodeDecodeError) -> Issue:
    if isinstance(exc, UnicodeDecodeError):
        return error(
            "contract.not_text",
            f"合同文件 {path} 不是 UTF-8 文本（是否选错了文件？）",
            f"the contract {path} is not UTF-8 text (the wrong file?)",
            file=str(path),
        )
    problem = os_issue(exc, path)
    return error("contract.unreadable", problem.zh, problem.en, file=str(path))


def contract_text(path: Path) -> tuple[str | None, list[Issue]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [contract_unreadable(path, exc)]


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


def percent(text: str) -> float:
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


def print_issue(issue: Issue, lang: str) -> None:
    where = ":".join(
        str(x) for x in (issue.file, issue.sheet, issue.row, issue.column) if x not in (None, "")
    )
    print(f"{issue.level}: {where} {issue.message(lang)}", file=sys.stderr)


def report_issues(issues: list[Issue], lang: str) -> int:
    for issue in issues:
        print_issue(issue, lang)
    return EXIT_REJECTED if any(i.level == "error" for i in issues) else EXIT_OK


def refuse(zh: str, en: str) -> int:
    print(f"{zh}\n{en}", file=sys.stderr)
    return EXIT_REJECTED
