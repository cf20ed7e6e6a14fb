"""Finding the header row (below any title rows) and deciding which column holds what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sla_core.dataset import AUXILIARY, DIMENSION_PREFIX, REQUIRED, SCHEMA, TIMESTAMP, SourceKind
from sla_core.ingest.collect import Collector
from sla_core.ingest.presets import Preset, header_key
from sla_core.ingest.synonyms import COLUMN_LABELS, match_header, normalize
from sla_core.ingest.values import cells, naive_timestamps, parse_bool, parse_number

HEADER_SCAN_ROWS = 30
SKIP_WORD = "忽略"  # the mapping's own word for "skip this column" (a code a mapping file may hold)
IGNORE = ("", "-", "ignore", SKIP_WORD)  # mapping targets that mean "skip this column"


def header_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    return " ".join(str(cell).split())


def column_letter(position: int) -> str:
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _user_index(mapping: dict[str, str] | None) -> dict[str, str]:
    if not mapping:
        return {}
    out: dict[str, str] = {}
    for header, target in mapping.items():
        out.setdefault(normalize(header), (target or "").strip())
    return out


TYPE_PROBE_ROWS = 10  # rows under a candidate header whose cells must parse as the columns' types


def find_header(
    rows: list[list[Any]],
    kind: SourceKind,
    mapping: dict[str, str] | None,
    dimensions: Iterable[str],
    *,
    kinds: Sequence[SourceKind] = (),
    presets: Sequence[Preset] = (),
) -> tuple[int, int]:
    """(1-based row, number of recognised names) of the header among the first rows.

    A candidate row scores by how many of its cells name a column — through the user's mapping, the
    synonyms of `kind` (and of `kinds`), or a preset's headers — times how well the rows beneath it
    parse as those columns' types (a timestamp column holds times, a yes/no column yes/no words). A
    data row whose values happen to be column names ("Closed", "Completed") names columns whose cells
    beneath are not times, and scores nothing. Ties go to the upper row."""
    dims = tuple(dimensions)
    user = _user_index(mapping)
    probe = _TypeProbe(rows)
    best_row, best_score, best_names, first_filled = 0, 0.0, 0, 0
    for n, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        texts = [header_text(c) if isinstance(c, str) else "" for c in row]
        if not any(header_text(c) for c in row):
            continue
        first_filled = first_filled or n
        named = _named_columns(texts, (kind, *kinds), user, dims, presets)
        if not named:
            continue
        score = len(named) * probe.fit(n, named)
        if score > best_score:
            best_row, best_score, best_names = n, score, len(named)
    return (best_row or first_filled), best_names


def _named_columns(
    texts: list[str],
    kinds: Sequence[SourceKind],
    user: dict[str, str],
    dims: tuple[str, ...],
    presets: Sequence[Preset],
) -> dict[int, str]:
    """position → the dtype of the column a header cell names, for the reading that names most
    (one kind's synonyms, or one preset's headers); the user's mapping counts in each reading."""
    best: dict[int, str] = {}
    for kind in dict.fromkeys(kinds):
        schema = SCHEMA[kind]
        found: dict[int, str] = {}
        seen: set[str] = set()
        for pos, text in enumerate(texts):
            if not text:
                continue
            target = user.get(normalize(text)) or match_header(text, kind, dims)
            if not target or target in IGNORE or target in seen:
                continue
            seen.add(target)
            found[pos] = schema.get(target) or AUXILIARY.get(kind, {}).get(target, "string")
        if len(found) > len(best):
            best = found
    for preset in presets:
        kind = "events" if preset.shape == "events" else "tickets"
        if kind not in kinds:
            continue
        columns = {header_key(h): c for h, c in preset.columns.items()}
        found = {}
        for pos, text in enumerate(texts):
            if text and header_key(text) in columns:
                target = columns[header_key(text)]
                found[pos] = SCHEMA[kind].get(target, "string") if target else "string"
        if len(found) > len(best):
            best = found
    return best


