"""Numbers, money, durations and months as a reader sees them, in Chinese or English (a value beside
its target gets the digits that tell them apart)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sla_core.i18n.kpis import KPIS, KpiDef, Unit

_UNIT_WORDS = {"seconds": ("秒", "s"), "minutes": ("分钟", "min"), "hours": ("小时", "h")}


def unit_word(unit: str, lang: str) -> str:
    """The word after a duration (分钟 / min, 小时 / h); '' for rates and scores."""
    zh, en = _UNIT_WORDS.get(unit, ("", ""))
    return zh if lang == "zh" else en


def duration_text(seconds: int, lang: str) -> str:
    """900 → '15 min' (in Chinese, the unit's Chinese word); 86400 → '24 h' (a wall-clock day, not '1d')."""
    for unit, size in (("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit_word(unit, lang)}"
    return f"{seconds} {unit_word('seconds', lang)}"


def fmt_value(
    value: float | Decimal | None,
    unit: Unit,
    lang: str = "en",
    *,
    digits: int | None = None,
    beside: float | Decimal | None = None,
    bare: bool = False,
) -> str:
    """A KPI value as people read it: 95.1%, 4.52, 43.2 min, 3.5 h (`bare`: without min / h, for a
    table whose row names the unit).

    `beside`: the target the value is shown next to. While the value would read the same as the target
    without being it, digits are added (up to three): 99.86% next to "≥ 99.9%" is not "99.9%"."""
    if value is None:
        return "—"
    v = float(value)
    d = digits if digits is not None else value_digits(v, unit, beside)
    if unit == "rate":
        return f"{v * 100:.{d}f}%"
    if unit in ("score", "number"):
        return f"{v:.{d}f}"
    number = f"{v:,.{d}f}"
    return number if bare else f"{number} {unit_word('minutes' if unit == 'minutes' else 'hours', lang)}"


def value_digits(value: float, unit: Unit, beside: float | Decimal | None = None) -> int:
    """The decimals a value is shown with (of the percentage, for a rate): the unit's usual ones, more
    while it would read the same as the target `beside` it without being it."""
    scale = 100.0 if unit == "rate" else 1.0
    d = _default_digits(value * scale, unit)
    if beside is not None:
        t = float(beside) * scale
        most = d + 3
        while d < most and abs(value * scale - t) > 1e-9 * scale and round(value * scale, d) == round(t, d):
            d += 1
    return d


def label_with_unit(kpi: str, lang: str, definition: KpiDef | None = None) -> str:
    """A KPI's name with the unit of its values when they have one: 计划外停机（分钟）, Recovery time (h)
    (`definition`: a contract KPI's, which i18n does not hold)."""
    d = definition or KPIS[kpi]
    word = unit_word(d.unit, lang)
    if not word:
        return d.label(lang)
    return f"{d.label(lang)}（{word}）" if lang == "zh" else f"{d.label(lang)} ({word})"


def _default_digits(shown: float, unit: Unit) -> int:
    if unit == "rate":
        d = 1
        # 94.96% is not "95.0%" and 99.96% is not "100.0%": add digits when rounding lands on a whole number
        while d < 3 and round(shown, d) == round(shown) and abs(shown - round(shown)) > 1e-9:
            d += 1
        return d
    return {"score": 2, "minutes": 1}.get(unit, 2)


def fmt_money(amount: Decimal | float, currency: str, lang: str = "en") -> str:
    q = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "¥" if currency == "CNY" else f"{currency} "
    return f"{sign}{q:,.2f}"


def fmt_count(n: float | int | None) -> str:
    if n is None:
        return "—"
    return f"{int(n):,}" if float(n).is_integer() else f"{float(n):,.2f}"


def fmt_seconds(seconds: float | int | None, lang: str = "en") -> str:
    """Business durations as h:mm:ss (days are not meaningful on a business clock)."""
    if seconds is None:
        return "—"
    s = int(seconds)
    sign = "-" if s < 0 else ""
    s = abs(s)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def month_label(month: str, lang: str, *, short: bool = False) -> str:
    """'2026-03' → '2026年3月' / 'Mar 2026' (`short`: '3月' / 'Mar'); quarters '2026Q1' → '2026年第1季度' /
    '2026 Q1'."""
    if "Q" in month:
        y, q = month.split("Q")
        return f"{y}年第{q}季度" if lang == "zh" else f"{y} Q{q}"
    y, m = month.split("-")
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if short:
        return f"{int(m)}月" if lang == "zh" else names[int(m) - 1]
    return f"{y}年{int(m)}月" if lang == "zh" else f"{names[int(m) - 1]} {y}"


def months_label(months: tuple[str, ...] | list[str], lang: str) -> str:
    """('2026-03', '2026-04', '2026-05') → '2026年3月 – 2026年5月' when consecutive, else a list."""
    if len(months) > 2:
        keys = [int(m[:4]) * 12 + int(m[5:7]) for m in months]
        if keys == list(range(keys[0], keys[0] + len(keys))):
            return f"{month_label(months[0], lang)} – {month_label(months[-1], lang)}"
    return ", ".join(month_label(m, lang) for m in months)


def t(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en
