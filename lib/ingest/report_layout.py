"""What a 报表's rows around its table say: a unit note above the header (单位：万元, 计量单位：元,
Unit: 万元) is the unit of the figure columns when the header names none, and a form with no
figure filled in (an unfilled template: only notes, examples and signature lines below the header)
has nothing to import, which is said as such rather than refused or called "matches the store"."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from lib.core.numbers import units_compatible

UNIT_NOTE = re.compile(r"^(?:计量单位|单位|unit)[:：]\s*(%|[\u4e00-\u9fff]{1,3})$", re.IGNORECASE)
MONEY_UNITS = ("元", "万元", "亿元")

L = TypeVar("L")


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
