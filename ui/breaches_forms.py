"""The Breaches screen's work tabs: forms that change the registers through the Guard (improvement
actions, exemption and regrade requests, month close, survey exclusions). Each is widgets, the core's
rule (`sla_core.views`), one Guard call; the page lays the tabs out."""

from __future__ import annotations

import re
from datetime import date, timedelta

import streamlit as st

from sla_core.exclusions import ACCEPTED_BY_CONTRACT, PROVIDER_EXPORT
from sla_core.i18n import link_label, month_label
from sla_core.store import ACTION_STATUSES, Action
from sla_core.views import (
    ActionLink,
    action_history_table,
    action_links,
    actions_table,
    closable_months,
    closed_table,
    excludable_responses,
    exemption_problem,
    exemptions_table,
    link_target,
    settled_json,
    survey_exclusions_table,
)
from ui import components
from ui.state import Context, name_needed, shared
from ui.strings import L


def done(message: str) -> None:
    """Say `message` once the page has run again with the change."""
    st.session_state["breaches_flash"] = message
    st.rerun()


def actions_tab(ctx: Context) -> None:
    """The improvement-action register: the list, a new action, one action edited, its history."""
    lang, ev = ctx.lang, ctx.evaluation
    actions = ctx.guard.list_actions(ctx.contract_id)
    components.table(
        actions_table(actions, lang),
        "breaches_actions",
        file_name="improvement-actions",
        column_config=components.action_columns(),
    )
    links: list[ActionLink | None] = [None, *action_links(ev)]
    can_act = ctx.guard.can("action", ctx.contract_id)
    with st.form("breaches_action_add", clear_on_submit=True):
        st.markdown(f"**{L('add_action')}**")
        link = st.selectbox(
            L("col_link"),
            links,
            key="breaches_action_link",
            format_func=lambda x: "—" if x is None else link_label(x[0], x[1], lang),
            placeholder=L("pick_one"),
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
                kpi, months = link_target(ev, link)
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
                done(L("action_saved").format(id=saved.action_id))
    if actions:
        _edit_action(ctx, actions, can_act)


def _edit_action(ctx: Context, actions: list[Action], can_act: bool) -> None:
    """One action picked, its fields edited, its history shown."""
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
            new_status = st.selectbox(
                L("col_status"),
                ACTION_STATUSES,
                index=ACTION_STATUSES.index(action.status),
                format_func=lambda s: L(f"action_{s}"),
                placeholder=L("pick_one"),
            )
            cause = st.text_area(L("col_cause"), value=action.cause)
            measure = st.text_area(L("col_measure"), value=action.measure)
            c1, c2 = st.columns(2)
            owner = c1.text_input(L("col_owner"), value=action.owner)
            new_due = c2.date_input(L("col_due"), value=action.due)
            if st.form_submit_button(L("save"), type="primary", disabled=not can_act):
                ctx.guard.update_action(
                    ctx.contract_id,
                    chosen,
                    status=new_status,
                    cause=cause,
                    measure=measure,
                    owner=owner,
                    due=new_due,
                )
                done(L("action_saved").format(id=chosen))
        history = ctx.guard.action_history(ctx.contract_id, chosen)
        st.caption(L("history"))
        st.dataframe(action_history_table(history, ctx.lang), hide_index=True, key="breaches_action_history")


# the register's status → its word (an approved exclusion reads as an approved request)
_EXCLUSION_STATUS = {
    "pending": "exclusion_pending",
    "approved": "decision_approved",
    "rejected": "exclusion_rejected",
    "accepted": "exclusion_accepted",
    "cancelled": "exclusion_cancelled",
}


def _month(month: object, lang: str) -> str:
    """A register's month in words; blank when the ticket is not in the data (asked before its import)."""
    text = "" if month is None or month != month else str(month)  # NaN is not itself
    return month_label(text, lang) if re.fullmatch(r"\d{4}-\d{2}", text) else text


def exclusion_register(ctx: Context, asked_in_app: list[str]) -> None:
    """doc 003: every excluded ticket with its reason, who asked and who approved; the client decides
    here on the exclusions the provider's export asks for (those asked in the app: the form below)."""
    st.subheader(L("exclusion_register"))
    st.caption(L("exclusion_register_help"))
    register = ctx.guard.exclusion_register(ctx.contract_id)
    asked = {PROVIDER_EXPORT: L("asked_provider_export")}
    approved = {ACCEPTED_BY_CONTRACT: L("approved_by_contract")}
    rows: list[dict[str, object]] = [
        {
            L("tcol_ticket_id"): r.ticket_id,
            L("tcol_month"): _month(r.month, ctx.lang),
            L("col_reason"): r.reason,
            L("col_asked_by"): asked.get(str(r.asked_by), str(r.asked_by)),
            L("col_approved_by"): approved.get(str(r.approved_by), str(r.approved_by)),
            L("col_status"): L(_EXCLUSION_STATUS[str(r.status)]),
        }
        for r in register.itertuples(index=False)
    ]
    components.table(components.frame(rows), "breaches_exclusions", file_name="excluded-tickets")
    waiting = register.loc[
        (register["status"] == "pending")
        & (register["asked_by"] == PROVIDER_EXPORT)
        & ~register["ticket_id"].isin(asked_in_app)
    ]
    if waiting.empty or not ctx.guard.can("decide_exemption", ctx.contract_id):
        return
    reasons = {str(t): str(r) for t, r in zip(waiting["ticket_id"], waiting["reason"], strict=True)}
    pick = st.selectbox(
        L("export_exclusion_pick"),
        list(reasons),
        key="breaches_xr_pick",
        format_func=lambda t: f"{t} · {reasons[t]}",
    )
    why = st.text_input(L("decision_reason"), key="breaches_xr_why")
    c1, c2 = st.columns(2)
    if pick and c1.button(L("approve"), type="primary", key="breaches_xr_approved"):
        ctx.guard.decide_export_exclusion(ctx.contract_id, pick, reasons[pick], "approved", why)
        done(L("export_exclusion_decided").format(ticket=pick))
    if pick and c2.button(L("reject"), key="breaches_xr_rejected"):
        ctx.guard.decide_export_exclusion(ctx.contract_id, pick, reasons[pick], "rejected", why)
        done(L("export_exclusion_decided").format(ticket=pick))


def exemptions_tab(ctx: Context) -> None:
    """Excluded tickets (doc 003), then exemption and regrade requests: the list, a new request, a
    decision on a pending one."""
    lang, ev = ctx.lang, ctx.evaluation
    exemptions = ctx.guard.list_exemptions(ctx.contract_id)
    exclusion_register(ctx, [e.ticket_id for e in exemptions if e.decision == "pending"])
    st.subheader(L("tab_exemptions"))
    components.table(exemptions_table(exemptions, lang), "breaches_exemptions", file_name="exemptions")
    can_request = ctx.guard.can("request_exemption", ctx.contract_id)
    with st.form("breaches_exemption_request", clear_on_submit=True):
        st.markdown(f"**{L('request_exemption')}**")
        c1, c2, c3 = st.columns(3)
        ticket = c1.text_input(L("tcol_ticket_id"), key="breaches_ex_ticket")
        kind = c2.selectbox(
            L("col_kind"),
            ["exempt", "regrade"],
            format_func=lambda k: L(f"ex_{k}"),
            key="breaches_ex_kind",
            placeholder=L("pick_one"),
        )
        priority = c3.selectbox(
            L("new_priority"),
            [None, *[p.id for p in ev.contract.base.priorities]],
            format_func=lambda p: L("no_regrade") if p is None else p,
            key="breaches_ex_priority",
            placeholder=L("pick_one"),
        )
        reason = st.text_input(L("col_reason"), key="breaches_ex_reason")
        if st.form_submit_button(L("submit_request"), disabled=not can_request):
            if problem := exemption_problem(ev, ticket, kind, priority, reason, lang):
                st.error(components.plain(problem))  # it quotes the ticket id as typed
            else:
                e = ctx.guard.request_exemption(
                    ctx.contract_id,
                    ticket.strip(),
                    kind,
                    reason,
                    new_priority=priority if kind == "regrade" else None,
                )
                done(L("request_saved").format(id=e.exemption_id))
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
            placeholder=L("pick_one"),
        )
        why = st.text_input(L("decision_reason"), key="breaches_ex_why")
        c1, c2 = st.columns(2)
        if c1.button(L("approve"), type="primary", key="breaches_ex_approve"):
            ctx.guard.decide_exemption(ctx.contract_id, pick, "approved", why)
            done(L("decided").format(id=pick))
        if c2.button(L("reject"), key="breaches_ex_reject"):
            ctx.guard.decide_exemption(ctx.contract_id, pick, "rejected", why)
            done(L("decided").format(id=pick))


