"""Presenter-mode widgets (演示模式): full-screen CSS, the settings panel (org, year, theme, live
figures or a snapshot, auto-advance, freeze, exports), the slide renderer, the navigation bar with
its counter, and the keyboard component that turns arrow keys and clicker PageUp/PageDown into
clicks on the Previous/Next buttons.

All slide text comes from the store, so every piece of it is HTML-escaped before it is drawn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import polars as pl
import streamlit as st

from lib.core import settings
from lib.core.escape import html_literal
from lib.core.i18n import t as tr
from lib.core.vocab import CJK_FONT
from lib.dash import charts
from lib.dash.maps import build_deck, station_points
from lib.deck import pack, snapshots
from lib.deck.model import DeckPlan, Slide, SlideCard
from lib.deck.payload import available_years, default_year, format_as_of, live_payload
from lib.deck.slides import build_slides, chart_figure
from lib.ui import data_version, database_url, lang, org_lineage, session, t
from lib.ui.entry import VIEWPORT_COOKIE
from lib.ui.present_plan import INDEX_KEY, notes_panel

KEEP_KEY = "present_keep_slide"  # the slide to stay on when the data source changes (freezing)
PRESENT_SIGNATURE_KEY = "present_signature"
LAST_KEY = "present_last_advance"
VIEWPORT_KEY = "present_viewport"
DEFAULT_VIEWPORT = 900
INTERVALS = (5, 10, 15, 20, 30, 60)

# Full screen: no sidebar, no Streamlit header, toolbar, decoration or footer; tight padding.
CHROME_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="collapsedControl"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0.5rem 1.6rem 0.3rem 1.6rem !important; max-width: 100% !important; }
[data-testid="stElementContainer"]:has(style), .st-key-present_keys_component {
  display: none !important; }
.st-key-present_slide { max-height: calc(100vh - 140px) !important; }
.kpi-slide__title { font-size: clamp(30px, 3.2vw, 60px); font-weight: 700; color: var(--kpi-accent);
  line-height: 1.2; margin: 0.2rem 0 0.1rem 0; }
.kpi-slide__subtitle { font-size: clamp(18px, 1.6vw, 30px); color: var(--kpi-muted); }
.kpi-cover { text-align: center; padding-top: 16vh; }
.kpi-cover .kpi-slide__title { font-size: clamp(48px, 5.5vw, 110px); }
.kpi-cover .kpi-slide__subtitle { font-size: clamp(30px, 3vw, 60px); color: var(--kpi-fg);
  font-weight: 700; margin-top: 1.2rem; }
.kpi-cover p { font-size: clamp(18px, 1.6vw, 30px); color: var(--kpi-muted); }
.kpi-summary p { font-size: clamp(19px, 1.55vw, 30px); line-height: 1.65; color: var(--kpi-fg);
  margin: 0 0 0.55rem 0; }
.kpi-cards { display: grid; grid-template-columns: repeat(var(--kpi-cols), minmax(0, 1fr));
  gap: 2.2vh 2vw;
  margin-top: 4vh; }
.kpi-card { border-left: 6px solid var(--kpi-accent); padding: 0.4rem 1rem; }
.kpi-card__label { font-size: clamp(18px, 1.5vw, 30px); color: var(--kpi-muted); }
.kpi-card { min-width: 0; container-type: inline-size; }
.kpi-card__value { font-size: clamp(48px, min(5vw, calc(100cqi / var(--kpi-em, 1))), 104px);
  font-weight: 800; color: var(--kpi-accent); line-height: 1.15; }
.kpi-card__value span { white-space: nowrap; color: inherit !important; }
.kpi-card__change { font-size: clamp(16px, 1.25vw, 26px); color: var(--kpi-muted); }
.kpi-card__change.is-red { color: var(--kpi-red); font-weight: 700; }
.kpi-card__change.is-green { color: var(--kpi-green); font-weight: 700; }
.kpi-list { margin-top: 0.6rem; }
.kpi-list__row { display: flex; justify-content: space-between; gap: 1rem;
  border-bottom: 1px solid var(--kpi-line); padding: 0.28rem 0; }
.kpi-list__name { font-size: clamp(15px, 1.25vw, 26px); color: var(--kpi-fg); }
.kpi-list__name small { color: var(--kpi-muted); }
.kpi-list__value { font-size: clamp(17px, 1.3vw, 28px); font-weight: 700; color: var(--kpi-fg);
  white-space: nowrap; text-align: right; }
.kpi-list__value small { display: block; font-size: 0.62em; font-weight: 400;
  color: var(--kpi-muted); }
.kpi-table { width: 100%; border-collapse: collapse; margin-top: 0.6rem; }
.kpi-table th { background: var(--kpi-accent); color: #fff; text-align: left; padding: 0.45rem;
  font-size: clamp(15px, 1.25vw, 26px); }
.kpi-table td { border-bottom: 1px solid var(--kpi-line); padding: 0.45rem; color: var(--kpi-fg);
  font-size: clamp(15px, 1.25vw, 26px); }
.kpi-note { font-size: clamp(18px, 1.4vw, 28px); color: var(--kpi-muted); margin-top: 1rem; }
.kpi-foot { font-size: clamp(12px, 0.85vw, 18px); color: var(--kpi-muted); margin-top: 0.3rem;
  border-top: 1px solid var(--kpi-line); padding-top: 0.25rem; }
.st-key-present_counter p { font-size: 20px; font-weight: 700; text-align: center;
  color: var(--kpi-fg); margin: 0.3rem 0 0 0; }
.st-key-present_keys p { font-size: 13px; color: var(--kpi-muted); margin: 0.55rem 0 0 0; }
</style>
"""

