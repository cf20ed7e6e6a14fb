"""Batches and versioned rows: idempotent re-import, last import wins, absent columns kept, blanks
clear, undo restores exactly what a batch replaced, and a failed import leaves nothing."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from store_helpers import current, do_import, frame, records, tickets, ts

from sla_core import store as S
from sla_core.problems import error, warning

ALL = ["ticket_id", "created_at", "priority", "team", "assignee"]


def snapshot(st: S.Store, cid: str = "acme") -> tuple[list[tuple], list]:
    """Everything an import could change, to prove that something changed nothing."""
    with S.connect(st) as con:
        rows = con.execute(
            "SELECT contract_id, key, batch_id, is_current FROM tickets_rows ORDER BY ALL"
        ).fetchall()
        meta = con.execute(
            "SELECT (SELECT count(*) FROM batches), (SELECT count(*) FROM audit_log), "
            "(SELECT count(*) FROM batch_issues)"
        ).fetchall()
    return rows, meta


def test_same_file_twice_changes_nothing(st):
    data = tickets([{"ticket_id": "T1", "team": "L1"}, {"ticket_id": "T2", "team": "L2"}])
    first = do_import(st, "tickets", data, ALL, sha="abc")
    assert (first.inserted, first.updated, first.unchanged, first.duplicate_of) == (2, 0, 0, None)
    before = snapshot(st)
    version = S.data_version(st, "acme")
    again = do_import(st, "tickets", data, ALL, sha="abc")
    assert again.batch_id is None
    assert again.duplicate_of == first.batch_id
    assert snapshot(st) == before
    assert S.data_version(st, "acme") == version
    assert len(S.list_batches(st, "acme")) == 1


def test_same_file_after_undo_imports_again(st):
    data = tickets([{"ticket_id": "T1"}])
    first = do_import(st, "tickets", data, ALL, sha="abc")
    S.undo_batch(st, "acme", first.batch_id, "tester")
    again = do_import(st, "tickets", data, ALL, sha="abc")
    assert again.duplicate_of is None and again.inserted == 1


def test_same_content_under_another_sha_is_unchanged(st):
    data = tickets([{"ticket_id": "T1", "team": "L1"}])
    do_import(st, "tickets", data, ALL, sha="a")
    second = do_import(st, "tickets", data.assign(_row=pd.array([7], dtype="Int64")), ALL, sha="b")
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 1)


def test_later_file_wins_absent_column_kept_blank_clears(st):
    do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "team": "L1", "assignee": "ann", "resolved_at": "2026-03-01T02:00:00Z"},
                {"ticket_id": "T2", "team": "L2", "assignee": "bob"},
            ]
        ),
        [*ALL, "resolved_at"],
        sha="1",
    )
    # the second file has no assignee column; its team is blank for T2; priority changes for T1
    second = do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "team": "L3", "priority": "P2"},
                {"ticket_id": "T2", "team": None},
                {"ticket_id": "T3", "team": "L1"},
            ]
        ),
        ["ticket_id", "created_at", "priority", "team"],
        sha="2",
    )
    assert (second.inserted, second.updated, second.unchanged) == (1, 2, 0)
    now = current(st)
    assert records(now, ["ticket_id", "priority", "team", "assignee", "resolved_at"]) == [
        ("T1", "P2", "L3", "ann", ts("2026-03-01T02:00:00Z")),
        ("T2", "P1", None, "bob", None),
        ("T3", "P1", "L1", None, None),
    ]
    assert S.current_dataset(st, "acme").columns["tickets"] == frozenset([*ALL, "resolved_at"])


def test_blank_timestamp_and_bool_in_present_column_clear(st):
    do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "resolved_at": "2026-03-01T02:00:00Z", "first_contact_resolved": True},
            ]
        ),
        ["ticket_id", "created_at", "priority", "resolved_at", "first_contact_resolved"],
        sha="1",
    )
    do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "resolved_at": None}]),
        ["ticket_id", "created_at", "priority", "resolved_at", "first_contact_resolved"],
        sha="2",
    )
    row = current(st).iloc[0]
    assert pd.isna(row["resolved_at"]) and not row["first_contact_resolved"]


def test_undo_restores_what_the_batch_replaced(st):
    b1 = do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "team": "L1", "assignee": "ann"},
                {"ticket_id": "T2", "team": "L2", "assignee": "bob"},
            ]
        ),
        ALL,
        sha="1",
    )
    before = records(current(st), ALL)
    b2 = do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "team": "X"},
                {"ticket_id": "T3", "team": "new"},
            ]
        ),
        ["ticket_id", "created_at", "priority", "team"],
        sha="2",
    )
    undo = S.undo_batch(st, "acme", b2.batch_id, "tester")
    assert (undo.restored, undo.removed, len(undo.already_replaced)) == (1, 1, 0)
    assert records(current(st), ALL) == before
    batches = {b.batch_id: b for b in S.list_batches(st, "acme")}
    assert batches[b2.batch_id].status == "undone" and batches[b2.batch_id].undone_by == "tester"
    assert batches[b1.batch_id].status == "active"


def test_undo_lists_rows_a_later_batch_replaced_and_leaves_them(st):
    b1 = do_import(
        st,
        "tickets",
        tickets(
            [
                {"ticket_id": "T1", "team": "a1"},
                {"ticket_id": "T2", "team": "a2"},
                {"ticket_id": "T3", "team": "a3"},
            ]
        ),
        ALL,
        sha="1",
    )
    b2 = do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "b1"}, {"ticket_id": "T2", "team": "b2"}]),
        ALL,
        sha="2",
    )
    b3 = do_import(st, "tickets", tickets([{"ticket_id": "T2", "team": "c2"}]), ALL, sha="3")
    undo = S.undo_batch(st, "acme", b2.batch_id, "tester")
    # T1 came from b2 → back to b1's; T2 was already replaced by b3 → listed, untouched
    assert undo.restored == 1 and undo.removed == 0
    assert records(undo.already_replaced, ["ticket_id", "replaced_by"]) == [("T2", b3.batch_id)]
    assert records(current(st), ["ticket_id", "team"]) == [("T1", "a1"), ("T2", "c2"), ("T3", "a3")]
    # undoing b3 now goes back past the undone b2 to b1
    S.undo_batch(st, "acme", b3.batch_id, "tester")
    assert records(current(st), ["ticket_id", "team"]) == [("T1", "a1"), ("T2", "a2"), ("T3", "a3")]
    # undoing the first batch removes everything, and the kind is gone
    S.undo_batch(st, "acme", b1.batch_id, "tester")
    assert S.current_dataset(st, "acme").tickets is None


def test_undo_twice_or_unknown_batch_is_refused(st):
    b1 = do_import(st, "tickets", tickets([{"ticket_id": "T1"}]), ALL, sha="1")
    S.undo_batch(st, "acme", b1.batch_id, "tester")
    with pytest.raises(S.StoreError) as twice:
        S.undo_batch(st, "acme", b1.batch_id, "tester")
    assert twice.value.issue.code == "store.batch_undone"
    with pytest.raises(S.StoreError) as unknown:
        S.undo_batch(st, "acme", 999, "tester")
    assert unknown.value.issue.code == "store.unknown_batch"
    assert unknown.value.issue.zh and unknown.value.issue.en


def test_columns_of_an_undone_batch_disappear(st):
    do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "L1"}]),
        ["ticket_id", "created_at", "priority"],
        sha="1",
    )
    b2 = do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "L1", "assignee": "ann"}]),
        ["ticket_id", "created_at", "priority", "assignee"],
        sha="2",
    )
    data = S.current_dataset(st, "acme")
    assert data.has("tickets", "assignee") and not data.has("tickets", "team")
    assert data.tickets["team"].isna().all()  # no active file had the column: blank
    S.undo_batch(st, "acme", b2.batch_id, "tester")
    assert not S.current_dataset(st, "acme").has("tickets", "assignee")


def test_current_dataset_is_canonical(st):
    do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "reopened_count": 2, "paused_minutes": 1.5}]),
        [*ALL, "reopened_count", "paused_minutes"],
        sha="1",
    )
    data = S.current_dataset(st, "acme")
    assert data.surveys is None and data.outages is None and data.measures is None
    assert set(data.columns) == {"tickets"}
    tickets_ = data.tickets
    for column, dtype in S.SCHEMA["tickets"].items():
        assert str(tickets_[column].dtype) == dtype, column
    assert str(tickets_["_row"].dtype) == "Int64"
    assert tickets_["reopened_count"].iloc[0] == 2 and tickets_["paused_minutes"].iloc[0] == 1.5


def test_outages_keyed_by_service_and_start(st):
    present = ["service", "start", "end", "planned"]
    do_import(
        st,
        "outages",
        frame(
            "outages",
            [
                {"service": "web", "start": "2026-03-01T01:00:00Z", "end": "2026-03-01T02:00:00Z"},
                {"service": "db", "start": "2026-03-01T01:00:00Z", "end": "2026-03-01T01:30:00Z"},
            ],
        ),
        present,
        sha="1",
    )
    second = do_import(
        st,
        "outages",
        frame(
            "outages",
            [
                {
                    "service": "web",
                    "start": "2026-03-01T01:00:00Z",
                    "end": "2026-03-01T03:00:00Z",
                    "planned": True,
                },
                {"service": "web", "start": "2026-03-02T01:00:00Z", "end": "2026-03-02T01:10:00Z"},
            ],
        ),
        present,
        sha="2",
    )
    assert (second.inserted, second.updated) == (1, 1)
    now = current(st, "outages").sort_values(["service", "start"])
    assert records(now, ["service", "start", "end", "planned"]) == [
        ("db", ts("2026-03-01T01:00:00Z"), ts("2026-03-01T01:30:00Z"), False),
        ("web", ts("2026-03-01T01:00:00Z"), ts("2026-03-01T03:00:00Z"), True),
        ("web", ts("2026-03-02T01:00:00Z"), ts("2026-03-02T01:10:00Z"), False),
    ]
    undo = S.undo_batch(st, "acme", second.batch_id, "tester")
    assert (undo.restored, undo.removed) == (1, 1)


def test_measures_keyed_by_month_kpi_and_source(st):
    present = ["month", "kpi", "value", "source"]
    do_import(
        st,
        "measures",
        frame(
            "measures",
            [
                {"month": "2026-03", "kpi": "backup_success_rate", "value": 1.0},
                {"month": "2026-03", "kpi": "backup_success_rate", "value": 0.99, "source": "provider"},
            ],
        ),
        present,
        sha="1",
    )
    second = do_import(
        st,
        "measures",
        frame(
            "measures",
            [
                {"month": "2026-03", "kpi": "backup_success_rate", "value": 0.5},
            ],
        ),
        ["month", "kpi", "value"],
        sha="2",
    )
    assert (second.inserted, second.updated) == (0, 1)
    now = current(st, "measures").sort_values(["source"], na_position="first")
    assert records(now, ["kpi", "value", "source"]) == [
        ("backup_success_rate", 0.5, None),
        ("backup_success_rate", 0.99, "provider"),
    ]


def test_survey_dimensions_follow_the_same_rules(st):
    do_import(
        st,
        "surveys",
        frame(
            "surveys",
            [
                {
                    "response_id": "R1",
                    "submitted_at": "2026-03-01T01:00:00Z",
                    "score": 5,
                    "dim:态度": 5.0,
                    "dim:速度": 4.0,
                },
                {
                    "response_id": "R2",
                    "submitted_at": "2026-03-01T01:00:00Z",
                    "score": 4,
                    "dim:态度": 3.0,
                    "dim:速度": 2.0,
                },
            ],
        ),
        ["response_id", "submitted_at", "score", "dim:态度", "dim:速度"],
        sha="1",
    )
    # second file: only the 速度 dimension (blank for R2), no 态度 column, and a new dimension
    do_import(
        st,
        "surveys",
        frame(
            "surveys",
            [
                {
                    "response_id": "R1",
                    "submitted_at": "2026-03-01T01:00:00Z",
                    "score": 4,
                    "dim:速度": 1.0,
                    "dim:效果": 5.0,
                },
                {
                    "response_id": "R2",
                    "submitted_at": "2026-03-01T01:00:00Z",
                    "score": 4,
                    "dim:速度": None,
                    "dim:效果": 3.0,
                },
            ],
        ),
        ["response_id", "submitted_at", "score", "dim:速度", "dim:效果"],
        sha="2",
    )
    data = S.current_dataset(st, "acme")
    assert {"dim:态度", "dim:速度", "dim:效果"} <= data.columns["surveys"]
    now = current(st, "surveys")
    assert records(now, ["response_id", "score", "dim:态度", "dim:速度", "dim:效果"]) == [
        ("R1", 4.0, 5.0, 1.0, 5.0),
        ("R2", 4.0, 3.0, None, 3.0),
    ]
    assert str(now["dim:态度"].dtype) == "Float64"
    assert list(now.columns[-4:]) == ["dim:态度", "dim:速度", "dim:效果", "_row"]  # file order
    again = do_import(
        st,
        "surveys",
        frame(
            "surveys",
            [
                {
                    "response_id": "R1",
                    "submitted_at": "2026-03-01T01:00:00Z",
                    "score": 4,
                    "dim:速度": 1.0,
                    "dim:效果": 5.0,
                },
            ],
        ),
        ["response_id", "submitted_at", "score", "dim:速度", "dim:效果"],
        sha="3",
    )
    assert again.unchanged == 1


def test_skipped_rows_are_kept_with_the_batch(st):
    skipped = [
        error(
            "ticket.bad_date",
            "日期无法识别",
            "unparseable date",
            file="t.xlsx",
            sheet="S",
            row=5,
            column="创建时间",
            value="32/13/2026",
        ),
        error(
            "ticket.bad_priority",
            "优先级未知",
            "unknown priority",
            file="t.xlsx",
            sheet="S",
            row=5,
            column="优先级",
            value="P9",
        ),
        error(
            "ticket.duplicate",
            "工单号重复",
            "duplicate ticket id",
            file="t.xlsx",
            row=9,
            column="工单号",
            value="T1",
        ),
        warning("ticket.future", "时间晚于导入时间", "time after the import", file="t.xlsx", row=3),
    ]
    outcome = do_import(st, "tickets", tickets([{"ticket_id": "T1"}]), ALL, sha="1", skipped=skipped)
    assert S.batch_issues(st, "acme", outcome.batch_id) == skipped
    assert S.list_batches(st, "acme")[0].skipped == 2  # rows 5 and 9
    assert S.batch_issues(st, "beta", outcome.batch_id) == []


def test_a_failed_import_leaves_nothing(st, monkeypatch):
    do_import(st, "tickets", tickets([{"ticket_id": "T1", "team": "L1"}]), ALL, sha="1")
    before = snapshot(st)
    version = S.data_version(st, "acme")

    real_audit = S.batches._audit

    def crash(con, user, action, contract_id, detail):  # an import's last write, just before COMMIT
        real_audit(con, user, action, contract_id, detail)
        if action == "batch.import":
            raise RuntimeError("power cut")

    monkeypatch.setattr(S.batches, "_audit", crash)
    with pytest.raises(RuntimeError):
        do_import(
            st,
            "tickets",
            tickets([{"ticket_id": "T1", "team": "X"}, {"ticket_id": "T2"}]),
            ALL,
            sha="2",
            skipped=[error("x", "x", "x", row=3)],
        )
    assert snapshot(st) == before
    assert S.data_version(st, "acme") == version
    assert records(current(st), ["ticket_id", "team"]) == [("T1", "L1")]


def test_keys_must_be_present_and_unique(st):
    with pytest.raises(ValueError, match="held twice"):
        do_import(st, "tickets", tickets([{"ticket_id": "T1"}, {"ticket_id": "T1"}]), ALL, sha="1")
    with pytest.raises(ValueError, match="without a key"):
        do_import(st, "tickets", tickets([{"ticket_id": None}]), ALL, sha="2")
    assert S.list_batches(st, "acme") == []


def test_unknown_columns_kinds_and_contracts_are_refused(st):
    data = tickets([{"ticket_id": "T1"}])
    with pytest.raises(ValueError):
        do_import(st, "tickets", data, [*ALL, 'evil"; DROP TABLE batches; --'], sha="1")
    with pytest.raises(ValueError):
        do_import(st, "tickets", data, [*ALL, "dim:x"], sha="1")
    with pytest.raises(ValueError):
        do_import(st, "incidents", data, ALL, sha="1")
    with pytest.raises(S.StoreError) as unknown:
        do_import(st, "tickets", data, ALL, sha="1", cid="nobody")
    assert unknown.value.issue.code == "store.unknown_contract"


def test_values_are_bound_not_formatted(st):
    evil = "T1'); DROP TABLE batches; --"
    do_import(st, "tickets", tickets([{"ticket_id": evil, "team": "O'Brien"}]), ALL, sha="x'y")
    assert records(current(st), ["ticket_id", "team"]) == [(evil, "O'Brien")]
    assert S.list_batches(st, "acme")[0].sha256 == "x'y"


def test_sql_fragments_must_be_whitelisted():
    with pytest.raises(TypeError):
        S.sql("current_rows", table="tickets_rows", columns=S.Sql('"ticket_id"'))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        S.sql("current_rows", table=S.Sql("tickets_rows"))
    with pytest.raises(ValueError):
        S.tables._ident("tickets", "ticket_id; DROP TABLE x")


def test_every_sql_file_has_a_header_comment():
    for path in sorted(S.db._SQL_DIR.rglob("*.sql")):
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("--"), path.name
        text = path.read_text(encoding="utf-8").lower()
        assert "grain" in text and "parameters" in text, path.name


def test_import_order_and_row_numbers_are_kept(st):
    data = tickets([{"ticket_id": f"T{i}"} for i in (3, 1, 2)])
    do_import(st, "tickets", data, ALL, sha="1")
    got = S.current_dataset(st, "acme").tickets
    assert got["ticket_id"].tolist() == ["T3", "T1", "T2"]
    assert got["_row"].tolist() == [2, 3, 4]


def test_the_store_file_is_a_plain_duckdb_file(st):
    do_import(st, "tickets", tickets([{"ticket_id": "T1"}]), ALL, sha="1")
    con = duckdb.connect(str(st.path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM tickets_rows WHERE contract_id = 'acme'").fetchall() == [
            (1,)
        ]
    finally:
        con.close()


def test_key_columns_come_from_the_file_even_if_not_listed(st):
    do_import(
        st,
        "tickets",
        tickets([{"ticket_id": "T1", "team": "L1"}]),
        ["created_at", "priority", "team"],
        sha="1",
    )
    assert records(current(st), ["ticket_id", "team"]) == [("T1", "L1")]


def test_frames_come_back_exactly_as_imported(st):
    given = {
        "tickets": tickets(
            [
                {
                    "ticket_id": "T1",
                    "first_response_at": "2026-03-01T01:05:00Z",
                    "status": "closed",
                    "category": "fault",
                    "category_raw": "故障",
                    "channel": "phone",
                    "customer": "c",
                    "team": "L1",
                    "assignee": "ann",
                    "reopened_count": 1,
                    "first_contact_resolved": True,
                    "classified_at": "2026-03-01T01:10:00Z",
                    "paused_minutes": 12.5,
                    "suggestion_adopted": False,
                    "excluded": True,
                    "exclusion_reason": "不可抗力",
                    "resolved_at": "2026-03-01T03:00:00Z",
                    "closed_at": "2026-03-02T03:00:00Z",
                },
                {"ticket_id": "T2"},
            ]
        ),
        "surveys": frame(
            "surveys",
            [
                {
                    "response_id": "R1",
                    "submitted_at": "2026-03-01T01:00:00Z",
                    "score": 4.5,
                    "ticket_id": "T1",
                    "respondent": "r",
                    "channel": "sms",
                    "team": "L1",
                    "comment": "好",
                    "duration_seconds": 30.0,
                    "dim:服务态度": 5.0,
                },
            ],
        ).astype({"dim:服务态度": "Float64"}),
        "outages": frame(
            "outages",
            [
                {
                    "service": "web",
                    "start": "2026-03-01T01:00:00Z",
                    "end": "2026-03-01T02:00:00Z",
                    "planned": True,
                    "announced_at": "2026-02-27T01:00:00Z",
                    "severity": "S1",
                    "cause": "upgrade",
                    "description": "d",
                },
            ],
        ),
        "measures": frame(
            "measures",
            [
                {
                    "month": "2026-03",
                    "kpi": "recovery_time_hours",
                    "value": 2.5,
                    "source": "provider",
                    "note": "n",
                },
            ],
        ),
    }
    for kind, data in given.items():
        present = [c for c in data.columns if c != "_row"]
        do_import(st, kind, data, present, sha=kind)
    got = S.current_dataset(st, "acme")
    for kind, data in given.items():
        expected = data[[*S.SCHEMA[kind], *[c for c in data.columns if c.startswith("dim:")], "_row"]]
        pd.testing.assert_frame_equal(got.frame(kind).reset_index(drop=True), expected.reset_index(drop=True))
        assert got.columns[kind] == frozenset(c for c in data.columns if c != "_row")
