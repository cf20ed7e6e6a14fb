"""Reading ticket, survey, outage and measures spreadsheets into the canonical frames.

`read_file` never raises for a bad file: whatever is wrong comes back as `Issue`s (level, code, file,
sheet, row as the spreadsheet shows it, column as written, value, message in Chinese and English).

    result = read_file("tickets.xlsx", "tickets", terms)
    if has_errors(result.issues):
        result = valid_rows_only(result)   # "import the valid rows and skip the rest"
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sla_core.contract import Contract, Terms
from sla_core.dataset import (
    DIMENSION_PREFIX,
    REQUIRED,
    ROW,
    SCHEMA,
    TIMESTAMP,
    Dataset,
    Kind,
    SourceKind,
    conform,
)
from sla_core.ingest.collect import Collector
from sla_core.ingest.feeds import unfed_issues, unfed_kpis
from sla_core.ingest.headers import (
    choose_header_row,
    find_header,
    header_text,
    no_preset_matched,
    resolve_columns,
    rows_above,
)
from sla_core.ingest.history import derive_result
from sla_core.ingest.presets import (
    BUILTIN,
    Preset,
    PresetChoice,
    apply_preset,
    choose_preset,
    preset_cells,
    state_table,
)
from sla_core.ingest.readers import DEFAULT_MAX_UNPACKED, Book, ReadError, open_book
from sla_core.ingest.result import IngestResult
from sla_core.ingest.rules import Context, build_frame, column_dtype, label_key, required_columns
from sla_core.ingest.shape import ShapeChoice, shape_of
from sla_core.ingest.synonyms import KIND_LABELS, suggest_mapping
from sla_core.ingest.values import Cells, DateOrder, cells, text_typed

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNPACKED",
    "IngestResult",
    "Preset",
    "read_dataset",
    "read_file",
    "read_history",
    "read_tickets",
    "suggest_mapping",
    "valid_rows_only",
]

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
COLUMN_THREADS = min(4, os.cpu_count() or 1)
Source = str | Path | bytes


@dataclass(frozen=True)
class ReadOptions:
    """How to read one file: the user's overrides (all optional; the file decides the rest)."""

    sheet: str | None = None
    mapping: dict[str, str] | None = None
    date_order: DateOrder | None = None
    delimiter: str | None = None  # a CSV's delimiter (found from the records when None)
    encoding: str | None = None  # a text file's encoding (found from the bytes when None)
    header_row: int | None = None  # 1-based; found from the presets, synonyms and types when None
    shape: ShapeChoice | None = None  # tickets files: auto / ticket / history; None reads as `kind` says
    presets: tuple[Preset, ...] = ()


def _terms_of(terms: Terms | Contract) -> tuple[Terms, dict[str, str]]:
    """The terms to read with and priority labels → id (labels of every version when given a contract)."""
    versions = terms.versions if isinstance(terms, Contract) else (terms,)
    labels: dict[str, str] = {}
    for version in reversed(versions):
        for p in version.priorities:
            for label in (p.id, *p.labels):
                labels.setdefault(label_key(label), p.id)
    return versions[-1], labels


def _load(source: Source, max_bytes: int, report: Collector) -> bytes | None:
    limit_mb = max_bytes / (1024 * 1024)

    def too_large(size: int) -> None:
        report.add(
            "error",
            "ingest.too_large",
            f"文件太大（{size / 1048576:.1f} MB），上限为 {limit_mb:g} MB",
            f"the file is too large ({size / 1048576:.1f} MB); the limit is {limit_mb:g} MB",
            value=str(size),
        )

    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                too_large(size)
                return None
            data = path.read_bytes()
        except OSError as exc:
            report.add(
                "error",
                "ingest.unreadable",
                f"无法打开文件：{exc.strerror or exc}",
                f"cannot open the file: {exc.strerror or exc}",
            )
            return None
    if len(data) > max_bytes:
        too_large(len(data))
        return None
    return data


def _texts_of(shown: dict[int, str], rows: list[int]) -> list[str]:
    return [shown[r] for r in rows]


