"""Small hand-made inputs for core tests: a few rows in, the exact expected value out."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from sla_core.contract import Contract, contract_from_raw, deep_merge
from sla_core.dataset import SCHEMA, TIMESTAMP, Dataset, conform

ROOT = Path(__file__).resolve().parents[2]
# the spec's example contract (the demo's, sla_core/data, adds the seeds' other terms: conditional targets,
# doc 002's deadlines… — tests add what they check to this one)
EXAMPLE_PATHS = (
    ROOT / "tests" / "fixtures" / "contract.example.toml",
    ROOT.parent / "shared" / "spec" / "contract.example.toml",
)
EXAMPLE_TEXT = next(p for p in EXAMPLE_PATHS if p.exists()).read_text(encoding="utf-8")
EXAMPLE_RAW: dict[str, Any] = tomllib.loads(EXAMPLE_TEXT)
ZONE = "Asia/Shanghai"


def make_contract(
    change: dict[str, Any] | None = None,
    *,
    versions: list[dict[str, Any]] | None = None,
    drop: tuple[str, ...] = (),
) -> Contract:
    """The example contract with `change` deep-merged in (and its versions replaced when given)."""
    raw = copy.deepcopy(EXAMPLE_RAW)
    for key in drop:
        section, _, name = key.partition(".")
        if name:
            raw[section].pop(name, None)
        else:
            raw.pop(section, None)
    if change:
        raw = deep_merge(raw, change)
    if versions is not None:
        raw["versions"] = versions
    contract, issues = contract_from_raw(raw)
    assert contract is not None, [i.en for i in issues]
    return contract


def frame(kind: str, rows: list[dict[str, Any]], zone: str = ZONE) -> pd.DataFrame:
    """Rows with local time strings ('2026-03-02 10:00') → a canonical frame; absent keys stay blank."""
    df = pd.DataFrame(rows)
    columns = {**SCHEMA[kind], "workaround_at": TIMESTAMP}  # type: ignore[index]
    for col, dtype in columns.items():
        if dtype == TIMESTAMP and col in df.columns:
            local = pd.to_datetime(df[col])
            df[col] = local.dt.tz_localize(zone) if local.dt.tz is None else local
    return conform(kind, df)  # type: ignore[arg-type]


def dataset(zone: str = ZONE, **kinds: list[dict[str, Any]] | None) -> Dataset:
    data = Dataset()
    for kind, rows in kinds.items():
        if rows is None:
            continue
        setattr(data, kind, frame(kind, rows, zone))
        data.columns[kind] = frozenset(k for r in rows for k in r)
    return data
