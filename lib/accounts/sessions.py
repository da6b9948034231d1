"""Server-side sign-in sessions: a row per signed-in browser in the store (user_session), so a
reload, a new tab or a deep link keeps the session and any app server accepts it.

Flow: a password sign-in creates a row with a one-time grant (start). The page hands the grant
to the app server's /_kpi/session route (lib.accounts.web), which exchanges it for a random
cookie token (claim) and sets it as an HttpOnly, SameSite=Lax cookie. Later requests find the row
by the token's SHA-256 (by_token); every rerun checks it (check): the account must be enabled,
the session not idle longer than the idle time (or, with "keep me signed in", not older than
KEEP_FOR). Sign-out deletes the row; disable, role change and password reset delete every row of
the account (lib.accounts.auth.end_sessions). The cookie never carries a name or a role.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl
from sqlalchemy import delete, select

from lib.accounts import auth
from lib.store.audit import AuditEvent
from lib.store.db import get_engine, session_scope
from lib.store.models import User, UserSession, add_audit, utcnow

KEEP_FOR = timedelta(days=7)
GRANT_FOR = timedelta(minutes=2)
TOUCH_EVERY = timedelta(seconds=30)
TOKEN_BYTES = 32  # 256 bits


@dataclass(frozen=True)
class SessionCheck:
    """The state of a session: ok (with the account as stored now), expired or ended."""

    status: str
    user: auth.UserInfo | None = None
    session_id: int | None = None
    claimed: bool = True


def digest(token: str) -> str:
    """The SHA-256 of a token as stored (tokens and grants are never stored themselves)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start(
    username: str,
    address: str = "",
    user_agent: str = "",
    persistent: bool = False,
    url: str | None = None,
) -> tuple[int, str]:
    """A new session of an enabled account: its row id and the one-time grant for the cookie."""
    grant = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    with session_scope(url) as session:
        user = session.scalar(
            select(User).where(
                User.username == auth.norm_username(username), User.disabled.is_(False)
            )
        )
        if user is None:
            raise auth.AuthError("no such enabled account")
        row = UserSession(
            user_id=user.id,
            grant_hash=digest(grant),
            grant_expires_at=now + GRANT_FOR,
            created_at=now,
            last_seen_at=now,
            expires_at=now + KEEP_FOR if persistent else None,
            persistent=persistent,
            address=(address or "")[:100],
            user_agent=(user_agent or "")[:300],
        )
        session.add(row)
        session.flush()
        return row.id, grant


def claim(grant: str, url: str | None = None) -> tuple[str, bool] | None:
    """Exchange a fresh one-time grant for a new cookie token: (token, persistent), or None."""
    if not grant or len(grant) > 200:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with session_scope(url) as session:
        row = session.scalar(select(UserSession).where(UserSession.grant_hash == digest(grant)))
        if row is None or row.grant_expires_at is None:
            return None
        expired = auth._aware(row.grant_expires_at) < utcnow()
        row.grant_hash, row.grant_expires_at = None, None
        if expired:
            return None
        row.token_hash = digest(token)
        return token, bool(row.persistent)


def by_token(token: str, url: str | None = None) -> int | None:
    """The session row id a cookie token belongs to (None: unknown or ended)."""
    if not token or len(token) > 200:
        return None
    with get_engine(url).connect() as conn:
        return conn.execute(
            select(UserSession.id).where(UserSession.token_hash == digest(token))
        ).scalar()


def _expired(row: UserSession, idle: timedelta, now: datetime) -> bool:
    """Whether a session is over: past its absolute end, or idle too long when not kept."""
    if row.expires_at is not None and auth._aware(row.expires_at) <= now:
        return True
    return not row.persistent and now - auth._aware(row.last_seen_at) > idle


def check(session_id: int, idle_minutes: int, url: str | None = None) -> SessionCheck:
    """The session's state now (its account re-read from the store); an expired session is
    deleted; last seen is refreshed at most every TOUCH_EVERY."""
    now = utcnow()
    with session_scope(url) as session:
        row = session.get(UserSession, session_id)
        if row is None:
            return SessionCheck("ended")
        user = session.get(User, row.user_id)
        if user is None or user.disabled:
            session.delete(row)
            return SessionCheck("ended")
        if _expired(row, timedelta(minutes=idle_minutes), now):
            session.delete(row)
            return SessionCheck("expired", auth._info(user))
        if now - auth._aware(row.last_seen_at) >= TOUCH_EVERY:
            row.last_seen_at = now
        return SessionCheck("ok", auth._info(user), row.id, row.grant_hash is None)


def end(session_id: int | None, url: str | None = None) -> None:
    """Delete one session (sign-out): every tab and server holding it is signed out."""
    if session_id is None:
        return
    with session_scope(url) as session:
        session.execute(delete(UserSession).where(UserSession.id == session_id))


def end_by_token(token: str, url: str | None = None) -> None:
    """Delete the session a cookie token belongs to (sign-out from the HTTP route)."""
    end(by_token(token, url), url)


SESSIONS_SCHEMA = pl.Schema(
    {
        "id": pl.Int64(),
        "username": pl.Utf8(),
        "created_at": pl.Datetime(time_zone="UTC"),
        "last_seen_at": pl.Datetime(time_zone="UTC"),
        "persistent": pl.Boolean(),
        "address": pl.Utf8(),
        "user_agent": pl.Utf8(),
    }
)


def list_sessions(url: str | None = None) -> pl.DataFrame:
    """Every open session, newest activity first: id, user, created, last seen, kept, address,
    user agent (never the token)."""
    stmt = (
        select(
            UserSession.id,
            User.username,
            UserSession.created_at,
            UserSession.last_seen_at,
            UserSession.persistent,
            UserSession.address,
            UserSession.user_agent,
        )
        .join(User, User.id == UserSession.user_id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    with get_engine(url).connect() as conn:
        rows = [
            (r[0], r[1], auth._aware(r[2]), auth._aware(r[3]), bool(r[4]), r[5], r[6])
            for r in conn.execute(stmt).all()
        ]
    return pl.DataFrame(rows, schema=SESSIONS_SCHEMA, orient="row")


def end_user_sessions(username: str, url: str | None = None, actor: str = "cli") -> int:
    """End every session of an account (an admin signing it out everywhere); audited as
    logout. Returns how many ended; AuthError for an unknown account."""
    with session_scope(url) as session:
        user = auth.require_user(session, username)
        ended = auth.end_sessions(session, user)
        add_audit(session, AuditEvent.LOGOUT, user.username, f"{ended} session(s) ended by {actor}")
        return ended
