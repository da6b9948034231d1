"""The headline slide's cards in the PPTX deck: each headline figure as a big number with its label
and 同比, laid out (cards per row, one or two lines per number, one size for all) so that every
card fits the slide's width at 16:9 and 4:3 in both languages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lib.deck.measure import LINE, MUTED_GREY, RED, text_width
from lib.deck.pptx_base import text_box

BIGGEST, SMALLEST = 48.0, 16.0  # the numbers' size range, points
VALUE_INSET = 0.02  # the numbers' side insets, inches (a narrow card needs its full width)
BIG_ENOUGH = 40.0  # headline numbers at least this big read from the back of the room
LABEL_H, CHANGE_H = 0.62, 0.42  # a card's label (up to two lines) and 同比 line, inches
TOP = 1.4  # where the cards start under the title, inches
_SPLIT_ZH = re.compile(r"^((?:近|约)?[\d,.]+(?:万|亿)?(?:余|多)?)(\D.*)$")


@dataclass(frozen=True)
class CardLayout:
    """Cards per row, lines per number (1 or 2) and the one number size, in points."""

    per_row: int
    lines: int
    size: float


def value_lines(shown: str, lines: int) -> list[str]:
    """A card's number on one line, or on two: the number, then its unit (at the last space in
    English, after 万余 / 余 in Chinese); a value that cannot break stays one line."""
    if lines == 1:
        return [shown]
    if " " in shown:
        head, tail = shown.rsplit(" ", 1)
        return [head, tail]
    match = _SPLIT_ZH.match(shown)
    return [match.group(1), match.group(2)] if match else [shown]


def _size_for(cards: list, layout: tuple[int, int], body: float, height: float) -> float:
    """The biggest number size at which every card's lines fit its width and the rows fit."""
    per_row, lines = layout
    rows = -(-len(cards) // per_row)
    width = body / per_row - 0.2 - 2 * VALUE_INSET
    size = BIGGEST
    while size > SMALLEST and any(
        text_width(line, size, True) > width for c in cards for line in value_lines(c.shown, lines)
    ):
        size -= 1
    while size > SMALLEST and rows * (LABEL_H + lines * size * LINE / 72 + 0.1 + CHANGE_H) > height:
        size -= 1
    return size


def card_layout(cards: list, body: float, height: float) -> CardLayout:
    """The layout with the biggest numbers up to 40 pt, then one line per number, then the
    fewest empty places (four cards: two by two), then fewer rows, then the biggest numbers."""
    options = []
    for per_row in dict.fromkeys((min(3, len(cards)), min(2, len(cards)))):
        for lines in (1, 2):
            size = _size_for(cards, (per_row, lines), body, height)
            rows = -(-len(cards) // per_row)
            big = min(size, BIG_ENOUGH)  # at 40 pt one line beats two
            options.append((-big, lines, rows * per_row - len(cards), rows, -size, per_row))
    best = min(options)
    return CardLayout(best[5], best[1], -best[4])


def draw_headline_cards(page: Any, slide: Any, body: float, bottom: float) -> None:
    """Headline figures as big numbers (48 pt where they fit) with their label and 同比."""
    from pptx.util import Inches

    cards = slide.cards
    if not cards:
        text_box(page, (0.5, 2.5, body, 1.0), slide.paragraphs, 24, color=MUTED_GREY, smallest=14)
        return
    layout = card_layout(cards, body, bottom - TOP)
    width = body / layout.per_row
    value_h = layout.lines * layout.size * LINE / 72 + 0.1
    rows = -(-len(cards) // layout.per_row)
    row_h = min(2.8, (bottom - TOP) / rows)
    for n, card in enumerate(cards):
        col, row = n % layout.per_row, n // layout.per_row
        left, top = 0.5 + col * width, TOP + row * row_h
        box = (left, top, width - 0.2, LABEL_H)
        text_box(page, box, [card.label], 18, color=MUTED_GREY, smallest=10)
        value = value_lines(card.shown, layout.lines)
        box = (left, top + LABEL_H, width - 0.2, value_h)
        shape = text_box(page, box, value, layout.size, True, RED, name="Value")
        shape.text_frame.margin_left = shape.text_frame.margin_right = Inches(VALUE_INSET)
        box = (left, top + LABEL_H + value_h, width - 0.2, CHANGE_H)
        text_box(page, box, [card.change], 14, color=MUTED_GREY, smallest=9)
