"""Frame shaping for display: turns query frames into the columns a page shows (no streamlit)."""

from __future__ import annotations

import polars as pl

from lib.i18n import t


def source_table(sources: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Sources with their title, file and counts, labelled in a language."""
    title = "title_zh" if lang == "zh" else "title_en"
    return sources.select(
        pl.col(title).alias(t("col.source", lang)),
        pl.col("file").alias("file"),
        pl.col("n_observations").alias(t("col.figures", lang)),
        pl.col("n_targets").alias(t("col.targets", lang)),
        pl.col("n_stations").alias(t("col.stations", lang)),
    )
