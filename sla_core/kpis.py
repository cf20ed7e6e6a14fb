"""KPI values per period and breakdown, from additive counts.

Each KPI is a ratio of two additive counts (or a measure), so a quarter is the sum of its months'
counts and a breakdown member is one more group of the same SQL. The value is computed here and
judged in `verdicts.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from sla_core.contract import KPI_IDS
from sla_core.dataset import KINDS, Dataset
from sla_core.queries import query

DIMENSIONS: tuple[str, ...] = ("priority", "team", "category", "channel", "customer")


@dataclass(frozen=True)
class Formula:
    numerator: str | None
    denominator: str | None
    scale: float = 1.0  # value = numerator / denominator * scale


# counts columns → KPI. Measure KPIs (backup, recovery time) have no formula: their value is reported.
FORMULAS: dict[str, Formula] = {
    "response_within_target": Formula("response_met", "response_judged"),
    "resolution_within_target": Formula("resolution_met", "resolution_judged"),
    # joins the KPI table when a conditional target names the workaround milestone
    "workaround_within_target": Formula("workaround_met", "workaround_judged"),
    "resolution_rate": Formula("resolved", "tickets"),
    "first_contact_resolution": Formula("first_contact", "resolved"),
    "reopen_rate": Formula("reopened", "resolved"),
    "complaint_rate": Formula("complaints", "tickets"),
    "feedback_on_time": Formula("feedback_on_time", "feedback_judged"),
    "suggestion_adoption_rate": Formula("suggestions_adopted", "suggestions"),
    "csat_mean": Formula("score_sum", "responses"),
    "csat_satisfied_share": Formula("satisfied", "responses"),
    "survey_response_rate": Formula("resolved_surveyed", "resolved"),
    "availability": Formula("up_seconds", "month_seconds"),
    # minutes per month: a quarter (summed counts) gives its mean month, judged by the monthly limit
    "unplanned_downtime_minutes": Formula("downtime_minutes", "months"),
    "mttr_minutes": Formula("incident_minutes", "incidents_ended"),
    "restored_in_time": Formula("incidents_in_time", "incidents_ended"),
}
MEASURE_KPIS = ("backup_success_rate", "recovery_time_hours")


def source_presence(data: Dataset, ticket_columns: frozenset[str] | None = None) -> dict[str, str | None]:
    """KPI → None when its source file and columns exist, else why not ('no_file', 'no_column:<col>').

    `ticket_columns`: the ticket columns of one period (those some ticket of it carries a value in,
    `outcomes.month_columns`) instead of the file's."""
    cols = {k: data.columns.get(k, frozenset()) for k in KINDS}
    t = cols["tickets"] if ticket_columns is None else ticket_columns

    in_file = cols["tickets"]

    def absent(column: str) -> str:
        # held by the file (or the store) but carried by no ticket of the period: "no_value"
        return f"no_value:{column}" if column in in_file else f"no_column:{column}"

    def tickets(*need_any: str, also: tuple[str, ...] = ()) -> str | None:
        if data.tickets is None:
            return "no_file:tickets"
        if need_any and not (t & set(need_any)):
            return absent(need_any[0])
        missing = [c for c in also if c not in t]
        return absent(missing[0]) if missing else None

    surveys = None if data.surveys is not None else "no_file:surveys"
    outages = None if data.outages is not None else "no_file:outages"
    done = ("resolved_at", "closed_at")
    presence: dict[str, str | None] = {
        # never the resolution time in its place (spec "Rule (tickets)")
        "response_within_target": tickets("first_response_at"),
        "resolution_within_target": tickets(*done),
        "workaround_within_target": tickets("workaround_at"),
        "resolution_rate": tickets(*done),
        "first_contact_resolution": tickets(*done, also=("first_contact_resolved",)),
        "reopen_rate": tickets(*done, also=("reopened_count",)),
        "complaint_rate": tickets(also=("category",)),
        "feedback_on_time": tickets(also=("category",)),
        "suggestion_adoption_rate": tickets(also=("category", "suggestion_adopted")),
        "csat_mean": surveys,
        "csat_satisfied_share": surveys,
        "survey_response_rate": surveys
        or tickets(*done)
        or (None if "ticket_id" in cols["surveys"] else "no_column:ticket_id"),
        "availability": outages,
        "unplanned_downtime_minutes": outages,
        "mttr_minutes": outages,
        "restored_in_time": outages,
    }
    for kpi in MEASURE_KPIS:
        presence[kpi] = None if data.measures is not None else "no_file:measures"
    return presence


