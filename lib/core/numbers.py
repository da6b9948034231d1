"""Chinese number parsing and formatting for KPI figures (pure standard library, no streamlit).

This module owns three things:

* reading figures the way clerks type them in spreadsheets ("1.8万余人", "近2万", "85%以上",
  "3，396", full-width digits) into a value, a qualifier (exact / at least / about) and a unit;
* checking a typed unit against an indicator's unit and converting 元 <-> 万元;
* displaying figures in Chinese (万/亿, 余/近) and English, such that the Chinese display
  parses back to the same qualifier, unit and displayed value.

Blank cells mean "no figure" and parse to ``None``, never to zero. Anything else that is not a
single number raises :class:`NumberError`, whose ``message(lang)`` is meant for a clerk.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal, TypeGuard

Qualifier = Literal["exact", "at_least", "about"]

DASH = "—"
MAX_LENGTH = 40
QUOTE_LENGTH = 30

_BLANKS = frozenset({"", "—", "——", "-", "--", "–", "无", "n/a", "na", "/", "nan", "<na>"})
_MULTIPLIERS = {"万": Decimal(10**4), "亿": Decimal(10**8), "万亿": Decimal(10**12)}
_QUALIFIER_WORDS: dict[str, Qualifier] = {
    "余": "at_least",
    "多": "at_least",
    "以上": "at_least",
    "+": "at_least",
    "超过": "at_least",
    "逾": "at_least",
    "at least": "at_least",
    "近": "about",
    "约": "about",
    "大约": "about",
    "左右": "about",
    "~": "about",
    "about": "about",
}
# Characters that may never be part of a unit: qualifiers, multipliers and Chinese numerals.
_NOT_IN_UNIT = frozenset("余多以上左右超逾近约万亿零〇一二三四五六七八九十百千两")
_PATTERN = re.compile(
    r"""
    (?P<pre>大约|约|近|超过|逾|~|about\s+|at\s+least\s+)?\s*
    (?P<sign>[-−])?
    (?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)
    (?P<q1>余|多)?
    (?P<mult>万亿|万|亿)?
    (?P<q2>余|多)?
    \s*
    (?P<unit>%|[\u4e00-\u9fff]{1,4}?)??
    \s*
    (?P<post>以上|左右|\+)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NUMBER_RUN = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_LETTER = re.compile(r"[A-Za-z]")

_MONEY_SCALES = {"元": 1, "万元": 10**4, "亿元": 10**8}
_COMPATIBLE_GROUPS = (
    frozenset({"人", "名"}),
    frozenset({"家", "个", "处"}),
    frozenset({"场", "场次", "次"}),
    frozenset({"项", "个"}),
    frozenset({"件", "起"}),
)
_MESSAGES = {
    "not_a_number": ("无法识别为一个数字", "not a number"),
    "multiple_numbers": ("一个单元格只能填写一个数字", "only one number per cell"),
    "negative": ("数值不能为负数", "the value cannot be negative"),
    "too_long": (f"内容过长（超过{MAX_LENGTH}个字符），不是一个数字", "too long to be a number"),
}


@dataclass(frozen=True)
class Parsed:
    """A figure read from a cell: value with 万/亿 applied, qualifier and unit (or None)."""

    value: float
    qualifier: Qualifier
    unit: str | None


class NumberError(ValueError):
    """A cell that is not a usable figure; ``code`` is machine-readable, ``message`` is not."""

    def __init__(
        self,
        code: str,
        text: str = "",
        *,
        unit: str | None = None,
        indicator_unit: str | None = None,
    ) -> None:
        """Record the machine code, the offending text and, for unit_mismatch, both units."""
        self.code = code
        self.text = text
        self.unit = unit
        self.indicator_unit = indicator_unit
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        """Return a message for a clerk in Chinese ("zh") or English ("en")."""
        en = lang == "en"
        if self.code == "unit_mismatch":
            if en:
                return (
                    f'unit "{self.unit}" does not match the indicator unit "{self.indicator_unit}"'
                )
            return f"单位“{self.unit}”与指标单位“{self.indicator_unit}”不符"
        zh_text, en_text = _MESSAGES.get(self.code, ("数值有误", "invalid value"))
        if not self.text:
            return en_text if en else zh_text
        quoted = _quote(self.text)
        return f'{en_text}: "{quoted}"' if en else f"{zh_text}：“{quoted}”"


def _quote(text: str) -> str:
    """Return text made printable and truncated to QUOTE_LENGTH characters for a message."""
    clean = "".join(c if c.isprintable() else "\ufffd" for c in text)
    return clean if len(clean) <= QUOTE_LENGTH else clean[:QUOTE_LENGTH] + "…"


