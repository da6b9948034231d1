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


def call_route(path_method: str, scheme: str, body: bytes = b"", headers=None) -> tuple:  # noqa: ANN001
    """Call the app server's /_kpi/session route as an ASGI app: (status, Set-Cookie headers)."""
    import asyncio

    from starlette.applications import Starlette

    from lib.accounts.web import routes

    app = Starlette(routes=routes())
    scope = {
        "type": "http",
        "method": path_method,
        "path": "/_kpi/session",
        "raw_path": b"/_kpi/session",
        "query_string": b"",
        "scheme": scheme,
        "server": ("kpi.example", 443 if scheme == "https" else 80),
        "client": ("127.0.0.1", 5555),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "http_version": "1.1",
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    cookies = [v.decode() for k, v in start["headers"] if k == b"set-cookie"]
    return start["status"], cookies


@pytest.mark.parametrize(
    ("scheme", "headers", "secure"),
    [
        ("http", {}, False),
        ("https", {}, True),
        ("http", {"X-Forwarded-Proto": "https"}, True),
    ],
    ids=["plain-http", "tls", "tls-at-the-trusted-proxy"],
)
def test_the_cookie_route_sets_an_httponly_lax_cookie_secure_over_tls(
    store: str, monkeypatch: pytest.MonkeyPatch, scheme: str, headers: dict, secure: bool
) -> None:
    """Test that a grant posted to /_kpi/session sets an HttpOnly, SameSite=Lax session cookie
    without Max-Age, marked Secure exactly when the browser came over TLS."""
    monkeypatch.setenv("DATABASE_URL", store)
    monkeypatch.setenv("KPI_TRUSTED_PROXIES", "1")
    _, grant = sessions.start("ed", url=store)
    status, cookies = call_route("POST", scheme, grant.encode(), headers)
    assert status == 204 and len(cookies) == 1
    cookie = cookies[0].lower()
    assert cookie.startswith("kpi_session=") and "httponly" in cookie and "samesite=lax" in cookie
    assert "max-age" not in cookie and ("secure" in cookie) is secure
    token = cookies[0].split("=", 1)[1].split(";", 1)[0]
    assert sessions.by_token(token, store) is not None


def test_the_cookie_route_refuses_an_unknown_grant(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a made-up grant gets 403 and no cookie."""
    monkeypatch.setenv("DATABASE_URL", store)
    status, cookies = call_route("POST", "http", b"made-up-grant")
    assert status == 403 and cookies == []


def test_a_forwarded_proto_from_an_untrusted_peer_is_ignored(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that without trusted proxies an X-Forwarded-Proto header does not mark the cookie
    Secure (nor would it matter: only the proxy's word counts)."""
    monkeypatch.setenv("DATABASE_URL", store)
    monkeypatch.delenv("KPI_TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("KPI_TRUSTED_PROXY", raising=False)
    _, grant = sessions.start("ed", url=store)
    _, cookies = call_route("POST", "http", grant.encode(), {"X-Forwarded-Proto": "https"})
    assert "secure" not in cookies[0].lower()


def test_the_cookie_route_refuses_a_grant_posted_from_another_site(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a grant posted by a page of another site (Origin ≠ Host) sets no cookie and
    stays unused."""
    monkeypatch.setenv("DATABASE_URL", store)
    _, grant = sessions.start("ed", url=store)
    headers = {"Origin": "https://evil.example", "Host": "kpi.example"}
    status, cookies = call_route("POST", "https", grant.encode(), headers)
    assert status == 403 and cookies == []
    assert sessions.claim(grant, store) is not None
