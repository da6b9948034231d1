"""`python -m lib.cli user …`: add (password asked twice, read from stdin when it is not a
terminal), list, set-role, reset-password, disable; never a password on the command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lib import cli
from lib.accounts import auth
from lib.cli import user

ROOT = Path(__file__).resolve().parent.parent
PW = "first admin pw 1"


def run_cli(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run the CLI in-process with text on a non-terminal stdin."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(argv)


def test_first_admin_is_created_through_stdin_of_a_subprocess(empty_url: str) -> None:
    """Test that `user add NAME --role admin` reads the password twice from stdin and can sign in."""
    env = {**os.environ, "DATABASE_URL": empty_url}
    proc = subprocess.run(
        [sys.executable, "-m", "lib.cli", "user", "add", "chair", "--role", "admin"],
        input=f"{PW}\n{PW}\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "added chair (admin)" in proc.stdout
    assert PW not in proc.stdout + proc.stderr
    assert auth.authenticate("chair", PW, "", empty_url).user.role == "admin"


def test_prompt_function_can_be_injected(db_url: str) -> None:
    """Test that cli_user takes an injected prompt, asked twice for a new password."""
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return PW

    args = cli.build_parser().parse_args(["user", "add", "ed", "--role", "editor"])
    assert user.cli_user(args, prompt=prompt, out=io.StringIO(), url=db_url) == 0
    assert len(asked) == 2 and auth.active_user("ed", db_url).role == "editor"


@pytest.mark.parametrize(
    ("stdin", "why"),
    [(f"{PW}\nsomething else\n", "differ"), ("short\nshort\n", "too short"), ("", "no password")],
    ids=["mismatch", "weak", "no-input"],
)
def test_add_refuses_bad_passwords(
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
    stdin: str,
    why: str,
) -> None:
    """Test that differing, weak or missing passwords are refused and no account is made."""
    assert run_cli(["user", "add", "ed", "--role", "editor"], stdin, monkeypatch) == 1
    assert why in capsys.readouterr().err
    assert auth.list_users(db_url).height == 0


def test_password_cannot_be_given_on_the_command_line(db_url: str) -> None:
    """Test that there is no --password option (usage error, exit 2)."""
    assert cli.main(["user", "add", "ed", "--password", PW]) == 2


def test_no_default_account_exists(db_url: str) -> None:
    """Test that a fresh store has no account at all (no default password anywhere)."""
    assert auth.list_users(db_url).height == 0


def test_list_set_role_disable(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Test that list shows accounts, set-role changes a role and disable blocks sign-in."""
    auth.create_user("boss", "admin", None, url=db_url)
    assert run_cli(["user", "add", "ed"], f"{PW}\n{PW}\n", monkeypatch) == 0
    assert run_cli(["user", "set-role", "ed", "editor"], "", monkeypatch) == 0
    capsys.readouterr()
    assert run_cli(["user", "list"], "", monkeypatch) == 0
    listing = capsys.readouterr().out
    assert "boss" in listing and "ed " in listing and "editor" in listing
    assert run_cli(["user", "disable", "ed"], "", monkeypatch) == 0
    assert auth.authenticate("ed", PW, "", db_url).status == "disabled"


def test_reset_password(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that reset-password asks twice and only the new password signs in afterwards."""
    auth.create_user("ed", "editor", PW, url=db_url)
    new = "second pw for ed"
    assert run_cli(["user", "reset-password", "ed"], f"{new}\n{new}\n", monkeypatch) == 0
    assert auth.authenticate("ed", new, "", db_url).ok
    assert not auth.authenticate("ed", PW, "", db_url).ok


@pytest.mark.parametrize(
    "argv",
    [["user", "set-role", "ghost", "admin"], ["user", "disable", "ghost"]],
    ids=["set-role", "disable"],
)
def test_unknown_user_is_refused(
    db_url: str, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """Test that commands on an unknown user exit 1."""
    assert run_cli(argv, "", monkeypatch) == 1


def test_disabling_the_last_admin_is_refused(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the CLI refuses to disable the only enabled admin."""
    auth.create_user("boss", "admin", None, url=db_url)
    assert run_cli(["user", "disable", "boss"], "", monkeypatch) == 1
    assert auth.active_user("boss", db_url) is not None


def test_sessions_are_listed_and_signed_out_from_the_command_line(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Test that `user sessions` lists an open session (user, address, agent) and
    `user sign-out NAME` ends every session of that account."""
    from lib.accounts import sessions

    auth.create_user("ed", "editor", PW, None, db_url)
    sid, _ = sessions.start("ed", "10.9.8.7", "Firefox/140", False, db_url)
    assert cli.main(["user", "sessions"]) == 0
    listing = capsys.readouterr().out
    assert "ed" in listing and "10.9.8.7" in listing and "Firefox/140" in listing
    assert cli.main(["user", "sign-out", "ed"]) == 0
    assert "1 session(s) ended" in capsys.readouterr().out
    assert sessions.check(sid, 30, db_url).status == "ended"
