"""What every part of the demo shares: the generated data set (`DemoData`) and the example contract it
is generated for."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

from sla_core.contract import Contract, parse_contract
from sla_core.dataset import Dataset


@dataclass
class DemoData:
    """Canonical frames (dataset.SCHEMA; surveys also `dim:<dimension>`), the instant they describe."""

    tickets: pd.DataFrame
    surveys: pd.DataFrame
    outages: pd.DataFrame
    measures: pd.DataFrame
    as_of: pd.Timestamp  # tz-aware UTC
    contract_text: str
    months: tuple[str, ...] = field(default_factory=tuple)

    def dataset(self) -> Dataset:
        """As ingest would hand it over: every optional column present."""
        frames = {
            "tickets": self.tickets,
            "surveys": self.surveys,
            "outages": self.outages,
            "measures": self.measures,
        }
        columns = {k: frozenset(c for c in f.columns if c != "_row") for k, f in frames.items()}
        return Dataset(**frames, columns=columns)  # type: ignore[arg-type]


def demo_contract_text() -> str:
    """The example contract (shipped as package data)."""
    return resources.files("sla_core").joinpath("data/contract.example.toml").read_text(encoding="utf-8")


def demo_contract() -> Contract:
    contract, issues = parse_contract(demo_contract_text(), file="contract.example.toml")
    if contract is None:  # pragma: no cover - the packaged file is tested
        raise ValueError("; ".join(i.en for i in issues))
    return contract
