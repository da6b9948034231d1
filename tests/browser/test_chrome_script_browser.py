"""Browser test of Streamlit's own words that CSS cannot reach (issue 17, point 2): in the Chinese
UI a fixed script of ours (lib/ui/chrome_words.js, mounted by lib/ui/chrome.py) writes them in
Chinese in place, in English they are Streamlit's own: a table search's count of results (built
from numbers), a column menu's "Copy column name" tooltip, its Statistics and Format submenus, and
the dialog shown when the server has gone. Streamlit keeps working around the rewritten words
(the search counts on, a format chosen closes the menu, the dialog closes), and the script's
element draws nothing. Against a real app server (Debian chromium via Playwright), signed in as
an administrator."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Route, WebSocketRoute, expect

from tests.browser.test_chrome_browser import IDLE, TABLE, on_page, open_column_menu, tool
from tests.browser.test_screen_browser import LAPTOP, PHONE, signed_in
from tests.browser_support import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed"),
]

COUNTS = {
    "zh": (r"^(\d+) 条结果$", r"^第 1 条，共 (\d+) 条$"),
    "en": (r"^(\d+) results$", r"^1 of (\d+) results$"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_search_count_speaks_the_ui_language(admin_server, chromium_browser, lang) -> None:
    """Test that a table search's count of results, and of the one found after Enter, is in the
    UI's language with its numbers."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        tool(page, "Search").dispatch_event("click")
        page.keyboard.type("20")
        count = page.locator('[data-testid="search-result-area"]')
        expect(count).to_have_text(re.compile(COUNTS[lang][0]))
        found = re.match(COUNTS[lang][0], count.inner_text())
        page.keyboard.press("Enter")
        expect(count).to_have_text(re.compile(COUNTS[lang][1]))
        after = re.match(COUNTS[lang][1], count.inner_text())
    finally:
        page.close()
    assert found and after and found[1] == after[1] and int(found[1]) > 1


@pytest.mark.parametrize(("lang", "expected"), [("zh", "复制列名"), ("en", "Copy column name")])
def test_copy_column_name_tooltip_speaks_the_ui_language(
    admin_server, chromium_browser, lang, expected
) -> None:
    """Test that a column menu's copy button is titled (its hover tooltip) in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        menu = open_column_menu(page)
        button = menu.locator('button[aria-label="Copy column name"]')
        expect(button).to_have_attribute("title", expected)
    finally:
        page.close()


def test_chinese_pin_action_names_what_it_will_do(admin_server, chromium_browser) -> None:
    """Test that in Chinese a pinned column's menu offers 取消固定此列 and, once chosen (the
    menu still acts), the unpinned column's menu offers 固定此列."""
    page = on_page(chromium_browser, admin_server, "zh", "targets")
    try:
        items = open_column_menu(page).locator('[role="menuitem"]')
        items.filter(has_text="取消固定此列").click()
        expect(page.locator('[data-testid="stDataFrameColumnMenu"]')).to_have_count(0)
        items = open_column_menu(page).locator('[role="menuitem"]')
        expect(items.filter(has_text="固定此列")).to_have_text(re.compile("^[a-z_]*固定此列$"))
    finally:
        page.close()


