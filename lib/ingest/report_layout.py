"""What a 报表's rows around its table say: a row of notes above the header (填报单位：…  单位：万元)
is never taken for the header; a unit note (单位：万元, 计量单位：元, Unit: 万元) is the unit of the
figure columns when the header names none; and a form with no
figure filled in (an unfilled template: only notes, examples and signature lines below the header)
has nothing to import, which is said as such rather than refused or called "matches the store"."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from lib.core.numbers import units_compatible

# A note cell of a 报表's heading: a short label, a colon, then something (填报单位：大兴区总工会,
# 单位：万元, 填报日期：2026年4月); a header cell never reads so (数值(单位:万元) has its colon inside
# the brackets).
NOTE_CELL = re.compile(r"^[^()（）:：]{1,12}[:：]\s*\S")
UNIT_NOTE = re.compile(r"^(?:计量单位|单位|unit)[:：]\s*(%|[\u4e00-\u9fff]{1,3})$", re.IGNORECASE)
MONEY_UNITS = ("元", "万元", "亿元")

L = TypeVar("L")


def is_note_row(cells: Sequence[object]) -> bool:
    """A row of 报表 heading notes (every non-blank cell is "label：value"), never a header row,
    however many cells it fills."""
    filled = [c for c in cells if c is not None and not (isinstance(c, str) and not c.strip())]
    texts = [
        "".join(unicodedata.normalize("NFKC", c).split()) for c in filled if isinstance(c, str)
    ]
    return bool(filled) and len(texts) == len(filled) and all(map(NOTE_CELL.match, texts))


def note_unit_text(cell: object) -> str:
    """The unit a cell like 单位：万元 names, or ""."""
    if not isinstance(cell, str):
        return ""
    text = "".join(unicodedata.normalize("NFKC", cell).split())
    m = UNIT_NOTE.match(text)
    return m.group(1) if m else ""


def known_unit(unit: str, indicators: Mapping[int, Any]) -> bool:
    """A unit some indicator of the catalogue takes (its own, or one convertible to it)."""
    units = {ind.unit_zh for ind in indicators.values()} | set(MONEY_UNITS)
    return any(units_compatible(unit, u) for u in units)


def apply_unit_note(
    rows: Sequence[tuple[int, Sequence[object]]],
    layout: L,
    skipped: list[tuple[int, str, str]],
    indicators: Mapping[int, Any],
) -> L:
    """The layout with the unit of a note row above the header (rows: those above it), when the
    header names no unit and the rows name exactly one unit the catalogue knows; the note's entry
    in `skipped` then says it was read as the unit. Else the layout unchanged."""
    if getattr(layout, "unit", ""):
        return layout
    found = {
        number: unit
        for number, cells in rows
        for unit in map(note_unit_text, cells)
        if unit and known_unit(unit, indicators)
    }
    if len(set(found.values())) != 1:
        return layout
    for i, (number, text, _why) in enumerate(skipped):
        if number in found:
            skipped[i] = (number, text, "unit")
    return dataclasses.replace(layout, unit=next(iter(found.values())))  # type: ignore[type-var]


def nothing_key(plan: Any) -> str:
    """The message for a plan that writes nothing: no figure in the file at all (an unfilled
    form), or every figure already as stored."""
    if plan.n_new + plan.n_changed + plan.n_unchanged == 0:
        return "upload.no_figures"
    return "upload.nothing"
