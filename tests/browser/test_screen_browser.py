"""Browser test of the chair's screen (issue 17) against a real `streamlit run app.py` (Debian
chromium via Playwright): every page at 1366×768 and 390×844, in Chinese and English, signed in as
an administrator, has no horizontal page overflow; every table shows its key columns at 1280 and
1366 px; on a phone the sidebar closes after navigation, no chart toolbar covers a chart's title and
a language switch changes the select boxes at once; a chart's PNG button downloads it. Screenshots go to test-artifacts/screens/ and, with
KPI_UPDATE_SCREENSHOTS=1, to docs/screenshots/ (palette PNGs, small enough to commit)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lib.core.i18n import t
from tests.browser.conftest import ADMIN_PW
from tests.browser_support import CHROMIUM, IDLE

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"
TIMEOUT_MS = 60_000
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
expect.set_options(timeout=TIMEOUT_MS)  # a loaded 2-core machine can take a while to rerun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]

# page name, its menu title key, its heading key (None: no heading), key columns of each of its
# tables in page order
PAGES: list[tuple[str, str, str | None, tuple[tuple[str, ...], ...]]] = [
    ("overview", "page.overview", "overview.title", ()),
    ("yoy", "page.yoy", "yoy.title", (("col.indicator", "col.year", "col.value", "col.yoy"),)),
    (
        "targets",
        "page.targets",
        "targets.title",
        (
            (
                "col.indicator",
                "col.target",
                "col.actual",
                "col.completion",
                "col.status",
                "col.time",
            ),
        ),
    ),
    ("map", "page.map", "map.title", ()),
    (
        "sources",
        "page.sources",
        "sources.title",
        (
            ("col.indicator", "col.year", "col.value", "col.locator"),
            ("col.source", "col.file", "col.figures"),
            ("col.indicator", "col.span", "col.target", "col.locator"),
            ("col.batch", "col.kind", "col.file", "col.n_new", "col.n_changed", "col.batch_status"),
        ),
    ),
    ("upload", "page.upload", "upload.title", ()),
    ("admin", "page.admin", "admin.title", (("admin.username", "admin.role"),)),
    ("present", "page.present", None, ()),  # last: full-screen slides hide the sidebar's button
]


# What shows that a page has drawn its content (charts load their script after the heading).
TABLE = '[data-testid="stDataFrame"]'
CHART = '[data-testid="stVegaLiteChart"] svg.marks'
READY = {
    "overview": ('[data-testid="stMetricValue"]',),
    "yoy": (CHART, TABLE),
    "targets": (CHART, TABLE),
    "map": ('[data-testid="stDeckGlJsonChart"]',),
    "sources": (TABLE,),
    "upload": ('[data-testid="stFileUploaderDropzone"]',),
    "admin": (TABLE,),
}


def signed_in(browser, base: str, viewport: dict, lang: str) -> Page:  # noqa: ANN001
    """A page signed in as the administrator, in a language, at a viewport size."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base)
    page.locator(".st-key-login_username input").fill("boss")
    page.locator(".st-key-login_password input").fill(ADMIN_PW)
    page.locator(".st-key-login_submit button").click()
    expect(page.get_by_role("heading", name=t("overview.title"))).to_be_visible()
    if lang == "en":
        open_sidebar(page)
        page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name=t("overview.title", "en"))).to_be_visible()
    return page


def open_sidebar(page: Page) -> None:
    """Open the sidebar on a phone (collapsed at the start and after each page change)."""
    if page.viewport_size["width"] > PHONE["width"]:
        return
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    collapse = page.locator('[data-testid="stSidebarCollapseButton"] button')
    # Just after a page change the app closes the sidebar for a second: open it again then.
    for _ in range(5):
        expect(expand.or_(collapse)).to_be_visible()
        if collapse.is_visible():
            return
        expand.click()
        try:
            expect(collapse).to_be_visible(timeout=3000)
        except AssertionError:
            continue
    expect(collapse).to_be_visible()


def close_sidebar(page: Page) -> None:
    """On a phone, close the sidebar if it is open (after a language switch it stays open over
    the page), so that a screenshot shows the page."""
    if page.viewport_size["width"] > PHONE["width"]:
        return
    collapse = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if collapse.is_visible():
        try:
            collapse.click(timeout=5000)
        except PlaywrightTimeout:
            pass  # the app closed it first, as it does just after a page change
    expect(page.locator('[data-testid="stSidebarNav"]')).not_to_be_in_viewport()  # slid away


