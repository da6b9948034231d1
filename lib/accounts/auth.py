"""Accounts: users and roles, argon2id password hashing, sign-in with lockout, the audit log,
account settings (anonymous reading, idle time) and the `python -m lib.cli user …` commands.

No streamlit here: lib/ui/session.py keeps the browser session and calls these functions.

Lockout: five failed sign-ins for one username (since its last successful sign-in) or from one
address within LOCK_WINDOW lock further attempts for LOCK_FOR, counted from the audit log
(action 'login_failed'). Attempts while locked are logged as 'login_locked' and do not extend it.
Each attempt is written (as a failure) and committed before the lock is counted, so parallel
attempts cannot all pass the count before any failure is recorded.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lib.store.audit import AuditEvent, audit_event
from lib.store.db import get_engine, session_scope
from lib.store.models import ROLES, AuditLog, Setting, User, UserSession, add_audit, utcnow

# argon2id above OWASP's minimum (m=19 MiB, t=2, p=1): RFC 9106's low-memory profile.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 65536
ARGON2_PARALLELISM = 4
HASHER = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)

MAX_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=5)
LOCK_FOR = timedelta(minutes=15)
MIN_PASSWORD_LEN = 10
DEFAULT_IDLE_MINUTES = 30
USERNAME_RE = re.compile(r"^[\w.@-]{2,64}$")

ANON_KEY = "anonymous_read"
IDLE_KEY = "idle_minutes"
ENV_ANON = "KPI_ANONYMOUS_READ"
ENV_IDLE = "KPI_IDLE_MINUTES"
ENV_SSO_UNKNOWN = "KPI_SSO_UNKNOWN_ROLE"


class AuthError(Exception):
    """An account change is refused (bad name, weak password, unknown user, last admin …)."""


@dataclass(frozen=True)
class UserInfo:
    """What a session needs to know about an account."""

    username: str
    role: str
    email: str | None = None
    disabled: bool = False
    stamp: str = ""  # changes when the password changes: ends the sessions signed in before


def password_stamp(password_hash: str | None) -> str:
    """A short fingerprint of a stored hash (not the hash), kept in a session."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a sign-in attempt: ok, invalid, locked or disabled."""

    status: str
    user: UserInfo | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether the user is signed in."""
        return self.status == "ok"


def norm_username(name: str) -> str:
    """A username as stored: trimmed and lower-cased."""
    return (name or "").strip().lower()


def _aware(at: datetime) -> datetime:
    """A datetime as UTC-aware (SQLite returns naive UTC)."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _truthy(text: str | None) -> bool:
    """Whether a setting text means on."""
    return (text or "").strip().lower() in {"1", "true", "yes", "on"}


# --- passwords ----------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of a password with the current parameters."""
    return HASHER.hash(password)


def check_password_policy(password: str, username: str = "") -> None:
    """Raise AuthError unless a password is long enough and not the username."""
    if sum(not ch.isspace() for ch in password) < MIN_PASSWORD_LEN:
        raise AuthError(
            f"password too short: at least {MIN_PASSWORD_LEN} characters other than spaces"
        )
    if username and "".join(password.split()).lower() == norm_username(username):
        raise AuthError("password must not be the username")


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash of a random secret, verified for unknown users so timing does not reveal them."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(HASHER.hash(secrets.token_urlsafe(24)))
    return _DUMMY_HASH[0]


def _verify(stored: str | None, password: str) -> bool:
    """Whether a password matches a stored hash (False for no hash or a broken one)."""
    try:
        return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- audit --------------------------------------------------------------------------------------


AUDIT_SCHEMA = pl.Schema(
    {
        "at": pl.Datetime(time_zone="UTC"),
        "username": pl.Utf8(),
        "action": pl.Utf8(),
        "detail": pl.Utf8(),
        "address": pl.Utf8(),
    }
)


