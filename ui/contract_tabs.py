"""The Contract screen's tabs: every term edited as a table or a form, validated by
`sla_core.contract_edit` and saved through the Guard as a new revision; the TOML itself; a new contract
from the example. The page lays the tabs out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from sla_core import contract_edit as ce
from sla_core.calendar import official_days
from sla_core.contract import WEEKDAYS, Contract, FixedAmount, Penalty, format_duration
from sla_core.demo import demo_contract_text
from sla_core.i18n import CLOCK_NAMES, KPIS, WEEKDAY_NAMES, clock_label
from ui import components
from ui.state import Context
from ui.strings import L


@dataclass(frozen=True)
class Editing:
    """The contract being edited: as evaluated, as its TOML's tables, and whether the user may save."""

    ctx: Context
    contract: Contract
    raw: dict[str, Any]
    can_edit: bool

    @property
    def lang(self) -> str:
        return self.ctx.lang


def save(e: Editing, new_raw: dict[str, Any], key: str) -> None:
    """Validate; on success store as a new revision (the store refuses silent changes)."""
    lang = e.lang
    found, issues = ce.validate(new_raw)
    errors = [i for i in issues if i.level == "error"]
    if errors or found is None:
        st.error(L("contract_invalid"))
        st.dataframe(
            pd.DataFrame([{L("col_key"): i.column, L("col_message"): i.message(lang)} for i in errors]),
            hide_index=True,
            key=f"{key}_errors",
        )
        return
    saved = e.ctx.guard.save_contract(
        ce.to_text(new_raw), str(new_raw["contract"]["id"]), as_new_revision=True
    )
    if saved.status in ("refused", "invalid"):
        st.error(components.said(saved.issues, lang, "; "))
        return
    st.session_state["contract_flash"] = L("contract_saved").format(revision=saved.revision)
    st.rerun()


def base_terms_note(e: Editing) -> None:
    """Later versions change these terms from their own dates: say so where the base is edited."""
    contract = e.contract
    later = contract.versions[1:]
    if later:
        st.info(
            L("base_terms_note").format(
                start=contract.base.contract.effective_from,
                n=len(later),
                dates=", ".join(str(v.effective_from) for v in later),
            )
        )


def general_tab(e: Editing) -> None:
    """Name, parties, fee, currency, start, and whether a KPI without data counts as missed."""
    contract, raw, can_edit = e.contract, e.raw, e.can_edit
    info = contract.base.contract
    with st.form("contract_general"):
        c1, c2 = st.columns(2)
        c1.text_input(L("contract_id"), value=info.id, disabled=True)
        c2.text_input(L("timezone"), value=info.timezone, disabled=True)
        name = st.text_input(L("contract_name"), value=info.name)
        c1, c2 = st.columns(2)
        client = c1.text_input(L("client"), value=info.client)
        provider = c2.text_input(L("provider"), value=info.provider)
        c1, c2, c3 = st.columns(3)
        fee = c1.number_input(L("monthly_fee"), value=float(info.monthly_fee), min_value=0.0, step=1000.0)
        currency = c2.text_input(L("currency"), value=info.currency)
        start = c3.date_input(L("effective_from"), value=info.effective_from)
        strict = st.checkbox(L("no_data_missed"), value=info.no_data_counts_as_missed)
        if st.form_submit_button(L("validate_save"), type="primary", disabled=not can_edit):
            save(
                e,
                ce.with_general(
                    raw,
                    {
                        "name": name,
                        "client": client,
                        "provider": provider,
                        "monthly_fee": int(fee) if float(fee).is_integer() else fee,
                        "currency": currency,
                        "effective_from": start,
                        "no_data_counts_as_missed": strict,
                    },
                ),
                "contract_general",
            )


