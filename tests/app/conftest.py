"""AppTest fixtures: a store with the demo contract and data, shared by the page tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sla_core import workspace


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("app") / "demo.duckdb"
    workspace.load_demo(workspace.open_workspace(path))
    return path


@pytest.fixture
def db(tmp_path: Path, demo_db: Path) -> Path:
    """A private copy of the demo store, for tests that write."""
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    return copy


@pytest.fixture(scope="session")
def sparse_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store plus two contracts of a user's first weeks: `empty-one` without any data, and
    `sparse` with the demo's September and October tickets, September's surveys only, and no outage log
    or measures (October has tickets but no surveys or outages)."""
    from sla_core import contract_edit as ce
    from sla_core import store as st
    from sla_core.demo import generate

    path = tmp_path_factory.mktemp("sparse") / "sparse.duckdb"
    store = workspace.open_workspace(path)
    workspace.load_demo(store)
    demo = generate()
    data = demo.dataset()
    for contract_id, name in (("empty-one", "空合同"), ("sparse", "九月起的合同")):
        raw = ce.new_contract(demo.contract_text, contract_id, name)
        st.save_contract(store, ce.to_text(raw), "test")
    for kind, column, months in (
        ("tickets", "created_at", ("2026-09", "2026-10")),
        ("surveys", "submitted_at", ("2026-09",)),
    ):
        frame = data.frame(kind)
        assert frame is not None
        local = frame[column].dt.tz_convert("Asia/Shanghai")  # the demo contract's zone
        rows = frame.loc[local.dt.strftime("%Y-%m").isin(months)]
        st.import_frame(
            store,
            "sparse",
            kind,
            rows,
            file_name=f"{kind}.xlsx",
            sha256=f"sparse-{kind}",
            columns_present=sorted(data.columns[kind]),
            user="test",
        )
    return path