def _blank_cells(grid: pd.DataFrame) -> np.ndarray:
    """rows × columns: True where a cell is empty."""
    if grid.shape[1] == 0:
        return np.ones((len(grid), 0), dtype=bool)
    return np.column_stack([_blank_in(grid[c]) for c in grid.columns])


def _blank_in(column: pd.Series) -> np.ndarray:
    if column.dtype == object:  # an Excel grid: numpy's element-wise == is Series.eq without its wrappers
        return np.asarray(column.to_numpy(dtype=object) == "", dtype=bool)
    return column.eq("").fillna(True).to_numpy(dtype=bool)


def _blank_column(dtype: str, index: pd.Index) -> pd.Series:
    if dtype == "bool":
        return pd.Series(False, index=index)
    if dtype == TIMESTAMP:
        return pd.Series(pd.NaT, index=index, dtype=TIMESTAMP)
    return pd.Series(pd.NA, index=index, dtype=dtype)


def _choose_sheet(
    book: Book,
    kinds: tuple[SourceKind, ...],
    sheet: str | None,
    mapping: dict[str, str] | None,
    dims: tuple[str, ...],
    report: Collector,
    presets: Sequence[Preset] = (),
) -> str | Literal[False] | None:
    """The sheet to read (None for CSV); False when there is none."""
    if book.format == "csv":
        return None
    names = book.sheet_names
    if sheet is not None:
        if sheet in names:
            return sheet
        report.add(
            "error",
            "ingest.no_sheet",
            f"找不到工作表「{sheet}」；文件中的工作表：{'、'.join(names)}",
            f'there is no sheet "{sheet}"; the sheets are: {", ".join(names)}',
            value=sheet,
        )
        return False
    first_with_data: str | None = None
    ordered = [n for n in names if n not in book.hidden] + [n for n in names if n in book.hidden]
    for name in ordered:
        head = book.head(name, 30)
        if not any(header_text(c) for row in head for c in row):
            continue
        first_with_data = first_with_data or name
        row, _ = find_header(head, kinds[0], mapping, dims, kinds=kinds, presets=presets)
        texts = [header_text(c) for c in head[row - 1]]
        for kind in kinds:
            if set(REQUIRED[kind]) <= set(suggest_mapping(texts, kind, dims).values()):
                return name
    if first_with_data is None:
        report.add(
            "error",
            "ingest.empty",
            "文件中没有数据（所有工作表都是空的）",
            "the file holds no data (every sheet is empty)",
        )
        return False
    return first_with_data


def read_file(
    source: Source,
    kind: SourceKind,
    terms: Terms | Contract,
    *,
    file_name: str | None = None,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    now: datetime | None = None,
    date_order: DateOrder | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED,
    preset: Preset | str | None = None,
    presets: Sequence[Preset] = (),
    delimiter: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    shape: ShapeChoice | None = None,
) -> IngestResult:
    """Read one spreadsheet of `kind` into its canonical frame, collecting every problem.

    `preset`: None recognises the source from the headers (among the user's `presets` and the built-in
    ones, `ingest.presets`); a preset or its id reads with that one; "" reads without any.

    `shape` (tickets only): "auto" tells one row per ticket from one row per status change by the file
    itself; "ticket" / "history" override it. A status history comes back as kind "events" (to be
    derived into tickets: `read_tickets` does both). None reads the file as `kind` says.

    `delimiter`, `encoding`, `sheet` and `header_row` override what the file shows. `max_bytes` limits
    the file; `max_unpacked_bytes` what an xlsx/ods unpacks to (checked from the zip's directory before
    anything is decompressed)."""
    if file_name is None and not isinstance(source, bytes | bytearray | memoryview):
        file_name = Path(source).name
    report = Collector(file_name)
    result = IngestResult(frame=None, file_name=file_name, kind=kind)
    options = ReadOptions(
        sheet, mapping, date_order, delimiter, encoding, header_row, shape if kind == "tickets" else None
    )
    options = dataclasses.replace(options, presets=tuple(presets))
    try:
        limits = (max_bytes, max_unpacked_bytes)
        choice = (preset, tuple(presets))  # the preset, chosen once the headers are known
        _read(source, kind, terms, options, now, limits, choice, report, result)
    except Exception as exc:  # a bad file must never end in a traceback
        report.add(
            "error",
            "ingest.internal",
            f"读取文件时发生意外错误：{type(exc).__name__}: {exc}",
            f"unexpected problem while reading the file: {type(exc).__name__}: {exc}",
        )
        result.frame = None
    result.issues = report.finish()
    result.error_rows = report.error_rows
    if result.frame is not None:
        result.unfed = unfed_kpis(result.kind, result.columns_present, terms.kpi_ids)
    return result


