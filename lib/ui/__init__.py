"""The only part of lib that imports streamlit: shared widgets, language and URL state, and cache
wrappers around lib.store.queries keyed on plain values plus the store's data version (so a write in any
process makes every session read fresh figures on its next rerun)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from types import MappingProxyType

import polars as pl
import streamlit as st

from lib.core import i18n, settings
from lib.core.escape import md_literal
from lib.core.figures import FigureSet
from lib.store import db, queries
from lib.ui.navigation import PageSpec, leave_pages_directory_mode

if leave_pages_directory_mode() and st.runtime.exists():
    # This very run is a page file served without app.py (first request after a restart): run
    # the request again, now through app.py's role-filtered navigation and shared sidebar.
    st.rerun()


@st.cache_resource(show_spinner=False)
def boot(url: str) -> bool:
    """Build or upgrade the store once per process (migrations, seed on an empty store)."""
    from lib.ingest.seed import init_store

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


def literal(text: object) -> str:
    """Text from a file or a form, made literal for streamlit's markdown (captions, help
    tooltips, headings, alerts): no link, image, HTML or directive from data ever renders."""
    return md_literal(text)


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


HOME_URL_PATH = "home"  # what the default page reserves; it is served at the app's root


def make_page(spec: PageSpec, default: bool = False, hidden: bool = False) -> st.Page:
    """A st.Page from a page spec, titled in the current language (hidden: left out of the menu
    but still served at its URL)."""
    url_path = HOME_URL_PATH if default else spec.url_path
    return st.Page(
        str(settings.ROOT / spec.path),  # absolute: the page is found wherever the main script is
        title=t(spec.title_key),
        icon=spec.icon,
        url_path=url_path,
        default=default,
        visibility="hidden" if hidden else "visible",
    )


def make_pages(specs: list[PageSpec], hidden: frozenset[str] = frozenset()) -> list[st.Page]:
    """The pages, the first one the default (served at the root), those whose url_path is in
    hidden left out of the menu, plus a hidden page at the default's own URL (/overview) that goes
    to the root with the same query string, so a typed or bookmarked /overview?org=… opens the
    overview instead of "page not found"."""
    if not specs:
        return []
    home = make_page(specs[0], default=True, hidden=specs[0].url_path in hidden)

    def to_home() -> None:
        """Go to the default page, keeping every query parameter (repeated ones too)."""
        params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
        st.switch_page(home, query_params=params)

    alias = st.Page(to_home, title=home.title, url_path=specs[0].url_path, visibility="hidden")
    rest = [make_page(spec, hidden=spec.url_path in hidden) for spec in specs[1:]]
    return [home, *rest, alias]


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


def example_batches_in(org_codes: tuple[str, ...] | None) -> list[int]:
    """The committed batches uploaded from data/examples/ whose figures are among the current
    figures of these orgs (None: all), oldest first."""
    from lib.core.examples import example_hashes

    frame = batches()
    hashes = sorted(example_hashes())
    ids = frame.filter(pl.col("sha256").is_in(hashes) & (pl.col("status") == "committed"))
    example_ids = set(ids.get_column("batch_id").to_list())
    if not example_ids:
        return []
    shown = observations(org_codes).get_column("batch_id").drop_nulls().unique().to_list()
    return sorted(example_ids.intersection(shown))


def example_notice(org_codes: tuple[str, ...] | None) -> None:
    """A warning above a dashboard whose figures include a batch uploaded from data/examples/."""
    found = example_batches_in(org_codes)
    if found:
        batches_text = "、".join(str(b) for b in found)
        st.warning(t("example.notice", batches=batches_text), icon=":material/science:")


@st.cache_data(show_spinner=False, max_entries=16)
def _has_synthetic(url: str, version: int) -> bool:
    """Cached: whether the store holds synthetic data (keyed on the data version)."""
    return queries.has_synthetic(url)


def synthetic_banner() -> None:
    """A warning on every page while the store holds synthetic (demo/benchmark) data."""
    if _has_synthetic(database_url(), data_version()):
        st.warning(t("common.synthetic_banner"), icon=":material/science:")


def sidebar() -> None:
    """The shared sidebar: title, language switch, and a synthetic-data banner when relevant;
    also the screen-wide style and, on a phone, closing the sidebar after a page change."""
    screen_css()
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        st.caption(t("app.subtitle"))
    language_switch()
    synthetic_banner()
    close_sidebar_after_navigation()


PHONE_MAX_PX = 640  # at or below this width the layout is the phone's
_SCREEN_CSS = f"""
<style>
/* No empty band above the page title: streamlit's 6rem top padding, minus the header's height. */
[data-testid="stMainBlockContainer"] {{ padding-top: 2.5rem !important; }}
@media (max-width: {PHONE_MAX_PX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 3rem !important; }}
  /* The plotly toolbar would sit over the chart's title: a phone gets none. */
  .js-plotly-plot .modebar-container {{ display: none !important; }}
}}
</style>
"""


def screen_css() -> None:
    """The screen-wide style (a fixed block, no data in it): no empty band above titles, no
    chart toolbar over titles on a phone."""
    st.html(_SCREEN_CSS)


_LAST_PAGE_KEY = "ui_last_page"
_CLOSE_SIDEBAR_JS = """
<script>
// run {nonce}: on a phone, a page change closes the sidebar that chose it (a fixed script, no data);
// for a second, as the sidebar may open again while the new page is drawn
const doc = window.parent.document;
let tries = 0;
const timer = setInterval(() => {{
  tries += 1;
  const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (button) {{
    // decided once, by the window's width when the new page shows: a later resize keeps the sidebar
    if (window.parent.innerWidth <= {max_px}) button.click();
    clearInterval(timer);
  }}
  if (tries >= 10) clearInterval(timer);
}}, 100);
</script>
"""


def close_sidebar_after_navigation() -> None:
    """After the page changed (not on the first page, nor on a rerun of the same page), close the
    sidebar when the window is a phone's, where it covers the page it just opened."""
    from streamlit.components.v1 import html as component_html
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    page = ""
    if ctx is not None:
        # The page's file too, not only its hash: signing in swaps the sign-in page at the root
        # for the overview at the root, the same hash.
        info = ctx.pages_manager.get_pages().get(ctx.page_script_hash) or {}
        page = f"{ctx.page_script_hash}:{info.get('script_path', '')}"
    last = st.session_state.get(_LAST_PAGE_KEY)
    st.session_state[_LAST_PAGE_KEY] = page
    if last is None or last == page:
        return
    runs = st.session_state.get(f"{_LAST_PAGE_KEY}_n", 0) + 1
    st.session_state[f"{_LAST_PAGE_KEY}_n"] = runs
    with st.sidebar:
        component_html(_CLOSE_SIDEBAR_JS.format(nonce=runs, max_px=PHONE_MAX_PX), height=0)


