"""Cache wrappers around lib.store.queries and the dashboards' figure set, keyed on plain values
plus the store's data version (so a write in any process makes every session read fresh figures on
its next rerun); what a page reads of the store goes through here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.core.examples import example_hashes
from lib.core.figures import FigureSet
from lib.dash import views
from lib.ingest.seed import init_store
from lib.store import db, queries
from lib.ui.lang import lang


@st.cache_resource(show_spinner=False)
def boot(url: str) -> bool:
    """Build or upgrade the store once per process (migrations, seed on an empty store)."""
    init_store(url)
    return True


def database_url() -> str:
    """The store's URL for this process."""
    return db.database_url()


# url -> the newest data version this server's warmer has warmed (lib.ui.warm): a new visitor
# keeps reading the version before it (its caches full) until the warmer has filled the new one.
_SERVED: dict[str, int] = {}
WROTE_KEY = "kpi_wrote_version"  # session state: the data version this session's own write made


def serve(url: str, version: int) -> None:
    """Let new visitors read a data version (the warmer calls it once that version is warm)."""
    _SERVED[url] = max(version, _SERVED.get(url, 0))


def stop_serving(url: str) -> None:
    """Forget the served version of a store: every run reads the store's newest version again."""
    _SERVED.pop(url, None)


def wrote(version: int) -> None:
    """Note that this session's write made a data version: it reads that version at once, before
    the warmer has filled its caches for everyone else."""
    st.session_state[WROTE_KEY] = version


def _visible(url: str, stored: int) -> int:
    """The data version a run reads: the store's, unless this server's warmer is still filling
    it (then the last warm one), except for the session whose own write made it."""
    served = _SERVED.get(url)
    if served is None or served >= stored:
        return stored
    own = st.session_state.get(WROTE_KEY, 0) if get_script_run_ctx() is not None else 0
    return stored if own >= stored else served


def data_version() -> int:
    """The data version a script run reads, looked up once per run (one tiny query; a page asks
    for it from every cache wrapper): the run is told apart by streamlit's per-run cursors. In a
    server whose warmer runs, a new version becomes visible once it is warm (``_visible``)."""
    ctx = get_script_run_ctx()
    run = ctx.cursors if ctx is not None else None
    memo = getattr(ctx, "kpi_data_version", None)
    if memo is not None and memo[0] is run:
        return int(memo[1])
    url = database_url()
    with db.session_scope(url) as session:
        version = _visible(url, db.data_version(session))
    if ctx is not None:
        ctx.kpi_data_version = (run, version)  # type: ignore[attr-defined]
    return version


@st.cache_data(show_spinner=False, max_entries=256)
def _observations(
    url: str,
    version: int,
    org_codes: tuple[str, ...] | None,
    indicator_codes: tuple[str, ...] | None,
    years: tuple[int, ...] | None,
) -> pl.DataFrame:
    """Cached current observations (keyed on plain values and the data version)."""
    return queries.observations(org_codes, indicator_codes, years, url=url)


def observations(
    org_codes: tuple[str, ...] | None = None,
    indicator_codes: tuple[str, ...] | None = None,
    years: tuple[int, ...] | None = None,
) -> pl.DataFrame:
    """Current observations, cached until the data version changes."""
    return _observations(database_url(), data_version(), org_codes, indicator_codes, years)


@st.cache_data(show_spinner=False, max_entries=64)
def _named(url: str, version: int, name: str, org_codes: tuple[str, ...] | None) -> pl.DataFrame:
    """Cached result of a named query taking only an optional org filter."""
    fn = getattr(queries, name)
    return fn(org_codes=org_codes, url=url) if org_codes is not None else fn(url=url)


