"""The page registry: every page's file, title key, icon, URL and the least role that may open it.
Pure data and functions, so the page list per role is testable; plus the one switch that makes a
fresh server's first request go through app.py's navigation (serve_pages_through_app)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from streamlit.runtime.pages_manager import PagesManager

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


def serve_pages_through_app() -> bool:
    """Switch off streamlit's automatic pages/ mode for this process; True if it was already on.

    serve.py calls this once at start, and lib.ui on import (for `streamlit run app.py`, where the
    first run has begun before any of our code: it was on, so lib.ui reruns that request)."""
    # The one cost of the folder name pages/ (which the design asks for): streamlit 1.67 sets
    # PagesManager.uses_pages_directory when a pages/ folder sits next to the main script, and then
    # serves a fresh server's first request by running the requested page file directly
    # (streamlit.runtime.scriptrunner.script_runner._mpa_v1), without app.py's role-filtered
    # st.navigation and shared sidebar, until some run has called st.navigation. This can go when
    # streamlit drops _mpa_v1 (or lets an app opt out in its config), or if pages/ is renamed.
    was_on = bool(PagesManager.uses_pages_directory)
    PagesManager.uses_pages_directory = False
    return was_on