def _sha256_meanwhile(data: bytes) -> Callable[[], str]:
    """The file's sha256, computed in a thread while the file is parsed (hashlib lets go of the GIL:
    a second of a 200 MB CSV's reading that no longer adds up); call the result for the hex digest."""
    out: list[str] = []
    worker = threading.Thread(target=lambda: out.append(hashlib.sha256(data).hexdigest()), daemon=True)
    worker.start()

    def hexdigest() -> str:
        worker.join()
        return out[0] if out else hashlib.sha256(data).hexdigest()

    return hexdigest


def _read(
    source: Source,
    kind: SourceKind,
    terms_or_contract: Terms | Contract,
    options: ReadOptions,
    now: datetime | None,
    limits: tuple[int, int],
    choice: PresetChoice,
    report: Collector,
    result: IngestResult,
) -> None:
    terms, labels = _terms_of(terms_or_contract)
    mapping, date_order = options.mapping, options.date_order
    max_bytes, max_unpacked_bytes = limits
    data = _load(source, max_bytes, report)
    if data is None:
        return
    digest = _sha256_meanwhile(data)
    try:
        book = open_book(
            data,
            max_unpacked_bytes=max_unpacked_bytes,
            delimiter=options.delimiter,
            encoding=options.encoding,
        )
    except ReadError as exc:
        report.add("error", exc.code, exc.zh, exc.en)
        return
    finally:
        result.sha256 = digest()
    _book_notes(book, result.file_name, report)
    result.sheets = list(book.sheet_names)
    dims = tuple(terms.surveys.dimensions) if kind == "surveys" else ()
    kinds: tuple[SourceKind, ...] = (kind, "events") if options.shape else (kind,)
    presets = (*options.presets, *BUILTIN) if kind in ("tickets", "events") else ()
    try:
        chosen = _choose_sheet(book, kinds, options.sheet, mapping, dims, report, presets)
    except ReadError as exc:  # a sheet too damaged to look at
        report.add("error", exc.code, exc.zh, exc.en)
        return
    if chosen is False:
        return
    result.sheet = chosen
    report.sheet = chosen
    try:
        grid = book.grid(chosen)
    except ReadError as exc:
        report.add("error", exc.code, exc.zh, exc.en)
        return
    except Exception as exc:
        report.add("error", "ingest.corrupt", f"工作表无法读取：{exc}", f"the sheet cannot be read: {exc}")
        return
    blank = _blank_cells(grid)
    blank_rows = np.asarray(blank.all(axis=1), dtype=bool)
    if len(grid) == 0 or bool(blank_rows.all()):
        report.add("error", "ingest.empty", "工作表是空的", "the sheet is empty")
        return
    header_row = choose_header_row(grid, kinds, mapping, dims, presets, options.header_row, report)
    if header_row == 0:
        return
    result.header_row = header_row
    headers = [header_text(c) for c in grid.loc[header_row].to_numpy(dtype=object).tolist()]
    above = rows_above(grid, blank_rows, header_row, report)
    result.rows_above, result.rows_above_text = [r for r, _ in above], [t for _, t in above]
    below = (grid.index > header_row) & ~blank_rows
    body = grid.iloc[header_row:] if below[header_row:].all() else grid[below]
    if options.shape:
        read_as = shape_of(options.shape, headers, body, mapping, date_order, presets, choice, report)
        kind, body, mapping = read_as.kind, read_as.body, read_as.mapping
        result.shape, result.shape_forced, result.earlier_rows = (
            read_as.kind,
            read_as.forced,
            read_as.earlier_rows,
        )
        below = grid.index.isin(body.index)
    chosen_preset = choose_preset(choice, headers, kind, result)
    if options.shape:  # what the file looks like, as the shape was decided (not only its headers)
        result.looks_like_history = read_as.history
    mapping, date_order = apply_preset(chosen_preset, mapping, date_order, terms, labels)
    filled: list[bool] = np.asarray((~blank[below]).any(axis=0)).tolist()
    required = required_columns(kind, terms)
    columns = resolve_columns(headers, filled, kind, mapping, dims, report, required)
    if columns.missing:
        no_preset_matched(headers, header_row, kind, chosen_preset, presets, report)
    result.mapping = columns.mapping
    result.unknown_columns = columns.unknown
    result.rows_total = len(body)
    if len(body) == 0:
        zh_kind, en_kind = KIND_LABELS[kind]
        report.add(
            "warning",
            "ingest.no_rows",
            f"表头下没有数据行（{zh_kind}文件为空）",
            f"there are no data rows under the header (an empty {en_kind} file)",
        )
    if columns.missing:
        report.mark(body.index)  # no row can be used without a required column
    if book.formulas.get(chosen or ""):
        _formulas_without_value(book.formulas[chosen or ""], columns.positions, body.index, kind, report)
    now_utc = pd.Timestamp(now or datetime.now(UTC))
    now_utc = now_utc.tz_localize(terms.zone.key) if now_utc.tzinfo is None else now_utc
    ctx = Context(
        kind=kind,
        terms=terms,
        priority_labels=labels,
        zone=terms.zone,
        now=now_utc.tz_convert("UTC"),
        date_order=date_order,
        report=report,
        index=body.index,
        file_id=result.sha256[:12],
        states=state_table(chosen_preset, terms.statuses.cancelled),
    )

    def typed_cells(canonical: str, header: str, raw: pd.Series) -> tuple[str, Cells]:
        return header, cells(preset_cells(text_typed(raw), column_dtype(kind, canonical), chosen_preset))

    # one column per thread: their Arrow and numpy work releases the GIL (1M-row CSV: 3.6 s -> 3.0 s)
    with ThreadPoolExecutor(max_workers=COLUMN_THREADS) as pool:
        split = {
            c: pool.submit(typed_cells, c, header, body[pos])
            for c, (pos, header) in columns.positions.items()
        }
    typed = {canonical: job.result() for canonical, job in split.items()}
    frame, present = build_frame(kind, typed, ctx)
    frame[ROW] = pd.array(frame.index.to_numpy(), dtype="Int64")
    dim_columns = [c for c in frame.columns if c.startswith(DIMENSION_PREFIX)]
    for column, dtype in SCHEMA[kind].items():  # blank columns built directly: faster than conform's
        if column not in frame:
            frame[column] = _blank_column(dtype, frame.index)
    frame = conform(kind, frame.reset_index(drop=True))
    ordered = [*SCHEMA[kind], *dim_columns, ROW]
    result.frame = frame[ordered]
    result.columns_present = frozenset(present) & (set(SCHEMA[kind]) | set(dim_columns))
    result.kind = kind


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _book_notes(book: Book, file_name: str | None, report: Collector) -> None:
    """Warnings about the file as a whole: what the reader had to repair, a name that misleads."""
    for code, zh, en in book.notes:
        report.add("warning", code, zh, en)
    if book.format == "csv" and file_name and Path(file_name).suffix.lower() in SPREADSHEET_SUFFIXES:
        report.add(
            "warning",
            "ingest.text_not_spreadsheet",
            f"文件名是 {Path(file_name).suffix}，但内容是文本，已按 CSV 读取",
            f"the file is named {Path(file_name).suffix} but holds text; it was read as CSV",
            value=file_name,
        )


