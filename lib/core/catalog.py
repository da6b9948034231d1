"""Fixed vocabularies shared by every layer: indicator categories and station types, with their
zh/en names, display order and colours (the one place the theme's category colours live)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Term:
    """A code with its Chinese and English names and a colour (RGB)."""

    code: str
    zh: str
    en: str
    color: tuple[int, int, int]


CATEGORY_TERMS: tuple[Term, ...] = (
    Term("org_building", "组织建设", "Organisation building", (200, 16, 46)),
    Term("rights", "维权服务", "Rights protection", (31, 119, 180)),
    Term("welfare", "普惠服务", "Welfare services", (255, 127, 14)),
    Term("positions", "阵地建设", "Service positions", (44, 160, 44)),
    Term("skills", "产改与技能", "Workforce reform and skills", (148, 103, 189)),
    Term("culture", "文体活动", "Culture and sports", (227, 119, 194)),
    Term("guidance", "思想引领", "Ideological guidance and model workers", (140, 86, 75)),
    Term("employment", "就业帮扶", "Employment and hardship aid", (23, 190, 207)),
)
CATEGORIES: dict[str, Term] = {t.code: t for t in CATEGORY_TERMS}

STATION_TYPE_TERMS: tuple[Term, ...] = (
    Term("union_station", "工会驿站", "Union station", (200, 16, 46)),
    Term("warm_station", "户外劳动者暖心驿站", "Outdoor workers' warm station", (255, 127, 14)),
    Term("mental_station", "心灵驿站", "Mental-health station", (148, 103, 189)),
    Term("workers_home", "职工之家", "Workers' home", (31, 119, 180)),
    Term("activity_center", "职工活动中心", "Workers' activity centre", (44, 160, 44)),
    Term("mother_infant", "母婴关爱室", "Mother-and-infant room", (227, 119, 194)),
    Term("book_house", "职工书屋", "Workers' reading room", (140, 86, 75)),
    Term("craftsman_academy", "工匠学院", "Craftsman academy", (23, 190, 207)),
    Term("mediation", "劳动争议调解站", "Dispute mediation station", (188, 189, 34)),
    Term("fengqiao", "枫桥实践站", "Fengqiao practice station", (127, 127, 127)),
)
STATION_TYPES: dict[str, Term] = {t.code: t for t in STATION_TYPE_TERMS}


def _term_name(terms: dict[str, Term], code: str, lang: str) -> str:
    """The display name of a code among terms in a language (the code itself if unknown)."""
    term = terms.get(code)
    return (term.zh if lang == "zh" else term.en) if term else code


def category_name(code: str, lang: str = "zh") -> str:
    """The display name of a category code in a language (the code itself if unknown)."""
    return _term_name(CATEGORIES, code, lang)


def station_type_name(code: str, lang: str = "zh") -> str:
    """The display name of a station type code in a language (the code itself if unknown)."""
    return _term_name(STATION_TYPES, code, lang)


# --- English forms of data labels (period notes, town names) -------------------------------------
# The seed's catalogue data/seed/labels.csv (kind, zh, en) gives each Chinese data label the
# articles use its English form; a label without one shows in Chinese, marked as such, in English.
LABELS_CSV = Path(__file__).resolve().parents[2] / "data" / "seed" / "labels.csv"


@cache
def _label_rows() -> tuple[dict[str, str], ...]:
    """The rows (kind, zh, en) of the seed's label catalogue (none if it is absent)."""
    if not LABELS_CSV.is_file():
        return ()
    with LABELS_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def data_labels() -> dict[str, str]:
    """Chinese data label -> English form, from the seed's label catalogue (empty if absent)."""
    return {row["zh"]: row["en"] for row in _label_rows() if row["zh"] and row["en"]}


def data_label_pairs(kind: str) -> list[tuple[str, str]]:
    """(Chinese, English) of every data label of a kind (period, town) in the label catalogue."""
    return [(row["zh"], row["en"]) for row in _label_rows() if row["kind"] == kind]


def data_label(text: str, lang: str = "zh") -> str:
    """A data label (period note, town) in a language: as stored in Chinese; in English its
    English form, or the Chinese marked "(Chinese only)" where the catalogue has none."""
    if lang == "zh" or not text or text.isascii():
        return text
    english = data_labels().get(text)
    return english if english else f"{text} (Chinese only)"
