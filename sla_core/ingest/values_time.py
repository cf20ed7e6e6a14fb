"""Timestamps and months from one column's cells, vectorised: Excel serials, the common formats on a
fast path, anything else by RE2 extraction (day-first or month-first decided from the column as a whole),
offsets kept; naive local times → UTC instants in the contract's zone, DST gaps and folds flagged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.ingest.values_cells import (
    EXCEL_EPOCH,
    SECONDS,
    SERIAL_MAX,
    SERIAL_MIN,
    Cells,
    DateOrder,
    arrow_text,
    to_float,
)

FAST_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)
# day-first and month-first forms that strptime can read fast: (d/m/y, m/d/y) pairs
ORDERED_FORMATS = tuple(
    (f"%d{sep}%m{sep}%Y{clock}", f"%m{sep}%d{sep}%Y{clock}")
    for sep in ("/", "-", ".")
    for clock in (" %H:%M:%S", " %H:%M", "")
)
_DATE = (
    r"(?:(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y2>\d{4})"
    r"|(?P<d3>\d{1,2})[-/ ]?(?P<mon>[A-Za-z]{3,9})\.?[-/ ,]*(?P<y3>\d{4}|\d{2})"
    r"|(?P<mon2>[A-Za-z]{3,9})\.?\s+(?P<d4>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{4}))"
)
_TIME = (
    r"(?:(?:T|\s+|,\s*)(?P<ap1>上午|下午|凌晨|晚上)?\s*(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})"
    r"(?:\s*[:分]\s*(?P<S>\d{1,2})(?:[.,]\d{1,9})?)?\s*[分秒]?\s*(?P<ap2>[AaPp]\.?[Mm]\.?)?)?"
)
_ZONE = r"\s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
TIMESTAMP_PATTERN = rf"^\s*{_DATE}{_TIME}{_ZONE}\s*$"
_MONTHS = pa.array(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])


@dataclass
class Naive:
    """Timestamps as written: naive wall-clock time, plus the UTC offset when the text gave one."""

    value: pd.Series  # datetime64[s]
    offset: pd.Series  # float seconds east of UTC; NaN = naive (the contract's zone)
    bad: pd.Series  # present but not a date/time
    duration: pd.Series  # looks like a duration (small number, time of day, h:mm)
    unresolved: pd.Series  # day/month order unknown (column-level problem)
    order: str | None  # "dmy" / "mdy" used for a/b/yyyy dates; "ambiguous" or "conflict" when unknown


def _field(parts: pa.StructArray, name: str) -> np.ndarray:
    f = pc.struct_field(parts, name)
    f = pc.if_else(pc.equal(f, ""), pa.scalar(None, pa.string()), f)
    return np.asarray(pc.cast(f, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def _text_field(parts: pa.StructArray, name: str) -> pa.Array:
    return pc.struct_field(parts, name)


def _assemble(
    y: np.ndarray, mo: np.ndarray, d: np.ndarray, h: np.ndarray, mi: np.ndarray, s: np.ndarray
) -> np.ndarray:
    ok = ~(np.isnan(y) | np.isnan(mo) | np.isnan(d)) & (h <= 23) & (mi <= 59) & (s <= 59)
    frame = pd.DataFrame(
        {
            "year": np.where(ok, y, 2000),
            "month": np.where(ok, mo, 1),
            "day": np.where(ok, d, 1),
            "hour": np.where(ok, h, 0),
            "minute": np.where(ok, mi, 0),
            "second": np.where(ok, s, 0),
        }
    )
    frame = frame.astype("int64")
    when = pd.to_datetime(frame, errors="coerce").to_numpy(dtype="datetime64[s]")
    when[~ok] = np.datetime64("NaT")
    return when


def decide_order(dm_proof: bool, md_proof: bool, date_order: DateOrder | None) -> str:
    """The day/month order the values prove, else the preset's; "ambiguous" or "conflict" otherwise."""
    if dm_proof and md_proof:
        return "conflict"
    if dm_proof:
        return "dmy"
    if md_proof:
        return "mdy"
    return date_order or "ambiguous"


