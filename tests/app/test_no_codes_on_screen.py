"""No code on screen: every page's text, in Chinese and in English, is free of field ids, KPI ids,
contract keys, ASCII comparison signs and JSON — the words a user reads are words."""

from __future__ import annotations

import re

import pytest
from apptools import open_app

from sla_core.contract import KPI_IDS
from sla_core.i18n import FIELD_LABELS

PAGES = (
    "overview",
    "timeliness",
    "satisfaction",
    "availability",
    "breaches",
    "quarterly",
    "upload",
    "contract",
    "kpi",
)
# ids that read as code: snake_case KPI and field ids, verdict codes, a contract's keys
IDS = sorted({k for k in (*KPI_IDS, *FIELD_LABELS, "no_data", "per_missed_kpi") if "_" in k.strip("_")})
CODE = re.compile(r"\b(" + "|".join(map(re.escape, IDS)) + r")\b|[<>]=|\{\s*\"")


def _screen_text(at) -> list[str]:
    """What the page writes as text (tables are data: their cells are the user's own values)."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    parts += [
        str(w.label)
        for kind in ("button", "selectbox", "radio", "text_input", "multiselect")
        for w in getattr(at, kind)
    ]
    parts += [str(t.label) for t in at.tabs]
    return parts


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_code_on_any_screen(demo_db, monkeypatch, page, lang):
    at = open_app(demo_db, monkeypatch, page)
    at.query_params = {"lang": lang, "contract": "demo-helpdesk", "month": "2026-10"}
    at.run()
    found = [(m.group(0), text[:160]) for text in _screen_text(at) for m in CODE.finditer(text)]
    assert not found, found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_audit_log_reads_as_words(demo_db, monkeypatch, lang):
    at = open_app(demo_db, monkeypatch, "breaches")
    at.query_params = {"lang": lang, "contract": "demo-helpdesk", "month": "2026-10"}
    at.run()
    change = "变更" if lang == "zh" else "Change"
    log = next(d.value for d in at.dataframe if change in d.value.columns and len(d.value.columns) == 4)
    entries = log[change].tolist()
    assert entries and not [e for e in entries if "{" in e or "batch_id" in e or "sha256" in e]
