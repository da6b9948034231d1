"""Backups of the SQLite store through SQLite's online backup API (a consistent copy while the
app runs, never a file copy), and restore after checks: the file is SQLite, passes
`PRAGMA integrity_check`, holds the KPI tables and sits at an Alembic revision this code knows.
`python -m lib.cli backup PATH` / `restore PATH [--yes]` land here (cli_backup).

PostgreSQL stores are backed up with the server's own tools (pg_dump); these functions refuse them.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from lib.accounts import auth
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


def check_backup(path: Path) -> str:
    """Check a backup file; return its Alembic revision or raise BackupError."""
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
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as SQLite: {exc}") from exc
    if len(revs) != 1 or revs[0] not in known_revisions():
        raise BackupError(
            f"unknown schema revision {revs}; this code knows {sorted(known_revisions())}"
        )
    return revs[0]


def _data_version(conn: sqlite3.Connection) -> int:
    """The data version stored in an open SQLite store (0 when absent)."""
    row = conn.execute("SELECT value FROM app_setting WHERE key = ?", ("data_version",)).fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def _current_state(conn: sqlite3.Connection, after: str) -> tuple[int, list[tuple]]:
    """The store's data version and its audit rows newer than a backup's last one (kept across a
    restore so the audit trail never loses entries); (0, []) for an empty or foreign file."""
    try:
        rows = conn.execute(
            "SELECT at, username, action, detail, address FROM audit_log WHERE at > ? ORDER BY id",
            (after,),
        ).fetchall()
        return _data_version(conn), rows
    except sqlite3.DatabaseError:
        return 0, []


def restore_from(path: Path, url: str | None = None, actor: str = "cli") -> str:
    """Replace the store's content with a checked backup (backup API); returns its revision.

    The data version ends above both the old and the restored one, so every process drops its
    caches; audit rows written after the backup are carried over; the restored store is then
    upgraded to this code's schema if it is older."""
    revision = check_backup(path)
    dest_path = sqlite_path(url)
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(_read_only(path), uri=True)) as src:
        backup_last = src.execute("SELECT max(at) FROM audit_log").fetchone()[0] or ""
        with closing(sqlite3.connect(dest_path, timeout=30)) as dest:
            old_version, newer = _current_state(dest, backup_last)
            src.backup(dest)
            new_version = max(old_version, _data_version(dest)) + 1
            dest.execute("DELETE FROM app_setting WHERE key = ?", ("data_version",))
            dest.execute(
                "INSERT INTO app_setting (key, value) VALUES (?, ?)",
                ("data_version", str(new_version)),
            )
            dest.executemany(
                "INSERT INTO audit_log (at, username, action, detail, address)"
                " VALUES (?, ?, ?, ?, ?)",
                newer,
            )
            dest.commit()
    from lib.store import db

    db.get_engine.cache_clear()
    db.ensure_schema(url)
    auth.record("restore", actor, f"from {Path(path).name} (revision {revision})", url=url)
    return revision


def _confirm(path: Path, yes: bool) -> bool:
    """Whether the user agrees to replace the store (--yes, or 'yes' typed on a terminal)."""
    if yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        return False
    answer = input(f"Replace the store {sqlite_path()} with {path}? Type yes: ")
    return answer.strip().lower() == "yes"


def cli_backup(args: argparse.Namespace) -> int:
    """backup PATH / restore PATH [--yes]: 0 done, 1 refused (nothing replaced)."""
    path = Path(args.path)
    try:
        if args.action == "backup":
            backup_to(path)
            auth.record("backup", "cli", f"to {path.name}")
            print(f"backup written to {path}")
            return 0
        revision = check_backup(path)
        if not _confirm(path, getattr(args, "yes", False)):
            print("refused: pass --yes to replace the store", file=sys.stderr)
            return 1
        restore_from(path)
        print(f"restored {path} (revision {revision}) into {sqlite_path()}")
        return 0
    except BackupError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1


def backup_for_admin(username: str, url: str | None = None) -> bytes:
    """A backup's bytes for a download, after checking in the store that the user is an enabled
    admin now; audited as backup."""
    info = auth.active_user(username, url)
    if info is None or info.role != "admin":
        raise BackupError("only an enabled admin may download a backup")
    data = backup_bytes(url)
    auth.record("backup", info.username, f"download {len(data)} bytes", url=url)
    return data
