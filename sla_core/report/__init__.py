"""Excel exports: the monthly service report and the quarterly review pack.

`build_report(source, "2026-06" | "2026Q2", "zh" | "en", guard=None)` returns the bytes of an .xlsx
workbook a quality manager sends to the client as it is (doc 003: KPI achievement, problem list,
improvement measures). `source` is a `workspace.Snapshot` or an `Evaluation`; with a `Guard` (the store
as the reader may use it), the register sheets (improvement actions, exemption requests, batches and
their data-quality log, month closes) are filled from it, and the audit log too when the reader has the
audit permission (otherwise the pack has no audit sheet); without one they say so and list what the
evaluation knows. Pages export through `Guard.export_report`, which also writes the export to the audit
log.

Sheets: Summary · KPI scorecard · Trends (native line charts, target drawn as a line) · Breached
tickets · Open tickets · Outages · Penalties · Obligations & actions · Exemptions · Reconciliation ·
Survey flags · Data quality · Contract terms · Audit log.

Numbers are written as numbers with formats (rates as fractions with %, durations as fractions of a
day with [h]:mm:ss, money with the currency, targets as numbers whose format shows the operator).
Every string is written with `write_string`, so text beginning with = + - @ stays text. The workbook
is written in xlsxwriter's constant_memory mode (each row streamed to a temporary file as soon as the
next begins), which is why every sheet below is written strictly top to bottom.

Modules: `build` (build_report, write_report: the sheets in order) · `period` (the month or quarter, the
download name) · `records` (what the store adds) · `context` (what every sheet builder shares) · the sheet
builders `summary` (Summary, KPI scorecard), `trends`, `tickets` (breached, open), `outages`, `penalties`
(penalties, obligations & actions, exemptions), `quality` (reconciliation, survey flags, data quality,
audit log), `terms` · `layout` (what a workbook or PDF writer offers the builders) · `xlsx` (the layout
engine) · `pdf`, `pdf_table`, `pdf_charts`, `numfmt` (the same sheets as a PDF) · `cells` (values as Excel
cells). Every word comes from `sla_core.i18n` by key (the pack's in `i18n/pack.py`); no module here holds a
Chinese string of its own (tests/core/test_report_literals.py). The command `python -m sla_core report`
lives in `sla_core.cli_report`.
"""

from sla_core.report.build import FORMATS, MIME, MIMES, SHEET_BUILDERS, build_report, write_report
from sla_core.report.period import ReportError, ReportPeriod, report_filename, resolve_period
from sla_core.report.records import MAX_LOG_ROWS
from sla_core.report.trends import TREND_KPIS

__all__ = [
    "FORMATS",
    "MAX_LOG_ROWS",
    "MIME",
    "MIMES",
    "SHEET_BUILDERS",
    "TREND_KPIS",
    "ReportError",
    "ReportPeriod",
    "build_report",
    "report_filename",
    "resolve_period",
    "write_report",
]
