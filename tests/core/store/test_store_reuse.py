"""The reads every page run makes (which contracts, which data version) are reused while the store's
files are unchanged — and never once a commit has changed them, by this process or another."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store_helpers import contract_text, do_import, tickets

from sla_core import store as S
from sla_core.store import db

ROOT = Path(__file__).resolve().parents[3]


def _opens(monkeypatch) -> list[int]:
    """Counts the connections opened from now on."""
    opened: list[int] = []
    real = db._open

    def counting(store):
        opened.append(1)
        return real(store)

    monkeypatch.setattr(db, "_open", counting)
    return opened


def test_unchanged_files_are_not_read_again(st, monkeypatch):
    first = (S.data_version(st, "acme"), S.list_contracts(st))
    opened = _opens(monkeypatch)
    assert (S.data_version(st, "acme"), S.list_contracts(st)) == first
    assert opened == []


def test_an_import_is_seen_at_once(st, monkeypatch):
    before = S.data_version(st, "acme")
    do_import(st, "tickets", tickets([{"ticket_id": "T-1"}]), ["ticket_id", "created_at", "priority"])
    opened = _opens(monkeypatch)
    assert S.data_version(st, "acme") != before
    assert opened == [1]
    assert S.data_version(st, "beta") == S.data_version(st, "beta")  # each contract has its own answer


def test_a_contract_saved_by_another_process_is_seen_at_once(st):
    assert [c.contract_id for c in S.list_contracts(st)] == ["acme", "beta"]
    code = (
        "import sys; from sla_core import store as S; sys.path.insert(0, 'tests/core/store');"
        "from store_helpers import contract_text;"
        f"S.save_contract(S.Store(__import__('pathlib').Path({str(st.path)!r})), contract_text('gamma'), 'x')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=ROOT)
    assert [c.contract_id for c in S.list_contracts(st)] == ["acme", "beta", "gamma"]


def test_an_answer_older_than_the_bound_is_read_again(st, monkeypatch):
    S.list_contracts(st)
    where = (str(st.path), "contracts")
    signature, at, value = db._RECENT[where]
    db._RECENT[where] = (signature, at - db.REUSE_SECONDS, value)  # as if a second had passed
    opened = _opens(monkeypatch)
    S.list_contracts(st)
    assert opened == [1]


def test_a_store_replaced_by_a_file_of_the_same_size_is_read_again(st, tmp_path):
    other = S.open_store(tmp_path / "other.duckdb")
    S.save_contract(other, contract_text("zeta"), "tester")
    assert [c.contract_id for c in S.list_contracts(st)] == ["acme", "beta"]
    other.path.replace(st.path)  # what restore does: a new file renamed over the old one
    assert [c.contract_id for c in S.list_contracts(st)] == ["zeta"]


def test_the_evaluation_version_is_reused_until_a_workflow_write(st, monkeypatch):
    first = S.evaluation_version(st, "acme")
    opened = _opens(monkeypatch)
    assert S.evaluation_version(st, "acme") == first
    assert opened == []  # every page run asks; unchanged files answer without a connection
    S.add_action(st, "acme", cause="停电", measure="加装备用电源", owner="乙方", user="qm")
    assert S.evaluation_version(st, "acme")[1] != first[1]  # the workflow changed: read again
    assert S.evaluation_version(st, "acme")[0] == first[0]  # the data did not
