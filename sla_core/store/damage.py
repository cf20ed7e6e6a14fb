"""A store file that cannot be read, said plainly: which file, why, the newest backup that opens, and the
command that restores it. A full or read-only disk is not damage, and is said as what it is.

DuckDB reports a damaged file as an IOException ("not a valid DuckDB database file", "Could not read
enough bytes") or a plain Error ("Corrupt database file: computed checksum … does not match").
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from sla_core.files import disk_issue
from sla_core.problems import Issue, error

BACKUPS_CHECKED = 5  # the newest few are tried; each costs opening a file
_DAMAGE_WORDS = ("corrupt", "not a valid duckdb", "could not read enough bytes", "checksum")


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error says the file itself is unreadable (not busy, not the disk)."""
    if not isinstance(exc, duckdb.Error):
        return False
    text = str(exc).lower()
    if any(word in text for word in _DAMAGE_WORDS):
        return True
    return isinstance(exc, duckdb.IOException) and "lock" not in text and disk_issue(text, None) is None


def _reason(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first if len(first) <= 160 else first[:157] + "…"


def _opens(path: Path) -> bool:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        from sla_core.store.db import read_everything  # db imports this module

        con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
        read_everything(con)
        return True
    except duckdb.Error:
        return False
    finally:
        con.close()


def newest_backup(db: Path) -> Path | None:
    """The newest backup beside the store (`backups/<name>*.duckdb`, the app's and `backup`'s own) that
    opens as a store. Copies taken of a file about to be replaced by a restore are not offered."""
    folder = db.parent / "backups"
    if not folder.is_dir():
        return None
    candidates = [
        p
        for p in folder.glob(f"{db.stem}*.duckdb")
        if p.is_file() and "before-restore" not in p.name and not p.name.startswith(".")
    ]
    candidates.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in candidates[:BACKUPS_CHECKED] if _opens(p)), None)


def damage_issue(db: Path, exc: BaseException) -> Issue:
    """What to tell the user about a store that cannot be read, with the way back."""
    reason = _reason(exc)
    backup = newest_backup(db)
    if backup is not None:
        command = f"python -m sla_core restore --db {db} --from {backup}"
        return error(
            "store.damaged",
            f"数据库文件 {db} 已损坏，无法读取（{reason}）。最新的可用备份是 {backup}：停止应用后运行 "
            f"`{command}` 恢复（当前文件会先被备份）。",
            f"The store {db} is damaged and cannot be read ({reason}). The newest usable backup is {backup}: "
            f"stop the app and run `{command}` (the current file is backed up first).",
            file=str(db),
            value=str(backup),
        )
    command = f"python -m sla_core restore --db {db} --from FILE"
    return error(
        "store.damaged",
        f"数据库文件 {db} 已损坏，无法读取（{reason}）。在 {db.parent / 'backups'} 中没有找到可用的备份："
        f"用另存的备份运行 `{command}` 恢复。",
        f"The store {db} is damaged and cannot be read ({reason}). No usable backup was found in "
        f"{db.parent / 'backups'}: restore one kept elsewhere with `{command}`.",
        file=str(db),
    )
