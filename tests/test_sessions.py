"""Server-side sign-in sessions in lib.accounts.sessions against a real store: one-time grants,
opaque cookie tokens, idle and 7-day expiry, and the account changes that end every session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lib.accounts import auth, sessions
from lib.store.db import session_scope
from lib.store.models import UserSession, utcnow

PW = "correct horse 42"


@pytest.fixture
def store(db_url: str) -> str:
    """A store with editor 'ed' and admin 'boss'."""
    auth.create_user("ed", "editor", PW, None, db_url)
    auth.create_user("boss", "admin", PW, None, db_url)
    return db_url


def started(url: str, keep: bool = False) -> tuple[int, str]:
    """A claimed session of 'ed': its id and cookie token."""
    sid, grant = sessions.start("ed", "10.0.0.1", "pytest-agent", keep, url)
    token, _ = sessions.claim(grant, url)
    return sid, token


def age(url: str, sid: int, **delta: float) -> None:
    """Move a session's last-seen time into the past."""
    with session_scope(url) as s:
        s.execute(
            update(UserSession)
            .where(UserSession.id == sid)
            .values(last_seen_at=utcnow() - timedelta(**delta))
        )


def test_a_grant_gives_one_cookie_token_once(store: str) -> None:
    """Test that a grant is exchanged for a token once and refused the second time."""
    sid, grant = sessions.start("ed", url=store)
    token, persistent = sessions.claim(grant, store)
    assert sessions.by_token(token, store) == sid and persistent is False
    assert sessions.claim(grant, store) is None


def test_an_old_grant_is_refused(store: str) -> None:
    """Test that a grant older than two minutes sets no cookie."""
    sid, grant = sessions.start("ed", url=store)
    with session_scope(store) as s:
        s.execute(
            update(UserSession)
            .where(UserSession.id == sid)
            .values(grant_expires_at=utcnow() - timedelta(seconds=1))
        )
    assert sessions.claim(grant, store) is None


def test_the_store_keeps_only_hashes_and_the_session_facts(store: str) -> None:
    """Test that the row holds user, created, last seen, address and user agent but neither the
    token nor the grant in clear, and the token has at least 128 random bits."""
    sid, token = started(store)
    with session_scope(store) as s:
        row = s.scalar(select(UserSession).where(UserSession.id == sid))
        values = [str(v) for v in vars(row).values()]
    assert token not in values and len(token) >= 22
    assert row.address == "10.0.0.1" and row.user_agent == "pytest-agent"
    assert row.created_at and row.last_seen_at


def test_an_idle_session_expires_and_is_deleted(store: str) -> None:
    """Test that a session idle longer than the idle time is expired and its row deleted."""
    sid, token = started(store)
    age(store, sid, minutes=31)
    assert sessions.check(sid, 30, store).status == "expired"
    assert sessions.by_token(token, store) is None


def test_a_kept_session_survives_idle_time_but_not_seven_days(store: str) -> None:
    """Test that "keep me signed in" outlives the idle time and ends after seven days."""
    sid, _ = started(store, keep=True)
    age(store, sid, hours=5)
    assert sessions.check(sid, 30, store).status == "ok"
    with session_scope(store) as s:
        s.execute(
            update(UserSession)
            .where(UserSession.id == sid)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert sessions.check(sid, 30, store).status == "expired"


@pytest.mark.parametrize(
    "change",
    [
        lambda url: auth.set_disabled("ed", True, url, "boss"),
        lambda url: auth.set_role("ed", "viewer", url, "boss"),
        lambda url: auth.set_password("ed", "another pass 77", url, "boss"),
    ],
    ids=["disable", "role-change", "password-reset"],
)
def test_account_changes_end_every_session_of_the_account(store: str, change) -> None:  # noqa: ANN001
    """Test that disable, role change and password reset end all sessions of that account."""
    first, _ = started(store)
    second, _ = started(store, keep=True)
    change(store)
    assert sessions.check(first, 30, store).status == "ended"
    assert sessions.check(second, 30, store).status == "ended"


def test_sign_out_by_cookie_ends_the_session(store: str) -> None:
    """Test that ending a session by its cookie token removes it for every tab."""
    sid, token = started(store)
    sessions.end_by_token(token, store)
    assert sessions.check(sid, 30, store).status == "ended"


def test_a_session_reports_the_role_stored_now(store: str) -> None:
    """Test that a session check returns the account's current role and is listed for admins."""
    sid, _ = started(store)
    check = sessions.check(sid, 30, store)
    assert check.status == "ok" and check.user.role == "editor"
    listed = sessions.list_sessions(store)
    assert listed["username"].to_list() == ["ed"] and listed["address"].to_list() == ["10.0.0.1"]