FONT_CSS = "<style>.kpi-slide { font-family: " + CJK_FONT + "; }</style>\n"

LIGHT_CSS = """
<style>
:root { --kpi-bg: #FFFFFF; --kpi-fg: #1F2329; --kpi-muted: #5F6B7A; --kpi-accent: #C8102E;
  --kpi-line: #E5E7EB; --kpi-red: #C8102E; --kpi-green: #1E7B34; }
</style>
"""

DARK_CSS = """
<style>
:root { --kpi-bg: #111418; --kpi-fg: #F2F4F7; --kpi-muted: #AAB4C0; --kpi-accent: #FF5C6C;
  --kpi-line: #2B3038; --kpi-red: #FF5C6C; --kpi-green: #5FD17A; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #111418 !important; }
.stApp p, .stApp label, .stApp span, [data-testid="stExpander"] summary { color: #F2F4F7; }
[data-testid="stExpander"] details { background: #1A1F26; border-color: #2B3038; }
.stApp button { background: #1A1F26 !important; border-color: #3A414C !important; }
.stApp [data-baseweb="select"] > div, .stApp [data-baseweb="input"] > div, .stApp input {
  background: #1A1F26 !important; color: #F2F4F7 !important; border-color: #3A414C !important; }
.stApp button:disabled { opacity: 0.45; }
</style>
"""

