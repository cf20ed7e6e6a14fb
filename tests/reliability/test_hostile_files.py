"""Hostile and messy files: each gives clear issues in both languages, never a traceback, and never
a partial write — a rejected file changes nothing in the store; an accepted one lands whole, verbatim.

All cases share one store (their ticket ids carry the case's name), so the store's invariants are
checked after a long run of good and bad imports, not only on a fresh file.
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest
from hostile_corpus import CASES, FORMULA_TEXTS, SQL_TEXT, Case, csv_bytes, tickets
from reliability_helpers import CONTRACT_ID, assert_sound, bilingual, fingerprint, new_store

from sla_core import store as S
from sla_core import workspace as W
from sla_core.access import LOCAL, Guard
from sla_core.dataset import ROW, SCHEMA
from sla_core.ingest import read_file
from sla_core.report import build_report

NOW = datetime(2026, 12, 1, tzinfo=UTC)
READ_SECONDS = 10  # every file here is small: reading one takes well under a second


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    store = new_store(tmp_path_factory.mktemp("hostile") / "sla.duckdb")
    return store, S.load_contract(store, CONTRACT_ID)


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.kind for c in CASES} == {"tickets", "surveys", "outages", "measures"}


def _stored_rows(store: S.Store, case: Case, frame: pd.DataFrame) -> pd.DataFrame:
    """The current rows of the keys the file held, in the file's order."""
    data = S.current_dataset(store, CONTRACT_ID).frame(case.kind)
    assert data is not None
    key = S.KEY_COLUMNS[case.kind]
    mine = data.merge(frame[list(key)], on=list(key), how="inner")
    return mine


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case: Case, shared, tmp_path):
    store, contract = shared
    name, content = case.build(case.name)
    path = tmp_path / name
    path.write_bytes(content)

    started = time.perf_counter()
    result = read_file(path, case.kind, contract, now=NOW, **case.read_kw)  # never raises
    assert time.perf_counter() - started < READ_SECONDS, "a small hostile file must not stall the import"

    found = {(i.level, i.code) for i in result.issues}
    assert "ingest.internal" not in {i.code for i in result.issues}, result.issues
    for expected in case.expect:
        assert expected in found, (expected, result.issues[:10])
    for issue in result.issues:
        assert bilingual(issue), issue
        assert issue.file == name
    if case.stored:
        assert not result.has_errors, result.errors[:5]
    else:  # refused: errors, or nothing to store
        assert result.has_errors or result.frame is None or result.frame.empty
    if case.no_frame:
        assert result.frame is None
    if case.check is not None:
        assert result.frame is not None
        case.check(result.frame)

    # an import without "skip invalid rows": all of it, or nothing at all
    before = None if case.stored else fingerprint(store)
    report = W.import_file(store, CONTRACT_ID, case.kind, path, user="tester", result=result)
    if not case.stored:
        assert report.outcome is None
        assert fingerprint(store) == before, "a rejected file wrote something"
    else:
        assert report.stored, report
        outcome = report.outcome
        assert outcome is not None and outcome.rows == len(result.frame)
        stored = _stored_rows(store, case, result.frame)
        assert len(stored) == len(result.frame)
        for column in sorted(result.columns_present & set(SCHEMA[case.kind])):
            got = stored[column].tolist()
            want = result.frame[column].tolist()
            assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in want], (
                column
            )
        if case.check is not None:
            case.check(stored.assign(**{ROW: result.frame[ROW].to_numpy()}))

    # "import the valid rows and skip the rest": exactly the valid rows, the skipped ones logged
    if result.has_errors and result.frame is not None:
        before = fingerprint(store)
        skipping = W.import_file(
            store, CONTRACT_ID, case.kind, path, user="tester", result=result, skip_invalid=True
        )
        valid = len(result.frame) - len(result.error_rows & set(result.frame[ROW].tolist()))
        if valid == 0:
            assert skipping.outcome is None and fingerprint(store) == before
        else:
            outcome = skipping.outcome
            assert outcome is not None and outcome.batch_id is not None
            assert outcome.rows == valid
            logged = S.batch_issues(store, CONTRACT_ID, outcome.batch_id)
            assert {(i.code, i.row) for i in logged} == {(i.code, i.row) for i in result.errors}
            assert all(bilingual(i) for i in logged)
    assert_sound(store)


def test_hostile_text_is_stored_and_exported_verbatim_never_as_a_formula(tmp_path):
    """SQL and formula text, emoji and long text survive the store and the Excel export as plain text."""
    store = new_store(tmp_path / "sla.duckdb")
    hostile = [SQL_TEXT, *FORMULA_TEXTS, "😀 👩🏽‍💻 工单"]
    rows = [*tickets("X", 0)]
    rows[0] += ["处理组", "客户"]
    for i, text in enumerate(hostile):  # P1 resolved after 5 h: breached, so listed in the report
        day = f"2026-10-0{i + 1}"
        rows.append([text, f"{day} 09:00", "P1", f"{day} 09:30", f"{day} 14:00", text, text])
    rows.append(["SKIPPED-1", "=NOW()", "P1", "", "", "x", "y"])  # skipped, its value in the data-quality log
    path = tmp_path / "=cmd|' calc'!A0.csv"
    path.write_bytes(csv_bytes(rows))
    report = W.import_file(
        store, CONTRACT_ID, "tickets", path, user="'); DROP TABLE users;--", skip_invalid=True
    )
    assert report.stored and report.skipped == 1
    with S.connect(store) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"tickets_rows", "batches", "audit_log"} <= tables
    data = S.current_dataset(store, CONTRACT_ID).tickets
    assert data is not None
    assert sorted(data["ticket_id"]) == sorted(hostile)
    assert (data["team"] == data["ticket_id"]).all() and (data["customer"] == data["ticket_id"]).all()

    snap = W.snapshot(store, CONTRACT_ID, as_of=datetime(2026, 11, 30, tzinfo=UTC).timestamp())
    book = openpyxl.load_workbook(io.BytesIO(build_report(snap, "2026-10", "en", guard=Guard(store, LOCAL))))
    texts = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    for text in hostile:
        assert text in texts, text
    assert "=NOW()" in texts  # the skipped row's value, in the data-quality sheet
