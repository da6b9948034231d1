"""Caches warmed before anyone asks: a background thread of the app server (started by serve.py)
watches the store's data version and, at the start and after every change (an upload or an undo
in any process), imports what the dashboards import and fills the shared caches a first visit of
the overview, targets, sources and map pages needs (the default org's figures and targets, every
source, the map's counts and deck), so the first visitor after a start or an upload finds them as
a later one does. The caches are the pages' own (streamlit's cache_resource, keyed on plain values and the data version): a visitor
who arrives while they are being filled waits for that computation instead of repeating it."""

from __future__ import annotations

import importlib
import logging
import threading
import time

import streamlit as st

from lib import ui
from lib.store import db
from lib.store.map_queries import StationFilter
from lib.ui import cache, map_filter

POLL_SECONDS = 2.0
# What the dashboards import on their first run in a process (plotly, pandas for styled tables,
# pydeck, the view models): a second or more on a loaded machine that no visitor should wait for.
PAGE_MODULES = (
    "lib.dash.charts",
    "lib.dash.views",
    "lib.dash.overview",
    "lib.dash.map_view",
    "lib.ui.tables",
    "lib.ui.chart_cache",
    "lib.ui.present",
    "pandas",
    "plotly.io",
    "pydeck",
)
HOME_ORG = "daxing"  # the overview's default org (lib.ui.org_picker)
log = logging.getLogger(__name__)


def current_version(url: str) -> int:
    """The store's data version, read outside any script run."""
    with db.session_scope(url) as session:
        return db.data_version(session)


def default_map_filter(url: str, version: int) -> StationFilter:
    """The filter a first visit of the map opens with: every station open by the end of the
    latest opening year (the year slider's default), or every station when there is no span."""
    span = map_filter.cached_choices(url, version).span
    return StationFilter(as_of=span[1] if span and span[0] < span[1] else None)


def warm(url: str, version: int) -> None:
    """Fill the caches of a first visit of the overview (the landing page: in Chinese, the
    default org) first, then the map's (default filters and basemap), then import what the other
    dashboards import, then the sources page's caches, for one data version. In one process with
    the pages, so what it does competes with a visitor's run: the landing page comes first."""
    ui.boot(url)
    # lib.ui's own cached functions, called with this version as the pages call them
    names = cache._org_names(url, version, "zh")
    cache._indicator_meta(url, version)
    cache._has_synthetic(url, version)
    cache._named(url, version, "batches", None)
    org = (HOME_ORG,) if HOME_ORG in names else tuple(names)[:1]
    if org:
        cache._figures(url, version, org)
        cache._named(url, version, "targets", org)
    filt = default_map_filter(url, version)
    map_filter.cached_towns(url, version, ())
    map_filter.cached_view(url, version, filt, "zh", ui.default_basemap())
    for name in PAGE_MODULES:
        importlib.import_module(name)
    if org:
        cache._observations(url, version, org, None, None)  # the sources page's figures
    cache._named(url, version, "sources", None)  # every source's counts: the slowest, last


def watch(
    url: str, poll: float = POLL_SECONDS, rounds: int | None = None, server: bool = False
) -> None:
    """Warm the caches now and after every change of the data version (``rounds`` polls, or for
    ever); a failure is logged and tried again at the next change. In a ``server`` it waits for
    streamlit's runtime first, so that what it caches lands in the runtime's own cache storage."""
    seen: int | None = None
    done = 0
    while rounds is None or done < rounds:
        done += 1
        try:
            if server and not st.runtime.exists():
                continue
            version = current_version(url)
            if version != seen:
                started = time.perf_counter()
                warm(url, version)
                seen = version
                log.info(
                    "caches warm for data version %s (%.1f s)",
                    version,
                    time.perf_counter() - started,
                )
        except Exception:  # noqa: BLE001 - a background helper must never stop the server
            log.exception("warming the caches failed")
        finally:
            time.sleep(poll)


def start_watcher(url: str | None = None) -> threading.Thread:
    """Start the watcher of an app server in a daemon thread (it ends with the server)."""
    thread = threading.Thread(
        target=watch,
        args=(url or ui.database_url(),),
        kwargs={"server": True},
        name="kpi-warm",
        daemon=True,
    )
    thread.start()
    return thread
