"""`python -m sla_core demo` and `import`: the demo into the store or as files; a contract and its
spreadsheets stored as batches, each file's reading told in a line."""

from __future__ import annotations

import argparse
from pathlib import Path

from sla_core.cli_common import (
    EXIT_OK,
    EXIT_REJECTED,
    contract_text,
    print_issue,
    read_options,
    report_issues,
)
from sla_core.dataset import KINDS, Kind
from sla_core.ingest import IngestResult
from sla_core.ingest.feeds import unfed_issues


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
    text, unreadable = contract_text(Path(args.contract))
    if text is None:
        return report_issues(unreadable, lang)
    contract, problems = parse_contract(text, file=Path(args.contract).name)
    if contract is None:
        return report_issues(problems, lang)
    store = workspace.open_workspace(args.db)
    saved = st.save_contract(store, text, args.user, as_new_revision=args.new_revision)
    if saved.status in ("refused", "invalid"):
        return report_issues(saved.issues, lang)
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
            print_issue(issue, lang)
        print(f"{kind}: {report.result.file_name}: {read_as_text(report.result, lang)}")
        if report.refused is not None:
            failed = True
            print_issue(report.refused, lang)
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
