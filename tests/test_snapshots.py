"""Tests of meeting snapshots (lib.deck.snapshots): a frozen snapshot keeps its figures and its 数据截至
time when the store changes afterwards; snapshots are listed and reopened; the presenter's texts,
order and hidden slides are stored with a snapshot and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lib.deck import snapshots
from lib.deck.model import DeckPlan
from lib.deck.pack import build_pptx
from lib.deck.payload import format_as_of, live_payload
from lib.deck.slides import build_slides
from lib.store import db
from lib.store.models import AuditLog
from tests.deck_support import add_figure


def headline(slides: list) -> dict[str, str]:
    """Indicator -> shown value of the headline slide."""
    return {c.indicator: c.shown for c in next(s for s in slides if s.kind == "headline").cards}


def test_snapshot_keeps_its_figures_after_a_change(seeded_url: str) -> None:
    """Test that a figure changed after freezing changes live slides but not the snapshot's."""
    sid = snapshots.freeze("2025年联席会议", "daxing", 2025, "ed", seeded_url)
    before = build_slides(snapshots.load(sid, seeded_url))
    add_figure(seeded_url, "new_union_units", 2025, 4000)  # a later upload, through the models
    frozen = build_slides(snapshots.load(sid, seeded_url))
    live = build_slides(live_payload("daxing", 2025, seeded_url))
    assert headline(frozen)["new_union_units"] == "3,396家"
    assert headline(live)["new_union_units"] == "4,000家"
    strip = [(s.title, s.cards, s.chart, s.table, s.paragraphs, s.footnote) for s in frozen]
    assert strip == [(s.title, s.cards, s.chart, s.table, s.paragraphs, s.footnote) for s in before]


def test_snapshot_slides_say_when_they_were_frozen(seeded_url: str) -> None:
    """Test that every slide of a snapshot says 数据截至 its freezing time and names the snapshot."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url)
    info = snapshots.list_snapshots("daxing", seeded_url)[0]
    when = format_as_of(info.created_at.isoformat())
    for slide in build_slides(snapshots.load(sid, seeded_url)):
        assert f"数据截至 {when}" in slide.footnote
        assert "会议快照「联席会议」" in slide.footnote


def test_snapshot_pack_keeps_frozen_figures(seeded_url: str) -> None:
    """Test that a pack exported from a snapshot after a change still carries the frozen figure."""
    from io import BytesIO

    from pptx import Presentation

    sid = snapshots.freeze("会前", "daxing", 2025, "ed", seeded_url)
    add_figure(seeded_url, "new_union_units", 2025, 4000)
    deck = Presentation(BytesIO(build_pptx(build_slides(snapshots.load(sid, seeded_url)))))
    at = next(n for n, s in enumerate(build_slides(snapshots.load(sid, seeded_url))) if s.cards)
    texts = [sh.text_frame.text for sh in deck.slides[at].shapes if sh.has_text_frame]
    assert "3,396家" in texts and "4,000家" not in texts


def test_snapshots_listed_newest_first_per_org(seeded_url: str) -> None:
    """Test that snapshots are listed newest first and filtered by org."""
    first = snapshots.freeze("一", "daxing", 2025, "ed", seeded_url)
    second = snapshots.freeze("二", "daxing", 2024, "ed", seeded_url)
    other = snapshots.freeze("三", "shunyi", 2024, "ed", seeded_url)
    assert [s.id for s in snapshots.list_snapshots("daxing", seeded_url)] == [second, first]
    assert {s.id for s in snapshots.list_snapshots(None, seeded_url)} == {first, second, other}
    listed = snapshots.list_snapshots("shunyi", seeded_url)[0]
    assert (listed.name, listed.year, listed.created_by) == ("三", 2024, "ed")


def test_reopened_snapshot_is_tagged(seeded_url: str) -> None:
    """Test that a reopened snapshot carries its id and name for the page and the file name."""
    sid = snapshots.freeze("会议", "daxing", 2025, "ed", seeded_url)
    assert snapshots.load(sid, seeded_url)["snapshot"] == {
        "id": sid,
        "name": "会议",
        "created_by": "ed",
    }


def test_unknown_snapshot_is_refused(seeded_url: str) -> None:
    """Test that opening a snapshot that does not exist raises KeyError."""
    with pytest.raises(KeyError):
        snapshots.load(999, seeded_url)


def test_freezing_bumps_the_data_version(seeded_url: str) -> None:
    """Test that freezing is a write that bumps the data version (other processes refresh)."""
    with db.session_scope(seeded_url) as s:
        before = db.data_version(s)
    snapshots.freeze("x", "daxing", 2025, "ed", seeded_url)
    with db.session_scope(seeded_url) as s:
        assert db.data_version(s) == before + 1


PROBLEMS = "基层工会经费保障仍有短板\n新就业形态劳动者入会率有待提高"


def audit_rows(url: str, action: str) -> list[tuple[str, str]]:
    """The audit log's (username, detail) entries of one action, oldest first."""
    with db.session_scope(url) as s:
        stmt = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return [(r.username, r.detail) for r in s.scalars(stmt)]


