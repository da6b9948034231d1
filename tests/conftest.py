"""Shared fixtures: a real store built in a temp folder (SQLite by default, or a fresh database on
the PostgreSQL server named by $TEST_DATABASE_URL), migrated, and optionally seeded. No mocks.

Seeded stores come from one seeded template per test session (per xdist worker) on the engine under
test: a SQLite file copied with the backup API, or a PostgreSQL database that new databases are
created from (`CREATE DATABASE … TEMPLATE`, no connection to the template may stay open). Tests use
`seeded_copy` (a private writable copy) or `seeded_read_url` (one shared store, read only).
The deck tests share Daxing's 2025 slides of the seeded store (`slides`) and of a copy with a few
2024 figures (`compared_url`, `compared`)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from streamlit.testing.v1 import AppTest

from lib.deck.payload import live_payload
from lib.deck.slides import build_slides
from lib.ingest import seed
from lib.store import db
from tests.deck_support import LAST_YEAR, NOW, add_figure

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@cache
def _pg_admin() -> Engine:
    """An autocommit engine on $TEST_DATABASE_URL's database, for CREATE/DROP DATABASE."""
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    """The URL of a database on the test server."""
    base, _ = PG_URL.rsplit("/", 1)
    return f"{base}/{name}"


def _pg_create(template: str | None = None) -> str:
    """Create a uniquely named database (empty, or a copy of a template database); its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
    with _pg_admin().connect() as conn:
        conn.execute(text(sql))
    return _pg_url(name)


def _pg_drop(url: str) -> None:
    """Close this process's pool on a test database and drop it (other sessions are ended)."""
    db.get_engine(url).dispose()
    db.get_engine.cache_clear()
    name = url.rsplit("/", 1)[1]
    with _pg_admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _fresh_url(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new empty database, and drop it afterwards."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'kpi.db'}"
        return
    url = _pg_create()
    try:
        yield url
    finally:
        _pg_drop(url)


@contextmanager
def copied_store(template_url: str, folder: Path) -> Iterator[str]:
    """A private copy of a seeded template store (a kpi.db in folder on SQLite); yields its URL
    and, on PostgreSQL, drops the copy afterwards."""
    if db.is_sqlite(template_url):
        path = folder / "kpi.db"
        source = template_url.split("///", 1)[1]
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)  # consistent even while the template's WAL is not checkpointed
        yield f"sqlite:///{path}"
        return
    url = _pg_create(template=template_url.rsplit("/", 1)[1])
    try:
        yield url
    finally:
        _pg_drop(url)


@pytest.fixture
def empty_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The URL of a new, unmigrated store; DATABASE_URL points at it for the test."""
    for url in _fresh_url(tmp_path):
        monkeypatch.setenv("DATABASE_URL", url)
        db.get_engine.cache_clear()
        yield url
        db.get_engine.cache_clear()


@pytest.fixture
def db_url(empty_url: str) -> str:
    """The URL of a migrated, empty store."""
    db.upgrade(empty_url)
    return empty_url


@pytest.fixture
def seeded_url(db_url: str) -> str:
    """The URL of a migrated store holding the shipped seed data set, seeded by this test."""
    seed.seed(db_url)
    return db_url


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded SQLite file built once per session (SQLite runs only: tests take `seeded_copy` or
    `seeded_read_url`, which follow the engine under test)."""
    if PG_URL:
        pytest.skip("reads the seeded SQLite template; use seeded_copy or seeded_read_url")
    path = tmp_path_factory.mktemp("template") / "kpi.db"
    url = f"sqlite:///{path}"
    db.upgrade(url)
    seed.seed(url)
    # Close every connection so SQLite checkpoints the WAL into the file: copies are then whole.
    db.get_engine(url).dispose()
    db.get_engine.cache_clear()
    assert (
        not path.with_name("kpi.db-wal").exists()
        or path.with_name("kpi.db-wal").stat().st_size == 0
    )
    return path


@pytest.fixture(scope="session")
def seeded_store(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of the session's seeded template on the engine under test. Copy it (copied_store);
    on PostgreSQL never connect to it: a template database must have no open connections."""
    if not PG_URL:
        yield f"sqlite:///{request.getfixturevalue('seeded_template')}"
        return
    url = _pg_create()
    try:
        db.upgrade(url)
        seed.seed(url)
        db.get_engine(url).dispose()
        db.get_engine.cache_clear()
        yield url
    finally:
        _pg_drop(url)


@pytest.fixture(scope="session")
def seeded_read_url(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of one seeded store shared by the session's tests, which must only read it: the
    SQLite template itself, or one copy of the PostgreSQL template."""
    if db.is_sqlite(seeded_store):
        yield seeded_store
        return
    with copied_store(seeded_store, tmp_path_factory.mktemp("read")) as url:
        yield url


@pytest.fixture
def seeded_copy(
    seeded_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A private, writable copy of the seeded store (tmp_path/kpi.db on SQLite); DATABASE_URL
    points at it for the test."""
    with copied_store(seeded_store, tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        db.get_engine.cache_clear()
        yield url
        db.get_engine.cache_clear()


@pytest.fixture(scope="module")
def slides(seeded_read_url: str) -> list:
    """Daxing's 2025 slides in Chinese, from the seeded store."""
    return build_slides(live_payload("daxing", 2025, seeded_read_url, now=NOW), "zh")


@pytest.fixture(scope="module")
def compared_url(seeded_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private copy of the seeded store with 2024 figures of the LAST_YEAR indicators, so some
    indicators have two bars to compare."""
    with copied_store(seeded_store, tmp_path_factory.mktemp("compared")) as url:
        for code, value in LAST_YEAR.items():
            add_figure(url, code, 2024, value)
        yield url


@pytest.fixture(scope="module")
def compared(compared_url: str) -> list:
    """Daxing's 2025 slides in Chinese, with the LAST_YEAR figures in the store."""
    return build_slides(live_payload("daxing", 2025, compared_url, now=NOW), "zh")


@pytest.fixture
def anonymous_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dashboards readable without signing in, with the default basemap and headline whatever
    the machine's environment says."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    monkeypatch.delenv("KPI_BASEMAP", raising=False)
    monkeypatch.delenv("KPI_HEADLINE", raising=False)


@pytest.fixture
def store(seeded_copy: str, anonymous_read: None) -> str:
    """A private copy of the seeded store, readable without signing in (the page tests' store;
    a module that means another store defines its own)."""
    return seeded_copy


def run_page(page: str, *, timeout: float = 120, **params: str | list[str]) -> AppTest:
    """Run a page of pages/ once with the given URL parameters; no exception may escape it."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
