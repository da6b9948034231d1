"""Browser test of Streamlit's own words in the UI language (issue 17, point 2; lib/ui/chrome.py)
against a real app server (Debian chromium via Playwright), signed in as an administrator: in
Chinese the table toolbar's tooltips, its search box, column list and column menu, a select box's
and a multiselect's "No results", a chart's Fullscreen button are drawn in Chinese (Streamlit's
English at size 0, ours after it: what the window shows), in English they are Streamlit's own;
the top-right toolbar ("Running...", "Stop", the main menu) is never drawn, even while a script
runs; and no page in Chinese shows any of a list of Streamlit's English words."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.test_screen_browser import LAPTOP, PAGES, READY, go, signed_in
from tests.browser_support import CHROMIUM, IDLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]

TABLE = '[data-testid="stDataFrame"]'
TOOLBAR = '[data-testid="stElementToolbar"]'
TIP = '[data-testid="stTooltipContent"] p'
# What an element draws: its own text, the size it is drawn at, and what is drawn after it.
DRAWN = """e => ({
  text: e.textContent,
  size: getComputedStyle(e).fontSize,
  after: getComputedStyle(e, '::after').content,
})"""
TOOLTIPS_ZH = {
    "Show/hide columns": "显示/隐藏列",
    "Download as CSV": "下载为 CSV",
    "Search": "搜索",
    "Fullscreen": "全屏",
}


def on_page(chromium_browser, admin_server: str, lang: str, name: str) -> Page:  # noqa: ANN001
    """A signed-in window at 1366×768 in a language, on one of the app's pages, drawn."""
    page = signed_in(chromium_browser, admin_server, LAPTOP, lang)
    _, title_key, heading_key, _ = next(p for p in PAGES if p[0] == name)
    go(page, title_key, heading_key, lang)
    for ready in READY.get(name, ()):
        expect(page.locator(ready).first).to_be_visible()
    expect(page.locator(IDLE)).to_be_attached()
    return page


def read_drawn(loc: Locator, want: dict[str, str]) -> object:
    """What DRAWN reads off an element once expect() has seen the text and the font size wanted
    (the style that draws the UI language's word after Streamlit's, at size 0, or leaves it)."""
    expect(loc).to_have_text(want["text"])
    expect(loc).to_have_css("font-size", want["size"])
    return loc.evaluate(DRAWN)


def tool(page: Page, label: str) -> Locator:
    """The first table's toolbar button with this aria-label, shown (the table hovered). Pressed
    by its click event: a rerun may redraw the toolbar under a still mouse, hiding it again."""
    page.locator(TABLE).first.hover()
    table = page.locator('[data-testid="stElementContainer"]', has=page.locator(TABLE)).first
    button = table.locator(f'{TOOLBAR} button[aria-label="{label}"]')
    expect(button).to_be_visible()
    return button


def tooltip_of(page: Page, label: str, want: dict[str, str]) -> object:
    """What the tooltip of the first table's toolbar button with this aria-label draws (waited
    for until it draws want)."""
    tool(page, label).hover()
    tip = page.locator(TIP)
    expect(tip).to_have_text(label)
    return read_drawn(tip, want)


def test_table_toolbar_tooltips_speak_chinese(admin_server, chromium_browser) -> None:
    """Test that in Chinese hovering each table toolbar button shows its tooltip in Chinese."""
    want = {
        label: {"text": label, "size": "0px", "after": f'"{zh}"'}
        for label, zh in TOOLTIPS_ZH.items()
    }
    page = on_page(chromium_browser, admin_server, "zh", "targets")
    try:
        tips = {label: tooltip_of(page, label, want[label]) for label in TOOLTIPS_ZH}
    finally:
        page.close()
    assert tips == want


def test_table_toolbar_tooltips_are_streamlits_english_in_english(
    admin_server, chromium_browser
) -> None:
    """Test that in English hovering each table toolbar button shows Streamlit's own tooltip."""
    want = {label: {"text": label, "size": "14px", "after": "none"} for label in TOOLTIPS_ZH}
    page = on_page(chromium_browser, admin_server, "en", "targets")
    try:
        tips = {label: tooltip_of(page, label, want[label]) for label in TOOLTIPS_ZH}
    finally:
        page.close()
    assert tips == want


