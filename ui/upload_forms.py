"""The Upload screen's steps: read the uploaded file (cached per choice), how it was read (shape and
preset), what the reading found, the column mapping (and saving it as a preset), the import, the batch
history with undo, the demo data. Each step is widgets, a core call and render; the page runs them in
order."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from sla_core import store as st_store
from sla_core.access import Guard
from sla_core.dataset import Kind
from sla_core.i18n import field_label
from sla_core.ingest import IngestResult, read_file, read_tickets
from sla_core.ingest.headers import SKIP_WORD
from sla_core.ingest.presets import BUILTIN, Preset, by_id
from sla_core.ingest.shape import SHAPES, ShapeChoice
from sla_core.views import (
    IGNORE_TARGET,
    UploadPreview,
    batches_table,
    mapping_options,
    mapping_target_label,
    unfed_lines,
    upload_preview,
)
from ui import components, state
from ui.state import Context
from ui.strings import L

PRESET_AUTO, PRESET_NONE = "__auto__", "__none__"


@st.cache_data(max_entries=8, show_spinner=False)
def _read(
    _guard: Guard,
    data: bytes,
    name: str,
    kind: Kind,
    contract_id: str,
    version: str,
    mapping_json: str,
    sheet: str | None,
    preset: str | None = None,
    shape: ShapeChoice = "auto",
    presets_json: str = "[]",
) -> IngestResult:
    """Reading is pure given the bytes, the contract revision, the mapping, the preset and the shape:
    cached per user choice (the Guard, which only loads the contract, is not part of the key). A
    tickets file is read as the file shows (one row per ticket or a status history) unless `shape`
    says."""
    contract = _guard.load_contract(contract_id)
    presets = [Preset.from_dict(p) for p in json.loads(presets_json)]
    mapping = json.loads(mapping_json) or None
    if kind == "tickets":
        return read_tickets(
            data,
            contract,
            shape=shape,
            file_name=name,
            mapping=mapping,
            sheet=sheet,
            preset=preset,
            presets=presets,
        )
    return read_file(
        data, kind, contract, file_name=name, mapping=mapping, sheet=sheet, preset=preset, presets=presets
    )


@dataclass
class Reading:
    """One uploaded file as read with the user's current choices."""

    kind: Kind
    data: bytes
    name: str
    digest: str  # keys the file's own widgets (sheet, shape, preset, mapping editor)
    mapping_key: str
    shape_key: str
    shape_choice: ShapeChoice
    preset_key: str
    chosen_preset: str
    preset_arg: str | None  # None: recognise from the headers; "": none
    own_presets: list[Preset]
    result: IngestResult
    view: UploadPreview

    @property
    def as_history(self) -> bool:
        return self.result.history is not None


def read_upload(ctx: Context, kind: Kind, uploaded: UploadedFile) -> Reading:
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    mapping_key = f"upload_mapping_{ctx.contract_id}_{kind}"
    if mapping_key not in st.session_state:
        st.session_state[mapping_key] = ctx.guard.load_mapping(ctx.contract_id, kind)
    sheet = st.session_state.get(f"upload_sheet_{digest}")
    own_presets = ctx.guard.user_presets(ctx.contract_id) if kind == "tickets" else []
    presets_json = json.dumps([p.to_dict() for p in own_presets], ensure_ascii=False, sort_keys=True)
    shape_key = f"upload_shape_{digest}"
    chosen_shape = str(st.session_state.get(shape_key, "auto")) if kind == "tickets" else "auto"
    shape_choice: ShapeChoice = next((s for s in SHAPES if s == chosen_shape), "auto")
    preset_key = f"upload_preset_{digest}_{shape_choice}"
    chosen_preset = str(st.session_state.get(preset_key, PRESET_AUTO))
    preset_arg = (
        None if chosen_preset == PRESET_AUTO else ("" if chosen_preset == PRESET_NONE else chosen_preset)
    )
    # a user mapping saved for one-row-per-ticket files does not apply to a status history
    mapping_json = (
        "{}"
        if shape_choice == "history"
        else json.dumps(st.session_state[mapping_key], ensure_ascii=False, sort_keys=True)
    )
    with st.spinner(L("reading")):
        result = _read(
            ctx.guard, data, uploaded.name, kind, ctx.contract_id, ctx.snap.version, mapping_json, sheet,
            preset_arg, shape_choice, presets_json,
        )  # fmt: skip
    view = upload_preview(result, ctx.evaluation.contract.base.contract.timezone)
    return Reading(
        kind, data, uploaded.name, digest, mapping_key, shape_key, shape_choice, preset_key, chosen_preset,
        preset_arg, own_presets, result, view,
    )  # fmt: skip


