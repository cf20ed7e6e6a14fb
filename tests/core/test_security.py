"""Sign-in fails closed: every damaged security configuration is an error, never "no users"; `user add`
writes atomically and only names contracts that exist; the throttle checks and records in one step,
answers unknown names at the cost of a known one, and stays bounded."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sla_core import store as st
from sla_core import users, workspace
from sla_core.security import SecurityConfigError, check_secrets, parse_secrets_text
from sla_core.users import Authenticator, Throttle, add_user, hash_password, read_secrets, users_from

ROOT = Path(__file__).resolve().parents[2]
HASH = hash_password("correct horse battery")
GOOD = f"""
[sla]
session_minutes = 60

[sla.users.alice]
role = "admin"
contracts = ["*"]
password_hash = "{HASH}"
"""

# each is what a slip of the hand, a crash inside a write, or a careless edit leaves behind
DAMAGED = {
    "stray quote": GOOD.replace('role = "admin"', 'role = "admin'),
    "truncated": GOOD[: GOOD.index("password_hash") + 20],
    "empty": "",
    "blank lines only": "\n  \n",
    "role in capitals": GOOD.replace('role = "admin"', 'role = "Admin"'),
    "unknown role": GOOD.replace('role = "admin"', 'role = "superuser"'),
    "no role": GOOD.replace('role = "admin"\n', ""),
    "users table renamed": GOOD.replace("[sla.users.alice]", "[sla.user.alice]"),
    "section in capitals": GOOD.replace("[sla]", "[SLA]").replace("[sla.users.alice]", "[SLA.users.alice]"),
    "users as their own section": GOOD.replace("[sla.users.alice]", "[sla_users.alice]"),
    "key misspelt": GOOD.replace("password_hash", "pasword_hash"),
    "hash damaged": GOOD.replace(HASH, HASH[:20]),
    "contracts not a list": GOOD.replace('contracts = ["*"]', 'contracts = "*"'),
    "no users left": "[sla]\nsession_minutes = 60\n",
    "session minutes negative": GOOD.replace("session_minutes = 60", "session_minutes = -1"),
    "auth key misspelt": GOOD.replace(HASH, HASH + '"\nemail = "a@example.com')
    + """
[auth]
redirect_url = "http://localhost:8501/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef"
client_id = "x"
client_secret = "y"
server_metadata_url = "https://idp.example.com/.well-known/openid-configuration"
""",
    "auth section misspelt": GOOD
    + """
[auht]
redirect_uri = "http://localhost:8501/oauth2callback"
""",
    "auth without any user": """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef"
