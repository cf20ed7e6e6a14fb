"""Bytes → a grid of raw cells per sheet. No parsing of values beyond what the file format gives.

A grid is a DataFrame whose index is the row number as the spreadsheet shows it (1-based) and whose
columns are the 0-based column positions. CSV grids hold `str` cells ('' = empty); Excel grids hold
what calamine gives (str, float, int, bool, date, datetime, time, timedelta; '' = empty), with Excel
error cells (which calamine reads as empty) put back as their error text (`#DIV/0!`).
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from sla_core.ingest.readers_book import (
    Book,
    Format,
    ReadError,
    corrupt,
    encrypted,
    not_spreadsheet,
    unreadable,
)
from sla_core.ingest.readers_text import decode_text, open_text, sniff_delimiter

__all__ = [
    "DEFAULT_MAX_UNPACKED",
    "OLE_MAGIC",
    "Book",
    "Format",
    "ReadError",
    "decode_text",
    "open_book",
    "sniff_delimiter",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
DEFAULT_MAX_UNPACKED = 500 * 1024 * 1024  # a zip's declared uncompressed size, all members together
MAX_RATIO = 200  # real sheets compress 8-15 times; deflate can reach ~1000
RATIO_FLOOR = 10 * 1024 * 1024  # members smaller than this unpacked are never a bomb worth refusing


def open_book(
    data: bytes,
    *,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> Book:
    """Detect the format from the content (never from the extension) and open it.

    A text file's `delimiter` and `encoding` are found from the file unless given (the command line's
    --delimiter and --encoding).

    A zip (xlsx, ods) whose members would unpack to more than `max_unpacked_bytes`, or that looks
    like a zip bomb, is refused from its directory alone, before anything is decompressed."""
    if not data:
        raise ReadError("ingest.empty", "文件是空的", "the file is empty")
    if not data[:65536].strip(b"\x00") and not data.strip(b"\x00"):
        raise ReadError(
            "ingest.only_zeros",
            "文件只有零字节（NUL）：可能是没有写完或被清空的文件，请重新导出",
            "the file holds nothing but zero bytes (NUL): a file never finished or wiped; export it again",
        )
    if data.startswith(ZIP_MAGIC):
        return _open_zip(data, max_unpacked_bytes)
    if data.startswith(OLE_MAGIC):
        return _open_ole(data)
    return open_text(data, delimiter, encoding)


# ---------------------------------------------------------------- Excel and ODS


def _calamine(data: bytes, fmt: Format) -> Book:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise encrypted() from None
    except Exception as exc:  # calamine raises several types (zip, xml, BIFF errors)
        raise unreadable(exc) from None
    names: list[str] = []
    hidden: set[str] = set()
    for meta in workbook.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        names.append(meta.name)
        if meta.visible != pc.SheetVisibleEnum.Visible:
            hidden.add(meta.name)
    return Book(format=fmt, sheet_names=names, hidden=hidden, _workbook=workbook, _data=data)


def _check_unpacked(infos: list[zipfile.ZipInfo], packed: int, limit: int) -> None:
    """Refuse a zip from its declared sizes: more than `limit` bytes unpacked, a member that unpacks
    more than MAX_RATIO times its compressed size, or members that overlap (compressed sizes adding up
    to more than the file holds)."""
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise ReadError(
            "ingest.too_large_unpacked",
            f"文件解压后有 {total / 1048576:.0f} MB，超过上限 {limit / 1048576:g} MB："
            "请按月份拆分文件，或另存为 CSV",
            f"the file unpacks to {total / 1048576:.0f} MB, above the limit of {limit / 1048576:g} MB: "
            "split it (by month, say) or save it as CSV",
        )
    bomb = sum(i.compress_size for i in infos) > packed or any(
        i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos
    )
    if bomb:
        raise ReadError(
            "ingest.zip_bomb",
            "文件的压缩比异常（疑似压缩炸弹），已拒绝读取",
            "the file's compression is abnormal (it looks like a zip bomb); it was not read",
        )


def _open_zip(data: bytes, max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED) -> Book:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_unpacked(infos, len(data), max_unpacked_bytes)
            members = {i.filename for i in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in members else b""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, NotImplementedError) as exc:
        raise corrupt(str(exc) or "zip") from None
    if "xl/workbook.xml" in members or "xl/workbook.bin" in members:
        return _calamine(data, "xlsx")
    if b"opendocument.spreadsheet" in mimetype or ("content.xml" in members and not mimetype):
        return _calamine(data, "ods")
    if "[Content_Types].xml" in members and not any(m.startswith("xl/") for m in members):
        raise not_spreadsheet("：这是 Word 或 PowerPoint 文档", ": it is a Word or PowerPoint document")
    raise not_spreadsheet("：这是一个普通压缩包", ": it is a plain zip archive")


def _open_ole(data: bytes) -> Book:
    if ENCRYPTED_PACKAGE in data[: 1 << 20] or ENCRYPTED_PACKAGE in data[-(1 << 20) :]:
        raise encrypted()
    try:
        return _calamine(data, "xls")
    except ReadError:
        if ENCRYPTED_PACKAGE in data:  # a large encrypted file whose directory sits in the middle
            raise encrypted() from None
        raise
