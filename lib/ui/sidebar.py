"""The app's frame: the menu's pages, the shared sidebar (title, language switch, a banner while
the store holds synthetic data), the screen-wide style, and on a phone closing the sidebar after a
page change."""

from __future__ import annotations

import streamlit as st
from streamlit.components.v1 import html as component_html
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.core import i18n, settings
from lib.ui import chrome
from lib.ui.cache import has_synthetic
from lib.ui.lang import lang, t
from lib.ui.navigation import PageSpec


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


def synthetic_banner() -> None:
    """A warning on every page while the store holds synthetic (demo/benchmark) data."""
    if has_synthetic():
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
.st-key-{chrome.WORDS_KEY} {{ display: none !important; }} /* a script: nothing to show, no gap */
[data-testid="stMainBlockContainer"] {{ padding-top: 1.5rem !important; }}
@media (max-width: {PHONE_MAX_PX}px) {{
  /* a phone's header holds the button that opens the sidebar: the title starts below it */
  [data-testid="stMainBlockContainer"] {{ padding-top: 3rem !important; }}
  /* The plotly toolbar would sit over the chart's title: a phone gets none. */
  .js-plotly-plot .modebar-container {{ display: none !important; }}
}}
</style>
"""


def screen_css() -> None:
    """The screen-wide style (a fixed block, no data in it): no empty band above titles, no
    chart toolbar over titles on a phone, and Streamlit's own words in the UI language."""
    st.html(_SCREEN_CSS + chrome.style(lang()))  # style only: drawn out of the layout
    chrome.words(lang())


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
    ctx = get_script_run_ctx()
    page = ""
    if ctx is not None:
        # The page's file too, not only its hash: signing in swaps the sign-in page at the root
        # for the overview at the root, the same hash.
        info = ctx.pages_manager.get_pages().get(ctx.page_script_hash)
        page = f"{ctx.page_script_hash}:{info['script_path'] if info else ''}"
    last = st.session_state.get(_LAST_PAGE_KEY)
    st.session_state[_LAST_PAGE_KEY] = page
    if last is None or last == page:
        return
    runs = st.session_state.get(f"{_LAST_PAGE_KEY}_n", 0) + 1
    st.session_state[f"{_LAST_PAGE_KEY}_n"] = runs
    with st.sidebar:
        component_html(_CLOSE_SIDEBAR_JS.format(nonce=runs, max_px=PHONE_MAX_PX), height=0)
