"""Months and quarters in the contract's zone, as labels and as UTC instants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


def month_key(label: str) -> int:
    """'2026-03' → 2026*12 + 2 (a dense integer, so ranges are arithmetic)."""
    m = MONTH_RE.match(label)
    if not m:
        raise ValueError(f"not a month like 2026-03: {label!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_label(key: int) -> str:
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


def month_first_day(key: int) -> date:
    return date(key // 12, key % 12 + 1, 1)


def month_last_day(key: int) -> date:
    return month_first_day(key + 1) - timedelta(days=1)


def quarter_of(key: int) -> str:
    return f"{key // 12}Q{key % 12 // 3 + 1}"


def quarter_months(label: str) -> list[int]:
    m = QUARTER_RE.match(label)
    if not m:
        raise ValueError(f"not a quarter like 2026Q3: {label!r}")
    first = int(m.group(1)) * 12 + (int(m.group(2)) - 1) * 3
    return [first, first + 1, first + 2]


def local_midnight(day: date, zone: ZoneInfo) -> float:
    return datetime.combine(day, time(0), tzinfo=zone).timestamp()


def month_start(key: int, zone: ZoneInfo) -> float:
    return local_midnight(month_first_day(key), zone)


def month_seconds(key: int, zone: ZoneInfo) -> int:
    """Real length of a local month (a DST month is an hour shorter or longer)."""
    return int(month_start(key + 1, zone) - month_start(key, zone))


@dataclass(frozen=True)
class MonthGrid:
    """Local month boundaries as UTC epochs, for vectorised month assignment."""

    first: int  # month key of boundaries[0]
    boundaries: np.ndarray  # epochs of month starts first..last+1

    @classmethod
    def spanning(cls, first_key: int, last_key: int, zone: ZoneInfo) -> MonthGrid:
        keys = range(first_key, last_key + 2)
        return cls(first_key, np.array([month_start(k, zone) for k in keys], dtype="float64"))

    def key_of(self, epochs: np.ndarray) -> np.ndarray:
        """Month key of each instant (−1 where NaN)."""
        idx = np.searchsorted(self.boundaries, epochs, side="right") - 1
        return np.where(np.isnan(epochs), -1, idx + self.first).astype("int64")


def epochs(series: pd.Series) -> np.ndarray:
    """A UTC timestamp column → float64 epoch seconds, NaN for blanks."""
    if len(series) == 0:
        return np.zeros(0, dtype="float64")
    values = series.astype("datetime64[s, UTC]")
    out = (
        values.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))
        .astype("int64")
        .astype("float64")
    )
    out[values.isna().to_numpy()] = np.nan
    return out


def key_of_instant(epoch: float, zone: ZoneInfo) -> int:
    local = datetime.fromtimestamp(epoch, zone)
    return local.year * 12 + local.month - 1


def iso_local(epoch: float, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).isoformat()
