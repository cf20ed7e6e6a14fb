"""Files the tool writes, and what the operating system says when a file cannot be read or written — in
words an operator acts on ("the disk is full", "read-only"), never a traceback.

`write_output` writes a whole file or nothing: a temporary file beside the target, synced, then renamed
over it, so a full disk leaves the old file (or none), not a truncated one. A target that exists but is
not a regular file is never renamed over: a folder is refused, and a device (/dev/stdout) is written in
place.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from sla_core.problems import Issue, error

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
PERMISSION = (errno.EACCES, errno.EPERM)


def _where(path: str | Path | None) -> str:
    return str(path) if path not in (None, "") else "?"


def os_issue(exc: OSError, path: str | Path | None = None) -> Issue:
    """The bilingual problem an OSError stands for (`path`: the file the user named, else the error's)."""
    name = _where(path if path is not None else exc.filename)
    code = exc.errno
    if code in DISK_FULL:
        return error("file.disk_full", f"磁盘已满：无法写入 {name}", f"the disk is full: cannot write {name}")
    if code == errno.EROFS:
        return error(
            "file.read_only",
            f"{name} 所在的磁盘是只读的：无法写入",
            f"{name} is on a read-only file system: it cannot be written",
        )
    if code in PERMISSION:
        return error("file.permission", f"没有权限访问 {name}", f"permission denied: {name}")
    if code == errno.EISDIR:
        return error("file.is_folder", f"{name} 是文件夹，不是文件", f"{name} is a folder, not a file")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return error(
            "file.not_folder",
            f"无法使用 {name}：路径中的某一级是文件而不是文件夹",
            f"cannot use {name}: a part of the path is a file, not a folder",
        )
    if code == errno.ENOENT:
        return error("file.missing", f"找不到 {name}", f"{name} does not exist")
    reason = exc.strerror or str(exc)
    return error("file.unusable", f"无法使用 {name}：{reason}", f"cannot use {name}: {reason}")


def disk_issue(message: str, path: str | Path | None) -> Issue | None:
    """The disk problem a database error's text names (DuckDB reports them as text), else None."""
    text = message.lower()
    for needle, number in (
        ("no space left on device", errno.ENOSPC),
        ("disk quota exceeded", errno.EDQUOT),
        ("read-only file system", errno.EROFS),
        ("permission denied", errno.EACCES),
    ):
        if needle in text:
            return os_issue(OSError(number, os.strerror(number)), path)
    return None


class OutputError(OSError):
    """A file the tool was asked to write cannot be written; `issue` says why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.en)
        self.issue = issue


def write_output(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (see the module docstring); OutputError otherwise."""
    out = Path(path)
    try:
        info = out.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(os_issue(exc, out)) from exc
    try:
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(out))
        if info is not None and not stat.S_ISREG(info.st_mode):  # a device or a pipe: in place
            with out.open("wb") as f:
                f.write(data)
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{secrets.token_hex(6)}.part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any file
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            tmp.replace(out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(os_issue(exc, out)) from exc
    return out
