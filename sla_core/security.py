"""The security configuration (`.streamlit/secrets.toml`) checked before anyone is let in.

Sign-in fails closed: a file that cannot be read, an empty file (what an interrupted write leaves), a
misspelt section or key, an unknown role or a malformed hash is an error that stops the app with a
clear message — never "no users", which would let every visitor in as the local admin. Only a missing
file, or one without an `[sla]` or `[auth]` section, means sign-in is off.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sla_core.problems import Issue, error

ROLE_NAMES = ("viewer", "editor", "admin")
USER_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
SLA_KEYS = ("users", "session_minutes")
USER_KEYS = ("role", "contracts", "email", "password_hash")
# what st.login needs for its default provider (the app calls it without a provider name)
AUTH_REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
AUTH_OPTIONAL = ("client_kwargs", "expose_tokens")
SECTIONS = ("sla", "auth")


class SecurityConfigError(Exception):
    """The security configuration cannot be trusted: the app stays closed until it is fixed."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(i.en for i in issues))

    def message(self, lang: str) -> str:
        return "\n".join(i.message(lang) for i in self.issues)


def _problem(code: str, zh: str, en: str, where: str, file: str | None = None) -> Issue:
    return error(f"security.{code}", zh, en, file=file, column=where or None)


def read_secrets_file(path: Path) -> dict[str, Any]:
    """The secrets file as a mapping; {} when there is none. Raises SecurityConfigError when it exists
    but cannot be trusted (unreadable, empty, not TOML)."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SecurityConfigError(
            [
                _problem(
                    "unreadable",
                    f"无法读取登录配置 {name}：{exc.strerror or exc}",
                    f"cannot read the sign-in configuration {name}: {exc.strerror or exc}",
                    "",
                    name,
                )
            ]
        ) from exc
    return parse_secrets_text(raw, name)


def parse_secrets_text(raw: bytes, name: str) -> dict[str, Any]:
    if not raw.strip():
        raise SecurityConfigError(
            [
                _problem(
                    "empty",
                    f"登录配置 {name} 是空文件（可能是写入被中断）：用 `python -m sla_core user add` 重新添加用户，"
                    "或删除该文件以关闭登录",
                    f"the sign-in configuration {name} is empty (an interrupted write?): add the users again "
                    "with `python -m sla_core user add`, or delete the file to turn sign-in off",
                    "",
                    name,
                )
            ]
        )
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SecurityConfigError(
            [
                _problem(
                    "not_toml",
                    f"登录配置 {name} 不是有效的 TOML（{exc}）",
                    f"the sign-in configuration {name} is not valid TOML ({exc})",
                    "",
                    name,
                )
            ]
        ) from exc


def signs_in(secrets: Mapping[str, Any]) -> bool:
    """Whether the configuration turns sign-in on (users or OIDC configured)."""
    return "sla" in secrets or "auth" in secrets


def check_secrets(secrets: Mapping[str, Any]) -> list[Issue]:
    """Every problem of the security configuration, together (empty: it can be trusted)."""
    issues = _misspelt_sections(secrets)
    sla = secrets.get("sla", {})
    if not isinstance(sla, Mapping):
        return [*issues, _not_table("sla")]
    issues += _unknown_keys(sla, SLA_KEYS, "sla")
    minutes = sla.get("session_minutes", 480)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        issues.append(
            _problem(
                "session_minutes",
                f"[sla] session_minutes 应为正整数，而不是 {minutes!r}",
                f"[sla] session_minutes must be a positive whole number, not {minutes!r}",
                "sla.session_minutes",
            )
        )
    users = sla.get("users", {})
    if not isinstance(users, Mapping):
        return [*issues, _not_table("sla.users")]
    for name, entry in users.items():
        issues += _check_user(str(name), entry)
    if "sla" in secrets and not users:
        issues.append(
            _problem(
                "no_users",
                "[sla] 中没有任何用户：用 `python -m sla_core user add` 添加，或删除 [sla] 以关闭登录",
                "[sla] has no users: add one with `python -m sla_core user add`, or remove [sla] to "
                "turn sign-in off",
                "sla.users",
            )
        )
    if "auth" in secrets:
        issues += _check_auth(secrets["auth"], users)
    return issues


def _not_table(where: str) -> Issue:
    return _problem("not_table", f"[{where}] 应为表", f"[{where}] must be a table", where)


def _misspelt_sections(secrets: Mapping[str, Any]) -> list[Issue]:
    """A section that reads like [sla] or [auth] but is not exactly it (a typo turns sign-in off)."""
    out = []
    for key in secrets:
        low = str(key).lower()
        if key in SECTIONS:
            continue
        close = [s for s in SECTIONS if _looks_like(low, s)]
        if close:
            out.append(
                _problem(
                    "misspelt_section",
                    f"节 [{key}] 像是拼错的 [{close[0]}]：请更正",
                    f"section [{key}] looks like a misspelt [{close[0]}]: correct it",
                    str(key),
                )
            )
    return out


def _looks_like(name: str, section: str) -> bool:
    """[SLA], [sla_users], [auht] — but not an unrelated [slack] or [salt]."""
    if name == section or any(name.startswith(section + sep) for sep in "_-. "):
        return True
    return abs(len(name) - len(section)) <= 1 and difflib.SequenceMatcher(None, name, section).ratio() >= 0.6


def _unknown_keys(table: Mapping[str, Any], known: tuple[str, ...], where: str) -> list[Issue]:
    out = []
    for key in table:
        if key in known:
            continue
        hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
        zh_hint = f"（是否应为 {hint[0]}？）" if hint else ""
        en_hint = f" (did you mean {hint[0]}?)" if hint else ""
        out.append(
            _problem(
                "unknown_key",
                f"[{where}] 中的 {key} 不是已知的设置{zh_hint}；可用：{', '.join(known)}",
                f"[{where}] {key} is not a known setting{en_hint}; known: {', '.join(known)}",
                f"{where}.{key}",
            )
        )
    return out


def _check_user(name: str, entry: Any) -> list[Issue]:
    where = f"sla.users.{name}"
    if not isinstance(entry, Mapping):
        return [_not_table(where)]
    out = _unknown_keys(entry, USER_KEYS, where)
    if not USER_NAME.match(name):
        out.append(
            _problem(
                "user_name",
                f"用户名 {name!r} 只能包含字母、数字、'-'、'_' 或 '.'",
                f"user name {name!r}: letters, digits, '-', '_' or '.' only",
                where,
            )
        )
    role = entry.get("role")
    if role not in ROLE_NAMES:  # exact: "Admin" is not a role (a typo must not grant or guess one)
        out.append(
            _problem(
                "role",
                f"[{where}] role = {role!r} 不是角色；应为 {' / '.join(ROLE_NAMES)}（小写）",
                f"[{where}] role = {role!r} is not a role; expected {' / '.join(ROLE_NAMES)} (lower case)",
                f"{where}.role",
            )
        )
    contracts = entry.get("contracts")
    if (
        not isinstance(contracts, list)
        or not contracts
        or not all(isinstance(c, str) and c.strip() for c in contracts)
    ):
        out.append(
            _problem(
                "contracts",
                f'[{where}] contracts 应为合同编号列表（或 ["*"] 表示全部）',
                f'[{where}] contracts must be a list of contract ids (or ["*"] for all)',
                f"{where}.contracts",
            )
        )
    digest, email = entry.get("password_hash"), entry.get("email")
    if digest is None and not email:
        out.append(
            _problem(
                "no_credential",
                f"[{where}] 既无 password_hash 也无 email：该用户无法登录",
                f"[{where}] has neither password_hash nor email: this user cannot sign in",
                where,
            )
        )
    if digest is not None and not well_formed_hash(digest):
        out.append(
            _problem(
                "password_hash",
                f"[{where}] password_hash 已损坏：用 `python -m sla_core user add {name}` 重设密码",
                f"[{where}] password_hash is damaged: set the password again with "
                f"`python -m sla_core user add {name}`",
                f"{where}.password_hash",
            )
        )
    if email is not None and (not isinstance(email, str) or "@" not in email):
        out.append(
            _problem(
                "email",
                f"[{where}] email 不是邮箱地址",
                f"[{where}] email is not an address",
                f"{where}.email",
            )
        )
    return out


def well_formed_hash(stored: Any) -> bool:
    """`scrypt$N$r$p$salt$digest` as `users.hash_password` writes it."""
    if not isinstance(stored, str):
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(p.isdigit() for p in parts[1:4]):
        return False
    try:
        salt, digest = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(salt) >= 8 and len(digest) >= 16


def _check_auth(auth: Any, users: Mapping[str, Any]) -> list[Issue]:
    if not isinstance(auth, Mapping):
        return [_not_table("auth")]
    scalars = {k: v for k, v in auth.items() if not isinstance(v, Mapping) or k == "client_kwargs"}
    out = _unknown_keys(scalars, AUTH_REQUIRED + AUTH_OPTIONAL, "auth")
    for key in AUTH_REQUIRED:
        if not isinstance(auth.get(key), str) or not auth[key].strip():
            out.append(
                _problem(
                    "auth_missing",
                    f"[auth] 缺少 {key}",
                    f"[auth] is missing {key}",
                    f"auth.{key}",
                )
            )
    mapped = [n for n, u in users.items() if isinstance(u, Mapping) and u.get("email")]
    if not mapped:
        out.append(
            _problem(
                "auth_no_email",
                "已配置 [auth]（单点登录），但没有用户设置 email：无人能登录。用 `user add NAME --email ...` 映射用户",
                "[auth] (single sign-on) is configured but no user has an email: nobody could sign in. "
                "Map users with `user add NAME --email ...`",
                "auth",
            )
        )
    return out