def kpis_tab(e: Editing) -> None:
    """The KPI targets of the base terms."""
    raw, lang, can_edit = e.raw, e.lang, e.can_edit
    base_terms_note(e)
    st.caption(L("kpi_help"))
    with st.form("contract_kpis"):
        edited = st.data_editor(
            ce.kpi_frame(raw, lang),
            hide_index=True,
            disabled=["kpi", "label"],
            key="contract_kpi_editor",
            # the row's key stays out of sight: the KPI's name says which it is
            column_config={"kpi": None, "label": L("col_kpi"), "target": L("target")},
        )
        if st.form_submit_button(L("validate_save"), type="primary", disabled=not can_edit):
            save(e, ce.with_kpis(raw, edited), "contract_kpis")


def priorities_tab(e: Editing) -> None:
    """Priorities: labels in the data, clock, response and resolution targets."""
    raw, lang, can_edit = e.raw, e.lang, e.can_edit
    base_terms_note(e)
    priority_columns: components.Columns = {
        "id": L("col_id"),
        "labels": L("col_labels"),
        "clock": st.column_config.SelectboxColumn(
            L("col_clock"), options=list(CLOCK_NAMES), format_func=lambda c: clock_label(str(c), lang)
        ),
        "response": L("measure_response"),
        "resolution": L("measure_resolution"),
    }
    with st.form("contract_priorities"):
        edited = st.data_editor(
            ce.priority_frame(raw),
            hide_index=True,
            num_rows="dynamic",
            key="contract_priority_editor",
            column_config=priority_columns,
        )
        if st.form_submit_button(L("validate_save"), type="primary", disabled=not can_edit):
            save(e, ce.with_priorities(raw, edited), "contract_priorities")


def calendar_tab(e: Editing) -> None:
    """The working calendar, and a year's official holidays and make-up days."""
    contract, raw, lang, can_edit = e.contract, e.raw, e.lang, e.can_edit
    cal = raw.get("calendar", {})
    with st.form("contract_calendar"):
        country = st.text_input(L("country"), value=cal.get("country", ""))
        day_names = dict(zip(WEEKDAYS, WEEKDAY_NAMES[lang], strict=True))  # mon → 周一
        shown_hours = ce.hours_frame(raw).assign(day=lambda f: f["day"].map(day_names))
        hours = st.data_editor(
            shown_hours,
            hide_index=True,
            disabled=["day"],
            key="contract_hours_editor",
            column_config={"day": L("col_day"), "hours": L("col_hours")},
        ).assign(day=lambda f: f["day"].map({name: key for key, name in day_names.items()}))
        c1, c2 = st.columns(2)
        holidays = c1.text_area(L("extra_holidays"), value=", ".join(cal.get("extra_holidays", [])))
        workdays = c2.text_area(L("extra_workdays"), value=", ".join(cal.get("extra_workdays", [])))
        special = st.data_editor(
            ce.special_frame(raw),
            hide_index=True,
            num_rows="dynamic",
            key="contract_special_editor",
            column_config={"date": L("col_date"), "hours": L("col_hours")},
        )
        if st.form_submit_button(L("validate_save"), type="primary", disabled=not can_edit):
            save(e, ce.with_calendar(raw, country, hours, holidays, workdays, special), "contract_calendar")
    year = st.number_input(L("official_year"), value=date.today().year, step=1, key="contract_year")
    public, make_up, unpublished = official_days(contract.base.calendar.country, int(year), int(year))
    if int(year) in unpublished:
        st.warning(L("year_unpublished").format(year=int(year)))
    days = [{L("col_date"): d, L("col_kind"): L("public_holiday")} for d in sorted(public)]
    days += [{L("col_date"): d, L("col_kind"): L("make_up_day")} for d in sorted(make_up)]
    st.dataframe(
        pd.DataFrame(days).sort_values(L("col_date")) if days else pd.DataFrame(),
        hide_index=True,
        key="contract_official_days",
    )


