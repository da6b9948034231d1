"""The only part of lib that imports streamlit: shared widgets, language and URL state, and cache
wrappers around lib.queries keyed on plain values plus the store's data version (so a write in any
process makes every session read fresh figures on its next rerun)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import db, i18n, queries
from lib.navigation import PageSpec


@st.cache_resource(show_spinner=False)
def boot(url: str) -> bool:
    """Build or upgrade the store once per process (migrations, seed on an empty store)."""
    from lib.seed import init_store

    init_store(url)
    return True


def database_url() -> str:
    """The store's URL for this process."""
    return db.database_url()


def data_version() -> int:
    """The store's current data version (read on every rerun: one tiny query)."""
    with db.session_scope(database_url()) as session:
        return db.data_version(session)


def lang() -> str:
    """The UI language from the URL (?lang=en), zh by default."""
    return i18n.norm_lang(st.query_params.get("lang"))


def t(key: str, **fmt: object) -> str:
    """A UI string in the current language."""
    return i18n.t(key, lang(), **fmt)


def language_switch() -> None:
    """The zh/en switch in the sidebar; the choice persists in the URL."""
    current = lang()
    choice = st.sidebar.segmented_control(
        i18n.t("sidebar.lang", current),
        options=list(i18n.LANGS),
        format_func=lambda code: "中文" if code == "zh" else "English",
        default=current,
        key="sidebar_lang",
    )
    if choice and choice != current:
        if choice == i18n.DEFAULT_LANG:
            del st.query_params["lang"]
        else:
            st.query_params["lang"] = choice
        st.rerun()


def make_page(spec: PageSpec) -> st.Page:
    """A st.Page from a page spec, titled in the current language."""
    return st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path)


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


def stations(org_codes: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Current stations, cached until the data version changes."""
    return _named(database_url(), data_version(), "stations", org_codes)


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


def sidebar() -> None:
    """The shared sidebar: title, language switch, and a synthetic-data banner when relevant."""
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.caption(t("app.subtitle"))
    language_switch()


def show_frame(df: pl.DataFrame, key: str, **kwargs: object) -> None:
    """Show a frame as a table (no index, full width)."""
    st.dataframe(df, hide_index=True, width="stretch", key=key, **kwargs)