def audit_log(
    url: str | None = None,
    actions: tuple[AuditEvent, ...] | None = None,
    username: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    text: str | None = None,
    limit: int = 5000,
) -> pl.DataFrame:
    """Audit-log rows, newest first, filtered by action, user, time range and detail text."""
    stmt = select(
        AuditLog.at, AuditLog.username, AuditLog.action, AuditLog.detail, AuditLog.address
    )
    if actions:
        stmt = stmt.where(AuditLog.action.in_([audit_event(a).value for a in actions]))
    if username:
        stmt = stmt.where(AuditLog.username == norm_username(username))
    if since is not None:
        stmt = stmt.where(AuditLog.at >= since)
    if until is not None:
        stmt = stmt.where(AuditLog.at < until)
    if text:
        stmt = stmt.where(AuditLog.detail.contains(text, autoescape=True))
    stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    with get_engine(url).connect() as conn:
        rows = [(_aware(r[0]), *r[1:]) for r in conn.execute(stmt).all()]
    return pl.DataFrame(rows, schema=AUDIT_SCHEMA, orient="row")


# --- users --------------------------------------------------------------------------------------


def _info(user: User) -> UserInfo:
    """A UserInfo from a row."""
    return UserInfo(
        user.username,
        user.role,
        user.email,
        bool(user.disabled),
        password_stamp(user.password_hash),
    )


def _get(session: Session, username: str) -> User | None:
    """The user row for a name (normalised), or None."""
    return session.scalar(select(User).where(User.username == norm_username(username)))


def require_user(session: Session, username: str) -> User:
    """The user row for a name, or AuthError."""
    user = _get(session, username)
    if user is None:
        raise AuthError(f"no such user: {norm_username(username)}")
    return user


def _check_role(role: str) -> None:
    """Raise AuthError for an unknown role."""
    if role not in ROLES:
        raise AuthError(f"unknown role: {role} (one of {', '.join(ROLES)})")


def _active_admins(session: Session) -> int:
    """How many enabled admin accounts exist."""
    stmt = select(func.count(User.id)).where(User.role == "admin", User.disabled.is_(False))
    return int(session.scalar(stmt) or 0)


