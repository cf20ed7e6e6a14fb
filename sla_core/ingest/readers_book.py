"""An opened file (`Book`: its sheets, a way to read each one's cells as a grid) and why a file cannot be
read at all (`ReadError`, one bilingual message)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:
    from python_calamine import CalamineSheet
from sla_core.ingest.readers_cells import CellTexts, cells_of_note_meanwhile

Format = Literal["csv", "xlsx", "xls", "ods"]


class ReadError(Exception):
    """The file cannot be read at all; carries one bilingual message."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en


def not_spreadsheet(detail_zh: str = "", detail_en: str = "") -> ReadError:
    return ReadError(
        "ingest.not_spreadsheet",
        "文件不是电子表格（支持 xlsx、xlsm、xls、ods 和 csv）" + detail_zh,
        "the file is not a spreadsheet (xlsx, xlsm, xls, ods or csv)" + detail_en,
    )


def corrupt(detail: str) -> ReadError:
    return ReadError(
        "ingest.corrupt",
        f"文件已损坏，无法读取（{detail}）",
        f"the file is damaged and cannot be read ({detail})",
    )


def unreadable(exc: Exception) -> ReadError:
    """calamine's refusal, said as what it is: an XML entity in a spreadsheet is not damage but a file
    built to make a reader fetch other files (XXE), which no spreadsheet program writes."""
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if "entity" in detail.lower():
        return ReadError(
            "ingest.xml_entities",
            "文件中含有 XML 实体声明（电子表格程序从不写入，常见于试图读取服务器文件的攻击）：已拒绝读取",
            "the file declares XML entities, which no spreadsheet program writes (a way to make a reader "
            "fetch other files): it was not read",
        )
    return corrupt(detail)


def encrypted() -> ReadError:
    return ReadError(
        "ingest.encrypted",
        "文件有密码保护：请在 Excel 中取消密码后另存再上传",
        "the file is password-protected: remove the password in Excel, save and upload it again",
    )


@dataclass
class Book:
    """An opened file: its sheets and a way to read each one's cells."""

    format: Format
    sheet_names: list[str]
    hidden: set[str] = field(default_factory=set)
    _workbook: Any = None
    _data: bytes = b""
    _csv_grid: pd.DataFrame | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (code, zh, en) warnings on reading
    # sheet → (row 1-based, column 0-based) → formula, for formula cells the file holds no value of
    # (written by a program, never calculated by Excel): calamine reads them as ''
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    _sheets: dict[str, CalamineSheet] = field(default_factory=dict)
    _notes: dict[str, Callable[[], tuple[CellTexts, CellTexts]]] = field(default_factory=dict)

    def _sheet(self, name: str) -> CalamineSheet:
        if name not in self._sheets:  # calamine parses the whole sheet here: once per sheet
            # the cells calamine reads as '' are looked for meanwhile
            self._notes[name] = cells_of_note_meanwhile(self.format, self._data, name)
            try:
                self._sheets[name] = self._workbook.get_sheet_by_name(name)
            except Exception as exc:  # a damaged sheet (bad deflate stream, broken XML): say so
                raise unreadable(exc) from None
        return self._sheets[name]

    def head(self, name: str | None, nrows: int) -> list[list[Any]]:
        """The first rows of a sheet (row 1 first), for finding the header."""
        if self.format == "csv":
            if self._csv_grid is None:  # an invariant, checked even under python -O
                raise RuntimeError("self._csv_grid is missing")
            rows: list[list[Any]] = self._csv_grid.head(nrows).to_numpy(dtype=object).tolist()
            return rows
        if name is None:  # an invariant, checked even under python -O
            raise RuntimeError("name is missing")
        return self._sheet(name).to_python(skip_empty_area=False, nrows=nrows)

    def grid(self, name: str | None) -> pd.DataFrame:
        if self.format == "csv":
            if self._csv_grid is None:  # an invariant, checked even under python -O
                raise RuntimeError("self._csv_grid is missing")
            return self._csv_grid
        if name is None:  # an invariant, checked even under python -O
            raise RuntimeError("name is missing")
        rows = self._sheet(name).to_python(skip_empty_area=False)
        del self._sheets[name]  # calamine's copy of the cells, freed for what comes next
        frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        errors, self.formulas[name] = self._notes.pop(name)()  # started by _sheet with the parse
        for (row, col), text in errors.items():
            if row in frame.index and col in frame.columns:
                frame.at[row, col] = text
        return frame