def go(page: Page, title_key: str, heading_key: str | None, lang: str) -> None:
    """Open a page from the menu (unless it is the page on screen) and wait for its heading (or
    the presenter's slide)."""
    if heading_key and page.locator("h1").filter(has_text=t(heading_key, lang)).count():
        return
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(t(title_key, lang), exact=True)
    if page.viewport_size["width"] > PHONE["width"]:
        link.click()  # the sidebar stays open on a wider window: one click, no second try
    else:
        for attempt in range(3):  # on a phone the app may close the sidebar after a page change
            open_sidebar(page)
            try:
                link.click(timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
    if heading_key is None:
        expect(page.locator(".st-key-present_slide")).to_be_visible()
    else:
        heading = page.locator("h1").filter(has_text=t(heading_key, lang))
        expect(heading.first).to_be_visible()
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)


def page_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]');
          const doc = document.documentElement;
          return Math.max(doc.scrollWidth - doc.clientWidth,
                          main ? main.scrollWidth - main.clientWidth : 0);
        }"""
    )


TABLES = '[data-testid="stDataFrame"] >> visible=true'  # tables in a hidden tab do not count
AUDIT_KEYS = ("admin.col_at", "admin.username", "admin.col_action", "admin.col_detail")


def visible_headers(page: Page, index: int) -> list[str]:
    """The column headers a table draws within its width (the grid only draws those)."""
    table = page.locator(TABLES).nth(index)
    table.scroll_into_view_if_needed()
    expect(table.locator('[role="columnheader"]').first).to_be_attached()
    return [h.inner_text().strip() for h in table.locator('[role="columnheader"]').all()]


def save(page: Page, name: str, artifacts: Path) -> None:
    """Screenshot the window; with KPI_UPDATE_SCREENSHOTS=1 also a palette copy in docs/."""
    folder = artifacts / "screens"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("KPI_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE)
            small.save(DOCS / f"{name}.png", optimize=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_every_page_fits_the_window(
    admin_server, chromium_browser, artifacts, size: str, lang: str
) -> None:
    """Test that no page scrolls sideways at 1366×768 or 390×844, in either language."""
    viewport = LAPTOP if size == "laptop" else PHONE
    page = signed_in(chromium_browser, admin_server, viewport, lang)
    wide = {}
    try:
        for name, title_key, heading_key, _ in PAGES:
            go(page, title_key, heading_key, lang)
            for ready in READY.get(name, ()):
                expect(page.locator(ready).first).to_be_visible()
            expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0)
            close_sidebar(page)
            save(page, f"{name}-{viewport['width']}-{lang}", artifacts)
            wide[name] = page_overflow(page)
    finally:
        page.close()
    assert wide == {name: 0 for name, *_ in PAGES}


def hidden_keys(shown: list[str], keys: tuple[str, ...]) -> list[str]:
    """The key columns a table does not show in full (the last drawn column may be cut by the
    edge: a key column must come before it)."""
    fully = shown[:-1] if len(shown) > len(keys) else shown
    return [t(k) for k in keys if t(k) not in fully]


@pytest.mark.parametrize("width", [1280, 1366])
def test_tables_show_their_key_columns(admin_server, chromium_browser, width: int) -> None:
    """Test that at 1280 and 1366 px every table shows its key columns without scrolling."""
    page = signed_in(chromium_browser, admin_server, {"width": width, "height": 900}, "zh")
    hidden = {}
    try:
        for name, title_key, heading_key, tables in PAGES:
            if not tables:
                continue
            go(page, title_key, heading_key, "zh")
            expect(page.locator(TABLES)).to_have_count(len(tables))
            for i, keys in enumerate(tables):
                hidden[f"{name} {i}"] = hidden_keys(visible_headers(page, i), keys)
        page.get_by_role("tab", name=t("admin.tab_audit")).click()  # the admin page is on screen
        expect(page.locator(TABLES)).to_have_count(1)
        hidden["admin audit"] = hidden_keys(visible_headers(page, 0), AUDIT_KEYS)
    finally:
        page.close()
    tables = [f"{name} {i}" for name, *_, keys in PAGES for i in range(len(keys))]
    assert hidden == {table: [] for table in [*tables, "admin audit"]}


def test_phone_sidebar_closes_after_choosing_a_page(admin_server, chromium_browser) -> None:
    """Test that on a phone the sidebar closes once a page is chosen from it."""
    page = signed_in(chromium_browser, admin_server, PHONE, "zh")
    try:
        go(page, "page.targets", "targets.title", "zh")
        expect(page.locator('[data-testid="stExpandSidebarButton"]')).to_be_visible()
        expect(page.locator('[data-testid="stSidebarNav"]')).not_to_be_in_viewport()
    finally:
        page.close()


def test_phone_charts_have_no_toolbar_over_their_titles(admin_server, chromium_browser) -> None:
    """Test that on a phone the toolbar a tapped chart shows does not cover the chart's title."""
    page = signed_in(chromium_browser, admin_server, PHONE, "zh")
    try:
        go(page, "page.yoy", "yoy.title", "zh")
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        title = chart.locator(".role-title-text text").first
        expect(title).to_have_text(re.compile("（家）$"))
        chart.hover()
        toolbar = page.locator('[data-testid="stElementToolbar"]').first
        expect(toolbar).to_be_visible()
        box, tools = title.bounding_box(), toolbar.bounding_box()
    finally:
        page.close()
    assert box is not None and tools is not None
    apart = (
        tools["x"] >= box["x"] + box["width"]
        or box["x"] >= tools["x"] + tools["width"]
        or tools["y"] >= box["y"] + box["height"]
        or box["y"] >= tools["y"] + tools["height"]
    )
    assert apart, (box, tools)


