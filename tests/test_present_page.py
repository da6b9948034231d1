"""AppTest of the presenter page (pages/present.py): the counter and buttons move through the deck,
a signed-in user freezes a meeting snapshot that the page then shows, and a later change to the
store leaves the shown snapshot's figures alone; freezing stays on the slide on screen; the
presenter's texts, hidden and moved slides are saved with the snapshot; speaker notes show on
request."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from lib.accounts import auth
from lib.deck import snapshots
from lib.store import db
from lib.store.models import AuditLog
from lib.ui import present
from tests.deck_support import add_figure

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


@pytest.mark.parametrize(("lang", "stamp"), [("zh", "数据截至"), ("en", "Data as of")])
def test_cover_shows_the_stamp_once(store: str, lang: str, stamp: str) -> None:
    """Test that the rendered cover says 数据截至 (Data as of) once, not twice."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["auth_user"] = {"username": "viv", "role": "viewer"}
    if lang == "en":
        at.query_params["lang"] = "en"
    at.run()
    assert counter(at).startswith("1 / ")
    assert '<div class="kpi-slide kpi-cover">' in shown(at)
    assert shown(at).count(stamp) == 1


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


def titles(at: AppTest) -> list[str]:
    """The slide titles drawn on this run (the cover's and the others')."""
    return [m.value for m in (*at.markdown, *at.html) if "kpi-slide__title" in m.value]


def go_to(at: AppTest, title: str) -> None:
    """Click Next until the slide with this title is on screen."""
    for _ in range(40):
        if any(f">{title}<" in m for m in titles(at)):
            return
        at.button(key="present_next").click().run()
    raise AssertionError(title)


def test_freezing_stays_on_the_slide_on_screen(store: str) -> None:
    """Test that freezing a snapshot on the fifth slide leaves the counter at 5, not 1."""
    at = run_page()
    for _ in range(4):
        at.button(key="present_next").click().run()
    assert counter(at).startswith("5 / ")
    at.button(key="present_freeze").click().run()
    assert "会议快照" in shown(at)
    assert counter(at).startswith("5 / ")


def test_text_written_in_presenter_mode_is_saved_with_the_snapshot(store: str) -> None:
    """Test that 存在的问题和不足 typed on a snapshot becomes a slide, is stored and audited."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "viv", store)
    at = run_page()
    at.selectbox(key="present_source").set_value(sid).run()
    before = int(counter(at).split(" / ")[1])
    box = at.text_area(key=f"present_text_snap{sid}_problems_zh")
    assert box.value == ""  # starts empty: nothing invented
    box.input("阵地运营经费不足").run()
    assert int(counter(at).split(" / ")[1]) == before + 1
    go_to(at, "存在的问题和不足")
    assert "阵地运营经费不足" in shown(at)
    assert snapshots.load(sid, store)["deck"]["texts"]["problems"]["zh"] == "阵地运营经费不足"
    with db.session_scope(store) as s:
        actions = s.scalars(select(AuditLog.action).where(AuditLog.username == "viv")).all()
    assert snapshots.DECK_TEXTS_EVENT in actions


def test_plan_line_is_offered_quoted_and_cited(store: str) -> None:
    """Test that the 产改 outline is offered for 下一步工作打算 and, once added, is cited."""
    at = run_page()
    at.button(key="present_suggest_live_daxing_2025").click().run()
    text = at.text_area(key="present_text_live_daxing_2025_next_steps_zh").value
    assert "《大兴区产业工人队伍建设改革的实施纲要（2025-2027）》" in text
    go_to(at, "下一步工作打算")
    foot = next(m.value for m in (*at.markdown, *at.html) if 'class="kpi-foot"' in m.value)
    assert "大兴区总工会启动2025至2027年“产改”实施纲要" in foot


def test_hidden_slide_stays_hidden_after_reopening(store: str) -> None:
    """Test that hiding the slide on screen drops it from the deck and the snapshot keeps that."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "viv", store)
    at = run_page()
    at.selectbox(key="present_source").set_value(sid).run()
    total = int(counter(at).split(" / ")[1])
    at.button(key="present_next").click().run()  # 汇报提纲
    at.button(key="present_hide").click().run()
    assert counter(at) == f"2 / {total - 1}"
    assert snapshots.load(sid, store)["deck"]["hidden"] == ["agenda"]
    again = run_page()
    again.selectbox(key="present_source").set_value(sid).run()
    assert counter(again) == f"1 / {total - 1}"
    assert again.multiselect(key=f"present_hidden_snap{sid}").value == ["agenda"]


def test_moved_slide_stays_moved(store: str) -> None:
    """Test that moving 主要指标 earlier puts it before 工作综述 in the saved snapshot."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "viv", store)
    at = run_page()
    at.selectbox(key="present_source").set_value(sid).run()
    go_to(at, "主要指标")
    at.button(key="present_move_up").click().run()
    assert counter(at).startswith("3 / ")
    order = snapshots.load(sid, store)["deck"]["order"]
    assert order.index("headline") < order.index("summary")


def test_speaker_notes_show_on_the_presenters_panel(store: str) -> None:
    """Test that the notes toggle shows the slide's figures with their source words."""
    at = run_page()
    go_to(at, "主要指标")
    assert not at.get("text")
    at.toggle(key="present_show_notes").set_value(True).run()
    notes = "\n".join(x.value for x in at.get("text"))
    assert "发展会员：1.8万余人——《百年工运铸辉煌" in notes


def test_sources_slide_lists_the_articles(store: str) -> None:
    """Test that presenter mode shows 资料来源: each article with its newspaper and date or
    报纸名称与日期原文未载, and the sections using it."""
    at = run_page()
    go_to(at, "资料来源")
    table = next(m for m in shown(at).split("\n") if 'class="kpi-table"' in m)
    assert "<th>文章</th><th>报纸与日期</th><th>所用数据见</th>" in table
    assert "百年工运铸辉煌 实干担当惠职工" in table
    assert "<td>今日大兴版，报纸名称与日期原文未载</td>" in table


@pytest.mark.parametrize(("viewport", "size"), [(1080, 24), (900, 20), (720, 16)])
def test_chart_text_grows_with_the_screen(store: str, viewport: int, size: int) -> None:
    """Test that the 历年对比 chart's text is 24 px (18 pt) on a 1080-line screen, smaller on
    smaller ones."""
    import json

    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["auth_user"] = {"username": "viv", "role": "viewer"}
    at.session_state[present.VIEWPORT_KEY] = viewport
    at.run()
    for _ in range(40):
        if any(">历年对比（" in m for m in titles(at)):
            break
        at.button(key="present_next").click().run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] == size
