"""The store's plumbing: errors, the SQL files of `sql/store/` and the whitelisted identifiers, short-lived
connections with retries and transactions, the schema version and its migrations."""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from sla_core.files import disk_issue, os_issue
from sla_core.problems import Issue, error
from sla_core.queries import SQL_DIR, query
from sla_core.store.damage import damage_issue, is_damage

T = TypeVar("T")
Connection = duckdb.DuckDBPyConnection

DEFAULT_PATH = Path("data/sla.duckdb")

# ---------------------------------------------------------------- errors


class StoreError(Exception):
    """A problem the user should see: carries one bilingual `Issue`."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.en)


class StoreBusy(StoreError):
    """Another process holds the database; the call was retried and gave up."""

    def __init__(self) -> None:
        super().__init__(error("store.busy", "数据库正忙，请稍后重试", "The database is busy; please retry."))


def _fail(code: str, zh: str, en: str, **where: Any) -> StoreError:
    return StoreError(error(code, zh, en, **where))


# ---------------------------------------------------------------- SQL files

_SQL_DIR = SQL_DIR / "store"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


class Sql(str):
    """A SQL fragment built only from whitelisted identifiers and constant text (never from values)."""

    __slots__ = ()


def sql(name: str, **fragments: Sql) -> str:
    """The query in `sql/store/<name>.sql`, its `{{placeholders}}` filled with whitelisted fragments."""
    text = query(f"store/{name}")
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted != set(fragments):
        raise ValueError(f"{name}.sql needs {sorted(wanted)}, got {sorted(fragments)}")
    for key, value in fragments.items():
        if not isinstance(value, Sql):
            raise TypeError(f"fragment {key!r} of {name}.sql is not a whitelisted Sql fragment")
    return _PLACEHOLDER.sub(lambda m: fragments[m.group(1)], text)


# ---------------------------------------------------------------- connections, retries, transactions


@dataclass(frozen=True)
class Store:
    """Where the database is and how long to wait for it; holds no connection."""

    path: Path
    tries: int = 5
    busy_timeout: float = 2.0  # seconds spread over the retries
    read_only: bool = False  # for commands that only read: works on a read-only disk or file


def _is_busy(exc: BaseException) -> bool:
    if disk_issue(str(exc), None) is not None:  # "Failed to commit: … No space left on device"
        return False
    if isinstance(exc, duckdb.TransactionException):
        return True  # a write-write conflict with another connection of this process
    text = str(exc).lower()
    return isinstance(exc, duckdb.IOException) and ("lock" in text or "resource temporarily" in text)


def _said(store: Store, exc: duckdb.Error) -> BaseException:
    """A DuckDB error the user can act on as a StoreError (a full or read-only disk, a damaged file
    with the backup to restore); any other error as it is (a bug to report)."""
    disk = disk_issue(str(exc), store.path)
    if disk is not None:
        return StoreError(disk)
    if is_damage(exc):
        return StoreError(damage_issue(store.path, exc))
    return exc


def _retrying(store: Store, attempt: Callable[[], T]) -> T:
    delay = store.busy_timeout / max(store.tries - 1, 1)
    last: BaseException | None = None
    for number in range(store.tries):
        if number:
            time.sleep(delay)
        try:
            return attempt()
        except duckdb.Error as exc:
            if not _is_busy(exc):
                said = _said(store, exc)
                if said is exc:
                    raise
                raise said from exc
            last = exc
    raise StoreBusy() from last


# DuckDB 2.0 shares one database instance among a process's connections to a file, and creating or
# tearing it down while another thread connects fails now and then ("python_arrow_scan does not
# exist", "file is already attached"). Opening and closing are therefore serialised per file; the
# work in between runs concurrently, each thread on its own connection.
_GUARD = threading.Lock()
_FILE_LOCKS: dict[str, threading.Lock] = {}


def _file_lock(store: Store) -> threading.Lock:
    with _GUARD:
        return _FILE_LOCKS.setdefault(str(store.path.resolve()), threading.Lock())


def _open(store: Store) -> Connection:
    with _file_lock(store):
        return duckdb.connect(str(store.path), read_only=store.read_only)


def _close(store: Store, con: Connection) -> None:
    with _file_lock(store):
        con.close()


@contextlib.contextmanager
def connect(store: Store) -> Iterator[Connection]:
    """A short-lived connection of one's own (opening it retries while another process writes).

    For reads by other modules; never share it across threads, and close it soon."""
    con = _retrying(store, lambda: _open(store))
    try:
        yield con
    except duckdb.Error as exc:  # a damaged page met by a query, a full disk met by a CHECKPOINT
        said = _said(store, exc)
        if said is exc:
            raise
        raise said from exc
    finally:
        _close(store, con)


def _run(store: Store, work: Callable[[Connection], T], *, transaction: bool = True) -> T:
    """Open, run `work` in one transaction (ROLLBACK on any exception), close; retry when busy."""

    def attempt() -> T:
        con = _open(store)
        try:
            if not transaction:
                return work(con)
            con.execute("BEGIN TRANSACTION")
            try:
                result = work(con)
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
            return result
        finally:
            _close(store, con)

    return _retrying(store, attempt)


# ---------------------------------------------------------------- reads every page run makes

REUSE_SECONDS = 1.0
_RECENT: dict[tuple[str, str], tuple[tuple[int, ...], float, Any]] = {}


def _signature(path: Path) -> tuple[int, ...]:
    """What every commit changes: the store file's and its write-ahead log's size, time and inode."""
    out: list[int] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            info = file.stat()
        except OSError:
            out += [-1, -1, -1]
        else:
            out += [info.st_mtime_ns, info.st_size, info.st_ino]
    return tuple(out)


def reused(store: Store, key: str, read: Callable[[], T]) -> T:
    """`read()`, or its result of less than a second ago when the store's files have not changed since.

    Every page run of every session asks which contracts exist and which data version each has; twenty
    people at once made that two connections per page run, serialised per file. A commit — by this
    process or another — changes the file or its log, so an unchanged signature means an unchanged
    answer; the age bound covers two changes within one tick of the file system's clock."""
    where = (str(store.path), key)
    signature = _signature(store.path)  # taken before reading: a commit in between reads again next time
    now = time.monotonic()
    found = _RECENT.get(where)
    if found is not None and found[0] == signature and now - found[1] < REUSE_SECONDS:
        return found[2]  # type: ignore[no-any-return]
    value = read()
    _RECENT[where] = (signature, now, value)
    return value