def close_tab(ctx: Context) -> None:
    """Month close: what closed months settled and what the data says now, and closing a month."""
    lang, ev = ctx.lang, ctx.evaluation
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
    closable = closable_months(ev)
    if closable and ctx.guard.can("close_month", ctx.contract_id):
        month = st.selectbox(
            L("close_which"),
            closable,
            index=None,
            placeholder=L("pick_one"),
            key="breaches_close_month",
            format_func=lambda m: month_label(m, lang),
        )
        if (
            components.confirmed(
                L("close_month"),
                "breaches_close",
                L("confirm_close").format(month=month_label(month, lang) if month else ""),
                name_needed=name_needed(),
                disabled=month is None,
            )
            and month
        ):
            ctx.guard.close_month(ctx.contract_id, month, settled_json(ev, month), ctx.snap.version)
            done(L("closed").format(month=month_label(month, lang)))
    else:
        st.caption(L("nothing_to_close"))


def surveys_tab(ctx: Context) -> None:
    """Survey exclusions: excluding a flagged response (with a reason), the exclusions made."""
    lang, ev = ctx.lang, ctx.evaluation
    described = shared("breaches_excludable", ctx, lambda: excludable_responses(ev, lang))  # read-only
    if not described or not ctx.guard.can("exclude_survey", ctx.contract_id):
        st.caption(L("no_rows"))
    else:
        rid = st.selectbox(
            L("exclude_which"),
            list(described),
            index=None,
            placeholder=L("pick_one"),
            key="breaches_survey_pick",
            format_func=lambda r: described[r],
        )
        reason = st.text_input(L("col_reason"), key="breaches_survey_reason")
        if st.button(L("exclude"), key="breaches_survey_exclude", disabled=rid is None) and rid:
            if not reason.strip():
                st.error(L("exclusion_needs_reason"))
            else:
                ctx.guard.exclude_survey(ctx.contract_id, rid, reason)
                done(L("excluded_done").format(id=rid))
    excluded = ctx.guard.list_survey_exclusions(ctx.contract_id)
    components.table(
        survey_exclusions_table(excluded, lang),
        "breaches_survey_exclusions",
        file_name="survey-exclusions",
        search=False,
    )
