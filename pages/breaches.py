"""Breaches & penalties: misses by month, itemised penalties with the cap, obligations, the
improvement-action register, exemptions and regrades, month close, reconciliation, survey exclusions."""

from __future__ import annotations

import json
from datetime import date, timedelta

import streamlit as st

from sla_core.contract import KPI_IDS
from sla_core.i18n import (
    action_change_text,
    audit_action_label,
    audit_detail_text,
    fmt_money,
    link_label,
    month_label,
)
from sla_core.views import (
    actions_table,
    closed_table,
    flag_text,
    misses,
    obligations_table,
    penalties_table,
    penalty_items,
    reconciliation_table,
    status_matrix,
)
from ui import components, state
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_breaches")
lang = ctx.lang
zh = lang == "zh"
ev = ctx.evaluation
currency = ev.contract.base.contract.currency
st.title(f"{L('page_breaches')} · {ctx.period.title(lang)}")
components.stale_banner(ctx)


def _done(message: str) -> None:
    st.session_state["breaches_flash"] = message
    st.rerun()


def _link_kpi(link: tuple[str, str] | None) -> tuple[str | None, list[str]]:
    if link is None:
        return None, []
    kind, ref = link
    if kind == "miss":
        kpi, month = ref.split(":")
        return kpi, [month]
    o = next((o for o in ev.obligations if o.id == ref), None)
    kpi = o.kpi if o and o.kpi in KPI_IDS else None
    return kpi, list(o.months) if o else []


if flash := st.session_state.pop("breaches_flash", None):
    st.success(flash)

tabs = st.tabs(
    [
        L("tab_misses"),
        L("tab_penalties"),
        L("tab_obligations"),
        L("tab_actions"),
        L("tab_exemptions"),
        L("tab_close"),
        L("tab_reconciliation"),
        L("tab_surveys"),
        *([L("tab_audit")] if ctx.guard.can("audit", ctx.contract_id) else []),
    ]
)

with tabs[0]:
    values, statuses = status_matrix(ev, lang)
    components.status_table(
        values,
        statuses,
        key="breaches_matrix",
        kpis=KPI_IDS,
        periods=[None, *(m.label for m in ev.months)],  # the target column, then every month
    )

with tabs[1]:
    table = penalties_table(ev, lang)
    components.table(
        table,
        "breaches_penalties",
        file_name="penalties",
        search=False,
        column_config=components.penalty_columns(),
    )
    label = ctx.period.label if ctx.period.kind != "range" else (ev.months[-1].label if ev.months else "")
    result = ev.period(label)
    if result is not None:
        p = result.penalty
        st.markdown(
            f"**{month_label(label, lang)}** · {L('penalty')} {fmt_money(p.amount, currency, lang)}"
            + (
                f" · {L('cap_bit').format(uncapped=fmt_money(p.uncapped_amount, currency, lang))}"
                if p.capped
                else ""
            )
            + (f" · {L('provisional')}" if p.provisional and not result.closed else "")
        )
        components.table(
            penalty_items(ev, label, lang),
            "breaches_items",
            file_name=f"penalty-items-{label}",
            column_config={
                "kind": L("col_kind"),
                "ref": L("col_ref"),
                "target": L("tcol_target"),
                "amount": st.column_config.NumberColumn(L("col_amount"), format="accounting"),
            },
        )

with tabs[2]:
    table = obligations_table(ev, lang, today=state.today(ctx))
    components.table(
        table,
        "breaches_obligations",
        file_name="obligations",
        hide=("status_code", "status_today_code"),
        # the id is for files and links; the kind, KPI and months say which obligation it is
        column_config={**components.obligation_columns(table), "id": None},
    )

