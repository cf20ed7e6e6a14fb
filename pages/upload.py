"""Upload: choose the kind, see the detected header and mapping, correct it, preview, see every problem,
import (or import the valid rows and skip the rest), batch history with undo, demo data."""

from __future__ import annotations

import streamlit as st

from sla_core.i18n import KIND_NAMES
from ui import components, state, upload_forms, url
from ui.strings import L

ctx = state.context()
lang = ctx.lang
st.title(L("page_upload"))

url.seed("kind", "upload_kind", KIND_NAMES)  # a link from an empty state says which file is missing
kind = (
    st.segmented_control(
        L("upload_kind"),
        list(KIND_NAMES),
        key="upload_kind",
        required=True,
        default="tickets",
        format_func=lambda k: KIND_NAMES[k][0 if lang == "zh" else 1],
    )
    or "tickets"
)
url.keep("kind", kind)
can_import = ctx.guard.can("import", ctx.contract_id)
if not can_import:
    st.info(L("read_only"))
FILE_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"]
components.uploader_words("upload_file", FILE_TYPES)
uploaded = None if not can_import else st.file_uploader(L("upload_file"), type=FILE_TYPES, key="upload_file")

if uploaded is not None:
    reading = upload_forms.read_upload(ctx, kind, uploaded)
    if kind == "tickets":
        upload_forms.shape_and_preset(reading, lang)
    upload_forms.findings(reading, lang)
    upload_forms.mapping_editor(ctx, reading, lang)
    upload_forms.counts_and_preview(reading, lang)
    upload_forms.import_file(ctx, reading, lang)

st.divider()
upload_forms.batch_history(ctx)
st.divider()
upload_forms.demo_data(ctx)
