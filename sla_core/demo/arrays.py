"""Vectorised helpers of the generator: months and instants as epoch seconds, exact quotas per group,
and numpy codes turned into the canonical columns (timestamps, strings, ids) fast for a million rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.contract import Priority, Terms


def _month_list(months: tuple[str, str]) -> list[tuple[int, int]]:
    try:
        first, last = (datetime.strptime(m, "%Y-%m") for m in months)
    except ValueError:
        raise ValueError(f"months must be ('YYYY-MM', 'YYYY-MM'), got {months!r}") from None
    out: list[tuple[int, int]] = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if not out:
        raise ValueError(f"months {months!r}: the first month is after the last")
    return out


def _priority(terms: Terms, pid: str) -> Priority:
    found = terms.priority(pid)
    if found is None:  # the demo contract names every priority the generator uses
        raise ValueError(f"the demo contract has no priority {pid}")
    return found


def _epoch(local: datetime, zone: ZoneInfo) -> float:
    return local.replace(tzinfo=zone).timestamp()


def _local(text: str, zone: ZoneInfo) -> float:
    return _epoch(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"), zone)


def _rank_in_group(
    group: np.ndarray, n_groups: int, eligible: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A random rank 0.. within each group for eligible rows (-1 elsewhere) and the eligible count per group."""
    idx = np.flatnonzero(eligible)
    g = group[idx]
    order = np.argsort(g + rng.random(idx.size))  # by group, randomly within it (one float sort: fast)
    g_sorted = g[order]
    counts = np.bincount(g_sorted, minlength=n_groups)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.full(group.size, -1, dtype=np.int64)
    rank[idx[order]] = np.arange(idx.size) - first[g_sorted]
    return rank, counts


def _pick(
    group: np.ndarray, n_groups: int, eligible: np.ndarray, k: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Exactly min(k[g], eligible in g) random eligible rows of each group g."""
    rank, _ = _rank_in_group(group, n_groups, eligible, rng)
    picked: np.ndarray = (rank >= 0) & (rank < k[group])
    return picked


def _largest_remainder(p: Sequence[float], n: int) -> np.ndarray:
    raw = np.asarray(p, dtype="float64") * n
    counts: np.ndarray = np.floor(raw).astype(np.int64)
    short = n - int(counts.sum())
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def _ts(seconds: np.ndarray) -> pd.Series:
    """Epoch seconds (NaN = blank) → datetime64[s, UTC]."""
    out = np.full(seconds.shape, np.datetime64("NaT"), dtype="datetime64[s]")
    ok = ~np.isnan(seconds)
    out[ok] = np.rint(seconds[ok]).astype(np.int64).astype("datetime64[s]")
    return pd.Series(out).dt.tz_localize("UTC")


def _string(array: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([array.cast(pa.large_string())])))


def _text(codes: np.ndarray, labels: Sequence[str]) -> pd.Series:
    """Small-vocabulary codes (-1 = blank) → string column, fast for a million rows (arrow take)."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(codes, mask=codes < 0)
    return _string(pc.take(pa.array(list(labels), type=pa.large_string()), indices))


def _ids(prefix: str, head_code: np.ndarray, heads: Sequence[str], seq: np.ndarray, width: int) -> pd.Series:
    """prefix + heads[head_code] + seq zero-padded to width, e.g. GD202601000001."""
    head = pc.take(pa.array([prefix + h for h in heads], type=pa.large_string()), pa.array(head_code))
    number = pc.utf8_lpad(pa.array(np.asarray(seq, dtype=np.int64)).cast(pa.large_string()), width, "0")
    return _string(pc.binary_join_element_wise(head, number, pa.scalar("", pa.large_string())))


def _month_of(t: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    return np.searchsorted(bounds, t, side="right") - 1
