"""What an upload would do and did: the Plan (the validated records or every problem, the rows
skipped, and the diff with the store as Changes), and the results of a commit and an undo.
Every kind is held as polars frames (the validated records, the diff joined to the store). Imports the kinds and the problems."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from lib.ingest.catalog import Labels
from lib.ingest.kinds import SPECS, KindSpec
from lib.ingest.layout import Skipped
from lib.ingest.problems import Problem
from lib.ingest.rows import Record

DIFF = "diff_status"  # a diff frame's column of new / changed / unchanged (not a station's status)


@dataclass
class Change:
    """One validated figure compared with the store: status new / changed / unchanged."""

    status: str
    row: int
    values: dict[str, Any]
    old: dict[str, Any] | None = None


@dataclass
class Plan:
    """What an upload would do: the validated records, the problems, and the diff with the store.

    The records are held as a frame (`frame`: the kind's fields plus the file row), and the diff
    as the same frame joined to the store's current rows (`diff_frame`: plus DIFF, old_id and
    old_<field> of each compared field); `records` and the Changes are built from
    them when read."""

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
    _counts: tuple[int, Counter[str]] = field(default=(0, Counter()), repr=False, compare=False)

    @property
    def spec(self) -> KindSpec:
        """The kind's spec."""
        return SPECS[self.kind]

    @property
    def records(self) -> list[Record]:
        """The validated records (without their file rows), in file order."""
        return [] if self.frame is None else self.frame.drop("row").to_dicts()

    @property
    def changes(self) -> list[Change]:
        """The diff, one Change per record, in file order."""
        frame = self.diff_frame
        return [] if frame is None else frame_changes(self.spec, frame)

    def count(self, status: str) -> int:
        """How many records have a diff status (counted once per diff frame)."""
        frame = self.diff_frame
        if frame is None:
            return 0
        if self._counts[0] != id(frame):
            counted = Counter(dict(frame[DIFF].value_counts().iter_rows()))
            self._counts = (id(frame), counted)
        return self._counts[1][status]

    @property
    def n_new(self) -> int:
        """Records the store does not hold yet."""
        return self.count("new")

    @property
    def n_changed(self) -> int:
        """Records that would overwrite a different current one."""
        return self.count("changed")

    @property
    def n_unchanged(self) -> int:
        """Records equal to the current ones."""
        return self.count("unchanged")

    def changes_of(self, status: str, limit: int | None = None) -> list[Change]:
        """The changes of one diff status in file order, at most limit of them."""
        if self.diff_frame is None:
            return []
        part = self.diff_frame.filter(pl.col(DIFF) == status)
        return frame_changes(self.spec, part if limit is None else part.head(limit))

    def signature(self) -> tuple[int, int, int, int]:
        """A fingerprint of the diff, to notice the store changing between preview and commit:
        the counts and the store rows that the changed and the unchanged records match."""
        olds: list[tuple[int, ...]] = []
        for status in ("changed", "unchanged"):
            if self.diff_frame is not None:
                ids = self.diff_frame.filter(pl.col(DIFF) == status)["old_id"]
                olds.append(tuple(ids.sort().to_list()))
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


def records_frame(schema: pl.Schema, records: list[Record], rows: list[int]) -> pl.DataFrame:
    """Records of a kind (and their file rows) as a frame of the kind's schema."""
    cols = {k: [r[k] for r in records] for k in schema.names()[1:]}
    return pl.DataFrame({"row": rows, **cols}, schema=schema)


def frame_changes(spec: KindSpec, frame: pl.DataFrame) -> list[Change]:
    """Change objects of (part of) a diff frame."""
    fields = spec.schema.names()[1:]
    changes: list[Change] = []
    for r in frame.iter_rows(named=True):
        values = {k: r[k] for k in fields}
        old = None
        if r["old_id"] is not None:
            old = {"id": r["old_id"], **{k: r[k] for k in spec.key_fields}}
            old |= {f: r[f"old_{f}"] for f in spec.compare_fields}
        changes.append(Change(r[DIFF], r["row"], values, old))
    return changes
