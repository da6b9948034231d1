"""Browser test of presenter mode against a real `streamlit run app.py` (Debian chromium through
Playwright, fixtures of tests/browser/conftest.py): the page fills the screen, the keyboard and a
clicker's PageUp/PageDown move the slide counter, headline numbers are at least 53 px (40 pt) at
1920×1080 and 48 px at 1280×720, and nothing is fetched from outside the machine. Screenshots go
to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser_support import COUNT_RUNS, IDLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium missing"),
]
TIMEOUT_MS = 30_000
COUNTER = ".st-key-present_counter"
SIZES = [(1920, 1080), (1280, 720)]


def open_present(browser, base: str, width: int, height: int):  # noqa: ANN001, ANN201
    """A new page at the presenter URL, waited until the slide counter shows."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []
    page.on(
        "request",
        lambda req: (
            outside.append(req.url)
            if urlparse(req.url).hostname not in ("localhost", "127.0.0.1", None, "")
            else None
        ),
    )
    page.goto(f"{base}/present")
    page.wait_for_selector(COUNTER)
    page.wait_for_selector(".st-key-present_next button")
    page.wait_for_function(
        "sel => { const e = document.querySelector(sel);"
        " return !!e && /^1 \\/ \\d+$/.test(e.innerText.trim()); }",
        arg=COUNTER,
    )
    page.outside = outside  # type: ignore[attr-defined]
    return page


def settle(page) -> None:  # noqa: ANN001
    """Wait (auto-retrying) until the app has finished its script run."""
    expect(page.locator(IDLE)).to_be_attached()


def open_settings(page) -> None:  # noqa: ANN001
    """Open the settings expander once the app is idle and wait until it shows open."""
    settle(page)
    details = page.locator("[data-testid='stExpander'] details")
    if not details.evaluate("e => e.open"):
        page.click("[data-testid='stExpander'] summary")
    expect(details).to_have_js_property("open", True)


def choose(page, key: str, option: re.Pattern[str]) -> None:  # noqa: ANN001
    """Pick an option of the select box under key in the settings expander.

    The page's one-off window-size rerun can land after the app first reports idle and close an
    open dropdown, so the box is opened again (at most three times) until its option shows."""
    for attempt in range(3):
        open_settings(page)
        page.click(f"{key} [role='combobox']")
        choice = page.locator("[role='option']").filter(has_text=option).first
        try:
            expect(choice).to_be_visible(timeout=5_000)
        except AssertionError:
            if attempt == 2:
                raise
            continue
        choice.click()
        return


def close_settings(page) -> None:  # noqa: ANN001
    """Close the settings expander once the app is idle."""
    settle(page)
    if page.eval_on_selector("[data-testid='stExpander'] details", "e => e.open"):
        page.click("[data-testid='stExpander'] summary")


def counter(page) -> tuple[int, int]:  # noqa: ANN001
    """The slide counter as (current, total)."""
    text = page.inner_text(COUNTER).strip()
    match = re.fullmatch(r"(\d+) / (\d+)", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


def press_and_wait(page, key: str, expected: int) -> None:  # noqa: ANN001
    """Press a key once the app is idle and wait for the counter to show the expected number."""
    page.wait_for_selector(IDLE)
    # the keys component installs its listener once its script has loaded (after the first run)
    page.wait_for_function("() => !!window.__kpiPresentKeys")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)
    page.wait_for_function(
        "([sel, n]) => { const e = document.querySelector(sel);"
        " return !!e && e.innerText.trim().startsWith(n + ' /'); }",
        arg=[COUNTER, expected],
    )


@pytest.fixture(scope="module")
def present_page(app_server: str, chromium_browser):  # noqa: ANN001, ANN201
    """The presenter page at 1920×1080, shared by the module's tests."""
    page = open_present(chromium_browser, app_server, 1920, 1080)
    yield page
    page.close()


def test_keys_and_clicker_move_the_counter(present_page) -> None:  # noqa: ANN001
    """Test that ArrowRight/PageDown go forward and ArrowLeft/PageUp go back: 1 / N → 2 / N …"""
    page = present_page
    first, total = counter(page)
    assert first == 1 and total >= 8
    press_and_wait(page, "ArrowRight", 2)
    press_and_wait(page, "PageDown", 3)
    press_and_wait(page, "PageUp", 2)
    press_and_wait(page, "ArrowLeft", 1)
    assert counter(page) == (1, total)


def test_next_button_moves_the_counter(present_page) -> None:  # noqa: ANN001
    """Test that the Next button works like the keyboard."""
    page = present_page
    start, _ = counter(page)
    page.click(".st-key-present_next button")
    page.wait_for_function(
        "([sel, n]) => { const e = document.querySelector(sel);"
        " return !!e && e.innerText.trim().startsWith(n + ' /'); }",
        arg=[COUNTER, start + 1],
    )
    page.click(".st-key-present_prev button")
    page.wait_for_function(
        "([sel, n]) => { const e = document.querySelector(sel);"
        " return !!e && e.innerText.trim().startsWith(n + ' /'); }",
        arg=[COUNTER, start],
    )