STATISTICS = {
    "zh": ["值的个数", "空值", "不同值", "最短长度", "最长长度", "平均长度"],
    "en": ["Values", "Empty", "Distinct", "Minimum length", "Maximum length", "Average length"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_column_statistics_speak_the_ui_language(admin_server, chromium_browser, lang) -> None:
    """Test that a text column's Statistics submenu names its figures in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        open_column_menu(page).locator('[role="menuitem"][aria-haspopup="true"]').hover()
        names = page.locator('[data-testid="stDataFrameStatisticsMetrics"] dt')
        expect(names).to_have_text(STATISTICS[lang])
    finally:
        page.close()


FORMATS = {
    "zh": ["自动", "本地格式", "相对时间", "日历格式"],
    "en": ["Automatic", "Localized", "Distance", "Calendar"],
}
CREATED = {"zh": "创建时间", "en": "Created"}
# A menu item's word: its own text, without its icon's (a ligature in a child element).
OWN_TEXT = "e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('')"


def format_menu(page: Page, lang: str) -> Locator:
    """The Format submenu of the users table's "created" column (a date-time column), open."""
    menu = open_column_menu(page, 5)  # no row markers: the 5th edge closes the 6th column
    expect(menu.get_by_title(CREATED[lang], exact=True)).to_be_visible()
    menu.locator('[role="menuitem"][aria-haspopup="menu"]').hover()
    formats = page.locator('[data-testid="stDataFrameColumnFormattingMenu"] [role="menuitem"]')
    expect(formats).to_have_count(len(FORMATS[lang]))
    return formats


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_column_format_choices_speak_the_ui_language(admin_server, chromium_browser, lang) -> None:
    """Test that a date-time column's Format submenu names its choices in the UI's language."""
    page = on_page(chromium_browser, admin_server, lang, "admin")
    try:
        formats = format_menu(page, lang)
        expect(formats.last).to_have_text(re.compile(FORMATS[lang][-1] + "$"))
        words = formats.evaluate_all(f"items => items.map({OWN_TEXT})")
    finally:
        page.close()
    assert words == FORMATS[lang]


def test_chinese_format_choice_still_acts(admin_server, chromium_browser) -> None:
    """Test that in Chinese choosing 日历格式 in a Format submenu does what a choice does: the
    column menu closes."""
    page = on_page(chromium_browser, admin_server, "zh", "admin")
    try:
        format_menu(page, "zh").filter(has_text="日历格式").click()
        expect(page.locator('[data-testid="stDataFrameColumnMenu"]')).to_have_count(0)
    finally:
        page.close()


def server_gone(page: Page) -> Callable[[], None]:
    """Route the page's connection to the app through the test (the page reloaded and drawn
    again); the returned function then cuts it as a stopped server would: the connection closed,
    a new one refused, the health and host-config requests unanswered."""
    sockets: list[WebSocketRoute] = []
    gone = {"on": False}

    def route(ws: WebSocketRoute) -> None:
        """Pass a connection through to the app, or refuse it once the server is gone."""
        if gone["on"]:
            ws.close()
            return
        ws.connect_to_server()
        sockets.append(ws)

    def refuse(route: Route) -> None:
        """No answer: the request fails as against a stopped server."""
        route.abort()

    def cut() -> None:
        """The server gone."""
        gone["on"] = True
        page.route("**/_stcore/health", refuse)
        page.route("**/_stcore/host-config", refuse)
        for ws in sockets:
            ws.close()

    page.route_web_socket("**/_stcore/stream", route)
    page.reload()  # the app's connection, now through the route
    expect(page.locator(TABLE).first).to_be_visible()
    expect(page.locator(IDLE)).to_be_attached()
    return cut


LOST = {
    "zh": ("连接错误", "Streamlit 服务是否仍在运行？如果是意外停止，请在终端中重新启动："),
    "en": (
        "Connection error",
        "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in"
        " your terminal:",
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_connection_error_dialog_speaks_the_ui_language(
    admin_server, chromium_browser, lang
) -> None:
    """Test that the dialog shown once the server has gone is titled and worded in the UI's
    language."""
    page = on_page(chromium_browser, admin_server, lang, "targets")
    try:
        server_gone(page)()
        dialog = page.locator('[data-testid="stDialog"]')
        expect(dialog.get_by_role("heading")).to_have_text(LOST[lang][0])
        expect(dialog.get_by_text(LOST[lang][1], exact=True)).to_be_visible()
    finally:
        page.close()


def test_chinese_connection_error_dialog_closes(admin_server, chromium_browser) -> None:
    """Test that in Chinese the connection-error dialog's close button still closes it."""
    page = on_page(chromium_browser, admin_server, "zh", "targets")
    try:
        server_gone(page)()
        dialog = page.locator('[data-testid="stDialog"]')
        expect(dialog.get_by_role("heading")).to_have_text("连接错误")
        dialog.locator('button[aria-label="Close"]').click()
        expect(dialog).to_have_count(0)
    finally:
        page.close()


def test_chinese_connection_error_copy_button_tooltip_speaks_chinese(
    admin_server, chromium_browser
) -> None:
    """Test that in Chinese the connection-error dialog's copy button (beside its command) has
    the tooltip 复制 when hovered."""
    page = on_page(chromium_browser, admin_server, "zh", "targets")
    try:
        server_gone(page)()
        dialog = page.locator('[data-testid="stDialog"]')
        dialog.locator('[data-testid="stErrorCodeBlock"]').hover()
        dialog.locator('button[aria-label="Copy to clipboard"]').hover()
        expect(page.locator('[data-testid="stTooltipContent"]')).to_have_text("复制")
    finally:
        page.close()


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_words_script_draws_nothing(admin_server, chromium_browser, size) -> None:
    """Test that in Chinese the words script's element is on the page but takes no room (no gap
    in the layout), on a laptop and on a phone."""
    page = signed_in(chromium_browser, admin_server, LAPTOP if size == "laptop" else PHONE, "zh")
    try:
        script = page.locator(".st-key-sidebar_chrome_words")
        expect(script).to_be_attached()
        box = script.bounding_box()
    finally:
        page.close()
    assert box is None
