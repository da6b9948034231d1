"""The `user` command of python -m lib.cli: accounts and their sign-in sessions (the printing side
of lib.accounts.auth and lib.accounts.sessions)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import IO

from lib.accounts import sessions
from lib.accounts.auth import (
    AuthError,
    check_password_policy,
    create_user,
    list_users,
    norm_username,
    require_user,
    set_disabled,
    set_password,
    set_role,
)
from lib.core.vocab import BEIJING
from lib.store.db import ensure_schema, session_scope

Prompt = Callable[[str], str]


def stdin_or_tty_prompt(text: str) -> str:
    """Ask for a secret: getpass on a terminal, else one line of stdin (scripts, tests)."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(text)
    print(text, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise AuthError("no password given on stdin")
    return line.rstrip("\r\n")


def ask_new_password(prompt: Prompt, username: str) -> str:
    """Ask for a new password twice; AuthError when they differ or it is too weak."""
    first = prompt(f"New password for {username}: ")
    second = prompt("Repeat the password: ")
    if first != second:
        raise AuthError("the two passwords differ")
    check_password_policy(first, username)
    return first


def print_sessions(out: IO[str], url: str | None = None) -> None:
    """Print the open sessions as a table (Beijing time)."""
    out.write(
        f"{'username':<24}{'signed in':<18}{'last seen':<18}{'kept':<6}{'address':<18}agent\n"
    )
    for row in sessions.list_sessions(url).iter_rows(named=True):
        created = row["created_at"].astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
        seen = row["last_seen_at"].astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
        kept = "yes" if row["persistent"] else "no"
        out.write(
            f"{row['username']:<24}{created:<18}{seen:<18}{kept:<6}{row['address']:<18}"
            f"{row['user_agent'][:60]}\n"
        )


def print_users(out: IO[str], url: str | None) -> None:
    """Print the account table."""
    df = list_users(url)
    out.write(f"{'username':<24}{'role':<8}{'state':<10}{'e-mail':<32}last sign-in\n")
    for row in df.iter_rows(named=True):
        state = "disabled" if row["disabled"] else "active"
        last = row["last_login_at"].strftime("%Y-%m-%d %H:%M") if row["last_login_at"] else "—"
        out.write(
            f"{row['username']:<24}{row['role']:<8}{state:<10}{row['email'] or '':<32}{last}\n"
        )


def cli_user(
    args: argparse.Namespace,
    prompt: Prompt = stdin_or_tty_prompt,
    out: IO[str] | None = None,
    url: str | None = None,
) -> int:
    """user add|list|set-role|reset-password|disable|sessions|sign-out: 0 done, 1 refused."""
    out = out or sys.stdout
    ensure_schema(url)
    actor = "cli"
    try:
        if args.action == "add":
            name = norm_username(args.name)
            password = ask_new_password(prompt, name)
            info = create_user(name, args.role, password, args.email, url, actor)
            out.write(f"added {info.username} ({info.role})\n")
        elif args.action == "list":
            print_users(out, url)
        elif args.action == "set-role":
            info = set_role(args.name, args.role, url, actor)
            out.write(f"{info.username} is now {info.role}\n")
        elif args.action == "reset-password":
            with session_scope(url) as session:
                name = require_user(session, args.name).username
            set_password(name, ask_new_password(prompt, name), url, actor)
            out.write(f"password of {name} changed\n")
        elif args.action == "disable":
            info = set_disabled(args.name, True, url, actor)
            out.write(f"{info.username} disabled\n")
        elif args.action == "sessions":
            print_sessions(out, url)
        elif args.action == "sign-out":
            ended = sessions.end_user_sessions(args.name, url, actor)
            out.write(f"{norm_username(args.name)}: {ended} session(s) ended\n")
        else:
            raise AuthError(f"unknown action {args.action}")
    except AuthError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    return 0
