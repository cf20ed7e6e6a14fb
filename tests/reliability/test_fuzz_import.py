"""Fuzzing: random sheets (random headers, types, blanks, junk, title rows, ragged rows) in random
formats go through the whole import. Each is accepted or rejected with issues — never an exception,
never an "unexpected problem" — and the store keeps its invariants: rejected files write nothing,
accepted ones write exactly their rows, and undoing the import restores exactly what it replaced.

SLA_FUZZ_SCALE=10 runs ten times the examples (for a long run by hand; CI runs the default).
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hostile_corpus import csv_bytes, tickets, xlsx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from reliability_helpers import CONTRACT_ID, assert_sound, batch_rows, bilingual, fingerprint, new_store

from sla_core import store as S
from sla_core import workspace as W
from sla_core.dataset import KINDS, REQUIRED, ROW, SCHEMA
from sla_core.ingest import read_file
from sla_core.ingest.synonyms import COLUMN_SYNONYMS

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SCALE = int(os.environ.get("SLA_FUZZ_SCALE", "1"))
EXAMPLES = {"import": 40 * SCALE, "read": 120 * SCALE, "bytes": 300 * SCALE}
FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

# headers: real synonyms of each kind's columns (two of each), canonical names, and junk
HEADERS = {
    kind: sorted(
        {h for names in COLUMN_SYNONYMS[kind].values() for h in names[:2]} | set(COLUMN_SYNONYMS[kind])
    )
    for kind in KINDS
}
WORDS = [
    "",
    " ",
    "-",
    "N/A",
    "null",
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "是",
    "否",
    "Y",
    "true",
    "0",
    "P1",
    "P2",
    "紧急",
    "P9",
    "故障",
    "投诉",
    "建议",
    "99.5%",
    "150%",
    "1e309",
    "-5",
    "4.5",
    "7",
    "2026-10",
    "2026年10月",
    "系统可用性",
    "backup_success_rate",
    "provider",
    "=1+1",
    "=cmd|' /C calc'!A0",
    "'); DROP TABLE tickets;--",
    "😀👩🏽‍💻",
    "a\nb",
    "x" * 300,
    "\x00",
    "\t",
]
TIME_FORMS = (
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S+08:00",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%d",
)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31))
text_cells = st.one_of(
    st.sampled_from(WORDS),
    st.tuples(moments, st.sampled_from(TIME_FORMS)).map(lambda mf: mf[0].strftime(mf[1])),
    st.integers(-(10**7), 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)
typed_cells = st.one_of(  # what an xlsx cell can hold besides text
    st.none(),
    st.integers(-(10**7), 10**7),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.floats(min_value=20000, max_value=60000),  # Excel serials
    moments.map(lambda d: d.replace(microsecond=0)),
    st.booleans(),
)
FORMATS = ("csv", "csv-gb18030", "csv-bom", "csv-semicolon", "csv-tab", "xlsx")


@st.composite
def sheets(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """(kind, file bytes, file name) of a random sheet for a random kind."""
    kind = draw(st.sampled_from(KINDS))
    width = draw(st.integers(1, 8))
    header = draw(
        st.lists(
            st.one_of(st.sampled_from(HEADERS[kind]), st.text(max_size=8)), min_size=width, max_size=width
        )
    )
    fmt = draw(st.sampled_from(FORMATS))
    cell = st.one_of(text_cells, typed_cells) if fmt == "xlsx" else text_cells
    body = draw(st.lists(st.lists(cell, min_size=max(width - 1, 1), max_size=width + 1), max_size=12))
    titles = draw(st.lists(st.text(min_size=1, max_size=20).map(lambda t: [t]), max_size=2))
    rows: list[list[Any]] = [*titles, header, *body]
    if fmt == "xlsx":
        return kind, _xlsx(rows), "fuzz.xlsx"
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    sep = {"csv-semicolon": ";", "csv-tab": "\t"}.get(fmt, ",")
    encoding = {"csv-gb18030": "gb18030", "csv-bom": "utf-8-sig"}.get(fmt, "utf-8")
    return kind, csv_bytes(text_rows, sep=sep, encoding=encoding), "fuzz.csv"


# plausible values per canonical column: mostly valid, so that imports land and get undone too
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "ticket_id": st.integers(1, 400).map(lambda n: f"F-{n}"),  # files share ids now and then: updates
    "response_id": st.integers(1, 400).map(lambda n: f"R-{n}"),
    "priority": st.sampled_from(["P1", "P2", "P3", "紧急", "一般", "high"]),
    "score": st.integers(1, 5).map(str),
    "month": st.integers(1, 12).map(lambda m: f"2026-{m:02d}"),
    "kpi": st.sampled_from(["系统可用性", "backup_success_rate", "recovery_time_hours", "自定义指标"]),
    "value": st.sampled_from(["99.95%", "0.98", "1", "3.5", "100%"]),
    "service": st.sampled_from(["邮件", "OA", "VPN"]),
    "source": st.sampled_from(["provider", "乙方", "", "客户"]),
}
TYPE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "datetime64[s, UTC]": st.tuples(
        st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 11, 30)),
        st.sampled_from(("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")),
    ).map(lambda mf: mf[0].strftime(mf[1])),
    "Int64": st.integers(0, 5).map(str),
    "Float64": st.integers(0, 600).map(str),
    "bool": st.sampled_from(["是", "否", "Y", "N", ""]),
    "string": st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
}


@st.composite
def plausible_sheets(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """A sheet with the kind's required columns and mostly valid values; junk in some cells."""
    kind = draw(st.sampled_from(KINDS))
    schema = SCHEMA[kind]
    optional = [c for c in COLUMN_SYNONYMS[kind] if c not in REQUIRED[kind] and c in schema]
    columns = [*REQUIRED[kind], *draw(st.lists(st.sampled_from(optional), max_size=4, unique=True))]
    columns = draw(st.permutations(columns))
    header = [draw(st.sampled_from(COLUMN_SYNONYMS[kind][c][:3])) for c in columns]
    n = draw(st.integers(1, 15))
    body = [[draw(PLAUSIBLE.get(c, TYPE_VALUES[schema[c]])) for c in columns] for _ in range(n)]
    for _ in range(draw(st.integers(0, 3))):  # a few cells of anything at all
        body[draw(st.integers(0, n - 1))][draw(st.integers(0, len(columns) - 1))] = draw(text_cells)
    fmt = draw(st.sampled_from(FORMATS))
    rows = [header, *body]
    if fmt == "xlsx":
        return kind, _xlsx(rows), "plausible.xlsx"
    sep = {"csv-semicolon": ";", "csv-tab": "\t"}.get(fmt, ",")
    encoding = {"csv-gb18030": "gb18030", "csv-bom": "utf-8-sig"}.get(fmt, "utf-8")
    return kind, csv_bytes(rows, sep=sep, encoding=encoding), "plausible.csv"


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _checked_read(data: bytes, kind: str, contract: Any, name: str):
    result = read_file(data, kind, contract, file_name=name, now=NOW)  # type: ignore[arg-type]
    codes = {i.code for i in result.issues}
    assert "ingest.internal" not in codes, result.issues
    assert all(bilingual(i) for i in result.issues), result.issues
    if result.frame is not None:
        rows = result.frame[ROW].tolist()
        assert len(set(rows)) == len(rows)
        assert result.error_rows <= set(rows) or not rows or "ingest.missing_column" in codes
    else:
        assert result.has_errors
    return result


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    store = new_store(tmp_path_factory.mktemp("fuzz") / "sla.duckdb")
    return store, S.load_contract(store, CONTRACT_ID)


