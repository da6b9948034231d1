"""Accounts in lib.accounts.auth against a real store: argon2id hashes, sign-in, lockout, account changes,
settings and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from lib.accounts import auth
from lib.store.db import session_scope
from lib.store.models import AuditLog, User, utcnow

PW = "correct horse 42"


@pytest.fixture
def editor(db_url: str) -> str:
    """A store with one editor 'ed' (password PW) and one admin 'boss' (SSO only)."""
    auth.create_user("ed", "editor", PW, "ed@example.org", db_url)
    auth.create_user("boss", "admin", None, "boss@example.org", db_url)
    return db_url


def stored_hash(url: str, name: str) -> str:
    """The stored password hash of a user."""
    with session_scope(url) as s:
        return s.scalar(select(User.password_hash).where(User.username == name))


def actions(url: str) -> list[str]:
    """The audit log's actions, oldest first."""
    with session_scope(url) as s:
        return list(s.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_password_is_stored_as_argon2id_above_owasp_minimum(editor: str) -> None:
    """Test that a password is stored as an argon2id hash with at least m=19 MiB, t=2, p=1."""
    h = stored_hash(editor, "ed")
    assert h.startswith("$argon2id$") and PW not in h
    params = dict(p.split("=") for p in h.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2 and int(params["p"]) >= 1


def test_right_password_signs_in_and_is_audited(editor: str) -> None:
    """Test that the right password signs in with the stored role and writes a 'login' row."""
    res = auth.authenticate("ED ", PW, "10.0.0.1", editor)
    assert res.ok and res.user.username == "ed" and res.user.role == "editor"
    assert actions(editor)[-1] == "login"


@pytest.mark.parametrize(
    ("name", "password"),
    [("ed", "wrong password!"), ("nobody", PW), ("boss", ""), ("", "")],
    ids=["wrong-password", "unknown-user", "sso-only-user", "empty"],
)
def test_bad_credentials_are_refused_and_audited(editor: str, name: str, password: str) -> None:
    """Test that wrong credentials are refused with one 'login_failed' row and no session."""
    res = auth.authenticate(name, password, "10.0.0.1", editor)
    assert res.status == "invalid" and res.user is None
    assert actions(editor)[-1] == "login_failed"


def test_disabled_account_cannot_sign_in(editor: str) -> None:
    """Test that a disabled account is refused even with the right password."""
    auth.set_disabled("ed", True, editor)
    assert auth.authenticate("ed", PW, "", editor).status == "disabled"


def test_old_parameters_are_rehashed_on_sign_in(editor: str) -> None:
    """Test that a hash made with weaker parameters is replaced by a current one at sign-in."""
    weak = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(PW)
    with session_scope(editor) as s:
        s.scalar(select(User).where(User.username == "ed")).password_hash = weak
    assert auth.authenticate("ed", PW, "", editor).ok
    new = stored_hash(editor, "ed")
    assert new != weak and not auth.HASHER.check_needs_rehash(new)


def test_five_failures_for_a_username_lock_it(editor: str) -> None:
    """Test that five failures for one username lock it, even for the right password."""
    for i in range(5):
        res = auth.authenticate("ed", "wrong password!", f"10.0.0.{i}", editor)
    assert res.locked_until is not None
    locked = auth.authenticate("ed", PW, "10.0.0.99", editor)
    assert locked.status == "locked" and not locked.ok
    assert locked.locked_until - utcnow() > timedelta(minutes=14)
    assert actions(editor)[-1] == "login_locked"


def test_five_failures_from_an_address_lock_it(editor: str) -> None:
    """Test that five failures from one address (various names) lock that address only."""
    for i in range(5):
        auth.authenticate(f"guess{i}", "wrong password!", "192.0.2.7", editor)
    assert auth.authenticate("ed", PW, "192.0.2.7", editor).status == "locked"
    assert auth.authenticate("ed", PW, "192.0.2.8", editor).ok


def test_four_failures_do_not_lock(editor: str) -> None:
    """Test that four failures still let the right password in."""
    for _ in range(4):
        auth.authenticate("ed", "wrong password!", "10.0.0.1", editor)
    assert auth.authenticate("ed", PW, "10.0.0.1", editor).ok


def add_failures(url: str, name: str, minutes_ago: list[float], address: str = "") -> None:
    """Write 'login_failed' rows for a user at given minutes in the past."""
    with session_scope(url) as s:
        for m in minutes_ago:
            s.add(
                AuditLog(
                    at=utcnow() - timedelta(minutes=m),
                    action="login_failed",
                    username=name,
                    address=address,
                )
            )


@pytest.mark.parametrize(
    ("minutes_ago", "locked"),
    [
        ([1, 2, 3, 4, 4.5], True),  # five within five minutes, just now
        ([10, 11, 12, 13, 14], True),  # lock still running (15 minutes from the fifth)
        ([16, 17, 18, 19, 19.5], False),  # lock over
        ([1, 2, 3, 9, 10], False),  # spread over more than five minutes
    ],
    ids=["fresh", "still-locked", "expired", "spread-out"],
)
def test_lock_lasts_fifteen_minutes_after_five_quick_failures(
    editor: str, minutes_ago: list[float], locked: bool
) -> None:
    """Test that a lock needs five failures within five minutes and ends fifteen minutes later."""
    add_failures(editor, "ed", minutes_ago)
    with session_scope(editor) as s:
        assert (auth.locked_until(s, "ed") is not None) is locked


def test_successful_sign_in_resets_the_username_count(editor: str) -> None:
    """Test that failures before a successful sign-in no longer count towards a lock."""
    add_failures(editor, "ed", [3, 2.5, 2, 1.5])
    assert auth.authenticate("ed", PW, "", editor).ok
    auth.authenticate("ed", "wrong password!", "", editor)
    assert auth.authenticate("ed", PW, "", editor).ok


@pytest.mark.parametrize(
    ("password", "why"),
    [("short", "too short"), ("newuser12", "too short"), ("NewUser-01", None)],
)
def test_password_policy(db_url: str, password: str, why: str | None) -> None:
    """Test that passwords under ten characters are refused when an account is made."""
    if why:
        with pytest.raises(auth.AuthError, match=why):
            auth.create_user("newuser", "viewer", password, url=db_url)
    else:
        assert auth.create_user("newuser", "viewer", password, url=db_url).role == "viewer"


def test_password_equal_to_username_is_refused(db_url: str) -> None:
    """Test that a password equal to the username is refused."""
    with pytest.raises(auth.AuthError, match="username"):
        auth.create_user("longusername", "viewer", "LongUserName", url=db_url)


@pytest.mark.parametrize("name", ["a", "has space", "x" * 65, "semi;colon", "quote'd"])
def test_bad_usernames_are_refused(db_url: str, name: str) -> None:
    """Test that usernames outside letters, digits and . _ - @ are refused."""
    with pytest.raises(auth.AuthError):
        auth.create_user(name, "viewer", None, url=db_url)


def test_duplicate_username_is_refused(editor: str) -> None:
    """Test that a second account with the same name (any case) is refused."""
    with pytest.raises(auth.AuthError, match="exists"):
        auth.create_user("Ed", "viewer", None, url=editor)


def test_last_admin_cannot_be_demoted_or_disabled(editor: str) -> None:
    """Test that the last enabled admin keeps the role and stays enabled."""
    with pytest.raises(auth.AuthError, match="last enabled admin"):
        auth.set_role("boss", "viewer", editor)
    with pytest.raises(auth.AuthError, match="last enabled admin"):
        auth.set_disabled("boss", True, editor)
    auth.create_user("boss2", "admin", None, url=editor)
    assert auth.set_role("boss", "viewer", editor).role == "viewer"


def test_role_change_and_disable_show_in_active_user(editor: str) -> None:
    """Test that active_user reports the role stored now, and nothing once disabled."""
    auth.set_role("ed", "viewer", editor)
    assert auth.active_user("ed", editor).role == "viewer"
    auth.set_disabled("ed", True, editor)
    assert auth.active_user("ed", editor) is None


def test_user_changes_are_audited_without_secrets(editor: str) -> None:
    """Test that account changes land in the audit log and no password text does."""
    auth.set_role("ed", "admin", editor, actor="boss")
    auth.set_password("ed", "another secret 9", editor, actor="boss")
    auth.set_disabled("ed", True, editor, actor="boss")
    log = auth.audit_log(editor)
    assert {"user_add", "user_role", "user_password", "user_disable"} <= set(log["action"])
    assert not any("secret" in d or PW in d for d in log["detail"])


def test_audit_log_filters(editor: str) -> None:
    """Test that the audit log filters by action, user, time and detail text."""
    auth.authenticate("ed", PW, "10.0.0.1", editor)
    auth.authenticate("ed", "wrong password!", "10.0.0.1", editor)
    assert auth.audit_log(editor, actions=("login",))["username"].to_list() == ["ed"]
    assert set(auth.audit_log(editor, username="ED")["action"]) == {"login", "login_failed"}
    assert auth.audit_log(editor, since=utcnow() + timedelta(minutes=1)).height == 0
    assert auth.audit_log(editor, text="role=admin")["detail"].to_list() == ["boss role=admin"]


def test_anonymous_reading_is_off_by_default(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that dashboards need an account unless anonymous reading is switched on."""
    monkeypatch.delenv(auth.ENV_ANON, raising=False)
    assert auth.anonymous_read(db_url) is False


def test_anonymous_reading_setting_beats_environment(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that $KPI_ANONYMOUS_READ turns reading on until an admin stores a setting."""
    monkeypatch.setenv(auth.ENV_ANON, "1")
    assert auth.anonymous_read(db_url) is True
    auth.put_setting(auth.ANON_KEY, "0", db_url, "boss")
    assert auth.anonymous_read(db_url) is False


def test_idle_minutes_default_and_setting(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that the idle time is 30 minutes unless the environment or a setting says otherwise."""
    monkeypatch.delenv(auth.ENV_IDLE, raising=False)
    assert auth.idle_minutes(db_url) == 30
    monkeypatch.setenv(auth.ENV_IDLE, "5")
    assert auth.idle_minutes(db_url) == 5
    auth.put_setting(auth.IDLE_KEY, "90", db_url)
    assert auth.idle_minutes(db_url) == 90


@pytest.mark.parametrize(
    ("configured", "role"), [(None, None), ("none", None), ("viewer", "viewer"), ("admin", None)]
)
def test_unknown_sso_users_get_viewer_only_when_configured(
    configured: str | None, role: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that an unknown single-sign-on user gets nothing unless 'viewer' is configured."""
    monkeypatch.delenv(auth.ENV_SSO_UNKNOWN, raising=False)
    assert auth.sso_unknown_role(configured) == role


def test_sso_user_is_found_by_email(editor: str) -> None:
    """Test that a single-sign-on e-mail maps to the account and its role, any case."""
    info = auth.user_by_email("Ed@Example.org", editor)
    assert info.username == "ed" and info.role == "editor"
    assert auth.user_by_email("stranger@example.org", editor) is None


@pytest.mark.parametrize(
    ("role", "user", "owner", "allowed"),
    [
        ("admin", "boss", "ed", True),
        ("editor", "ed", "ed", True),
        ("editor", "Ed", "ed", True),
        ("editor", "ed", "other", False),
        ("viewer", "viv", "viv", False),
        (None, "", "", False),
    ],
)
def test_who_may_undo_a_batch(role: str | None, user: str, owner: str, allowed: bool) -> None:
    """Test that admins may undo any batch and editors only their own."""
    assert auth.may_undo(role, user, owner) is allowed


def test_audit_csv_escapes_formula_usernames(db_url: str) -> None:
    """Test that a username typed as a spreadsheet formula is escaped in the audit CSV."""
    from lib.store.export import csv_bytes

    # an e-mail from the identity provider becomes the username of an unknown SSO viewer
    auth.record("login", '=hyperlink("http://x","y")@example.org', "sso", "", db_url)
    text = csv_bytes(auth.audit_log(db_url)).decode("utf-8-sig")
    assert "'=hyperlink" in text and "\n=hyperlink" not in text


def test_server_hardening_in_config() -> None:
    """Test that config.toml turns XSRF protection on, caps uploads and turns usage stats off."""
    import tomllib
    from pathlib import Path

    cfg = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert 0 < cfg["server"]["maxUploadSize"] <= 50
    assert cfg["browser"]["gatherUsageStats"] is False


def test_no_secrets_file_is_committed() -> None:
    """Test that only the secrets example is in the tree and the real file is git-ignored."""
    from pathlib import Path

    root = Path(__file__).parent.parent
    assert (root / ".streamlit" / "secrets.toml.example").is_file()
    assert ".streamlit/secrets.toml" in (root / ".gitignore").read_text().splitlines()


def test_thirty_parallel_wrong_passwords_reach_the_check_at_most_five_times(editor: str) -> None:
    """Test that 30 wrong passwords sent at once get at most five 'invalid' answers, the rest
    'locked', and the right password afterwards is let in only if fewer than five were checked."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(
            pool.map(
                lambda i: auth.authenticate("ed", f"wrong password {i}", f"10.1.0.{i}", editor),
                range(30),
            )
        )
    statuses = [r.status for r in results]
    checked = statuses.count("invalid")
    assert checked <= auth.MAX_FAILURES and statuses.count("locked") == 30 - checked
    # the right password now: locked when five wrong ones were checked, else still let in
    after = auth.authenticate("ed", PW, "10.1.1.1", editor).status
    assert after == ("locked" if checked == auth.MAX_FAILURES else "ok")


def test_parallel_attempts_with_the_right_password_among_them_stay_within_the_limit(
    editor: str,
) -> None:
    """Test that 30 wrong passwords sent together with the right one let at most five attempts
    (the right one included) reach the password check."""
    from concurrent.futures import ThreadPoolExecutor

    guesses = [f"wrong password {i}" for i in range(30)] + [PW]
    with ThreadPoolExecutor(max_workers=31) as pool:
        results = list(
            pool.map(lambda pw: auth.authenticate("ed", pw, "10.2.0.1", editor), guesses)
        )
    checked = [r for r in results if r.status in ("invalid", "ok")]
    assert len(checked) <= auth.MAX_FAILURES


def test_a_name_matching_no_account_is_audited_as_unknown_user(editor: str) -> None:
    """Test that a failed sign-in with a name matching no account records "unknown user", not
    the text typed (which may be a password typed into the wrong box)."""
    auth.authenticate("Secret Pass 99", "whatever!!", "10.0.0.5", editor)
    log = auth.audit_log(editor, actions=("login_failed",))
    assert log["username"].to_list() == ["unknown user"]
    assert not log.filter(log["detail"].str.contains("Secret")).height


def test_a_known_name_with_a_wrong_password_is_audited_under_that_name(editor: str) -> None:
    """Test that a wrong password for an existing account is recorded under its username."""
    auth.authenticate("ED", "wrong password!", "10.0.0.5", editor)
    assert auth.audit_log(editor, actions=("login_failed",))["username"].to_list() == ["ed"]


@pytest.mark.parametrize(
    "password",
    [" " * 10, "ab  cd  ef  gh", "\t\t12345678 ", "e d i t o r 1"],
    ids=["ten-spaces", "eight-letters-with-spaces", "tabs", "username-spaced"],
)
def test_weak_passwords_are_refused(db_url: str, password: str) -> None:
    """Test that a password with fewer than ten non-space characters, or the username with
    spaces in it, is refused and no account is written."""
    with pytest.raises(auth.AuthError):
        auth.create_user("editor1", "viewer", password, None, db_url)
    assert auth.active_user("editor1", db_url) is None
