"""Every sheet of both packs (the monthly report and the quarterly pack, in Chinese and in English) reads as
words: no code ids (`first_contact_resolution`, `improvement_plan:…:2026-05`, `mon: 09:00`), no raw JSON,
no words of the other language — only the data itself (ticket ids, names, file names, what people typed)
may be in either. Also: point changes of rates in points (个百分点 / percentage points), one number of
decimals per KPI row, one duration unit per ticket row.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from sla_core import store as st
from sla_core import workspace
from sla_core.access import LOCAL, Guard
from sla_core.periods import month_key
from sla_core.problems import error
from sla_core.report import build_report

PACKS = [("2026Q3", "zh"), ("2026Q3", "en"), ("2026-10", "zh"), ("2026-10", "en")]

SNAKE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # first_contact_resolution, not_a_number
CODE_REF = re.compile(
    r"\b[a-z][a-z_]*:[a-z0-9_,:-]+"
)  # improvement_plan:fcr:2026-05, provider_report:2026-07
DOTTED_CODE = re.compile(r"\b[a-z]+\.[a-z_]+\b")  # batch.import, value.not_a_number
WEEKDAY_KEY = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun):")
JSON = re.compile(r'[{\[]\s*"|"\s*:\s*[\["{0-9]')
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin words a Chinese reader expects in Chinese text: the product's and the trade's names
ZH_LATIN_OK = {"SLA", "Excel", "PDF", "KPI"}


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[tuple[str, str], Workbook], set[str]]:
    """The four packs from the demo in a store with every kind of record (an action and its change, an
    exemption decided, a survey exclusion, a batch with a skipped row, a closed month), and the strings of
    the data they show."""
    store = workspace.open_workspace(tmp_path_factory.mktemp("words") / "t.duckdb")
    cid = workspace.load_demo(store)
    snap = workspace.snapshot(store, cid)
    ev = snap.evaluation
    action = st.add_action(
        store,
        cid,
        cause="培训不足",
        measure="全员培训",
        owner="张三",
        user="王经理",
        kpi="first_contact_resolution",
        months=["2026-08", "2026-09"],
        link_kind="obligation",
        link_ref="improvement_plan:first_contact_resolution:2026-05",
    )
    st.update_action(store, cid, action.action_id, "王经理", status="in_progress", owner="李四")
    t = ev.tickets
    ticket = t.loc[(t["month"] == "2026-09") & (t["resolution_status"] == "breached"), "ticket_id"].iloc[0]
    exemption = st.request_exemption(store, cid, str(ticket), "exempt", "客户现场断电", "服务商")
    st.decide_exemption(store, cid, exemption.exemption_id, "approved", "王经理", "双方确认")
    r = ev.responses
    response = r.loc[r["month_key"] == month_key("2026-08"), "response_id"].iloc[0]
    st.exclude_survey(store, cid, str(response), "测试评价", "王经理")
    st.import_frame(
        store,
        cid,
        "measures",
        snap.data.measures.iloc[:1],
        file_name="measures-july.xlsx",
        sha256="skipped-rows-test",
        columns_present=["month", "kpi", "value", "source", "note"],
        user="王经理",
        skipped=[error("value.not_a_number", "值不是数字", "the value is not a number", row=7, column="值")],
    )
    snap = workspace.snapshot(store, cid)
    july = snap.evaluation.month("2026-07")
    st.close_month(store, cid, "2026-07", json.dumps(july.to_json()), snap.version, "王经理")
    snap = workspace.snapshot(store, cid)
    books = {
        (period, lang): load_workbook(io.BytesIO(build_report(snap, period, lang, guard=Guard(store, LOCAL))))
        for period, lang in PACKS
    }
    return books, _data_strings(snap, store, cid)


def _data_strings(snap: workspace.Snapshot, store: st.Store, cid: str) -> set[str]:
    """What the data says in its own words: ids, names, file names, what people typed."""
    ev = snap.evaluation
    out: set[str] = set()

    def add(values: Iterable[Any]) -> None:
        out.update(str(v) for v in values if v is not None and str(v).strip())

    columns = {
        "tickets": ("ticket_id", "priority", "team", "assignee", "customer", "category_raw", "status"),
        "responses": ("response_id", "ticket_id", "respondent", "channel", "comment", "exclusion_reason"),
    }
    for c in columns["tickets"]:
        if c in ev.tickets:
            add(ev.tickets[c].dropna().unique())
    for c in columns["responses"]:
        if c in ev.responses:
            add(ev.responses[c].dropna().unique())
    o = ev.outages.outages
    for c in ("service", "severity", "cause", "description"):
        if c in o:
            add(o[c].dropna().unique())
    contract = ev.contract
    c = contract.base.contract
    add([c.id, c.name, c.client, c.provider, c.timezone])
    add(v.note for v in contract.versions)
    for version in contract.versions:
        for pr in contract.terms_on(version.effective_from).priorities:
            add([pr.id, *pr.labels])
    add(b.file_name for b in st.list_batches(store, cid))
    add(b.imported_by for b in st.list_batches(store, cid))
    add(e.actor for e in st.audit_log(store, cid))
    for a in st.list_actions(store, cid):
        add([a.cause, a.measure, a.owner])
        for change in st.action_history(store, cid, a.action_id):
            add(v for pair in change.fields.values() for v in (pair if isinstance(pair, list) else [pair]))
    for b in st.list_batches(store, cid):
        add(x for i in st.batch_issues(store, cid, b.batch_id) for x in (i.column, i.value))
    # the export's own reasons (the evaluation's are the product's words: "exempted: …" is not data)
    add(snap.data.tickets["exclusion_reason"].dropna().unique())
    for e in st.list_exemptions(store, cid):
        add([e.ticket_id, e.reason, e.requested_by, e.decided_by, e.decision_reason])
    return out


def _cells(book: Workbook) -> Iterable[tuple[str, str, str]]:
    """(where, text, number format) of every cell with a value (numbers and dates: no text, their format)."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    text = cell.value if isinstance(cell.value, str) else ""
                    yield f"{ws.title}!{cell.coordinate}", text, cell.number_format


