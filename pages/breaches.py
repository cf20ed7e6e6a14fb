"""Breaches & penalties: misses by month, itemised penalties with the cap, obligations, the
improvement-action register, exemptions and regrades, month close, reconciliation, survey exclusions."""

from __future__ import annotations

import streamlit as st

from sla_core.i18n import fmt_money, month_label
from sla_core.views import (
    audit_table,
    obligations_table,
    penalties_table,
    penalty_items,
    reconciliation_table,
    status_matrix,
)
from ui import breaches_forms, components, state
from ui.strings import L

ctx = state.context()
ctx.stop_without_data("page_breaches")
lang = ctx.lang
ev = ctx.evaluation
currency = ev.contract.base.contract.currency
st.title(f"{L('page_breaches')} · {ctx.period.title(lang)}")
components.stale_banner(ctx)

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
    values, statuses = state.shared("breaches_matrix", ctx, lambda: status_matrix(ev, lang))
    components.status_table(
        values,
        statuses,
        key="breaches_matrix",
        kpis=ev.kpi_ids,  # the matrix's rows
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
    unlinked = ("linked_action",) if table["linked_action"].eq("").all() else ()  # an empty column
    components.table(
        table,
        "breaches_obligations",
        file_name="obligations",
        hide=("status_code", "status_today_code", *unlinked),
        # the id is for files and links; the kind, KPI and months say which obligation it is
        column_config=components.fitted(
            {**components.obligation_columns(table), "id": None}, components.OBLIGATION_WIDTHS[lang]
        ),
    )

with tabs[3]:
    breaches_forms.actions_tab(ctx)

with tabs[4]:
    breaches_forms.exemptions_tab(ctx)

with tabs[5]:
    breaches_forms.close_tab(ctx)

with tabs[6]:
    components.table(
        reconciliation_table(ev, lang),
        "breaches_reconciliation",
        file_name="reconciliation",
        column_config={
            "month": L("col_months"),
            "kpi": L("col_kpi"),
            "provider": L("provider_value"),
            "computed": L("computed_value"),
            "difference": L("col_difference"),
            "flagged": L("flagged"),
        },
    )

with tabs[7]:
    breaches_forms.surveys_tab(ctx)

if ctx.guard.can("audit", ctx.contract_id):
    with tabs[8]:
        entries = ctx.guard.audit_log(ctx.contract_id)
        components.table(audit_table(entries, lang), "breaches_audit", file_name="audit-log")
