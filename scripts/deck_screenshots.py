"""Screenshots of the presenter deck for the README: Daxing 2025, dark and light, zh and en, the
汇报提纲, the headline, a category, the (offline) map, 历年对比, 下一步工作打算 (started from
the cited 产改 outline the presenter mode offers) and 资料来源 at 1920×1080 (16:9), and the
headline, a category and 资料来源 at 1440×1080 (4:3, dark), saved at half size (64-colour PNG)
under docs/screenshots/deck/. Needs Debian's chromium and a built store (make db, or
DATABASE_URL).

    .venv/bin/python scripts/deck_screenshots.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.browser_support import chromium, streamlit_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots" / "deck"
SLIDES = {
    "agenda": ("汇报提纲", "Outline"),
    "headline": ("主要指标", "Headline figures"),
    "category": ("组织建设", "Organisation building"),
    "map": ("服务阵地分布", "Station map"),
    "history": ("历年对比（2021—2025年）", "Over the years (2021–2025)"),
    "next_steps": ("下一步工作打算", "Next steps"),
    "sources": ("资料来源", "Sources"),
}
FOUR_THREE = ("headline", "category", "sources")  # also shot at 1440×1080 (a 4:3 projector)
THEME_LABEL = {("light", "zh"): "浅色", ("light", "en"): "Light"}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def save(png: bytes, path: Path) -> None:
    """A screenshot halved and reduced to 64 colours (small enough to commit)."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    img = img.resize((img.width // 2, img.height // 2), Image.LANCZOS)
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(browser, base: str, theme: str, lang: str, width: int = 1920) -> None:  # noqa: ANN001
    """The slides of one theme and language at a window width (1080 px high): all of SLIDES at
    1920 (16:9), FOUR_THREE at 1440 (4:3, files named …_43_…)."""
    page = browser.new_page(viewport={"width": width, "height": 1080})
    page.set_default_timeout(60_000)
    page.route(
        "**/*",
        lambda r: r.continue_() if "localhost" in r.request.url else r.abort(),
    )
    page.goto(f"{base}/present" + ("?lang=en" if lang == "en" else ""))
    counter = page.locator(".st-key-present_counter")
    expect(counter).to_contain_text("1 /", timeout=60_000)
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    page.click("[data-testid='stExpander'] summary")
    if theme == "light":
        choice = page.locator(".st-key-present_theme button").filter(
            has_text=THEME_LABEL[(theme, lang)]
        )
        choice.first.click()
        expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    total = counter.inner_text()
    page.click(".st-key-present_suggest_live_daxing_2025 button")  # the cited 产改 outline
    expect(counter).not_to_have_text(total, timeout=60_000)
    expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
    page.click("[data-testid='stExpander'] summary")
    wanted = {k: v for k, v in SLIDES.items() if width == 1920 or k in FOUR_THREE}
    aspect = "" if width == 1920 else "_43"
    for _ in range(40):
        expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
        title = page.inner_text(".st-key-present_slide").split("\n")[0].strip()
        for key, names in list(wanted.items()):
            if title == names[lang == "en"]:
                if key == "map":
                    canvas = page.locator(".st-key-present_slide canvas").first
                    expect(canvas).to_be_visible(timeout=60_000)
                    page.wait_for_timeout(1500)  # deck.gl's first frames
                elif key == "history":
                    plot = page.locator(".st-key-present_slide .js-plotly-plot .barlayer").first
                    expect(plot).to_be_visible(timeout=60_000)
                elif key in ("category", "sources"):
                    table = page.locator(".st-key-present_slide .kpi-table").first
                    expect(table).to_be_visible(timeout=60_000)
                save(page.screenshot(), OUT / f"{key}{aspect}_{theme}_{lang}.png")
                del wanted[key]
        if not wanted or page.locator(".st-key-present_next button[disabled]").count():
            break
        before = counter.inner_text()
        page.click(".st-key-present_next button")
        expect(counter).not_to_have_text(before, timeout=60_000)
    page.close()


def main() -> None:
    """Start the app on the built store and shoot every theme and language."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    with tempfile.TemporaryDirectory() as tmp:
        with streamlit_server(env, Path(tmp) / "server.log") as (_, base), chromium() as browser:
            for theme in ("dark", "light"):
                for lang in ("zh", "en"):
                    shoot(browser, base, theme, lang)
            for lang in ("zh", "en"):
                shoot(browser, base, "dark", lang, width=1440)


if __name__ == "__main__":
    main()