def penalties_tab(e: Editing) -> None:
    """Penalties with their cap, and the obligations' deadlines."""
    contract, raw, can_edit = e.contract, e.raw, e.can_edit
    pen = contract.base.penalties
    ticket_rule = pen.per_breached_ticket
    with st.form("contract_penalties"):
        c1, c2, c3 = st.columns(3)

        def pct(x: Decimal | FixedAmount | dict[str, Penalty] | None) -> float:
            return float(x) if isinstance(x, Decimal) else 0.0

        response = c1.number_input(L("pen_response"), value=pct(ticket_rule.get("response")), min_value=0.0)
        resolution = c2.number_input(
            L("pen_resolution"), value=pct(ticket_rule.get("resolution")), min_value=0.0
        )
        per_kpi = c3.number_input(L("pen_kpi"), value=pct(pen.per_missed_kpi), min_value=0.0)
        c1, c2 = st.columns(2)
        cap = c1.number_input(L("pen_cap"), value=float(pen.cap or 0), min_value=0.0)
        period = c2.selectbox(
            L("pen_cap_period"),
            ["month", "contract_year", "contract"],
            index=["month", "contract_year", "contract"].index(pen.cap_period),
            format_func=lambda p: L(f"cap_{p}"),
            placeholder=L("pick_one"),
        )
        st.caption(L("pen_help"))
        ob = contract.base.obligations
        c1, c2, c3, c4, c5 = st.columns(5)
        plan_n = c1.number_input(L("ob_plan_n"), value=ob.improvement_plan_after_months, min_value=1, step=1)
        plan_d = c2.number_input(L("ob_plan_d"), value=ob.improvement_plan_due_days, min_value=0, step=1)
        inv = c3.number_input(L("ob_inv"), value=ob.satisfaction_investigation_workdays, min_value=0, step=1)
        fin = c4.number_input(L("ob_fin"), value=ob.satisfaction_findings_workdays, min_value=0, step=1)
        rep = c5.number_input(
            L("ob_report"), value=ob.provider_report_day or 5, min_value=1, max_value=28, step=1
        )
        if st.form_submit_button(L("validate_save"), type="primary", disabled=not can_edit):
            new = ce.with_penalties(raw, response, resolution, per_kpi, cap, period)
            new = ce.with_obligations(
                new,
                {
                    "improvement_plan_after_months": int(plan_n),
                    "improvement_plan_due_days": int(plan_d),
                    "satisfaction_investigation_workdays": int(inv),
                    "satisfaction_findings_workdays": int(fin),
                    "provider_report_day": int(rep),
                },
            )
            save(e, new, "contract_penalties")


