"""Backups of the SQLite store through SQLite's online backup API (a consistent copy while the
app runs, never a file copy), and restore after checks: the file is SQLite, passes
`PRAGMA integrity_check`, sits at an Alembic revision this code knows, and its schema is exactly
the one the migrations build at that revision (every table, column, type, index and foreign key;
no trigger, no view, nothing extra), read through a read-only connection before anything is
touched. The restore then builds the new store in a separate file (the backup, the audit entries
written since it was taken, a data version above both, this code's migrations) and only then
swaps it in, in one SQLite transaction (the backup API in a single step, so every app server's
open connections see the old store or the new one, never a mix); on any failure the live store is
left as it was. `python -m lib.cli backup PATH` / `restore PATH [--yes]` (lib/cli/backup.py) call these.

PostgreSQL stores are backed up with the server's own tools (pg_dump); these functions refuse them.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from lib.accounts import auth
from lib.store.audit import AuditEvent
from lib.store.db import database_url, is_sqlite

KPI_TABLES = frozenset(
    {"org", "indicator", "source", "observation", "target", "station", "import_batch"}
    | {"user_account", "audit_log", "app_setting", "alembic_version"}
)
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore is refused; nothing was replaced."""


def sqlite_path(url: str | None = None) -> Path:
    """The file of a SQLite store URL (BackupError for other databases or in-memory)."""
    url = url or database_url()
    if not is_sqlite(url):
        raise BackupError("backups here cover SQLite stores only; use pg_dump for PostgreSQL")
    path = url.split("///", 1)[-1]
    if not path or path == ":memory:":
        raise BackupError("an in-memory store cannot be backed up")
    return Path(path)


def _read_only(path: Path) -> str:
    """A read-only SQLite URI for a file (any characters in the path are escaped)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def _copy(src: sqlite3.Connection, dest_path: Path) -> None:
    """Copy a database into a new file with the backup API, in one step, rollback-journal mode."""
    with closing(sqlite3.connect(dest_path)) as dest:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        dest.commit()


def backup_to(path: Path, url: str | None = None) -> Path:
    """Write a consistent backup of the store to a new file (refuses to overwrite)."""
    src_path = sqlite_path(url)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name")
    if not src_path.is_file():
        raise BackupError(f"no store at {src_path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with closing(sqlite3.connect(_read_only(src_path), uri=True)) as src:
            _copy(src, tmp)
        check_backup(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def backup_bytes(url: str | None = None) -> bytes:
    """A consistent backup of the store as bytes (for a download button)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = backup_to(Path(tmp) / "kpi-backup.db", url)
        return path.read_bytes()


def backup_file_name(now: datetime | None = None) -> str:
    """A file name for a backup taken now: kpi-backup-YYYYmmdd-HHMMSS.db (UTC)."""
    now = now or datetime.now(UTC)
    return f"kpi-backup-{now:%Y%m%d-%H%M%S}.db"


def known_revisions() -> set[str]:
    """Every Alembic revision shipped with this code."""
    from alembic.script import ScriptDirectory

    from lib.store.db import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


Schema = dict[str, tuple]


def describe_schema(conn: sqlite3.Connection) -> Schema:
    """Every schema object of an open SQLite database except SQLite's own (sqlite_*): tables with
    their columns and foreign keys, indexes with their columns, and any trigger or view."""
    found: Schema = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in rows:
        if kind == "table":
            columns = tuple(
                (c[1], str(c[2]).upper(), c[3], c[4], c[5], c[6])
                for c in conn.execute("SELECT * FROM pragma_table_xinfo(?)", (name,))
            )
            keys = tuple(
                sorted(
                    tuple(k[2:])
                    for k in conn.execute("SELECT * FROM pragma_foreign_key_list(?)", (name,))
                )
            )
            found[f"table {name}"] = (columns, keys)
        elif kind == "index":
            columns = tuple(
                c[2] for c in conn.execute("SELECT * FROM pragma_index_info(?)", (name,))
            )
            found[f"index {name}"] = (table, columns, " ".join((sql or "").split()))
        else:
            found[f"{kind} {name}"] = (table, sql)
    return found


@lru_cache(maxsize=4)
def expected_schema(revision: str) -> Schema:
    """The schema this code's migrations build at a revision (on a scratch SQLite file)."""
    from lib.store import db

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'expected.db'}"
        db.upgrade(url, revision)
        db.get_engine.cache_clear()
        with closing(sqlite3.connect(Path(tmp) / "expected.db")) as conn:
            return describe_schema(conn)


def schema_differences(found: Schema, expected: Schema) -> list[str]:
    """What differs between a file's schema and the expected one, in words (empty: the same)."""
    problems = [f"unexpected {key}" for key in sorted(found.keys() - expected.keys())]
    problems += [f"missing {key}" for key in sorted(expected.keys() - found.keys())]
    for key in sorted(found.keys() & expected.keys()):
        if found[key] != expected[key]:
            problems.append(f"{key} differs from the migrations' definition")
    return problems