def test_sidebar_and_chrome_are_hidden(present_page) -> None:  # noqa: ANN001
    """Test that presenter mode hides the sidebar and Streamlit's header."""
    page = present_page
    for selector in ('[data-testid="stSidebar"]', 'header[data-testid="stHeader"]'):
        assert not page.is_visible(selector)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1920x1080", "1280x720"])
def test_headline_numbers_are_big_and_screenshots(
    app_server: str,
    chromium_browser,  # noqa: ANN001
    artifacts: Path,
    width: int,
    height: int,
) -> None:
    """Test that the headline figures are ≥ 53 px (40 pt) at 1920×1080 and ≥ 48 px at 1280×720,
    table text ≥ 24 px (18 pt) and the footnote ≥ 16 px (12 pt) at 1920×1080; save screenshots."""
    page = open_present(chromium_browser, app_server, width, height)
    try:
        page.screenshot(path=str(artifacts / f"present_title_{width}x{height}.png"))
        for n in (2, 3, 4):  # cover → 汇报提纲 → 工作综述 → 主要指标
            press_and_wait(page, "ArrowRight", n)
        page.wait_for_selector(".kpi-card__value")
        sizes = page.eval_on_selector_all(
            ".kpi-card__value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        texts = page.eval_on_selector_all(".kpi-card__value", "els => els.map(e => e.innerText)")
        assert "3,396家" in texts and "1.8万余人" in texts
        assert sizes and min(sizes) >= (53 if width == 1920 else 48)
        overflow = page.eval_on_selector_all(
            ".kpi-card__value", "els => els.some(e => e.scrollWidth > e.clientWidth + 1)"
        )
        assert not overflow
        page.screenshot(path=str(artifacts / f"present_headline_{width}x{height}.png"))
        press_and_wait(page, "PageDown", 5)  # 组织建设: one figure an indicator, a table
        page.wait_for_selector(".st-key-present_slide .kpi-table")
        page.screenshot(path=str(artifacts / f"present_category_{width}x{height}.png"))
        if width == 1920:  # 18 pt table text, 12 pt footnote (1 pt = 4/3 px)
            cells = page.eval_on_selector_all(
                ".kpi-table td", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
            )
            foot = page.eval_on_selector(
                ".kpi-foot", "e => parseFloat(getComputedStyle(e).fontSize)"
            )
            assert cells and min(cells) >= 24 and foot >= 16
        assert page.is_visible(".st-key-present_next button")  # the nav bar stays on screen
        assert page.outside == []  # type: ignore[attr-defined]
    finally:
        page.close()


def test_every_slide_offline(app_server: str, chromium_browser) -> None:  # noqa: ANN001
    """Test that walking the whole deck (map with basemap none included) fetches nothing remote."""
    page = open_present(chromium_browser, app_server, 1280, 720)
    try:
        _, total = counter(page)
        for n in range(2, total + 1):
            press_and_wait(page, "PageDown", n)
            settle(page)
            deck = page.locator(".st-key-present_slide [data-testid='stDeckGlJsonChart'] canvas")
            if deck.count():  # the map slide: wait until deck.gl has drawn (and fetched, if at all)
                expect(deck.first).to_be_visible()
        assert page.outside == []  # type: ignore[attr-defined]
        assert page.inner_text(".st-key-present_slide").count("数据截至") >= 1
    finally:
        page.close()


def test_auto_advance_moves_on_by_itself(app_server: str, chromium_browser) -> None:  # noqa: ANN001
    """Test that with auto-advance on and a 5 s interval the slides move on without a key press."""
    page = open_present(chromium_browser, app_server, 1280, 720)
    try:
        choose(page, ".st-key-present_interval", re.compile(r"^\s*5\s*$"))
        open_settings(page)
        page.click(".st-key-present_auto label")
        start, _ = counter(page)
        page.wait_for_function(
            "([sel, n]) => { const e = document.querySelector(sel);"
            " return !!e && !e.innerText.trim().startsWith(n + ' /'); }",
            arg=[COUNTER, start],
            timeout=15_000,
        )
        assert counter(page)[0] == start + 1
    finally:
        page.close()


def test_light_theme(app_server: str, chromium_browser, artifacts: Path) -> None:  # noqa: ANN001
    """Test that the light theme turns the screen white with dark text and red figures."""
    page = open_present(chromium_browser, app_server, 1920, 1080)
    try:
        open_settings(page)
        page.locator(".st-key-present_theme button").filter(has_text="浅色").click()
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.stApp')).backgroundColor"
            " === 'rgb(255, 255, 255)'"
        )
        page.wait_for_selector(".st-key-present_next button")
        close_settings(page)
        for n in (2, 3, 4):
            press_and_wait(page, "ArrowRight", n)
        color = page.eval_on_selector(".kpi-card__value", "e => getComputedStyle(e).color")
        assert color == "rgb(200, 16, 46)"
        page.screenshot(path=str(artifacts / "present_headline_light_1920x1080.png"))
    finally:
        page.close()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1920", "1280"])
