"""The page registry: every page's file, title key, icon, URL and the least role that may open it.
Pure data and functions (no streamlit), so the page list per role is testable."""

from __future__ import annotations

from dataclasses import dataclass

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
    PageSpec("pages/upload.py", "page.upload", ":material/upload_file:", "upload", "editor", "data"),
)


def role_allows(role: str | None, min_role: str) -> bool:
    """Whether a role (None = signed out) reaches a minimum role."""
    return ROLE_RANK.get(role or "anonymous", 0) >= ROLE_RANK[min_role]


def pages_for(role: str | None) -> list[PageSpec]:
    """The pages a role may open, in menu order."""
    return [p for p in PAGES if role_allows(role, p.min_role)]
