"""Hostile values in stored text: a contract stored before today's validation rules is refused with
what to fix, not rendered."""

from __future__ import annotations

import duckdb
from apptools import open_app, texts

HOSTILE = '<div style="position:fixed;inset:0;background:white"><form>session expired</form></div>'


def test_a_contract_stored_before_the_rules_is_refused_plainly(db, monkeypatch):
    with duckdb.connect(str(db)) as con:  # as an older release would have stored it
        con.execute(
            "UPDATE contracts SET text = replace(text, 'currency = \"CNY\"', $c)",
            {"c": f"currency = '{HOSTILE}'"},
        )
    at = open_app(db, monkeypatch)
    assert not at.exception
    assert "首次响应达标率" not in texts(at)
    assert len(at.error) == 1 and "ISO 4217" in at.error[0].value