def test_language_switch_changes_select_boxes_at_once(admin_server, chromium_browser) -> None:
    """Test that switching to English changes the org picker's shown value without leaving."""
    page = signed_in(chromium_browser, admin_server, LAPTOP, "zh")
    try:
        go(page, "page.targets", "targets.title", "zh")
        picker = page.locator("[data-testid=stSelectbox] input").first
        expect(picker).to_have_value("大兴区总工会")
        page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
        expect(picker).to_have_value("Daxing District Federation of Trade Unions")
    finally:
        page.close()


def test_chart_png_button_downloads_the_chart(admin_server, chromium_browser) -> None:
    """Test that the PNG button under a YoY chart, labelled in Chinese, downloads a PNG image
    named after the indicator."""
    page = signed_in(chromium_browser, admin_server, LAPTOP, "zh")
    try:
        go(page, "page.yoy", "yoy.title", "zh")
        button = page.locator(".st-key-yoy_png_new_union_units button")
        expect(button).to_have_text(re.compile("下载图片 PNG"))
        with page.expect_download(timeout=60_000) as download:
            button.click()
        name = download.value.suggested_filename
        data = Path(download.value.path()).read_bytes()
    finally:
        page.close()
    assert name == "yoy_new_union_units.png"
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


UPLOADER_WORDS = """zone => {
  const button = zone.querySelector('button');
  const limit = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > * > *');
  // The font size each English word is drawn at (0px: not seen).
  const sizes = [];
  const walker = document.createTreeWalker(zone, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/Upload|per file/.test(node.textContent)) {
      sizes.push(getComputedStyle(node.parentElement).fontSize);
    }
  }
  return {
    button: getComputedStyle(button, '::after').content,
    limit: getComputedStyle(limit, '::after').content,
    english: sizes,
  };
}"""


def test_uploader_speaks_chinese(admin_server, chromium_browser, artifacts) -> None:
    """Test that the zh upload page's file picker reads 选择文件 and a Chinese size limit, its fixed
    English words ("Upload", "20MB per file • CSV, XLSX") drawn at size 0."""
    page = signed_in(chromium_browser, admin_server, LAPTOP, "zh")
    try:
        go(page, "page.upload", "upload.title", "zh")
        zone = page.locator('[data-testid="stFileUploaderDropzone"]')
        expect(zone).to_be_visible()
        words = zone.evaluate(UPLOADER_WORDS)
        assert words["button"] == '"选择文件"'
        assert words["limit"] == '"每个文件不超过 20MB · CSV、XLSX、XLS、XLSM、XLSB、ODS"'
        assert len(words["english"]) == 2 and set(words["english"]) == {"0px"}
        save(page, "upload_picker_zh", artifacts)
    finally:
        page.close()


DRAG_OVER = """zone => {
  const data = new DataTransfer();
  data.items.add(new File(['org_code'], 'targets.csv', {type: 'text/csv'}));
  zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: data, bubbles: true}));
}"""