def test_full_screen_tables_close_button_speaks_chinese(admin_server, chromium_browser) -> None:
    """Test that in Chinese a table shown full screen offers 退出全屏 on its close button."""
    page = on_page(chromium_browser, admin_server, "zh", "targets")
    try:
        tool(page, "Fullscreen").dispatch_event("click")
        want = {"text": "Close fullscreen", "size": "0px", "after": '"退出全屏"'}
        tip = tooltip_of(page, "Close fullscreen", want)
    finally:
        page.close()
    assert tip == {"text": "Close fullscreen", "size": "0px", "after": '"退出全屏"'}


NO_MATCH = "zzzz"
NO_RESULTS = {
    "zh": {"text": "No results", "size": "0px", "after": '"没有匹配项"'},
    "en": {"text": "No results", "size": "14px", "after": "none"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_select_box_filter_without_match_says_so_in_the_ui_language(
    admin_server, chromium_browser, lang
) -> None:
    """Test that a select box's typed filter matching nothing says so in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.keyboard.type(NO_MATCH)
        empty = page.locator('[role="listbox"][data-empty="true"] [role="option"] > span')
        expect(empty).to_have_text("No results")
        drawn = read_drawn(empty, NO_RESULTS[lang])
    finally:
        page.close()
    assert drawn == NO_RESULTS[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_multiselect_filter_without_match_says_so_in_the_ui_language(
    admin_server, chromium_browser, lang
) -> None:
    """Test that a multiselect's typed filter matching nothing says so in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "yoy")
    try:
        page.locator('[data-testid="stMultiSelect"] input').first.click()
        page.keyboard.type(NO_MATCH)
        empty = page.locator('[data-testid="stMultiSelectDropdown"] [role="option"] > span')
        expect(empty).to_have_text("No results")
        drawn = read_drawn(empty, NO_RESULTS[lang])
    finally:
        page.close()
    assert drawn == NO_RESULTS[lang]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", {"size": "0px", "after": '"输入文字以搜索"'}),
        ("en", {"size": "12px", "after": "none"}),
    ],
)
def test_table_search_box_hint_speaks_the_ui_language(
    admin_server, chromium_browser, lang, expected
) -> None:
    """Test that the hint under a table's search box is in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        tool(page, "Search").dispatch_event("click")
        hint = page.locator(".gdg-search-status > label")
        expect(hint).to_have_text("Type to search")
        drawn = read_drawn(hint, {"text": "Type to search", **expected})
    finally:
        page.close()
    assert drawn == {"text": "Type to search", **expected}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", {"size": "0px", "after": '"全选"'}), ("en", {"size": "14px", "after": "none"})],
)
def test_column_list_select_all_speaks_the_ui_language(
    admin_server, chromium_browser, lang, expected
) -> None:
    """Test that the table's show/hide column list offers "select all" in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        tool(page, "Show/hide columns").dispatch_event("click")
        menu = page.locator('[data-testid="stDataFrameColumnVisibilityMenu"]')
        word = menu.locator('label:has(> input[aria-label="Select all"]) > span').last
        expect(word).to_have_text("Select all")
        drawn = read_drawn(word, {"text": "Select all", **expected})
    finally:
        page.close()
    assert drawn == {"text": "Select all", **expected}


MENU_WORDS = """menu => [...menu.querySelectorAll('[role="menuitem"]')].map(item => {
  // a submenu's item holds its word in a div, the others hold it themselves
  const word = item.querySelector(':scope > div') || item;
  const after = getComputedStyle(word, '::after').content;
  return after === 'none' ? word.textContent.replace(/^[a-z_]+/, '') : after.slice(1, -1);
})"""


