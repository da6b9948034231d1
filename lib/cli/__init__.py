"""The one command-line entry, `python -m lib.cli`: db, export, import, undo, user, backup, restore.

This module only parses arguments and dispatches; each command's work lives in its owner module
(lib.ingest.seed, lib.store.export, lib.ingest.importer, lib.deck.pack) or in its sub-command module
(lib.cli.user, lib.cli.backup). Exit codes: 0 success,
1 refused (bad file, failed check: nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command-line argument is wrong (exit code 2)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Raise a UsageError with argparse's message."""
        raise UsageError(f"{self.prog}: {message}")


def cmd_db(args: argparse.Namespace) -> int:
    """db upgrade | seed | init | status."""
    from lib.ingest import seed
    from lib.store import db

    if args.action == "upgrade":
        db.upgrade()
        print(f"schema at {db.current_revision()}")
    elif args.action == "seed":
        db.ensure_schema()
        try:
            res = seed.seed()
        except seed.SeedError as exc:
            print(f"seed refused: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        print(
            f"seeded: {res.orgs} orgs, {res.indicators} indicators, {res.sources} sources, "
            f"{res.observations} observations, {res.targets} targets, {res.stations} stations"
        )
    elif args.action == "init":
        built = seed.init_store()
        print("store already holds data; schema up to date" if built is None else "store built")
    else:
        rev, head = db.current_revision(), db.head_revision()
        print(f"url={db.database_url()} revision={rev} head={head}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """export observations|targets|stations --format csv, or export pack."""
    if args.what == "pack":
        from lib.deck import pack

        return pack.cli_pack(args)
    from lib.store import export

    if args.format not in ("csv", "xlsx"):
        raise UsageError(f"export {args.what}: --format csv or xlsx")
    if args.format == "xlsx":
        if not args.out:
            raise UsageError(f"export {args.what} --format xlsx: give an output file")
        with open(args.out, "wb") as fh:
            fh.write(export.export_bytes(args.what, "xlsx", org=args.org))
        return EXIT_OK
    out = open(args.out, "w", encoding="utf-8-sig", newline="") if args.out else sys.stdout
    try:
        export.write_csv(args.what, out, org=args.org)
    finally:
        if args.out:
            out.close()
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """import PATH: validate, diff and commit a file (lib.cli.ingest)."""
    from lib.cli import ingest

    return ingest.cli_import(args)


def cmd_undo(args: argparse.Namespace) -> int:
    """undo BATCH_ID (lib.cli.ingest)."""
    from lib.cli import ingest

    return ingest.cli_undo(args)


def cmd_user(args: argparse.Namespace) -> int:
    """user add|list|set-role|reset-password|disable|sessions|sign-out (lib.accounts)."""
    from lib.cli import user

    return user.cli_user(args)


def cmd_backup(args: argparse.Namespace) -> int:
    """backup PATH / restore PATH (lib.cli.backup)."""
    from lib.cli import backup

    return backup.cli_backup(args)


def build_parser() -> Parser:
    """The argument parser of every subcommand."""
    p = Parser(prog="python -m lib.cli", description="工会指标看板 · Union KPI Board")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    d = sub.add_parser("db", help="schema and seed")
    d.add_argument("action", choices=["upgrade", "seed", "init", "status"])
    d.set_defaults(func=cmd_db)

    e = sub.add_parser("export", help="export tables as CSV, or a meeting pack")
    e.add_argument("what", choices=["observations", "targets", "stations", "pack"])
    e.add_argument("out", nargs="?", help="output file (default: stdout for CSV)")
    e.add_argument("--format", default="csv", choices=["csv", "xlsx", "pptx", "pdf"])
    e.add_argument("--org", help="org code (CSV: filter; pack: required)")
    e.add_argument("--year", type=int, help="year (pack)")
    e.add_argument("--lang", default="zh", choices=["zh", "en"])
    e.add_argument("--aspect", default="16:9", choices=["16:9", "4:3"], help="PPTX slide shape")
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import", help="import a CSV or .xlsx file")
    i.add_argument("path")
    i.add_argument("--kind", choices=["observations", "targets", "stations"])
    i.add_argument("--dry-run", action="store_true")
    i.add_argument("--user", default="cli")
    i.add_argument("--yes", action="store_true", help="confirm overwriting changed figures")
    i.add_argument("--sheet", help="the visible sheet of an .xlsx to read (default: the first)")
    i.add_argument("--lang", default="zh", choices=["zh", "en"])
    i.set_defaults(func=cmd_import)

    u = sub.add_parser("undo", help="undo an import batch")
    u.add_argument("batch_id", type=int)
    u.add_argument("--user", default="cli")
    u.add_argument("--dry-run", action="store_true", help="show what the undo would do, only")
    u.add_argument("--lang", default="zh", choices=["zh", "en"])
    u.set_defaults(func=cmd_undo)

    us = sub.add_parser("user", help="manage accounts")
    us_sub = us.add_subparsers(dest="action", required=True, parser_class=Parser)
    ua = us_sub.add_parser("add")
    ua.add_argument("name")
    ua.add_argument("--role", default="viewer", choices=["viewer", "editor", "admin"])
    ua.add_argument("--email")
    us_sub.add_parser("list")
    ur = us_sub.add_parser("set-role")
    ur.add_argument("name")
    ur.add_argument("role", choices=["viewer", "editor", "admin"])
    up = us_sub.add_parser("reset-password")
    up.add_argument("name")
    ud = us_sub.add_parser("disable")
    ud.add_argument("name")
    us_sub.add_parser("sessions", help="list open sign-in sessions")
    uo = us_sub.add_parser("sign-out", help="end every sign-in session of an account")
    uo.add_argument("name")
    us.set_defaults(func=cmd_user)

    b = sub.add_parser("backup", help="consistent backup of the SQLite store")
    b.add_argument("path")
    b.set_defaults(func=cmd_backup, action="backup")
    r = sub.add_parser("restore", help="restore a backup after an integrity check")
    r.add_argument("path")
    r.add_argument("--yes", action="store_true")
    r.set_defaults(func=cmd_backup, action="restore")
    return p


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse argv; `export ... --opts OUT` also works (argparse binds an optional positional
    before the options, so a trailing OUT would otherwise be refused)."""
    args, extra = build_parser().parse_known_args(argv)
    if (
        getattr(args, "command", None) == "export"
        and args.out is None
        and len(extra) == 1
        and not extra[0].startswith("-")
    ):
        args.out = extra[0]
    elif extra:
        raise UsageError(f"python -m lib.cli: unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    try:
        args = parse(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
