"""The station map's queries, answered by the database: counts per org and type with the extent
of the stations (``station_groups``), counts per grid cell, type and town (``station_cells``), the
towns of some orgs and the matching rows when few enough to draw one by one; each with its
``<name>_select`` builder, read by column label as lib.store.queries' are. All of them read the
covering index ``ix_station_map`` (migration 0004), so a national store (150,000 stations) is
counted without its rows ever reaching Python. SQLAlchemy select() with bound parameters; the
same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Integer, cast, func, or_, select

from lib.store.models import Org, Station
from lib.store.queries import STATION_SCHEMA, NamedSelect, frame, station_select


@dataclass(frozen=True)
class StationFilter:
    """The map's filters (plain, hashable values; empty = no filter on that field): station types,
    org codes (the chosen org and everything under it), towns, and the stations open by the end of
    ``as_of`` (stations without an opening year always pass)."""

    types: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    as_of: int | None = None


def _org_ids(codes: tuple[str, ...], url: str | None) -> list[int]:
    """The ids of orgs given by code (a separate query: with ``org_id IN (SELECT …)`` SQLite
    scans every station instead of reading the orgs' stations from the index)."""
    stmt = select(Org.id).where(Org.code.in_(codes))
    return frame(stmt, {"id": pl.Int64}, url).get_column("id").to_list()


def _where(filt: StationFilter, url: str | None) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter, current stations only."""
    out: list[ColumnElement[bool]] = [Station.is_current.is_(True)]
    if filt.types:
        out.append(Station.type.in_(filt.types))
    if filt.orgs:
        out.append(Station.org_id.in_(_org_ids(filt.orgs, url)))
    if filt.towns:
        out.append(Station.town.in_(filt.towns))
    if filt.as_of is not None:
        out.append(or_(Station.opened_year.is_(None), Station.opened_year <= filt.as_of))
    return out


GROUP_SCHEMA: dict[str, Any] = {
    "org_code": pl.Utf8,
    "type": pl.Utf8,
    "n": pl.Int64,
    "dated": pl.Int64,
    "lat0": pl.Float64,
    "lat1": pl.Float64,
    "lon0": pl.Float64,
    "lon1": pl.Float64,
    "year0": pl.Int64,
    "year1": pl.Int64,
}  # per org and type: stations, those with an opening year, extent, opening years


def station_groups_select(filt: StationFilter, url: str | None = None) -> NamedSelect:
    """The select behind `station_groups` (its org filter looks the orgs' ids up in the store)."""
    per = (
        select(
            Station.org_id,
            Station.type,
            func.count().label("n"),
            func.count(Station.opened_year).label("dated"),
            func.min(Station.lat).label("lat0"),
            func.max(Station.lat).label("lat1"),
            func.min(Station.lon).label("lon0"),
            func.max(Station.lon).label("lon1"),
            func.min(Station.opened_year).label("year0"),
            func.max(Station.opened_year).label("year1"),
        )
        .where(*_where(filt, url))
        .group_by(Station.org_id, Station.type)
        .subquery()
    )
    return (
        select(Org.code.label("org_code"), *(per.c[name] for name in list(GROUP_SCHEMA)[1:]))
        .join(per, per.c.org_id == Org.id)
        .order_by(Org.code, per.c.type)
    )


def station_groups(filt: StationFilter, url: str | None = None) -> pl.DataFrame:
    """The matching stations counted per org and type (``GROUP_SCHEMA``): one GROUP BY over the
    index, a few thousand rows at national scale."""
    return frame(station_groups_select(filt, url), GROUP_SCHEMA, url)


CELL_SCHEMA: dict[str, Any] = {
    "gy": pl.Int64,
    "gx": pl.Int64,
    "type": pl.Utf8,
    "town": pl.Utf8,
    "k": pl.Int64,
    "lat": pl.Float64,
    "lon": pl.Float64,
}  # per cell, type and town: the count and position sums (lib.dash.grid counts frames alike)


def station_cells_select(
    filt: StationFilter, dlat: float, dlon: float, url: str | None = None
) -> NamedSelect:
    """The select behind `station_cells`."""
    gy = cast(func.floor(Station.lat / dlat), Integer).label("gy")
    gx = cast(func.floor(Station.lon / dlon), Integer).label("gx")
    town = func.coalesce(Station.town, "").label("town")
    return (
        select(
            gy,
            gx,
            Station.type,
            town,
            func.count().label("k"),
            func.sum(Station.lat).label("lat"),
            func.sum(Station.lon).label("lon"),
        )
        .where(*_where(filt, url))
        .group_by(gy, gx, Station.type, town)
    )


def station_cells(
    filt: StationFilter, dlat: float, dlon: float, url: str | None = None
) -> pl.DataFrame:
    """The matching stations counted per grid cell (floor of lat/dlat, lon/dlon), type and town,
    with the sums of their positions: what lib.dash.grid turns into the map's cells."""
    return frame(station_cells_select(filt, dlat, dlon, url), CELL_SCHEMA, url)


def station_rows_select(filt: StationFilter, url: str | None = None) -> NamedSelect:
    """The select behind `station_rows` (unordered: see there)."""
    return station_select().where(*_where(filt, url))


def station_rows(filt: StationFilter, url: str | None = None) -> pl.DataFrame:
    """The matching stations themselves (``STATION_SCHEMA``), for a map that draws them one by
    one (at most ``HEXAGON_THRESHOLD``: the caller counts first)."""
    rows = frame(station_rows_select(filt, url), STATION_SCHEMA, url)
    # sorted here, not by the database: ORDER BY type would steer it to the (is_current, type)
    # index and past the org's stations in ix_station_map
    return rows.sort("type", "station_id")


TOWN_SCHEMA: dict[str, Any] = {"town": pl.Utf8}


def station_towns_select(org_codes: tuple[str, ...], url: str | None = None) -> NamedSelect:
    """The select behind `station_towns`."""
    return (
        select(Station.town)
        .where(*_where(StationFilter(orgs=org_codes), url), Station.town != "")
        .distinct()
    )


def station_towns(org_codes: tuple[str, ...], url: str | None = None) -> list[str]:
    """The named towns among the current stations of some orgs (all orgs when empty), sorted."""
    towns = frame(station_towns_select(org_codes, url), TOWN_SCHEMA, url).get_column("town")
    return sorted(t for t in towns if t)


STAMP_SCHEMA: dict[str, Any] = {"n": pl.Int64, "id_sum": pl.Int64, "id_max": pl.Int64}


def station_stamp_select(url: str | None = None) -> NamedSelect:
    """How many current stations there are, and the sum and the largest of their ids (url: the
    same signature as the other builders; every engine reads it the same way)."""
    del url
    return select(
        func.count().label("n"),
        func.coalesce(func.sum(Station.id), 0).label("id_sum"),
        func.coalesce(func.max(Station.id), 0).label("id_max"),
    ).where(Station.is_current.is_(True))


def station_stamp(url: str | None = None) -> tuple[int, int, int]:
    """A fingerprint of the current stations: how many, and the sum and the largest of their ids.
    Rows are never changed in place (a changed station is a new row), so an import or undo that
    adds, changes or removes a station changes it, and an upload of figures only does not."""
    n, id_sum, id_max = frame(station_stamp_select(url), STAMP_SCHEMA, url).row(0)
    return int(n), int(id_sum), int(id_max)
