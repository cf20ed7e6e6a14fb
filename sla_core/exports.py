"""What leaves the app as a file a spreadsheet opens. A CSV cell cannot say "this is text", so text a
spreadsheet would read as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-2+3+cmd|…`) gets a leading
apostrophe, as OWASP advises; the Excel exports keep such text as text cells (`strings_to_formulas`
off). Numbers, and text that is only a number (`-5`, `+1.5e3`), are left as they are.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sla_core.files import write_output

# xlsxwriter's options for a sheet of user data: text stays a text cell, never a formula or link
XLSX_TEXT_OPTIONS: dict[str, bool] = {"strings_to_formulas": False, "strings_to_urls": False}

# a formula starts with one of these, possibly after blanks (some importers trim them)
_FORMULA_START = r"^\s*[=+\-@\t\r]"
_PLAIN_NUMBER = r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*"


def neutralise_text(values: pd.Series) -> pd.Series:
    """The column with formula-like text prefixed by an apostrophe (non-text values untouched)."""
    if not (
        pd.api.types.is_object_dtype(values)
        or pd.api.types.is_string_dtype(values)
        or isinstance(values.dtype, pd.CategoricalDtype)
    ):
        return values
    text = values.astype(object)
    is_text = text.map(lambda v: type(v) is str).astype(bool)  # numbers and blanks stay as they are
    as_str = text.where(is_text, "").astype(str)
    risky = is_text & as_str.str.match(_FORMULA_START) & ~as_str.str.fullmatch(_PLAIN_NUMBER)
    if not risky.any():
        return values
    out = text.copy()  # not `mask`: it would turn None into NaN
    out[risky] = "'" + as_str[risky]
    return out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table safe to open in a spreadsheet: every text cell and header neutralised."""
    out = frame.copy()
    out.columns = list(neutralise_text(pd.Series([str(c) for c in frame.columns], dtype=object)))
    for i in range(out.shape[1]):
        out.isetitem(i, neutralise_text(out.iloc[:, i]).array)  # by position: headers may repeat
    return out


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8-sig") -> bytes:
    """The table as CSV (with a BOM by default, so that Excel reads UTF-8), formula-safe. Lines end in
    CRLF (RFC 4180), which also makes the writer quote a value holding a bare CR: unquoted, a spreadsheet
    starts a new row there, and the rest of the value lands in a cell of its own, unneutralised."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode(encoding)


def write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8") -> None:
    """Whole or not at all (files.write_output: a full disk leaves no truncated file)."""
    write_output(path, csv_bytes(frame, encoding))
