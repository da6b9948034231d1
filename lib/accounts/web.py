"""The app server's own HTTP route for sign-in cookies (no streamlit here: serve.py mounts it on
streamlit's Starlette app).

POST /_kpi/session with a one-time grant in the body sets the session cookie (HttpOnly,
SameSite=Lax, Secure when the request came over TLS, Max-Age only for "keep me signed in");
DELETE /_kpi/session ends the cookie's session in the store and clears the cookie.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lib.accounts import proxies, sessions
from lib.store.db import database_url

COOKIE_NAME = "kpi_session"
SESSION_PATH = "/_kpi/session"
NO_STORE = {"Cache-Control": "no-store"}


def over_tls(request: Request) -> bool:
    """Whether the browser reached us over TLS (directly, or per a trusted proxy's header)."""
    if request.url.scheme in {"https", "wss"}:
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return bool(proxies.setting()) and forwarded == "https"


def same_origin(request: Request) -> bool:
    """Whether a request comes from a page of this site (no Origin header: not a cross-site
    browser request either), so no other site can make a browser take a session."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


async def claim_cookie(request: Request) -> Response:
    """Exchange a one-time grant for the session cookie (403 when the grant is unknown or old,
    or the request comes from another site)."""
    if not same_origin(request):
        return Response(status_code=403, headers=NO_STORE)
    grant = (await request.body())[:200].decode("ascii", "replace").strip()
    claimed = await run_in_threadpool(sessions.claim, grant, database_url())
    if claimed is None:
        return Response(status_code=403, headers=NO_STORE)
    token, persistent = claimed
    response = Response(status_code=204, headers=NO_STORE)
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=int(sessions.KEEP_FOR.total_seconds()) if persistent else None,
        path="/",
        secure=over_tls(request),
        httponly=True,
        samesite="lax",
    )
    return response


async def forget_cookie(request: Request) -> Response:
    """End the cookie's session in the store and clear the cookie (same-site requests only)."""
    if not same_origin(request):
        return Response(status_code=403, headers=NO_STORE)
    token = request.cookies.get(COOKIE_NAME, "")
    if token:
        await run_in_threadpool(sessions.end_by_token, token, database_url())
    response = Response(status_code=204, headers=NO_STORE)
    response.delete_cookie(
        COOKIE_NAME, path="/", secure=over_tls(request), httponly=True, samesite="lax"
    )
    return response


def routes() -> list[Route]:
    """The routes serve.py adds to streamlit's app."""
    return [
        Route(SESSION_PATH, claim_cookie, methods=["POST"]),
        Route(SESSION_PATH, forget_cookie, methods=["DELETE"]),
    ]
