"""Users and sign-in: salted password hashes in `.streamlit/secrets.toml`, a throttle on failed
attempts (with an injectable clock), and the command that manages users.

A user is `[sla.users.<name>]` with `role` (admin / editor / viewer), `contracts` (ids, or ["*"] for
all), optional `email` (maps an OIDC identity to the user) and `password_hash` — never a password.
With no user configured, sign-in is off (a local single user).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w

from sla_core.files import OutputError, os_issue
from sla_core.security import USER_NAME, SecurityConfigError, check_secrets, read_secrets_file, signs_in

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")
SECRETS_PATH = Path(".streamlit") / "secrets.toml"
ALL = "*"

# scrypt: memory-hard, in the standard library; parameters stored with each hash so they can grow
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(
        [
            "scrypt",
            str(_N),
            str(_R),
            str(_P),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(base64.b64decode(digest)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    contracts: frozenset[str] | None  # None: every contract
    email: str | None = None
    password_hash: str | None = field(default=None, repr=False)


def users_from(secrets: Mapping[str, Any]) -> dict[str, User]:
    """The users configured in secrets (the `[sla.users]` table). Raises SecurityConfigError when the
    configuration cannot be trusted — never an empty dict for a damaged one (that would turn sign-in off)."""
    issues = check_secrets(secrets)
    if issues:
        raise SecurityConfigError(issues)
    table = (secrets.get("sla") or {}).get("users") or {}
    out: dict[str, User] = {}
    for name, entry in table.items():
        contracts = list(entry["contracts"])
        out[name] = User(
            name=name,
            role=entry["role"],
            contracts=None if ALL in contracts else frozenset(contracts),
            email=(entry.get("email") or None),
            password_hash=entry.get("password_hash"),
        )
    return out


def session_minutes(secrets: Mapping[str, Any]) -> int:
    return int((secrets.get("sla") or {}).get("session_minutes", 480))


def read_secrets(path: Path = SECRETS_PATH) -> dict[str, Any]:
    """The secrets file ({} when there is none); raises SecurityConfigError when it is damaged."""
    return read_secrets_file(path)


def add_user(
    path: Path,
    name: str,
    role: Role,
    contracts: list[str],
    password: str,
    email: str | None = None,
    *,
    known_contracts: Collection[str] | None = None,
) -> None:
    """Create or replace a user in the secrets file (other sections are kept). `known_contracts`: the
    contract ids that exist; any other id is refused (a typo would silently grant nothing — or, once
    a contract of that id is created, something nobody meant)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not name or not USER_NAME.match(name):
        raise ValueError("a user name is letters, digits, '-', '_' or '.'")
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    contracts = contracts or [ALL]
    if known_contracts is not None:
        unknown = sorted(c for c in contracts if c != ALL and c not in known_contracts)
        if unknown:
            raise ValueError(
                f"unknown contract id(s): {', '.join(unknown)}; known: {', '.join(sorted(known_contracts)) or '-'}"
            )
    data = read_secrets(path)
    if signs_in(data):
        users_from(data)  # refuse to build on a damaged configuration
    users = data.setdefault("sla", {}).setdefault("users", {})
    entry: dict[str, Any] = {"role": role, "contracts": contracts, "password_hash": hash_password(password)}
    if email:
        entry["email"] = email
    users[name] = entry
    users_from(data)  # what we write must pass the app's own check
    write_secrets(path, data)


def remove_user(path: Path, name: str) -> bool:
    data = read_secrets(path)
    users = (data.get("sla") or {}).get("users") or {}
    if name not in users:
        return False
    del users[name]
    if not users:  # no user left: sign-in off, as with no configuration at all
        data["sla"].pop("users")
        if not data["sla"]:
            data.pop("sla")
    write_secrets(path, data)
    return True