def _parse_general(
    text: pd.Series, date_order: DateOrder | None, proven: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str | None]:
    """(naive datetime64[s], offset seconds, a/b-date rows, order) for text the fast formats did not read."""
    parts = pc.extract_regex(arrow_text(text), TIMESTAMP_PATTERN)
    n = len(text)
    y, mo, d = _field(parts, "y"), _field(parts, "m"), _field(parts, "d")
    a, b, y2 = _field(parts, "a"), _field(parts, "b"), _field(parts, "y2")
    ab = ~np.isnan(a)
    order: str | None = None
    if ab.any():
        dm_proof = bool((a[ab] > 12).any()) or proven == "dmy"
        md_proof = bool((b[ab] > 12).any()) or proven == "mdy"
        order = decide_order(dm_proof, md_proof, date_order)
        if order in ("dmy", "mdy"):
            day, month = (a, b) if order == "dmy" else (b, a)
            y = np.where(ab, y2, y)
            mo = np.where(ab, month, mo)
            d = np.where(ab, day, d)
    # month names: 01/Oct/26, 1 Oct 2026, Oct 1, 2026
    for dname, mname, yname in (("d3", "mon", "y3"), ("d4", "mon2", "y4")):
        day = _field(parts, dname)
        has = ~np.isnan(day)
        if has.any():
            names = pc.utf8_slice_codeunits(pc.utf8_lower(_text_field(parts, mname)), 0, 3)
            month = pc.index_in(names, value_set=_MONTHS).to_numpy(zero_copy_only=False)
            month = np.asarray(pd.array(month, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)) + 1
            year = _field(parts, yname)
            year = np.where(year < 100, year + 2000, year)
            y, mo, d = np.where(has, year, y), np.where(has, month, mo), np.where(has, day, d)
    h, mi, s = (np.nan_to_num(_field(parts, k)) for k in ("H", "M", "S"))
    ap1 = pc.struct_field(parts, "ap1")
    ap2 = pc.utf8_lower(pc.utf8_slice_codeunits(pc.struct_field(parts, "ap2"), 0, 1))
    pm = np.asarray(pc.fill_null(pc.is_in(ap1, value_set=pa.array(["下午", "晚上"])), False)) | np.asarray(
        pc.fill_null(pc.equal(ap2, "p"), False)
    )
    am = np.asarray(pc.fill_null(pc.is_in(ap1, value_set=pa.array(["上午", "凌晨"])), False)) | np.asarray(
        pc.fill_null(pc.equal(ap2, "a"), False)
    )
    bad_ap = (am | pm) & ((h > 12) | (h == 0))
    h = np.where(pm & (h < 12), h + 12, np.where(am & (h == 12), 0, h))
    h = np.where(bad_ap, 99, h)
    when = _assemble(y, mo, d, h, mi, s) if n else np.array([], dtype="datetime64[s]")
    if order in ("ambiguous", "conflict"):
        when[ab] = np.datetime64("NaT")
    tz = pc.struct_field(parts, "tz")
    offset = np.full(n, np.nan)
    has_tz = np.asarray(pc.fill_null(pc.not_equal(tz, ""), False))
    if has_tz.any():
        tz_text = pd.Series(tz.to_numpy(zero_copy_only=False)[has_tz], dtype="str")
        utc_like = tz_text.str.upper().isin(["Z", "UTC", "GMT"])
        digits = tz_text.str.replace(":", "", regex=False)
        sign = np.where(digits.str[0] == "-", -1, 1)
        hours = pd.to_numeric(digits.str[1:3], errors="coerce").fillna(0).to_numpy()
        minutes = pd.to_numeric(digits.str[3:5], errors="coerce").fillna(0).to_numpy()
        off = np.where(utc_like.to_numpy(dtype=bool), 0, sign * (hours * 3600 + minutes * 60))
        offset[has_tz] = off
    return when, offset, ab, order


