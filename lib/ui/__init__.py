"""The only part of lib that imports streamlit. Its modules: lang (the UI language and its
strings), cache (the store's queries and figures cached per data version), widgets (pickers bound to
the URL, tables, legend), cards (KPI cards), sidebar (menu pages, shared sidebar, screen style),
tables, upload, present, session, login and navigation (the page registry). The names pages use are
re-exported here (``ui.t``, ``ui.org_picker`` …), next to the station map's caches."""

from __future__ import annotations

import time

import polars as pl
import streamlit as st

from lib.core import settings
from lib.dash import maps
from lib.ui.cache import (
    _named,
    batches,
    boot,
    data_version,
    database_url,
    example_batches_in,
    figures,
    indicator_meta,
    indicators,
    observations,
    org_names,
    orgs,
    sources,
    targets,
)
from lib.ui.cards import dashboard_css, headline_card, kpi_card
from lib.ui.lang import lang, lang_key, literal, t
from lib.ui.navigation import leave_pages_directory_mode
from lib.ui.sidebar import HOME_URL_PATH, make_pages, sidebar
from lib.ui.widgets import (
    bound_multiselect,
    bound_select,
    example_notice,
    legend,
    org_picker,
    show_frame,
    sources_link,
    year_picker,
)

__all__ = [
    "HOME_URL_PATH",
    "basemap_picker",
    "batches",
    "boot",
    "bound_multiselect",
    "bound_select",
    "dashboard_css",
    "data_version",
    "database_url",
    "example_batches_in",
    "example_notice",
    "figures",
    "headline_card",
    "indicator_meta",
    "indicators",
    "kpi_card",
    "lang",
    "lang_key",
    "legend",
    "literal",
    "make_pages",
    "map_choices",
    "map_reported",
    "map_towns",
    "map_view",
    "observations",
    "org_lineage",
    "org_names",
    "org_picker",
    "orgs",
    "show_frame",
    "sidebar",
    "sources",
    "sources_link",
    "t",
    "targets",
    "year_picker",
]

if leave_pages_directory_mode() and st.runtime.exists():
    # This very run is a page file served without app.py (first request after a restart): run
    # the request again, now through app.py's role-filtered navigation and shared sidebar.
    st.rerun()


# --- station map (lib/dash/maps.py): cached on plain values + data version, never on frames ----------


@st.cache_resource(show_spinner=False, max_entries=2)
def _map_stations(url: str, version: int) -> pl.DataFrame:
    """All current stations, shared (not copied) by the map's caches below, per data version.
    The map's caches are resources too: frames and lists nobody changes, so a rerun copies none
    of them (the grid of 150,000 stations is ~1 MB)."""
    return _named(url, version, "stations", None)


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_choices(url: str, version: int) -> tuple[list[str], list[str], tuple[int, int] | None]:
    """The map's filter choices: station types, org codes and opened-year span."""
    frame = _map_stations(url, version)
    return maps.present_types(frame), maps.present_orgs(frame), maps.opened_span(frame)


def map_choices() -> tuple[list[str], list[str], tuple[int, int] | None]:
    """The station map's filter choices (types, orgs, opened span), cached per data version."""
    return _map_choices(database_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_towns(url: str, version: int, orgs: tuple[str, ...]) -> list[str]:
    """The named towns among the stations of the given orgs (all when empty)."""
    return maps.present_towns(_map_stations(url, version), orgs)


def map_towns(orgs: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The station map's town choices for the chosen orgs, cached per data version."""
    return _map_towns(database_url(), data_version(), tuple(orgs))


def org_lineage(
    codes: set[str], url: str | None = None, version: int | None = None
) -> tuple[str, ...]:
    """The org codes and all their parents (a street's stations lie in its district)."""
    url = url or database_url()
    version = data_version() if version is None else version
    frame = _named(url, version, "orgs", None)
    parents = dict(frame.select("code", "parent_code").iter_rows())
    out = set(codes)
    for code in codes:
        seen = 0
        while (code := parents.get(code)) and seen < 10:
            out.add(code)
            seen += 1
    return tuple(sorted(out))


REPORTED_MAX_ORGS = 12  # above this many orgs the map caption does not list reported totals


def map_reported(orgs: list[str] | tuple[str, ...]) -> list[str] | None:
    """The station totals the figures report for the orgs on the map (None when too many orgs
    to list), for the caption that sets them beside the named places plotted."""
    chosen = tuple(orgs) or tuple(map_choices()[1])
    if len(chosen) > REPORTED_MAX_ORGS:
        return None
    meta = indicators()
    codes = meta.filter(
        (pl.col("category") == "positions")
        & (pl.col("kind") == "stock")
        & pl.col("unit_en").is_in(list(maps.STATION_UNITS))
    ).get_column("code")
    if codes.is_empty():
        return []
    return maps.reported_stations(observations(tuple(sorted(chosen)), tuple(codes)), lang())


_PROBE: dict[str, tuple[float, bool]] = {}  # "carto": (monotonic time checked, reachable)


PROBE_SECONDS = 300.0


def _tiles_up() -> bool:
    """Whether the Carto tile host answers, checked at most every 5 minutes per server."""
    now = time.monotonic()
    seen = _PROBE.get("carto")
    if seen is None or now - seen[0] > PROBE_SECONDS:
        seen = (now, maps.tiles_reachable())
        _PROBE["carto"] = seen
    return seen[1]


def default_basemap() -> str:
    """The basemap to open with: the configured one, else Carto when its tiles can be reached,
    else the offline layer (a government intranet has no internet)."""
    if settings.basemap_configured():
        return settings.basemap()
    return settings.DEFAULT_BASEMAP if _tiles_up() else "none"


def basemap_picker(key: str, where=None) -> str:  # noqa: ANN001
    """A basemap select box (offline always offered), opening on ``default_basemap``."""
    return bound_select(
        t("map.basemap"),
        list(settings.BASEMAPS),
        key=key,
        param="basemap",
        default=default_basemap(),
        format_func=lambda b: t(f"map.basemap.{b}"),
        where=where,
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def _map_view(
    url: str,
    version: int,
    types: tuple[str, ...],
    orgs: tuple[str, ...],
    towns: tuple[str, ...],
    as_of: int | None,
    lang: str,
    basemap: str,
) -> tuple[object, pl.DataFrame, int, bool, int]:
    """The filtered map: its deck (built and serialised once, shared by reruns, never changed),
    counts per type, how many stations match, whether the deck shows grid cells, and how many
    of them have no opening year."""
    shown = maps.filter_stations(_map_stations(url, version), types, orgs, towns, as_of)
    points = maps.station_points(shown, lang, basemap)
    deck = maps.build_deck(
        points, basemap, lang, org_lineage(set(shown["org_code"].to_list()), url, version)
    )
    counts = maps.type_counts(shown, lang)
    return deck, counts, shown.height, maps.is_aggregated(points), maps.undated_count(shown)


def map_view(
    types: list[str] | tuple[str, ...],
    orgs: list[str] | tuple[str, ...],
    towns: list[str] | tuple[str, ...],
    as_of: int | None,
    basemap: str,
) -> tuple[object, pl.DataFrame, int, bool, int]:
    """The station map for the filters (deck, counts per type, total, aggregated?, undated),
    only stations open by the end of ``as_of`` (and undated ones); cached per (data version,
    filters, language, basemap)."""
    key = (tuple(types), tuple(orgs), tuple(towns), as_of)
    return _map_view(database_url(), data_version(), *key, lang(), basemap)
