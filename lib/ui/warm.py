"""Caches warmed before anyone asks: a background thread of the app server (started by serve.py)
watches the store's data version and, at the start and after every change (an upload or an undo
in any process: polled every few seconds, at once after a write of this server), fills the shared
caches of every dashboard's default view (overview, YoY, targets, sources, map and presenter, the
default org, in Chinese and English) and only then serves the new version to new visitors
(lib.ui.cache.serve): until it is warm they read the version before it, whose caches are full, so
no visitor races the warmer; the session that wrote sees its write at once (lib.ui.cache.wrote).
The caches are the pages' own (streamlit's caches, keyed on plain values and the data version): a
visitor who asks for one while it is being filled waits for that computation instead of
repeating it.

In the app server (serve.py) the first warm is part of the server's start: ``lifespan`` runs after
streamlit's runtime has started and before uvicorn accepts a connection, and returns once the
watcher's first look has filled the caches of the store's version and imported every page's
modules (or failed, or lib.core.settings.warm_cap_seconds passed: 120 s by default): the server
answers nothing, its health check included, until it is warm, and a request made earlier waits
in the socket's backlog."""

from __future__ import annotations

import ast
import asyncio
import importlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from streamlit import env_util

from lib import ui
from lib.core.i18n import LANGS
from lib.core.settings import ROOT, warm_cap_seconds
from lib.store import db
from lib.store.map_queries import StationFilter
from lib.ui import cache, map_filter, navigation

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
    # What streamlit itself imports on a first run: the page icon and every st.Page's icon are
    # checked against its emoji and material icon sets (0.5 s or more to import the emojis).
    "streamlit.emojis",
    "streamlit.material_icon_names",
)
HOME_ORG = "daxing"  # the overview's default org (lib.ui.org_picker)
log = logging.getLogger(__name__)
_WAKE = threading.Event()  # set after a write of this server: the watcher looks at once


def current_version(url: str) -> int:
    """The store's data version, read outside any script run."""
    with db.session_scope(url) as session:
        return db.data_version(session)


def default_map_filter(url: str, version: int) -> StationFilter:
    """The filter a first visit of the map opens with: every station open by the end of the
    latest opening year (the year slider's default), or every station when there is no span."""
    span = map_filter.cached_choices(url, map_filter.map_key(url, version)).span
    return StationFilter(as_of=span[1] if span and span[0] < span[1] else None)


def _home_org(names: Mapping[str, str]) -> tuple[str, ...]:
    """The default org of the dashboards' org pickers, as a cache key (() for an empty store)."""
    return (HOME_ORG,) if HOME_ORG in names else tuple(names)[:1]


def _warm_org(url: str, version: int, org: tuple[str, ...]) -> None:
    """The default org's caches: figures and targets (overview, YoY, targets), its current
    observations (sources page, the example notice) and the presenter's years and live slides."""
    cache._figures(url, version, org)
    cache._named(url, version, "targets", org)
    cache._observations(url, version, org, None, None)
    present = importlib.import_module("lib.ui.present")  # plotly and more: not at server start
    years, default = present._years(url, version, org[0])
    if default is not None or years:
        present._live(url, version, org[0], default if default is not None else years[0])


def _warm_map(url: str, version: int) -> None:
    """The map's caches for its default filters and basemap, in both languages."""
    key = map_filter.map_key(url, version)  # unchanged stations and orgs: the map's caches hit
    filt = default_map_filter(url, version)
    map_filter.cached_towns(url, key, ())
    for lang in LANGS:
        view = map_filter.cached_view(url, key, filt, lang, ui.default_basemap())
        view.deck.to_json()  # serialised once (lib.dash.maps.FrozenDeck): not by the first visit
        map_filter.cached_reported(url, version, "", lang)


