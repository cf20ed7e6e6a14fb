"""Helpers for the page tests: open the app as a user would, read what it shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


class _PathWithoutPagesDir(type(Path())):  # type: ignore[misc]
    def exists(self, *args: object, **kwargs: object) -> bool:
        return False if self.name == "pages" else super().exists(*args, **kwargs)  # type: ignore[arg-type]


def open_app(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, **state: object
) -> AppTest:
    """Run app.py (and switch to a page) with the given session state, as a user arriving would."""
    monkeypatch.setenv("SLA_DB", str(db_path))
    # AppTest forgets before every run that app.py calls st.navigation, so it would run a page file
    # alone in Streamlit's old pages/ directory mode (and the page then reruns to get its frame, which
    # drops button clicks). A server remembers it; make AppTest behave like the server.
    from streamlit.runtime import pages_manager

    monkeypatch.setattr(pages_manager, "Path", _PathWithoutPagesDir)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    if page:
        at.switch_page(f"pages/{page}.py")
    at.run()
    return at


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation


def shown(markdown: object) -> str:
    """A markdown body as the user reads it: without the escapes and the invisible word joiners with
    which `components.plain` keeps values from being read as markdown."""
    return _ESCAPE.sub(r"\1", str(markdown)).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Everything the page wrote, as one string, for asserting on what a user reads."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.subheader] + [str(m.value) for m in at.metric]
    return "\n".join(shown(p) for p in parts)


def errors(at: AppTest) -> list[str]:
    """The error alerts, as the user reads them."""
    return [shown(e.value) for e in at.error]


def table_with(at: AppTest, column: str):
    """The first table (st.dataframe) on the page that has a column of that name."""
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert found, [list(df.value.columns) for df in at.dataframe]
    return found[0]


def button(at: AppTest, label: str):
    """A button (form submit buttons included) by its label."""
    found = [b for b in at.button if b.label == label]
    assert found, [b.label for b in at.button]
    return found[0]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