def write_secrets(path: Path, data: Mapping[str, Any]) -> None:
    """Write the whole file atomically: a temporary file (owner-only from its creation), flushed to disk,
    then renamed over the old one. A crash leaves the old file or the new one, never a truncated one."""
    text = tomli_w.dumps(dict(data)).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:  # a full or read-only disk: said of the secrets file, not of our temporary one
        raise OutputError(os_issue(exc, path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(os_issue(exc, path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename is durable once the directory is flushed
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class Throttle:
    """Failed sign-ins slow down: after n failures in a row a name must wait 2^(n-1) s (at most 60 s)
    before the next attempt is even checked. The clock is injectable so tests need not wait.

    `begin` checks and records in one step: an attempt counts as a failure from the moment it is let
    through, so parallel guesses for one name are not all checked while the first is being verified;
    `succeeded` clears it. The table is bounded: names not tried for `forget_after` seconds are
    forgotten, and past `max_names` the longest-quiet name goes first (configured users are kept)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        cap: float = 60.0,
        *,
        max_names: int = 10_000,
        forget_after: float = 3600.0,
    ) -> None:
        self.clock = clock
        self.cap = cap
        self.max_names = max_names
        self.forget_after = forget_after
        self.pinned: frozenset[str] = frozenset()
        # name → (failures in a row, not checked before, last attempt); oldest attempt first
        self.entries: OrderedDict[str, tuple[int, float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def wait(self, name: str) -> float:
        with self.lock:
            entry = self.entries.get(name)
            return max(0.0, entry[1] - self.clock()) if entry else 0.0

    def begin(self, name: str) -> float:
        """0: the attempt may be checked (and already counts as a failure); else the seconds to wait."""
        with self.lock:
            now = self.clock()
            failures, until, _ = self.entries.get(name, (0, 0.0, 0.0))
            if until > now:
                return until - now
            self._record(name, failures + 1, now)
            return 0.0

    def failed(self, name: str) -> float:
        """Record a failure outside `begin` (the delay now owed)."""
        with self.lock:
            failures = self.entries.get(name, (0, 0.0, 0.0))[0]
            return self._record(name, failures + 1, self.clock())

    def delay(self, name: str) -> float:
        """The delay the name's current failures impose (counted from its last attempt)."""
        with self.lock:
            entry = self.entries.get(name)
            return entry[1] - entry[2] if entry else 0.0

    def succeeded(self, name: str) -> None:
        with self.lock:
            self.entries.pop(name, None)

    def _record(self, name: str, failures: int, now: float) -> float:
        delay = min(2.0 ** (failures - 1), self.cap)
        self.entries[name] = (failures, now + delay, now)
        self.entries.move_to_end(name)
        self._trim(now)
        return delay

    def _trim(self, now: float) -> None:
        while self.entries:  # the oldest first: forget those quiet for long enough
            name, (_, until, last) = next(iter(self.entries.items()))
            if last + self.forget_after > now or until > now:
                break
            del self.entries[name]
        excess = len(self.entries) - self.max_names
        victims: list[str] = []
        for name in self.entries:  # stops at the first few: usually one name over
            if len(victims) >= excess:
                break
            if name not in self.pinned:
                victims.append(name)
        for name in victims:
            del self.entries[name]


@dataclass(frozen=True)
class SignIn:
    user: User | None
    wait: float  # seconds before the next attempt for this name is checked
    zh: str = ""
    en: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


class Authenticator:
    def __init__(self, users: Mapping[str, User], throttle: Throttle | None = None) -> None:
        self.users = dict(users)
        self.throttle = throttle if throttle is not None else Throttle()
        self.throttle.pinned = frozenset(self.users)  # a flood of made-up names cannot evict them

    @property
    def enabled(self) -> bool:
        return bool(self.users)

    def sign_in(self, name: str, password: str) -> SignIn:
        name = name.strip()
        wait = self.throttle.begin(name)
        if wait > 0:
            return SignIn(
                None,
                wait,
                f"尝试过于频繁，请 {math.ceil(wait)} 秒后再试",
                f"too many attempts: try again in {math.ceil(wait)} s",
            )
        user = self.users.get(name)
        # an unknown name (or one without a password) costs a hash like a known one: the answer's
        # timing must not tell which names exist
        stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
        if not verify_password(password, stored) or user is None or not user.password_hash:
            return SignIn(
                None, self.throttle.delay(name), "用户名或密码不正确", "wrong user name or password"
            )
        self.throttle.succeeded(name)
        return SignIn(user, 0.0)

    def by_email(self, email: str | None) -> User | None:
        if not email:
            return None
        return next((u for u in self.users.values() if u.email and u.email.lower() == email.lower()), None)


@functools.cache
def _dummy_hash() -> str:
    """A hash nobody's password matches, with the same cost as a real one."""
    return hash_password(base64.b64encode(os.urandom(24)).decode())
