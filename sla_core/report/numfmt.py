"""A number as an Excel number format shows it, for the formats the report writes: literals in quotes,
`0` / `#,##0` with decimals, `%`, sections for positive;negative;zero, `[h]:mm:ss` durations and
`yyyy-mm-dd hh:mm` dates (Excel serials). The PDF prints these strings; the xlsx sizes its columns by them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

_QUOTED = re.compile(r'"([^"]*)"')
_EPOCH = datetime(1899, 12, 30)


def _sections(fmt: str) -> list[str]:
    """Split on the semicolons outside quotes."""
    parts, current, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def _rounded(value: float, decimals: int) -> Decimal:
    """Half away from zero, as Excel rounds what it shows."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _duration(days: float, pattern: str) -> str:
    seconds = int(_rounded(abs(days) * 86400, 0))
    if pattern.endswith(":ss"):
        text = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    else:
        minutes = int(_rounded(abs(days) * 1440, 0))
        text = f"{minutes // 60}:{minutes % 60:02d}"
    return ("-" if days < 0 else "") + text


def _date(serial: float, pattern: str) -> str:
    moment = _EPOCH + timedelta(seconds=round(serial * 86400))
    python = pattern.replace("yyyy", "%Y").replace("mm", "%m", 1).replace("dd", "%d")
    python = python.replace("hh", "%H").replace(":mm", ":%M").replace(":ss", ":%S")
    return moment.strftime(python)


def _number(value: float, pattern: str) -> str:
    decimals = len(pattern.partition(".")[2].rstrip("%"))
    percent = pattern.endswith("%")
    shown = _rounded(value * 100 if percent else value, decimals)
    text = f"{shown:,.{decimals}f}" if "," in pattern else f"{shown:.{decimals}f}"
    return text + ("%" if percent else "")


def _section(value: float, section: str) -> str:
    literal = _QUOTED.sub("\x00", section)
    words = _QUOTED.findall(section)
    for token, render in (
        (r"\[h\]:mm(?::ss)?", _duration),
        (r"yyyy-mm-dd(?: hh:mm(?::ss)?)?", _date),
        (r"[#0,]*0(?:\.0+)?%?", _number),
    ):
        found = re.search(token, literal)
        if found:
            shown = render(value, found.group())
            literal = literal[: found.start()] + shown.replace("\x00", "") + literal[found.end() :]
            break
    out = ""
    for ch in literal:
        out += words.pop(0) if ch == "\x00" else ch
    return out


def render(value: float, fmt: str) -> str:
    """`value` as the number format `fmt` shows it (General: up to ten significant digits)."""
    if fmt in ("General", "", "@"):
        if float(value).is_integer():
            return f"{int(value)}"
        return f"{value:.10g}"
    sections = _sections(fmt)
    if len(sections) == 1:
        if value < 0 and "[h]" not in fmt:  # a duration carries its own sign
            return "-" + _section(-value, sections[0])
        return _section(value, sections[0])
    if value < 0:
        return _section(abs(value), sections[1])
    if value == 0 and len(sections) > 2:
        return _section(0.0, sections[2])
    return _section(value, sections[0])
