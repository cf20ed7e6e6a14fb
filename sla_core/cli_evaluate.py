"""`python -m sla_core evaluate`: files + contract → the evaluation's JSON on stdout (the spec's
schema), the tickets as CSV (`--tickets-out`), or the rows behind one KPI (`--trace`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from sla_core.cli_common import EXIT_OK, contract_unreadable, print_json, read_options, rejected
from sla_core.contract import ContractError, load_contract
from sla_core.dataset import KINDS, Kind
from sla_core.evaluate import Evaluation, evaluate, parse_as_of
from sla_core.exclusions import settle
from sla_core.exports import write_csv
from sla_core.periods import MONTH_RE, QUARTER_RE, month_key, quarter_months
from sla_core.problems import Issue, error
from sla_core.surveys import Exclusion
from sla_core.targets import target_rule_text
from sla_core.trace import trace

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
        return rejected("", exc.issues, args.lang)
    except (OSError, UnicodeDecodeError) as exc:
        return rejected("", [contract_unreadable(Path(args.contract), exc)], args.lang)
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
        return rejected(contract.id, issues, args.lang)
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
        return rejected(contract.id, issues, args.lang)
    forced = sorted(month_key(m) for m in months) if months else None
    result = evaluate(contract, data, as_of=as_of, exclusions=exclusions, include_months=forced)
    if args.trace:
        sys.stdout.buffer.write(trace(result, args.trace, args.month or args.quarter, data).csv_bytes())
        sys.stdout.flush()
        return EXIT_OK
    doc = result.to_json(months=months, quarters=quarters)
    doc["warnings"] = [w.to_json() for w in issues if w.level == "warning"] + doc["warnings"]
    print_json(doc)
    if args.tickets_out:
        tickets_out(result, Path(args.tickets_out), months)
    return EXIT_OK
