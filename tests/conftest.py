"""Shared fixtures: a real store built in a temp folder (SQLite by default, or a fresh schema on the
PostgreSQL server named by $TEST_DATABASE_URL), migrated, and optionally seeded. No mocks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from lib import db, seed

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _fresh_url(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new empty database, and drop it afterwards."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'kpi.db'}"
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _ = PG_URL.rsplit("/", 1)
    url = f"{base}/{name}"
    try:
        yield url
    finally:
        db.get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    """The URL of a migrated store holding the shipped seed data set."""
    seed.seed(db_url)
    return db_url


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded SQLite file built once per session, for read-only tests to copy."""
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
