"""The building blocks of contract terms: the bilingual validation error, durations, targets and the
frozen model every section derives from (contract.py and contract_rules.py both build on them)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _fail(code: str, zh: str, en: str, key: str = "") -> PydanticCustomError:
    # The context carries both languages; `_issue_from_error` reads them back. `key` names the key for
    # errors a model validator raises (pydantic gives those no location).
    return PydanticCustomError(code, "{en}", {"en": en, "zh": zh, "key": key})


def fail_at(key: str, code: str, zh: str, en: str) -> PydanticCustomError:
    """An error found by a check of several sections at once, naming the key it is about
    (`targets[2].when.priority`) rather than where the check ran."""
    return _fail(code, zh, en, key=key)


# ---------------------------------------------------------------- durations and targets

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: object) -> int:
    """`15m` → 900. `Nd` is N × 24 h, counted on whatever clock the caller uses."""
    if isinstance(text, bool) or not isinstance(text, str):
        raise _fail(
            "duration",
            f"{text!r} 不是时长，应写作 15m、2h 这样的文本",
            f"{text!r} is not a duration like 15m, 2h (write it as a string)",
        )
    m = _DURATION.match(text)
    if not m:
        raise _fail(
            "duration",
            f'"{text}" 不是时长，应写作 30s、15m、2h、1d',
            f'"{text}" is not a duration like 15m, 2h',
        )
    seconds = Decimal(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    if seconds != seconds.to_integral_value():
        raise _fail("duration", f'"{text}" 不是整秒数', f'"{text}" is not a whole number of seconds')
    return int(seconds)


def format_duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[int, BeforeValidator(parse_duration)]

_TARGET = re.compile(r"^\s*(>=|<=|>|<|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$")
_OPS = {"≥": ">=", "≤": "<="}


class Target(BaseModel):
    """A threshold: `op value`, value as a fraction for rates (`>= 95%` → 0.95)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    op: Literal[">=", "<=", ">", "<"]
    value: Decimal
    text: str
    percent: bool

    @property
    def written(self) -> str:
        """The threshold as the contract writes it, with its % if any: `95%`, `30`."""
        m = _TARGET.match(self.text)
        return f"{m.group(2)}{m.group(3)}" if m else self.text

    def met_by(self, measured: float | Decimal) -> bool:
        """Exact comparison, with a 1e-9 tolerance for binary floating point."""
        diff = Decimal(str(measured)) - self.value
        tol = Decimal("1e-9")
        if self.op == ">=":
            return diff >= -tol
        if self.op == "<=":
            return diff <= tol
        if self.op == ">":
            return diff > tol
        return diff < -tol


def parse_target(text: object, *, rate: bool) -> Target | None:
    if text == "off":
        return None
    if not isinstance(text, str) or not (m := _TARGET.match(text)):
        raise _fail(
            "target",
            f'{text!r} 不是目标值，应写作 ">= 95%" 或 "<= 30"',
            f'{text!r} is not a target like ">= 95%" or "<= 30"',
        )
    op, number, pct = _OPS.get(m.group(1), m.group(1)), m.group(2), m.group(3) == "%"
    if rate and not pct:
        raise _fail(
            "target",
            f'"{text}" 是比率指标，目标须带 %（如 ">= 95%"）',
            f'"{text}" is a rate: the target needs % (like ">= 95%")',
        )
    if not rate and pct:
        raise _fail(
            "target", f'"{text}" 不是比率指标，目标不能带 %', f'"{text}" is not a rate: write a plain number'
        )
    value = Decimal(number) / 100 if pct else Decimal(number)
    return Target(op=op, value=value, text=text.strip(), percent=pct)
