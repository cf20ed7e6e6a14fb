"""Vectorised parsing of one column's raw cells into typed values, with masks of the rows that failed.

Nothing here loops over rows in Python for CSV input (all text): pandas/pyarrow string kernels,
`to_datetime` with explicit formats and RE2 extraction do the work. Excel cells arrive as Python objects
(calamine builds them one by one anyway); they are split by type once, then handled the same way.
Low-cardinality columns (booleans, priorities, categories) are mapped through their distinct values.

This module parses text, numbers, durations and booleans; cells are split by type in `values_cells`,
timestamps and months parsed in `values_time` (their names re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sla_core.ingest.synonyms import FALSE_WORDS, TRUE_WORDS
from sla_core.ingest.values_cells import Cells, DateOrder, cells, text_typed, to_float
from sla_core.ingest.values_time import Instants, Naive, decide_order, localize, naive_timestamps, parse_month

__all__ = [
    "Booleans",
    "Cells",
    "DateOrder",
    "Instants",
    "Naive",
    "Numbers",
    "cells",
    "decide_order",
    "localize",
    "naive_timestamps",
    "parse_bool",
    "parse_duration_seconds",
    "parse_month",
    "parse_number",
    "parse_text",
    "text_typed",
]

# ---------------------------------------------------------------- text


def _format_numbers(num: pd.Series) -> pd.Series:
    integral = num.notna() & (num == np.floor(num)) & (num.abs() < 2**53)
    out = num.astype(str).astype("str")
    out[integral] = num[integral].astype("int64").astype(str).to_numpy()
    return out.where(num.notna())


def parse_text(c: Cells) -> pd.Series:
    """Text as written (verbatim: formulas and SQL-looking text are just text); numbers without `.0`."""
    out = c.text.astype("string")
    if c.num is not None:
        has = c.num.notna()
        out[has] = _format_numbers(c.num[has]).to_numpy()
    if c.when is not None:
        has = c.when.notna()
        shown = c.when[has].dt.strftime("%Y-%m-%d %H:%M:%S").str.removesuffix(" 00:00:00")
        out[has] = shown.to_numpy()
    if c.flag is not None:
        has = c.flag.notna()
        out[has] = np.where(c.flag[has].to_numpy(dtype=bool), "TRUE", "FALSE")
    if c.span is not None:
        has = c.span.notna()
        out[has] = np.array([_hms(s) for s in c.span[has]], dtype=object)
    return out


def _hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


# ---------------------------------------------------------------- numbers


@dataclass
class Numbers:
    value: pd.Series  # Float64
    bad: pd.Series  # bool: present but not a number
    percent: pd.Series  # bool: written with %


def parse_number(c: Cells, *, spans: bool = False) -> Numbers:
    """Numbers; `99.5%` → 0.995 (marked as percent). Time/duration cells count only when `spans`."""
    text = c.text
    percent = text.str.endswith("%").fillna(False).astype(bool)
    body = text.where(~percent, text.str.removesuffix("%").str.strip())
    value = to_float(body)
    value = value.where(~percent, value / 100)
    if c.num is not None:
        value = value.fillna(c.num)
    if spans and c.span is not None:
        value = value.fillna(c.span)
    value = value.where(np.isfinite(value.to_numpy(dtype=float, na_value=np.nan)))
    bad = c.present & value.isna()
    return Numbers(value=value.astype("Float64"), bad=bad, percent=percent)


def parse_duration_seconds(c: Cells) -> Numbers:
    """Seconds, or `mm:ss` / `hh:mm:ss` text."""
    result = parse_number(c, spans=True)
    clock = c.text.str.fullmatch(r"\d{1,3}:\d{2}(?::\d{2})?").fillna(False).astype(bool) & result.bad
    if clock.any():
        parts = c.text[clock].str.split(":", expand=True).apply(pd.to_numeric).to_numpy(dtype=float)
        if parts.shape[1] == 2:
            parts = np.column_stack([np.zeros(len(parts)), parts])
        hours = np.where(np.isnan(parts[:, 2]), 0, parts[:, 0])  # mm:ss when there is no third part
        minutes = np.where(np.isnan(parts[:, 2]), parts[:, 0], parts[:, 1])
        seconds = np.where(np.isnan(parts[:, 2]), parts[:, 1], parts[:, 2])
        result.value[clock] = hours * 3600 + minutes * 60 + seconds
        result.bad = result.bad & ~clock
    return result


# ---------------------------------------------------------------- booleans


@dataclass
class Booleans:
    value: pd.Series  # bool, blank = False
    bad: pd.Series


def _word(text: object) -> str:
    return "".join(str(text).casefold().split())


def parse_bool(c: Cells) -> Booleans:
    """true/false, 是/否, Y/N, yes/no, 1/0 (any case); blank is false; anything else is bad."""
    codes, uniques = pd.factorize(c.text)
    words = [_word(u) for u in uniques]
    lookup = np.array([w in TRUE_WORDS for w in words] + [False])
    known = np.array([w in TRUE_WORDS or w in FALSE_WORDS for w in words] + [True])
    value = lookup[codes]
    bad = ~known[codes]
    if c.num is not None:
        num = c.num.to_numpy(dtype=float)
        value = value | (num == 1)
        bad = bad | (~np.isnan(num) & (num != 0) & (num != 1))
    if c.flag is not None:
        value = value | c.flag.fillna(False).to_numpy(dtype=bool)
    for other in (c.when, c.span):
        if other is not None:
            bad = bad | other.notna().to_numpy(dtype=bool)
    index = c.text.index
    return Booleans(value=pd.Series(value, index=index), bad=pd.Series(bad, index=index))
