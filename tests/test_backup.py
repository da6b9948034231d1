"""Backups through SQLite's backup API and restores that check the file before replacing anything,
in lib.accounts.backup and through `python -m lib.cli backup|restore`, on copies of the seeded store. Backups
are SQLite-only: on PostgreSQL (make test-postgres) those tests skip and the refusal is tested."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lib import cli
from lib.accounts import auth, backup
from lib.store import db
from lib.store.db import session_scope
from lib.store.models import Observation
from tests.conftest import PG_URL


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """A private copy of the seeded SQLite store, DATABASE_URL pointing at it."""
    if PG_URL:
        pytest.skip("SQLite backup API; lib.accounts.backup refuses PostgreSQL stores (pg_dump)")
    return request.getfixturevalue("seeded_copy")


def count_obs(url: str) -> int:
    """How many observation rows a store holds."""
    with session_scope(url) as s:
        return int(s.scalar(select(func.count(Observation.id))))


def table_count(path: Path, table: str) -> int:
    """Rows of a table in a SQLite file."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_backup_is_a_checked_copy_with_every_row(store: str, tmp_path: Path) -> None:
    """Test that a backup file passes the integrity check and holds every observation."""
    out = backup.backup_to(tmp_path / "b.db", store)
    assert backup.check_backup(out) == db.head_revision()
    assert table_count(out, "observation") == count_obs(store) > 0


def test_backup_is_consistent_while_a_writer_holds_a_transaction(
    store: str, tmp_path: Path
) -> None:
    """Test that an uncommitted write in another connection does not reach the backup."""
    before = count_obs(store)
    writer = sqlite3.connect(backup.sqlite_path(store))
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM observation")
    try:
        out = backup.backup_to(tmp_path / "b.db", store)
    finally:
        writer.rollback()
        writer.close()
    assert table_count(out, "observation") == before


def test_backup_refuses_to_overwrite(store: str, tmp_path: Path) -> None:
    """Test that a backup never overwrites an existing file."""
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    with pytest.raises(backup.BackupError, match="exists"):
        backup.backup_to(target, store)
    assert target.read_bytes() == b"keep me"


def test_backup_bytes_open_as_a_store(store: str, tmp_path: Path) -> None:
    """Test that the download bytes are a complete SQLite store."""
    data = backup.backup_bytes(store)
    path = tmp_path / "dl.db"
    path.write_bytes(data)
    assert backup.check_backup(path) and table_count(path, "observation") == count_obs(store)


def test_backup_download_needs_an_enabled_admin_and_is_audited(store: str) -> None:
    """Test that only an enabled admin gets backup bytes, and the download is audited."""
    auth.create_user("boss", "admin", None, url=store)
    auth.create_user("ed", "editor", None, url=store)
    with pytest.raises(backup.BackupError):
        backup.backup_for_admin("ed", store)
    assert backup.backup_for_admin("boss", store).startswith(backup.SQLITE_MAGIC)
    assert auth.audit_log(store, actions=("backup",))["username"].to_list() == ["boss"]


def corrupt(path: Path) -> None:
    """Overwrite bytes in the middle of a SQLite file (keeping the header)."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6), 7):
        data[offset] = 0xFF
    path.write_bytes(bytes(data))


def not_kpi(path: Path) -> None:
    """Write a SQLite database without the KPI tables."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
        conn.commit()


def future_revision(path: Path) -> None:
    """Set a backup's Alembic revision to one this code does not know."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()


@pytest.mark.parametrize(
    ("spoil", "why"),
    [
        (lambda p: p.write_bytes(b"name,value\nx,1\n"), "not a SQLite"),
        (corrupt, "integrity|cannot be read"),
        (lambda p: (p.unlink(), not_kpi(p)), "not a KPI store"),
        (future_revision, "unknown schema revision"),
    ],
    ids=["csv", "corrupt", "other-sqlite", "future-revision"],
)
def test_restore_refuses_bad_files_and_changes_nothing(
    store: str, tmp_path: Path, spoil, why: str
) -> None:
    """Test that restore refuses a bad file before touching the store."""
    bad = backup.backup_to(tmp_path / "bad.db", store)
    spoil(bad)
    store_path = backup.sqlite_path(store)
    before = store_path.read_bytes()
    with pytest.raises(backup.BackupError, match=why):
        backup.restore_from(bad, store)
    assert store_path.read_bytes() == before


def test_restore_brings_back_the_backup_and_invalidates_caches(store: str, tmp_path: Path) -> None:
    """Test that restore replaces the content and leaves the data version above both stores'."""
    saved = backup.backup_to(tmp_path / "b.db", store)
    n = count_obs(store)
    with session_scope(store) as s:
        s.query(Observation).filter(Observation.id > 0).delete()
        for _ in range(3):
            db.bump_data_version(s)
    with session_scope(store) as s:
        version_after_write = db.data_version(s)
    backup.restore_from(saved, store, actor="boss")
    assert count_obs(store) == n
    with session_scope(store) as s:
        assert db.data_version(s) > version_after_write
    assert auth.audit_log(store, actions=("restore",))["username"].to_list() == ["boss"]


