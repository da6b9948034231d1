"""The HTML page a browser opens at one of the app's URLs: Streamlit's own index.html, with one
fixed script before Streamlit's own. It names the app's root (`window.__streamlit.BACKEND_BASE_URL`,
which Streamlit's frontend reads for exactly this), and puts the window's height in a cookie the
page's first script run can read (st.context.cookies), so the presenter fits its slide to the
screen on its first run instead of a second.

Without it, a page's URL (/targets, /yoy?org=…) makes the frontend look for the server under the
page first: it asks /targets/_stcore/health, gets a 404, waits 100 ms and only then asks the root,
so every first visit to a page other than the overview started ~120 ms late. The root is the
page's own URL resolved against ".", as Streamlit's relative asset links are, so it holds under
a proxy's path prefix too. No data goes into the page.
"""

from __future__ import annotations

import functools
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route
from streamlit import file_util

from lib.ui.navigation import PAGES

VIEWPORT_COOKIE = "kpi_vh"  # the window's height in px, a number only (lib.ui.present reads it)
ROOT_SCRIPT = (
    '<script>window.__streamlit = {BACKEND_BASE_URL: new URL(".", location.href).href}; '
    f'document.cookie = "{VIEWPORT_COOKIE}=" + Math.round(window.innerHeight || 0)'
    ' + "; path=/; SameSite=Lax"</script>'
)
_MARK = "<script"  # the line goes before Streamlit's first script, which reads it


@functools.cache
def index_html() -> str:
    """Streamlit's index.html with ROOT_SCRIPT before its first script."""
    html = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    at = html.index(_MARK)
    return html[:at] + ROOT_SCRIPT + "\n    " + html[at:]


async def index_page(request: Request) -> HTMLResponse:
    """The app's HTML page (not cached by the browser, as Streamlit serves its own)."""
    return HTMLResponse(index_html(), headers={"Cache-Control": "no-cache"})


def page_routes() -> list[BaseRoute]:
    """The root and every page's URL, answered with index_page (GET and HEAD)."""
    paths = ["/", *(f"/{spec.url_path}" for spec in PAGES)]
    return [Route(path, index_page, methods=["GET", "HEAD"]) for path in paths]
