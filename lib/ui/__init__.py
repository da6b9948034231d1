"""The only part of lib that imports streamlit. Its modules: lang (the UI language and its
strings), cache (the store's queries and figures cached per data version), widgets (pickers bound to
the URL, tables, legend), cards (KPI cards), sidebar (menu pages, shared sidebar, screen style),
tables, upload, present, session, login and navigation (the page registry). The names pages use are
re-exported here (``ui.t``, ``ui.org_picker`` …), next to the station map's caches."""

from __future__ import annotations

import time

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
from lib.ui.navigation import serve_pages_through_app
from lib.ui.sidebar import HOME_URL_PATH, make_pages, sidebar
from lib.ui.widgets import (
    bound_multiselect,
    bound_select,
    example_notice,
    legend,
    org_picker,
    orgs_picker,
    png_button,
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
    "observations",
    "org_lineage",
    "org_names",
    "org_picker",
    "orgs_picker",
    "png_button",
    "orgs",
    "show_frame",
    "sidebar",
    "sources",
    "sources_link",
    "t",
    "targets",
    "year_picker",
]

if serve_pages_through_app() and st.runtime.exists():
    # This very run is a page file served without app.py (first request after a restart): run
    # the request again, now through app.py's role-filtered navigation and shared sidebar.
    st.rerun()


# --- station map (lib/dash/maps.py): cached on plain values + data version, never on frames ----------


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
        while (parent := parents.get(code)) and seen < 10:
            code = parent
            out.add(code)
            seen += 1
    return tuple(sorted(out))


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
    return str(
        bound_select(
            t("map.basemap"),
            list(settings.BASEMAPS),
            key=key,
            param="basemap",
            default=default_basemap(),
            format_func=lambda b: t(f"map.basemap.{b}"),
            where=where,
        )
    )
