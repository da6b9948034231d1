"""The page registry: every page's file, title key, icon, URL and the least role that may open it.
Pure data and functions (no streamlit), so the page list per role is testable."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

ROLE_RANK = {"anonymous": 0, "viewer": 1, "editor": 2, "admin": 3}


@dataclass(frozen=True)
class PageSpec:
    """One page of the app."""

    path: str
    title_key: str
    icon: str
    url_path: str
    min_role: str = "viewer"
    group: str = "dashboards"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
    PageSpec("pages/yoy.py", "page.yoy", ":material/bar_chart:", "yoy"),
    PageSpec("pages/targets.py", "page.targets", ":material/flag:", "targets"),
    PageSpec("pages/map.py", "page.map", ":material/map:", "map"),
    PageSpec("pages/sources.py", "page.sources", ":material/menu_book:", "sources"),
    PageSpec("pages/present.py", "page.present", ":material/slideshow:", "present"),
    PageSpec(
        "pages/upload.py", "page.upload", ":material/upload_file:", "upload", "editor", "data"
    ),
    PageSpec(
        "pages/admin.py", "page.admin", ":material/admin_panel_settings:", "admin", "admin", "admin"
    ),
    PageSpec("pages/login.py", "page.login", ":material/login:", "login", "anonymous", "account"),
)


def role_allows(role: str | None, min_role: str) -> bool:
    """Whether a role (None = signed out) reaches a minimum role."""
    return ROLE_RANK.get(role or "anonymous", 0) >= ROLE_RANK[min_role]


def pages_for(role: str | None, anonymous_read: bool = False) -> list[PageSpec]:
    """The pages a role may open, in menu order (None = signed out).

    Signed out: only the sign-in page, plus the dashboards when anonymous reading is on.
    Signed in: every page the role reaches, the sign-in page last, titled "account"."""
    if role is None:
        reach = "viewer" if anonymous_read else "anonymous"
        return [p for p in PAGES if p.min_role == "anonymous" or p.min_role == reach]
    return [
        replace(p, title_key="page.account", icon=":material/account_circle:")
        if p.min_role == "anonymous"
        else p
        for p in PAGES
        if role_allows(role, p.min_role)
    ]


def registered(role: str | None) -> list[PageSpec]:
    """Every page, registered for every visitor so that any page's URL opens (menu order); the
    sign-in page is titled "account" once signed in."""
    if role is None:
        return list(PAGES)
    return [
        replace(p, title_key="page.account", icon=":material/account_circle:")
        if p.min_role == "anonymous"
        else p
        for p in PAGES
    ]


def hidden_for(role: str | None, anonymous_read: bool = False) -> frozenset[str]:
    """The url_paths left out of the menu for a role: the pages it may not open."""
    shown = {p.url_path for p in pages_for(role, anonymous_read)}
    return frozenset(p.url_path for p in PAGES if p.url_path not in shown)


def serve_pages_through_app() -> None:
    """Switch off streamlit's automatic pages/ mode (MPA v1) for this server, before any request.

    The one place the folder name pages/ (which the design asks for) costs us something: with a
    folder of that name next to the main script, streamlit 1.67 serves a fresh server's first
    request by running the requested page file directly (streamlit.runtime.scriptrunner's
    `_mpa_v1`), without app.py's role-filtered st.navigation and shared sidebar, until some run
    has called st.navigation. serve.py calls this once at start, so no request ever takes that
    path and no run has to be repeated. It can go when streamlit drops `_mpa_v1` (or lets an app
    opt out of it in its config), or if the page folder is renamed."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def leave_pages_directory_mode() -> bool:
    """Stop streamlit treating pages/ as an automatic page list (MPA v1); True if it was on.

    With a folder named pages/ next to app.py, a fresh server runs the first requested page file
    directly, without app.py's role-filtered st.navigation and shared sidebar. serve.py prevents
    that at start (serve_pages_through_app); for a server started the plain way (`streamlit run
    app.py`) lib.ui calls this on import and, when it was on, reruns the request so that it goes
    through app.py. No effect outside a streamlit server."""
    pages_manager = sys.modules.get("streamlit.runtime.pages_manager")
    if pages_manager is None or not pages_manager.PagesManager.uses_pages_directory:
        return False
    pages_manager.PagesManager.uses_pages_directory = False
    return True
