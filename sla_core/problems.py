"""One record type for every problem the core reports: bad contracts, bad rows, evaluation warnings.

Validators collect `Issue`s and return them; only the boundary (CLI, page, import) raises or exits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    level: Level
    code: str
    zh: str
    en: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        zh, en = d.pop("zh"), d.pop("en")
        d["message"] = {"zh": zh, "en": en}
        return d

    def located(self, **where: Any) -> Issue:
        """The same issue with file/sheet/row/column filled in."""
        fields = asdict(self)
        fields.update({k: v for k, v in where.items() if v is not None})
        return Issue(**fields)


def error(code: str, zh: str, en: str, **where: Any) -> Issue:
    return Issue("error", code, zh, en, **where)


def warning(code: str, zh: str, en: str, **where: Any) -> Issue:
    return Issue("warning", code, zh, en, **where)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.level == "error" for i in issues)


class InputRejected(Exception):
    """Raised at a boundary when collected issues contain errors."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = next((i for i in issues if i.level == "error"), None)
        super().__init__(first.en if first else "input rejected")
