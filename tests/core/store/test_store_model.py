"""Random sequences of imports and undos against a plain-Python model of the storage rule:
the last active import of a key wins; columns a file lacked keep the value; blanks clear; undo
falls back to the latest still-active version; columns shown = those some active file had."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_
from store_helpers import contract_text, records, tickets

from sla_core import store as S

KEYS = ("T1", "T2", "T3")
OPTIONAL = ("team", "assignee", "resolved_at")
VALUES: dict[str, list[Any]] = {
    "team": ["a", "b", None],
    "assignee": ["x", "y", None],
    "resolved_at": [None, "2026-03-01T02:00:00Z", "2026-03-02T02:00:00Z"],
}
REQUIRED = ("ticket_id", "created_at", "priority")


def row_strategy(key: str) -> st_.SearchStrategy[dict[str, Any]]:
    return st_.fixed_dictionaries(
        {
            "ticket_id": st_.just(key),
            "priority": st_.sampled_from(["P1", "P2"]),
            **{c: st_.sampled_from(VALUES[c]) for c in OPTIONAL},
        }
    )


imports = st_.tuples(
    st_.just("import"),
    st_.lists(st_.sampled_from(KEYS), min_size=1, max_size=3, unique=True).flatmap(
        lambda keys: st_.tuples(*(row_strategy(k) for k in keys))
    ),
    st_.sets(st_.sampled_from(OPTIONAL)),
)
undos = st_.tuples(st_.just("undo"), st_.integers(0, 5), st_.just(frozenset()))


class Model:
    def __init__(self) -> None:
        self.versions: list[tuple[int, str, dict[str, Any]]] = []  # (batch, key, values)
        self.present: dict[int, set[str]] = {}
        self.active: set[int] = set()

    def current(self, key: str) -> dict[str, Any] | None:
        mine = [(b, v) for b, k, v in self.versions if k == key and b in self.active]
        return max(mine, key=lambda bv: bv[0])[1] if mine else None

    def load(self, batch: int, rows: tuple[dict[str, Any], ...], present: set[str]) -> None:
        cols = set(REQUIRED) | present
        for row in rows:
            old = self.current(row["ticket_id"]) or {}
            self.versions.append(
                (
                    batch,
                    row["ticket_id"],
                    {c: row[c] if c in cols else old.get(c) for c in ("priority", *OPTIONAL)},
                )
            )
        self.present[batch] = cols
        self.active.add(batch)

    def expected(self) -> tuple[list[tuple[Any, ...]], set[str]]:
        shown = set().union(*(self.present[b] for b in self.active)) if self.active else set()
        out = []
        for key in KEYS:
            values = self.current(key)
            if values is not None:
                out.append(
                    (
                        key,
                        *(
                            values[c] if c in shown or c == "priority" else None
                            for c in ("priority", *OPTIONAL)
                        ),
                    )
                )
        return out, shown


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_.lists(st_.one_of(imports, undos), min_size=1, max_size=7))
def test_store_follows_the_model(operations):
    with tempfile.TemporaryDirectory() as tmp:
        store = S.open_store(Path(tmp) / "sla.duckdb")
        S.save_contract(store, contract_text("acme"), "tester")
        model = Model()
        batches: list[int] = []
        for number, (op, payload, present) in enumerate(operations):
            if op == "import":
                data = tickets(list(payload))
                outcome = S.import_frame(
                    store,
                    "acme",
                    "tickets",
                    data,
                    file_name=f"f{number}",
                    sha256=f"s{number}",
                    columns_present=[*REQUIRED, *sorted(present)],
                    user="t",
                )
                assert outcome.batch_id is not None
                batches.append(outcome.batch_id)
                model.load(outcome.batch_id, payload, present)
            elif batches:
                batch = batches[payload % len(batches)]
                if batch in model.active:
                    S.undo_batch(store, "acme", batch, "t")
                    model.active.discard(batch)
            rows, shown = model.expected()
            data = S.current_dataset(store, "acme")
            if not rows:
                assert data.tickets is None or data.tickets.empty
                continue
            got = data.tickets.sort_values("ticket_id")
            expected_rows = [
                tuple(
                    pd.Timestamp(v, tz="UTC") if c == "resolved_at" and v is not None else v
                    for c, v in zip(("ticket_id", "priority", *OPTIONAL), row, strict=True)
                )
                for row in rows
            ]
            assert records(got, ["ticket_id", "priority", *OPTIONAL]) == expected_rows
            assert data.columns["tickets"] == frozenset(shown)
