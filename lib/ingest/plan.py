"""What an upload would do and did: the Plan (the validated records or every problem, the rows
skipped, and the diff with the store as Changes), and the results of a commit and an undo.
Observations are held as polars frames (the fast path's records, the diff joined to the store);
targets and stations as lists of records. Imports the kinds and the problems."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import polars as pl

from lib.ingest.catalog import Labels
from lib.ingest.kinds import OBSERVATION_SCHEMA, OBSERVATIONS, SPECS, KindSpec
from lib.ingest.layout import Skipped
from lib.ingest.problems import Problem
from lib.ingest.rows import Record


@dataclass
class Change:
    """One validated figure compared with the store: status new / changed / unchanged."""

    status: str
    row: int
    values: dict[str, Any]
    old_id: int | None = None
    old: dict[str, Any] | None = None


@dataclass
class Plan:
    """What an upload would do: the validated rows, the problems, and the diff with the store.

    Observations are held as frames (`frame`: the validated figures with their file row;
    `diff_frame`: the same plus status and the current figure they replace), which the diff and
    the commit work on; `records`, `record_rows` and `changes` are built from them when read."""

    kind: str
    file_name: str
    sha256: str
    lang: str = "zh"  # the reader's language of the preview and of a commit's refusals
    layout: str = "long"
    encoding: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    n_rows: int = 0
    n_blank: int = 0
    problems: list[Problem] = field(default_factory=list)
    absent: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicate_batch: int | None = None
    duplicate_user: str = ""
    labels: Labels = field(default_factory=dict)
    frame: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    diff_frame: pl.DataFrame | None = field(default=None, repr=False, compare=False)
    _records: list[dict[str, Any]] | None = field(default=None, repr=False)
    _record_rows: list[int] | None = field(default=None, repr=False)
    _changes: list[Change] | None = field(default=None, repr=False)
    _counts: tuple[Any, Counter[str]] = field(default=(None, Counter()), repr=False, compare=False)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The validated records (without their file rows), in file order."""
        if self._records is None:
            frame = self.frame
            self._records = [] if frame is None else frame.drop("row").to_dicts()
        return self._records

    @records.setter
    def records(self, value: list[dict[str, Any]]) -> None:
        """Replace the records (the frame, if any, goes)."""
        self._records, self.frame = value, None

    @property
    def record_rows(self) -> list[int]:
        """The file row of each record."""
        if self._record_rows is None:
            self._record_rows = [] if self.frame is None else self.frame["row"].to_list()
        return self._record_rows

    @record_rows.setter
    def record_rows(self, value: list[int]) -> None:
        """Replace the file rows of the records."""
        self._record_rows = value

    @property
    def changes(self) -> list[Change]:
        """The diff, one Change per record."""
        if self._changes is None:
            self._changes = [] if self.diff_frame is None else frame_changes(self.diff_frame)
        return self._changes

    @changes.setter
    def changes(self, value: list[Change]) -> None:
        """Replace the diff (the diff frame, if any, goes)."""
        self._changes, self.diff_frame = value, None
        self._counts = (None, Counter())

    def set_diff(self, frame: pl.DataFrame) -> None:
        """Hold a diff frame (its Change objects are built only when read)."""
        self.diff_frame, self._changes = frame, None
        self._counts = (None, Counter())

    @property
    def spec(self) -> KindSpec:
        """The kind's spec."""
        return SPECS[self.kind]

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems

    def count(self, status: str) -> int:
        """How many figures have a diff status (counted once per list or frame of changes)."""
        frame = self.diff_frame if self._changes is None else None
        key = (id(frame), 0) if frame is not None else (id(self.changes), len(self.changes))
        if self._counts[0] != key:
            if frame is not None:
                counted = Counter(dict(frame["status"].value_counts().iter_rows()))
            else:
                counted = Counter(c.status for c in self.changes)
            self._counts = (key, counted)
        return self._counts[1][status]

    @property
    def n_new(self) -> int:
        """Figures the store does not hold yet."""
        return self.count("new")

    @property
    def n_changed(self) -> int:
        """Figures that would overwrite a different current figure."""
        return self.count("changed")

    @property
    def n_unchanged(self) -> int:
        """Figures equal to the current ones."""
        return self.count("unchanged")

    def changes_of(self, status: str, limit: int | None = None) -> list[Change]:
        """The changes of one diff status in file order, at most limit of them."""
        if self._changes is None and self.diff_frame is not None:
            part = self.diff_frame.filter(pl.col("status") == status)
            return frame_changes(part if limit is None else part.head(limit))
        found = (c for c in self.changes if c.status == status)
        return list(found if limit is None else islice(found, limit))

    def signature(self) -> tuple[int, int, int, int]:
        """A fingerprint of the diff, to notice the store changing between preview and commit:
        the counts and the store rows that the changed and the unchanged figures match."""
        olds: list[tuple[int, ...]] = []
        for status in ("changed", "unchanged"):
            if self._changes is None and self.diff_frame is not None:
                ids = self.diff_frame.filter(pl.col("status") == status)["old_id"]
                olds.append(tuple(ids.sort().to_list()))
            else:
                olds.append(
                    tuple(sorted(c.old_id or 0 for c in self.changes if c.status == status))
                )
        return (self.n_new, self.n_changed, self.n_unchanged, hash(tuple(olds)))


@dataclass(frozen=True)
class CommitResult:
    """What a commit wrote."""

    batch_id: int
    n_new: int
    n_changed: int
    n_unchanged: int
    data_version: int


@dataclass(frozen=True)
class UndoResult:
    """What an undo flipped."""

    batch_id: int
    removed: int
    restored: int
    data_version: int


# --------------------------------------------------------------------------------------------
# The catalogue the file is checked against


def records_frame(records: list[Record], rows: list[int]) -> pl.DataFrame:
    """Observation records (and their file rows) as a frame."""
    cols = {k: [r[k] for r in records] for k in OBSERVATION_SCHEMA.names()[1:]}
    return pl.DataFrame({"row": rows, **cols}, schema=OBSERVATION_SCHEMA)


def frame_changes(frame: pl.DataFrame) -> list[Change]:
    """Change objects of (part of) an observations diff frame."""
    fields = OBSERVATION_SCHEMA.names()[1:]
    keys = OBSERVATIONS.key_fields
    changes: list[Change] = []
    for r in frame.iter_rows(named=True):
        values = {k: r[k] for k in fields}
        old = None
        if r["old_id"] is not None:
            old = {"id": r["old_id"], **{k: r[k] for k in keys}}
            old |= {"value": r["old_value"], "qualifier": r["old_qualifier"]}
        changes.append(Change(r["status"], r["row"], values, r["old_id"], old))
    return changes
