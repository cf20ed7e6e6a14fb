"""Collecting issues for one file: every problem, located, with repetitive ones capped and summarised."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from sla_core.problems import Issue, Level

ROWS_PER_PROBLEM = 50  # row-level issues listed per (code, column); the rest are summarised
MAX_ISSUES = 1000  # per file, including the summaries


class Collector:
    def __init__(
        self, file: str | None, *, per_problem: int = ROWS_PER_PROBLEM, limit: int = MAX_ISSUES
    ) -> None:
        self.file = file
        self.sheet: str | None = None
        self.issues: list[Issue] = []
        self.error_rows: set[int] = set()
        self.per_problem = per_problem
        self.limit = limit
        self._seen: Counter[tuple[str, str | None]] = Counter()

    def add(
        self,
        level: Level,
        code: str,
        zh: str,
        en: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        self.issues.append(
            Issue(
                level,
                code,
                zh,
                en,
                file=self.file,
                sheet=self.sheet,
                row=row,
                column=column,
                value=None if value is None else str(value),
            )
        )

    def mark(self, rows: Iterable[int]) -> None:
        self.error_rows.update(int(r) for r in rows)

    def rows(
        self,
        level: Level,
        code: str,
        mask: pd.Series,
        *,
        column: str | None,
        zh: str,
        en: str,
        values: Callable[[list[int]], list[str]] | None = None,
        extra: Callable[[int], tuple[str, str]] | None = None,
    ) -> int:
        """One issue per row where `mask` is true (up to the cap), `{value}` filled in the messages.

        Error rows are recorded in `error_rows` whether listed or not. Returns the number of rows.
        """
        hit = mask.to_numpy(dtype=bool, na_value=False)
        if not hit.any():
            return 0
        rows = [int(r) for r in mask.index[hit]]
        if level == "error":
            self.error_rows.update(rows)
        key = (code, column)
        room = max(self.per_problem - self._seen[key], 0)
        listed = rows[:room]
        self._seen[key] += len(listed)
        shown = values(listed) if values and listed else [None] * len(listed)
        for row, value in zip(listed, shown, strict=True):
            text = "" if value is None else value
            zh_msg, en_msg = zh.replace("{value}", text), en.replace("{value}", text)
            if extra is not None:
                more_zh, more_en = extra(row)
                zh_msg, en_msg = zh_msg + more_zh, en_msg + more_en
            self.add(level, code, zh_msg, en_msg, row=row, column=column, value=value)
        rest = rows[len(listed) :]
        if rest:
            first = ", ".join(str(r) for r in rest[:10]) + (" …" if len(rest) > 10 else "")
            where_zh = f"「{column}」列" if column else ""
            where_en = f' in column "{column}"' if column else ""
            self.add(
                level,
                code,
                f"{where_zh}另有 {len(rest)} 行有同样的问题（行 {first}）",
                f"{len(rest)} more rows{where_en} have the same problem (rows {first})",
                column=column,
                value=str(len(rest)),
            )
        return len(rows)

    def finish(self) -> list[Issue]:
        """File- and column-level issues first, then by row; capped at `limit` with a final summary."""
        order = {id(i): n for n, i in enumerate(self.issues)}
        ranked = sorted(self.issues, key=lambda i: (i.row is not None, i.row or 0, order[id(i)]))
        if len(ranked) <= self.limit:
            return ranked
        errors = [i for i in ranked if i.level == "error"]
        warnings = [i for i in ranked if i.level != "error"]
        keep_ids = {id(i) for i in (errors + warnings)[: self.limit - 1]}
        kept = [i for i in ranked if id(i) in keep_ids]
        dropped = len(ranked) - len(kept)
        summary = Issue(
            "error" if len(errors) > len(kept) else "warning",
            "ingest.too_many_issues",
            f"问题太多：共 {len(ranked)} 条，仅列出前 {len(kept)} 条（另有 {dropped} 条未列出）",
            f"too many problems: {len(ranked)} in all, the first {len(kept)} are listed ({dropped} more)",
            file=self.file,
            sheet=self.sheet,
            value=str(dropped),
        )
        return [*kept, summary]


def row_values(values: pd.Series) -> Callable[[list[int]], list[str]]:
    """A `values` callback that shows the given series' cells."""

    def show(rows: list[int]) -> list[str]:
        out = []
        for v in values.loc[rows].tolist():
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                out.append("")
            else:
                out.append(str(v))
        return out

    return show