def show_frame(df: pl.DataFrame, key: str, **kwargs: object) -> None:
    """Show a frame as a table (no index, full width)."""
    st.dataframe(df, hide_index=True, width="stretch", key=key, **kwargs)


# --- dashboards: pickers bound to the URL, cached figures, KPI cards ------------------------------
# Org, year, category and selected indicators live in st.query_params under short shared names
# (org, year, cat, ind, orgs …); each widget keeps a page-prefixed key. Copying the URL reproduces
# the view; a value the URL names that is no longer an option falls back to the default.


def _url_value(param: str, options: list) -> object | None:
    """The option whose text equals the URL's value of a parameter (None if none does)."""
    raw = st.query_params.get(param)
    if raw is None:
        return None
    return next((o for o in options if str(o) == raw), None)


def lang_key(key: str) -> str:
    """A widget key for the current language: the key itself in Chinese, key_en in English."""
    current = lang()
    return key if current == i18n.DEFAULT_LANG else f"{key}_{current}"


def bound_select(
    label: str,
    options: list,
    *,
    key: str,
    param: str,
    default: object,
    format_func=str,  # noqa: ANN001
    where=None,  # noqa: ANN001
    **kwargs: object,
) -> object:
    """A selectbox whose value is initialised from and written to ?param= in the URL.

    The starting choice goes to the widget as its ``index``, never written into session state:
    a value set through session state reaches the browser only with the run that set it, and when
    a quick second run superseded that one, the browser kept option 0 and sent it back with the
    next change of any other widget (the presenter's org jumped to the first org)."""
    options = list(options)
    fallback = default if default in options else (options[0] if options else None)
    # One widget per language: a selectbox keeps showing the label it had when its options'
    # labels change under the same key, so a language switch would leave Chinese in the box.
    key = lang_key(key)
    kwargs.setdefault("placeholder", t("common.choose"))
    if key not in st.session_state:
        from_url = _url_value(param, options)
        current = from_url if from_url is not None else fallback
        index = options.index(current) if current in options else None
    elif st.session_state[key] in options:
        index = options.index(st.session_state[key])
    else:
        # A stale value, or an option's label from the other language (the browser sends labels
        # back): put the fallback in its place, which goes to the browser with this run.
        st.session_state[key] = fallback
        index = None
    host = where if where is not None else st
    choice = host.selectbox(label, options, index=index, key=key, format_func=format_func, **kwargs)
    if choice is not None:
        st.query_params[param] = str(choice)
    return choice


