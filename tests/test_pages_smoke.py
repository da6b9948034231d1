"""Every page in the registry runs under AppTest against the seeded store with no exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import db
from lib.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeded_copy(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private copy of the seeded store, with DATABASE_URL pointing at it."""
    path = tmp_path / "kpi.db"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    db.get_engine.cache_clear()
    from lib import auth  # the session user must exist in the store (re-checked on every run)

    auth.create_user("smoke", "admin", None, url=url)
    return url


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
