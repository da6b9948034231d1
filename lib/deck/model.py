"""The slide model of presenter mode and the meeting pack, as plain data (no streamlit): a
:class:`Slide` with its cards, chart, table, paragraphs, speaker notes and a stable section id, and
the colours its bars use. Built by lib.deck.slides, drawn by lib.ui.present and lib.deck.pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib.core import metrics

PREV_COLOR, CURRENT_COLOR = (
    "#76808C",
    "#C8102E",
)  # last year grey, this year red (≥ 3:1 both themes)
SUB_COLORS = ("#C25E00", "#4E79A7", "#59A14F")  # sub-periods (campaigns), ≥ 3:1 both themes
HISTORY_COLOR = "#4E79A7"  # one indicator over the years (≥ 3:1 both themes)


@dataclass(frozen=True)
class SlideCard:
    """A headline figure: label, value as shown, and its 同比 (or why there is none)."""

    indicator: str
    label: str
    value: float | None
    shown: str
    change: str
    comparable: bool
    note: str
    source: str
    trend: str = ""  # "up" / "down" / "flat" when comparable, else ""


def trend_of(change: metrics.PeriodChange) -> str:
    """Which way a comparable change goes ("" when not comparable)."""
    if not change.comparable or change.delta is None:
        return ""
    return "up" if change.delta > 0 else "down" if change.delta < 0 else "flat"


@dataclass(frozen=True)
class Series:
    """One chart series: name and one value per category (None = no figure, never zero)."""

    name: str
    values: tuple[float | None, ...]
    labels: tuple[str, ...]
    color: str = "#C8102E"


@dataclass(frozen=True)
class Chart:
    """A slide chart: clustered bars (categories × series) or an x/y scatter (the station map).

    Bars of different units never share a scale: a bar chart whose figures come in several units
    carries one panel per unit (small multiples, each with its own scale and a unit heading);
    renderers draw :meth:`bar_panels`. ``categories``/``series`` stay the whole chart, in panel
    order, for the table-like readers (tests, snapshots).
    """

    kind: str  # "bar" | "scatter"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    points: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()
    colors: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # the unit (unit_zh) of each category's figures
    unit: str = ""  # a panel's heading: the unit all its bars share ("单位：家")
    panels: tuple[Chart, ...] = ()

    def bar_panels(self) -> tuple[Chart, ...]:
        """The panels to draw: one per unit, or the chart itself when it has one unit."""
        return self.panels or (self,)


@dataclass(frozen=True)
class Table:
    """A table: header and rows of display strings."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Slide:
    """One slide: what it shows, where its figures come from, what the presenter says.

    ``kind`` is the layout (title | summary | headline | category | targets | map | history |
    peers); ``section`` the stable id of the deck section it belongs to (cover, agenda, summary,
    headline, category:<code>, targets, map, history, peers, problems, next_steps, coordination,
    closing) and ``part`` its place in a section split over several slides; :attr:`key` names
    the slide for hiding and reordering.
    """

    kind: str
    title: str
    subtitle: str = ""
    cards: list[SlideCard] = field(default_factory=list)
    chart: Chart | None = None
    table: Table | None = None
    paragraphs: list[str] = field(default_factory=list)
    org: str = ""  # the org code (the map slide outlines its district)
    stations: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    source_line: str = ""
    stamp: str = ""
    tag: str = ""  # snapshot name tag, "" for live figures
    section: str = ""
    part: int = 0
    notes: str = ""  # speaker notes: the figures with their sources and qualifiers

    @property
    def key(self) -> str:
        """The slide's stable id: its section, and its part when the section has several."""
        return f"{self.section}#{self.part}" if self.part else self.section

    @property
    def footnote(self) -> str:
        """The footnote line: sources, then the 数据截至 stamp (and the snapshot's name)."""
        parts = [self.source_line, self.stamp]
        if self.tag:
            parts.append(self.tag)
        return "  |  ".join(p for p in parts if p)


@dataclass
class DeckPlan:
    """What the presenter made of a deck: the three text sections in each language, the order
    of the slides (by :attr:`Slide.key`) and the slides hidden. Saved with a snapshot; carried
    in a payload under ``"deck"`` so every renderer (page, PPTX, PDF) builds the same deck."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, data: object) -> DeckPlan:
        """A plan from its stored dict (anything else, or a malformed part, reads as empty)."""
        if not isinstance(data, dict):
            return cls()
        texts = data.get("texts")
        clean = {
            str(section): {str(k): str(v) for k, v in by_lang.items() if isinstance(v, str)}
            for section, by_lang in (texts.items() if isinstance(texts, dict) else ())
            if isinstance(by_lang, dict)
        }
        order, hidden = data.get("order"), data.get("hidden")
        return cls(
            clean,
            [str(k) for k in order] if isinstance(order, list) else [],
            [str(k) for k in hidden] if isinstance(hidden, list) else [],
        )

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-able data."""
        return {"texts": self.texts, "order": self.order, "hidden": self.hidden}

    def text(self, section: str, lang: str) -> str:
        """A text section in a language ("" when not written)."""
        return self.texts.get(section, {}).get(lang, "").strip()