def bound_multiselect(
    label: str,
    options: list,
    *,
    key: str,
    param: str,
    default: list | None = None,
    format_func=str,  # noqa: ANN001
    where=None,  # noqa: ANN001
    **kwargs: object,
) -> list:
    """A multiselect whose values are initialised from and written to repeated ?param= values."""
    options = list(options)
    if key not in st.session_state:
        raw = st.query_params.get_all(param)
        picked = [o for o in options if str(o) in raw] if raw else list(default or [])
        limit = kwargs.get("max_selections")
        picked = [o for o in picked if o in options]
        st.session_state[key] = picked[: int(limit)] if isinstance(limit, int) else picked
    else:
        st.session_state[key] = [o for o in st.session_state[key] if o in options]
    host = where if where is not None else st
    chosen = host.multiselect(label, options, key=key, format_func=format_func, **kwargs)
    if chosen:
        st.query_params[param] = [str(c) for c in chosen]
    elif param in st.query_params:
        del st.query_params[param]
    return list(chosen)


@st.cache_resource(show_spinner=False, max_entries=32)
def _figures(url: str, version: int, org_codes: tuple[str, ...] | None) -> FigureSet:
    """The figure set (lib.core.figures) of some orgs, cached per orgs and data version; shared,
    not copied, by every session (nothing writes into it)."""
    from lib.dash import views

    return views.figures(queries.observations(org_codes=org_codes, url=url))


def figures(org_codes: tuple[str, ...] | None = None) -> FigureSet:
    """Current figures (of some orgs, or all) as lib.dash.views.figures builds them, cached until the
    data changes; pages ask only for the orgs on screen so a national store stays quick."""
    return _figures(database_url(), data_version(), org_codes)


@st.cache_resource(show_spinner=False, max_entries=4)
def _indicator_meta(url: str, version: int) -> MappingProxyType:
    """Display facts of every indicator per data version, read-only and shared."""
    from lib.dash import views

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


def org_picker(key: str, where=None, param: str = "org") -> str:  # noqa: ANN001
    """The org selectbox (default daxing, else the first org), bound to ?org=."""
    names = org_names()
    codes = list(names)
    default = "daxing" if "daxing" in names else (codes[0] if codes else None)
    return bound_select(
        t("dash.org"),
        codes,
        key=key,
        param=param,
        default=default,
        format_func=lambda c: names.get(c, c),
        where=where,
    )  # type: ignore[return-value]


def year_picker(key: str, years: list[int], default: int | None, where=None) -> int | None:  # noqa: ANN001
    """The year selectbox (newest first, default the latest year with data), bound to ?year=."""
    options = sorted(years, reverse=True)
    if not options:
        return None
    return bound_select(  # type: ignore[return-value]
        t("dash.year"), options, key=key, param="year", default=default, where=where
    )


_TONE_TO_COLOR = {"good": "green", "bad": "red", "flat": "gray", "none": "gray"}


