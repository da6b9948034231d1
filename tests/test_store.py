"""Tests of the store: migrations, the seed load, and the engine's SQLite settings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from lib.ingest import seed
from lib.store import db
from lib.store.models import ImportBatch, Indicator, Observation, Org, Source, Station, Target

TABLES = {
    "org",
    "indicator",
    "source",
    "observation",
    "target",
    "station",
    "import_batch",
    "user_account",
    "audit_log",
    "app_setting",
    "snapshot",
}


def test_migrations_build_every_table(empty_url: str) -> None:
    """Test that the first migration creates every table of the design on an empty store."""
    assert db.current_revision(empty_url) is None
    db.upgrade(empty_url)
    names = set(inspect(db.get_engine(empty_url)).get_table_names())
    assert TABLES <= names
    assert db.current_revision(empty_url) == db.head_revision()


def test_ensure_schema_upgrades_only_when_behind(empty_url: str) -> None:
    """Test that ensure_schema migrates an empty store once and then does nothing."""
    assert db.ensure_schema(empty_url) is True
    assert db.ensure_schema(empty_url) is False


def test_downgrade_then_upgrade_round_trips(db_url: str) -> None:
    """Test that the migrations can be reverted to nothing and applied again."""
    from alembic import command

    command.downgrade(db.alembic_config(db_url), "base")
    assert "observation" not in inspect(db.get_engine(db_url)).get_table_names()
    db.upgrade(db_url)
    assert "observation" in inspect(db.get_engine(db_url)).get_table_names()


def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(db_url: str) -> None:
    """Test that every SQLite connection has foreign keys on, WAL and a busy timeout."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    with db.get_engine(db_url).connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == db.BUSY_TIMEOUT_MS


def counts(url: str) -> dict[str, int]:
    """Row counts of the data tables."""
    models = (Org, Indicator, Source, Observation, Target, Station, ImportBatch)
    with db.session_scope(url) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in models}


def test_seed_loads_every_csv_row(db_url: str) -> None:
    """Test that the seed writes one row per CSV row, in one seed batch."""
    result = seed.seed(db_url)
    got = counts(db_url)
    for name, table in [
        ("orgs", "org"),
        ("indicators", "indicator"),
        ("sources", "source"),
        ("observations", "observation"),
        ("targets", "target"),
        ("stations", "station"),
    ]:
        assert got[table] == len(seed.read_csv(name)), name
    assert got["import_batch"] == 1
    assert result.observations == got["observation"]


def test_second_seed_is_refused_and_writes_nothing(seeded_url: str) -> None:
    """Test that loading the seed twice is refused and leaves no duplicate."""
    before = counts(seeded_url)
    with pytest.raises(seed.SeedError, match="empty"):
        seed.seed(seeded_url)
    assert counts(seeded_url) == before


def test_init_store_is_idempotent(empty_url: str) -> None:
    """Test that init_store builds and seeds once, then leaves the store alone."""
    assert seed.init_store(empty_url) is not None
    before = counts(empty_url)
    assert seed.init_store(empty_url) is None
    assert counts(empty_url) == before


def test_seed_bumps_the_data_version(seeded_url: str) -> None:
    """Test that loading the seed changes the data version caches key on."""
    with db.session_scope(seeded_url) as s:
        assert db.data_version(s) >= 1


def test_a_bad_seed_row_writes_nothing(db_url: str, tmp_path) -> None:
    """Test that a seed with one unknown indicator is refused whole, naming file and row."""
    import shutil

    bad = tmp_path / "seed"
    shutil.copytree(seed.SEED_DIR, bad)
    with open(bad / "observations.csv", "a", encoding="utf-8") as fh:
        fh.write("daxing,no_such_indicator,2025,,1,exact,,src_2025_review,x\n")
    with pytest.raises(seed.SeedError, match=r"observations.csv row \d+: unknown indicator"):
        seed.seed(db_url, bad)
    assert counts(db_url)["observation"] == 0
    assert counts(db_url)["org"] == 0


def test_models_and_migrations_agree(db_url: str) -> None:
    """Test that the migrated schema matches the models (no change left for autogenerate)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from lib.store.models import Base

    with db.get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_source_count_indexes_exist(db_url: str) -> None:
    """Test that migration 0002 adds the per-source indexes the sources page counts with."""
    names = {
        ix["name"]
        for table in ("observation", "target", "station")
        for ix in inspect(db.get_engine(db_url)).get_indexes(table)
    }
    assert {
        "ix_observation_source_current",
        "ix_target_source_current",
        "ix_station_source_current",
    } <= names


def test_seed_leaves_planner_statistics(seeded_url: str) -> None:
    """Test that after the seed SQLite has statistics, so the planner can prefer the org indexes."""
    if not seeded_url.startswith("sqlite"):
        pytest.skip("PostgreSQL keeps its own statistics")
    with db.get_engine(seeded_url).connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT tbl FROM sqlite_stat1"))}
    assert "observation" in tables


def test_source_details_reads_only_the_cited_sources(seeded_url: str) -> None:
    """Test that the slides' source lookup returns exactly the sources asked for, with titles."""
    from lib.store import queries

    got = queries.source_details(("src_2025_review", "src_2021_record"), url=seeded_url)
    assert set(got["code"].to_list()) == {"src_2025_review", "src_2021_record"}
    assert got.filter(got["code"] == "src_2025_review")["file"][0] == "000_9d04b9ba0d89f8ca.txt"
    assert queries.source_details((), url=seeded_url).is_empty()
