"""The Penalties sheet (items, the cap, the total), Obligations & actions (what is owed and the
improvement actions answering it) and Exemptions (requests and their decisions)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sla_core.exclusions import ACCEPTED_BY_CONTRACT, PROVIDER_EXPORT
from sla_core.i18n import action_change_text, exclusion_reason_text, link_label
from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import date_serial, months_text, stored_serial, text_cells
from sla_core.report.context import Context
from sla_core.report.layout import Col, V


def penalties(ctx: Context) -> None:
    p, b = ctx.p, ctx.book
    res = p.result
    terms = res.terms
    cap = terms.penalties.cap
    cap_text = (
        ctx.w("no_cap_set")
        if cap is None
        else ctx.w("cap_share_note").format(
            share=cap.normalize(),
            period=b.label(terms.penalties.cap_period),
            fee=ctx.money(terms.contract.monthly_fee),
        )
    )
    sh = b.sheet(
        "penalties",
        f"{SHEETS['penalties'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("penalties_note").format(
            amount=ctx.money(res.penalty.amount),
            state=ctx.w("provisional" if res.penalty.provisional else "final"),
            cap=cap_text,
        ),
    )
    sh.heading(ctx.w("penalty_by_month"))
    month_cols = [
        Col(ctx.w("tcol_month"), min_width=10),
        Col(ctx.w("items_total"), "money"),
        Col(ctx.w("cap"), "money"),
        Col(ctx.w("cap_left"), "money"),
        Col(ctx.w("charged"), "money"),
        Col(ctx.w("share_fee"), "pct1"),
        Col(ctx.w("capped"), "bool"),
        Col(ctx.w("col_status"), min_width=8),
    ]

    month_rows: list[list[Any]] = []
    for m in p.months:
        pen = m.penalty
        month_rows.append(
            [
                ctx.pname(m.label),
                float(pen.uncapped_amount),
                None if pen.cap_total is None else float(pen.cap_total),
                None if pen.cap_amount is None else float(pen.cap_amount),
                float(pen.amount),
                pen.share_of_fee,
                pen.capped,
                V(
                    ctx.w("closed_state")
                    if m.closed
                    else ctx.w("provisional" if pen.provisional else "final"),
                    "text",
                ),
            ]
        )
    if p.quarterly:
        pen = res.penalty
        month_rows.append(
            [
                ctx.w("period_total").format(period=ctx.pname(p.label)),
                float(pen.uncapped_amount),
                None,
                None,
                float(pen.amount),
                pen.share_of_fee,
                pen.capped,
                V(ctx.w("provisional") if pen.provisional else ctx.w("final"), "text"),
            ]
        )
    sh.table(month_cols, month_rows)
    sh.skip()
    sh.heading(ctx.w("penalty_items"))
    item_cols = [
        Col(ctx.w("tcol_month"), min_width=10),
        Col(ctx.w("col_kind"), min_width=10),
        Col(ctx.w("col_item"), max_width=24),
        Col(ctx.w("which_target"), min_width=8),
        Col(ctx.w("priority"), min_width=6),
        Col(ctx.w("col_amount"), "money"),
    ]

    def items() -> Iterable[Sequence[Any]]:
        for m in p.months:
            name = ctx.pname(m.label)
            for item in m.penalty.items:
                yield [
                    name,
                    b.label(item.kind),
                    ctx.kpi_name(item.ref) if item.kind == "missed_kpi" else item.ref,
                    b.label(item.target) if item.target else None,
                    item.priority,
                    float(item.amount),
                ]

    sh.table(item_cols, items(), main=True)
    sh.finish()


def obligations_sheet(ctx: Context) -> None:
    """Obligations, improvement actions, their history: three tables whose columns line up
    (short columns left, the wrapped text in the same wide columns), so the sheet prints legibly."""
    b, p = ctx.book, ctx.p
    sh = b.sheet(
        "obligations",
        f"{SHEETS['obligations'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("obligations_note"),
    )
    sh.table(
        [
            Col(ctx.w("col_obligation"), max_width=22),
            Col(ctx.w("col_kpi"), max_width=20),
            Col(ctx.w("col_months"), max_width=20),
            Col(ctx.w("col_due"), "date"),
            Col(ctx.w("col_status"), min_width=8),
            Col(ctx.w("col_action"), min_width=8),
        ],
        (
            [
                b.label(o.kind),
                ctx.obligation_kpis(o),
                months_text(o.months),
                date_serial(o.due),
                V(o.status, f"status:{o.status}"),
                o.linked_action,
            ]
            for o in ctx.obligations
        ),
        main=True,
    )
    sh.skip()
    sh.heading(ctx.w("tab_actions"))
    action_cols = [
        Col(ctx.w("action"), "int", min_width=7),
        Col(ctx.w("col_kpi"), max_width=20),
        Col(ctx.w("col_months"), max_width=20),
        Col(ctx.w("col_due"), "date"),
        Col(ctx.w("col_cause"), "wrap", max_width=30),
        Col(ctx.w("col_status"), min_width=8),
        Col(ctx.w("col_owner"), max_width=12),
        Col(ctx.w("col_measure"), "wrap", max_width=36),
        Col(ctx.w("col_link"), "wrap", max_width=28),
    ]
    actions = _actions(ctx)
    if actions is None:
        sh.table(action_cols, [], empty=ctx.w("no_store"))
        sh.finish()
        return
    sh.table(
        action_cols,
        (
            [
                a.action_id,
                ctx.kpi_name(a.kpi) if a.kpi else None,
                months_text(a.months),
                date_serial(a.due) if a.due else None,
                a.cause,
                V(b.label(a.status), f"status:{'open' if a.status == 'in_progress' else a.status}"),
                a.owner,
                a.measure,
                link_label(a.link_kind, a.link_ref, ctx.lang),
            ]
            for a in actions
        ),
    )
    sh.skip()
    sh.heading(ctx.w("action_history"))
    sh.table(
        [
            Col(ctx.w("action"), "int", min_width=7),
            Col(ctx.w("col_at"), "datetime"),
            Col(ctx.w("col_by"), max_width=14),
            Col(ctx.w("col_kind"), min_width=6),
            Col(ctx.w("fields"), "wrap", max_width=30),
        ],
        (
            [
                ch.action_id,
                stored_serial(ch.changed_at, ctx.zone),
                ch.changed_by,
                b.label(ch.change),
                action_change_text(ch.fields, ch.change, ctx.lang),
            ]
            for a in actions
            for ch in ctx.rec.history.get(a.action_id, [])
        ),
    )
    sh.finish()


def _actions(ctx: Context) -> list[Any] | None:
    if ctx.rec.actions is None:
        return None
    labels = ctx.p.month_labels
    ids = {o.id for o in ctx.obligations}
    return [a for a in ctx.rec.actions if set(a.months) & labels or (a.link_ref in ids) or a.status != "done"]


def exemptions(ctx: Context) -> None:
    b, p = ctx.book, ctx.p
    sh = b.sheet(
        "exemptions",
        f"{SHEETS['exemptions'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("exemptions_note"),
    )
    cols = [
        Col(ctx.w("request_no"), "int", min_width=5),
        Col(ctx.w("tcol_ticket_id"), max_width=22),
        Col(ctx.w("tcol_month"), min_width=8),
        Col(ctx.w("col_kind"), min_width=6),
        Col(ctx.w("new_priority"), min_width=6),
        Col(ctx.w("col_reason"), "wrap", max_width=36),
        Col(ctx.w("requested_by"), max_width=14),
        Col(ctx.w("requested_at"), "datetime"),
        Col(ctx.w("decision"), min_width=8),
        Col(ctx.w("decided_by"), max_width=14),
        Col(ctx.w("decided_at"), "datetime"),
        Col(ctx.w("decision_reason"), "wrap", max_width=36),
    ]
    if ctx.rec.exemptions is None:
        sh.table(cols, [], main=True, empty=ctx.w("no_store"))
    else:
        all_t = ctx.ev.tickets
        ids = [e.ticket_id for e in ctx.rec.exemptions]
        months: dict[str, str] = {}
        if ids and not all_t.empty:
            found = all_t.loc[all_t["ticket_id"].isin(ids), ["ticket_id", "month"]]
            months = dict(zip(found["ticket_id"].astype("object"), found["month"], strict=True))
        labels = p.month_labels
        chosen = [
            e for e in ctx.rec.exemptions if months.get(e.ticket_id) in labels or e.ticket_id not in months
        ]
        decision_status = {"approved": "done", "rejected": "missed", "pending": "pending"}
        sh.table(
            cols,
            (
                [
                    e.exemption_id,
                    e.ticket_id,
                    ctx.pname(months[e.ticket_id]) if e.ticket_id in months else None,
                    b.label(e.kind),
                    e.new_priority,
                    e.reason,
                    ctx.w("asked_provider_export") if e.requested_by == PROVIDER_EXPORT else e.requested_by,
                    stored_serial(e.requested_at, ctx.zone),
                    V(b.label(e.decision), f"status:{decision_status.get(e.decision, 'pending')}"),
                    ctx.w("approved_by_contract") if e.decided_by == ACCEPTED_BY_CONTRACT else e.decided_by,
                    stored_serial(e.decided_at, ctx.zone) if e.decided_at else None,
                    e.decision_reason,
                ]
                for e in chosen
            ),
            main=True,
        )
    sh.skip()
    sh.heading(ctx.w("excluded_tickets"))
    t = ctx.tickets
    frame = t.loc[t["excluded"]].sort_values(["created", "ticket_id"], kind="stable") if not t.empty else t
    rows: Iterable[Sequence[Any]] = []
    if len(frame):
        times = ctx.ticket_frame(frame)
        rows = zip(
            frame["ticket_id"].astype("object").tolist(),
            [ctx.pname(m) for m in frame["month"].tolist()],
            text_cells(frame["priority"]),
            times["created"],
            times["resolved"],
            ctx.category(frame),
            [exclusion_reason_text(r, ctx.lang) for r in text_cells(frame["exclusion_reason"])],
            strict=True,
        )
    sh.table(
        [
            Col(ctx.w("tcol_ticket_id"), max_width=22),
            Col(ctx.w("tcol_month"), min_width=8),
            Col(ctx.w("priority"), min_width=6),
            Col(ctx.w("tcol_created"), "datetime"),
            Col(ctx.w("resolved"), "datetime"),
            Col(ctx.w("category"), max_width=14),
            Col(ctx.w("col_reason"), "wrap", max_width=40),
        ],
        rows,
    )
    sh.finish()