def targets(org_codes: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Current targets, cached until the data version changes."""
    return _named(database_url(), data_version(), "targets", org_codes)


def orgs() -> pl.DataFrame:
    """All orgs, cached until the data version changes."""
    return _named(database_url(), data_version(), "orgs", None)


def indicators() -> pl.DataFrame:
    """The indicator catalogue, cached until the data version changes."""
    return _named(database_url(), data_version(), "indicators", None)


def sources() -> pl.DataFrame:
    """Sources with their counts, cached until the data version changes."""
    return _named(database_url(), data_version(), "sources", None)


def batches() -> pl.DataFrame:
    """Import batches, cached until the data version changes."""
    return _named(database_url(), data_version(), "batches", None)


def example_batches_in(org_codes: tuple[str, ...] | None) -> list[int]:
    """The committed batches uploaded from data/examples/ whose figures are among the current
    figures of these orgs (None: all), oldest first."""
    return list(_example_batches_in(database_url(), data_version(), org_codes))


@st.cache_resource(show_spinner=False, max_entries=64)
def _example_batches_in(url: str, version: int, org_codes: tuple[str, ...] | None) -> tuple:
    """example_batches_in per data version, shared (two frames unpickled and filtered per run
    otherwise: a few per cent of a view's server CPU under load, issue 16)."""
    frame = _named(url, version, "batches", None)
    hashes = sorted(example_hashes())
    ids = frame.filter(pl.col("sha256").is_in(hashes) & (pl.col("status") == "committed"))
    example_ids = set(ids.get_column("batch_id").to_list())
    if not example_ids:
        return ()
    shown = _observations(url, version, org_codes, None, None)
    shown_ids = shown.get_column("batch_id").drop_nulls().unique().to_list()
    return tuple(sorted(example_ids.intersection(shown_ids)))


@st.cache_data(show_spinner=False, max_entries=16)
def _has_synthetic(url: str, version: int) -> bool:
    """Cached: whether the store holds synthetic data (keyed on the data version)."""
    return queries.has_synthetic(url)


def has_synthetic() -> bool:
    """Whether the store holds synthetic (demo/benchmark) data, cached per data version."""
    return _has_synthetic(database_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=32)
def _figures(url: str, version: int, org_codes: tuple[str, ...] | None) -> FigureSet:
    """The figure set (lib.core.figures) of some orgs, cached per orgs and data version; shared,
    not copied, by every session (nothing writes into it)."""
    return views.figures(queries.observations(org_codes=org_codes, url=url))


def figures(org_codes: tuple[str, ...] | None = None) -> FigureSet:
    """Current figures (of some orgs, or all) as lib.dash.views.figures builds them, cached until the
    data changes; pages ask only for the orgs on screen so a national store stays quick."""
    return _figures(database_url(), data_version(), org_codes)


@st.cache_resource(show_spinner=False, max_entries=4)
def _indicator_meta(url: str, version: int) -> MappingProxyType:
    """Display facts of every indicator per data version, read-only and shared."""
    return MappingProxyType(views.indicator_meta(_named(url, version, "indicators", None)))


def indicator_meta() -> Mapping:
    """Display facts of every indicator (cached until data changes)."""
    return _indicator_meta(database_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=8)
def _org_names(url: str, version: int, lang: str) -> MappingProxyType:
    """Org code -> display name per data version and language, read-only and shared (a national
    store has 3,000 orgs: building or copying the mapping on each rerun would grow with the data)."""
    col = "name_en" if lang == "en" else "name_zh"
    frame = _named(url, version, "orgs", None)
    return MappingProxyType(dict(frame.select("code", col).iter_rows()))


def org_names() -> Mapping[str, str]:
    """Org code -> display name in the current language."""
    return _org_names(database_url(), data_version(), lang())


@st.cache_resource(show_spinner=False, max_entries=8)
def _org_children(url: str, version: int) -> MappingProxyType:
    """Per parent org code ("" = the top: no parent, or one not in the store) its child org codes
    in the store's order, per data version, read-only and shared."""
    frame = _named(url, version, "orgs", None)
    codes = set(frame.get_column("code").to_list())
    kids: dict[str, list[str]] = {}
    for code, parent in frame.select("code", "parent_code").iter_rows():
        kids.setdefault(parent if parent in codes else "", []).append(code)
    return MappingProxyType({k: tuple(v) for k, v in kids.items()})


def org_children() -> Mapping[str, tuple[str, ...]]:
    """Per parent org code ("" = the top) its child org codes, cached until the data changes."""
    return _org_children(database_url(), data_version())
