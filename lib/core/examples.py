"""The example upload files shipped in data/examples/: their fingerprints, so a batch uploaded from
one of them is recognised as 示例 (made-up figures) wherever batches or their figures appear. The flag
is derived (the batch's sha256 equals a shipped example file's), so the store needs no new column
and a real file is never marked."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from lib.core.settings import ROOT

EXAMPLES_DIR = ROOT / "data" / "examples"
EXAMPLE_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")


@lru_cache(maxsize=1)
def example_hashes() -> frozenset[str]:
    """The sha256 of every upload file in data/examples/ (read once per process)."""
    if not EXAMPLES_DIR.is_dir():
        return frozenset()
    files = (p for p in EXAMPLES_DIR.iterdir() if p.suffix.lower() in EXAMPLE_SUFFIXES)
    return frozenset(hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file())


def is_example(sha256: str | None) -> bool:
    """Whether a file (by its sha256) is one of the shipped example files."""
    return bool(sha256) and sha256 in example_hashes()