def naive_timestamps(c: Cells, date_order: DateOrder | None = None) -> Naive:
    """Every way a time can be written, read as wall-clock time (plus an offset where one was written)."""
    index = c.text.index
    n = len(index)
    value = np.full(n, np.datetime64("NaT"), dtype=SECONDS)
    offset = np.full(n, np.nan)
    duration = np.zeros(n, dtype=bool)
    unresolved = np.zeros(n, dtype=bool)
    order: str | None = None
    text = c.text
    todo = text.notna().to_numpy(dtype=bool, copy=True)
    proven: str | None = None
    if todo.any():
        proven = order = _fast_path(text, todo, value, offset, date_order)
    if todo.any():
        where = np.flatnonzero(todo)
        when, off, ab, general_order = _parse_general(text.iloc[where], date_order, proven)
        order = general_order or order
        ok = ~np.isnat(when)
        value[where[ok]] = when[ok]
        offset[where] = off
        settled = ok.copy()
        if general_order in ("ambiguous", "conflict"):
            unresolved[where[ab]] = True
            settled |= ab
        todo[where[settled]] = False
    if todo.any():  # numbers written as text: Excel serials, or durations
        where = np.flatnonzero(todo)
        numeric = to_float(text.iloc[where]).to_numpy(dtype=float)
        is_number = ~np.isnan(numeric)
        small = is_number & (numeric < SERIAL_MIN)
        serial = np.where(is_number & ~small & (numeric < SERIAL_MAX), numeric, np.nan)
        value[where] = np.where(np.isnat(value[where]), _from_serial(serial), value[where])
        duration[where[small]] = True
        todo[where[is_number & (numeric < SERIAL_MAX)]] = False
    if todo.any():
        where = np.flatnonzero(todo)
        clock = text.iloc[where].str.fullmatch(r"\d{1,3}:\d{2}(?::\d{2}(?:\.\d+)?)?").fillna(False)
        clock_mask = clock.to_numpy(dtype=bool)
        duration[where[clock_mask]] = True
        todo[where[clock_mask]] = False
    bad = todo
    if c.when is not None:
        when_cells = c.when.to_numpy(dtype=SECONDS)
        value = np.where(np.isnat(value), when_cells, value)
    if c.num is not None:
        num = c.num.to_numpy(dtype=float)
        has = ~np.isnan(num)
        small = has & (num < SERIAL_MIN)
        duration |= small
        serial = np.where(has & ~small & (num < SERIAL_MAX), num, np.nan)
        value = np.where(np.isnat(value), _from_serial(serial), value)
        bad = bad | (has & (num >= SERIAL_MAX))
    if c.span is not None:
        duration |= c.span.notna().to_numpy(dtype=bool)
    if c.flag is not None:
        bad = bad | c.flag.notna().to_numpy(dtype=bool)
    return Naive(
        value=pd.Series(value, index=index),
        offset=pd.Series(offset, index=index),
        bad=pd.Series(bad, index=index),
        duration=pd.Series(duration, index=index),
        unresolved=pd.Series(unresolved, index=index),
        order=order,
    )


_OFFSET_AT_END = r"(?:[Zz]|[+-]\d{2}:?\d{2})$"