def end_sessions(session: Session, user: User) -> int:
    """Delete every sign-in session of an account (in the caller's transaction): each browser
    holding one is signed out at its next request, on every app server."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return int(getattr(result, "rowcount", 0) or 0)


def create_user(
    username: str,
    role: str,
    password: str | None,
    email: str | None = None,
    url: str | None = None,
    actor: str = "cli",
) -> UserInfo:
    """Add an account (password None: single sign-on only); audited as user_add."""
    name = norm_username(username)
    if not USERNAME_RE.match(name):
        raise AuthError("username: 2–64 letters, digits, '.', '_', '-' or '@'")
    _check_role(role)
    if password is not None:
        check_password_policy(password, name)
    mail = (email or "").strip().lower() or None
    with session_scope(url) as session:
        if _get(session, name) is not None:
            raise AuthError(f"user exists: {name}")
        if mail and session.scalar(select(User.id).where(User.email == mail)) is not None:
            raise AuthError(f"e-mail already used: {mail}")
        user = User(
            username=name,
            email=mail,
            role=role,
            password_hash=hash_password(password) if password is not None else None,
        )
        session.add(user)
        add_audit(session, AuditEvent.USER_ADD, actor, f"{name} role={role}")
        session.flush()
        return _info(user)


def list_users(url: str | None = None) -> pl.DataFrame:
    """All accounts (no hashes): username, e-mail, role, disabled, created, last sign-in."""
    stmt = select(
        User.username,
        User.email,
        User.role,
        User.disabled,
        User.password_hash.is_not(None),
        User.created_at,
        User.last_login_at,
    ).order_by(User.username)
    with get_engine(url).connect() as conn:
        rows = [
            (r[0], r[1], r[2], bool(r[3]), bool(r[4]), _aware(r[5]), r[6] and _aware(r[6]))
            for r in conn.execute(stmt).all()
        ]
    schema = pl.Schema(
        {
            "username": pl.Utf8(),
            "email": pl.Utf8(),
            "role": pl.Utf8(),
            "disabled": pl.Boolean(),
            "has_password": pl.Boolean(),
            "created_at": pl.Datetime(time_zone="UTC"),
            "last_login_at": pl.Datetime(time_zone="UTC"),
        }
    )
    return pl.DataFrame(rows, schema=schema, orient="row")


def set_role(username: str, role: str, url: str | None = None, actor: str = "cli") -> UserInfo:
    """Change an account's role (never the last enabled admin's); audited as user_role."""
    _check_role(role)
    with session_scope(url) as session:
        user = require_user(session, username)
        if user.role == "admin" and role != "admin" and not user.disabled:
            if _active_admins(session) <= 1:
                raise AuthError("refused: this is the last enabled admin")
        old, user.role = user.role, role
        if old != role:
            end_sessions(session, user)
        add_audit(session, AuditEvent.USER_ROLE, actor, f"{user.username} {old}->{role}")
        return _info(user)


def set_password(username: str, password: str, url: str | None = None, actor: str = "cli") -> None:
    """Set a new password for an account; audited as user_password (no secret logged)."""
    with session_scope(url) as session:
        user = require_user(session, username)
        check_password_policy(password, user.username)
        user.password_hash = hash_password(password)
        end_sessions(session, user)
        add_audit(session, AuditEvent.USER_PASSWORD, actor, user.username)


def set_disabled(
    username: str, disabled: bool = True, url: str | None = None, actor: str = "cli"
) -> UserInfo:
    """Disable (or enable) an account; never the last enabled admin. Takes effect at once."""
    with session_scope(url) as session:
        user = require_user(session, username)
        if disabled and user.role == "admin" and not user.disabled and _active_admins(session) <= 1:
            raise AuthError("refused: this is the last enabled admin")
        user.disabled = disabled
        if disabled:
            end_sessions(session, user)
        add_audit(
            session,
            AuditEvent.USER_DISABLE if disabled else AuditEvent.USER_ENABLE,
            actor,
            user.username,
        )
        return _info(user)


def active_user(username: str, url: str | None = None) -> UserInfo | None:
    """The account of a name if it exists and is enabled, with its role as stored now."""
    with get_engine(url).connect() as conn:
        row = conn.execute(
            select(User.username, User.role, User.email, User.password_hash).where(
                User.username == norm_username(username), User.disabled.is_(False)
            )
        ).first()
    return UserInfo(row[0], row[1], row[2], False, password_stamp(row[3])) if row else None


def user_by_email(email: str, url: str | None = None) -> UserInfo | None:
    """The account with an e-mail (any state), for single sign-on."""
    mail = (email or "").strip().lower()
    if not mail:
        return None
    with get_engine(url).connect() as conn:
        row = conn.execute(
            select(User.username, User.role, User.email, User.disabled).where(User.email == mail)
        ).first()
    return UserInfo(row[0], row[1], row[2], bool(row[3])) if row else None


# --- sign-in and lockout ------------------------------------------------------------------------


def _lock_end(times: list[datetime]) -> datetime | None:
    """When a lock from these failure times ends (None if no MAX_FAILURES fit in LOCK_WINDOW)."""
    times = sorted(times)
    end = None
    for i in range(len(times) - MAX_FAILURES + 1):
        last = times[i + MAX_FAILURES - 1]
        if last - times[i] <= LOCK_WINDOW:
            end = max(end or last, last + LOCK_FOR)
    return end


def locked_until(
    session: Session,
    username: str,
    address: str = "",
    now: datetime | None = None,
    exclude_id: int | None = None,
) -> datetime | None:
    """Until when sign-in is locked for this username or address (None: not locked); the
    attempt row exclude_id (the attempt being decided) is left out of the count."""
    now = now or utcnow()
    horizon = now - LOCK_WINDOW - LOCK_FOR
    name = norm_username(username)
    failed = select(AuditLog.at).where(AuditLog.action == AuditEvent.LOGIN_FAILED.value)
    if exclude_id is not None:
        failed = failed.where(AuditLog.id != exclude_id)
    ends = []
    if name:
        last_ok = session.scalar(
            select(func.max(AuditLog.at)).where(
                AuditLog.action == AuditEvent.LOGIN.value, AuditLog.username == name
            )
        )
        since = max(horizon, _aware(last_ok)) if last_ok else horizon
        by_name = session.scalars(
            failed.where(AuditLog.username == name, AuditLog.at > since)
        ).all()
        ends.append(_lock_end([_aware(t) for t in by_name]))
    if address:
        by_addr = session.scalars(
            failed.where(AuditLog.address == address, AuditLog.at > horizon)
        ).all()
        ends.append(_lock_end([_aware(t) for t in by_addr]))
    live = [e for e in ends if e is not None and e > now]
    return max(live) if live else None


UNKNOWN_USER = "unknown user"  # what the audit log records for a name that matches no account


def _reserve_attempt(name: str, address: str, url: str | None) -> tuple[int, str, str | None]:
    """Write (and commit) a sign-in attempt as a failure before anything is counted or checked;
    returns its row id, the name it counts under ("" for an unknown name) and the stored hash."""
    with session_scope(url) as session:
        user = _get(session, name) if name else None
        row = add_audit(
            session,
            AuditEvent.LOGIN_FAILED,
            user.username if user else UNKNOWN_USER,
            "checking",
            address,
        )
        session.flush()
        return row.id, (user.username if user else ""), (user.password_hash if user else None)


def authenticate(
    username: str, password: str, address: str = "", url: str | None = None
) -> LoginResult:
    """Check a username and password; audit the attempt; rehash when parameters changed.

    The attempt is written as a failure and committed before the lock is counted, so parallel
    attempts see each other: at most MAX_FAILURES of them reach the password check. A name that
    matches no account is recorded as "unknown user" (never the text typed: it may be a password)
    and counts only towards its address's lock."""
    name = norm_username(username)[:100]
    attempt_id, counted, stored = _reserve_attempt(name, address, url)
    with session_scope(url) as session:
        until = locked_until(session, counted, address, exclude_id=attempt_id)
        if until is not None:
            row = session.get(AuditLog, attempt_id)
            if row is not None:
                row.action, row.detail = AuditEvent.LOGIN_LOCKED, f"until {until:%H:%M} UTC"
            return LoginResult("locked", locked_until=until)
    right = _verify(stored, password)
    with session_scope(url) as session:
        row = session.get(AuditLog, attempt_id)
        user = _get(session, counted) if counted else None
        if not right or user is None or user.password_hash != stored:
            if row is not None:
                row.detail = "wrong username or password"
            session.flush()
            return LoginResult("invalid", locked_until=locked_until(session, counted, address))
        if user.disabled:
            if row is not None:
                row.detail = "account disabled"
            return LoginResult("disabled")
        if HASHER.check_needs_rehash(user.password_hash or ""):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        if row is not None:
            row.action, row.detail = AuditEvent.LOGIN, "password"
        return LoginResult("ok", _info(user))


