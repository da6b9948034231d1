"""The `import` and `undo` commands: `python -m lib.cli import FILE` validates, previews and
commits a file through lib.ingest.importer; `python -m lib.cli undo BATCH_ID` prints what the
undo takes away and restores, then undoes it. Problems and previews are rendered in --lang."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

import polars as pl

from lib.core.i18n import t
from lib.ingest import report_layout
from lib.ingest.importer import commit, prepare
from lib.ingest.plan import Plan
from lib.ingest.preview import preview_frame, problems_frame, skipped_lines, summary
from lib.ingest.problems import BatchNotFound, ImportRefused
from lib.ingest.read import EXTENSIONS, Progress
from lib.ingest.undo import undo, undo_preview

CLI_LIMIT = 200  # problems and preview rows printed at most


def _print_frame(frame: pl.DataFrame, out: TextIO) -> None:
    """Print a small frame as tab-separated text."""
    print("\t".join(frame.columns), file=out)
    for row in frame.iter_rows():
        cells = ("" if v is None else " ⏎ ".join(str(v).splitlines()) for v in row)
        print("\t".join(cells), file=out)


def _stage_printer(lang: str) -> Progress:
    """A progress callback printing each stage once to stderr (parse, validate, diff, write)."""
    seen: set[str] = set()

    def progress(stage: str, _fraction: float) -> None:
        """Print a stage's name the first time it is reported."""
        if stage not in seen:
            seen.add(stage)
            print(f"[{stage}] {t(f'upload.stage.{stage}', lang)}", file=sys.stderr, flush=True)

    return progress


def _refused(plan: Plan, lang: str) -> int:
    """Print a refused file's problems (the first CLI_LIMIT); exit code 1."""
    print(t("upload.problems", lang, n=len(plan.problems)))
    _print_frame(problems_frame(plan.problems[:CLI_LIMIT], lang), sys.stdout)
    if len(plan.problems) > CLI_LIMIT:
        print(t("upload.more_problems", lang, n=len(plan.problems) - CLI_LIMIT))
    return 1


def _prepared(args: argparse.Namespace, lang: str, progress: Progress) -> Plan | int:
    """The plan of the file named on the command line, or exit code 2 for a usage error."""
    path = Path(args.path)
    if not path.is_file():
        print(t("upload.err.missing_file", lang, path=args.path), file=sys.stderr)
        return 2
    if path.suffix.lower() not in EXTENSIONS:
        print(t("upload.err.extension", lang, ext=path.suffix or path.name), file=sys.stderr)
        return 2
    sheet = getattr(args, "sheet", None)
    return prepare(
        path.read_bytes(), path.name, kind=args.kind, lang=lang, progress=progress, sheet=sheet
    )


def _commit(plan: Plan, args: argparse.Namespace, lang: str, progress: Progress) -> int:
    """Commit a previewed plan as the command line asked; the exit code."""
    if args.dry_run:
        print(t("upload.dry_run", lang))
        return 0
    if plan.n_new + plan.n_changed == 0:
        print(t(report_layout.nothing_key(plan), lang))
        return 0
    if plan.n_changed and not args.yes:
        print(t("upload.need_yes", lang, n=plan.n_changed))
        return 1
    try:
        result = commit(plan, args.user, confirm=bool(args.yes), progress=progress)
    except ImportRefused as exc:
        print(exc.message, file=sys.stderr)
        return 1
    counts = {"new": result.n_new, "changed": result.n_changed, "unchanged": result.n_unchanged}
    print(t("upload.done", lang, batch=result.batch_id, **counts))
    return 0


def cli_import(args: argparse.Namespace) -> int:
    """`python -m lib.cli import PATH`: 0 imported (or nothing to do), 1 refused, 2 usage error."""
    lang = getattr(args, "lang", "zh") or "zh"
    progress = _stage_printer(lang)
    plan = _prepared(args, lang, progress)
    if isinstance(plan, int):
        return plan
    if plan.ignored:
        print(t("upload.ignored_columns", lang, names="、".join(plan.ignored)))
    for line in skipped_lines(plan):
        print(line)
    if plan.problems:
        return _refused(plan, lang)
    if plan.duplicate_batch is not None:
        print(t("upload.duplicate", lang, batch=plan.duplicate_batch, user=plan.duplicate_user))
        return 0
    print(summary(plan))
    if plan.n_changed:
        print(t("upload.section.changed", lang))
        _print_frame(preview_frame(plan, "changed", CLI_LIMIT), sys.stdout)
    return _commit(plan, args, lang, progress)


def _undo_refused(exc: ImportRefused) -> int:
    """Print why an undo was refused; the exit code: 2 no such batch, 1 refused."""
    print(exc.message, file=sys.stderr)
    return 2 if isinstance(exc, BatchNotFound) else 1


def cli_undo(args: argparse.Namespace) -> int:
    """`python -m lib.cli undo BATCH_ID [--dry-run]`: prints the batch and the figures it takes
    away and restores, then undoes it; 0 undone, 1 refused, 2 no such batch."""
    lang = getattr(args, "lang", "zh") or "zh"
    try:
        info, frame, total = undo_preview(args.batch_id, lang, limit=CLI_LIMIT)
    except ImportRefused as exc:  # BatchNotFound included
        return _undo_refused(exc)
    print(t("upload.undo.will", lang, label=info.label(lang)))
    _print_frame(frame, sys.stdout)
    if total > frame.height:
        print(t("upload.undo.more", lang, n=total - frame.height))
    if getattr(args, "dry_run", False):
        print(t("upload.dry_run", lang))
        return 0
    try:
        result = undo(args.batch_id, args.user, lang=lang)
    except ImportRefused as exc:  # BatchNotFound included
        return _undo_refused(exc)
    print(
        t(
            "upload.undo.done",
            lang,
            batch=result.batch_id,
            removed=result.removed,
            restored=result.restored,
        )
    )
    return 0