class _TypeProbe:
    """Whether the cells of the first rows parse as a type, per column, parsed once per column."""

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows[: HEADER_SCAN_ROWS + TYPE_PROBE_ROWS]
        self._parsed: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}

    def _column(self, pos: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
        """(present, parses) per scanned row for one column and type."""
        key = (pos, dtype)
        if key not in self._parsed:
            raw = pd.Series(
                [r[pos] if pos < len(r) else "" for r in self.rows],
                index=pd.RangeIndex(1, len(self.rows) + 1),
                dtype=object,
            )
            c = cells(raw)
            present = c.present.to_numpy(dtype=bool)
            if dtype == TIMESTAMP:
                naive = naive_timestamps(c)
                bad = naive.bad.to_numpy(dtype=bool) | naive.duration.to_numpy(dtype=bool)
            elif dtype == "bool":
                bad = parse_bool(c).bad.to_numpy(dtype=bool)
            else:
                bad = parse_number(c).bad.to_numpy(dtype=bool)
            self._parsed[key] = (present, present & ~bad)
        return self._parsed[key]

    def fit(self, header_row: int, named: dict[int, str]) -> float:
        """The mean share, over the typed columns named, of the cells beneath that parse as their
        type: 1.0 when it names no typed column, 0.5 (no evidence either way) when none of them has a
        cell beneath — the last row of a file names columns as well as its header does."""
        shares = []
        typed = False
        below = slice(header_row, header_row + TYPE_PROBE_ROWS)  # rows header_row+1 … (0-based)
        for pos, dtype in named.items():
            if dtype not in TYPED:
                continue
            typed = True
            present, parses = self._column(pos, dtype)
            n = int(present[below].sum())
            if n:
                shares.append(float(parses[below].sum()) / n)
        if shares:
            return sum(shares) / len(shares)
        return 0.5 if typed else 1.0


TYPED = frozenset({TIMESTAMP, "bool", "Int64", "Float64"})


@dataclass
class Columns:
    """What each grid column holds."""

    positions: dict[str, tuple[int, str]] = field(default_factory=dict)  # canonical → (position, header)
    mapping: dict[str, str] = field(default_factory=dict)  # header as written → canonical
    unknown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required canonical columns not found


def resolve_columns(
    headers: list[str],
    filled: list[bool],
    kind: SourceKind,
    user_mapping: dict[str, str] | None,
    dimensions: Iterable[str],
    report: Collector,
    required: Iterable[str] | None = None,
) -> Columns:
    """Map headers to canonical columns: the user's mapping first, then synonyms; the first of duplicates wins."""
    dims = tuple(dimensions)
    user = _user_index(user_mapping)
    exact = {k.strip(): (v or "").strip() for k, v in (user_mapping or {}).items()}
    out = Columns()
    targets: dict[int, str | None] = {}
    for pos, header in enumerate(headers):
        if not header:
            continue
        wanted = exact.get(header, user.get(normalize(header)))
        if wanted is not None:
            if wanted in IGNORE:
                targets[pos] = None
                continue
            known = wanted in SCHEMA[kind] or wanted in AUXILIARY.get(kind, {})
            if known or (wanted.startswith(DIMENSION_PREFIX) and kind == "surveys"):
                targets[pos] = wanted
                continue
            report.add(
                "error",
                "ingest.bad_mapping",
                f"列映射无效：「{header}」→「{wanted}」不是{kind}文件的列",
                f'invalid column mapping: "{header}" → "{wanted}" is not a column of a {kind} file',
                column=header,
                value=wanted,
            )
    user_targets = {t for t in targets.values() if t}
    seen_headers: dict[str, str] = {}
    for pos, header in enumerate(headers):
        if not header:
            if filled[pos]:
                out.unknown.append(f"({column_letter(pos)})")
            continue
        key = normalize(header)
        if key in seen_headers:
            report.add(
                "warning",
                "ingest.duplicate_column",
                f"表头「{header}」重复出现，使用第一列（{seen_headers[key]}）",
                f'the header "{header}" appears twice; the first column ({seen_headers[key]}) is used',
                column=header,
            )
            continue
        seen_headers[key] = column_letter(pos)
        if pos in targets:
            canonical = targets[pos]
            if canonical is None:
                continue
        else:
            canonical = match_header(header, kind, dims)
            if canonical in user_targets:
                canonical = None  # the user chose another column for it
        if canonical is None:
            out.unknown.append(header)
            continue
        if canonical in out.positions:
            first = out.positions[canonical][1]
            report.add(
                "warning",
                "ingest.duplicate_column",
                f"「{header}」与「{first}」都对应 {canonical}，使用第一列「{first}」",
                f'"{header}" and "{first}" both mean {canonical}; the first, "{first}", is used',
                column=header,
                value=canonical,
            )
            continue
        out.positions[canonical] = (pos, header)
        out.mapping[header] = canonical
    if out.unknown:
        listed = "、".join(out.unknown)
        report.add(
            "warning",
            "ingest.unknown_columns",
            f"以下列未能识别，未导入：{listed}（可在列映射中指定）",
            f"columns not recognised and not imported: {', '.join(out.unknown)} (map them to use them)",
            value=", ".join(out.unknown),
        )
    for needed in REQUIRED[kind] if required is None else required:
        if needed not in out.positions:
            out.missing.append(needed)
            zh, en = COLUMN_LABELS.get(needed, (needed, needed))
            report.add(
                "error",
                "ingest.missing_column",
                f"缺少必填列「{zh}」（{needed}）",
                f'missing required column "{en}" ({needed})',
                column=needed,
            )
    return out


def choose_header_row(
    grid: pd.DataFrame,
    kinds: tuple[SourceKind, ...],
    mapping: dict[str, str] | None,
    dims: tuple[str, ...],
    presets: Sequence[Preset],
    wanted: int | None,
    report: Collector,
) -> int:
    """The header row: the user's (--header-row), else the best-matching row; 0 after an error."""
    if wanted is not None:
        if 1 <= wanted <= len(grid):
            return wanted
        report.add(
            "error",
            "ingest.no_header_row",
            f"表头行 {wanted} 不存在：工作表只有 {len(grid)} 行",
            f"there is no header row {wanted}: the sheet has {len(grid)} rows",
            value=str(wanted),
        )
        return 0
    head = grid.head(HEADER_SCAN_ROWS + TYPE_PROBE_ROWS).to_numpy(dtype=object).tolist()
    row, _ = find_header(head, kinds[0], mapping, dims, kinds=kinds, presets=presets)
    if row == 0:  # nothing but spaces in the first rows
        report.add("error", "ingest.empty", "工作表是空的", "the sheet is empty")
    return row


def _row_text(values: list[Any], limit: int = 60) -> str:
    text = " · ".join(t for t in (header_text(v) for v in values) if t)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows_above(
    grid: pd.DataFrame, blank_rows: np.ndarray, header_row: int, report: Collector
) -> list[tuple[int, str]]:
    """The non-blank rows above the header (titles, notes — or data a wrong header would lose), each
    with its text: never dropped silently, always reported."""
    rows = [
        (int(r), _row_text(grid.loc[r].tolist()))
        for r, empty in zip(grid.index[: header_row - 1], blank_rows[: header_row - 1], strict=False)
        if not empty
    ]
    if not rows:
        return rows
    shown = "; ".join(f"{r}: {text}" for r, text in rows[:5]) + (" …" if len(rows) > 5 else "")
    listed = ", ".join(str(r) for r, _ in rows)
    report.add(
        "warning",
        "ingest.rows_above_header",
        f"表头在第 {header_row} 行；其上方的第 {listed} 行不是数据，未读入（{shown}）",
        f"the header is row {header_row}; row(s) {listed} above it are not data and were not read ({shown})",
        value=listed,
    )
    return rows


def no_preset_matched(
    headers: list[str],
    header_row: int,
    kind: SourceKind,
    preset: Preset | None,
    presets: Sequence[Preset],
    report: Collector,
) -> None:
    """Required columns are missing: say which headers were read from which row, and which preset
    comes closest (a misread header shows as headers that are data)."""
    seen = [h for h in headers if h]
    shown = ", ".join(f'"{h}"' for h in seen[:15]) + (" …" if len(seen) > 15 else "")
    zh_shown = "、".join(f"「{h}」" for h in seen[:15]) + (" …" if len(seen) > 15 else "")
    closest = preset or closest_preset(seen, kind, presets)
    zh_hint = en_hint = ""
    if closest is not None:
        have = {header_key(h) for h in seen}
        lacking = [h for h, c in closest.columns.items() if c and header_key(h) not in have][:6]
        zh_hint = f"；最接近的预设：{closest.name}（缺少 {'、'.join(lacking)}）" if lacking else ""
        en_hint = f"; the closest preset: {closest.name} (lacking {', '.join(lacking)})" if lacking else ""
        if not lacking:
            zh_hint, en_hint = f"；最接近的预设：{closest.name}", f"; the closest preset: {closest.name}"
    elif presets:
        zh_hint, en_hint = "；没有相近的预设", "; no preset comes close"
    report.add(
        "error",
        "ingest.header_not_recognised",
        f"第 {header_row} 行被当作表头，读到的列名：{zh_shown}{zh_hint}。"
        "如果表头在别的行，请指定表头行（--header-row），或在列映射中指定各列",
        f"row {header_row} was taken as the header, with the column names {shown}{en_hint}. If the "
        "header is another row, give it (--header-row), or map the columns",
        row=header_row,
        value=", ".join(seen),
    )


def closest_preset(headers: Sequence[str], kind: SourceKind, presets: Sequence[Preset]) -> Preset | None:
    """The preset (of the kind's shape) sharing most headers with the file; None when none shares two."""
    have = {header_key(h) for h in headers if h}
    shape = "events" if kind == "events" else "tickets"
    best, chosen = 1, None
    for preset in presets:
        if preset.shape != shape:
            continue
        shared = len(preset.keys() & have)
        if shared > best:
            best, chosen = shared, preset
    return chosen
