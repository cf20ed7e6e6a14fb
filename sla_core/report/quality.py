"""The sheets on the data itself: reconciliation with the provider's figures, survey flags, data quality
(batches and the rows they skipped), the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from sla_core.exclusions import PROVIDER_EXPORT
from sla_core.i18n import audit_action_label, audit_detail_text, field_label, value_digits
from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import (
    change_kind,
    change_value,
    excel_serials,
    stored_serial,
    text_cells,
    value_kind,
)
from sla_core.report.context import Context
from sla_core.report.layout import Col, V
from sla_core.report.records import MAX_LOG_ROWS


def reconciliation(ctx: Context) -> None:
    b, p = ctx.book, ctx.p
    rec = ctx.ev.reconciliation
    sel = rec.loc[rec["month"].isin(p.month_labels)] if not rec.empty else rec
    sh = b.sheet(
        "reconciliation",
        f"{SHEETS['reconciliation'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("reconciliation_note"),
    )
    cols = [
        Col(ctx.w("tcol_month"), min_width=10),
        Col(ctx.w("col_kpi"), max_width=24),
        Col(ctx.w("provider_value"), "num", min_width=10),
        Col(ctx.w("computed_value"), "num", min_width=10),
        Col(ctx.w("col_difference"), "num", min_width=10),
        Col(ctx.w("flagged"), "bool", min_width=7),
    ]
    rows: list[list[Any]] = []
    for r in sel.sort_values(["month", "kpi"], kind="stable").to_dict("records") if not sel.empty else []:
        kpi = str(r["kpi"])
        kind, change_fmt, difference = _reconciliation_kinds(ctx, kpi, {str(k): v for k, v in r.items()})
        rows.append(
            [
                ctx.pname(str(r["month"])),
                ctx.kpi_name(kpi),
                V(r["provider_value"], kind),
                V(r["computed_value"], kind),
                V(difference, change_fmt),
                V(bool(r["flagged"]), "flag:yes" if r["flagged"] else "flag:no"),
            ]
        )
    sh.table(
        cols,
        rows,
        main=True,
        empty=ctx.w("no_provider_figures"),
    )
    sh.finish()


def _reconciliation_kinds(ctx: Context, kpi: str, r: dict[str, Any]) -> tuple[str, str, Any]:
    """The row's value and change formats with one number of decimals (enough to tell the computed
    value from the reported one), and the difference as its cell holds it (a rate's in points)."""
    unit = ctx.kpi_unit(kpi)  # a contract KPI's too
    if unit is None:
        return "num", "num", r["difference"]
    reported, computed = _number(r["provider_value"]), _number(r["computed_value"])
    digits = max(
        value_digits(reported if reported is not None else 0.0, unit),
        value_digits(computed, unit, reported) if computed is not None else 0,
    )
    difference = _number(r["difference"])
    return (
        value_kind(kpi, digits, ctx.lang, unit),
        change_kind(kpi, digits, ctx.lang, unit),
        change_value(kpi, difference, digits, unit),
    )


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


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
    sh = b.sheet(
        "surveys",
        f"{SHEETS['surveys'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("survey_flags_note").format(total=total, flagged=len(sel), excluded=excluded_n),
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
        sep = ctx.w("kpi_sep")
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
    sh = ctx.book.sheet(
        "audit",
        SHEETS["audit"][0 if ctx.lang == "zh" else 1],
        ctx.w("audit_note"),
    )
    cols = [
        Col(ctx.unagreed("时间", "At"), "datetime"),
        Col(ctx.w("col_by"), max_width=16),
        Col(ctx.unagreed("操作", "Action"), max_width=22),
        Col(ctx.w("audit_detail"), "wrap", max_width=80, min_width=30),
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
                    ctx.w("asked_provider_export") if e.actor == PROVIDER_EXPORT else e.actor,
                    audit_action_label(e.action, ctx.lang),
                    audit_detail_text(e.action, e.detail, ctx.lang)[:500],
                ]
                for e in entries
            ),
            main=True,
        )
    sh.finish()


def quality(ctx: Context) -> None:
    b = ctx.book
    sh = b.sheet(
        "quality",
        SHEETS["quality"][0 if ctx.lang == "zh" else 1],
        ctx.w("quality_note"),
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
                        i.file,
                        i.sheet,
                        i.row,
                        field_label(i.column, ctx.lang) if i.column else None,
                        i.value,
                        i.message(ctx.lang),
                    ]

        sh.table(issue_cols, issue_rows(), empty=ctx.w("no_skipped_rows"))
        if total > MAX_LOG_ROWS:
            sh.note(ctx.w("log_first_rows").format(shown=MAX_LOG_ROWS, issues=total, skipped=skipped_total))
    sh.skip()
    sh.heading(ctx.w("eval_warnings"))
    sh.table(
        [
            Col(ctx.w("column"), max_width=18),
            Col(ctx.w("value"), max_width=20),
            Col(ctx.w("message"), "wrap", max_width=80, min_width=40),
        ],
        (
            [field_label(w.column, ctx.lang) if w.column else None, w.value, w.message(ctx.lang)]
            for w in ctx.ev.warnings
        ),
        empty=ctx.w("no_warnings"),
    )
    sh.finish()
