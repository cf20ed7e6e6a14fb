"""The sheets on the data itself: reconciliation with the provider's figures, survey flags, data quality
(batches and the rows they skipped), the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sla_core.i18n import audit_action_label
from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import change_kind, excel_serials, stored_serial, text_cells, value_kind
from sla_core.report.context import Context
from sla_core.report.records import MAX_LOG_ROWS
from sla_core.report.xlsx import Col, Sheet, V


def reconciliation(ctx: Context) -> None:
    b, p = ctx.book, ctx.p
    rec = ctx.ev.reconciliation
    sel = rec.loc[rec["month"].isin(p.month_labels)] if not rec.empty else rec
    sh = Sheet(
        b,
        "reconciliation",
        f"{SHEETS['reconciliation'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.t(
            "服务商自报数值（其他指标文件中 source = provider）与系统按原始数据计算的数值对照；超出舍入误差的差异标记为需核实。",
            "The provider's self-reported figures (measures with source = provider) beside the values "
            "computed from the raw data; differences beyond rounding are flagged.",
        ),
    )
    cols = [
        Col(ctx.w("tcol_month"), min_width=10),
        Col(ctx.w("col_kpi"), max_width=24),
        Col(ctx.w("provider_value"), "rate", min_width=10),
        Col(ctx.w("computed_value"), "rate", min_width=10),
        Col(ctx.w("col_difference"), "pp", min_width=10),
        Col(ctx.w("flagged"), "bool", min_width=7),
    ]
    rows: list[list[Any]] = []
    for r in sel.sort_values(["month", "kpi"], kind="stable").to_dict("records") if not sel.empty else []:
        kpi = str(r["kpi"])
        unit = ctx.kpi_unit(kpi)
        kind = value_kind(kpi, unit) if unit else "num"
        rows.append(
            [
                ctx.pname(str(r["month"])),
                ctx.kpi_name(kpi),
                V(r["provider_value"], kind),
                V(r["computed_value"], kind),
                V(r["difference"], change_kind(kpi, unit) if unit else "num"),
                V(bool(r["flagged"]), "flag:yes" if r["flagged"] else "flag:no"),
            ]
        )
    sh.table(
        cols,
        rows,
        main=True,
        empty=ctx.t("本期没有服务商自报数值", "No provider-reported figures for the period"),
    )
    sh.finish()


def surveys(ctx: Context) -> None:
    b, p = ctx.book, ctx.p
    r = ctx.ev.responses
    if r.empty:
        sel = r
        total = 0
    else:
        in_period = r.loc[r["month_key"].isin(p.keys)]
        total = len(in_period)
        sel = in_period.loc[(in_period["flags"].fillna("") != "") | in_period["excluded"]]
        sel = sel.sort_values(["submitted", "response_id"], kind="stable")
    excluded_n = int(sel["excluded"].sum()) if len(sel) else 0
    sh = Sheet(
        b,
        "surveys",
        f"{SHEETS['surveys'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.t(
            f"本期 {total:,} 份评价中 {len(sel):,} 份被标记或排除（已排除 {excluded_n:,} 份）。被标记的评价在用户排除前仍计入指标。",
            f"{len(sel):,} of the period's {total:,} responses are flagged or excluded ({excluded_n:,} excluded). "
            "Flagged responses count until someone excludes them.",
        ),
    )
    cols = [
        Col(ctx.w("response_id"), max_width=18),
        Col(ctx.w("col_submitted"), "datetime"),
        Col(ctx.w("tcol_ticket_id"), max_width=22),
        Col(ctx.w("respondent"), max_width=14),
        Col(ctx.w("channel"), max_width=12),
        Col(ctx.w("col_score"), "general", min_width=6),
        Col(ctx.w("col_flags"), max_width=30),
        Col(ctx.w("col_excluded"), "bool", min_width=6),
        Col(ctx.w("excluded_by"), max_width=14),
        Col(ctx.w("excluded_at"), "datetime"),
        Col(ctx.w("col_reason"), "wrap", max_width=30),
        Col(ctx.w("col_comment"), "wrap", max_width=50, min_width=24),
    ]
    rows: Iterable[Sequence[Any]] = []
    if len(sel):
        sep = "、" if ctx.lang == "zh" else ", "
        flag_text = {
            f: sep.join(b.label(x) for x in f.split(",") if x) for f in sel["flags"].fillna("").unique()
        }
        ids = sel["response_id"].astype("object").where(sel["response_id"].notna(), None).tolist()
        excl = ctx.rec.survey_exclusions
        rows = zip(
            ids,
            excel_serials(sel["submitted"].to_numpy(dtype="float64"), ctx.zone),
            text_cells(sel["ticket_id"]),
            text_cells(sel["respondent"]),
            text_cells(sel["channel"]),
            sel["score"].to_numpy(dtype="float64"),
            [flag_text[f] or None for f in sel["flags"].fillna("").tolist()],
            sel["excluded"].to_numpy(dtype=bool).tolist(),
            text_cells(sel["excluded_by"]),
            [stored_serial(excl[i].excluded_at, ctx.zone) if i in excl else None for i in ids],
            text_cells(sel["exclusion_reason"]),
            text_cells(sel["comment"]),
            strict=True,
        )
    sh.table(cols, rows, main=True, freeze_col=1)
    sh.finish()


def audit(ctx: Context) -> None:
    """Who imported, undid, edited, approved, closed or exported what, and when (newest first); no sheet
    at all for a reader without the audit permission."""
    if not ctx.rec.audit_allowed:
        return
    sh = Sheet(
        ctx.book,
        "audit",
        SHEETS["audit"][0 if ctx.lang == "zh" else 1],
        ctx.t(
            "谁在何时导入、撤销、修改合同或措施、审批免责、结账或导出了什么（最新在前）。",
            "Who imported, undid, edited a contract or an action, approved an exemption, closed a month "
            "or exported what, and when (newest first).",
        ),
    )
    cols = [
        Col(ctx.t("时间", "At"), "datetime"),
        Col(ctx.t("操作人", "By"), max_width=16),
        Col(ctx.t("操作", "Action"), max_width=22),
        Col(ctx.t("内容", "Detail"), "wrap", max_width=80, min_width=30),
    ]
    entries = ctx.rec.audit
    if entries is None:
        sh.table(cols, [], main=True, empty=ctx.w("no_store"))
    else:
        sh.table(
            cols,
            (
                [
                    stored_serial(e.logged_at, ctx.zone),
                    e.actor,
                    audit_action_label(e.action, ctx.lang),
                    json.dumps(e.detail, ensure_ascii=False, default=str, sort_keys=True)[:500],
                ]
                for e in entries
            ),
            main=True,
        )
    sh.finish()


def quality(ctx: Context) -> None:
    b = ctx.book
    sh = Sheet(
        b,
        "quality",
        SHEETS["quality"][0 if ctx.lang == "zh" else 1],
        ctx.t(
            "导入的批次、因错误跳过的行及原因（批次的数据质量日志），以及评估时的提示。",
            "Batches imported, rows skipped with their reasons (each batch's data-quality log), and the "
            "evaluation's warnings.",
        ),
    )
    cols = [
        Col(ctx.w("col_batch"), "int", min_width=6),
        Col(ctx.w("col_kind"), min_width=8),
        Col(ctx.w("col_file"), max_width=36),
        Col(ctx.w("col_rows"), "int"),
        Col(ctx.w("col_new"), "int"),
        Col(ctx.w("col_updated"), "int"),
        Col(ctx.w("unchanged"), "int"),
        Col(ctx.w("skipped"), "int"),
        Col(ctx.w("imported_at"), "datetime"),
        Col(ctx.w("imported_by"), max_width=14),
        Col(ctx.w("col_status"), min_width=8),
        Col(ctx.w("undone_at"), "datetime"),
    ]
    batches = ctx.rec.batches
    if batches is None:
        sh.table(cols, [], main=True, empty=ctx.w("no_store"))
    else:
        sh.table(
            cols,
            (
                [
                    bt.batch_id,
                    b.label(bt.kind),
                    bt.file_name,
                    bt.rows,
                    bt.inserted,
                    bt.updated,
                    bt.unchanged,
                    bt.skipped,
                    stored_serial(bt.imported_at, ctx.zone),
                    bt.imported_by,
                    V(b.label(bt.status), "text"),
                    stored_serial(bt.undone_at, ctx.zone) if bt.undone_at else None,
                ]
                for bt in batches
            ),
            main=True,
        )
    sh.skip()
    sh.heading(ctx.w("skipped_log"))
    issue_cols = [
        Col(ctx.w("col_batch"), "int", min_width=6),
        Col(ctx.w("level"), min_width=6),
        Col(ctx.w("code"), max_width=28),
        Col(ctx.w("col_file"), max_width=28),
        Col(ctx.w("sheet"), max_width=14),
        Col(ctx.w("row"), "int", min_width=6),
        Col(ctx.w("column"), max_width=18),
        Col(ctx.w("value"), max_width=24),
        Col(ctx.w("message"), "wrap", max_width=60, min_width=30),
    ]
    if batches is None:
        sh.table(issue_cols, [], empty=ctx.w("no_store"))
    else:
        total = sum(len(v) for v in ctx.rec.batch_issues.values())
        skipped_total = sum(bt.skipped for bt in batches)

        def issue_rows() -> Iterable[Sequence[Any]]:
            n = 0
            for batch_id, issues in ctx.rec.batch_issues.items():
                for i in issues:
                    if n >= MAX_LOG_ROWS:
                        return
                    n += 1
                    yield [
                        batch_id,
                        b.label(i.level),
                        i.code,
                        i.file,
                        i.sheet,
                        i.row,
                        i.column,
                        i.value,
                        i.message(ctx.lang),
                    ]

        sh.table(issue_cols, issue_rows(), empty=ctx.t("没有跳过的行", "No row was skipped"))
        if total > MAX_LOG_ROWS:
            sh.note(
                ctx.t(
                    f"仅列出前 {MAX_LOG_ROWS:,} 条（共 {total:,} 条问题，{skipped_total:,} 行被跳过）",
                    f"only the first {MAX_LOG_ROWS:,} are listed ({total:,} issues, {skipped_total:,} rows skipped)",
                )
            )
    sh.skip()
    sh.heading(ctx.w("eval_warnings"))
    sh.table(
        [
            Col(ctx.w("code"), max_width=32),
            Col(ctx.w("column"), max_width=18),
            Col(ctx.w("value"), max_width=20),
            Col(ctx.w("message"), "wrap", max_width=80, min_width=40),
        ],
        ([w.code, w.column, w.value, w.message(ctx.lang)] for w in ctx.ev.warnings),
        empty=ctx.t("没有提示", "No warnings"),
    )
    sh.finish()
