"""`python -m sla_core user`: sign-in users in .streamlit/secrets.toml (salted hashes), scoped to
contracts the store knows."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sla_core.cli_common import EXIT_OK, EXIT_REJECTED
from sla_core.problems import error


def cmd_user(args: argparse.Namespace) -> int:
    """Users live in .streamlit/secrets.toml as salted hashes; this command is the only way to manage them."""
    import getpass

    from sla_core import users, workspace

    path = Path(args.secrets)
    if args.action == "list":  # also the check of a configuration: a damaged one is reported, exit 2
        for name, user in users.users_from(users.read_secrets(path)).items():
            scope = "*" if user.contracts is None else ",".join(sorted(user.contracts))
            print(f"{name}\t{user.role}\t{scope}\t{user.email or ''}")
        return EXIT_OK
    if args.action == "remove":
        if not users.remove_user(path, args.name):
            print(f"no user {args.name}", file=sys.stderr)
            return EXIT_REJECTED
        print(f"user {args.name} removed")
        return EXIT_OK
    contracts = [c.strip() for c in (args.contracts or "*").split(",") if c.strip()]
    known = (
        _known_contracts(Path(args.db) if args.db else workspace.db_path())
        if contracts != [users.ALL]
        else None
    )
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the passwords differ", file=sys.stderr)
            return EXIT_REJECTED
    try:
        users.add_user(
            path, args.name, args.role, contracts, password, email=args.email, known_contracts=known
        )
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED
    print(f"user {args.name} ({args.role}) saved in {path}")
    return EXIT_OK


def _known_contracts(db: Path) -> set[str]:
    """The contract ids in the store (a user may only be given contracts that exist)."""
    from sla_core import store as st
    from sla_core import workspace

    if not db.is_file():
        raise st.StoreError(
            error(
                "cli.no_store",
                f"找不到数据库 {db}，无法核对合同编号：先启动一次应用或导入合同，或用 --db 指定，或用 --contracts '*'",
                f"no store at {db} to check the contract ids against: start the app or import a contract "
                "first, name the store with --db, or use --contracts '*'",
            )
        )
    return {c.contract_id for c in st.list_contracts(workspace.open_workspace(db))}
