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
from sla_core.evaluate import Evaluation, evaluate, parse_as_of
from sla_core.periods import MONTH_RE, QUARTER_RE, month_key, quarter_months
from sla_core.problems import Issue, error
from sla_core.surveys import Exclusion

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


def read_exclusions(path: Path) -> tuple[list[Exclusion], list[Issue]]:
    """A CSV of survey exclusions: response_id, by (or excluded_by), reason."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return [], [
            error(
                "exclusions.unreadable",
                f"无法读取排除清单：{exc}",
                f"cannot read the exclusions: {exc}",
                file=path.name,
            )
        ]
    cols = {c.strip().lower(): c for c in frame.columns}
    rid = cols.get("response_id") or cols.get("id")
    if rid is None:
        return [], [
            error(
                "exclusions.missing_column",
                "排除清单缺少 response_id 列",
                "the exclusions file has no response_id column",
                file=path.name,
            )
        ]
    by = cols.get("by") or cols.get("excluded_by")
    reason = cols.get("reason")
    out = [
        Exclusion(str(r[rid]).strip(), str(r[by]) if by else "", str(r[reason]) if reason else "")
        for _, r in frame.iterrows()
        if str(r[rid]).strip()
    ]
    return out, []


def tickets_out(evaluation: Evaluation, path: Path, months: set[str] | None) -> None:
    t = evaluation.tickets
    if t.empty:
        pd.DataFrame(columns=TICKETS_OUT_COLUMNS).to_csv(path, index=False)
        return
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
        }
    )
    out.to_csv(path, index=False, encoding="utf-8")


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sla_core.ingest import read_dataset

    try:
        contract = load_contract(args.contract)
    except ContractError as exc:
        return _rejected("", exc.issues, args.lang)
    except OSError as exc:
        return _rejected(
            "",
            [
                error(
                    "contract.unreadable",
                    f"无法读取合同：{exc}",
                    f"cannot read the contract: {exc}",
                    file=str(args.contract),
                )
            ],
            args.lang,
        )
    paths = {k: Path(v) for k in ("tickets", "surveys", "outages", "measures") if (v := getattr(args, k))}
    data = read_dataset(paths, contract.base)
    issues = list(data.issues)
    exclusions: list[Exclusion] = []
    if args.exclusions:
        exclusions, problems = read_exclusions(Path(args.exclusions))
        issues += problems
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
    forced = sorted(month_key(m) for m in months) if months else None
    result = evaluate(contract, data, as_of=as_of, exclusions=exclusions, include_months=forced)
    doc = result.to_json(months=months, quarters=quarters)
    doc["warnings"] = [w.to_json() for w in issues if w.level == "warning"] + doc["warnings"]
    _print_json(doc)
    if args.tickets_out:
        tickets_out(result, Path(args.tickets_out), months)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sla_core", description="SLA quality dashboard — command line"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ev = sub.add_parser("evaluate", help="evaluate files against a contract; JSON on stdout")
    ev.add_argument("--contract", required=True)
    for kind in ("tickets", "surveys", "outages", "measures"):
        ev.add_argument(f"--{kind}")
    ev.add_argument("--exclusions")
    ev.add_argument("--as-of", dest="as_of")
    group = ev.add_mutually_exclusive_group()
    group.add_argument("--month")
    group.add_argument("--quarter")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh")
    ev.add_argument("--tickets-out", dest="tickets_out")
    ev.set_defaults(func=cmd_evaluate)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Exception:  # an internal error: say so, with the trace on stderr for the bug report
        traceback.print_exc()
        print("internal error / 内部错误", file=sys.stderr)
        return EXIT_INTERNAL