def versions_tab(e: Editing) -> None:
    """The versions agreed later, and adding one (KPI targets and priority targets that change)."""
    contract, raw, lang, can_edit = e.contract, e.raw, e.lang, e.can_edit
    st.dataframe(
        ce.versions_frame(raw, lang),
        hide_index=True,
        key="contract_versions",
        column_config={
            "effective_from": L("effective_from"),
            "note": L("col_note"),
            "changes": L("col_change"),
        },
    )
    st.markdown(f"**{L('add_version')}**")
    st.caption(L("version_help"))
    latest = contract.versions[-1]
    with st.form("contract_version_add"):
        c1, c2 = st.columns([1, 3])
        today = date.today()
        start = c1.date_input(
            L("effective_from"),
            value=date(today.year + today.month // 12, today.month % 12 + 1, 1),
            key="contract_version_from",
        )
        note = c2.text_input(L("col_note"), key="contract_version_note")
        changes = st.data_editor(
            pd.DataFrame(
                {
                    "kpi": list(KPIS),
                    "label": [KPIS[k].label(lang) for k in KPIS],
                    # in force now: the last version's merged terms, not the base ones
                    "now": [t.text if (t := latest.target(k)) else "" for k in KPIS],
                    "new": [""] * len(KPIS),
                }
            ),
            hide_index=True,
            disabled=["kpi", "label", "now"],
            key="contract_version_kpis",
            column_config={
                "kpi": None,
                "label": L("col_kpi"),
                "now": L("current_target"),
                "new": L("new_target"),
            },
        )
        prios = st.data_editor(
            pd.DataFrame(
                {
                    "id": [p.id for p in latest.priorities],
                    "now": [
                        f"{format_duration(p.response)} / {format_duration(p.resolution)}"
                        for p in latest.priorities
                    ],
                    "response": "",
                    "resolution": "",
                }
            ),
            hide_index=True,
            disabled=["id", "now"],
            key="contract_version_priorities",
            column_config={
                "id": L("col_id"),
                "now": L("current_response_resolution"),
                "response": L("measure_response"),
                "resolution": L("measure_resolution"),
            },
        )
        if st.form_submit_button(L("validate_save"), type="primary", disabled=not can_edit):
            kpis = {
                str(r["kpi"]): str(r["new"]).strip() for _, r in changes.iterrows() if str(r["new"]).strip()
            }
            priorities = {
                str(r["id"]): {k: str(r[k]).strip() for k in ("response", "resolution") if str(r[k]).strip()}
                for _, r in prios.iterrows()
            }
            save(e, ce.with_version(raw, start, note, kpis, priorities), "contract_version")


def toml_tab(e: Editing) -> None:
    """The TOML itself: edited, downloaded, uploaded; the stored revisions."""
    ctx, contract, can_edit, text = e.ctx, e.contract, e.can_edit, e.contract.source_text
    edited_text = st.text_area(L("toml_text"), value=text, height=480, key="contract_toml")
    c1, c2, c3 = st.columns(3)
    if c1.button(L("validate_save"), type="primary", key="contract_toml_save", disabled=not can_edit):
        try:
            new_raw = ce.raw_of(edited_text)
        except Exception as exc:  # a TOML syntax error, shown as such
            st.error(f"{L('toml_error')}: {components.plain(exc)}")
        else:
            save(e, new_raw, "contract_toml")
    c2.download_button(
        L("download_toml"),
        text.encode("utf-8"),
        f"{contract.id}.toml",
        "application/toml",
        key="contract_download",
    )
    components.uploader_words("contract_upload", ["toml"])
    uploaded = c3.file_uploader(L("upload_toml"), type=["toml"], key="contract_upload")
    if uploaded is not None and st.button(
        L("save_uploaded"), key="contract_upload_save", disabled=not can_edit
    ):
        try:
            new_raw = ce.raw_of(uploaded.getvalue().decode("utf-8-sig"))
        except Exception as exc:  # a TOML syntax or encoding error
            st.error(f"{L('toml_error')}: {components.plain(exc)}")
        else:
            save(e, new_raw, "contract_upload")
    revisions = ctx.guard.contract_revisions(contract.id)
    st.caption(L("revisions"))
    st.dataframe(
        components.frame(
            [
                {
                    L("col_revision"): r.revision,
                    L("col_at"): r.stored_at.replace(tzinfo=None),
                    L("col_by"): r.stored_by,
                }
                for r in revisions
            ]
        ),
        hide_index=True,
        key="contract_revisions",
    )


def new_tab(e: Editing) -> None:
    """A new contract from the example."""
    ctx, lang = e.ctx, e.lang
    with st.form("contract_new"):
        new_id = st.text_input(L("contract_id"), placeholder="my-helpdesk")
        new_name = st.text_input(L("contract_name"))
        if st.form_submit_button(L("create_contract"), type="primary"):
            new_raw = ce.new_contract(demo_contract_text(), new_id.strip(), new_name.strip())
            known = {c.contract_id for c in ctx.guard.contracts()}
            if new_id.strip() in known:
                st.error(L("contract_exists").format(id=components.plain(new_id)))
            else:
                found, issues = ce.validate(new_raw)
                if found is None:
                    st.error(components.said([i for i in issues if i.level == "error"], lang, "; "))
                else:
                    _create(e, ce.to_text(new_raw), found.id)


def _create(e: Editing, text: str, contract_id: str) -> None:
    """Store a new contract, and say "created" only for a contract this created."""
    saved = e.ctx.guard.save_contract(text, contract_id)
    if saved.status != "created":
        errors = [i for i in saved.issues if i.level == "error"]
        st.error(components.said(errors, e.lang, "; ") or L("contract_exists").format(id=contract_id))
        return
    st.session_state["app_contract_next"] = contract_id
    st.session_state["contract_flash"] = L("contract_created").format(id=contract_id)
    st.rerun()
