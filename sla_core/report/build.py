"""The report as a whole: resolve the period, fetch the records, write the sheets in order, return bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sla_core.evaluate import Evaluation
from sla_core.files import write_output
from sla_core.report.context import Context
from sla_core.report.layout import BookWriter
from sla_core.report.outages import outages
from sla_core.report.penalties import exemptions, obligations_sheet, penalties
from sla_core.report.period import ReportError, both, resolve_period
from sla_core.report.quality import audit, quality, reconciliation, surveys
from sla_core.report.records import fetch_records
from sla_core.report.summary import scorecard, summary
from sla_core.report.terms import terms
from sla_core.report.tickets import breached, open_tickets
from sla_core.report.trends import trends
from sla_core.report.xlsx import Book

if TYPE_CHECKING:
    from sla_core.access import Guard
    from sla_core.workspace import Snapshot

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "pdf")
MIMES = {"xlsx": MIME, "pdf": "application/pdf"}

# The sheets, in the order they appear in the workbook.
SHEET_BUILDERS: tuple[Callable[[Context], None], ...] = (
    summary,
    scorecard,
    trends,
    breached,
    open_tickets,
    outages,
    penalties,
    obligations_sheet,
    exemptions,
    reconciliation,
    surveys,
    quality,
    terms,
    audit,
)


def build_report(
    source: Snapshot | Evaluation,
    period: str,
    lang: str = "zh",
    *,
    guard: Guard | None = None,
    generated_at: datetime | None = None,
    fmt: str = "xlsx",
) -> bytes:
    """The monthly report (period 'YYYY-MM') or the quarterly pack ('YYYYQn') as .xlsx bytes, or as
    PDF bytes (`fmt="pdf"`: the same sheets on A4 landscape pages).

    source: a workspace.Snapshot or an Evaluation. guard: the store the snapshot came from as the
    reader may use it, for the register sheets (improvement actions, exemption requests, batches, month
    closes) and, when the reader has the audit permission, the audit log.
    Raises ReportError for a period the evaluation does not hold (and, for a PDF, when its fonts are
    not installed).
    """
    evaluation = source if isinstance(source, Evaluation) else source.evaluation
    if lang not in ("zh", "en"):
        raise ReportError(*both("unsupported_language", lang=lang))
    if fmt not in FORMATS:
        raise ReportError(*both("unsupported_format", fmt=fmt))
    p = resolve_period(evaluation, period)
    records = fetch_records(guard, evaluation.contract.id)
    buffer = io.BytesIO()
    book: BookWriter
    if fmt == "pdf":
        from sla_core.report.pdf import PdfBook  # fpdf2 only when a PDF is asked for

        book = PdfBook(buffer, lang, evaluation.contract)
    else:
        book = Book(buffer, lang, evaluation.contract)
    now = generated_at or datetime.now(evaluation.contract.zone)
    book.stamp = now.strftime("%Y-%m-%d %H:%M")
    _write(Context(book, evaluation, p, records, now, guard is not None))
    book.close()
    return buffer.getvalue()


def write_report(
    path: str | Path,
    source: Snapshot | Evaluation,
    period: str,
    lang: str = "zh",
    *,
    guard: Guard | None = None,
    generated_at: datetime | None = None,
    fmt: str = "xlsx",
) -> Path:
    """build_report, written to `path` (its folder created when missing)."""
    out = Path(path)
    data = build_report(source, period, lang, guard=guard, generated_at=generated_at, fmt=fmt)
    return write_output(out, data)  # whole or not at all; a full disk or a folder → OutputError


def _write(ctx: Context) -> None:
    ctx.book.set_properties(
        {
            "title": ctx.period_title(),
            "subject": ctx.subtitle(),
            "author": "SLA Quality Dashboard",
            "company": ctx.ev.contract.base.contract.provider,
            "comments": f"{ctx.ev.contract.id} {ctx.p.label} as of {ctx.ev.as_of_iso}",
        }
    )
    for build in SHEET_BUILDERS:
        build(ctx)