def test_text_sections_round_trip_through_a_snapshot(seeded_url: str) -> None:
    """Test that a saved 存在的问题和不足 comes back from the store as its own slide, line by line."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url)
    plan = DeckPlan(texts={"problems": {"zh": PROBLEMS, "en": ""}})
    assert snapshots.save_plan(sid, plan, "ed", seeded_url)
    deck = build_slides(snapshots.load(sid, seeded_url), "zh")
    slide = next(s for s in deck if s.section == "problems")
    assert slide.title == "存在的问题和不足"
    assert slide.paragraphs == ["基层工会经费保障仍有短板", "新就业形态劳动者入会率有待提高"]
    assert "存在的问题和不足" in " ".join(deck[1].paragraphs)  # the agenda lists it
    english = build_slides(snapshots.load(sid, seeded_url), "en")
    assert not any(s.section == "problems" for s in english)  # no English text: left out


def test_text_change_is_audited(seeded_url: str) -> None:
    """Test that saving a text writes one deck_texts audit entry naming user, snapshot, section."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url)
    plan = DeckPlan(texts={"coordination": {"zh": "", "en": "Funding for stations"}})
    snapshots.save_plan(sid, plan, "ann", seeded_url)
    assert audit_rows(seeded_url, snapshots.DECK_TEXTS_EVENT) == [
        ("ann", f"联席会议 (#{sid}): coordination/en")
    ]
    assert not snapshots.save_plan(sid, plan, "ann", seeded_url)  # unchanged: no second entry
    assert len(audit_rows(seeded_url, snapshots.DECK_TEXTS_EVENT)) == 1


def test_text_sections_start_empty(seeded_url: str) -> None:
    """Test that a new snapshot has no text slide: nothing is written for the presenter."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url)
    deck = build_slides(snapshots.load(sid, seeded_url), "zh")
    assert not {"problems", "next_steps", "coordination"} & {s.section for s in deck}


def test_too_long_text_is_refused_and_nothing_stored(seeded_url: str) -> None:
    """Test that a text over the limit raises ValueError and leaves the snapshot as it was."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url)
    plan = DeckPlan(texts={"problems": {"zh": "长" * (snapshots.MAX_SECTION_CHARS + 1)}})
    with pytest.raises(ValueError, match="problems"):
        snapshots.save_plan(sid, plan, "ed", seeded_url)
    assert snapshots.load(sid, seeded_url)["deck"] == DeckPlan().as_dict()
    assert audit_rows(seeded_url, snapshots.DECK_TEXTS_EVENT) == []


def test_hidden_and_reordered_slides_persist(seeded_url: str) -> None:
    """Test that a hidden slide stays hidden and a moved slide stays moved after reopening, and
    the agenda follows the new order."""
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url)
    natural = [s.key for s in build_slides(snapshots.load(sid, seeded_url), "zh")]
    order = ["cover", "agenda", "headline", "summary", *natural[4:]]
    snapshots.save_plan(sid, DeckPlan(order=order, hidden=["map"]), "ed", seeded_url)
    deck = build_slides(snapshots.load(sid, seeded_url), "zh")
    assert [s.title for s in deck[2:4]] == ["主要指标", "工作综述"]
    assert "服务阵地分布" not in [s.title for s in deck]
    assert deck[1].paragraphs[:2] == ["一、主要指标", "二、工作综述"]
    assert audit_rows(seeded_url, snapshots.DECK_LAYOUT_EVENT) == [
        ("ed", f"联席会议 (#{sid}): hidden: map")
    ]
    every = build_slides(snapshots.load(sid, seeded_url), "zh", every=True)
    assert "map" in [s.key for s in every]  # still listed for the presenter to show again


def test_freeze_keeps_the_drafted_plan(seeded_url: str) -> None:
    """Test that texts drafted on live figures are stored when the snapshot is frozen."""
    plan = DeckPlan(texts={"next_steps": {"zh": "推进服务阵地提质增效"}})
    sid = snapshots.freeze("联席会议", "daxing", 2025, "ed", seeded_url, plan=plan)
    deck = build_slides(snapshots.load(sid, seeded_url), "zh")
    assert next(s for s in deck if s.section == "next_steps").paragraphs == ["推进服务阵地提质增效"]