def _fast_path(
    text: pd.Series, todo: np.ndarray, value: np.ndarray, offset: np.ndarray, date_order: DateOrder | None
) -> str | None:
    """Read the column with one vectorised format when its first value has one; updates the arrays.

    Returns the day/month order the column proved (for d/m/y forms), else None.
    """
    first = pa.array([text.iloc[int(np.argmax(todo))]], type=pa.string())
    if pc.match_substring_regex(first, _OFFSET_AT_END)[0].as_py():  # ISO 8601 with offsets or Z
        arrow = arrow_text(text)
        with_offset = np.asarray(pc.fill_null(pc.match_substring_regex(arrow, _OFFSET_AT_END), False))
        parsed = pd.to_datetime(text.where(with_offset), format="ISO8601", utc=True, errors="coerce")
        instants = parsed.dt.tz_localize(None).to_numpy(dtype=SECONDS)
        done = ~np.isnat(instants)
        value[done] = instants[done]
        offset[done] = 0.0
        todo &= ~done
        return None

    def fits(fmt: str) -> bool:
        return bool(pc.strptime(first, format=fmt, unit="s", error_is_null=True).null_count == 0)

    def parse(fmt: str) -> np.ndarray:
        arrow = arrow_text(text)
        parsed = pc.strptime(arrow, format=fmt, unit="s", error_is_null=True)
        return _without_rollover(arrow, parsed, fmt)

    chosen: np.ndarray | None = None
    order: str | None = None
    fmt = next((f for f in FAST_FORMATS if fits(f)), None)
    if fmt is not None:
        chosen = parse(fmt)
    else:
        pair = next(((dm, md) for dm, md in ORDERED_FORMATS if fits(dm) or fits(md)), None)
        if pair is not None:
            day_first, month_first = parse(pair[0]), parse(pair[1])
            dm_ok, md_ok = ~np.isnat(day_first), ~np.isnat(month_first)
            decided = decide_order(bool((dm_ok & ~md_ok).any()), bool((md_ok & ~dm_ok).any()), date_order)
            if decided == "dmy":
                chosen, order = day_first, "dmy"
            elif decided == "mdy":
                chosen, order = month_first, "mdy"
            # ambiguous or conflicting: the general parser reports it
    if chosen is not None:
        done = ~np.isnat(chosen)
        value[done] = chosen[done]
        todo &= ~done
    return order


_FORMAT_FIELDS = {
    "%Y": r"\d{4}",
    "%m": r"\d{1,2}",
    "%d": r"(?P<d>\d{1,2})",
    "%H": r"\d{1,2}",
    "%M": r"\d{1,2}",
}
_FORMAT_FIELDS["%S"] = r"(?P<S>\d{1,2})"


def _format_regex(fmt: str) -> str:
    """The strptime format as a regex capturing its day and second (blanks around, as strptime allows)."""
    out = []
    for part in re.split(r"(%[A-Za-z])", fmt):
        out.append(_FORMAT_FIELDS[part] if part in _FORMAT_FIELDS else re.escape(part).replace(r"\ ", r"\s+"))
    return r"^\s*" + "".join(out) + r"\s*$"


def _without_rollover(arrow: pa.Array, parsed: pa.Array, fmt: str) -> np.ndarray:
    """Arrow's strptime takes any day up to 31 and any second up to 61 and rolls over: 2026-02-30 becomes
    03-02, 1900-02-29 becomes 03-01. A rolled-over value lands on day 1–3 (or second 0–1); those rows are
    checked against the day and second as written, and a mismatch is left unparsed (→ an error)."""
    values = np.asarray(parsed.to_numpy(zero_copy_only=False)).astype(SECONDS)
    known = ~np.isnat(values)
    day = np.where(known, pd.DatetimeIndex(values).day, 9)  # NaT's day is -1
    second = np.where(known, values.astype("int64") % 60, 9)
    rolled = (day <= 3) if "%d" in fmt else np.zeros(len(values), dtype=bool)
    if "%S" in fmt:
        rolled |= second <= 1
    suspect = np.flatnonzero(known & rolled)
    if not suspect.size:
        return values
    parts = pc.extract_regex(arrow.take(pa.array(suspect)), _format_regex(fmt))
    names = {f.name for f in parts.type}
    wrong = np.zeros(suspect.size, dtype=bool)
    for name, got in (("d", day), ("S", second)):
        if name in names:
            written = _field(parts, name)
            wrong |= ~np.isnan(written) & (written != got[suspect])
    wrong |= np.asarray(parts.is_null())  # a form the check cannot read: the general parser decides
    values[suspect[wrong]] = np.datetime64("NaT")
    return values


def _from_serial(serial: np.ndarray) -> np.ndarray:
    """Excel day numbers (1900 date system) → datetime64[s], to the nearest second; NaN → NaT."""
    seconds = np.round(serial * 86400)
    out = np.full(len(serial), np.datetime64("NaT"), dtype=SECONDS)
    ok = ~np.isnan(seconds)
    out[ok] = EXCEL_EPOCH + seconds[ok].astype("int64").astype("timedelta64[s]")
    return out


