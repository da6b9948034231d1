"""Tests of the citations on slides and PDF pages: the edition (版面) the articles print, an
honest 报纸名称与日期原文未载 where they name no newspaper or date, a newspaper and date once the
store has them, and each org's figures credited to the article they come from."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from lib.deck.pack import build_pdf
from lib.deck.payload import live_payload
from lib.deck.slides import build_slides
from lib.store import db
from lib.store.models import Source

NOW = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
REVIEW = "《百年工运铸辉煌 实干担当惠职工——大兴区总工会2025年工作交出亮眼答卷》"
CAMPAIGN = "《深耕基层 为职工办实事解难题——2025年大兴区总工会机关干部赴基层蹲点工作纪实》"


def footnote(url: str, org: str, year: int, kind: str, lang: str = "zh") -> str:
    """The footnote of an org's first slide of a kind."""
    slides = build_slides(live_payload(org, year, url, now=NOW), lang)
    return next(s.footnote for s in slides if s.kind == kind)


def test_articles_without_newspaper_say_so(seeded_read_url: str) -> None:
    """Test that the 2025 headline slide cites its article and says it gives no newspaper name
    or date."""
    text = footnote(seeded_read_url, "daxing", 2025, "headline")
    assert text.startswith(f"来源：{REVIEW}；报纸名称与日期原文未载  |  数据截至")


def test_english_citation_says_so(seeded_read_url: str) -> None:
    """Test that the English footnote says the newspaper and date are not given."""
    text = footnote(seeded_read_url, "daxing", 2025, "headline", "en")
    assert text.startswith(
        "Source: The Daxing federation's 2025 annual review; no newspaper or date given  |  "
    )


def test_edition_printed_in_the_article_is_cited(seeded_read_url: str) -> None:
    """Test that the 2023 plan, from the article headed 今日大兴, cites that edition."""
    text = footnote(seeded_read_url, "daxing", 2022, "plan")
    assert "明确2023年主要工作任务》（今日大兴版）；报纸名称与日期原文未载" in text


def test_newspaper_and_date_are_cited_once_known(seeded_copy: str) -> None:
    """Test that a source given a newspaper and date in the store is cited with them, without
    the 原文未载 note."""
    with db.session_scope(seeded_copy) as session:
        session.execute(
            update(Source)
            .where(Source.code == "src_2025_review")
            .values(newspaper="劳动午报", published="2025-12-30")
        )
        db.bump_data_version(session)
    slides = build_slides(live_payload("daxing", 2025, seeded_copy, now=NOW), "zh")
    text = next(s.footnote for s in slides if s.title == "工作综述")
    assert f"{REVIEW}（《劳动午报》，2025-12-30）" in text
    assert f"{CAMPAIGN}；《大兴区总工会启动" in text  # the undated ones grouped, then the note
    assert "联席会议）》（报纸名称与日期原文未载）" in text


def test_other_districts_credited_to_their_article(seeded_read_url: str) -> None:
    """Test that Shunyi's 2024 figures are credited to the joint-meeting page they come from."""
    payload = live_payload("shunyi", 2024, seeded_read_url, now=NOW)
    assert set(payload["sources"]) == {"src_2025_joint_meeting"}
    assert {r["source"] for r in payload["observations"]} == {"src_2025_joint_meeting"}
    text = footnote(seeded_read_url, "shunyi", 2024, "headline")
    assert "（区政府与区总工会联席会议）》；报纸名称与日期原文未载" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_pdf_footnote_carries_the_citation(seeded_read_url: str, tmp_path: Path) -> None:
    """Test that the PDF page of the headline slide prints the citation in its footnote."""
    slides = build_slides(live_payload("daxing", 2025, seeded_read_url, now=NOW), "zh")
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_pdf([s for s in slides if s.kind == "headline"]))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "报纸名称与日期原文未载" in "".join(text.split())
