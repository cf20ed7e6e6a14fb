"""Backup and restore of the store file (`python -m sla_core backup` / `restore`).

A backup is a consistent copy: holding a connection to the store (DuckDB's file lock, so no other
process writes meanwhile), CHECKPOINT folds the write-ahead log into the file, the file is copied
next to its destination, checked to be unchanged while it was copied, synced and renamed into place,
then opened read-only to prove it is a store this release can read.

A restore refuses a file that is not a store of this tool, one made by a newer release, and one with
an unfinished write-ahead log beside it. It first takes a backup of the current file into
`backups/` beside it (a plain copy when the current file is too damaged to open), then replaces the
file by an atomic rename — only if nobody wrote to it since that backup — and finally opens it, which
migrates a backup from an older release (with the usual backup before migrating).
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from sla_core import store as st
from sla_core.files import disk_issue, os_issue
from sla_core.problems import error
from sla_core.store.damage import damage_issue
from sla_core.store.db import read_everything

EXIT_OK, EXIT_REJECTED = 0, 2
COPY_TRIES = 5


def _fail(code: str, zh: str, en: str, path: Path | None = None) -> st.StoreError:
    return st.StoreError(error(code, zh, en, file=path.name if path else None))


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def default_target(db: Path, label: str = "") -> Path:
    """`backups/<name>[-label]-<UTC time>.duckdb` beside the store."""
    folder = db.parent / "backups"
    return folder / f"{db.stem}{'-' + label if label else ''}-{_stamp()}.duckdb"


def _check_target(target: Path) -> None:
    """A backup replaces only a regular file: renamed over a device or a pipe, the copy would replace
    it (as root, even /dev/full); a folder is refused as such."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise st.StoreError(os_issue(exc, target)) from None
    if stat.S_ISDIR(info.st_mode):
        raise st.StoreError(os_issue(IsADirectoryError(errno.EISDIR, "", str(target)), target))
    if not stat.S_ISREG(info.st_mode):
        raise _fail(
            "backup.not_a_file",
            f"{target} 不是普通文件：备份不会替换它",
            f"{target} is not a regular file: a backup will not replace it",
            target,
        )


