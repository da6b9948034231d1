"""Tests of meeting snapshots (lib.deck.snapshots): a frozen snapshot keeps its figures and its 数据截至
time when the store changes afterwards; snapshots are listed and reopened."""

from __future__ import annotations

import pytest

from lib.deck import snapshots
from lib.deck.pack import build_pptx
from lib.deck.payload import format_as_of, live_payload
from lib.deck.slides import build_slides
from lib.store import db
from tests.test_slides import add_figure


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