def test_restore_while_another_connection_reads(store: str, tmp_path: Path) -> None:
    """Test that a restore succeeds while the app holds an open connection to the store."""
    saved = backup.backup_to(tmp_path / "b.db", store)
    with db.get_engine(store).connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM observation").fetchone()
        done = threading.Event()
        threading.Thread(target=lambda: (backup.restore_from(saved, store), done.set())).start()
        assert done.wait(30)


def test_cli_backup_and_restore(store: str, tmp_path: Path, capsys) -> None:
    """Test that `backup PATH` then `restore PATH --yes` round-trip through the CLI."""
    out = tmp_path / "cli.db"
    assert cli.main(["backup", str(out)]) == 0
    assert backup.check_backup(out)
    assert cli.main(["backup", str(out)]) == 1  # never overwrites
    assert cli.main(["restore", str(out), "--yes"]) == 0
    assert "restored" in capsys.readouterr().out
    assert {"backup", "restore"} <= set(auth.audit_log(store)["action"])


def test_cli_restore_without_yes_is_refused_off_a_terminal(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that restore without --yes and without a terminal refuses and changes nothing."""
    import io
    import sys

    out = backup.backup_to(tmp_path / "b.db", store)
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))
    before = backup.sqlite_path(store).read_bytes()
    assert cli.main(["restore", str(out)]) == 1
    assert backup.sqlite_path(store).read_bytes() == before


def test_postgres_store_is_refused() -> None:
    """Test that backups of a non-SQLite store are refused with a pointer to pg_dump."""
    with pytest.raises(backup.BackupError, match="pg_dump"):
        backup.sqlite_path("postgresql+psycopg://u@localhost/kpi")


@pytest.mark.skipif(not PG_URL, reason="a PostgreSQL store: make test-postgres runs it")
def test_cli_backup_of_a_postgres_store_is_refused(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Test that `backup PATH` on a PostgreSQL store refuses, names pg_dump and writes no file."""
    out = tmp_path / "b.db"
    assert cli.main(["backup", str(out)]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not out.exists()


def with_sql(*statements: str):  # noqa: ANN201
    """A spoiler that runs SQL statements on a backup file (planting triggers, views, columns)."""

    def spoil(path: Path) -> None:
        with closing(sqlite3.connect(path)) as conn:
            for sql in statements:
                conn.execute(sql)
            conn.commit()

    return spoil


PROMOTE = (
    "CREATE TRIGGER promote AFTER INSERT ON audit_log BEGIN "
    "UPDATE user_account SET role = 'admin'; END"
)


@pytest.mark.parametrize(
    ("spoil", "why"),
    [
        (with_sql(PROMOTE), "unexpected trigger promote"),
        (with_sql("CREATE VIEW v AS SELECT 1"), "unexpected view v"),
        (with_sql("CREATE INDEX ix_extra ON org (name_en)"), "unexpected index ix_extra"),
        (with_sql("CREATE TABLE extra (x TEXT)"), "unexpected table extra"),
        (with_sql("ALTER TABLE observation ADD COLUMN note TEXT"), "table observation differs"),
        (
            with_sql("ALTER TABLE org DROP COLUMN is_synthetic"),
            "table org differs",
        ),
    ],
    ids=["trigger", "view", "extra-index", "extra-table", "extra-column", "missing-column"],
)
def test_restore_refuses_a_schema_other_than_the_migrations_and_says_what_differs(
    store: str, tmp_path: Path, spoil, why: str
) -> None:
    """Test that a backup whose schema differs from its revision's (a trigger, a view, another
    column …) is refused with a message naming the difference, and the store stays as it was."""
    bad = backup.backup_to(tmp_path / "bad.db", store)
    spoil(bad)
    store_path = backup.sqlite_path(store)
    before = store_path.read_bytes()
    with pytest.raises(backup.BackupError, match=why):
        backup.restore_from(bad, store)
    assert store_path.read_bytes() == before


def test_cli_restore_of_a_file_with_wrong_columns_says_so_without_a_traceback(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Test that `restore --yes` of a file with other columns exits 1 with a message, no
    traceback, and every export still works afterwards."""
    bad = backup.backup_to(tmp_path / "bad.db", store)
    with_sql("ALTER TABLE observation RENAME COLUMN value TO amount")(bad)
    assert cli.main(["restore", str(bad), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and "observation" in err and "Traceback" not in err
    assert cli.main(["export", "observations", "--format", "csv"]) == 0


def test_restore_keeps_audit_entries_made_after_the_backup_whatever_their_dates(
    store: str, tmp_path: Path
) -> None:
    """Test that a backup holding an audit row dated 9999 does not wipe the entries written
    after it was taken: they are carried over by id."""
    saved = backup.backup_to(tmp_path / "b.db", store)
    with_sql(
        "INSERT INTO audit_log (at, username, action, detail, address)"
        " VALUES ('9999-12-31 00:00:00', 'x', 'setting', 'far future', '')"
    )(saved)
    auth.record("upload", "ed", "written after the backup", url=store)
    auth.record("undo", "ed", "also after the backup", url=store)
    backup.restore_from(saved, store, actor="boss")
    details = auth.audit_log(store)["detail"].to_list()
    assert "written after the backup" in details and "also after the backup" in details
