"""Finding the header row (below any title rows) and deciding which column holds what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sla_core.dataset import DIMENSION_PREFIX, REQUIRED, SCHEMA, SourceKind
from sla_core.ingest.collect import Collector
from sla_core.ingest.synonyms import COLUMN_LABELS, match_header, normalize

HEADER_SCAN_ROWS = 30
IGNORE = ("", "-", "ignore", "忽略")  # mapping targets that mean "skip this column"


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


def find_header(
    rows: list[list[Any]], kind: SourceKind, mapping: dict[str, str] | None, dimensions: Iterable[str]
) -> tuple[int, int]:
    """(1-based row, number of recognised cells) of the row among the first ones that names most columns."""
    dims = tuple(dimensions)
    user = _user_index(mapping)
    best_row, best_score, first_filled = 0, 0, 0
    for n, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        texts = [header_text(c) for c in row]
        if not any(texts):
            continue
        first_filled = first_filled or n
        recognised = {
            (user.get(normalize(t)) or match_header(t, kind, dims)) for t in texts if t and isinstance(t, str)
        }
        score = len({r for r in recognised if r and r not in IGNORE})
        if score > best_score:
            best_row, best_score = n, score
    return (best_row or first_filled), best_score


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
            if wanted in SCHEMA[kind] or (wanted.startswith(DIMENSION_PREFIX) and kind == "surveys"):
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
    for required in REQUIRED[kind]:
        if required not in out.positions:
            out.missing.append(required)
            zh, en = COLUMN_LABELS.get(required, (required, required))
            report.add(
                "error",
                "ingest.missing_column",
                f"缺少必填列「{zh}」（{required}）",
                f'missing required column "{en}" ({required})',
                column=required,
            )
    return out
