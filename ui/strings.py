"""The pages' accessor of the product's words (sla_core.i18n owns them all), in the session's language."""

from __future__ import annotations

import streamlit as st

from sla_core.i18n import WORDS, word

TEXT = WORDS  # what pages and tests look words up in


def lang() -> str:
    return str(st.session_state.get("lang", "zh"))


def L(key: str) -> str:
    return word(key, lang())
