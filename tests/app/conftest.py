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
