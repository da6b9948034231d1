"""Tests for lib.core.catalog.data_label: the seed's catalogue of English forms of data labels
(period notes, town names), Chinese kept in Chinese, and a label without an English form marked."""

from __future__ import annotations

import pytest

from lib.core.catalog import data_label, data_labels
from lib.dash import maps


def test_campaign_period_has_an_english_form() -> None:
    """Test that the 2025 campaign's period note reads in English in the English UI."""
    assert data_label("2025年6月起蹲点工作期间", "en") == "from June 2025, on-site campaign"


def test_chinese_ui_keeps_the_label_as_written() -> None:
    """Test that the Chinese UI shows the label exactly as the article wrote it."""
    assert data_label("2025年6月起蹲点工作期间", "zh") == "2025年6月起蹲点工作期间"


def test_label_without_english_form_is_marked() -> None:
    """Test that a Chinese label with no English form shows in Chinese, marked as such."""
    assert data_label("某某镇", "en") == "某某镇 (Chinese only)"


@pytest.mark.parametrize("text", ["", "full year"])
def test_empty_or_english_labels_pass_unchanged(text: str) -> None:
    """Test that an empty or already English label is left as it is."""
    assert data_label(text, "en") == text


def test_every_seed_town_has_an_english_form() -> None:
    """Test that each town named in the seed's stations has an English form in the catalogue."""
    import csv

    from lib.core.catalog import LABELS_CSV

    with (LABELS_CSV.parent / "stations.csv").open(encoding="utf-8") as fh:
        towns = {row["town"] for row in csv.DictReader(fh) if row["town"]}
    assert towns and towns <= set(data_labels())


def test_map_tooltip_names_the_town_in_english() -> None:
    """Test that a station's tooltip gives its town in English in the English UI."""
    row = {
        "name_zh": "站",
        "name_en": "Station",
        "type": "mediation",
        "town": "西红门镇",
        "opened_year": 2025,
        "precision": "town_centroid",
    }
    assert "Xihongmen Town" in maps.tooltip_text(row, "en")
    assert "西红门镇" in maps.tooltip_text(row, "zh")
