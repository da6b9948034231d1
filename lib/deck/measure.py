"""Fonts, colours and text measurement shared by the PPTX deck and the PDF report: Noto Sans CJK
measures text (:func:`text_width`, :func:`line_count`, :func:`text_height`, :func:`fit_size`) so
text boxes, cards and tables are sized to stay inside the slide or page; :func:`split_value` parts
a headline value into the number (set big) and its unit (set smaller)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
FONT_INDEX_SC = 2  # face of Simplified Chinese in the Noto Sans CJK collections
RED = (200, 16, 46)
MUTED_GREY = (102, 112, 133)
INK = (31, 35, 41)
LINE = 1.45  # line height of Noto Sans CJK in ems (ascent 1.16 + descent 0.29)
INSET_X, INSET_Y = 0.1, 0.05  # default text-box and table-cell insets, inches
# The Latin face LibreOffice substitutes for Microsoft YaHei on Debian (fontconfig's sans): wider
# than Noto's Latin, so Latin text is measured in whichever of the two is wider.
LATIN_DIR = Path("/usr/share/fonts/truetype/dejavu")
LATIN_FONTS = {False: LATIN_DIR / "DejaVuSans.ttf", True: LATIN_DIR / "DejaVuSans-Bold.ttf"}

# a value's number: any qualifier before it (about, 近), digits, 万/亿, a qualifier after (余, +)
_NUMBER = re.compile(r"^(\D*?[\d,.]*\d(?:万亿|万|亿)?(?:余|多|\+)?%?)(.*)$")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_TOKENS = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+"
)


@functools.lru_cache(maxsize=2)
def _measure_font(bold: bool) -> Any:
    """Noto Sans CJK SC at 100 px for measuring (None when the font package is missing)."""
    try:
        from PIL import ImageFont

        return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), 100, index=2)
    except OSError:
        return None


@functools.lru_cache(maxsize=2)
def _latin_font(bold: bool) -> Any:
    """DejaVu Sans at 100 px for measuring Latin text (None when not installed)."""
    try:
        from PIL import ImageFont

        return ImageFont.truetype(str(LATIN_FONTS[bold]), 100)
    except OSError:
        return None


def _latin_extra(text: str, font: Any, bold: bool) -> float:
    """How many ems wider the text's Latin part is in the substitute face than in Noto."""
    latin = _CJK.sub("", text)
    wide = _latin_font(bold)
    if not latin or wide is None:
        return 0.0
    return max(0.0, (wide.getlength(latin) - font.getlength(latin)) / 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text in inches at a size in points (line breaks from data count
    as spaces: the measuring font refuses multi-line text)."""
    return _ems(" ".join(text.splitlines()), bold) * size / 72


@functools.lru_cache(maxsize=65536)
def _ems(text: str, bold: bool) -> float:
    """The width of one line of text in ems: measured once per text (fitting a deck asks for
    the same words at many sizes, and each measure is a font layout)."""
    font = _measure_font(bold)
    if font is not None:
        ems = font.getlength(text) / 100 + _latin_extra(text, font, bold)
    else:  # an estimate: CJK full width, the rest a little over half
        ems = sum(1.0 if _CJK.match(ch) else 0.6 for ch in text)
    # LibreOffice (not PowerPoint) spaces CJK from Latin/digits by about a quarter em: allow it
    kinds = [bool(_CJK.match(ch)) for ch in text if not ch.isspace()]
    return ems + 0.25 * sum(a != b for a, b in zip(kinds, kinds[1:], strict=False))


def word_width(text: str, size: float, bold: bool = False) -> float:
    """The width (inches) of the widest piece of text no line break may split: its longest Latin
    word or number (a CJK character stands alone); 0 for empty text."""
    words = [t for t in _TOKENS.findall(text) if not t.isspace()]
    return max((text_width(w, size, bold) for w in words), default=0.0)


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines text wraps to in a width (inches): CJK breaks anywhere, Latin at spaces."""
    lines, line = 1, ""
    for token in _TOKENS.findall(text):
        trial = line + token
        if token.isspace() or not line.strip() or text_width(trial, size, bold) <= width:
            line = trial
        else:
            lines, line = lines + 1, token
        while len(line) > 1 and text_width(line.rstrip(), size, bold) > width:  # a long word
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], size, bold) > width:
                cut -= 1
            lines, line = lines + 1, line[cut:]
    return lines


def text_height(
    lines: list[str], width: float, size: float, bold: bool = False, spacing: float = 0.0
) -> float:
    """The height (inches) of paragraphs wrapped in a text box of a width, insets included;
    spacing is the space after each paragraph but the last, in ems."""
    inner = width - 2 * INSET_X
    n = sum(line_count(line, inner, size, bold) for line in lines)
    gaps = spacing * size * max(0, len(lines) - 1)
    return (n * size * LINE + gaps) / 72 + 2 * INSET_Y


def fit_size(
    lines: list[str],
    box: tuple[float, float],
    size: float,
    smallest: float,
    bold: bool = False,
    spacing: float = 0.0,
) -> float:
    """The largest size from size down to smallest (half points) at which lines fit a box."""
    width, height = box
    while size > smallest and text_height(lines, width, size, bold, spacing) > height:
        size -= 0.5
    return size


def rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' as an RGB triple."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def split_value(shown: str) -> tuple[str, str]:
    """A card's value as its number and its unit: "about 20,000" / " services" (the unit keeps its
    space), "46.9万余" / "人次"; a value without a unit is all number."""
    match = _NUMBER.match(shown)
    return (match.group(1), match.group(2)) if match else (shown, "")