def svg_image(svg: str) -> str:
    """An <img> showing an SVG built from numbers only: st.html's sanitiser drops inline SVG but
    keeps an image, and st.image would put a fullscreen button on every card."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img alt="" src="data:image/svg+xml;base64,{data}" style="display:block;width:100%">'


def kpi_card(card, key: str, show_period: bool = True, show_note: bool = True) -> None:  # noqa: ANN001
    """One KPI card: value in Chinese form, 同比 coloured by direction (or "—" and why), the
    statistical period when not a full year, a sparkline that breaks on missing years, and the
    source on hover of the "?". The period and the reason for a missing 同比 can be left out
    where the section heading or one line above the cards already says them. Cards in a row are
    of equal height."""
    from lib.dash import charts

    with st.container(border=True, height="stretch", key=key):
        comparable = card.change != "—"
        arrow = "off"
        if comparable:
            arrow = "down" if card.change.lstrip("≥≤≈").startswith("-") else "up"
        show_delta = comparable or show_note
        st.metric(
            literal(card.name),
            card.value_text,
            delta=card.change if show_delta else None,
            delta_color=_TONE_TO_COLOR.get(card.tone, "gray"),  # type: ignore[arg-type]
            delta_arrow=arrow,  # type: ignore[arg-type]
            delta_description=(
                t("overview.yoy") if comparable and not card.note else literal(card.note)
            )
            if show_delta
            else None,
            help=card.source_help or None,  # markdown built by views.source_help, data escaped
        )
        if card.period and show_period:
            st.caption(literal(card.period))
        if any(v is not None for v in card.spark_values):
            # An SVG built from numbers only (lib.dash.charts.sparkline_svg), shown as an image:
            # dozens of cards stay light, where one plotly chart per card was slow to draw.
            st.html(svg_image(charts.sparkline_svg(card.spark_years, card.spark_values)))


def headline_card(item, caption: str, key: str) -> None:  # noqa: ANN001
    """One headline figure (lib.dash.overview.Headline): value, its period, and its comparison:
    同比 with an arrow, the latest target's 完成率 with the target and status, or nothing."""
    from lib.dash import charts

    card = item.card
    with st.container(border=True, height="stretch", key=key):
        arrow = "off"
        if item.kind == "yoy":
            arrow = "down" if item.delta.lstrip("≥≤≈").startswith("-") else "up"
        description = {"yoy": t("overview.yoy"), "target": item.detail, "absent": item.detail}.get(
            item.kind
        )
        if item.kind == "yoy" and card.note:
            description = card.note
        st.metric(
            literal(card.name),
            card.value_text,
            delta=item.delta or None,
            delta_color=_TONE_TO_COLOR.get(item.tone, "gray"),  # type: ignore[arg-type]
            delta_arrow=arrow,  # type: ignore[arg-type]
            delta_description=literal(description) if item.delta and description else None,
            help=card.source_help or None,  # markdown built by views.source_help, data escaped
        )
        st.caption(literal(caption))
        if any(v is not None for v in card.spark_values):
            st.html(svg_image(charts.sparkline_svg(card.spark_years, card.spark_values)))


def legend(counts: pl.DataFrame) -> None:
    """A colour legend with counts from a frame of name, #rrggbb colour and count; names escaped."""
    import html

    items = counts.select("name", "color", "count").iter_rows()

    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:.5rem;margin:.15rem 0">'
        f'<span style="width:.9rem;height:.9rem;border-radius:50%;background:{html.escape(color)};'
        f'display:inline-block;flex:none"></span><span>{html.escape(name)}</span>'
        f'<span style="margin-left:auto;font-weight:600">{int(count)}</span></div>'
        for name, color, count in items
    )
    st.html(rows)


_DASHBOARD_CSS = """
<style>
[data-testid="stMetric"] .stMarkdownEllipsis,
[data-testid="stMetric"] .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p {
  font-size: clamp(1.1rem, 1.55vw, 1.45rem); line-height: 1.3; height: auto;
  white-space: nowrap !important; word-break: keep-all;  /* 46.9万余人次 never splits from 次 */
}
[data-testid="stMetricDeltaDescription"] { min-width: 0; flex: 1 1 auto; }
@media (max-width: 640px) {
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] div, [data-testid="stMetricValue"] p {
    font-size: 1.6rem;
  }
}
</style>
"""


def dashboard_css() -> None:
    """Let KPI card values and labels wrap instead of being cut off (a fixed style block)."""
    st.html(_DASHBOARD_CSS)


def completion_column() -> dict:
    """Column config showing 完成率 % as a progress bar (0–150 %)."""
    return {
        t("col.completion"): st.column_config.ProgressColumn(
            t("col.completion"), min_value=0, max_value=150, format="%.1f%%"
        )
    }


def sources_link(params: dict[str, str]) -> None:
    """A link to the sources page carrying the view's parameters (and the language)."""
    if lang() == "en":
        params = {**params, "lang": "en"}
    label = f"{t('dash.sources_link')} →"
    try:
        st.page_link(
            "pages/sources.py", label=label, query_params=params, icon=":material/menu_book:"
        )
    except st.errors.StreamlitAPIException:
        # The page runs alone (tests, bare mode): no page registry, so a plain relative link.
        query = "&".join(f"{k}={v}" for k, v in params.items())
        st.markdown(f"[{label}](sources?{query})")


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
    from lib.dash import maps

    frame = _map_stations(url, version)
    return maps.present_types(frame), maps.present_orgs(frame), maps.opened_span(frame)


def map_choices() -> tuple[list[str], list[str], tuple[int, int] | None]:
    """The station map's filter choices (types, orgs, opened span), cached per data version."""
    return _map_choices(database_url(), data_version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_towns(url: str, version: int, orgs: tuple[str, ...]) -> list[str]:
    """The named towns among the stations of the given orgs (all when empty)."""
    from lib.dash import maps

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
    from lib.dash import maps

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
    import time

    from lib.dash import maps

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
    from lib.dash import maps

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