def shape_and_preset(r: Reading, lang: str) -> None:
    """A tickets file: how it is read (one row per ticket or a status history) and with which preset."""
    left, right = st.columns(2)
    left.segmented_control(
        L("shape"),
        list(SHAPES),
        key=r.shape_key,
        default="auto",
        required=True,
        format_func=lambda o: L(f"shape_{o}"),
        help=L("shape_help"),
    )
    shape = "events" if r.as_history else "tickets"
    options = [PRESET_AUTO, PRESET_NONE] + [p.id for p in (*r.own_presets, *BUILTIN) if p.shape == shape]
    names = {p.id: p.name for p in (*BUILTIN, *r.own_presets)}
    right.selectbox(
        L("preset"),
        options,
        index=options.index(r.chosen_preset) if r.chosen_preset in options else 0,
        key=r.preset_key,
        format_func=lambda o: (
            L("preset_auto")
            if o == PRESET_AUTO
            else (L("preset_none") if o == PRESET_NONE else names.get(o, o))
        ),
        help=L("preset_help"),
        placeholder=L("pick_one"),
    )
    result, view = r.result, r.view
    how = L("read_how_forced") if view.shape_forced else L("read_how_detected")
    if result.history is not None:
        st.info(L("read_as_history").format(how=how, summary=result.history.summary(lang)))
    elif view.read_as is not None:
        st.info(L("read_as_tickets").format(how=how))
    if result.earlier_rows:
        st.caption(L("history_as_tickets"))
    if result.preset_name:
        which = "preset_recognised" if result.preset_recognised else "preset_chosen"
        st.caption(L(which).format(name=components.plain(result.preset_name)))
    elif r.chosen_preset == PRESET_AUTO:
        st.caption(L("preset_missing"))


def findings(r: Reading, lang: str) -> None:
    """The sheet read, the header row, rows above it that were not read, the KPIs the file cannot feed."""
    view = r.view
    if len(view.sheets) > 1:
        st.selectbox(
            L("sheet"),
            view.sheets,
            index=view.sheets.index(view.sheet) if view.sheet in view.sheets else 0,
            key=f"upload_sheet_{r.digest}",
            placeholder=L("pick_one"),
        )
    found = "header_found" if view.sheet else "header_found_csv"  # a CSV has no sheets to name
    st.caption(L(found).format(row=view.header_row, rows=view.rows, sheet=components.plain(view.sheet)))
    if view.rows_above:
        shown = "\n".join(
            f"- {L('rows_above_row').format(row=row, text=components.plain(text))}"
            for row, text in view.rows_above[:10]
        )
        st.warning(L("rows_above").format(n=len(view.rows_above)) + "\n" + shown)
    if view.unfed:
        shown = "\n".join(
            f"- {L('unfed_line').format(column=components.plain(column), kpis=kpis)}"
            for column, kpis in unfed_lines(view, lang)
        )
        st.info(L("unfed") + "\n" + shown)