def _current(store: S.Store, kind: str) -> pd.DataFrame | None:
    return S.current_dataset(store, CONTRACT_ID).frame(kind)  # type: ignore[arg-type]


@settings(max_examples=EXAMPLES["import"], **FUZZ)
@given(
    sheet=st.one_of(sheets(), plausible_sheets(), plausible_sheets()),
    skip_invalid=st.booleans(),
    undo=st.booleans(),
)
def test_random_sheets_import_or_reject_and_keep_the_store_sound(fuzz_store, sheet, skip_invalid, undo):
    store, contract = fuzz_store
    kind, data, name = sheet
    result = _checked_read(data, kind, contract, name)
    before = fingerprint(store)
    earlier = _current(store, kind)

    report = W.import_file(
        store, CONTRACT_ID, kind, data, user="fuzz", result=result, skip_invalid=skip_invalid
    )

    event("stored" if report.stored else "rejected" if result.has_errors else "nothing to store")
    if report.stored and result.has_errors:
        event("stored the valid rows, skipped the rest")
    if not report.stored:  # rejected, nothing valid, or the same file again: nothing written
        assert report.outcome is None or report.outcome.duplicate_of is not None
        assert fingerprint(store) == before
    else:
        outcome = report.outcome
        assert outcome is not None and outcome.batch_id is not None
        assert result.frame is not None
        valid = len(result.frame) - len(result.error_rows & set(result.frame[ROW].tolist()))
        assert outcome.rows == valid == batch_rows(store, kind, outcome.batch_id)
        assert outcome.inserted + outcome.updated + outcome.unchanged == valid
        if undo:  # undoing the latest import restores exactly what it replaced
            S.undo_batch(store, CONTRACT_ID, outcome.batch_id, "fuzz")
            after = _current(store, kind)
            if earlier is None:
                assert after is None
            else:
                pd.testing.assert_frame_equal(after, earlier)
    assert_sound(store)


