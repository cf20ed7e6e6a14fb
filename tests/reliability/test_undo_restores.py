"""Undo restores exactly what the batch replaced — every column, survey dimensions included — also
when later batches touched other rows, and whatever order batches are undone in."""

from __future__ import annotations

import pandas as pd
from hostile_corpus import HEADER, csv_bytes
from reliability_helpers import CONTRACT_ID, assert_sound, new_store

from sla_core import store as S
from sla_core import workspace as W


def _load(store: S.Store, tmp, name: str, kind: str, rows: list[list[str]]) -> int:
    path = tmp / f"{name}.csv"
    path.write_bytes(csv_bytes(rows))
    report = W.import_file(store, CONTRACT_ID, kind, path, user="tester")  # type: ignore[arg-type]
    assert report.stored, report.result.issues[:5]
    assert report.outcome is not None and report.outcome.batch_id is not None
    return report.outcome.batch_id


def _now(store: S.Store, kind: str) -> pd.DataFrame:
    data = S.current_dataset(store, CONTRACT_ID).frame(kind)  # type: ignore[arg-type]
    assert data is not None
    key = S.KEY_COLUMNS[kind][0]  # type: ignore[index]
    return data.drop(columns="_row").sort_values(key).reset_index(drop=True)


def _rows(frame: pd.DataFrame, column: str, keys: list[str]) -> pd.DataFrame:
    return frame[frame[column].isin(keys)].reset_index(drop=True)


def test_undo_in_any_order_restores_exactly(tmp_path):
    store = new_store(tmp_path / "sla.duckdb")
    full = [*HEADER, "处理组", "处理人", "关闭时间"]
    a = _load(
        store,
        tmp_path,
        "a",
        "tickets",
        [full]
        + [
            [
                f"U-{i}",
                "2026-10-01 09:00",
                "P2",
                "2026-10-01 09:20",
                "2026-10-01 15:00",
                "L1",
                f"eng{i}",
                "2026-10-02 09:00",
            ]
            for i in range(1, 5)
        ],
    )
    after_a = _now(store, "tickets")
    # B: fewer columns (closed_at and assignee kept from A), a changed priority, a blank that clears
    b = _load(
        store,
        tmp_path,
        "b",
        "tickets",
        [
            [*HEADER, "处理组"],
            ["U-1", "2026-10-01 09:00", "P1", "", "2026-10-01 10:00", "L2"],
            ["U-2", "2026-10-01 09:00", "P2", "", "", ""],
        ],
    )
    after_b = _now(store, "tickets")
    assert after_b.loc[0, "priority"] == "P1" and pd.isna(after_b.loc[1, "team"])
    assert after_b.loc[0, "assignee"] == "eng1"  # a column B lacked keeps A's value
    c = _load(
        store,
        tmp_path,
        "c",
        "tickets",
        [
            [*HEADER, "处理组"],
            ["U-3", "2026-10-03 09:00", "P3", "", "", "L3"],
            ["U-9", "2026-10-03 09:00", "P3", "", "", "L3"],
        ],
    )
    after_c = _now(store, "tickets")

    undone = S.undo_batch(store, CONTRACT_ID, b, "tester")  # not the latest batch
    assert (undone.restored, undone.removed, len(undone.already_replaced)) == (2, 0, 0)
    now = _now(store, "tickets")
    pd.testing.assert_frame_equal(
        _rows(now, "ticket_id", ["U-1", "U-2"]), _rows(after_a, "ticket_id", ["U-1", "U-2"])
    )
    others = ["U-3", "U-4", "U-9"]
    pd.testing.assert_frame_equal(_rows(now, "ticket_id", others), _rows(after_c, "ticket_id", others))
    assert_sound(store)

    undone = S.undo_batch(store, CONTRACT_ID, c, "tester")
    assert (undone.restored, undone.removed) == (1, 1)
    pd.testing.assert_frame_equal(_now(store, "tickets"), after_a)

    undone = S.undo_batch(store, CONTRACT_ID, a, "tester")
    assert S.current_dataset(store, CONTRACT_ID).tickets is None
    assert_sound(store)


def test_undo_restores_survey_dimensions(tmp_path):
    store = new_store(tmp_path / "sla.duckdb")
    header = ["回访编号", "提交时间", "满意度评分", "服务态度", "专业能力", "备注"]
    _load(
        store,
        tmp_path,
        "s1",
        "surveys",
        [
            header,
            ["R1", "2026-10-01 10:00", "5", "5", "4", "好"],
            ["R2", "2026-10-02 10:00", "3", "2", "3", "慢"],
        ],
    )
    before = _now(store, "surveys")
    later = _load(
        store,
        tmp_path,
        "s2",
        "surveys",
        [["回访编号", "提交时间", "满意度评分", "服务态度"], ["R1", "2026-10-01 10:00", "4", "1"]],
    )
    changed = _now(store, "surveys")
    assert changed.loc[0, "dim:服务态度"] == 1 and changed.loc[0, "dim:专业能力"] == 4
    S.undo_batch(store, CONTRACT_ID, later, "tester")
    pd.testing.assert_frame_equal(_now(store, "surveys"), before)
    assert_sound(store)