DRAG_HINT = """zone => {
  const hint = zone.querySelector(':scope > div:not([data-testid]) > span');
  return {
    text: hint.textContent,
    size: getComputedStyle(hint).fontSize,
    after: getComputedStyle(hint, '::after').content,
  };
}"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", {"size": "0px", "after": '"把文件放到这里"'}),
        ("en", {"size": "14px", "after": "none"}),
    ],
)
def test_uploader_drag_hint_speaks_the_ui_language(
    admin_server, chromium_browser, artifacts, lang, expected
):
    """Test that the hint over the file picker while a file is dragged onto it is in the UI's
    language (zh: Streamlit's English drawn at size 0 and ours after it; en: Streamlit's own)."""
    page = signed_in(chromium_browser, admin_server, LAPTOP, lang)
    try:
        go(page, "page.upload", "upload.title", lang)
        zone = page.locator('[data-testid="stFileUploaderDropzone"]')
        expect(zone).to_be_visible()
        zone.evaluate(DRAG_OVER)
        expect(zone.locator(":scope > div:not([data-testid]) > span")).to_be_visible()
        hint = zone.evaluate(DRAG_HINT)
        save(page, f"upload_drag_{lang}", artifacts)
        assert hint == {"text": "Drag and drop a file here", **expected}
    finally:
        page.close()


CARD_SHAPES = """() => {
  const cards = [...document.querySelectorAll('[class*="st-key-overview_"]')].filter(
    (el) => el.querySelector('[data-testid="stMetricValue"]') && !el.parentElement.closest('[class*="st-key-overview_"]'));
  const rows = {};
  for (const card of cards) {
    const box = card.getBoundingClientRect();
    (rows[Math.round(box.top + window.scrollY)] ??= []).push(Math.round(box.height));
  }
  // A value's lines: the distinct tops of the boxes its text is drawn in.
  const values = [...document.querySelectorAll('[data-testid="stMetricValue"]')].map((el) => {
    const tops = new Set();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
    }
    const boxes = [el, ...el.querySelectorAll('*')];
    const cut = boxes.some((box) => box.scrollWidth > box.clientWidth + 1);
    return {text: el.innerText.trim(), lines: tops.size, cut};
  });
  const title = document.querySelector('h1').getBoundingClientRect().top + window.scrollY;
  return {rows: Object.values(rows), values, title: Math.round(title)};
}"""


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_overview_cards_are_even_whole_and_near_the_top(
    admin_server, chromium_browser, size: str
) -> None:
    """Test that the overview's cards in a row are of equal height, every value (46.9万余人次)
    sits on one line uncut, and the title starts near the top, with no empty band above it."""
    page = signed_in(chromium_browser, admin_server, LAPTOP if size == "laptop" else PHONE, "zh")
    try:
        expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
        expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
        expect(page.locator(IDLE)).to_be_attached()  # every card drawn, not the first rows only
        shapes = page.evaluate(CARD_SHAPES)
    finally:
        page.close()
    assert len(shapes["rows"]) >= 5 and [r for r in shapes["rows"] if len(set(r)) > 1] == []
    assert "46.9万余人次" in {v["text"] for v in shapes["values"]}
    assert [v for v in shapes["values"] if v["lines"] != 1 or v["cut"]] == []
    assert shapes["title"] <= (60 if size == "laptop" else 90)


TYPING_HINT = """box => {
  const hint = box.querySelector('[data-testid="InputInstructions"] > span:first-child');
  return {
    text: hint.textContent,
    size: getComputedStyle(hint).fontSize,
    after: getComputedStyle(hint, '::after').content,
  };
}"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", {"size": "0px", "after": '"按回车键确认"'}), ("en", {"size": "12px", "after": "none"})],
)
def test_typing_hint_speaks_the_ui_language(admin_server, chromium_browser, lang, expected) -> None:
    """Test that the hint under a text box being typed in is in the UI's language (zh: Streamlit's
    "Press Enter to submit form" drawn at size 0 and 按回车键确认 after it)."""
    page = chromium_browser.new_page(viewport=LAPTOP)
    try:
        page.goto(admin_server if lang == "zh" else f"{admin_server}/?lang=en")
        box = page.locator(".st-key-login_username")
        box.locator("input").fill("boss")
        first = box.locator('[data-testid="InputInstructions"] > span').first
        expect(first).to_have_text("Press Enter to submit form")
        hint = box.evaluate(TYPING_HINT)
    finally:
        page.close()
    assert hint == {"text": "Press Enter to submit form", **expected}