def _rows(con: Connection, query: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Run a statement and read its whole result (leaves no open result on the connection)."""
    return con.execute(query, dict(params) if params else None).fetchall()


def _one(con: Connection, query: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
    rows = _rows(con, query, params)
    return rows[0] if rows else None


def _now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- reading a whole file


_CREATED = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)", re.IGNORECASE)


def store_tables() -> frozenset[str]:
    """The tables the store's migrations create (the whitelist `read_everything` reads)."""
    names: set[str] = set()
    for path in sorted((_SQL_DIR / "migrations").glob("*.sql")):
        names.update(m.lower() for m in _CREATED.findall(path.read_text(encoding="utf-8")))
    return frozenset(names)


def read_everything(con: Connection) -> None:
    """Read every row of every table of the store (a hash of each whole row): DuckDB checks each
    block's checksum as it reads it, so a truncated or altered file fails here, not in a later query.
    Opening a file and reading its schema only touches its first blocks."""
    present = {r[0] for r in _rows(con, "SELECT table_name FROM information_schema.tables")}
    for name in sorted(store_tables() & present):
        _rows(con, sql("read_table", table=Sql(f'"{name}"')))


# ---------------------------------------------------------------- schema version and migrations


def _script(name: str) -> Callable[[Connection], None]:
    def run(con: Connection) -> None:
        _rows(con, query(f"store/{name}"))

    return run


# (version, migration from the version before). Append only; never edit a released migration.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _script("migrations/001_initial")),
    (2, _script("migrations/002_pause_intervals")),
    (3, _script("migrations/003_workaround_at")),
]


def schema_target() -> int:
    """The schema version this code writes."""
    return max(version for version, _ in MIGRATIONS)


def _read_version(con: Connection) -> int:
    tables = {r[0] for r in _rows(con, "SELECT table_name FROM information_schema.tables")}
    if "schema_version" not in tables:
        if tables:
            raise _fail(
                "store.foreign",
                "该文件不是本工具的数据库",
                "This file is not a database of this tool.",
            )
        return 0
    row = _one(con, "SELECT coalesce(max(version), 0) FROM schema_version")
    return int(row[0]) if row else 0


def schema_version(store: Store) -> int:
    """The schema version of the store's file."""
    return _run(store, _read_version)


def _backup(store: Store) -> Path:
    folder = store.path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _now().strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{store.path.stem}-{stamp}.duckdb"
    number = 1
    while target.exists():
        target = folder / f"{store.path.stem}-{stamp}-{number}.duckdb"
        number += 1

    def copy(con: Connection) -> None:
        _rows(con, "CHECKPOINT")  # fold the write-ahead log into the file; we hold the lock meanwhile
        shutil.copy2(store.path, target)

    _run(store, copy, transaction=False)
    return target


def _migrate(con: Connection) -> list[int]:
    current = _read_version(con)  # read again inside the transaction: another opener may have won
    applied = []
    for version, step in sorted(MIGRATIONS, key=lambda m: m[0]):
        if version > current:
            step(con)
            _rows(con, "INSERT INTO schema_version VALUES ($v, $at)", {"v": version, "at": _now()})
            applied.append(version)
    return applied


def open_store(
    path: str | Path = DEFAULT_PATH, *, tries: int = 5, busy_timeout: float = 2.0, read_only: bool = False
) -> Store:
    """The store at `path`, created on first use (parent folder too) or migrated to this version.

    An existing file is copied to `backups/<name>-<timestamp>.duckdb` beside it before migrating.
    `read_only`: for reading only — the file must exist at this release's version; nothing is written,
    so a store on a read-only disk (or a copy one may not change) can still be read."""
    store = Store(Path(path), tries=tries, busy_timeout=busy_timeout, read_only=read_only)
    if read_only and not store.path.is_file():
        raise _fail("store.missing", f"找不到数据库文件：{store.path}", f"there is no store at {store.path}")
    if not read_only:
        try:
            store.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(os_issue(exc, store.path.parent)) from None
    version = schema_version(store)
    target = schema_target()
    if version > target:
        raise _fail(
            "store.newer",
            f"数据库版本 {version} 高于本程序支持的 {target}；请升级程序",
            f"The database has schema version {version}, newer than this release ({target}); upgrade it.",
        )
    if version < target and read_only:
        raise _fail(
            "store.needs_upgrade",
            f"数据库 {store.path} 由较早的版本写入，需要先升级（会写入文件）：在可写的位置启动一次应用或运行 import",
            f"The store {store.path} was written by an older release and must be upgraded first, which "
            "writes to it: open it once where it can be written (start the app, or run import).",
        )
    if version < target:
        if version > 0:
            _backup(store)
        _run(store, _migrate)
    return store
