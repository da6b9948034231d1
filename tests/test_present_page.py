"""AppTest of the presenter page (pages/present.py): the counter and buttons move through the deck,
a signed-in user freezes a meeting snapshot that the page then shows, and a later change to the
store leaves the shown snapshot's figures alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.accounts import auth
from lib.deck import snapshots
from tests.test_slides import add_figure

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "present.py")


@pytest.fixture
def store(seeded_copy: str) -> str:
    """A private copy of the seeded store with a viewer account."""
    auth.create_user("viv", "viewer", None, None, seeded_copy)
    return seeded_copy


def run_page(user: str | None = "viv") -> AppTest:
    """The presenter page run once, signed in as a viewer."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    if user:
        at.session_state["auth_user"] = {"username": user, "role": "viewer"}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def counter(at: AppTest) -> str:
    """The text of the slide counter."""
    return next(m.value for m in at.markdown if " / " in m.value and len(m.value) < 12)


def shown(at: AppTest) -> str:
    """All markdown and html of the run, joined."""
    return "\n".join(m.value for m in (*at.markdown, *at.html))


def test_buttons_move_the_counter(store: str) -> None:
    """Test that Next and Previous move the counter and it starts at 1 / N."""
    at = run_page()
    first = counter(at)
    assert first.startswith("1 / ")
    at.button(key="present_next").click().run()
    assert counter(at).startswith("2 / ")
    at.button(key="present_prev").click().run()
    assert counter(at) == first


def test_freeze_shows_the_snapshot(store: str) -> None:
    """Test that freezing saves a snapshot, selects it, and every slide names it."""
    at = run_page()
    at.text_input(key="present_freeze_name").set_value("区政府联席会议").run()
    at.button(key="present_freeze").click().run()
    assert not at.exception
    saved = snapshots.list_snapshots("daxing", store)
    assert [s.name for s in saved] == ["区政府联席会议"]
    assert at.selectbox(key="present_source").value == saved[0].id
    assert "会议快照「区政府联席会议」" in shown(at)


def test_snapshot_on_screen_ignores_a_later_upload(store: str) -> None:
    """Test that a snapshot on screen keeps 3,396家 after the store changes to 4,000."""
    sid = snapshots.freeze("会前", "daxing", 2025, "viv", store)
    at = run_page()
    at.selectbox(key="present_source").set_value(sid).run()
    add_figure(store, "new_union_units", 2025, 4000)
    for _ in range(2):
        at.button(key="present_next").click().run()
    assert "3,396家" in shown(at) and "4,000家" not in shown(at)
    at.selectbox(key="present_source").set_value(None).run()
    for _ in range(2):
        at.button(key="present_next").click().run()
    assert "4,000家" in shown(at)


def test_signed_out_cannot_freeze(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that with anonymous reading on, a visitor sees the slides but cannot freeze."""
    monkeypatch.setenv(auth.ENV_ANON, "1")
    at = run_page(user=None)
    assert at.button(key="present_freeze").disabled
    assert counter(at).startswith("1 / ")


def test_presenter_offers_the_basemap_and_the_map_slide_follows_it(store: str) -> None:
    """Test that presenter mode has the basemap choice and the offline one requests no tiles."""
    import json

    at = run_page()
    box = at.selectbox(key="present_basemap")
    assert "none" in box.options or "离线底图（行政区划）" in box.options
    box.set_value("none").run()
    for _ in range(40):  # the map slide comes after the category and target slides
        if at.get("deck_gl_json_chart"):
            break
        at.button(key="present_next").click().run()
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    assert [layer["id"] for layer in spec["layers"]][:2] == ["districts", "stations"]
