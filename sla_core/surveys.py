"""Survey responses: month, integrity flags, exclusions, and the ticket attributes for breakdowns.

Flags (spec "Rule (surveys)") never remove a response by themselves: flagged responses count until
the user excludes them, and each exclusion records who and why.
- duplicate: the same ticket_id, or the same respondent on the same local day when there is no
  ticket_id; all but the earliest are flagged;
- straight_lining: ≥ 3 dimension scores, all equal;
- speeder: duration below a third of the month's median duration;
- out_of_scale: a dimension score outside [min, scale].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.contract import Contract
from sla_core.dataset import DIMENSION_PREFIX, Dataset
from sla_core.periods import MonthGrid, epochs

FLAGS = ("duplicate", "straight_lining", "speeder", "out_of_scale")


@dataclass(frozen=True)
class Exclusion:
    response_id: str
    by: str
    reason: str


def dimension_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith(DIMENSION_PREFIX)]


def prepare_responses(
    contract: Contract,
    data: Dataset,
    as_of: float,
    grid: MonthGrid,
    exclusions: list[Exclusion],
    tickets: pd.DataFrame | None,
) -> pd.DataFrame:
    """One row per response submitted by as_of, with month_key, flags, excluded and ticket attributes."""
    surveys = data.surveys
    if surveys is None or surveys.empty:
        return pd.DataFrame()
    submitted = epochs(surveys["submitted_at"])
    keep = submitted <= as_of
    s = surveys.loc[keep].reset_index(drop=True).copy()
    s["submitted"] = submitted[keep]
    s["month_key"] = grid.key_of(s["submitted"].to_numpy())
    terms = contract.base.surveys
    dims = dimension_columns(s)

    flags = pd.DataFrame(False, index=s.index, columns=list(FLAGS))
    order = s.sort_values(["submitted", "_row"]).index
    by_ticket = s.loc[order, "ticket_id"]
    dup_ticket = by_ticket.notna() & by_ticket.duplicated(keep="first")
    local_day = pd.to_datetime(s["submitted"], unit="s", utc=True).dt.tz_convert(contract.zone).dt.date
    no_ticket = s.loc[order, "ticket_id"].isna() & s.loc[order, "respondent"].notna()
    pair = pd.DataFrame({"r": s.loc[order, "respondent"], "d": local_day.loc[order]})
    dup_respondent = no_ticket & pair.duplicated(keep="first") & no_ticket
    flags.loc[order, "duplicate"] = (dup_ticket | dup_respondent).to_numpy()

    if len(dims) >= 3:
        values = s[dims].astype("Float64")
        complete = values.notna().all(axis=1)
        flags["straight_lining"] = (complete & (values.max(axis=1) == values.min(axis=1))).fillna(False)
        low, high = float(terms.min), float(terms.scale)
        outside = ((values < low) | (values > high)).fillna(False).any(axis=1)
        flags["out_of_scale"] = outside.to_numpy(dtype=bool)
    elif dims:
        values = s[dims].astype("Float64")
        outside = ((values < float(terms.min)) | (values > float(terms.scale))).fillna(False).any(axis=1)
        flags["out_of_scale"] = outside.to_numpy(dtype=bool)

    duration = s["duration_seconds"].astype("Float64")
    if duration.notna().any():
        median = duration.groupby(s["month_key"]).transform("median")
        flags["speeder"] = (duration < median / 3).fillna(False).to_numpy(dtype=bool)

    s["flags"] = _flag_text(flags)
    excluded_ids = {e.response_id: e for e in exclusions}
    s["excluded"] = s["response_id"].isin(list(excluded_ids)).to_numpy(dtype=bool)
    if excluded_ids:
        s["excluded_by"] = s["response_id"].map({k: e.by for k, e in excluded_ids.items()}).astype("string")
        s["exclusion_reason"] = (
            s["response_id"].map({k: e.reason for k, e in excluded_ids.items()}).astype("string")
        )
    else:  # nothing excluded: no need to look every response up
        s["excluded_by"] = pd.Series(pd.NA, index=s.index, dtype="string")
        s["exclusion_reason"] = pd.Series(pd.NA, index=s.index, dtype="string")
    return _with_ticket_attributes(s, tickets)


def _flag_text(flags: pd.DataFrame) -> pd.Series:
    """'duplicate,speeder'… per response: each row's combination of flags as a bit pattern, then the
    text of each of the 16 patterns looked up (joining strings row by row costs a second at 400,000)."""
    bits = np.zeros(len(flags), dtype="int64")
    for i, f in enumerate(FLAGS):
        bits |= flags[f].to_numpy(dtype=bool).astype("int64") << i
    texts = pd.array(
        [",".join(f for i, f in enumerate(FLAGS) if code >> i & 1) for code in range(1 << len(FLAGS))],
        dtype="string",
    )
    return pd.Series(texts.take(bits), index=flags.index, dtype="string")


def _with_ticket_attributes(s: pd.DataFrame, tickets: pd.DataFrame | None) -> pd.DataFrame:
    """Priority, category and customer come from the surveyed ticket; channel and team too when blank."""
    if tickets is None or tickets.empty or s["ticket_id"].isna().all():
        for col in ("priority", "category", "customer"):
            s[col] = pd.Series(pd.NA, index=s.index, dtype="string")
        return s
    # the first ticket with the response's ticket_id (Arrow's index_in: a hash lookup, where
    # drop_duplicates + reindex on a million string keys took seconds)
    position = pc.index_in(arrow_text(s["ticket_id"]), value_set=arrow_text(tickets["ticket_id"]))
    rows = position.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")

    def joined(col: str) -> pd.Series:
        values = tickets[col].astype("string").array.take(rows, allow_fill=True)
        return pd.Series(values, index=s.index, dtype="string")

    for col in ("priority", "category", "customer"):
        s[col] = joined(col)
    for col in ("team", "channel"):
        s[col] = s[col].astype("string").fillna(joined(col))
    return s


def arrow_text(series: pd.Series) -> pa.Array:
    """A text column as one Arrow large_string array (nulls for blanks), for Arrow's set lookups."""
    values = pa.array(series.astype("string[pyarrow]").array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.cast(pa.large_string())
