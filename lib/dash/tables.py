"""Table view models of the chair's screen that the dashboards' own views do not give: the import
batches with every header and code in the UI language (no raw field names), times in Beijing."""

from __future__ import annotations

import polars as pl

from lib.core.examples import example_hashes
from lib.core.i18n import t
from lib.core.vocab import BEIJING

BATCH_COLUMNS = (
    ("batch_id", "col.batch"),
    ("kind", "col.kind"),
    ("file_name", "col.file"),
    ("username", "col.imported_by"),
    ("created_at", "col.imported_at"),
    ("n_new", "col.n_new"),
    ("n_changed", "col.n_changed"),
    ("n_unchanged", "col.n_unchanged"),
    ("status", "col.batch_status"),
    ("undone_at", "col.undone_at"),
    ("undone_by", "col.undone_by"),
)


def _code_text(column: str, prefix: str, codes: list[str], lang: str) -> pl.Expr:
    """A code column (kind, status) in the UI language; an unknown code stays as it is."""
    names = {c: t(f"{prefix}.{c}", lang) for c in codes}
    names = {c: n for c, n in names.items() if n != f"{prefix}.{c}"}
    return pl.col(column).replace_strict(names, default=pl.col(column), return_dtype=pl.Utf8)


def _beijing(column: str) -> pl.Expr:
    """A UTC time column as Beijing time text (YYYY-MM-DD HH:MM), "" where none."""
    local = pl.col(column).dt.convert_time_zone(BEIJING.key).dt.strftime("%Y-%m-%d %H:%M")
    return local.fill_null("")


def batch_table(batches: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Import batches for display: translated headers, kind and status in words, Beijing times,
    a file uploaded from data/examples/ marked 示例 before its name, no checksum (a fingerprint
    the chair never reads)."""
    kinds = batches.get_column("kind").unique().to_list()
    statuses = batches.get_column("status").unique().to_list()
    shown = batches.with_columns(
        _code_text("kind", "batch.kind", kinds, lang),
        _code_text("status", "batch.status", statuses, lang),
        _beijing("created_at"),
        _beijing("undone_at"),
        pl.col("undone_by").fill_null(""),
        pl.when(pl.col("sha256").is_in(sorted(example_hashes())))
        .then(pl.lit(t("example.mark", lang) + " ") + pl.col("file_name"))
        .otherwise(pl.col("file_name"))
        .alias("file_name"),
    )
    return shown.select(pl.col(src).alias(t(key, lang)) for src, key in BATCH_COLUMNS)
