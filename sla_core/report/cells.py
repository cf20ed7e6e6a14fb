"""Values as Excel cells: epochs as serial dates in the contract's zone, targets as number formats that
show the operator, each KPI's number kind, short texts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sla_core.contract import Target
from sla_core.i18n import KPIS, Unit, unit_word, value_digits, word
from sla_core.periods import month_key


def excel_serials(epochs: np.ndarray | pd.Series, zone: Any) -> np.ndarray:
    """UTC epoch seconds → Excel serial dates in the contract's zone (NaN stays NaN)."""
    values = np.asarray(epochs, dtype="float64")
    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    if ok.any():
        local = pd.to_datetime(values[ok], unit="s", utc=True).tz_convert(zone).tz_localize(None)
        delta = local.to_numpy() - np.datetime64("1899-12-30T00:00:00")
        out[ok] = delta / np.timedelta64(1, "s") / 86400.0
    return out


def epoch_serial(epoch: float, zone: Any) -> float:
    return float(excel_serials(np.array([epoch]), zone)[0])


def _num_text(value: Decimal, digits: int | None = None) -> tuple[str, int]:
    """Decimal → (Excel digits pattern, number of decimals): 99.9 → ('0.0', 1); with `digits`, at least
    that many decimals (a target shown beside values with more)."""
    text = format(value.normalize(), "f")
    decimals = len(text.split(".")[1]) if "." in text else 0
    decimals = max(decimals, digits or 0)
    return ("0." + "0" * decimals if decimals else "0"), decimals


_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def target_format(target: Target, unit: str, lang: str, digits: int | None = None) -> str:
    """The target as a number whose format shows the operator: 0.95 shown as ≥ 95% (`digits`: with the
    decimals of the values in its row, ≥ 95.0%)."""
    op = _OPS[target.op]
    if target.percent:
        pattern, _ = _num_text(target.value * 100, digits)
        return f'"{op} "{pattern}%'
    pattern, _ = _num_text(target.value, None if unit == "rate" else digits)
    word = unit_word(unit, lang)
    unit_text = f'" {word}"' if word else ""
    return f'"{op} "{pattern}{unit_text}'


def target_digits(target: Target | None) -> int:
    """The decimals the contract wrote the target with (of the percentage, for a percent target)."""
    if target is None:
        return 0
    return _num_text(target.value * 100 if target.percent else target.value)[1]


def row_digits(
    kpi: str, cells: Iterable[tuple[float | None, Target | None]], unit: Unit | None = None
) -> int:
    """One number of decimals for a KPI's row: enough for every value to read as itself beside its
    target (99.86% beside ≥ 99.9%), and never fewer than the target's own (`unit`: a contract KPI's,
    which i18n does not hold)."""
    unit = unit or KPIS[kpi].unit
    digits = [target_digits(t) for _, t in cells]
    digits += [
        value_digits(float(v), unit, None if t is None else t.value) for v, t in cells if v is not None
    ]
    return max(digits, default=value_digits(0.0, unit))


def number_format(unit: str, digits: int, lang: str, *, change: bool = False) -> str:
    """A KPI value's number format with `digits` decimals; `change`: signed, and a rate's change in
    percentage points, never in percent."""
    decimals = "." + "0" * digits if digits else ""
    if unit == "rate":
        if not change:
            return f"0{decimals}%"
        body = f'0{decimals}" {word("percentage_points", lang)}"'
    elif unit in ("score", "number"):  # number: a contract KPI's plain value
        body = f"0{decimals}"
    else:
        body = f'#,##0{decimals}" {unit_word(unit, lang)}"'
    return f"+{body};-{body};{body}" if change else body


def value_kind(kpi: str, digits: int, lang: str, unit: Unit | None = None) -> str:
    return "fmt:" + number_format(unit or KPIS[kpi].unit, digits, lang)


def change_kind(kpi: str, digits: int, lang: str, unit: Unit | None = None) -> str:
    return "fmt:" + number_format(unit or KPIS[kpi].unit, digits, lang, change=True)


def change_value(kpi: str, change: float | None, digits: int, unit: Unit | None = None) -> float | None:
    """A change as its cell holds it: a rate's in percentage points (0.0123 → 1.23), rounded to the
    row's decimals (a change too small to show reads 0.0, not -0.0)."""
    if change is None:
        return None
    shown = round(change * 100 if (unit or KPIS[kpi].unit) == "rate" else change, digits)
    return shown + 0.0  # -0.0 → 0.0


def count_kind(kpi: str, value: float | None, part: str) -> str:
    """Numerators and denominators: counts, except availability (seconds) and MTTR (minutes / incidents)."""
    if kpi == "availability":
        return "seconds"
    if kpi == "mttr_minutes" and part == "numerator":
        return "minutes"
    return "int" if value is None or float(value).is_integer() else "num"


def text_cells(series: pd.Series) -> list[Any]:
    """A text column as Python objects, blanks as None."""
    values = series.astype("object")
    return values.where(series.notna(), None).tolist()


def duration_text(seconds: int, lang: str) -> str:
    """900 → '15 min' (in Chinese, the unit's Chinese word); 86400 → '24 h' (a wall-clock day, not '1d')."""
    for unit, size in (("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit_word(unit, lang)}"
    return f"{seconds} {unit_word('seconds', lang)}"


def months_text(months: Sequence[str]) -> str:
    """('2026-03', '2026-04', '2026-05') → '2026-03 – 2026-05' when consecutive."""
    if len(months) > 2:
        keys = [month_key(m) for m in months]
        if keys == list(range(keys[0], keys[0] + len(keys))):
            return f"{months[0]} – {months[-1]}"
    return ", ".join(months)


def serial_text(serial: float) -> str:
    """An Excel serial as 'YYYY-MM-DD HH:MM' (for sentences)."""
    moment = datetime(1899, 12, 30) + timedelta(days=serial)
    return moment.strftime("%Y-%m-%d %H:%M")


def date_serial(day: date) -> float:
    return float((day - date(1899, 12, 30)).days)


def stored_serial(moment: datetime | None, zone: Any) -> float | None:
    """A stored timestamp (aware, or naive UTC) → Excel serial in the contract's zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return epoch_serial(moment.timestamp(), zone)


def period_start(day: date, zone: Any) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()
