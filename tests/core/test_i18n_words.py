"""One vocabulary: every word a user reads is declared once, in both languages, and says the same thing
the same way everywhere (the screens, the Excel pack, the names of things)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from sla_core.i18n import KPIS, WORDS, names, pack
from sla_core.i18n.pack import PACK_WORDS
from sla_core.i18n.screens import SCREEN_WORDS

TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "words": WORDS,
    "sheets": pack.SHEETS,
    "labels": pack.LABELS,
    "statuses": names.STATUS_LABELS,
    "weekdays": {str(i): pair for i, pair in enumerate(zip(*names.WEEKDAY_NAMES.values(), strict=True))},
    "categories": names.CATEGORY_NAMES,
    "clocks": names.CLOCK_NAMES,
    "obligation kinds": names.OBLIGATION_KINDS,
    "action statuses": names.ACTION_STATUSES,
    "input kinds": names.KIND_NAMES,
    "flags": names.FLAG_NAMES,
    "audit actions": names.AUDIT_ACTIONS,
    "input columns": names.FIELD_LABELS,
    "kpis": {k: (d.zh, d.en) for k, d in KPIS.items()},
}


def entries() -> list[tuple[str, tuple[str, str]]]:
    return [(f"{t}.{k}", pair) for t, table in TABLES.items() for k, pair in table.items()]


# English words with two meanings the product keeps: the same English, two Chinese words, on purpose
HOMONYMS = {
    "response": "a ticket's first response (首次响应) and a survey response (评价编号)",
    "month": "a calendar month (月份) and the cap's period (每月: the pack says 'per month')",
}


def _en(text: str) -> str:
    """English compared without case or a plural s (a header says Penalties, a sentence penalty)."""
    folded = text.casefold()
    if folded.endswith("ies"):
        return folded[:-3] + "y"
    if folded.endswith("sses"):
        return folded[:-2]
    return folded[:-1] if folded.endswith("s") and not folded.endswith("ss") else folded


def test_every_word_has_both_languages():
    for key, pair in entries():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        zh, en = pair
        assert isinstance(zh, str) and zh.strip(), key
        assert isinstance(en, str) and en.strip(), key


def test_the_screens_and_the_pack_share_one_table_without_overlapping_keys():
    assert not set(SCREEN_WORDS) & set(PACK_WORDS)
    assert WORDS == {**SCREEN_WORDS, **PACK_WORDS}


def test_a_word_is_declared_once():
    """Equal words are one declaration referred to, never two copies."""
    found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for key, pair in entries():
        found[pair].append((key, id(pair)))
    copies = {pair: [k for k, _ in keys] for pair, keys in found.items() if len({i for _, i in keys}) > 1}
    assert not copies
    # within one table (where Python may fold equal literals into one object): one key per word
    for name, table in TABLES.items():
        keys_of: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key, pair in table.items():
            keys_of[pair].append(key)
        assert not {pair: keys for pair, keys in keys_of.items() if len(keys) > 1}, name


def test_no_two_words_say_the_same_thing_differently():
    by_zh: dict[str, set[str]] = defaultdict(set)
    by_en: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, (zh, en) in entries():
        by_zh[zh].add(_en(en))  # one Chinese word, one English (a plural or a capital aside)
        by_en[en.casefold()].add(zh)  # one English phrase, one Chinese
        where[(zh, _en(en))].append(key)
        where[(zh, en.casefold())].append(key)
    same_zh = {zh: {en: where[(zh, en)] for en in ens} for zh, ens in by_zh.items() if len(ens) > 1}
    same_en = {
        en: {zh: where[(zh, en)] for zh in zhs}
        for en, zhs in by_en.items()
        if len(zhs) > 1 and en not in HOMONYMS
    }
    assert not same_zh, same_zh
    assert not same_en, same_en


def test_the_checks_catch_a_copy_and_a_second_translation():
    """The checks above can fail: a copied word and a word translated twice are found."""
    copied = ("违约金", "Penalty")
    assert copied == WORDS["penalty"] and copied is not WORDS["penalty"]
    assert _en("Penalties") == _en("penalty") and _en("Priorities") == _en("priority")
    assert _en("misses") == _en("miss") and _en("class") == "class"


ROOT = Path(__file__).resolve().parents[2]
ASKED = re.compile(r"""\b(?:L|word)\(\s*"([a-z0-9_]+)"\s*[,)]""")


def asked_keys(text: str) -> set[str]:
    """The word keys a source asks for by name: L("key") on the pages, word("key", lang) in the core."""
    return set(ASKED.findall(text))


def test_every_word_the_screens_and_the_core_ask_for_by_name_is_declared():
    sources = [
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("ui/*.py"),
        ROOT / "app.py",
        *ROOT.glob("sla_core/**/*.py"),
    ]
    asked = {key: path.name for path in sources for key in asked_keys(path.read_text(encoding="utf-8"))}
    assert len(asked) > 100  # the scan finds the pages' words (it can see them)
    assert {key: where for key, where in asked.items() if key not in WORDS} == {}


def test_the_scan_sees_a_word_nobody_declared():
    assert asked_keys('st.error(L("no_such_word"))\nword("penalty", lang)') == {"no_such_word", "penalty"}
    assert "no_such_word" not in WORDS