# Arrow keys and the PageUp/PageDown a presentation clicker sends click Previous/Next; typing in a
# field is left alone. The viewport height is reported on mount and again after every window
# resize (laptop onto projector), so the slide and its charts follow the screen without a reload.
KEYS_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const click = (key) => {
    const button = document.querySelector('.st-key-' + key + ' button');
    if (button && !button.disabled) { button.click(); }
  };
  const onKey = (event) => {
    const target = event.target || {};
    const tag = (target.tagName || '').toUpperCase();
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) {
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === 'ArrowRight' || event.key === 'PageDown') {
      event.preventDefault(); click('present_next');
    } else if (event.key === 'ArrowLeft' || event.key === 'PageUp') {
      event.preventDefault(); click('present_prev');
    }
  };
  if (window.__kpiPresentKeys) {
    document.removeEventListener('keydown', window.__kpiPresentKeys);
  }
  window.__kpiPresentKeys = onKey;
  document.addEventListener('keydown', onKey);
  let known = (data && data.height) || 0;
  const report = () => {
    const height = Math.round(window.innerHeight || 0);
    if (height > 0 && Math.abs(known - height) > 40) {
      known = height;
      setStateValue('height', height);
    }
  };
  let timer = null;
  const onResize = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  window.addEventListener('resize', onResize);
  report();
  return () => {
    window.removeEventListener('resize', onResize);
    clearTimeout(timer);
    document.removeEventListener('keydown', onKey);
    if (window.__kpiPresentKeys === onKey) { window.__kpiPresentKeys = null; }
  };
}
"""


def esc(text: object) -> str:
    """HTML-escaped text on one line (everything on a slide comes from the store; a blank line
    would end the HTML block and let markdown from data through): lib.core.escape.html_literal."""
    return html_literal(text)


def chrome(theme: str) -> None:
    """Hide the sidebar and Streamlit chrome and apply the light or dark presenter theme."""
    st.html(CHROME_CSS + FONT_CSS)
    st.html(DARK_CSS if theme == "dark" else LIGHT_CSS)


@st.cache_resource(show_spinner=False)
def _keys_component() -> Callable[..., Any]:
    """The keyboard component (registered once per process)."""
    return st.components.v2.component("kpi_present_keys", js=KEYS_JS)


def cookie_height() -> int:
    """The window height the app's HTML page put in its cookie before connecting (lib.ui.entry),
    0 when there is none or it is not a plausible height."""
    try:
        raw = st.context.cookies.get(VIEWPORT_COOKIE) or ""
    except Exception:  # noqa: BLE001 - no browser connection (AppTest): no cookie
        return 0
    return int(raw) if raw.isdigit() and 200 <= int(raw) <= 10_000 else 0


def keyboard() -> None:
    """Mount the keyboard listener; remember the browser's viewport height it reports. The first
    run takes the height from the page's cookie, so the listener reports (and the page reruns)
    only when the window differs from it, as after a resize."""
    known = st.session_state.get(VIEWPORT_KEY) or cookie_height()
    if known:
        st.session_state[VIEWPORT_KEY] = known
    try:
        result = _keys_component()(
            key="present_keys_component", data={"height": known}, on_height_change=lambda: None
        )
    except Exception:  # noqa: BLE001 - no browser (AppTest): buttons still work
        return
    height = getattr(result, "height", None)
    if isinstance(height, int | float) and height > 0:
        st.session_state[VIEWPORT_KEY] = int(height)


def viewport() -> int:
    """The browser's viewport height in px (a 900 px guess until the browser reports it)."""
    return int(st.session_state.get(VIEWPORT_KEY) or DEFAULT_VIEWPORT)


# ------------------------------------------------------------------------------------------------
# Data: live figures (cached per data version) or a frozen snapshot
# ------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _live(url: str, version: int, org: str, year: int) -> dict[str, Any]:
    """The live payload of an org and year, read once per data version."""
    return live_payload(org, year, url)


@st.cache_data(show_spinner=False, max_entries=32)
def _snapshot(url: str, version: int, snapshot_id: int) -> dict[str, Any]:
    """A snapshot's payload (frozen figures and the deck plan saved with it), per data version."""
    return snapshots.load(snapshot_id, url)


@st.cache_data(show_spinner=False, max_entries=64)
def _years(url: str, version: int, org: str) -> tuple[list[int], int | None]:
    """Years with figures for an org and the default one, once per data version."""
    return available_years(org, url), default_year(org, url)


def years(org: str) -> tuple[list[int], int | None]:
    """Years with figures or targets for an org (newest first) and the default year."""
    return _years(database_url(), data_version(), org)


def payload(org: str, year: int, snapshot_id: int | None) -> dict[str, Any]:
    """The payload the slides show: a snapshot's frozen figures, or the store's current ones."""
    if snapshot_id is not None:
        return _snapshot(database_url(), data_version(), snapshot_id)
    return _live(database_url(), data_version(), org, year)


def snapshot_picker(org: str, year: int, where: Any) -> int | None:
    """Choose live figures or one of the org's saved snapshots of this year."""
    saved = [s for s in snapshots.list_snapshots(org, database_url()) if s.year == year]
    labels = {
        s.id: t("present.snapshot_option", name=s.name, when=format_as_of(s.created_at.isoformat()))
        for s in saved
    }
    options: list[int | None] = [None, *labels]
    if st.session_state.get("present_source") not in options:
        st.session_state["present_source"] = None
    return where.selectbox(
        t("present.data"),
        options,
        key="present_source",
        format_func=lambda o: t("present.live") if o is None else labels[o],
    )