@settings(max_examples=EXAMPLES["read"], **FUZZ)
@given(sheet=st.one_of(sheets(), plausible_sheets()))
def test_random_sheets_never_end_in_an_unexpected_error(fuzz_store, sheet):
    kind, data, name = sheet
    _checked_read(data, kind, fuzz_store[1], name)


SEEDS = {
    "xlsx": xlsx(tickets("seed", 6, 处理组=["a", "b", "c", "d", "e", "f"])),
    "csv": csv_bytes(tickets("seed", 6, 处理组=["a", "b", "c", "d", "e", "f"])),
}


@st.composite
def damaged(draw: st.DrawFn) -> tuple[bytes, str]:
    """A valid file with random bytes changed, cut, or inserted (a bad disk, a broken download)."""
    fmt = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[fmt])
    rnd = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 6))):
        action = rnd.choice(("flip", "cut", "insert", "zero"))
        at = rnd.randrange(len(data))
        if action == "flip":
            data[at] ^= 1 << rnd.randrange(8)
        elif action == "cut":
            del data[at : at + rnd.randrange(1, 200)]
        elif action == "insert":
            data[at:at] = rnd.randbytes(rnd.randrange(1, 50))
        else:
            data[at : at + 64] = bytes(min(64, len(data) - at))
        if not data:
            break
    return bytes(data), f"damaged.{fmt}"


@settings(max_examples=EXAMPLES["bytes"], **FUZZ)
@given(file=damaged())
def test_damaged_files_never_end_in_an_unexpected_error(fuzz_store, file):
    data, name = file
    _checked_read(data, "tickets", fuzz_store[1], name)


def test_the_fuzzer_reaches_accepted_and_rejected_files(fuzz_store):
    """The generators above are not all junk: a plain sheet of theirs is accepted, a damaged one refused."""
    store, contract = fuzz_store
    assert not _checked_read(SEEDS["xlsx"], "tickets", contract, "seed.xlsx").has_errors
    with zipfile.ZipFile(io.BytesIO(SEEDS["xlsx"])) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
    cut = _checked_read(SEEDS["xlsx"][:900], "tickets", contract, "cut.xlsx")
    assert cut.has_errors and cut.frame is None
