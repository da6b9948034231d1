"""The page registry (lib.ui.navigation): each role's menu written out literally, so a role that
gains a page it must not have, or a page that disappears, fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.ui.navigation import PAGES, hidden_for, pages_for

ROOT = Path(__file__).resolve().parent.parent
DASHBOARDS = ["overview", "yoy", "targets", "map", "sources", "present"]


@pytest.mark.parametrize(
    ("role", "menu"),
    [
        (None, ["login"]),
        ("viewer", [*DASHBOARDS, "login"]),
        ("editor", [*DASHBOARDS, "upload", "login"]),
        ("admin", [*DASHBOARDS, "upload", "admin", "login"]),
    ],
    ids=["signed-out", "viewer", "editor", "admin"],
)
def test_each_role_has_exactly_its_menu(role: str | None, menu: list[str]) -> None:
    """Test that a role's menu is exactly its pages, in menu order."""
    assert [p.url_path for p in pages_for(role)] == menu


def test_anonymous_reading_adds_only_the_dashboards() -> None:
    """Test that with anonymous reading a signed-out visitor gets the dashboards and sign-in."""
    assert [p.url_path for p in pages_for(None, anonymous_read=True)] == [*DASHBOARDS, "login"]


def test_a_viewer_is_kept_out_of_upload_and_admin() -> None:
    """Test that the pages hidden from a viewer are exactly upload and admin."""
    assert hidden_for("viewer") == frozenset({"upload", "admin"})


def test_every_registered_page_file_exists() -> None:
    """Test that each page of the registry is a file under pages/ (deleting one fails here)."""
    files = sorted(p.path for p in PAGES)
    assert files == [
        "pages/admin.py",
        "pages/login.py",
        "pages/map.py",
        "pages/overview.py",
        "pages/present.py",
        "pages/sources.py",
        "pages/targets.py",
        "pages/upload.py",
        "pages/yoy.py",
    ]
    assert [f for f in files if not (ROOT / f).is_file()] == []
