"""`components.plain`: a value shown where Streamlit reads markdown stays the text it is — every ASCII
punctuation mark escaped, bare links and addresses broken by an invisible word joiner. What a browser
then draws is checked in tests/e2e/test_hostile_values_in_browser.py."""

from __future__ import annotations

import string

import pytest

from ui.components import WORD_JOINER, plain


def test_every_ascii_punctuation_mark_is_escaped_and_nothing_else():
    assert plain(string.punctuation).replace(WORD_JOINER, "") == "".join("\\" + c for c in string.punctuation)
    assert plain("处理组 A1 b") == "处理组 A1 b"  # letters, digits, spaces and CJK as they are


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("http://x.cn/a", f"http{WORD_JOINER}\\:\\/\\/x\\.cn\\/a"),
        ("HTTPS://x.cn", f"HTTPS{WORD_JOINER}\\:\\/\\/x\\.cn"),
        ("www.x.cn", f"www{WORD_JOINER}\\.x\\.cn"),
        ("a@b.cn", f"a\\@{WORD_JOINER}b\\.cn"),
    ],
)
def test_bare_links_and_addresses_are_broken_invisibly(value, shown):
    assert plain(value) == shown
    assert plain(value).replace(WORD_JOINER, "").replace("\\", "") == value  # reads as written


@pytest.mark.parametrize("value", ["shttp://x", "awww.b", "http:x", "wwwx"])
def test_words_that_merely_contain_a_scheme_are_left_alone(value):
    assert WORD_JOINER not in plain(value)


def test_non_text_values_are_shown_as_their_text():
    assert plain(12.5) == "12\\.5"
    assert plain(None) == "None"