def freeze_form(org: str, year: int, where: Any, plan: DeckPlan) -> None:
    """Name and freeze a meeting snapshot of the current figures and the presenter's plan so far
    (signed-in users); the deck stays on the slide on screen."""
    name = where.text_input(
        t("present.freeze_name"),
        value=t("present.freeze_default", year=year),
        key="present_freeze_name",
        max_chars=200,
    )
    user = session.current_username() if session.current_role() else ""
    clicked = where.button(
        t("present.freeze"), key="present_freeze", icon=":material/ac_unit:", disabled=not user
    )
    if not user:
        where.caption(t("present.freeze_denied"))
    if clicked and user:
        new_id = snapshots.freeze(name, org, year, user, database_url(), plan=plan)
        st.session_state["present_pending_source"] = new_id
        st.session_state[KEEP_KEY] = st.session_state.get("present_on_screen")
        st.toast(t("present.frozen", name=name.strip() or f"{org} {year}"))
        st.rerun()


def apply_pending_source() -> None:
    """Select a just-frozen snapshot (set before the picker is drawn on the next run)."""
    pending = st.session_state.pop("present_pending_source", None)
    if pending is not None:
        st.session_state["present_source"] = pending


def export_buttons(data: dict[str, Any], where: Any) -> None:
    """PPTX and PDF downloads of the slides shown, in the UI language (built on click)."""
    language = lang()
    for fmt, key, icon in (
        ("pptx", "present.export_pptx", ":material/slideshow:"),
        ("pdf", "present.export_pdf", ":material/picture_as_pdf:"),
    ):
        where.download_button(
            t(key),
            data=lambda fmt=fmt: pack.pack_bytes(data, fmt, language),
            file_name=pack.pack_file_name(data, fmt),
            mime="application/pdf"
            if fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key=f"present_export_{fmt}",
            icon=icon,
            on_click="ignore",
        )


# ------------------------------------------------------------------------------------------------
# Slides
# ------------------------------------------------------------------------------------------------


def _ems(text: str) -> float:
    """About how many em a bold run of text takes (CJK 1, digits and Latin 0.62, marks 0.35)."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.35 if ch in ",.+ " else 0.62 for ch in text) * 1.05


def _value_html(shown: str) -> str:
    """A headline value that may break before its unit ("469,000+ / attendances") but never
    inside the number or the unit, sized (--kpi-em) so its longest part fits its card."""
    parts = shown.split(" ", 1)
    spans = " ".join(f"<span>{esc(part)}</span>" for part in parts)
    return (
        f'<div class="kpi-card__value" style="--kpi-em:{max(map(_ems, parts)):.2f}">{spans}</div>'
    )


def _cards_html(cards: list[SlideCard]) -> str:
    """Headline cards: label, big number (≥ 48 px), 同比 or why there is none."""
    cols = 3 if len(cards) > 4 else max(1, min(len(cards), 4))
    if len(cards) == 4:
        cols = 2
    parts = [f'<div class="kpi-cards" style="--kpi-cols:{cols}">']
    up = settings.up_color(lang())
    down = "green" if up == "red" else "red"
    for card in cards:
        tone = {"up": up, "down": down}.get(card.trend)
        cls = f"kpi-card__change is-{tone}" if tone else "kpi-card__change"
        parts.append(
            f'<div class="kpi-card"><div class="kpi-card__label">{esc(card.label)}</div>'
            f"{_value_html(card.shown)}"
            f'<div class="{cls}">{esc(card.change)}</div></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def _list_html(cards: list[SlideCard]) -> str:
    """A category's figures as a compact list: name (period), value, 同比 when comparable."""
    rows = []
    for card in cards:
        note = f" <small>（{esc(card.note)}）</small>" if card.note else ""
        change = f"<small>{esc(card.change)}</small>" if card.comparable else ""
        rows.append(
            f'<div class="kpi-list__row"><div class="kpi-list__name">{esc(card.label)}{note}</div>'
            f'<div class="kpi-list__value">{esc(card.shown)}{change}</div></div>'
        )
    return f'<div class="kpi-list">{"".join(rows)}</div>'