def check_backup(path: Path) -> str:
    """Check a backup file through a read-only connection; return its Alembic revision or raise
    BackupError saying what is wrong (nothing is written anywhere)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no file at {path}")
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not a SQLite database")
    try:
        with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise BackupError(f"integrity check failed: {result[:3]}")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            missing = KPI_TABLES - tables
            if missing:
                raise BackupError(f"not a KPI store: missing tables {', '.join(sorted(missing))}")
            revs = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
            if len(revs) != 1 or revs[0] not in known_revisions():
                raise BackupError(
                    f"unknown schema revision {revs}; this code knows {sorted(known_revisions())}"
                )
            found = describe_schema(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as SQLite: {exc}") from exc
    problems = schema_differences(found, expected_schema(revs[0]))
    if problems:
        shown = "; ".join(problems[:8]) + (" …" if len(problems) > 8 else "")
        raise BackupError(f"the schema is not the one of revision {revs[0]}: {shown}")
    return revs[0]


def _data_version(conn: sqlite3.Connection) -> int:
    """The data version stored in an open SQLite store (0 when absent)."""
    row = conn.execute("SELECT value FROM app_setting WHERE key = ?", ("data_version",)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def _live_version(path: Path) -> int:
    """The live store's data version (0 when there is no readable store)."""
    if not path.is_file():
        return 0
    try:
        with closing(sqlite3.connect(_read_only(path), uri=True, timeout=30)) as conn:
            return _data_version(conn)
    except sqlite3.DatabaseError:
        return 0


def _carry_audit(conn: sqlite3.Connection, live_path: Path) -> None:
    """Copy into the open new store every live audit row the backup does not hold (compared by
    id and content, never by timestamp): under its own id when free, else under a new one."""
    if not live_path.is_file():
        return
    conn.execute("ATTACH DATABASE ? AS live", (_read_only(live_path),))
    try:
        tables = conn.execute(
            "SELECT count(*) FROM live.sqlite_master WHERE type = 'table' AND name = 'audit_log'"
        ).fetchone()[0]
        if not tables:
            return
        conn.execute(
            "CREATE TEMP TABLE carried AS SELECT l.* FROM live.audit_log l WHERE NOT EXISTS ("
            "SELECT 1 FROM main.audit_log b WHERE b.id = l.id AND b.at IS l.at"
            " AND b.username IS l.username AND b.action IS l.action"
            " AND b.detail IS l.detail AND b.address IS l.address) ORDER BY l.id"
        )
        conn.execute(
            "INSERT INTO main.audit_log (id, at, username, action, detail, address)"
            " SELECT id, at, username, action, detail, address FROM carried c"
            " WHERE NOT EXISTS (SELECT 1 FROM main.audit_log b WHERE b.id = c.id)"
        )
        conn.execute(
            "INSERT INTO main.audit_log (at, username, action, detail, address)"
            " SELECT at, username, action, detail, address FROM carried c"
            " WHERE NOT EXISTS (SELECT 1 FROM main.audit_log b WHERE b.id = c.id"
            " AND b.at IS c.at AND b.detail IS c.detail AND b.action IS c.action)"
            " ORDER BY c.id"
        )
        conn.execute("DROP TABLE carried")
        conn.commit()
    finally:
        conn.execute("DETACH DATABASE live")


def _build_restored(backup_path: Path, live_path: Path, work: Path) -> None:
    """Write the store to be swapped in at work: the backup, the live audit rows it lacks, a
    data version above both stores', upgraded to this code's schema."""
    with closing(sqlite3.connect(_read_only(backup_path), uri=True)) as src:
        _copy(src, work)
    old_version = _live_version(live_path)
    with closing(sqlite3.connect(work, uri=False)) as conn:
        _carry_audit(conn, live_path)
        new_version = max(old_version, _data_version(conn)) + 1
        conn.execute("DELETE FROM app_setting WHERE key = ?", ("data_version",))
        conn.execute(
            "INSERT INTO app_setting (key, value) VALUES (?, ?)", ("data_version", str(new_version))
        )
        conn.commit()
    from lib.store import db

    db.upgrade(f"sqlite:///{work}")
    db.get_engine.cache_clear()
    check_backup(work)


def _swap_in(work: Path, live_path: Path) -> None:
    """Replace the live store's content with work's in one SQLite transaction."""
    with closing(sqlite3.connect(_read_only(work), uri=True)) as src:
        with closing(sqlite3.connect(live_path, timeout=30)) as dest:
            src.backup(dest)


def restore_from(path: Path, url: str | None = None, actor: str = "cli") -> str:
    """Replace the store's content with a checked backup; returns the backup's revision.

    The backup is checked read-only first; the new store is built in a separate file next to the
    live one and swapped in only when complete; audit rows written after the backup (by id) are
    carried over; the data version ends above both stores', so every process drops its caches."""
    revision = check_backup(path)
    dest_path = sqlite_path(url)
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    work = dest_path.with_name(f".{dest_path.name}.restore-{os.getpid()}")
    try:
        work.unlink(missing_ok=True)
        _build_restored(Path(path), dest_path, work)
        _swap_in(work, dest_path)
    except sqlite3.Error as exc:
        raise BackupError(f"restore failed, the store was left as it was: {exc}") from exc
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            leftover = work.with_name(work.name + suffix)
            leftover.unlink(missing_ok=True)
    from lib.store import db

    db.get_engine.cache_clear()
    auth.record(AuditEvent.RESTORE, actor, f"from {Path(path).name} (revision {revision})", url=url)
    return revision


def backup_for_admin(username: str, url: str | None = None) -> bytes:
    """A backup's bytes for a download, after checking in the store that the user is an enabled
    admin now; audited as backup."""
    info = auth.active_user(username, url)
    if info is None or info.role != "admin":
        raise BackupError("only an enabled admin may download a backup")
    data = backup_bytes(url)
    auth.record(AuditEvent.BACKUP, info.username, f"download {len(data)} bytes", url=url)
    return data
