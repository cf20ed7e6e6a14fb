"""KPI values for every month and quarter, overall and per breakdown member, from the per-ticket
outcomes, survey responses, outages and reported measures; each period's KPI sources; the values of a
filtered view."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sla_core import custom_kpis
from sla_core.availability import OutageFacts
from sla_core.contract import Contract
from sla_core.dataset import Dataset
from sla_core.evaluate_result import Evaluation
from sla_core.kpis import (
    DIMENSIONS,
    MEASURE_KPIS,
    SURVEY_COLUMNS,
    TICKET_COLUMNS,
    distributions,
    kpi_values,
    measure_values,
    source_presence,
    survey_counts,
    ticket_counts,
    without_absent_months,
)
from sla_core.periods import month_key, month_label, month_seconds, quarter_of


def kpi_presence(
    contract: Contract, data: Dataset, ticket_columns: frozenset[str] | None = None
) -> dict[str, str | None]:
    """Why each KPI of the contract has no source (None: it has one), contract KPIs included;
    `ticket_columns`: one period's (see `source_presence`)."""
    presence = source_presence(data, ticket_columns)
    return presence | custom_kpis.presence(contract, presence)


def period_presence(
    contract: Contract, data: Dataset, month_columns: dict[int, frozenset[str]], keys: list[int]
) -> dict[str, dict[str, str | None]]:
    """Each month's and quarter's KPI sources, contract KPIs included: the ticket columns some ticket of
    the period carries a value in (spec "Rule (periods and rates)"); a period without tickets has the
    file's."""
    out: dict[str, dict[str, str | None]] = {}
    quarters: dict[str, set[str]] = {}
    for key in keys:
        columns = month_columns.get(key)
        out[month_label(key)] = kpi_presence(contract, data, columns)
        if columns is not None:
            quarters.setdefault(quarter_of(key), set()).update(columns)
    for key in keys:
        label = quarter_of(key)
        if label not in out:
            found = quarters.get(label)
            out[label] = kpi_presence(contract, data, None if found is None else frozenset(found))
    return out


def compute_values(
    tickets: pd.DataFrame,
    responses: pd.DataFrame,
    facts: OutageFacts,
    presence: dict[str, str | None],
    keys: list[int],
    contract: Contract,
    data: Dataset,
    shares: pd.DataFrame | None = None,
    by_period: dict[str, dict[str, str | None]] | None = None,
) -> pd.DataFrame:
    """KPI values for every month and quarter, overall and per breakdown member (the contract's own
    KPIs included: `shares` from custom_kpis.share_outcomes, measures from the file)."""
    counts = _month_counts(tickets, responses, facts, keys, contract, shares)
    if counts.empty:
        return pd.DataFrame(
            columns=["period", "dimension", "member", "kpi", "value", "numerator", "denominator", "no_data"]
        )
    counts["quarter"] = counts["period"].map(quarter_of)
    sums = [c for c in counts.columns if c not in ("period", "dimension", "member", "quarter")]
    quarter_counts = counts.groupby(["quarter", "dimension", "member"], as_index=False, sort=True)[sums].sum()
    quarter_counts = quarter_counts.rename(columns={"quarter": "period"})
    counts = counts.drop(columns="quarter")
    counts["period"] = counts["period"].map(month_label)
    formulas = custom_kpis.formulas(contract)
    values = kpi_values(
        pd.concat([counts, quarter_counts], ignore_index=True),
        presence,
        formulas,
        custom_kpis.measure_ids(contract),
        by_period,
    )
    values = without_absent_months(values, {month_label(k): quarter_of(k) for k in keys}, formulas)
    values = _with_measures(values, data, presence, keys, custom_kpis.measure_ids(contract))
    return values


def _month_counts(
    tickets: pd.DataFrame,
    responses: pd.DataFrame,
    facts: OutageFacts,
    keys: list[int],
    contract: Contract,
    shares: pd.DataFrame | None = None,
) -> pd.DataFrame:
    index = ["period", "dimension", "member"]
    frames = []
    base = pd.DataFrame({"period": keys, "dimension": "all", "member": ""})
    frames.append(base.set_index(index))
    if not tickets.empty:
        frames.append(ticket_counts(tickets.assign(period=tickets["month_key"])).set_index(index))
    if not responses.empty:
        frames.append(survey_counts(responses.assign(period=responses["month_key"])).set_index(index))
    if facts.given:
        frames.append(_outage_counts(facts, keys, contract).set_index(index))
    if shares is not None and not shares.empty:
        frames.append(custom_kpis.share_counts(shares.assign(period=shares["month_key"])).set_index(index))
    counts = pd.concat(frames, axis=1).fillna(0).reset_index()
    counts = counts.loc[counts["period"].isin(keys)]
    return counts.reset_index(drop=True)