def _as_text(value: object) -> str:
    """Return str(value) for quoting, never raising."""
    try:
        return str(value)
    except Exception:
        return object.__repr__(value)


def _parse_number_object(value: object) -> Parsed | None:
    """Parse an int/float/Decimal cell value: NaN is blank, infinities are refused."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, ArithmeticError) as exc:
        raise NumberError("not_a_number", _as_text(value)) from exc
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise NumberError("not_a_number", _as_text(value))
    return Parsed(number, "exact", None)


def _refuse(text: str, normal: str) -> NumberError:
    """Return the error for text that did not match: multiple_numbers or not_a_number."""
    if normal.startswith("=") or _LETTER.search(normal):
        return NumberError("not_a_number", text)
    if len(_NUMBER_RUN.findall(normal)) >= 2:
        return NumberError("multiple_numbers", text)
    return NumberError("not_a_number", text)


def _qualifier(match: re.Match[str], text: str) -> Qualifier:
    """Return the one qualifier the matched words express; conflicting words are refused."""
    words = [match.group(g) for g in ("pre", "q1", "q2", "post")]
    found = {_QUALIFIER_WORDS[" ".join(w.lower().split())] for w in words if w}
    if len(found) > 1:
        raise NumberError("not_a_number", text)
    return found.pop() if found else "exact"


def parse_value(text: object) -> Parsed | None:
    """Parse a cell as typed by a clerk; None for blank; raise NumberError otherwise."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError("not_a_number", str(text))
    if isinstance(text, numbers.Real | Decimal):
        return _parse_number_object(text)
    if not isinstance(text, str):
        raise NumberError("not_a_number", _as_text(text))
    stripped = text.strip()
    normal = unicodedata.normalize("NFKC", stripped).strip()
    if normal.lower() in _BLANKS:
        return None
    if len(normal) > MAX_LENGTH:
        raise NumberError("too_long", stripped)
    match = _PATTERN.fullmatch(normal)
    if match is None:
        raise _refuse(stripped, normal)
    unit = match.group("unit")
    if unit and any(c in _NOT_IN_UNIT for c in unit):
        raise _refuse(stripped, normal)
    qualifier = _qualifier(match, stripped)
    magnitude = Decimal(match.group("num").replace(",", ""))
    if match.group("mult"):
        magnitude *= _MULTIPLIERS[match.group("mult")]
    value = float(-magnitude if match.group("sign") else magnitude)
    return Parsed(value, qualifier, unit or None)


def require_non_negative(parsed: Parsed | None) -> Parsed | None:
    """Return parsed unchanged, or raise NumberError("negative") for a value below zero."""
    if parsed is not None and parsed.value < 0:
        raise NumberError("negative", format_number(parsed.value))
    return parsed


def units_compatible(unit: str, indicator_unit: str) -> bool:
    """Return True when a figure typed with unit may be booked under indicator_unit."""
    if unit == indicator_unit:
        return True
    if unit in _MONEY_SCALES and indicator_unit in _MONEY_SCALES:
        return True
    return any(unit in group and indicator_unit in group for group in _COMPATIBLE_GROUPS)


def to_indicator_unit(parsed: Parsed, indicator_unit: str) -> float:
    """Return the value expressed in indicator_unit, or raise NumberError("unit_mismatch")."""
    unit = parsed.unit
    if unit is None or unit == indicator_unit:
        return parsed.value
    if not units_compatible(unit, indicator_unit):
        raise NumberError("unit_mismatch", unit=unit, indicator_unit=indicator_unit)
    if unit in _MONEY_SCALES:
        return parsed.value * _MONEY_SCALES[unit] / _MONEY_SCALES[indicator_unit]
    return parsed.value


def _round(value: Decimal, places: int) -> Decimal:
    """Return value rounded half-up to the given number of decimal places."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """Return a non-negative rounded Decimal with thousands separators, trailing zeros trimmed."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(magnitude: Decimal, scale: int, qualifier: str, compact: bool) -> Decimal | None:
    """magnitude ÷ scale as shown (two decimals, one when compact), or None when an exact figure
    would be rounded: a floor (余) rounds down so it stays a floor, an estimate (近) half up."""
    places = 1 if compact else 2
    exact = magnitude / scale
    if qualifier == "at_least" or (compact and qualifier == "exact"):
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    shown = _round(exact, places)
    if qualifier == "exact" and shown != exact:
        return None
    return shown


