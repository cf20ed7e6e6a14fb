"""SLA quality dashboard core: contract, business calendar, ingest, store, KPIs, verdicts, consequences.

The few names most callers need; everything else lives in its module (see README, "How the code is
organised"). No Streamlit here.
"""

from sla_core.contract import Contract, ContractError, Terms, load_contract, parse_contract
from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation, evaluate, parse_as_of
from sla_core.problems import Issue

__all__ = [
    "Contract",
    "ContractError",
    "Dataset",
    "Evaluation",
    "Issue",
    "Terms",
    "evaluate",
    "load_contract",
    "parse_as_of",
    "parse_contract",
]
