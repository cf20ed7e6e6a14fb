"""One table of the screens' and the pack's words by key, and the lookup."""

from __future__ import annotations

from sla_core.i18n.pack import PACK_WORDS
from sla_core.i18n.screens import SCREEN_WORDS

WORDS: dict[str, tuple[str, str]] = {**SCREEN_WORDS, **PACK_WORDS}


def word(key: str, lang: str) -> str:
    """The word `key` in `lang` ("zh" or "en"); a KeyError names a key nobody declared."""
    zh, en = WORDS[key]
    return zh if lang == "zh" else en