def _imports(script: Path) -> list[tuple[str, tuple[str, ...]]]:
    """The absolute imports at the top of a script: (module, names imported from it)."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            out += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append((node.module, tuple(alias.name for alias in node.names)))
    return out


def import_pages() -> None:
    """Import what app.py and every page script import, as their ``import`` lines would (a name
    that is no attribute of its module is a submodule), so no visitor's first run imports them."""
    for script in ("app.py", *(spec.path for spec in navigation.PAGES)):
        for module, names in _imports(ROOT / script):
            parent = importlib.import_module(module)
            for name in names:
                if not hasattr(parent, name):
                    importlib.import_module(f"{module}.{name}")


def warm(url: str, version: int) -> None:
    """Fill the caches of every dashboard's default view for one data version: the landing
    page's (the overview: the default org) first, then the map's, then import what the other
    dashboards and every page script import, then the sources page's every-source counts (the
    slowest, last)."""
    ui.boot(url)
    for lang in LANGS:
        names = cache._org_names(url, version, lang)
    cache._org_children(url, version)
    cache._indicator_meta(url, version)
    cache._has_synthetic(url, version)
    cache._named(url, version, "batches", None)
    org = _home_org(names)
    if org:
        _warm_org(url, version, org)
    _warm_map(url, version)
    for name in PAGE_MODULES:
        importlib.import_module(name)
    import_pages()
    # A process's first element asks whether it runs in a REPL: inspect maps every loaded module
    # to its file (0.3 s with the modules above); done here, the first visitor's run finds it done.
    env_util.is_repl()
    cache._named(url, version, "sources", None)


def after_write(version: int) -> None:
    """Called by a page of this server after its write made a data version: the writing session
    reads that version at once, and the watcher warms it now rather than at its next poll."""
    cache.wrote(version)
    _WAKE.set()


def _warm_and_serve(url: str, version: int, serve: bool) -> None:
    """Warm one data version, then (in a server) let new visitors read it, even when warming
    failed (they then fill the caches themselves rather than read old figures for ever)."""
    started = time.perf_counter()
    try:
        warm(url, version)
        log.info("caches warm for data version %s (%.1f s)", version, time.perf_counter() - started)
    finally:
        if serve:
            cache.serve(url, version)


def watch(
    url: str,
    poll: float = POLL_SECONDS,
    rounds: int | None = None,
    server: bool = False,
    serve: bool | None = None,
    looked: threading.Event | None = None,
) -> None:
    """Warm the caches now and after every change of the data version (``rounds`` looks, or for
    ever), then ``serve`` it (default: in a ``server``); a failure is logged and the version is
    tried again at the next change. ``looked`` is set after the first look (warm, failed or
    unchanged). In a ``server`` it waits for streamlit's runtime first, so that what it caches
    lands in the runtime's own cache storage."""
    seen: int | None = None
    done = 0
    while rounds is None or done < rounds:
        done += 1
        try:
            if server and not st.runtime.exists():
                continue
            version = current_version(url)
            if version != seen:
                seen = version
                _warm_and_serve(url, version, server if serve is None else serve)
        except Exception:  # noqa: BLE001 - a background helper must never stop the server
            log.exception("warming the caches failed")
        finally:
            if looked is not None and (not server or st.runtime.exists()):
                looked.set()
            _WAKE.wait(poll)
            _WAKE.clear()


def start_watcher(url: str | None = None, looked: threading.Event | None = None) -> None:
    """Start the watcher of an app server in a daemon thread (it ends with the server)."""
    threading.Thread(
        target=watch,
        args=(url or ui.database_url(),),
        kwargs={"server": True, "looked": looked},
        name="kpi-warm",
        daemon=True,
    ).start()


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """The app server's start (serve.py's ``App(lifespan=...)``, run once streamlit's runtime
    has started and before uvicorn accepts a connection): start the watcher and return once its
    first look has warmed and served the store's version, or failed (visitors then fill the
    caches themselves), or ``warm_cap_seconds()`` passed; nothing is answered before."""
    looked, cap = threading.Event(), warm_cap_seconds()
    started = time.perf_counter()
    start_watcher(looked=looked)
    if not await asyncio.to_thread(looked.wait, cap):
        log.warning("caches not warm after %s s: serving anyway", cap)
    log.info("app server ready after %.1f s of warming", time.perf_counter() - started)
    yield
