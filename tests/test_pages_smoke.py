"""Every page in the registry runs under AppTest against the seeded store with no exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeded_copy(seeded_copy: str) -> str:
    """conftest's private copy of the seeded store (DATABASE_URL points at it) with the session
    user, who must exist in the store (re-checked on every run)."""
    from lib.accounts import auth

    auth.create_user("smoke", "admin", None, url=seeded_copy)
    return seeded_copy


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs_without_exception(seeded_copy: str, spec, lang: str) -> None:
    """Test that a page renders real data from the store in both languages without an exception."""
    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=60)
    at.session_state["auth_user"] = {"username": "smoke", "role": "admin"}
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title or at.header or at.markdown, "page drew nothing"