def _zh_magnitude(magnitude: Decimal, qualifier: str = "about", compact: bool = False) -> str:
    """Return a non-negative magnitude in Chinese style: plain, 万 or 亿, two decimals at most.

    An exact figure takes a 万/亿 form only when that form is the figure itself (46.9万 = 469,000,
    not 4.51万 for 45,137); otherwise it prints every digit (45,137). A floor is rounded down.
    """
    floor = qualifier == "at_least" or (compact and qualifier == "exact")
    size = magnitude if floor else _round(magnitude, 2)
    if size < 10**4:
        return _plain(_round(magnitude, 2))
    wan = magnitude / 10**4 if floor else _round(magnitude / 10**4, 2)
    scale, suffix = (10**8, "亿") if wan >= 10**4 else (10**4, "万")
    shown = _scaled(magnitude, scale, qualifier, compact)
    if shown is None:
        return _plain(_round(magnitude, 2))
    return _plain(shown) + suffix


def is_finite(value: float | None) -> TypeGuard[float]:
    """Return True for a real, finite number."""
    return value is not None and math.isfinite(value)


_EXACT = Context(prec=400)  # enough digits for any float: rounding happens once, half up


def format_number(
    value: float | None, qualifier: Qualifier = "exact", lang: str = "zh", compact: bool = False
) -> str:
    """Return value for display: zh with 万/亿 and 余/近, en with separators and +/about.

    compact (where space demands a 万 form): an exact figure that a one-decimal 万 form would
    round is shown as a floor instead (45,137 → 4.5万余), never rounded as if exact.
    """
    if not is_finite(value):
        return DASH
    with localcontext(_EXACT):
        exact = Decimal(value)
        if lang == "en":
            text = _plain(_round(abs(exact), 2))
        else:
            text = _zh_magnitude(abs(exact), qualifier, compact)
    if exact < 0 and text != "0":
        text = "-" + text
    if lang != "en" and compact and qualifier == "exact" and text.rstrip("万亿") != text:
        with localcontext(_EXACT):
            if Decimal(_zh_plain(text)) != abs(exact):
                qualifier = "at_least"
    if qualifier == "at_least":
        return text + ("+" if lang == "en" else "余")
    if qualifier == "about":
        return ("about " if lang == "en" else "近") + text
    return text


def _zh_plain(text: str) -> str:
    """The plain number a 万/亿 display stands for ("4.5万" → "45000")."""
    scale = 10**8 if text.endswith("亿") else 10**4
    return str(Decimal(text.rstrip("万亿").replace(",", "").lstrip("-")) * scale)


def shown_scale(unit_zh: str, lang: str) -> int:
    """How many times a stored value is multiplied where it is shown: a 万元 figure reads in yuan
    in English (its axis too), and stays in 万元 in Chinese."""
    return 10**4 if unit_zh == "万元" and lang == "en" else 1


def format_value(
    value: float | None,
    qualifier: Qualifier,
    unit_zh: str,
    unit_en: str,
    lang: str = "zh",
    compact: bool = False,
) -> str:
    """Return value with its unit: "1.8万余人", "45,137人", "160余万元", "85%以上", "18,000+ people".

    The one display formatter of every surface. A figure in 万元 stays in 万元 in Chinese, so a
    qualifier stays where the source put it (160余万元, never 160万余元).
    """
    if value is None or not is_finite(value):
        return DASH
    value = value * shown_scale(unit_zh, lang)
    if unit_zh == "%":
        number = format_number(value, "exact", lang)
        if qualifier == "at_least":
            return f"at least {number}%" if lang == "en" else f"{number}%以上"
        if qualifier == "about":
            return f"about {number}%" if lang == "en" else f"约{number}%"
        return f"{number}%"
    number = format_number(value, qualifier, lang, compact)
    if lang == "en":
        if unit_en and value == 1 and qualifier == "exact":
            unit_en = singular_unit(unit_en)
        return f"{number} {unit_en}" if unit_en else number
    return number + unit_zh


def singular_unit(unit_en: str) -> str:
    """The singular of a catalogue's English unit: people → person, academies → academy,
    stations → station; units without a plural s (yuan) stay as they are."""
    if unit_en == "people":
        return "person"
    if unit_en.endswith("ies"):
        return unit_en[:-3] + "y"
    if unit_en.endswith("s") and not unit_en.endswith("ss"):
        return unit_en[:-1]
    return unit_en


def format_pct(value: float | None, lang: str = "zh", signed: bool = False, digits: int = 1) -> str:
    """Return a percentage with fixed digits, e.g. "12.3%" or signed "+12.3%"; None is "—"."""
    if value is None or not is_finite(value):
        return DASH
    text = f"{abs(value):,.{digits}f}"
    if text.strip("0.,") == "":
        return text + "%"
    if value < 0:
        return f"-{text}%"
    return f"+{text}%" if signed else f"{text}%"
