"""The reports as PDF (fpdf2): A4 landscape pages that open and render, Chinese text that extracts, no
table wider than the page (a too-wide table splits into column groups that repeat the key column, a long
one repeats its header on every page), and a plain refusal when the fonts are missing.

`make test` installs fonts-noto-cjk and poppler-utils (Makefile `system-deps`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sla_core import workspace
from sla_core.access import LOCAL, Guard
from sla_core.cli import main
from sla_core.report import ReportError, build_report
from sla_core.report.layout import Col
from sla_core.report.pdf import PAGE_WIDTH, PdfBook, font_files

try:
    font_files()
    FONTS = True
except ReportError:
    FONTS = False
POPPLER = all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdftoppm", "pdffonts"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not FONTS, reason="fonts-noto-cjk is not installed (make system-deps installs it)"),
    pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed (make system-deps installs it)"),
]
A4_LANDSCAPE = "841.89 x 595.28 pts (A4)"
MM = 72 / 25.4  # points per mm


def _run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("pdf")
    db = tmp / "t.duckdb"
    store = workspace.open_workspace(db)
    cid = workspace.load_demo(store)
    snap = workspace.snapshot(store, cid)
    out = {"pack_zh": tmp / "pack_zh.pdf", "month_en": tmp / "month_en.pdf"}
    out["pack_zh"].write_bytes(build_report(snap, "2026Q3", "zh", guard=Guard(store, LOCAL), fmt="pdf"))
    # the command line writes the other
    args = ["report", "--db", str(db), "--contract", cid, "--month", "2026-10", "--lang", "en"]
    code = main([*args, "--format", "pdf", "--out", str(out["month_en"])])
    assert code == 0
    return out


def _page_sizes(pdf: Path) -> list[str]:
    info = _run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)])
    return re.findall(r"Page\s+\d+ size:\s+(.+)", info)


def _words(pdf: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word on every page."""
    html = _run(["pdftotext", "-bbox", str(pdf), "-"])
    return [
        (float(a), float(b), w)
        for a, b, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', html
        )
    ]


def test_every_page_is_a4_landscape(pdfs):
    for pdf in pdfs.values():
        sizes = _page_sizes(pdf)
        assert len(sizes) >= 14  # a page or more per sheet
        assert set(sizes) == {A4_LANDSCAPE}, set(sizes)


def test_the_pages_render(pdfs, tmp_path):
    _run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "4", str(pdfs["pack_zh"]), str(tmp_path / "p")])
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 4 and all(p.stat().st_size > 2_000 for p in pages)


def test_chinese_and_english_text_extracts(pdfs):
    zh = _run(["pdftotext", "-layout", str(pdfs["pack_zh"]), "-"])
    for text in (
        "季度评审报告",
        "指标记分卡",
        "首次响应达标率",
        "满意度均分",
        "¥60,000.00",
        "个百分点",
        "改进计划",
    ):
        assert text in zh, text
    en = _run(["pdftotext", "-layout", str(pdfs["month_en"]), "-"])
    for text in ("Monthly service report", "KPI scorecard", "Response within target", "percentage points"):
        assert text in en, text
    assert "¥20,000.00" in en  # October's penalty
    fonts = _run(["pdffonts", str(pdfs["pack_zh"])])
    assert "NotoSansCJK" in fonts and "yes" in fonts  # embedded


def test_the_pdfs_read_as_words_without_code_ids_or_json(pdfs):
    """The sheets' words are the workbook's (tests/core/test_report_words.py scans every sheet); this checks
    the PDF layer adds no ids of its own (sheet keys, column keys, status codes)."""
    for pdf in pdfs.values():
        text = _run(["pdftotext", "-layout", str(pdf), "-"])
        found = re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b(?:mon|tue|wed|thu|fri):|[{\[]\s*\"", text)
        assert not found, found[:10]


def test_no_text_runs_past_the_page_margins(pdfs):
    for pdf in pdfs.values():
        words = _words(pdf)
        assert words
        right = max(x1 for _, x1, _ in words)
        left = min(x0 for x0, _, _ in words)
        assert right <= (PAGE_WIDTH - 10) * MM + 1, right
        assert left >= 10 * MM - 1, left


def _table_pdf(cols: list[Col], rows: list[list[object]]) -> bytes:
    from sla_core.demo import demo_contract

    buffer = io.BytesIO()
    book = PdfBook(buffer, "zh", demo_contract())
    sheet = book.sheet("breached", "宽表", "")
    sheet.table(cols, rows, freeze_col=1)
    book.close()
    return buffer.getvalue()


def test_a_table_too_wide_for_the_page_splits_into_column_groups_with_the_key_column(tmp_path):
    cols = [Col("工单号", max_width=22)] + [Col(f"很长的列标题第{i}列", "money") for i in range(40)]
    rows = [[f"GD2026{r:06d}", *(1234567.89 * (c + 1) for c in range(40))] for r in range(3)]
    path = tmp_path / "wide.pdf"
    path.write_bytes(_table_pdf(cols, rows))
    words = _words(path)
    assert max(x1 for _, x1, _ in words) <= (PAGE_WIDTH - 10) * MM + 1
    text = _run(["pdftotext", str(path), "-"])
    assert "第 2/" in text  # "（续：第 2/N 组列）"
    assert text.count("GD2026000000") >= 2  # the key column repeats in every group
    assert "¥49,382,715.60" in text  # the last column is printed, not cut


def test_a_long_table_repeats_its_header_on_every_page(tmp_path):
    cols = [Col("工单号"), Col("说明", "wrap", max_width=60)]
    rows = [[f"GD{r:04d}", "说明文字 " * 8] for r in range(150)]
    path = tmp_path / "long.pdf"
    path.write_bytes(_table_pdf(cols, rows))
    pages = len(_page_sizes(path))
    assert pages >= 3
    for page in range(1, pages + 1):
        text = _run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"])
        assert "工单号" in text, page
    assert "GD0149" in _run(["pdftotext", str(path), "-"])


def test_rows_beyond_the_print_limit_are_counted_not_printed(tmp_path, monkeypatch):
    import sla_core.report.pdf_table as pdf_table

    monkeypatch.setattr(pdf_table, "MAX_ROWS", 5)
    path = tmp_path / "cut.pdf"
    path.write_bytes(_table_pdf([Col("工单号")], [[f"GD{r:04d}"] for r in range(8)]))
    text = _run(["pdftotext", str(path), "-"])
    assert "GD0004" in text and "GD0005" not in text
    assert "仅列出前 5 行（共 8 行）" in text


def test_without_the_fonts_the_pdf_is_refused_in_words(monkeypatch):
    import sla_core.report.pdf as pdf

    monkeypatch.setattr(pdf, "FONT_DIRS", ("/nonexistent",))
    monkeypatch.delenv("SLA_PDF_FONT_DIR", raising=False)
    with pytest.raises(ReportError) as refused:
        font_files()
    assert "fonts-noto-cjk" in refused.value.zh and "fonts-noto-cjk" in refused.value.en
