"""One column's raw cells split by type once (`Cells`: text, blanks, Excel errors, numbers, instants,
durations, booleans), missing-value markers and Excel errors recognised in any case; text as Arrow and as
numbers, vectorised."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.ingest.synonyms import EXCEL_ERRORS, MISSING_MARKERS

DateOrder = Literal["dmy", "mdy"]
EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")
SERIAL_MIN = 20000.0  # 1954-10-04: smaller numbers in a time column are durations, not times
SERIAL_MAX = 2958466.0  # 10000-01-01
SECONDS: Final = "datetime64[s]"


def _case_variants(words: frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        letters = [(c.lower(), c.upper()) if c.isalpha() else (c,) for c in word]
        if sum(len(x) > 1 for x in letters) <= 6:
            out.update("".join(p) for p in itertools.product(*letters))
        out.update({word, word.lower(), word.upper(), word.title()})
    return frozenset(out)


_MISSING = sorted(_case_variants(MISSING_MARKERS))
_ERRORS = sorted({*EXCEL_ERRORS, *(e.lower() for e in EXCEL_ERRORS), *(e.title() for e in EXCEL_ERRORS)})


@dataclass
class Cells:
    """One column's cells (index = spreadsheet row numbers), split by what the file says they are."""

    raw: pd.Series
    text: pd.Series  # str: stripped text cells; NA for blank, missing markers, errors and non-text
    blank: pd.Series  # bool: nothing in the cell (blank or a missing-value marker)
    error: pd.Series  # bool: an Excel error value (#N/A, #DIV/0! …)
    num: pd.Series | None = None  # float64: number cells (NaN elsewhere); None when there are none
    when: pd.Series | None = None  # datetime64[s]: date/datetime cells
    span: pd.Series | None = None  # float64 seconds: time-of-day and duration cells
    flag: pd.Series | None = None  # boolean: TRUE/FALSE cells

    @property
    def present(self) -> pd.Series:
        return ~(self.blank | self.error)

    def display(self, rows: list[int]) -> list[str]:
        """The cells of some rows as written, for messages."""
        return [_show(v) for v in self.raw.loc[rows].tolist()]


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return "" if value is None or value is pd.NA else str(value).strip()


def _text_parts(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        return _arrow_text_parts(text)
    stripped = text.str.strip()
    blank = (stripped.isna() | stripped.isin(_MISSING)).astype(bool)
    error = stripped.isin(_ERRORS).fillna(False).astype(bool)
    return stripped.where(~(blank | error)), blank, error


_MARKERS = pa.array(_MISSING + _ERRORS, type=pa.large_string())


def _numpy(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return np.asarray(values.to_numpy(zero_copy_only=False))


def _arrow_text_parts(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """_text_parts in Arrow (CSV columns): one lookup in the missing markers and error texts together
    instead of two, and no pandas wrappers — 30% less time per column of a million rows."""
    stripped = pc.utf8_trim_whitespace(text.array._pa_array)  # what Series.str.strip does
    found = _numpy(pc.index_in(stripped, value_set=_MARKERS.cast(stripped.type)).fill_null(-1))
    blank = _numpy(stripped.is_null()) | ((found >= 0) & (found < len(_MISSING)))
    error = found >= len(_MISSING)
    kept = pc.if_else(pa.array(blank | error), pa.scalar(None, stripped.type), stripped)
    return (
        pd.Series(kept, index=text.index, dtype=text.dtype),
        pd.Series(blank, index=text.index),
        pd.Series(error, index=text.index),
    )


def text_typed(raw: pd.Series) -> pd.Series:
    """A grid column holding only text (an Excel column of text: calamine reads its blanks as '') as
    pandas' Arrow-backed str, converted once, so that the presets and `cells` both work in Arrow."""
    values = raw.to_numpy(dtype=object) if raw.dtype == object else None
    if values is not None and len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        # every cell a str (no None): Arrow takes them as they are, without astype's per-cell checks
        return pd.Series(
            pa.array(values, type=pa.large_string()), index=raw.index, dtype="str", name=raw.name
        )
    return raw


def cells(raw: pd.Series) -> Cells:
    """Split a raw grid column into typed parts."""
    as_text = text_typed(raw)  # only text (a CSV column, an Excel column of text): no typing cell by cell
    if isinstance(as_text.dtype, pd.StringDtype):
        text, blank, error = _text_parts(as_text)
        return Cells(raw=raw, text=text, blank=blank.astype(bool), error=error.astype(bool))
    codes, kinds = pd.factorize(raw.map(type))

    def of_type(*wanted: type) -> np.ndarray:
        return np.isin(codes, [i for i, k in enumerate(kinds) if k in wanted])

    is_str = of_type(str)
    text_part = raw[is_str].astype(str)
    text, blank, error = _text_parts(text_part)
    full_text = pd.Series(pd.NA, index=raw.index, dtype="str")
    full_text[is_str] = text
    full_blank = pd.Series(True, index=raw.index)
    full_blank[is_str] = blank.to_numpy()
    full_error = pd.Series(False, index=raw.index)
    full_error[is_str] = error.to_numpy()
    out = Cells(raw=raw, text=full_text, blank=full_blank, error=full_error)
    is_num = of_type(float, int)
    if is_num.any():
        out.num = pd.Series(np.nan, index=raw.index)
        out.num[is_num] = raw[is_num].astype(float).to_numpy()
    is_when = of_type(dt.datetime, dt.date, pd.Timestamp)
    if is_when.any():
        values = pd.to_datetime(pd.Series(raw[is_when].tolist(), index=raw.index[is_when]))
        out.when = pd.Series(pd.NaT, index=raw.index, dtype=SECONDS)
        out.when[is_when] = values.dt.round("s").astype(SECONDS).to_numpy()
    is_span = of_type(dt.time, dt.timedelta)
    if is_span.any():
        out.span = pd.Series(np.nan, index=raw.index)
        out.span[is_span] = [
            v.total_seconds() if isinstance(v, dt.timedelta) else v.hour * 3600 + v.minute * 60 + v.second
            for v in raw[is_span]
        ]
    is_flag = of_type(bool)
    if is_flag.any():
        out.flag = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        out.flag[is_flag] = raw[is_flag].astype(bool).to_numpy()
    full_blank[is_num | is_when | is_span | is_flag] = False
    return out


def arrow_text(text: pd.Series) -> pa.Array:
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        return pa.array(text.array)
    objects = text.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]  # stubs: na_value=None is valid
    return pa.array(objects, type=pa.string())


def to_float(text: pd.Series) -> pd.Series:
    """Numbers from text; NaN where the text is not a number."""
    if text.isna().all():
        return pd.Series(np.nan, index=text.index)
    try:
        values = pc.cast(arrow_text(text), pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(values, index=text.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text, errors="coerce").astype(float)