with tabs[3]:
    actions = ctx.guard.list_actions(ctx.contract_id)
    components.table(
        actions_table(actions, lang),
        "breaches_actions",
        file_name="improvement-actions",
        column_config=components.action_columns(),
    )
    links = [("obligation", o.id) for o in ev.obligations if o.kind != "provider_report"]
    links += [("miss", f"{kpi}:{month}") for month, kpi in misses(ev)]
    can_act = ctx.guard.can("action", ctx.contract_id)
    with st.form("breaches_action_add", clear_on_submit=True):
        st.markdown(f"**{L('add_action')}**")
        link = st.selectbox(
            L("col_link"),
            [None, *links],
            key="breaches_action_link",
            format_func=lambda x: "—" if x is None else link_label(*x, lang),
        )
        cause = st.text_area(L("col_cause"), key="breaches_action_cause")
        measure = st.text_area(L("col_measure"), key="breaches_action_measure")
        c1, c2 = st.columns(2)
        owner = c1.text_input(L("col_owner"), key="breaches_action_owner")
        due = c2.date_input(L("col_due"), value=date.today() + timedelta(days=15), key="breaches_action_due")
        if st.form_submit_button(L("save"), type="primary", disabled=not can_act):
            if not (cause.strip() and measure.strip() and owner.strip()):
                st.error(L("action_required"))
            else:
                kpi, months = _link_kpi(link)
                saved = ctx.guard.add_action(
                    ctx.contract_id,
                    cause=cause,
                    measure=measure,
                    owner=owner,
                    due=due,
                    kpi=kpi,
                    months=months,
                    link_kind=link[0] if link else None,
                    link_ref=link[1] if link else None,
                )
                _done(L("action_saved").format(id=saved.action_id))
    if actions:
        chosen = st.selectbox(
            L("edit_action"),
            [a.action_id for a in actions],
            index=None,
            placeholder=L("pick_one"),
            key="breaches_action_pick",
            format_func=lambda i: f"#{i}",
        )
        if chosen is not None:
            action = next(a for a in actions if a.action_id == chosen)
            with st.form(f"breaches_action_edit_{chosen}"):
                statuses = ["open", "in_progress", "done"]
                status = st.selectbox(
                    L("col_status"),
                    statuses,
                    index=statuses.index(action.status),
                    format_func=lambda s: L(f"action_{s}"),
                )
                cause = st.text_area(L("col_cause"), value=action.cause)
                measure = st.text_area(L("col_measure"), value=action.measure)
                c1, c2 = st.columns(2)
                owner = c1.text_input(L("col_owner"), value=action.owner)
                due = c2.date_input(L("col_due"), value=action.due)
                if st.form_submit_button(L("save"), type="primary", disabled=not can_act):
                    ctx.guard.update_action(
                        ctx.contract_id,
                        chosen,
                        status=status,
                        cause=cause,
                        measure=measure,
                        owner=owner,
                        due=due,
                    )
                    _done(L("action_saved").format(id=chosen))
            history = ctx.guard.action_history(ctx.contract_id, chosen)
            st.caption(L("history"))
            st.dataframe(
                [
                    {
                        L("col_at"): h.changed_at.replace(tzinfo=None),
                        L("col_by"): h.changed_by,
                        L("col_change"): action_change_text(h.fields, h.change, lang),
                    }
                    for h in history
                ],
                hide_index=True,
                key="breaches_action_history",
            )

with tabs[4]:
    exemptions = ctx.guard.list_exemptions(ctx.contract_id)
    rows = [
        {
            L("col_id"): e.exemption_id,
            L("col_ticket"): e.ticket_id,
            L("col_kind"): L(f"ex_{e.kind}"),
            L("new_priority"): e.new_priority or "",
            L("col_reason"): e.reason,
            L("col_by"): e.requested_by,
            L("col_decision"): L(f"decision_{e.decision}"),
            L("decided_by"): e.decided_by or "",
            L("decision_reason"): e.decision_reason or "",
        }
        for e in exemptions
    ]
    components.table(components.frame(rows), "breaches_exemptions", file_name="exemptions")
    can_request = ctx.guard.can("request_exemption", ctx.contract_id)
    with st.form("breaches_exemption_request", clear_on_submit=True):
        st.markdown(f"**{L('request_exemption')}**")
        c1, c2, c3 = st.columns(3)
        ticket = c1.text_input(L("col_ticket"), key="breaches_ex_ticket")
        kind = c2.selectbox(
            L("col_kind"), ["exempt", "regrade"], format_func=lambda k: L(f"ex_{k}"), key="breaches_ex_kind"
        )
        priority = c3.selectbox(
            L("new_priority"),
            [None, *[p.id for p in ev.contract.base.priorities]],
            format_func=lambda p: L("no_regrade") if p is None else p,
            key="breaches_ex_priority",
        )
        reason = st.text_input(L("col_reason"), key="breaches_ex_reason")
        if st.form_submit_button(L("submit_request"), disabled=not can_request):
            known = set(ev.tickets["ticket_id"]) if not ev.tickets.empty else set()
            if not ticket.strip() or not reason.strip():
                st.error(L("exemption_required"))
            elif ticket.strip() not in known:
                st.error(L("unknown_ticket").format(ticket=ticket))
            elif kind == "regrade" and not priority:
                st.error(L("regrade_needs_priority"))
            else:
                e = ctx.guard.request_exemption(
                    ctx.contract_id,
                    ticket.strip(),
                    kind,
                    reason,
                    new_priority=priority if kind == "regrade" else None,
                )
                _done(L("request_saved").format(id=e.exemption_id))
    pending = [e for e in exemptions if e.decision == "pending"]
    if pending and ctx.guard.can("decide_exemption", ctx.contract_id):
        st.markdown(f"**{L('decide')}**")
        pick = st.selectbox(
            L("pending_requests"),
            [e.exemption_id for e in pending],
            key="breaches_ex_pick",
            format_func=lambda i: next(
                f"#{e.exemption_id} · {e.ticket_id} · {L('ex_' + e.kind)}"
                for e in pending
                if e.exemption_id == i
            ),
        )
        why = st.text_input(L("decision_reason"), key="breaches_ex_why")
        c1, c2 = st.columns(2)
        if c1.button(L("approve"), type="primary", key="breaches_ex_approve"):
            ctx.guard.decide_exemption(ctx.contract_id, pick, "approved", why)
            _done(L("decided").format(id=pick))
        if c2.button(L("reject"), key="breaches_ex_reject"):
            ctx.guard.decide_exemption(ctx.contract_id, pick, "rejected", why)
            _done(L("decided").format(id=pick))