_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per thread for aggregation (never shared across threads; no file)."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect()
    return con


def _run(
    sql_name: str, relation: str, frame: pd.DataFrame, params: dict[str, object] | None = None
) -> pd.DataFrame:
    con = _connection()
    con.register(relation, frame)
    try:
        return con.execute(query(sql_name), params or {}).df()
    finally:
        con.unregister(relation)


TICKET_COLUMNS = (
    "period",
    "priority",
    "team",
    "category",
    "channel",
    "customer",
    "excluded",
    "response_status",
    "resolution_status",
    "workaround_status",
    "resolved",
    "first_contact_resolved",
    "reopened",
    "feedback_status",
    "suggestion_adopted",
    "surveyed",
)


SURVEY_COLUMNS = ("period", "score", "satisfied", "priority", "team", "category", "channel", "customer")


def ticket_counts(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Counts per (period, dimension, member) from per-ticket outcomes with a `period` column."""
    if outcomes.empty:
        return pd.DataFrame(columns=["period", "dimension", "member"])
    frame = outcomes[[c for c in TICKET_COLUMNS if c in outcomes.columns]]
    if "workaround_status" not in frame.columns:  # outcomes computed before the milestone existed
        frame = frame.assign(workaround_status=pd.Series(None, index=frame.index, dtype="string"))
    return _run("ticket_counts", "outcomes", frame)


def survey_counts(responses: pd.DataFrame) -> pd.DataFrame:
    """Sums per (period, dimension, member) from responses with `period` and `satisfied` columns."""
    if responses.empty:
        return pd.DataFrame(columns=["period", "dimension", "member"])
    frame = responses.loc[~responses["excluded"], list(SURVEY_COLUMNS)].copy()
    frame["score"] = frame["score"].astype("float64")
    return _run("survey_counts", "responses", frame)


def distributions(outcomes: pd.DataFrame) -> pd.DataFrame:
    if outcomes.empty:
        return pd.DataFrame()
    cols = [
        "period",
        "priority",
        "excluded",
        "responded",
        "resolved",
        "response_seconds",
        "resolution_seconds",
    ]
    return _run("distributions", "outcomes", outcomes[cols])


def kpi_values(
    counts: pd.DataFrame,
    presence: dict[str, str | None],
    formulas: dict[str, Formula] | None = None,
    measures: tuple[str, ...] = (),
    by_period: Mapping[str, dict[str, str | None]] | None = None,
) -> pd.DataFrame:
    """Long table: one row per (period, dimension, member, kpi) with value, numerator, denominator.

    `no_data` holds why a value is missing: the source is absent, or nothing was counted.
    formulas, measures: the contract's own KPIs (ticket shares, reported measures), after the built-in.
    `by_period`: a period's own presence (a column absent in one month), else `presence`.
    """
    frames = []
    keys = {c: counts[c].to_numpy() for c in ("period", "dimension", "member")}
    n = len(counts)
    periods = counts["period"].astype(str).to_numpy()
    own = {p: by_period[p] for p in np.unique(periods) if p in by_period} if by_period else {}
    for kpi, f in {**FORMULAS, **(formulas or {})}.items():
        num = _column(counts, f.numerator)
        den = _column(counts, f.denominator) if f.denominator else None
        if den is None:
            value, has = num * f.scale, ~np.isnan(num)
        else:
            has = den > 0
            value = np.where(has, num / np.where(has, den, 1) * f.scale, np.nan)
        missing = np.full(n, presence.get(kpi), dtype=object)
        for period, period_presence in own.items():
            missing[periods == period] = period_presence.get(kpi)
        absent = pd.notna(missing)
        frames.append(
            pd.DataFrame(
                {
                    **keys,
                    "kpi": np.full(n, kpi, dtype=object),
                    "value": np.where(absent, np.nan, value),
                    "numerator": num if f.denominator else np.full(n, np.nan),
                    "denominator": den if den is not None else np.full(n, np.nan),
                    "no_data": np.where(absent, missing, np.where(has, "", "no_events")).astype(object),
                }
            )
        )
    overall = counts.loc[counts["dimension"] == "all", ["period", "dimension", "member"]]
    for kpi in (*MEASURE_KPIS, *measures):  # filled in from reported measures by the caller
        frames.append(
            overall.assign(
                kpi=kpi,
                value=np.nan,
                numerator=np.nan,
                denominator=np.nan,
                no_data=presence.get(kpi) or "no_events",
            )
        )
    return pd.concat(frames, ignore_index=True)


PRESENT = ("", "no_events")  # the no_data values of a KPI whose source the period has


def without_absent_months(
    values: pd.DataFrame, quarter_of_month: Mapping[str, str], formulas: Mapping[str, Formula] | None = None
) -> pd.DataFrame:
    """Quarter values from the months whose source the KPI has: a month without the column (its
    value `no_data`) adds nothing to its quarter — not its tickets to a denominator, as if unmet.
    `formulas`: the contract's own ticket-share KPIs, handled as the built-in ones."""
    every = {**FORMULAS, **(formulas or {})}
    months = values["period"].isin(list(quarter_of_month))
    absent = months & ~values["no_data"].fillna("").isin(PRESENT) & values["kpi"].isin(list(every))
    if not absent.any():
        return values
    values = values.copy()
    month_rows = values.loc[months].assign(quarter=values.loc[months, "period"].map(quarter_of_month))
    hit = month_rows.loc[absent[months], ["quarter", "kpi"]].drop_duplicates()
    for quarter, kpi in hit.itertuples(index=False):  # a few (quarter, KPI) pairs, not rows
        kept = month_rows.loc[
            (month_rows["quarter"] == quarter)
            & (month_rows["kpi"] == kpi)
            & month_rows["no_data"].fillna("").isin(PRESENT)
        ]
        rows = (values["period"] == quarter) & (values["kpi"] == kpi)
        if kept.empty:
            continue  # every month lacks it: the quarter's own presence says so
        sums = kept.groupby(["dimension", "member"])[["numerator", "denominator"]].sum()
        at = pd.MultiIndex.from_frame(values.loc[rows, ["dimension", "member"]])
        num = sums["numerator"].reindex(at).fillna(0).to_numpy(dtype="float64")
        den = sums["denominator"].reindex(at).fillna(0).to_numpy(dtype="float64")
        has = den > 0
        values.loc[rows, "numerator"] = num
        values.loc[rows, "denominator"] = den
        values.loc[rows, "value"] = np.where(has, num / np.where(has, den, 1) * every[kpi].scale, np.nan)
        values.loc[rows, "no_data"] = np.where(has, "", "no_events")
    return values


def _column(counts: pd.DataFrame, name: str | None) -> np.ndarray:
    if name is None or name not in counts.columns:
        return np.full(len(counts), np.nan)
    return counts[name].to_numpy(dtype="float64")


def measure_values(data: Dataset) -> pd.DataFrame:
    """Reported measures (not the provider's own figures): month label, kpi, value."""
    m = data.measures
    if m is None or m.empty:
        return pd.DataFrame(columns=["month", "kpi", "value"])
    own = m["source"].fillna("").str.strip().str.lower() != "provider"
    return m.loc[own, ["month", "kpi", "value"]].astype({"value": "float64"})


def kpi_order(frame: pd.DataFrame, kpi_ids: tuple[str, ...] = KPI_IDS) -> pd.DataFrame:
    order = {k: i for i, k in enumerate(kpi_ids)}
    return frame.assign(_o=frame["kpi"].map(order)).sort_values(["period", "_o"]).drop(columns="_o")
