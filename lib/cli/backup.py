"""The `backup PATH` and `restore PATH [--yes]` commands of python -m lib.cli: the printing side of
lib.accounts.backup. Exit codes: 0 done, 1 refused (nothing replaced)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.accounts import auth
from lib.accounts.backup import (
    BackupError,
    backup_to,
    check_backup,
    restore_from,
    sqlite_path,
)
from lib.store.audit import AuditEvent


def confirmed(path: Path, yes: bool) -> bool:
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
            auth.record(AuditEvent.BACKUP, "cli", f"to {path.name}")
            print(f"backup written to {path}")
            return 0
        revision = check_backup(path)
        if not confirmed(path, getattr(args, "yes", False)):
            print("refused: pass --yes to replace the store", file=sys.stderr)
            return 1
        restore_from(path)
        print(f"restored {path} (revision {revision}) into {sqlite_path()}")
        return 0
    except BackupError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