def _table_html(slide: Slide) -> str:
    """A slide table as escaped HTML."""
    if slide.table is None:
        return ""
    head = "".join(f"<th>{esc(h)}</th>" for h in slide.table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in slide.table.rows
    )
    return f'<table class="kpi-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _notes_html(slide: Slide) -> str:
    """The slide's notes (no data, approximate positions …)."""
    return "".join(f'<div class="kpi-note">{esc(p)}</div>' for p in slide.paragraphs)


def _header(slide: Slide) -> None:
    """Slide title and subtitle."""
    sub = f'<div class="kpi-slide__subtitle">{esc(slide.subtitle)}</div>' if slide.subtitle else ""
    st.html(
        f'<div class="kpi-slide"><div class="kpi-slide__title">{esc(slide.title)}</div>{sub}</div>',
    )


def _chart_font(height: int) -> int:
    """The chart's text size in px for its height: 24 px (18 pt) on a 1080-line screen."""
    return 24 if height >= 700 else 20 if height >= 560 else 16


def _chart(slide: Slide, theme: str, height: int, key: str) -> None:
    """A slide's bar chart (plotly, no modebar clutter, no MathJax)."""
    assert slide.chart is not None
    fig = chart_figure(slide.chart, theme, font_size=_chart_font(height), height=height)
    fig.update_layout(height=height)
    config = charts.config(slide.chart.title, lang())
    st.plotly_chart(fig, width="stretch", theme=None, config=config, key=key)


def _map(slide: Slide, height: int, basemap: str, theme: str) -> None:
    """The station map (pydeck; with basemap 'none' no tile is requested)."""
    frame = pl.DataFrame(
        slide.stations,
        schema={
            "code": pl.Utf8,
            "name_zh": pl.Utf8,
            "name_en": pl.Utf8,
            "type": pl.Utf8,
            "town": pl.Utf8,
            "lat": pl.Float64,
            "lon": pl.Float64,
            "precision": pl.Utf8,
            "opened_year": pl.Int64,
            "status": pl.Utf8,
            "source": pl.Utf8,
        },
    )
    orgs = org_lineage({slide.org}) if slide.org else ()
    points = station_points(frame, lang(), basemap)
    deck = build_deck(points, basemap, lang(), orgs, dark=theme == "dark")
    st.pydeck_chart(deck, height=height, key="present_map")


def draw_slide(slide: Slide, theme: str, basemap: str, index: int) -> None:
    """Draw one slide to fill the screen: header, body by kind, footnote."""
    body = max(280, viewport() - 330)
    with st.container(height=max(420, viewport() - 140), border=False, key="present_slide"):
        _draw_body(slide, theme, basemap, index, body)


def _draw_body(slide: Slide, theme: str, basemap: str, index: int, body: int) -> None:
    """The slide's header, body by kind and footnote (inside the fixed-height slide area)."""
    if slide.kind == "title":
        paras = "".join(f"<p>{esc(p)}</p>" for p in slide.paragraphs)
        st.html(
            f'<div class="kpi-slide kpi-cover"><div class="kpi-slide__title">{esc(slide.title)}'
            f'</div><div class="kpi-slide__subtitle">{esc(slide.subtitle)}</div>{paras}</div>',
        )
    elif slide.kind == "summary":
        _header(slide)
        paras = "".join(f"<p>{esc(p)}</p>" for p in slide.paragraphs)
        st.html(f'<div class="kpi-slide kpi-summary">{paras}</div>')
    elif slide.kind == "headline":
        _header(slide)
        st.html(
            f'<div class="kpi-slide">{_cards_html(slide.cards)}{_notes_html(slide)}</div>',
        )
    else:
        _header(slide)
        has_chart = slide.chart is not None and bool(slide.chart.series or slide.chart.points)
        if has_chart or slide.kind == "map" and slide.stations:
            left, right = st.columns([3, 2], gap="large")
            with left:
                if slide.kind == "map":
                    _map(slide, body, basemap, theme)
                else:
                    _chart(slide, theme, body, key=f"present_chart_{index}")
            with right:
                side = _list_html(slide.cards) if slide.cards else _table_html(slide)
                st.html(
                    f'<div class="kpi-slide">{_notes_html(slide)}{side}</div>',
                )
        else:
            st.html(
                f'<div class="kpi-slide">{_notes_html(slide)}{_table_html(slide)}</div>',
            )
    st.html(f'<div class="kpi-foot">{esc(slide.footnote)}</div>')


