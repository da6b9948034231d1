"""The station map for a set of filters, from the database's counts (lib.store.map_queries) rather
than from every station's row: how many stations match per org and type (legend, total, undated,
extent, the districts to outline), then either the matching rows (up to ``HEXAGON_THRESHOLD``,
drawn one by one) or the counts per grid cell (lib.dash.grid). Also the org hierarchy the map's
filter walks one level at a time (province → city → district; 北京市总工会 → 大兴区总工会 → …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl
import pydeck as pdk

from lib.core.settings import HEXAGON_THRESHOLD
from lib.dash import grid, maps
from lib.store import map_queries
from lib.store.map_queries import StationFilter


@dataclass(frozen=True)
class OrgTree:
    """The orgs that hold stations, themselves or below them: each org's parent, and per parent
    ("" = the top) its children that hold stations, in the store's order."""

    parents: Mapping[str, str]
    children: Mapping[str, tuple[str, ...]]

    def options(self, parent: str = "") -> tuple[str, ...]:
        """The orgs one level below ``parent`` ("" = the top level) that hold stations."""
        return self.children.get(parent, ())

    def subtree(self, code: str) -> tuple[str, ...]:
        """An org and every org below it that holds stations."""
        out, todo = [code], [code]
        while todo:
            kids = self.children.get(todo.pop(), ())
            out.extend(kids)
            todo.extend(kids)
        return tuple(out)

    def lineage(self, codes: Iterable[str]) -> tuple[str, ...]:
        """The orgs and all their parents, sorted (a street's stations lie in its district)."""
        out: set[str] = set()
        for code in codes:
            seen = 0
            while code and code not in out and seen < 10:
                out.add(code)
                code = self.parents.get(code, "")
                seen += 1
        return tuple(sorted(out))


def org_tree(orgs: pl.DataFrame, holding: Iterable[str]) -> OrgTree:
    """The tree of the orgs frame (code, parent_code; lib.store.queries.orgs) cut down to the orgs
    that hold stations (``holding``) and their parents."""
    parents = {c: p or "" for c, p in orgs.select("code", "parent_code").iter_rows()}
    keep: set[str] = set()
    for code in holding:
        seen = 0
        while code and code not in keep and seen < 10:
            keep.add(code)
            code = parents.get(code, "")
            seen += 1
    children: dict[str, list[str]] = {}
    for code in orgs.get_column("code"):
        if code in keep:
            children.setdefault(parents[code], []).append(code)
    return OrgTree(parents, {k: tuple(v) for k, v in children.items()})


@dataclass(frozen=True)
class MapChoices:
    """What the map's filters offer: station types present, opening-year span, the org tree, and
    the orgs that hold stations themselves."""

    types: list[str]
    span: tuple[int, int] | None
    tree: OrgTree
    holding: frozenset[str]


def choices_of(orgs: pl.DataFrame, groups: pl.DataFrame) -> MapChoices:
    """The filter choices from the counts per org and type of every current station."""
    years = groups.select(pl.col("year0").min(), pl.col("year1").max()).row(0)
    span = None if years[0] is None else (int(years[0]), int(years[1]))
    holding = frozenset(groups.get_column("org_code").to_list())
    return MapChoices(maps.present_types(groups), span, org_tree(orgs, holding), holding)


@dataclass(frozen=True)
class MapCounts:
    """What the database answers for a filter, the same in every language and on every basemap:
    the counts per org and type (``groups``), then either the matching stations (few enough to
    draw one by one) or the counts per grid cell, with the grid's cell height."""

    groups: pl.DataFrame
    rows: pl.DataFrame | None
    cells: pl.DataFrame | None
    dlat: float


def map_counts(
    filt: StationFilter, url: str | None = None, groups: pl.DataFrame | None = None
) -> MapCounts:
    """The database's answers for a filter (``groups``: its counts per org and type, when
    already counted); the grid is fitted to the matching stations' extent."""
    groups = map_queries.station_groups(filt, url) if groups is None else groups
    if int(groups.get_column("n").sum()) <= HEXAGON_THRESHOLD:
        return MapCounts(groups, map_queries.station_rows(filt, url), None, 0.0)
    box = groups.select(
        pl.col("lat0").min(), pl.col("lat1").max(), pl.col("lon0").min(), pl.col("lon1").max()
    ).row(0)
    dlat, dlon = grid.box_grid(box)
    return MapCounts(groups, None, map_queries.station_cells(filt, dlat, dlon, url), dlat)


@dataclass(frozen=True)
class MapView:
    """The filtered map: its deck (never changed once built), counts per type, how many stations
    match, whether the deck shows grid cells, and how many matching stations have no opening
    year."""

    deck: pdk.Deck
    counts: pl.DataFrame
    total: int
    aggregated: bool
    undated: int


def _points(counts: MapCounts, lang: str, basemap: str) -> pl.DataFrame:
    """The matching stations as map points, or the grid cells the database counted."""
    if counts.cells is None:
        return maps.station_points(counts.rows, lang, basemap)  # type: ignore[arg-type]
    return grid.cells_from_groups(counts.cells, counts.dlat, lang, basemap)


def view_of(counts: MapCounts, tree: OrgTree, lang: str, basemap: str) -> MapView:
    """The map of a filter's counts in a language on a basemap."""
    groups = counts.groups
    total = int(groups.get_column("n").sum())
    points = _points(counts, lang, basemap)
    held = tree.lineage(groups.get_column("org_code").unique().to_list())
    deck = maps.build_deck(points, basemap, lang, held)
    per_type = groups.group_by("type").agg(pl.col("n").sum())
    type_counts = maps.type_counts(dict(per_type.iter_rows()), lang)
    undated = total - int(groups.get_column("dated").sum())
    return MapView(deck, type_counts, total, maps.is_aggregated(points), undated)
