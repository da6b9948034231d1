"""The station map's streamlit side: the hierarchical org filter (one select box per level, at most
one level's options in each, bound to the URL) and the map's caches, keyed on plain values and
the current stations' and orgs' fingerprint (``map_key``: a data version that changed neither keeps
them). Every count comes from the database (lib.dash.map_view); no cache here holds
every station, so the first visit after a start or an upload costs a few GROUP BY queries."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import streamlit as st

from lib.core.vocab import STATION_UNITS
from lib.dash import map_view as mv
from lib.dash import maps
from lib.store import map_queries, queries
from lib.store.map_queries import StationFilter
from lib.ui import bound_select, cache, data_version, database_url, lang, org_names, t

ORG_PICKERS = (("map_org1", "org1"), ("map_org2", "org2"), ("map_org3", "org3"))  # key, URL
REPORTED_MAX_ORGS = 12  # above this many orgs the map caption does not list reported totals


@st.cache_resource(show_spinner=False, max_entries=8)
def map_key(url: str, version: int) -> tuple[int, ...]:
    """What the map's caches are keyed on instead of the data version: the current stations'
    fingerprint and the orgs' (a new version that changed neither, e.g. an upload of figures or
    a meeting snapshot, keeps every map cache and the map's first visit after it counts nothing)."""
    orgs = cache._named(url, version, "orgs", None)
    return (*map_queries.station_stamp(url), hash(tuple(orgs.hash_rows().to_list())))


def _key() -> tuple[int, ...]:
    """The map's cache key for this run's data version."""
    return map_key(database_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_choices(url: str, key: tuple[int, ...]) -> mv.MapChoices:
    """The map's filter choices per stations and orgs (one GROUP BY), shared by every session."""
    return mv.choices_of(queries.orgs(url), cached_counts(url, key, StationFilter()).groups)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_counts(url: str, key: tuple[int, ...], filt: StationFilter) -> mv.MapCounts:
    """The database's counts for a filter per stations and orgs (``map_key``): one set of
    GROUP BYs whatever the language and basemap of the maps drawn from them."""
    return mv.map_counts(filt, url)


def map_choices() -> mv.MapChoices:
    """The station types, opening-year span and org tree the map's filters offer."""
    return cached_choices(database_url(), _key())


def org_filter(where=None) -> str:  # noqa: ANN001
    """The org filter: a select box per level (province → city → district), each listing the
    children of the level above that hold stations, bound to ?org1= … ?org3= (org codes, the
    same link in both languages); returns the deepest org chosen ("" = all)."""
    tree = map_choices().tree
    names = org_names()
    parent, shown = "", True
    for level, (key, param) in enumerate(ORG_PICKERS):
        options = tree.options(parent) if shown else ()
        picked: object = ""
        if options:
            label = t("map.orgs") if level == 0 else t("map.orgs.below")
            picked = bound_select(
                label,
                ["", *options],
                key=key,
                param=param,
                default="",
                format_func=lambda c: names.get(c, c) if c else t("map.all"),
                where=where,
            )
        if picked:
            parent = str(picked)
        else:
            shown = False
            if param in st.query_params:
                del st.query_params[param]
    return parent


def _org_codes(org: str) -> tuple[str, ...]:
    """The org and every org below it holding stations (() for all orgs)."""
    return map_choices().tree.subtree(org) if org else ()


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_towns(url: str, key: tuple[int, ...], org_codes: tuple[str, ...]) -> list[str]:
    """The named towns among the stations of some orgs (all when empty)."""
    return map_queries.station_towns(org_codes, url)


def map_towns(org: str) -> list[str]:
    """The town choices for the chosen org (all towns when none), cached per data version."""
    return cached_towns(database_url(), _key(), _org_codes(org))


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_reported(url: str, version: int, org: str, lang: str) -> tuple[str, ...] | None:
    """The station totals the figures report for the orgs on the map that hold stations (None
    when too many to list), per data version, org ("" = all) and language."""
    tree = cached_choices(url, map_key(url, version))
    scope = set(tree.tree.subtree(org)) if org else set()
    holding = sorted(c for c in tree.holding if not scope or c in scope)
    if len(holding) > REPORTED_MAX_ORGS:
        return None
    meta = cache._named(url, version, "indicators", None)
    codes = meta.filter(
        (pl.col("category") == "positions")
        & (pl.col("kind") == "stock")
        & pl.col("unit_en").is_in(list(STATION_UNITS))
    ).get_column("code")
    if codes.is_empty():
        return ()
    found = cache._observations(url, version, tuple(holding), tuple(codes), None)
    return tuple(maps.reported_stations(found, lang))


def map_reported(org: str) -> list[str] | None:
    """The station totals the figures report for the orgs on the map that hold stations (None
    when too many to list), for the caption that sets them beside the named places plotted."""
    found = cached_reported(database_url(), data_version(), org, lang())
    return None if found is None else list(found)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_view(
    url: str, key: tuple[int, ...], filt: StationFilter, lang: str, basemap: str
) -> mv.MapView:
    """The filtered map per stations and orgs (``map_key``), filters, language and basemap: built
    once, shared by every session, never changed. A year filter that keeps every station (the
    slider's default: the latest opening year) counts as none, so the default map and the
    filter choices share one count."""
    choices = cached_choices(url, key)
    if choices.span and filt.as_of is not None and filt.as_of >= choices.span[1]:
        filt = replace(filt, as_of=None)
    return mv.view_of(cached_counts(url, key, filt), choices.tree, lang, basemap)


def map_view(
    types: list[str], org: str, towns: list[str], as_of: int | None, basemap: str
) -> mv.MapView:
    """The station map for the filters: only stations of the chosen org (and below), open by the
    end of ``as_of`` (and undated ones)."""
    filt = StationFilter(tuple(types), _org_codes(org), tuple(towns), as_of)
    return cached_view(database_url(), _key(), filt, lang(), basemap)