def _formulas_without_value(
    formulas: dict[tuple[int, int], str],
    positions: Mapping[str, tuple[int, str]],
    index: pd.Index,
    kind: SourceKind,
    report: Collector,
) -> None:
    """Formula cells the file holds no calculated value of (a program wrote them, Excel never
    calculated them): read as blank, an error in a required column, else a warning."""
    for canonical, (pos, header) in positions.items():
        shown = {row: text for (row, col), text in formulas.items() if col == pos}
        mask = pd.Series(index.isin(list(shown)), index=index)
        required = canonical in REQUIRED[kind]
        report.rows(
            "error" if required else "warning",
            "ingest.formula_without_value",
            mask,
            column=header,
            values=partial(_texts_of, shown),
            zh="单元格是公式「{value}」，文件中没有它的计算结果"
            + ("" if required else "，按空白处理")
            + "：请在 Excel 中打开、重新计算并保存后再上传",
            en='the cell holds the formula "{value}" but the file has no calculated value for it'
            + ("" if required else "; read as blank")
            + ": open it in Excel, let it calculate, save and upload it again",
        )


def read_tickets(
    source: Source,
    terms: Terms | Contract,
    *,
    shape: ShapeChoice = "auto",
    presets: Sequence[Preset] = (),
    **options: Any,
) -> IngestResult:
    """A tickets file as downloaded: one row per ticket, or a status history (one row per status
    change, told from the file itself unless `shape` says) with one ticket row derived per ticket
    (spec "Rule (status history)", `ingest.history`): either way a tickets result, whose `shape` says
    how it was read and whose `history` reports the derivation. Options as for `read_file`."""
    result = read_file(source, "tickets", terms, presets=presets, shape=shape, **options)
    if result.kind == "events":
        return derive_result(result, terms, presets)
    return result