# ------------------------------------------------------------------------------------------------
# Navigation
# ------------------------------------------------------------------------------------------------


def reset_on_change(signature: tuple, slides: list[Slide]) -> None:
    """Back to the first slide when org, year, language or data source change — except after
    freezing, when the deck stays on the slide that was on screen."""
    keep = st.session_state.pop(KEEP_KEY, None)
    if st.session_state.get(PRESENT_SIGNATURE_KEY) != signature:
        st.session_state[PRESENT_SIGNATURE_KEY] = signature
        keys = [s.key for s in slides]
        st.session_state[INDEX_KEY] = keys.index(keep) if keep in keys else 0
        st.session_state[LAST_KEY] = time.monotonic()


def _step(delta: int, total: int) -> None:
    """Move by delta slides, staying within the deck; restart the auto-advance clock."""
    index = st.session_state.get(INDEX_KEY, 0) + delta
    st.session_state[INDEX_KEY] = max(0, min(total - 1, index))
    st.session_state[LAST_KEY] = time.monotonic()


def _auto_step(total: int, interval: int) -> None:
    """On a timer run, advance (wrapping round like a carousel) once the interval has passed."""
    now = time.monotonic()
    last = st.session_state.get(LAST_KEY, now)
    if now - last >= interval * 0.9:
        st.session_state[INDEX_KEY] = (st.session_state.get(INDEX_KEY, 0) + 1) % total
        st.session_state[LAST_KEY] = now


def _deck(slides: list[Slide], theme: str, basemap: str, auto: bool, interval: int) -> None:
    """The slide on screen and the navigation bar (a fragment: only it reruns on a click)."""
    total = len(slides)
    if auto:
        _auto_step(total, interval)
    index = max(0, min(total - 1, st.session_state.get(INDEX_KEY, 0)))
    st.session_state[INDEX_KEY] = index
    slide = slides[index]
    st.session_state["present_on_screen"] = slide.key
    draw_slide(slide, theme, basemap, index)
    prev_col, count_col, keys_col, png_col, next_col = st.columns(
        [1.2, 1, 5, 1.6, 1.2], vertical_alignment="center"
    )
    prev_col.button(
        t("present.prev"),
        key="present_prev",
        icon=":material/chevron_left:",
        on_click=_step,
        args=(-1, total),
        disabled=index == 0,
        width="stretch",
    )
    with count_col.container(key="present_counter"):
        st.markdown(tr("present.counter", lang(), n=index + 1, total=total))
    with keys_col.container(key="present_keys"):
        st.markdown(t("present.keys"))
    if slide.chart is not None and slide.chart.series:
        png_col.download_button(
            t("present.export_png"),
            data=lambda: pack.chart_png(slide.chart, theme),
            file_name=f"chart_{index + 1}.png",
            mime="image/png",
            key=f"present_png_{index}",
            icon=":material/image:",
            on_click="ignore",
        )
    next_col.button(
        t("present.next"),
        key="present_next",
        icon=":material/chevron_right:",
        icon_position="right",
        on_click=_step,
        args=(1, total),
        disabled=index == total - 1 and not auto,
        width="stretch",
    )
    notes_panel(slide)


def deck(slides: list[Slide], theme: str, basemap: str, auto: bool, interval: int) -> None:
    """Run the deck as a fragment; with auto-advance it reruns itself every interval seconds."""
    run_every = interval if auto else None
    st.fragment(_deck, run_every=run_every)(slides, theme, basemap, auto, interval)


def slides_for(data: dict[str, Any], every: bool = False) -> list[Slide]:
    """The slides of a payload in the UI language (every: hidden ones too)."""
    return build_slides(data, lang(), every)
