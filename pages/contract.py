"""Contract: view and edit every term (general, KPI targets, priorities, calendar, penalties,
obligations, versions, the TOML itself), validated before saving as a new revision; download/upload
the TOML; a new contract from the example."""

from __future__ import annotations

import streamlit as st

from sla_core import contract_edit as ce
from ui import components, contract_tabs, state
from ui.strings import L

ctx = state.context()
lang = ctx.lang
contract = ctx.evaluation.contract
raw = ce.raw_of(contract.source_text)
st.title(f"{L('page_contract')} · {components.plain(contract.base.contract.name or contract.id)}")

can_edit = ctx.guard.can("edit_contract", ctx.contract_id)
if not can_edit:
    st.info(L("contract_read_only"))
editing = contract_tabs.Editing(ctx, contract, raw, can_edit)

if flash := st.session_state.pop("contract_flash", None):
    st.success(flash)
for w in [i for i in ce.validate(raw)[1] if i.level == "warning"]:
    st.warning(components.said([w], lang))

tabs = st.tabs(
    [
        L("tab_general"),
        L("tab_kpis"),
        L("tab_priorities"),
        L("tab_calendar"),
        L("tab_penalties_terms"),
        L("tab_versions"),
        L("tab_toml"),
        L("tab_new"),
    ]
)
show = (
    contract_tabs.general_tab,
    contract_tabs.kpis_tab,
    contract_tabs.priorities_tab,
    contract_tabs.calendar_tab,
    contract_tabs.penalties_tab,
    contract_tabs.versions_tab,
    contract_tabs.toml_tab,
    contract_tabs.new_tab,
)
for tab, tab_contents in zip(tabs, show, strict=True):
    with tab:
        tab_contents(editing)
