"""The headline slide's cards in the PPTX deck: each headline figure as a big number with its unit
in a smaller size (beside it or below it), its label and 同比, laid out (three or two cards a row,
or one card a row with the label beside the number) so that every number is at least 40 pt and
every card fits the slide's width at 16:9 and 4:3 in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.deck.measure import LINE, MUTED_GREY, RED, split_value, text_width
from lib.deck.pptx_base import style_run, text_box

BIGGEST, SMALLEST = 48.0, 16.0  # the numbers' size range, points
VALUE_INSET = 0.02  # the numbers' side insets, inches (a narrow card needs its full width)
BIG_ENOUGH = 40.0  # headline numbers at least this big read from the back of the room
LABEL_H, CHANGE_H = 0.62, 0.42  # a card's label (up to two lines) and 同比 line, inches
LIST_LABEL_H, LIST_CHANGE_H = 0.56, 0.4  # label and 同比 line when cards stand one a row
TOP = 1.4  # where the cards start under the title, inches


@dataclass(frozen=True)
class CardLayout:
    """Cards per row (1: a list, label beside the number), whether units stand below their
    numbers, and the one number size, in points."""

    per_row: int
    below: bool
    size: float

    @property
    def unit_size(self) -> float:
        """The units' size: half the numbers', at least 18 pt."""
        return max(18.0, float(round(self.size / 2)))


def _value_width(shown: str, size: float, below: bool) -> float:
    """The width (inches) a value takes: number and unit side by side, or the wider of the two."""
    number, unit = split_value(shown)
    unit_size = CardLayout(1, below, size).unit_size
    if below:
        return max(text_width(number, size, True), text_width(unit.strip(), unit_size, True))
    return text_width(number, size, True) + text_width(unit, unit_size, True)


def _row_height(layout: CardLayout) -> float:
    """The height (inches) one row of cards needs."""
    number_h = layout.size * LINE / 72 + 0.1
    if layout.per_row == 1:
        return max(LIST_LABEL_H + LIST_CHANGE_H, number_h)
    unit_h = layout.unit_size * LINE / 72 if layout.below else 0.0
    return LABEL_H + number_h + unit_h + CHANGE_H


def _value_room(per_row: int, body: float) -> float:
    """The width (inches) a card's value may take: its card's, or three fifths of a list row."""
    if per_row == 1:
        return body * 0.6 - 2 * VALUE_INSET - 0.1
    return body / per_row - 0.2 - 2 * VALUE_INSET


def _fits(cards: list, layout: CardLayout, body: float, height: float) -> bool:
    """Whether every card's value fits its width and the rows fit the height."""
    rows = -(-len(cards) // layout.per_row)
    room = _value_room(layout.per_row, body)
    wide = any(_value_width(c.shown, layout.size, layout.below) > room for c in cards)
    return not wide and rows * _row_height(layout) <= height


def card_layout(cards: list, body: float, height: float) -> CardLayout:
    """The layout with the biggest numbers up to 40 pt, then cards in a grid before a list, units
    beside their numbers before below, the fewest empty places (four cards: two by two), fewer
    rows, then the biggest numbers."""
    options = []
    for per_row in dict.fromkeys((min(3, len(cards)), min(2, len(cards)), 1)):
        for below in (False, True):
            size = BIGGEST
            while size > SMALLEST and not _fits(
                cards, CardLayout(per_row, below, size), body, height
            ):
                size -= 1
            rows = -(-len(cards) // per_row)
            big = min(size, BIG_ENOUGH)
            key = (-big, per_row == 1, below, rows * per_row - len(cards), rows, -size)
            options.append((key, CardLayout(per_row, below, size)))
    return min(options, key=lambda option: option[0])[1]


def _value_box(page: Any, box: tuple, shown: str, layout: CardLayout) -> None:
    """A card's value: the number in the big size, its unit beside or below it, smaller."""
    from pptx.util import Inches

    number, unit = split_value(shown)
    shape = text_box(page, box, [number], layout.size, True, RED, name="Value")
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = Inches(VALUE_INSET)
    if not unit:
        return
    para = frame.add_paragraph() if layout.below else frame.paragraphs[0]
    run = para.add_run()
    style_run(run, layout.unit_size, True, RED)
    run.text = unit.strip() if layout.below else unit


def _grid_card(page: Any, card: Any, at: tuple[float, float, float], layout: CardLayout) -> None:
    """One card of a grid at (left, top, width): label, value, 同比 one under another."""
    left, top, width = at
    text_box(
        page, (left, top, width - 0.2, LABEL_H), [card.label], 18, color=MUTED_GREY, smallest=10
    )
    value_h = _row_height(layout) - LABEL_H - CHANGE_H
    _value_box(page, (left, top + LABEL_H, width - 0.2, value_h), card.shown, layout)
    box = (left, top + LABEL_H + value_h, width - 0.2, CHANGE_H)
    text_box(page, box, [card.change], 14, color=MUTED_GREY, smallest=9)


def _list_card(page: Any, card: Any, at: tuple[float, float, float], layout: CardLayout) -> None:
    """One card of a list at (left, top, width): label and 同比 on the left, value on the right."""
    left, top, width = at
    value_w = width * 0.6
    label_w = width - value_w - 0.1
    box = (left, top, label_w, LIST_LABEL_H)
    text_box(page, box, [card.label], 18, color=MUTED_GREY, smallest=10)
    box = (left, top + LIST_LABEL_H, label_w, LIST_CHANGE_H)
    text_box(page, box, [card.change], 14, color=MUTED_GREY, smallest=9)
    value_h = layout.size * LINE / 72 + 0.1
    row_h = _row_height(layout)
    box = (left + label_w + 0.1, top + (row_h - value_h) / 2, value_w, value_h)
    _value_box(page, box, card.shown, layout)


def draw_headline_cards(page: Any, slide: Any, body: float, bottom: float) -> None:
    """Headline figures as big numbers (48 pt where they fit, never under 40 pt where any layout
    reaches it) with their unit, label and 同比."""
    cards = slide.cards
    if not cards:
        text_box(page, (0.5, 2.5, body, 1.0), slide.paragraphs, 24, color=MUTED_GREY, smallest=14)
        return
    layout = card_layout(cards, body, bottom - TOP)
    width = body / layout.per_row
    rows = -(-len(cards) // layout.per_row)
    row_h = min(2.8, (bottom - TOP) / rows)
    draw = _list_card if layout.per_row == 1 else _grid_card
    for n, card in enumerate(cards):
        col, row = n % layout.per_row, n // layout.per_row
        draw(page, card, (0.5 + col * width, TOP + row * row_h, width), layout)