def open_column_menu(page: Page, edge: int = 1) -> Locator:
    """Open the menu of a column of the first table: its ⋮ sits just left of the column's right
    edge, the edge-th full-height line in the header from 0 (1: the first column's when the table
    has row markers, whose edge is the 0th). The menu, drawn."""
    table = page.locator(TABLE).first
    table.hover()
    box = table.bounding_box()
    strip = page.screenshot(
        clip={"x": box["x"], "y": box["y"] + 4, "width": box["width"], "height": 28}
    )
    image = Image.open(io.BytesIO(strip)).convert("L")
    lines = [
        x
        for x in range(image.width)
        if all(image.getpixel((x, y)) < 240 for y in range(image.height))
    ]
    x, y = box["x"] + lines[edge] - 16, box["y"] + 18
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    menu = page.locator('[data-testid="stDataFrameColumnMenu"]')
    expect(menu).to_be_visible()
    return menu


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", ["升序排列", "降序排列", "统计", "自动列宽", "取消固定此列", "隐藏此列"]),
        (
            "en",
            [
                "Sort ascending",
                "Sort descending",
                "Statistics",
                "Autosize",
                "Unpin column",
                "Hide column",
            ],
        ),
    ],
)
def test_column_menu_speaks_the_ui_language(admin_server, chromium_browser, lang, expected) -> None:
    """Test that a table column's menu (its ⋮) names its actions in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        open_column_menu(page)
        menu = page.locator('[data-testid="stDataFrameColumnMenu"] [role="menu"]')
        items = menu.locator('[role="menuitem"]')
        expect(items).to_have_text([re.compile(re.escape(word)) for word in expected])
        words = menu.evaluate(MENU_WORDS)
    finally:
        page.close()
    assert words == expected


def test_chart_fullscreen_tooltip_speaks_chinese(admin_server, chromium_browser) -> None:
    """Test that in Chinese hovering a YoY chart's Fullscreen button shows the tooltip 全屏."""
    want = {"text": "Fullscreen", "size": "0px", "after": '"全屏"'}
    page = on_page(chromium_browser, admin_server, "zh", "yoy")
    try:
        page.locator('[data-testid="stVegaLiteChart"]').first.hover()
        button = page.locator(f'{TOOLBAR} button[aria-label="Fullscreen"]').first
        expect(button).to_be_visible()
        button.hover()
        tip = page.locator(TIP)
        expect(tip).to_have_text("Fullscreen")
        drawn = read_drawn(tip, want)
    finally:
        page.close()
    assert drawn == want


def hold_script_finished(page: Page) -> dict[str, bool]:
    """Pass the app's messages through; once the returned switch is on, hold back its messages
    from the next "script finished" on, so that the browser sees that rerun run on."""
    hold = {"on": False}
    held: list[bytes | str] = []

    def route(ws) -> None:  # noqa: ANN001
        """Forward both ways, holding the app's messages from a held rerun's end."""
        app = ws.connect_to_server()

        def from_app(message: bytes | str) -> None:
            """Forward one message of the app's, unless the rerun's end is being held back."""
            finished = isinstance(message, bytes) and (
                ForwardMsg.FromString(message).WhichOneof("type") == "script_finished"
            )
            if held or (finished and hold["on"]):
                held.append(message)
            else:
                ws.send(message)

        app.on_message(from_app)
        ws.on_message(app.send)

    page.route_web_socket("**/_stcore/stream", route)
    return hold


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_running_script_shows_no_english_status(admin_server, chromium_browser, lang) -> None:
    """Test that while a page reruns no top-right toolbar is drawn (no "Running..." or "Stop"
    status, no main menu): client.toolbarMode = "minimal" hides it in both languages."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        hold = hold_script_finished(page)
        page.reload()  # the app's connection, now through the route
        expect(page.locator(TABLE).first).to_be_visible()
        expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
            "data-test-script-state", "notRunning"
        )
        hold["on"] = True
        page.locator('[data-testid="stSelectbox"]').nth(1).click()
        page.locator('[role="option"]').nth(1).click()
        expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
            "data-test-script-state", "running"
        )
        for testid in ("stToolbar", "stStatusWidget", "stMainMenu"):
            expect(page.locator(f'[data-testid="{testid}"]')).to_have_count(0)
        expect(page.get_by_text("Running...")).to_have_count(0)
        expect(page.get_by_text("Stop", exact=True)).to_have_count(0)
    finally:
        page.close()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", {"size": "0px", "after": '"跳到正文"'}), ("en", {"size": "14px", "after": "none"})],
)
def test_skip_link_speaks_the_ui_language(admin_server, chromium_browser, lang, expected) -> None:
    """Test that the link a first Tab press shows ("Skip to main content") is in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        page.reload()  # the focus back at the start of the page, as a visitor arriving has it
        expect(page.locator(TABLE).first).to_be_visible()
        page.keyboard.press("Tab")
        link = page.locator('[data-testid="stSkipToContent"]')
        expect(link).to_be_focused()
        drawn = read_drawn(link, {"text": "Skip to main content", **expected})
    finally:
        page.close()
    assert drawn == {"text": "Skip to main content", **expected}


