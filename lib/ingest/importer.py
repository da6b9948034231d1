"""The upload pipeline's two entry points: prepare (read → layout → validate → diff, writing
nothing) and commit (one transaction; lib.ingest.write). The seams live in their own modules:
read (bytes → table), columns, cells, layout, kinds (one KindSpec per kind), rows and validate
(row by row), fast (the vectorised path), diff, write, undo, preview; problems are codes with
parameters rendered only when shown."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from lib.core.i18n import t
from lib.ingest.catalog import Catalog
from lib.ingest.diff import committed_batch, update_diff
from lib.ingest.guard import FileProblem
from lib.ingest.kinds import SHEET_KEYS
from lib.ingest.plan import CommitResult, Plan
from lib.ingest.problems import ImportRefused, Problem
from lib.ingest.read import Progress, read_table, sha256_of
from lib.ingest.validate import validate
from lib.ingest.write import write_plan
from lib.store.db import refresh_statistics, session_scope


def _unreadable(exc: FileProblem, kind: str | None, file_name: str, sha: str, lang: str) -> Plan:
    """The plan of a file that cannot be read at all: its one problem."""
    plan = Plan(kind or "observations", file_name, sha, lang)
    row = exc.fmt.get("row")
    plan.problems.append(Problem(exc.key, exc.fmt, row if isinstance(row, int) else None))
    return plan


def prepare(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    lang: str = "zh",
    url: str | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> Plan:
    """Parse, validate and diff a file against the store, writing nothing (`sheet`: the sheet of
    a workbook to read instead of the default one; its name is part of the batch's fingerprint;
    `lang`: the reader's language of the preview)."""
    sha = sha256_of(data if sheet is None else data + b"\0sheet:" + sheet.encode("utf-8"))
    if progress:
        progress("parse", 0.0)
    try:
        table = read_table(data, file_name, progress, sheet, frozenset(SHEET_KEYS))
    except FileProblem as exc:
        return _unreadable(exc, kind, file_name, sha, lang)
    if progress:
        progress("parse", 1.0)
        progress("validate", 0.0)
    with session_scope(url) as session:
        catalog = Catalog.load(session)
        plan = validate(table, kind, file_name, catalog, progress)
        plan.sha256, plan.sheets, plan.lang = sha, table.sheets, lang
        plan.labels = catalog.labels()
        if plan.problems:
            return plan
        dup = committed_batch(session, sha, plan.kind)
        if dup is not None:
            plan.duplicate_batch, plan.duplicate_user = dup.id, dup.username
            return plan
        if progress:
            progress("diff", 0.0)
        update_diff(session, plan)
        if progress:
            progress("diff", 1.0)
    return plan


def commit(
    plan: Plan,
    username: str,
    confirm: bool = False,
    url: str | None = None,
    expected: tuple[int, int, int, int] | None = None,
    progress: Progress | None = None,
) -> CommitResult:
    """Write a validated plan in one transaction; ImportRefused (nothing written) otherwise."""
    try:
        with session_scope(url) as session:
            result = write_plan(session, plan, username, confirm, expected, progress)
    except OperationalError as exc:  # e.g. another writer held the store past the busy timeout
        raise ImportRefused(t("upload.err.write_failed", plan.lang, detail=exc.orig)) from exc
    refresh_statistics(url)
    return result