client_id = "x"
client_secret = "y"
server_metadata_url = "https://idp.example.com/.well-known/openid-configuration"
""",
}


def parsed(text: str) -> dict:
    return parse_secrets_text(text.encode(), "secrets.toml")


def test_a_sound_configuration_is_read_as_written():
    found = users_from(parsed(GOOD))
    assert set(found) == {"alice"} and found["alice"].role == "admin" and found["alice"].contracts is None


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_every_damaged_configuration_is_an_error_not_no_users(case, tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(DAMAGED[case], encoding="utf-8")
    with pytest.raises(SecurityConfigError) as caught:
        users_from(read_secrets(path))
    assert caught.value.issues and all(i.code.startswith("security.") for i in caught.value.issues)
    assert caught.value.message("en") and caught.value.message("zh")


def test_the_problems_name_what_to_fix():
    issues = check_secrets(parsed(DAMAGED["role in capitals"]))
    assert [i.code for i in issues] == ["security.role"]
    assert "'Admin'" in issues[0].en and "lower case" in issues[0].en
    (renamed,) = check_secrets(parsed(DAMAGED["users table renamed"]))[:1]
    assert renamed.code == "security.unknown_key" and "did you mean users?" in renamed.en
    misspelt = check_secrets(parsed(DAMAGED["auth key misspelt"]))
    assert {i.column for i in misspelt} == {"auth.redirect_url", "auth.redirect_uri"}


def test_only_no_file_or_no_sign_in_section_means_sign_in_is_off(tmp_path):
    assert read_secrets(tmp_path / "missing.toml") == {}
    other = parsed('[connections.db]\nurl = "x"\n\n[slack]\nwebhook = "y"\n\n[salt]\nv = 1\n')
    assert check_secrets(other) == [] and users_from(other) == {}


def test_an_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "secrets.toml"
    path.mkdir()  # reading a directory fails like a file without permission does, also as root
    with pytest.raises(SecurityConfigError) as caught:
        read_secrets(path)
    assert caught.value.issues[0].code == "security.unreadable"


def test_user_add_never_leaves_a_truncated_file(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    add_user(path, "alice", "admin", ["*"], "first-password")
    before = path.read_bytes()
    # a write that fails half way (here: text that cannot be encoded) must leave the old file whole
    monkeypatch.setattr(users.tomli_w, "dumps", lambda data: 'x = "\ud800"\n')
    with pytest.raises(UnicodeEncodeError):
        add_user(path, "bob", "viewer", ["*"], "second-password")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["secrets.toml"]  # no temporary file left either


def test_user_add_refuses_unknown_contracts_and_damaged_files(tmp_path):
    path = tmp_path / "secrets.toml"
    with pytest.raises(ValueError, match="unknown contract id"):
        add_user(path, "eve", "editor", ["demo-helpdsk"], "eve-password", known_contracts={"demo-helpdesk"})
    assert not path.exists()
    path.write_text(DAMAGED["stray quote"], encoding="utf-8")
    with pytest.raises(SecurityConfigError):
        add_user(path, "eve", "editor", ["demo-helpdesk"], "eve-password")
    assert path.read_text(encoding="utf-8") == DAMAGED["stray quote"]  # not overwritten


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sla_core", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        timeout=120,
    )


def test_the_user_command_checks_contracts_against_the_store(tmp_path):
    db = tmp_path / "s.duckdb"
    store = workspace.open_workspace(db)
    text = (ROOT / "tests" / "fixtures" / "contract.example.toml").read_text(encoding="utf-8")
    assert st.save_contract(store, text, "setup").contract_id is not None
    known = st.list_contracts(store)[0].contract_id
    secrets = tmp_path / "secrets.toml"
    common = ["--secrets", str(secrets), "--db", str(db), "--password-stdin"]
    typo = run_cli(
        "user", "add", "eve", "--role", "editor", "--contracts", known + "x", *common, stdin="pw-12345678\n"
    )
    assert typo.returncode == 2 and "unknown contract id" in typo.stderr and "Traceback" not in typo.stderr
    assert not secrets.exists()
    ok = run_cli(
        "user", "add", "eve", "--role", "editor", "--contracts", known, *common, stdin="pw-12345678\n"
    )
    assert ok.returncode == 0, ok.stderr
    assert users_from(read_secrets(secrets))["eve"].contracts == frozenset({known})
    secrets.write_text(DAMAGED["empty"], encoding="utf-8")
    damaged = run_cli("user", "list", "--secrets", str(secrets))
    assert damaged.returncode == 2 and "empty" in damaged.stderr and "Traceback" not in damaged.stderr


# ------------------------------------------------------------------ throttle


@pytest.fixture
def checks(monkeypatch):
    """How many passwords were actually verified (each costs one scrypt)."""
    seen: list[str] = []
    real = users.verify_password

    def counting(password: str, stored: str) -> bool:
        seen.append(password)
        return real(password, stored)

    monkeypatch.setattr(users, "verify_password", counting)
    return seen


def test_parallel_guesses_for_one_name_are_checked_once(checks):
    auth = Authenticator(users_from(parsed(GOOD)), Throttle())
    start = threading.Barrier(12)
    answers = []

    def guess(i: int) -> None:
        start.wait()
        answers.append(auth.sign_in("alice", f"guess-{i}"))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == 1
    assert len(answers) == 12 and not any(a.ok for a in answers)
    assert sum("too many attempts" in a.en for a in answers) == 11


def test_an_unknown_name_costs_a_hash_like_a_known_one(checks):
    clock = [0.0]
    auth = Authenticator(users_from(parsed(GOOD)), Throttle(clock=lambda: clock[0]))
    unknown = auth.sign_in("mallory", "guess")
    known = auth.sign_in("alice", "guess")
    assert checks == ["guess", "guess"]
    assert (unknown.en, unknown.wait) == (known.en, known.wait) == ("wrong user name or password", 1)


def test_the_throttle_table_stays_bounded_and_keeps_the_users():
    clock = [0.0]
    throttle = Throttle(clock=lambda: clock[0], max_names=1000)
    auth = Authenticator(users_from(parsed(GOOD)), throttle)
    assert throttle.begin("alice") == 0
    for i in range(20_000):
        clock[0] += 0.001
        throttle.failed(f"made-up-{i}")
    assert len(throttle) == 1000
    assert "alice" in throttle.entries and auth.throttle is throttle


def test_the_throttle_forgets_quiet_names_but_not_a_pending_wait():
    clock = [0.0]
    throttle = Throttle(clock=lambda: clock[0], forget_after=600)
    for _ in range(7):  # 1, 2, 4 … 64 → capped at 60 s
        clock[0] += throttle.wait("bob")
        assert throttle.begin("bob") == 0
    assert throttle.wait("bob") == 60
    clock[0] += 599
    throttle.failed("carol")
    assert "bob" in throttle.entries  # 599 s quiet: still remembered
    clock[0] += 2
    throttle.failed("carol")
    assert "bob" not in throttle.entries and len(throttle) == 1