@dataclass
class Instants:
    utc: pd.Series  # datetime64[s, UTC]
    nonexistent: pd.Series  # local time skipped by a DST change
    ambiguous: pd.Series  # local time repeated by a DST change (first occurrence taken)


def localize(naive: Naive, zone: ZoneInfo | str) -> Instants:
    """Naive times are in the zone, written offsets are converted; everything to UTC."""
    name = zone.key if isinstance(zone, ZoneInfo) else zone
    index = naive.value.index
    values = naive.value.to_numpy(dtype=SECONDS)
    offsets = naive.offset.to_numpy(dtype=float)
    known = ~np.isnat(values)
    has_offset = known & ~np.isnan(offsets)
    local = known & ~has_offset
    utc = np.full(len(values), np.datetime64("NaT"), dtype=SECONDS)
    nonexistent = np.zeros(len(values), dtype=bool)
    ambiguous = np.zeros(len(values), dtype=bool)
    if local.any():
        stamps = pd.DatetimeIndex(values[local])
        first = stamps.tz_localize(name, ambiguous=np.ones(len(stamps), dtype=bool), nonexistent="NaT")
        missing = first.isna()
        nonexistent[local] = missing
        if _has_transitions(name, stamps):
            strict = stamps.tz_localize(name, ambiguous="NaT", nonexistent="NaT")
            ambiguous[local] = strict.isna() & ~np.asarray(missing)
        utc[local] = first.tz_convert("UTC").tz_localize(None).to_numpy(dtype=SECONDS)
    if has_offset.any():
        shift = offsets[has_offset].astype("int64").astype("timedelta64[s]")
        utc[has_offset] = values[has_offset] - shift
    return Instants(
        utc=pd.Series(utc, index=index).dt.tz_localize("UTC"),
        nonexistent=pd.Series(nonexistent, index=index),
        ambiguous=pd.Series(ambiguous, index=index),
    )


def _has_transitions(zone: str, stamps: pd.DatetimeIndex) -> bool:
    """Whether the zone changes its UTC offset between the earliest and latest time (DST or otherwise)."""
    low, high = stamps.min(), stamps.max()
    if pd.isna(low):
        return False
    if high - low > pd.Timedelta(days=400):
        # a probe a day would take seconds over centuries (a 1954 and a 9999 in one column are two
        # cells of a hostile file): over a long span, just look at every time (DST or not)
        return True
    probe = pd.date_range(
        low.floor("D") - pd.Timedelta(days=1), high.ceil("D") + pd.Timedelta(days=1), freq="D"
    )
    offsets = probe.tz_localize("UTC").tz_convert(zone).map(lambda t: t.utcoffset())
    return len(set(offsets)) > 1


# ---------------------------------------------------------------- months (measures)

_MONTH_PATTERN = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$"


def parse_month(c: Cells, date_order: DateOrder | None = None) -> tuple[pd.Series, pd.Series]:
    """`2026-10`, `2026/10`, `2026年10月` or any date in the month → 'YYYY-MM'; and the bad rows."""
    parts = c.text.str.extract(_MONTH_PATTERN)
    year = pd.to_numeric(parts[0], errors="coerce")
    month = pd.to_numeric(parts[1], errors="coerce")
    ok = year.notna() & month.between(1, 12)
    out = pd.Series(pd.NA, index=c.text.index, dtype="string")
    out[ok] = (
        year[ok].astype(int).astype(str).str.zfill(4) + "-" + month[ok].astype(int).astype(str).str.zfill(2)
    ).to_numpy()
    rest_text = c.text.where(~ok & year.isna())
    rest = Cells(raw=c.raw, text=rest_text, blank=c.blank, error=c.error, num=c.num, when=c.when, flag=c.flag)
    naive = naive_timestamps(rest, date_order)
    has = naive.value.notna() & out.isna()
    out[has] = naive.value[has].dt.strftime("%Y-%m").to_numpy()
    bad = c.present & out.isna()
    return out, bad
