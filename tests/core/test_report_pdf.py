"""The exported workbooks convert to PDF with LibreOffice (as a client without Excel would print them):
no error, every sheet printed, Chinese drawn with a CJK font, the pages render to images.

`make test` installs LibreOffice, poppler-utils and fonts-noto-cjk (Makefile `system-deps`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sla_core import workspace
from sla_core.access import LOCAL, Guard
from sla_core.report import write_report

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        LIBREOFFICE is None, reason="libreoffice is not on PATH (make system-deps installs it)"
    ),
]


def _run(args: list[str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("pdf")
    store = workspace.open_workspace(tmp / "t.duckdb")
    cid = workspace.load_demo(store)
    snap = workspace.snapshot(store, cid)
    books = [
        write_report(tmp / "pack_zh.xlsx", snap, "2026Q2", "zh", guard=Guard(store, LOCAL)),
        write_report(tmp / "month_en.xlsx", snap, "2026-10", "en", guard=Guard(store, LOCAL)),
    ]
    profile = (tmp / "lo-profile").as_uri()  # a private profile: no clash with another running instance
    done = _run(
        [
            str(LIBREOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            *map(str, books),
        ]
    )
    assert done.returncode == 0, done.stderr
    out = {p.stem: p.with_suffix(".pdf") for p in books}
    for path in out.values():
        assert path.exists() and path.stat().st_size > 10_000, (done.stdout, done.stderr)
    return out


def _pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = _run(["pdfinfo", str(pdf)]).stdout
        return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_every_sheet_is_printed(pdfs):
    # 13 sheets; the long ones and the charts take more than a page each
    assert _pages(pdfs["pack_zh"]) >= 13
    assert _pages(pdfs["month_en"]) >= 13


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_text_is_there_in_both_languages(pdfs):
    zh = _run(["pdftotext", "-layout", str(pdfs["pack_zh"]), "-"]).stdout
    for text in ("季度评审报告", "指标记分卡", "首次响应达标率", "违约金", "¥100,000.00", "改进计划"):
        assert text in zh, text
    en = _run(["pdftotext", "-layout", str(pdfs["month_en"]), "-"]).stdout
    for text in ("Monthly service report", "KPI scorecard", "Response within target", "provisional"):
        assert text in en, text
    assert "###" not in zh and "###" not in en  # no number too wide for its column


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_chinese_is_drawn_with_a_cjk_font(pdfs):
    fonts = _run(["pdffonts", str(pdfs["pack_zh"])]).stdout
    assert re.search(r"CJK|YaHei|Hei|Song|Ming", fonts), fonts


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pages_render(pdfs, tmp_path):
    done = _run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", str(pdfs["pack_zh"]), str(tmp_path / "p")]
    )
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("p-*.png"))) == 3
