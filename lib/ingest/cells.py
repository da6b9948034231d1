"""Cell readers: one cell of an uploaded file to a typed value (a year, a quarter, a period, a
figure in its indicator's unit, a coordinate, a code from a small vocabulary, bounded text), or a
CellError carrying the problem's code and parameters. Imports lib.core, the bounds, the column
vocabulary and the problems only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from lib.core.numbers import (
    NumberError,
    Parsed,
    Qualifier,
    parse_value,
    require_non_negative,
    to_indicator_unit,
)
from lib.ingest.bounds import YEAR_MIN, value_bound, within, year_max
from lib.ingest.columns import CN_NUM, QUALIFIER_SPELLINGS, norm, parse_period_header
from lib.ingest.problems import Bound, CellError, NumberNote
from lib.store.models import Indicator

MAX_CELL_TEXT = 300  # the longest text a column without a declared length takes


def is_blank(value: object) -> bool:
    """True for None and whitespace-only text."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as display text (integral floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def is_formula(value: object) -> bool:
    """True for text that Excel would run as a formula (a workbook's formulas arrive as their
    cached values; lib.ingest.xlsx_read refuses one without)."""
    return isinstance(value, str) and value.lstrip().startswith("=")


def read_int(value: object, lo: int, hi: int, bad: str, out: str) -> int:
    """A year-like integer (2025, 2025.0, "2025年") within [lo, hi]."""
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise CellError(bad, text=cell_text(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(bad, text=cell_text(value))
        number = int(value)
    else:
        m = re.fullmatch(r"(\d{1,6})(?:\.0+)?(?:年度?)?", norm(value))
        if not m:
            raise CellError(bad, text=cell_text(value))
        number = int(m.group(1))
    if not lo <= number <= hi:
        raise CellError(out, year=number, lo=lo, hi=hi)
    return number


def read_year(value: object) -> int:
    """A year within 2000 … next year."""
    return _read_year(value, year_max())


@lru_cache(maxsize=4096, typed=True)
def _read_year(value: object, hi: int) -> int:
    """A year within 2000 … hi (memoised: a file repeats few years)."""
    return read_int(value, YEAR_MIN, hi, "upload.err.bad_year", "upload.err.year_range")


@lru_cache(maxsize=1024, typed=True)
def read_quarter(value: object) -> int | None:
    """A quarter 1–4 from Q1 / 1 / 一季度 / 第一季度; None (whole year) for blank or 全年."""
    if is_blank(value):
        return None
    text = cell_text(value)
    key = norm(text)
    if key in ("全年", "年度", "全年度", "year", "annual", "fy", "-", "—"):
        return None
    m = re.fullmatch(r"(?:第)?(?:q(\d+)|(\d+|[一二三四五六七八九])(?:季度|季|q)?)", key)
    if not m:
        m2 = re.fullmatch(r"(?:quarter)(\d+)", key)
        if not m2:
            raise CellError("upload.err.bad_quarter", text=text)
        q = m2.group(1)
    else:
        q = m.group(1) or m.group(2)
    quarter = int(q) if q.isdigit() else CN_NUM[q]
    if not 1 <= quarter <= 4:
        raise CellError("upload.err.quarter_range", quarter=quarter)
    return quarter


@lru_cache(maxsize=1024, typed=True)
def read_period(value: object) -> tuple[int, int | None]:
    """(year, quarter or None) from one period cell: 2025, 2025Q1, 2025年一季度, 2025年第1季度."""
    text = cell_text(value)
    period = parse_period_header(text)
    year, quarter = period or (None, None)
    if year is None:
        raise CellError("upload.err.bad_period", text=text)
    if not YEAR_MIN <= year <= year_max():
        raise CellError("upload.err.year_range", year=year, lo=YEAR_MIN, hi=year_max())
    if quarter is not None and not 1 <= quarter <= 4:
        raise CellError("upload.err.quarter_range", quarter=quarter)
    return year, quarter


_parse_value = lru_cache(maxsize=65_536, typed=True)(parse_value)


def read_figure(value: object, unit_hint: str, ind: Indicator) -> Parsed | None:
    """A figure in the indicator's unit (qualifier kept); None for a blank cell."""
    try:
        parsed = require_non_negative(_parse_value(value))
        if parsed is None:
            return None
        if parsed.unit is None and unit_hint:
            parsed = Parsed(parsed.value, parsed.qualifier, unit_hint)
        number = to_indicator_unit(parsed, ind.unit_zh)
        if not within(number, value_bound(ind.unit_zh, ind.kind)):
            raise CellError(
                "upload.err.over_bound",
                text=cell_text(value)[:40],
                bound=Bound(ind.unit_zh, ind.kind),
            )
        return Parsed(number, parsed.qualifier, ind.unit_zh)
    except NumberError as exc:
        text = cell_text(value)
        if exc.code == "not_a_number":
            raise CellError("upload.err.number", text=text) from exc
        if exc.code == "multiple_numbers":
            raise CellError("upload.err.multiple_numbers", text=text) from exc
        if exc.code == "negative":
            raise CellError("upload.err.negative", text=text) from exc
        if exc.code == "unit_mismatch":
            raise CellError("upload.err.unit_mismatch", text=text, unit=ind.unit_zh) from exc
        raise CellError(
            "upload.err.note",
            note=NumberNote(exc.code, exc.text, exc.unit, exc.indicator_unit),
        ) from exc


def read_coord(value: object) -> float:
    """A coordinate in decimal degrees."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().rstrip("°")
    try:
        number = float(text)
    except ValueError as exc:
        raise CellError("upload.err.bad_coord", text=cell_text(value)) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("upload.err.bad_coord", text=cell_text(value))
    return number


def read_choice(value: object, choices: dict[str, str], default: str) -> str:
    """A code from a small vocabulary (zh or en words), the default when blank."""
    if is_blank(value):
        return default
    code = choices.get(norm(value))
    if code is None:
        shown = "、".join(dict.fromkeys(choices))
        raise CellError("upload.err.bad_choice", text=cell_text(value), choices=shown)
    return code


def column_length(model: Any, column: str) -> int:
    """The declared length of a text column of the store (PostgreSQL enforces it)."""
    return int(model.__table__.c[column].type.length)


def text_of(model: Any, column: str) -> Callable[[object], str]:
    """A reader of text refused when longer than the store's column holds."""
    limit = column_length(model, column)
    return lambda value: read_text(value, limit)


def read_text(value: object, limit: int = MAX_CELL_TEXT) -> str:
    """Plain text of a cell, refused when longer than the column holds."""
    text = cell_text(value)
    if len(text) > limit:
        raise CellError("upload.err.too_long", n=limit)
    return text


def read_qualifier(value: object) -> Qualifier:
    """A qualifier code (exact / at_least / about) from a qualifier cell (code or 余/约 word)."""
    code = read_choice(value, QUALIFIER_SPELLINGS, "exact")
    return "about" if code == "about" else "at_least" if code == "at_least" else "exact"