def _without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text


def _format_words(number_format: str) -> str:
    """The literal text of a number format: '"≥ "0.0%' → '≥ '."""
    return " ".join(re.findall(r'"([^"]*)"', number_format))


def test_every_sheet_reads_as_words_in_its_language(packs):
    books, data = packs
    by_length = sorted(data, key=len, reverse=True)
    found: list[str] = []
    for (period, lang), book in books.items():
        for where, value, number_format in _cells(book):
            text = _without_data(value, by_length) + " " + _format_words(number_format)
            problems = [
                f"code id {m.group()!r}"
                for pattern in (SNAKE_ID, CODE_REF, DOTTED_CODE, WEEKDAY_KEY)
                for m in pattern.finditer(text)
            ]
            if JSON.search(text):
                problems.append("JSON")
            if lang == "en" and CJK.search(text):
                problems.append(f"Chinese {CJK.findall(text)[:6]}")
            if lang == "zh":
                latin = [w for w in LATIN_WORD.findall(text) if w not in ZH_LATIN_OK]
                if latin:
                    problems.append(f"English {latin[:6]}")
            found += [f"{period} {lang} {where}: {p} in {value[:90]!r}" for p in problems]
    assert not found, f"{len(found)} cells:\n" + "\n".join(found[:2000])


def test_point_changes_of_rates_read_as_points(packs):
    books, _ = packs
    for (period, lang), book in books.items():
        formats = {f for _, _, f in _cells(book)}
        word = "个百分点" if lang == "zh" else "percentage points"
        assert any(word in f for f in formats), (period, lang)
        # a change of a rate is never shown as a percentage (+1.20% reads as a relative change)
        assert not any(f.startswith("+0.0") and f.endswith("%") for f in formats), (period, lang)
