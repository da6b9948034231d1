"""Tables that fit a 1280–1366 px screen: key columns first (the first one pinned), the org named
once above the table instead of on every row, long text cut to a readable width with the whole row
one click away in a detail box, numbers and values right-aligned, and the targets' 完成率 cells
tinted by their status."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from lib.dash.charts import STATUS_COLORS

# A light tint of each status colour for the 完成率 cell's background (text in the full colour).
STATUS_TINTS = {
    "done": "#E8F5E9",
    "in_progress": "#E3F2FD",
    "behind": "#FDECEA",
    "no_data": "#F3F4F6",
}


def _config(
    frame: pl.DataFrame, right: Sequence[str], wide: Sequence[str], first: str | None
) -> dict:
    """Column config: right-aligned value columns, long-text columns at medium width, the first
    (key) column pinned so it stays in view while the rest scrolls on a phone."""
    config: dict = {}
    for col in frame.columns:
        kwargs: dict = {}
        if col in right:
            kwargs["alignment"] = "right"
        if col in wide:
            kwargs["width"] = "medium"
        if col == first:
            kwargs["pinned"] = True
        if kwargs:
            config[col] = st.column_config.TextColumn(col, **kwargs)
    return config


def show_table(
    frame: pl.DataFrame,
    key: str,
    *,
    order: Sequence[str] = (),
    hide: Sequence[str] = (),
    right: Sequence[str] = (),
    wide: Sequence[str] = (),
    detail_label: str | None = None,
    column_config: dict | None = None,
    styler: object | None = None,
) -> None:
    """A full-width table: columns in ``order`` first, ``hide`` left out, ``right`` right-aligned,
    ``wide`` cut to a medium width; with ``detail_label`` a click on a row shows every field of
    it below the table (text shown as text, never markup)."""
    shown = [c for c in (*order, *frame.columns) if c in frame.columns and c not in hide]
    shown = list(dict.fromkeys(shown))
    config = _config(frame, right, wide, shown[0] if shown else None)
    config.update(column_config or {})
    data = styler if styler is not None else frame
    if detail_label is None:
        st.dataframe(
            data,
            hide_index=True,
            width="stretch",
            key=key,
            column_order=shown,
            column_config=config,
        )
        return
    event = st.dataframe(
        data,
        hide_index=True,
        width="stretch",
        key=key,
        column_order=shown,
        column_config=config,
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if not picked:
        st.caption(detail_label)
        return
    row = frame.row(int(picked[0]), named=True)
    with st.container(border=True, key=f"{key}_detail"):
        for col in [c for c in frame.columns if c not in hide]:
            value = row[col]
            line = f"{col}: {'—' if value is None or value == '' else value}"
            st.text(line)  # as text: data never becomes markup


def percent_text(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A percent column as text ("103.5%", "—" where there is none), so no cell reads "None"."""
    return frame.with_columns(
        pl.when(pl.col(column).is_null())
        .then(pl.lit("—"))
        .otherwise(pl.col(column).round(1).cast(pl.Utf8) + "%")
        .alias(column)
    )


def status_styler(frame: pl.DataFrame, column: str, statuses: Sequence[str]) -> object:
    """The frame as a pandas Styler whose ``column`` cells are tinted by each row's status (the
    status colours of the targets chart), so 113 % reads green and a lagging 60 % red."""
    pdf = frame.to_pandas()

    def paint(col):  # noqa: ANN001, ANN202
        """CSS of each cell of the completion column, by the row's status."""
        return [
            f"background-color: {STATUS_TINTS.get(s, '#F3F4F6')}; "
            f"color: {STATUS_COLORS.get(s, '#6B7280')}; font-weight: 600"
            for s in statuses
        ]

    return pdf.style.apply(paint, subset=[column])
