"""Tests of the server's cache warmer after an upload (lib.ui.warm, lib.ui.cache.serve): once the
warmer has seen a commit made through the importer (as the upload page or the CLI makes it), the
first visit of every dashboard's default view, in Chinese and in English, reads nothing but the
data version from the store; until then new visitors keep the warm version before it, and the
session that uploaded sees its own upload at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from lib.ingest import importer
from lib.ui import cache, warm

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "yoy", "targets", "sources", "map", "present")
# Statements on the tables that hold figures, targets, stations, sources, orgs and batches: what
# a page reads from the store when a cache misses (the data version and sign-in tables are not).
HEAVY = re.compile(r"\bFROM (observation|target|station|source|org|import_batch|indicator)\b")
UPLOAD = b"org_code,indicator_code,year,quarter,value\ndaxing,new_union_units,2025,,4321\n"


@pytest.fixture
def store(seeded_copy: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The seeded store read without signing in on the offline basemap, its caches warm and
    served as a server's warmer serves them; the served version is forgotten afterwards."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    monkeypatch.setenv("KPI_BASEMAP", "none")
    warm.watch(seeded_copy, poll=0, rounds=1, serve=True)
    yield seeded_copy
    cache.stop_serving(seeded_copy)


@pytest.fixture
def heavy() -> Iterator[list[str]]:
    """The heavy SQL statements (HEAVY) any engine runs while the test runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        """Keep the statement if it reads a heavy table."""
        if HEAVY.search(statement):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def upload(url: str) -> int:
    """Commit a CSV through the importer as the upload page does; the new data version."""
    plan = importer.prepare(UPLOAD, "new_units.csv", url=url)
    return importer.commit(plan, "editor1", confirm=True, url=url).data_version


def first_visit(page: str, lang: str) -> AppTest:
    """A new visitor's first run of a page's default view in a language."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> list[str]:
    """The values of the KPI cards on the page."""
    return [str(m.value) for m in at.metric]


@pytest.mark.parametrize("page", PAGES)
def test_after_a_commit_the_first_visit_of_a_default_view_reads_no_table(
    page: str, store: str, heavy: list[str]
) -> None:
    """Test that once the warmer has seen a commit, the first visit of the page's default view
    in Chinese and in English reads no figure, target, station, source, org or batch."""
    upload(store)
    warm.watch(store, poll=0, rounds=1, serve=True)
    heavy.clear()
    for lang in ("zh", "en"):
        first_visit(page, lang)
    assert heavy == []


def test_after_the_warmer_served_a_commit_the_overview_shows_the_upload(
    store: str, heavy: list[str]
) -> None:
    """Test that a new visitor after the warmer served a commit sees the uploaded figure (4,321家
    new union units) on the overview, with no figure read from the store."""
    upload(store)
    warm.watch(store, poll=0, rounds=1, serve=True)
    heavy.clear()
    at = first_visit("overview", "zh")
    assert "4,321家" in metric_values(at)
    assert heavy == []


def test_before_the_warmer_has_warmed_a_commit_visitors_read_the_warm_version(
    store: str, heavy: list[str]
) -> None:
    """Test that a visitor arriving between a commit and the warmer's next look is shown the
    figures before the upload from the warm caches (no 4,321, nothing read from the store)."""
    upload(store)
    heavy.clear()
    at = first_visit("overview", "zh")
    assert "4,321家" not in metric_values(at)
    assert metric_values(at)
    assert heavy == []


def test_the_session_that_uploaded_sees_its_upload_before_the_warmer_has_warmed_it(
    store: str,
) -> None:
    """Test that the session whose upload made a data version sees its figure (4,321家) on the
    overview at once, before the warmer has looked."""
    version = upload(store)
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
    at.session_state[cache.WROTE_KEY] = version
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "4,321家" in metric_values(at)
