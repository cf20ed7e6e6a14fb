"""Users and sign-in: salted password hashes in `.streamlit/secrets.toml`, a throttle on failed
attempts (with an injectable clock), and the command that manages users.

A user is `[sla.users.<name>]` with `role` (admin / editor / viewer), `contracts` (ids, or ["*"] for
all), optional `email` (maps an OIDC identity to the user) and `password_hash` — never a password.
With no user configured, sign-in is off (a local single user).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import os
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w

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
    """The users configured in secrets (the `[sla.users]` table)."""
    table = (secrets.get("sla") or {}).get("users") or {}
    out: dict[str, User] = {}
    for name, entry in table.items():
        role = entry.get("role", "viewer")
        if role not in ROLES:
            continue
        contracts = list(entry.get("contracts", []))
        out[name] = User(
            name=name,
            role=role,
            contracts=None if ALL in contracts else frozenset(contracts),
            email=(entry.get("email") or None),
            password_hash=entry.get("password_hash"),
        )
    return out


def session_minutes(secrets: Mapping[str, Any]) -> int:
    return int((secrets.get("sla") or {}).get("session_minutes", 480))


def read_secrets(path: Path = SECRETS_PATH) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def add_user(
    path: Path, name: str, role: Role, contracts: list[str], password: str, email: str | None = None
) -> None:
    """Create or replace a user in the secrets file (other sections are kept)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("a user name is letters, digits, '-', '_' or '.'")
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    data = read_secrets(path)
    users = data.setdefault("sla", {}).setdefault("users", {})
    entry: dict[str, Any] = {
        "role": role,
        "contracts": contracts or [ALL],
        "password_hash": hash_password(password),
    }
    if email:
        entry["email"] = email
    users[name] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    path.chmod(0o600)


def remove_user(path: Path, name: str) -> bool:
    data = read_secrets(path)
    users = (data.get("sla") or {}).get("users") or {}
    if name not in users:
        return False
    del users[name]
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return True


class Throttle:
    """Failed sign-ins slow down: after n failures in a row a name must wait 2^(n-1) s (at most 60 s)
    before the next attempt is even checked. The clock is injectable so tests need not wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, cap: float = 60.0) -> None:
        self.clock = clock
        self.cap = cap
        self.failures: dict[str, int] = {}
        self.until: dict[str, float] = {}
        self.lock = threading.Lock()

    def wait(self, name: str) -> float:
        with self.lock:
            return max(0.0, self.until.get(name, 0.0) - self.clock())

    def failed(self, name: str) -> float:
        with self.lock:
            n = self.failures.get(name, 0) + 1
            self.failures[name] = n
            delay = min(2.0 ** (n - 1), self.cap)
            self.until[name] = self.clock() + delay
            return delay

    def succeeded(self, name: str) -> None:
        with self.lock:
            self.failures.pop(name, None)
            self.until.pop(name, None)


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
        self.throttle = throttle or Throttle()

    @property
    def enabled(self) -> bool:
        return bool(self.users)

    def sign_in(self, name: str, password: str) -> SignIn:
        name = name.strip()
        wait = self.throttle.wait(name)
        if wait > 0:
            return SignIn(
                None,
                wait,
                f"尝试过于频繁，请 {math.ceil(wait)} 秒后再试",
                f"too many attempts: try again in {math.ceil(wait)} s",
            )
        user = self.users.get(name)
        if user is None or not user.password_hash or not verify_password(password, user.password_hash):
            delay = self.throttle.failed(name)
            return SignIn(None, delay, "用户名或密码不正确", "wrong user name or password")
        self.throttle.succeeded(name)
        return SignIn(user, 0.0)

    def by_email(self, email: str | None) -> User | None:
        if not email:
            return None
        return next((u for u in self.users.values() if u.email and u.email.lower() == email.lower()), None)
