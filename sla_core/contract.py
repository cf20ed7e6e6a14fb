"""The contract: TOML → frozen pydantic models, versions deep-merged, the terms in force for a month.

A contract file holds the base terms and `[[versions]]` agreed later. Each version is merged onto the
terms before it (tables by key, priorities by id, other arrays replaced) and validated as a whole, so
every `Terms` object is complete. Errors name the key as people count (`priorities[2].response`).

The names callers import live here; their owners are `contract_sections` (each section's model),
`contract_terms` (`Terms`, `Contract`, the KPI table) and `contract_load` (reading and validating).
"""

from __future__ import annotations

from sla_core.contract_load import (
    ContractError,
    contract_from_raw,
    contract_to_toml,
    contract_warnings,
    decimal_or_none,
    deep_merge,
    key_path,
    load_contract,
    parse_contract,
)
from sla_core.contract_rules import CustomKpi
from sla_core.contract_sections import (
    CANONICAL_STATES,
    CATEGORIES,
    ID_MAX,
    ISO_4217,
    WEEKDAYS,
    AvailabilityTerms,
    CalendarTerms,
    CategoryTerms,
    ContractInfo,
    FeedbackTerms,
    FixedAmount,
    Interval,
    Intervals,
    ObligationTerms,
    PauseTerms,
    Penalty,
    PenaltyRate,
    PenaltyTerms,
    Priority,
    StatusTerms,
    SurveyTerms,
    WeekHours,
)
from sla_core.contract_terms import (
    ALL_KPI_IDS,
    KPI_IDS,
    OPTIONAL_KPIS,
    RATE_KPIS,
    Contract,
    KpiTargets,
    Terms,
    kpi_table,
)
from sla_core.terms_base import Target, format_duration, parse_duration, parse_target

__all__ = [
    "ALL_KPI_IDS",
    "CANONICAL_STATES",
    "CATEGORIES",
    "ID_MAX",
    "ISO_4217",
    "KPI_IDS",
    "OPTIONAL_KPIS",
    "RATE_KPIS",
    "WEEKDAYS",
    "AvailabilityTerms",
    "CalendarTerms",
    "CategoryTerms",
    "Contract",
    "ContractError",
    "ContractInfo",
    "CustomKpi",
    "FeedbackTerms",
    "FixedAmount",
    "Interval",
    "Intervals",
    "KpiTargets",
    "ObligationTerms",
    "PauseTerms",
    "Penalty",
    "PenaltyRate",
    "PenaltyTerms",
    "Priority",
    "StatusTerms",
    "SurveyTerms",
    "Target",
    "Terms",
    "WeekHours",
    "contract_from_raw",
    "contract_to_toml",
    "contract_warnings",
    "decimal_or_none",
    "deep_merge",
    "format_duration",
    "key_path",
    "kpi_table",
    "load_contract",
    "parse_contract",
    "parse_duration",
    "parse_target",
]