def read_history(
    source: Source, terms: Terms | Contract, *, presets: Sequence[Preset] = (), **options: Any
) -> IngestResult:
    """Read a file as a status history (one row per status change), whatever it looks like."""
    return read_tickets(source, terms, shape="history", presets=presets, **options)


def valid_rows_only(result: IngestResult) -> IngestResult:
    """The same result without the rows that have errors; the issues stay (they say what was skipped)."""
    if result.frame is None:
        return result
    keep = ~result.frame[ROW].isin(list(result.error_rows)).to_numpy(dtype=bool)
    return dataclasses.replace(result, frame=result.frame[keep].reset_index(drop=True))


def read_dataset(
    paths: Mapping[Kind, Source],
    terms: Terms | Contract,
    *,
    mappings: Mapping[Kind, dict[str, str]] | None = None,
    sheets: Mapping[Kind, str] | None = None,
    now: datetime | None = None,
    date_order: DateOrder | None = None,
    skip_invalid_rows: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    shape: ShapeChoice = "auto",
    read_options: Mapping[str, Any] | None = None,
) -> Dataset:
    """Read the files of one evaluation (command line: --tickets T.xlsx --surveys S.xlsx …); the tickets
    file as `read_tickets` reads it (one row per ticket, or a status history). `read_options`
    (delimiter, encoding, header_row) apply to every file."""
    dataset = Dataset()
    for kind, source in paths.items():
        options: dict[str, Any] = {
            "sheet": (sheets or {}).get(kind),
            "mapping": (mappings or {}).get(kind),
            "now": now,
            "date_order": date_order,
            "max_bytes": max_bytes,
            **(read_options or {}),
        }
        if kind == "tickets":
            result = read_tickets(source, terms, shape=shape, **options)
        else:
            result = read_file(source, kind, terms, **options)
        if skip_invalid_rows:
            result = valid_rows_only(result)
        setattr(dataset, kind, result.frame)
        dataset.columns[kind] = result.columns_present
        dataset.issues.extend(result.issues)
        dataset.issues.extend(unfed_issues(result.unfed, result.file_name))
    return dataset