def test_first_visit_fits_the_window_in_one_run(
    app_server: str,
    chromium_browser,  # noqa: ANN001
    width: int,
    height: int,
) -> None:
    """Test that the presenter opened in a new browser fits its slide to the window in its first
    script run: one run, no second one to take the window's height, the slide within the window."""
    page = chromium_browser.new_page(viewport={"width": width, "height": height})
    try:
        page.add_init_script(COUNT_RUNS)
        page.goto(f"{app_server}/present")
        expect(page.locator(COUNTER)).to_have_text(re.compile(r"^1 / \d+$"), timeout=TIMEOUT_MS)
        settle(page)
        slide = page.eval_on_selector(".st-key-present_slide", "e => e.clientHeight")
        assert height - 160 <= slide <= height - 120
        assert page.evaluate("() => window.__runs") == 1
    finally:
        page.close()


def test_layout_follows_a_window_resize(app_server: str, chromium_browser) -> None:  # noqa: ANN001
    """Test that after 1920×1080 → 1366×768 (laptop onto projector) the navigation and the
    footnote are on screen without a reload, and the slide shrinks to the new window."""
    page = open_present(chromium_browser, app_server, 1920, 1080)
    try:
        for n in (2, 3, 4, 5):  # a category slide with its table
            press_and_wait(page, "PageDown", n)
        page.wait_for_selector(".st-key-present_slide .kpi-table")
        tall = page.eval_on_selector(".st-key-present_slide", "e => e.clientHeight")
        page.set_viewport_size({"width": 1366, "height": 768})
        expect(page.locator(".st-key-present_next button")).to_be_in_viewport(ratio=1)
        expect(page.locator(".st-key-present_counter")).to_be_in_viewport(ratio=1)
        expect(page.locator(".st-key-present_counter")).to_have_text(re.compile(r"^5 / "))
        page.wait_for_function(
            "() => document.querySelector('.st-key-present_slide').clientHeight"
            " <= window.innerHeight - 120"
        )
        assert page.eval_on_selector(".st-key-present_slide", "e => e.clientHeight") < tall
        settle(page)
        expect(page.locator(".st-key-present_next button")).to_be_in_viewport(ratio=1)
    finally:
        page.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)], ids=["1920", "1366"])
def test_english_headline_cards_all_fit(
    app_server: str,
    chromium_browser,  # noqa: ANN001
    artifacts: Path,
    width: int,
    height: int,
) -> None:
    """Test that every English headline card, 469,000+ attendances included, lies inside the
    window (a long value breaks before its unit, never past the right edge)."""
    page = open_present(chromium_browser, app_server + "", width, height)
    try:
        page.goto(f"{app_server}/present?lang=en")
        expect(page.locator(COUNTER)).to_have_text(re.compile(r"^1 / "))
        for n in (2, 3, 4):
            press_and_wait(page, "ArrowRight", n)
        values = page.locator(".kpi-card__value")
        expect(values.filter(has_text="469,000+")).to_be_in_viewport(ratio=1)
        assert values.count() == 5
        for n in range(values.count()):
            expect(values.nth(n)).to_be_in_viewport(ratio=1)
        colors = page.eval_on_selector_all(
            ".kpi-card__value span", "els => els.map(e => getComputedStyle(e).color)"
        )
        assert set(colors) == {"rgb(255, 92, 108)"}  # the dark theme's accent, number and unit
        right = page.eval_on_selector_all(
            ".kpi-card__value span",
            "els => Math.max(...els.map(e => e.getBoundingClientRect().right))",
        )
        assert right <= width
        sizes = page.eval_on_selector_all(
            ".kpi-card__value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert min(sizes) >= (53 if width == 1920 else 48), sizes  # 40 pt at 1920
        page.screenshot(path=str(artifacts / f"present_headline_en_{width}x{height}.png"))
    finally:
        page.close()


def test_chart_slide_toolbar_speaks_chinese(app_server: str, chromium_browser) -> None:  # noqa: ANN001
    """Test that the first chart slide's plotly toolbar titles its PNG download and its
    Fullscreen button in Chinese."""
    page = open_present(chromium_browser, app_server, 1920, 1080)
    slide = ".st-key-present_slide"
    try:
        _, total = counter(page)
        for n in range(2, total + 1):
            press_and_wait(page, "PageDown", n)
            settle(page)
            expect(page.locator(f"{slide} [data-testid='stSkeleton']")).to_have_count(0)
            if page.locator(f"{slide} [data-testid='stPlotlyChart']").count():
                break
        chart = page.locator(f"{slide} .js-plotly-plot").first
        chart.hover()
        png = chart.locator(".modebar-btn[data-title='下载图表为PNG格式']")
        expect(png).to_be_visible()
        full = chart.locator('.modebar-btn[data-title="Fullscreen"]')
        full.hover()
        expect(full).to_be_visible()
        drawn = full.evaluate("e => getComputedStyle(e, '::after').content")
    finally:
        page.close()
    assert drawn == '"全屏"'