REFUSED_ZH = "不能上传此文件：只接受 CSV、XLSX、XLS、XLSM、XLSB、ODS 文件，每个不超过 20MB。"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", {"size": "0px", "after": f'"{REFUSED_ZH}"'}),
        ("en", {"size": "14px", "after": "none"}),
    ],
)
def test_refused_file_tooltip_speaks_the_ui_language(
    admin_server, chromium_browser, tmp_path, lang, expected
) -> None:
    """Test that a file of a type the picker refuses says why in the UI's language when hovered."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    page = on_page(chromium_browser, admin_server, lang, "upload")
    try:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(notes)
        chip = page.locator('[data-testid="stFileChip"]')
        chip.hover()
        tip = page.locator('[data-testid="stTooltipErrorContent"]')
        expect(tip).to_have_text("text/plain files are not allowed.")
        drawn = read_drawn(tip, {"text": "text/plain files are not allowed.", **expected})
    finally:
        page.close()
    assert drawn == {"text": "text/plain files are not allowed.", **expected}


def test_chosen_files_buttons_keep_their_icons_alone_in_chinese(
    admin_server, chromium_browser, tmp_path
) -> None:
    """Test that in Chinese, once a file is chosen, its remove button and the add-files "+" draw
    no word after their icons (the picker's 选择文件 is for its own button only)."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    page = on_page(chromium_browser, admin_server, "zh", "upload")
    try:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(notes)
        buttons = page.locator(
            'button[aria-label="Remove notes.txt"], button[aria-label="Add files"]'
        )
        expect(buttons).to_have_count(2)
        after = buttons.evaluate_all("bs => bs.map(b => getComputedStyle(b, '::after').content)")
    finally:
        page.close()
    assert after == ["none", "none"]


# Streamlit's fixed English words a viewer could see (each a whole text, or its start).
STREAMLIT_ENGLISH = (
    "Skip to main content",
    "Upload",
    "Drag and drop",
    "per file",
    "Press Enter",
    "No results",
    "Running...",
    "Stop",
    "Deploy",
    "Rerun",
    "Download as CSV",
    "Show/hide columns",
    "Fullscreen",
    "Search",
    "Type to search",
    "Select all",
    "Sort ascending",
    "Hide column",
    "files are not allowed",
    "File must be",
)
# The texts a window draws: every text node whose element is shown at a size above 0.
DRAWN_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !el || ['SCRIPT', 'STYLE'].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.fontSize === '0px' || style.visibility === 'hidden' || !box.width) continue;
    if (el.closest('[aria-hidden="true"]')) continue;
    out.push(text);
  }
  return out;
}"""


def streamlit_english(texts: list[str]) -> list[str]:
    """The drawn texts that are, or start with, one of Streamlit's English words."""
    return [
        x
        for x in texts
        if any(x == w or x.startswith(w + " ") or (" " in w and w in x) for w in STREAMLIT_ENGLISH)
    ]


def test_no_page_shows_streamlits_english_in_chinese(admin_server, chromium_browser) -> None:
    """Test that no page of the Chinese UI draws any of Streamlit's known English words."""
    page = signed_in(chromium_browser, admin_server, LAPTOP, "zh")
    found = {}
    try:
        for name, title_key, heading_key, _ in PAGES:
            go(page, title_key, heading_key, "zh")
            for ready in READY.get(name, ()):
                expect(page.locator(ready).first).to_be_visible()
            found[name] = streamlit_english(page.evaluate(DRAWN_TEXTS))
    finally:
        page.close()
    assert found == {name: [] for name, *_ in PAGES}


def test_upload_page_shows_streamlits_own_words_in_english(admin_server, chromium_browser) -> None:
    """Test that the English upload page draws Streamlit's own picker words (the list above is
    what a page in English does show)."""
    page = on_page(chromium_browser, admin_server, "en", "upload")
    try:
        found = streamlit_english(page.evaluate(DRAWN_TEXTS))
    finally:
        page.close()
    assert "Upload" in found