def _sync_copy(source: Path, target: Path, *, said: Path | None = None) -> None:
    """Copy to a temporary file in the target's folder, fsync it, rename it into place. A file system
    that refuses (full, read-only, no permission) is a StoreError saying so, naming `said` (the file
    the user knows, for an internal staging copy) or the target."""
    _check_target(target)
    name = said or target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise st.StoreError(os_issue(exc, name)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise st.StoreError(os_issue(exc, name)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def store_version(path: Path) -> int:
    """The schema version of a store file, opened read-only; StoreError when it is not a store of this
    tool or cannot be opened (damaged, a newer DuckDB format)."""
    if not path.is_file():
        raise _fail("backup.missing", f"找不到文件：{path}", f"there is no file {path}", path)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        text = str(exc).lower()
        if "lock" in text:
            raise st.StoreBusy() from None
        newer = "version" in text and "newer" in text
        raise _fail(
            "backup.newer" if newer else "backup.not_store",
            "该文件由更新版本的程序写入，请升级后再恢复" if newer else "该文件不是本工具的数据库（或已损坏）",
            "the file was written by a newer release; upgrade first"
            if newer
            else "the file is not a database of this tool (or it is damaged)",
            path,
        ) from None
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if not {"schema_version", "batches", "contracts"} <= tables:
            raise _fail(
                "backup.not_store",
                "该文件不是本工具的数据库",
                "the file is not a database of this tool",
                path,
            )
        row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
        read_everything(con)  # a truncated or altered copy fails here, not on the day it is restored
        return int(row[0][0]) if row else 0
    except duckdb.Error as exc:
        raise _fail(
            "backup.damaged", "该文件已损坏，无法读取", "the file is damaged and cannot be read", path
        ) from exc
    finally:
        con.close()


def _consistent_copy(db: Path, target: Path, store: st.Store) -> tuple[int, int]:
    """Copy the store file under its lock after a CHECKPOINT; the file's (size, mtime) as copied."""
    for _ in range(COPY_TRIES):
        with st.connect(store) as con:
            con.execute("CHECKPOINT").fetchall()
            wal = _wal(db)
            if wal.exists() and wal.stat().st_size > 0:
                continue  # a write of this process landed after the checkpoint: again
            before = _stat(db)
            _sync_copy(db, target)
            if _stat(db) != before:  # written while we copied (a checkpoint of this process)
                continue
        return before
    raise st.StoreBusy()


def _writable(store: st.Store) -> bool:
    """False when the store is on a read-only disk (nobody can write it: a plain copy is consistent)."""
    try:
        with st.connect(store):
            return True
    except st.StoreError as exc:
        if exc.issue.code == "file.read_only":
            return False
        raise


def _read_only_copy(db: Path, target: Path, store: st.Store) -> None:
    """A copy of a store nobody can write, holding a read-only connection meanwhile; a write-ahead log
    beside it (changes not yet in the file, which cannot be folded in now) is refused."""
    wal = _wal(db)
    if wal.exists() and wal.stat().st_size > 0:
        raise _fail(
            "backup.unfinished",
            "数据库在只读磁盘上，且旁有未合并的预写日志（.wal）：请在可写的位置备份",
            "the store is on a read-only disk with an unmerged write-ahead log (.wal) beside it: back it up "
            "where it can be written",
            db,
        )
    reading = st.Store(db, tries=store.tries, busy_timeout=store.busy_timeout, read_only=True)
    with st.connect(reading):
        _sync_copy(db, target)


@dataclass(frozen=True)
class Backup:
    path: Path
    version: int
    size: int


def backup_store(
    db: str | Path, out: str | Path | None = None, *, tries: int = 5, busy_timeout: float = 2.0
) -> Backup:
    """A consistent copy of the store at `db`, written to `out` (default `backups/<name>-<time>.duckdb`)."""
    db = Path(db)
    if not db.is_file():
        raise _fail("backup.missing", f"找不到数据库文件：{db}", f"there is no store at {db}", db)
    target = Path(out) if out else default_target(db)
    if target.resolve() == db.resolve():
        raise _fail(
            "backup.same_file", "备份文件不能是数据库本身", "the backup cannot be the store itself", db
        )
    _check_target(target)
    store = st.Store(db, tries=tries, busy_timeout=busy_timeout)
    try:
        if _writable(store):
            _consistent_copy(db, target, store)
        else:
            _read_only_copy(db, target, store)
        try:
            version = store_version(target)  # the copy opens, is a store, and reads to its end
        except st.StoreError as exc:
            if exc.issue.code != "backup.damaged":
                raise
            # a byte-for-byte copy that cannot be read: the store itself is damaged
            raise st.StoreError(damage_issue(db, exc.__cause__ or exc)) from None
    except duckdb.Error as exc:
        disk = disk_issue(str(exc), db)  # a full or read-only disk is not a damaged store
        if disk is not None:
            raise st.StoreError(disk) from None
        raise _fail(
            "backup.not_store",
            "数据库文件已损坏，无法备份",
            "the store is damaged and cannot be backed up",
            db,
        ) from None
    except st.StoreError as exc:
        if exc.issue.code != "store.busy":
            target.unlink(missing_ok=True)
        raise
    return Backup(target, version, target.stat().st_size)


@dataclass(frozen=True)
class Restore:
    db: Path
    version: int  # the schema version of the restored file, as it was in the backup
    previous: Path | None  # where the replaced file was backed up; None when there was none


def _backup_current(db: Path, store: st.Store) -> tuple[Path, tuple[int, int] | None]:
    """Back up the file about to be replaced: consistently, or as plain bytes when it cannot be opened.
    Returns the copy and the (size, mtime) the file had (None for a plain copy)."""
    target = default_target(db, "before-restore")
    try:
        return target, _consistent_copy(db, target, store)
    except (duckdb.Error, st.StoreError) as exc:
        if isinstance(exc, st.StoreError) and exc.issue.code != "store.damaged":
            raise
        # damaged (the reason for many a restore): keep the bytes as they are
        _sync_copy(db, target)
        wal = _wal(db)
        if wal.exists():
            _sync_copy(wal, _wal(target))
        return target, None


def restore_store(
    db: str | Path, source: str | Path, *, tries: int = 5, busy_timeout: float = 2.0
) -> Restore:
    """Replace the store at `db` with the backup `source` (see the module docstring)."""
    db, source = Path(db), Path(source)
    if db.exists() and source.resolve() == db.resolve():
        raise _fail("backup.same_file", "不能用数据库本身来恢复", "cannot restore the store from itself", db)
    version = store_version(source)
    target = st.schema_target()
    if version > target:
        raise _fail(
            "backup.newer",
            f"备份的数据库版本 {version} 高于本程序支持的 {target}；请升级程序后再恢复",
            f"the backup has schema version {version}, newer than this release ({target}); upgrade first",
            source,
        )
    if version < 1:
        raise _fail(
            "backup.not_store", "该文件不是本工具的数据库", "the file is not a database of this tool", source
        )
    if _wal(source).exists() and _wal(source).stat().st_size > 0:
        raise _fail(
            "backup.unfinished",
            "该文件旁有未合并的预写日志（.wal），请先用 backup 命令从它生成备份",
            "the file has an unmerged write-ahead log (.wal) beside it; make a backup of it with `backup` first",
            source,
        )
    db.parent.mkdir(parents=True, exist_ok=True)
    store = st.Store(db, tries=tries, busy_timeout=busy_timeout)
    staged = db.with_name(f".{db.name}.restore-{_stamp()}")
    _sync_copy(source, staged, said=db)  # the store is what the user cannot write, not our staging copy
    try:
        previous = None
        for _ in range(COPY_TRIES):
            if db.exists():
                previous, copied = _backup_current(db, store)
                wal = _wal(db)
                if copied is not None and (_stat(db) != copied or (wal.exists() and wal.stat().st_size > 0)):
                    continue  # written to since the backup: take it again
                if copied is None:
                    wal.unlink(missing_ok=True)  # a damaged file's log, kept with its backup
            staged.replace(db)
            break
        else:
            raise st.StoreBusy()
    finally:
        staged.unlink(missing_ok=True)
    st.open_store(db, tries=tries, busy_timeout=busy_timeout)  # migrates an older backup
    return Restore(db, version, previous)


# ---------------------------------------------------------------- command line


def _say(zh: str, en: str, *, err: bool = False) -> None:
    print(f"{zh}\n{en}", file=sys.stderr if err else sys.stdout)


def _refused(exc: st.StoreError) -> int:
    _say(exc.issue.zh, exc.issue.en, err=True)
    return EXIT_REJECTED


def _db(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from sla_core.workspace import db_path

    return db_path()


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        made = backup_store(_db(args), args.out)
    except st.StoreError as exc:
        return _refused(exc)
    size = f"{made.size / 1048576:.1f} MB"
    _say(
        f"已备份到 {made.path}（数据库版本 {made.version}，{size}）",
        f"backup written to {made.path} (schema version {made.version}, {size})",
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    db = _db(args)
    if db.exists() and not args.yes:
        question = (
            f"恢复将替换 {db}（替换前会先自动备份）。确认请输入 yes\n"
            f"restoring replaces {db} (it is backed up first). Type yes to go ahead: "
        )
        if not sys.stdin.isatty():
            _say(
                f"恢复将替换 {db}；请加上 --yes 确认（替换前会先自动备份）",
                f"restoring replaces {db}; add --yes to go ahead (it is backed up first)",
                err=True,
            )
            return EXIT_REJECTED
        if input(question).strip().lower() not in ("yes", "y", "是"):
            _say("已取消", "cancelled", err=True)
            return EXIT_REJECTED
    try:
        done = restore_store(db, args.source)
    except st.StoreError as exc:
        return _refused(exc)
    if done.previous is not None:
        _say(f"原数据库已备份到 {done.previous}", f"the replaced store was backed up to {done.previous}")
    _say(
        f"已从 {args.source} 恢复 {db}（数据库版本 {done.version}）",
        f"restored {db} from {args.source} (schema version {done.version})",
    )
    return EXIT_OK


def add_backup_commands(sub: Any) -> None:
    """Register `python -m sla_core backup` and `restore` on the command line's sub-parsers."""
    bp = sub.add_parser("backup", help="a consistent copy of the store file")
    bp.add_argument("--db", help="the store (default: $SLA_DB or data/sla.duckdb)")
    bp.add_argument("--out", help="the backup file (default: backups/<name>-<time>.duckdb beside the store)")
    bp.set_defaults(func=cmd_backup)
    rs = sub.add_parser(
        "restore", help="replace the store with a backup (the current file is backed up first)"
    )
    rs.add_argument("--db", required=True, help="the store to replace")
    rs.add_argument("--from", dest="source", required=True, help="the backup to restore")
    rs.add_argument("--yes", action="store_true", help="do not ask before replacing an existing store")
    rs.set_defaults(func=cmd_restore)
