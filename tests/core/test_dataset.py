"""dataset.conform: the canonical columns and dtypes, without touching the frame it is given."""

from __future__ import annotations

import pandas as pd

from sla_core.dataset import ROW, SCHEMA, TIMESTAMP, conform


def test_conform_adds_and_casts_without_changing_the_callers_frame() -> None:
    given = pd.DataFrame(
        {
            "ticket_id": ["T-1", "T-2"],
            "created_at": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 10:00"]).tz_localize(
                "Asia/Shanghai"
            ),
            "priority": ["P1", "P2"],
            "excluded": [True, None],
        }
    )
    before = given.copy()
    out = conform("tickets", given)
    assert set(out.columns) == {*SCHEMA["tickets"], ROW}
    assert out["created_at"].dtype == TIMESTAMP and out["created_at"][0] == pd.Timestamp("2026-03-02 01:00Z")
    assert out["excluded"].tolist() == [True, False] and out[ROW].tolist() == [2, 3]
    pd.testing.assert_frame_equal(given, before)  # conform works on its own copy
    out.loc[0, "ticket_id"] = "changed"
    assert given.loc[0, "ticket_id"] == "T-1"
