"""Aggregation of a national map on the server: above ``HEXAGON_THRESHOLD`` stations the deck gets
one circle per grid cell (cell size follows the extent of the stations), sized by count, coloured
by the cell's most common type, with a tooltip listing the count per type. Cells are built from
counts per (cell, type, town), which polars computes from station rows (``cell_groups``) or the
database computes itself (lib.store.map_queries.station_cells): both give the same cells."""

from __future__ import annotations

import math

import polars as pl

from lib.core.catalog import STATION_TYPES, station_type_name
from lib.core.i18n import t
from lib.dash.gcj import wgs84_to_gcj02
from lib.store.map_queries import CELL_SCHEMA

UNKNOWN_TYPE_GREY = (128, 128, 128)
GRID_CELLS = 80  # cells along the longer side of the stations' extent, when aggregating
MIN_CELL_DEG = 0.002  # about 200 m: a town's stations are never merged into one cell


def type_color(code: str) -> tuple[int, int, int]:
    """The RGB colour of a station type (grey when unknown)."""
    term = STATION_TYPES.get(code)
    return term.color if term else UNKNOWN_TYPE_GREY


def hex_color(rgb: tuple[int, int, int]) -> str:
    """An RGB triple as #rrggbb."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def is_aggregated(points: pl.DataFrame) -> bool:
    """Whether a points frame holds grid cells (from ``aggregate_stations``), not stations."""
    return "n" in points.columns


def box_grid(box: tuple[float, float, float, float]) -> tuple[float, float]:
    """The cell size (degrees of latitude, degrees of longitude) for an extent (lat0, lat1, lon0,
    lon1): about ``GRID_CELLS`` cells span the longer side, cells are roughly square on the ground
    and never smaller than ``MIN_CELL_DEG``."""
    lat0, lat1, lon0, lon1 = (float(v) for v in box)
    coslat = max(0.2, math.cos(math.radians((lat0 + lat1) / 2)))
    extent = max(lat1 - lat0, (lon1 - lon0) * coslat)
    dlat = max(MIN_CELL_DEG, extent / GRID_CELLS)
    return dlat, dlat / coslat


def grid_size(stations: pl.DataFrame) -> tuple[float, float]:
    """The cell size (degrees of latitude, degrees of longitude) for the stations' extent."""
    box = stations.select(
        pl.col("lat").min().alias("lat0"),
        pl.col("lat").max().alias("lat1"),
        pl.col("lon").min().alias("lon0"),
        pl.col("lon").max().alias("lon1"),
    ).row(0)
    return box_grid(box)


def _cell_header(lang: str) -> tuple[str, str]:
    """The text before and after the count in a grid cell's first tooltip line."""
    before, after = t("map.tip.cell", lang, n="\x00").split("\x00")
    return before, after


def cell_groups(stations: pl.DataFrame, dlat: float, dlon: float) -> pl.DataFrame:
    """Stations counted per grid cell, type and town (``CELL_SCHEMA``), as the database
    counts them in lib.store.map_queries.station_cells."""
    return (
        stations.select(
            (pl.col("lat") / dlat).floor().cast(pl.Int64).alias("gy"),
            (pl.col("lon") / dlon).floor().cast(pl.Int64).alias("gx"),
            "type",
            pl.col("town").fill_null(""),
            "lat",
            "lon",
        )
        .group_by("gy", "gx", "type", "town")
        .agg(pl.len().cast(pl.Int64).alias("k"), pl.col("lat").sum(), pl.col("lon").sum())
        .select(list(CELL_SCHEMA))
        .cast(CELL_SCHEMA)  # type: ignore[arg-type]
    )


def _per_type(groups: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Per (cell, type): count, position sums, the most common town (ties: the first by name)
    and the tooltip line, most common type first in each cell."""
    names = {c: station_type_name(c, lang) for c in groups.get_column("type").unique().to_list()}
    return (
        groups.sort("gy", "gx", "type", "k", "town", descending=[False, False, False, True, False])
        .group_by("gy", "gx", "type")
        .agg(pl.col("k").sum(), pl.col("lat").sum(), pl.col("lon").sum(), pl.col("town").first())
        .sort("gy", "gx", "k", "type", descending=[False, False, True, False])
        .with_columns(
            pl.format("{}: {}", pl.col("type").replace_strict(names), pl.col("k")).alias("part")
        )
    )


def cells_from_groups(
    groups: pl.DataFrame, dlat: float, lang: str, basemap: str = "carto"
) -> pl.DataFrame:
    """Grid cells from per-(cell, type, town) counts: one row per cell with its mean position
    (GCJ-02 for AMap), count ``n``, per-type ``types``/``counts`` (most common first), that
    type's colour, a radius in metres growing with the count and a plain-text tooltip saying it
    is an aggregate."""
    per_type = _per_type(groups, lang)
    rgb = {c: type_color(c) for c in per_type.get_column("type").unique().to_list()}
    before, after = _cell_header(lang)
    busiest = per_type.group_by("gy", "gx").agg(pl.col("k").sum()).get_column("k").max()
    top = max(int(busiest or 1), 1)  # type: ignore[arg-type]
    cells = (
        per_type.group_by("gy", "gx", maintain_order=True)
        .agg(
            pl.col("k").sum().alias("n"),
            (pl.col("lat").sum() / pl.col("k").sum()).alias("lat"),
            (pl.col("lon").sum() / pl.col("k").sum()).alias("lon"),
            pl.col("type").first().alias("top"),
            pl.col("type").alias("types"),
            pl.col("k").alias("counts"),
            pl.col("part").str.join("\n").alias("parts"),
            pl.col("town").first(),
        )
        .with_columns(
            pl.concat_list(
                *(
                    pl.col("top").replace_strict({c: v[i] for c, v in rgb.items()})
                    for i in range(3)
                ),
                pl.lit(200),
            )
            .cast(pl.List(pl.Int64))
            .alias("color"),
            pl.concat_str(
                pl.lit(before), pl.col("n").cast(pl.Utf8), pl.lit(after + "\n"), pl.col("parts")
            ).alias("tip"),
            ((pl.col("n") / top).sqrt().clip(lower_bound=0.15) * (dlat * 111_000.0 * 0.5))
            .round()
            .cast(pl.Int64)
            .alias("r"),
        )
    )
    return _finish(cells, basemap)


def _finish(cells: pl.DataFrame, basemap: str) -> pl.DataFrame:
    """The cells' columns as the deck takes them, positions shifted to GCJ-02 for AMap."""
    if basemap == "amap":
        pairs = [wgs84_to_gcj02(a, o) for a, o in cells.select("lat", "lon").iter_rows()]
        cells = cells.with_columns(
            pl.Series("lat", [p[0] for p in pairs], dtype=pl.Float64),
            pl.Series("lon", [p[1] for p in pairs], dtype=pl.Float64),
        )
    return cells.select(
        pl.col("lon").round(4),
        pl.col("lat").round(4),
        "color",
        "tip",
        "town",
        "n",
        "r",
        "types",
        "counts",
    )


def aggregate_stations(stations: pl.DataFrame, lang: str, basemap: str = "carto") -> pl.DataFrame:
    """Station rows as grid cells (see ``cells_from_groups``), the grid fitted to their extent."""
    dlat, dlon = grid_size(stations)
    return cells_from_groups(cell_groups(stations, dlat, dlon), dlat, lang, basemap)