def mapping_editor(ctx: Context, r: Reading, lang: str) -> None:
    """The header → column mapping, editable; applied to the next reading, or saved as a preset."""
    view = r.view
    with st.expander(L("mapping"), expanded=bool(view.missing_required) or view.errors > 0):
        st.caption(L("mapping_help"))
        edited = st.data_editor(
            view.mapping,
            key=f"upload_mapping_editor_{r.digest}_{r.kind}",
            hide_index=True,
            disabled=["header"],
            column_config={
                "header": L("col_header"),
                "target": st.column_config.SelectboxColumn(
                    L("col_target"),
                    options=mapping_options(r.kind, view.mapping["header"].tolist()),
                    format_func=lambda target: mapping_target_label(str(target), lang),
                    required=True,
                ),
            },
        )
        if st.button(L("apply_mapping"), key="upload_apply_mapping"):
            st.session_state[r.mapping_key] = {
                h: (SKIP_WORD if t == IGNORE_TARGET else t)
                for h, t in zip(edited["header"], edited["target"], strict=True)
            }
            st.rerun()
        if r.kind == "tickets" and not r.as_history:
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            preset_name = left.text_input(L("preset_save_name"), key="upload_preset_name")
            if right.button(L("preset_save"), key="upload_preset_save", disabled=not preset_name.strip()):
                base = by_id(r.result.preset or "", r.own_presets) or Preset(
                    id="custom", name=preset_name.strip(), shape="tickets", columns={}
                )
                current = {
                    h: ("" if t == IGNORE_TARGET else t)
                    for h, t in zip(edited["header"], edited["target"], strict=True)
                }
                mine = base.customised(
                    id="user:" + preset_name.strip(), name=preset_name.strip(), mapping=current
                )
                ctx.guard.save_preset(ctx.contract_id, mine.to_dict())
                st.success(L("preset_saved").format(name=components.plain(preset_name.strip())))


def counts_and_preview(r: Reading, lang: str) -> None:
    """Rows, errors and warnings; the first rows as they will be stored; every problem found."""
    view = r.view
    a, b, c = st.columns(3)
    a.metric(L("rows_read"), f"{view.rows:,}")
    b.metric(L("errors"), f"{view.errors:,}")
    c.metric(L("warnings_n"), f"{view.warnings:,}")
    # the real reason first (a password, a zip bomb, not a spreadsheet…), then any missing columns
    headline = [components.said(view.unreadable, lang)] if view.unreadable else []
    if view.missing_required:
        headline.append(L("missing_required").format(cols=", ".join(view.missing_required)))
    if headline:
        st.error("\n\n".join(headline))
    st.subheader(L("preview"))
    st.dataframe(
        view.preview.rename(columns=lambda c: field_label(c, lang)), hide_index=True, key="upload_preview"
    )
    if r.result.issues:
        st.subheader(L("problems"))
        problems = components.issues_frame(r.result.issues)
        components.table(
            problems,
            "upload_problems",
            file_name="problems",
            column_config={problems.columns[1]: st.column_config.TextColumn(width="large")},
        )


def import_file(ctx: Context, r: Reading, lang: str) -> None:
    """The import button (all rows, or the valid ones with the rest skipped) and what the import did."""
    st.subheader(L("import"))
    view, result = r.view, r.result
    ok_rows = view.rows - view.error_rows
    if view.errors == 0:
        # a status history imports its derived tickets, one per ticket
        if result.history is not None and result.frame is not None:
            label = L("import_tickets_button").format(n=len(result.frame))
        else:
            label = L("import_button").format(n=view.rows)
        go = st.button(label, type="primary", key="upload_import")
        skip = False
    else:
        st.warning(L("import_blocked").format(n=view.errors, rows=view.error_rows))
        skip = st.checkbox(
            L("skip_invalid").format(ok=ok_rows, bad=view.error_rows),
            key="upload_skip",
            disabled=ok_rows <= 0,
        )
        go = st.button(
            L("import_valid_button").format(n=ok_rows),
            type="primary",
            key="upload_import_valid",
            disabled=not skip,
        )
    if not go:
        return
    bar = st.progress(10, text=L("storing"))
    try:
        report = ctx.guard.import_file(
            ctx.contract_id,
            r.kind,
            r.data,
            file_name=r.name,
            mapping=st.session_state[r.mapping_key] or None,
            sheet=view.sheet,
            skip_invalid=skip,
            result=result,
            shape=r.shape_choice,
            preset=r.preset_arg,
        )
    except st_store.StoreError as exc:
        bar.empty()
        st.error(components.said([exc.issue], lang))
        return
    bar.progress(100, text=L("done"))
    o = report.outcome
    if o is None:
        st.error(L("nothing_stored"))
    elif o.duplicate_of is not None:
        st.info(L("duplicate_file").format(batch=o.duplicate_of))
    else:
        st.success(
            L("imported").format(
                batch=o.batch_id, rows=o.rows, new=o.inserted, updated=o.updated, skipped=report.skipped
            )
        )
        changed = ctx.guard.closed_month_changes(ctx.contract_id)
        if changed:
            st.warning(L("closed_changed").format(months=", ".join(changed)))


