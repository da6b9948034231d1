"""The app's HTML page (lib.ui.entry): Streamlit's own index.html with the one line that names the
app's root, served at the root and at every page's URL, and nowhere else."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from starlette.applications import Starlette

from lib.ui import entry

ROOT_LINE = (
    '<script>window.__streamlit = {BACKEND_BASE_URL: new URL(".", location.href).href}; '
    'document.cookie = "kpi_vh=" + Math.round(window.innerHeight || 0) + "; path=/; SameSite=Lax"'
    "</script>"
)


APP = Starlette(routes=entry.page_routes())


@dataclass
class Answer:
    """What the app answered: status, headers (lower-case names) and body text."""

    status: int
    headers: dict[str, str]
    text: str


def get(path: str, query: str = "") -> Answer:
    """GET a path of the entry routes' app over ASGI (no network, no HTTP client library)."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")],
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
    }
    asyncio.run(APP(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return Answer(start["status"], headers, body.decode("utf-8"))


@pytest.mark.parametrize(
    "path", ["/", "/overview", "/yoy", "/targets", "/map", "/sources", "/present", "/upload"]
)
def test_each_page_url_gets_the_page_with_the_root_line(path: str) -> None:
    """Test that the root and each page's URL answer Streamlit's page with the root line placed
    before Streamlit's own scripts, not cached by the browser."""
    response = get(path, "org=daxing")
    assert response.status == 200
    assert response.headers["cache-control"] == "no-cache"
    html = response.text
    assert html.count(ROOT_LINE) == 1
    assert html.index("<script") == html.index(ROOT_LINE)  # before every script of Streamlit's
    assert html.index(ROOT_LINE) < html.index('<script type="module"')
    assert '<div id="root"></div>' in html


@pytest.mark.parametrize("path", ["/favicon.png", "/static/js/x.js", "/targets/_stcore/health"])
def test_other_paths_are_left_to_streamlit(path: str) -> None:
    """Test that assets and Streamlit's own routes are not answered with the page."""
    assert get(path).status == 404