def _outage_counts(facts: OutageFacts, keys: list[int], contract: Contract) -> pd.DataFrame:
    """Availability sums per month: overall rows and one row per service."""
    zone = contract.zone
    seconds = pd.Series({k: float(month_seconds(k, zone)) for k in keys})
    down = pd.Series(facts.downtime).reindex(seconds.index, fill_value=0.0)
    overall = pd.DataFrame(
        {
            "period": keys,
            "dimension": "all",
            "member": "",
            "month_seconds": seconds.to_numpy(),
            "downtime_seconds": down.to_numpy(),
            "up_seconds": (seconds - down).to_numpy(),
            # downtime is judged per month: a quarter's value is the mean over its months
            "downtime_minutes": down.to_numpy() / 60,
            "months": 1.0,
        }
    )
    inc = facts.incidents
    if not inc.empty:
        ended = inc.loc[~inc["open"]]
        per = ended.groupby("month_key").agg(
            incidents_ended=("duration", "size"),
            incident_minutes=("duration", lambda d: float(d.sum()) / 60),
            incidents_in_time=("restored_in_time", "sum"),
        )
        per = per.reindex(keys, fill_value=0)
        for col in per.columns:
            overall[col] = per[col].to_numpy(dtype="float64")
    services = sorted(facts.outages["service"].dropna().unique()) if not facts.outages.empty else []
    if not services:
        return overall
    grid = pd.MultiIndex.from_product([keys, services], names=["period", "member"])
    by = facts.downtime_by_service.rename(columns={"month_key": "period", "service": "member"})
    svc_down = by.groupby(["period", "member"])["seconds"].sum().reindex(grid, fill_value=0.0)
    per_service = svc_down.rename("downtime_seconds").reset_index()
    per_service["dimension"] = "service"
    per_service["member"] = per_service["member"].astype(str)
    per_service["month_seconds"] = per_service["period"].map(seconds).to_numpy()
    per_service["up_seconds"] = per_service["month_seconds"] - per_service["downtime_seconds"]
    per_service["downtime_minutes"] = per_service["downtime_seconds"] / 60
    per_service["months"] = 1.0
    return pd.concat([overall, per_service], ignore_index=True)


def _with_measures(
    values: pd.DataFrame,
    data: Dataset,
    presence: dict[str, str | None],
    keys: list[int],
    custom: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Reported measures give the value of measure KPIs, and of others whose source is absent.

    A quarter's measure is the mean of its months' reported values.
    """
    measures = measure_values(data)
    reported_kpis = {*MEASURE_KPIS, *custom}
    usable = measures["kpi"].isin([k for k in presence if k in reported_kpis or presence.get(k) is not None])
    measures = measures.loc[usable & measures["month"].isin({month_label(k) for k in keys})]
    if measures.empty:
        return values
    monthly = measures.groupby(["month", "kpi"], as_index=False)[["value"]].first()
    monthly["quarter"] = monthly["month"].map(lambda m: quarter_of(month_key(m)))
    quarterly = monthly.groupby(["quarter", "kpi"], as_index=False)[["value"]].mean()
    reported = pd.concat(
        [
            monthly.rename(columns={"month": "period"})[["period", "kpi", "value"]],
            quarterly.rename(columns={"quarter": "period"}),
        ],
        ignore_index=True,
    ).set_index(["period", "kpi"])["value"]
    overall = values["dimension"] == "all"
    index = pd.MultiIndex.from_arrays([values["period"], values["kpi"]])
    found = pd.Series(reported.reindex(index).to_numpy(), index=values.index)
    hit = overall & found.notna()
    values.loc[hit, "value"] = found[hit]
    values.loc[hit, "no_data"] = ""
    return values


def period_distributions(tickets: pd.DataFrame) -> pd.DataFrame:
    if tickets.empty:
        return pd.DataFrame()
    months = distributions(tickets.assign(period=tickets["month"]))
    quarter = tickets["month_key"].map({k: quarter_of(k) for k in tickets["month_key"].unique()})
    quarters = distributions(tickets.assign(period=quarter))
    return pd.concat([months, quarters], ignore_index=True)


def filtered_values(
    evaluation: Evaluation, data: Dataset, filters: dict[str, list[str]], months: Iterable[int] | None = None
) -> pd.DataFrame:
    """KPI values recomputed on the tickets and responses that match the filters (not verdicts).

    months: only these month keys (and the quarters they complete) — what a screen shows, when it
    needs less than the whole evaluation.
    """
    # only the columns the counts read are copied (a million tickets have some 40 columns), and each
    # frame once, with every filter's mask combined
    keys = sorted(set(months)) if months is not None else [k for m in evaluation.months for k in m.keys]
    only = None if months is None else keys
    tickets = _matching(evaluation.tickets, filters, [*TICKET_COLUMNS[1:], "month_key"], only)
    responses = _matching(evaluation.responses, filters, [*SURVEY_COLUMNS[1:], "month_key", "excluded"], only)
    shares = _matching(evaluation.shares, filters, list(custom_kpis.SHARE_COLUMNS), only)
    contract = evaluation.contract
    return compute_values(
        tickets,
        responses,
        evaluation.outages,
        kpi_presence(contract, data),
        keys,
        contract,
        data,
        shares,
        evaluation.presence,
    )


def _matching(
    frame: pd.DataFrame, filters: dict[str, list[str]], columns: list[str], months: list[int] | None = None
) -> pd.DataFrame:
    """The rows whose breakdown members the filters allow (in the given months), with the given columns."""
    if frame.empty:
        return frame
    keep = np.ones(len(frame), dtype=bool)
    if months is not None:
        keep &= np.isin(frame["month_key"].to_numpy(), months)
    for dim, members in filters.items():
        if dim in DIMENSIONS and members:
            keep &= frame[dim].fillna("").isin(members).to_numpy(dtype=bool)
    return frame[[c for c in dict.fromkeys(columns) if c in frame.columns]].loc[keep]
