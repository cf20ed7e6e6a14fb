from __future__ import annotations

import pytest
from store_helpers import contract_text

from sla_core import store as S


@pytest.fixture
def st(tmp_path) -> S.Store:
    """A fresh store with the contracts `acme` and `beta`."""
    store = S.open_store(tmp_path / "data" / "sla.duckdb")
    assert S.save_contract(store, contract_text("acme"), "tester").status == "created"
    assert S.save_contract(store, contract_text("beta", name="Beta"), "tester").status == "created"
    return store