def record(
    action: AuditEvent,
    username: str = "",
    detail: str = "",
    address: str = "",
    url: str | None = None,
) -> None:
    """Write one audit-log row in its own transaction (sign-out, SSO sign-in, backup …)."""
    with session_scope(url) as session:
        add_audit(session, action, username, detail, address)


# --- settings -----------------------------------------------------------------------------------


def get_setting(key: str, url: str | None = None) -> str | None:
    """A stored setting's value, None when not set."""
    with get_engine(url).connect() as conn:
        return conn.execute(select(Setting.value).where(Setting.key == key)).scalar()


def put_setting(key: str, value: str, url: str | None = None, actor: str = "cli") -> None:
    """Store a setting; audited as setting."""
    with session_scope(url) as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        add_audit(session, AuditEvent.SETTING, actor, f"{key}={value}")


def anonymous_read(url: str | None = None) -> bool:
    """Whether dashboards are readable without signing in: the stored setting, else
    $KPI_ANONYMOUS_READ, else off."""
    stored = get_setting(ANON_KEY, url)
    return _truthy(stored) if stored is not None else _truthy(os.environ.get(ENV_ANON))


def idle_minutes(url: str | None = None) -> int:
    """Minutes of inactivity that end a session: the stored setting, else $KPI_IDLE_MINUTES,
    else DEFAULT_IDLE_MINUTES."""
    for text in (get_setting(IDLE_KEY, url), os.environ.get(ENV_IDLE)):
        if text and text.strip().isdigit() and int(text) > 0:
            return int(text)
    return DEFAULT_IDLE_MINUTES


def sso_unknown_role(configured: str | None = None) -> str | None:
    """The role an unknown single-sign-on user gets: 'viewer', or None (refused, the default)."""
    text = (configured or os.environ.get(ENV_SSO_UNKNOWN) or "none").strip().lower()
    return "viewer" if text == "viewer" else None


def may_undo(role: str | None, username: str, batch_owner: str) -> bool:
    """Whether a user may undo a batch: admins any batch, editors only their own."""
    if role == "admin":
        return True
    return (
        role == "editor"
        and bool(username)
        and norm_username(username) == norm_username(batch_owner)
    )