def batch_history(ctx: Context) -> None:
    """Every import batch, undoing an active one, and what the last change did."""
    st.subheader(L("batch_history"))
    batches = batches_table(ctx.guard.list_batches(ctx.contract_id), ctx.lang)
    components.table(
        batches,
        "upload_batches",
        file_name="batches",
        search=False,
        hide=("active",),
        column_config={
            "batch_id": L("col_batch"),
            "kind": L("col_kind"),
            "file": L("col_file"),
            # counts with thousands separators (a million-row batch reads 1,000,000)
            **{
                k: st.column_config.NumberColumn(L(f"col_{k}"), format="localized")
                for k in ("rows", "new", "updated", "skipped")
            },
            "by": L("col_by"),
            "at": L("col_at"),
            "status": L("col_status"),
        },
    )
    active = batches.loc[batches["active"], "batch_id"].tolist()
    if active and ctx.guard.can("undo", ctx.contract_id):
        _undo(ctx, batches, active)
    if flash := st.session_state.pop("upload_flash", None):
        message, already_replaced = flash
        st.success(message)
        if already_replaced is not None:
            st.warning(L("undo_already_replaced").format(n=len(already_replaced)))
            st.dataframe(already_replaced, hide_index=True, key="upload_already_replaced")


def _undo(ctx: Context, batches: pd.DataFrame, active: list[int]) -> None:
    """Undo one active batch, after a confirmation saying which; the page then reruns at once, so that
    the batches above and every page show the data without it."""
    files = batches.set_index("batch_id")["file"]
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        L("undo_which"),
        active,
        index=None,
        placeholder=L("pick_one"),
        key="upload_undo_batch",
        format_func=lambda b: f"#{b} · {files.loc[b]}",
    )
    with right:
        undo = components.confirmed(
            L("undo"),
            "upload_undo",
            L("confirm_undo").format(batch=chosen, file=files.loc[chosen] if chosen else ""),
            name_needed=state.name_needed(),
            disabled=chosen is None,
        )
    if undo and chosen is not None:
        outcome = ctx.guard.undo_batch(ctx.contract_id, int(chosen))
        st.session_state["upload_flash"] = (
            L("undone").format(batch=chosen, restored=outcome.restored, removed=outcome.removed),
            outcome.already_replaced if len(outcome.already_replaced) else None,
        )
        st.rerun()


def demo_data(ctx: Context) -> None:
    """Loading the demo data (an admin of every contract only), after a confirmation."""
    demo_allowed = ctx.guard.can("create_contract") and ctx.guard.principal.contracts is None
    if demo_allowed and components.confirmed(
        L("load_demo"), "upload_demo", L("confirm_demo"), name_needed=state.name_needed()
    ):
        with st.spinner(L("storing")):
            ctx.guard.load_demo()
        st.session_state["upload_flash"] = (L("demo_loaded"), None)
        st.rerun()