with tabs[5]:
    st.caption(L("close_help"))
    components.table(
        closed_table(ev, lang),
        "breaches_closed",
        file_name="closed-months",
        search=False,
        column_config={
            "month": L("col_months"),
            "item": L("col_item"),
            "settled": L("col_settled"),
            "now": L("col_now"),
            "note": L("col_note"),
        },
    )
    closable = [m.label for m in ev.months if m.final and not m.closed and m.judged]
    if closable and ctx.guard.can("close_month", ctx.contract_id):
        month = st.selectbox(
            L("close_which"),
            closable,
            index=None,
            placeholder=L("pick_one"),
            key="breaches_close_month",
            format_func=lambda m: month_label(m, lang),
        )
        if st.button(L("close_month"), type="primary", key="breaches_close", disabled=month is None):
            result = ev.month(month)
            ctx.guard.close_month(
                ctx.contract_id,
                month,
                json.dumps(result.to_json(), ensure_ascii=False),
                ctx.snap.version,
            )
            _done(L("closed").format(month=month_label(month, lang)))
    else:
        st.caption(L("nothing_to_close"))

with tabs[6]:
    components.table(
        reconciliation_table(ev, lang),
        "breaches_reconciliation",
        file_name="reconciliation",
        column_config={
            "month": L("col_months"),
            "kpi": L("col_kpi"),
            "provider": L("col_provider"),
            "computed": L("col_computed"),
            "difference": L("col_difference"),
            "flagged": L("col_flagged"),
        },
    )

with tabs[7]:
    responses = ev.responses
    flagged = (
        responses.loc[(responses["flags"].fillna("") != "") & ~responses["excluded"]]
        if not responses.empty
        else responses
    )
    if flagged.empty or not ctx.guard.can("exclude_survey", ctx.contract_id):
        st.caption(L("no_rows"))
    else:
        # which response: its id, score and why it is flagged (an id alone says nothing)
        ids = flagged["response_id"].astype(str)
        flags = flagged["flags"].astype(str)
        reasons = flags.map({f: flag_text(f, lang) for f in flags.unique()})  # named once per distinct set
        scores = flagged["score"].map("{:g}".format)
        described = dict(zip(ids, ids + " · " + scores + " · " + reasons, strict=True))
        rid = st.selectbox(
            L("exclude_which"),
            list(described),
            index=None,
            placeholder=L("pick_one"),
            key="breaches_survey_pick",
            format_func=described.get,
        )
        reason = st.text_input(L("col_reason"), key="breaches_survey_reason")
        if st.button(L("exclude"), key="breaches_survey_exclude", disabled=rid is None):
            if not reason.strip():
                st.error(L("exclusion_needs_reason"))
            else:
                ctx.guard.exclude_survey(ctx.contract_id, rid, reason)
                _done(L("excluded_done").format(id=rid))
    excluded = ctx.guard.list_survey_exclusions(ctx.contract_id)
    components.table(
        components.frame(
            [
                {
                    L("col_response"): e.response_id,
                    L("col_reason"): e.reason,
                    L("col_by"): e.excluded_by,
                    L("col_at"): e.excluded_at.replace(tzinfo=None),
                }
                for e in excluded
            ]
        ),
        "breaches_survey_exclusions",
        file_name="survey-exclusions",
        search=False,
    )

if ctx.guard.can("audit", ctx.contract_id):
    with tabs[8]:
        entries = ctx.guard.audit_log(ctx.contract_id)
        components.table(
            components.frame(
                [
                    {
                        L("col_at"): e.logged_at.replace(tzinfo=None),
                        L("col_by"): e.actor,
                        L("col_kind"): audit_action_label(e.action, lang),
                        L("col_change"): audit_detail_text(e.action, e.detail, lang),
                    }
                    for e in entries
                ]
            ),
            "breaches_audit",
            file_name="audit-log",
        )
