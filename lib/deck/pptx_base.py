"""PPTX building blocks: the CJK face every run names, text boxes sized by measurement, and
native tables whose wrapped rows stay inside their box.

Every run, chart label and the theme name 微软雅黑 as the East Asian face and Microsoft YaHei as
the Latin one (GB2312 charset, zh-CN), which stock Windows and WPS have and for which LibreOffice
substitutes a Chinese face (tests/test_pack_office.py renders the deck with LibreOffice).
"""

from __future__ import annotations

from typing import Any

from lib.deck.measure import (
    INK,
    INSET_X,
    INSET_Y,
    LINE,
    RED,
    fit_size,
    line_count,
    text_width,
    word_width,
)

# The faces every run names: 微软雅黑 (Microsoft YaHei, on every Windows since Vista and bundled by
# WPS) for East Asian text, its Latin name for Latin and complex-script text, the GB2312 charset
# and zh-CN as East Asian language so PowerPoint, WPS and LibreOffice pick a Chinese face where
# YaHei is missing (LibreOffice then asks fontconfig for a zh-CN sans: Noto Sans CJK SC on Debian).
PPTX_EA_FONT = "微软雅黑"
PPTX_FONT = "Microsoft YaHei"  # Latin and complex script
EA_CHARSET = "-122"  # GB2312
STRIPES = ((255, 255, 255), (246, 247, 249))  # table rows
FOOT_PT = 12  # the footnote (sources and 数据截至)


_FONT_SLOTS = ("latin", "ea", "cs")
_AFTER_FONTS = ("sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst")


def name_fonts(rpr: Any) -> None:
    """Name 微软雅黑 as the East Asian face (Microsoft YaHei for Latin and complex script) of run
    properties, with the GB2312 charset, zh-CN as East Asian language and, when unset, as
    language."""
    from pptx.oxml.ns import qn

    if rpr.get("lang") is None:
        rpr.set("lang", "zh-CN")
    rpr.set("altLang", "zh-CN")  # the East Asian language: LibreOffice picks a zh-CN face by it
    for slot in _FONT_SLOTS:
        for old in rpr.findall(qn(f"a:{slot}")):
            rpr.remove(old)
    at = len(rpr)
    for n, child in enumerate(rpr):
        if child.tag in {qn(f"a:{tag}") for tag in _AFTER_FONTS}:
            at = n
            break
    for slot in reversed(_FONT_SLOTS):
        attrs = {"typeface": PPTX_EA_FONT if slot == "ea" else PPTX_FONT}
        if slot == "ea":
            attrs["charset"] = EA_CHARSET
        rpr.insert(at, rpr.makeelement(qn(f"a:{slot}"), attrs))


def name_fonts_in(element: Any) -> None:
    """Name the CJK face in every run, paragraph default and end-of-paragraph property below."""
    from pptx.oxml.ns import qn

    for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"):
        for rpr in element.iter(qn(tag)):
            name_fonts(rpr)
    for run in element.iter(qn("a:r")):  # a run without properties would fall back to the theme
        if run.find(qn("a:rPr")) is None:
            rpr = run.makeelement(qn("a:rPr"), {"lang": "zh-CN"})
            run.insert(0, rpr)
            name_fonts(rpr)


def theme_fonts(prs: Any) -> None:
    """Make Microsoft YaHei the theme's Latin face and 微软雅黑 its East Asian and Simplified
    Chinese (script Hans) face (text styled by the theme)."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for slot in root.findall(".//a:fontScheme/*/a:latin", ns):
        slot.set("typeface", PPTX_FONT)
    for slot in root.findall(".//a:fontScheme/*/a:ea", ns):
        slot.set("typeface", PPTX_EA_FONT)
    for slot in root.findall(".//a:fontScheme/*/a:font[@script='Hans']", ns):
        slot.set("typeface", PPTX_EA_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def style_run(run: Any, size: float, bold: bool = False, color: tuple = INK) -> None:
    """Font of a run: size, weight, colour, and 微软雅黑 / Microsoft YaHei (see ``name_fonts``)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(*color)
    name_fonts(run._r.get_or_add_rPr())


def text_box(
    slide: Any,
    box: tuple[float, float, float, float],
    lines: list[str],
    size: float,
    bold: bool = False,
    color: tuple = INK,
    align: str = "left",
    name: str = "",
    smallest: float | None = None,
    spacing: float = 0.0,
) -> Any:
    """A text box at (left, top, width, height) inches, one paragraph per line (spacing ems
    apart); with smallest, the size shrinks (down to smallest) until the text fits the box."""
    from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    if smallest is not None:
        size = fit_size(lines, box[2:], size, smallest, bold, spacing)
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, line in enumerate(lines):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        para.alignment = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}.get(
            align, PP_ALIGN.LEFT
        )
        if spacing and n < len(lines) - 1:
            para.space_after = Pt(spacing * size)
        style_run(para.add_run(), size, bold, color)
        para.runs[0].text = line
    return shape


WRAP_EARLY = 0.94  # table text wraps at this share of a cell's inner width (LibreOffice's lines)


def _least_width(rows: list[tuple[str, ...]], c: int, size: float) -> float:
    """The narrowest a column may be (inches): its widest word or number, and its heading whole
    when the heading has no space (a year, 2021年, never breaks), inside the wrap width."""
    heading = rows[0][c]
    whole = text_width(heading, size, True) if " " not in heading.strip() else 0.0
    words = [word_width(row[c], size, bold=r == 0) for r, row in enumerate(rows)]
    return max(whole, *words) / WRAP_EARLY + 2 * INSET_X + 0.02


def _column_widths(rows: list[tuple[str, ...]], width: float, size: float) -> list[float] | None:
    """Column widths (inches) for table rows: each column's one-line width, scaled to fit, none
    narrower than its least width (None when those do not fit the width at this size)."""
    n = len(rows[0])
    pad = 2 * INSET_X + 0.05
    least = [_least_width(rows, c, size) for c in range(n)]
    natural = [
        max(least[c], *(text_width(row[c], size, bold=r == 0) + pad for r, row in enumerate(rows)))
        for c in range(n)
    ]
    if sum(natural) <= width:
        extra = width - sum(natural)
        return [w + extra * w / sum(natural) for w in natural]
    rest = [max(least[c], min(natural[c], width * 0.6 / (n - 1))) for c in range(1, n)]
    floor = sum(least[1:])  # the first column (indicator names) keeps 30%, or 20% for room
    first = max(least[0], width * 0.2, min(width * 0.3, width - floor))
    room = width - first
    if room < floor:
        return None
    if sum(rest) > room:  # shrink what the other columns have beyond their least width
        scale = (room - floor) / (sum(rest) - floor)
        rest = [lo + (w - lo) * scale for lo, w in zip(least[1:], rest, strict=True)]
    return [width - sum(rest), *rest]


def _row_heights(rows: list[tuple[str, ...]], widths: list[float], size: float) -> list[float]:
    """Row heights (inches) of table rows in columns of the given widths: wrapping a little early
    and allowing LibreOffice's taller table lines."""
    return [
        max(
            line_count(v, (widths[c] - 2 * INSET_X) * WRAP_EARLY, size, r == 0)
            for c, v in enumerate(row)
        )
        * size
        * (LINE + 0.1)
        / 72
        + 2 * INSET_Y
        + 0.02
        for r, row in enumerate(rows)
    ]


def table_layout(
    table: Any, width: float, height: float, size: float, smallest: float = 9
) -> tuple[float, list[float], list[float]]:
    """A font size, column widths and row heights (inches) at which a table fits a box: no word
    or year split and its rows inside the height, shrinking the font down to smallest (at which
    the words' least widths are scaled into the width if they still do not fit)."""
    rows = [table.header, *table.rows]
    while True:
        widths = _column_widths(rows, width, size)
        if widths is None and size > smallest:
            size -= 0.5
            continue
        if widths is None:
            least = [_least_width(rows, c, size) for c in range(len(rows[0]))]
            widths = [w * width / sum(least) for w in least]
        heights = _row_heights(rows, widths, size)
        if sum(heights) <= height or size <= smallest:
            return size, widths, heights
        size -= 0.5


def words_fit(table: Any, width: float, size: float) -> bool:
    """Whether a table's words and year headings fit a width at a size without breaking."""
    return _column_widths([table.header, *table.rows], width, size) is not None


def add_table(slide: Any, table: Any, box: tuple[float, float, float, float], size: float) -> Any:
    """A native table from a slide table, sized so its wrapped rows stay inside the box."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches

    size, widths, heights = table_layout(table, box[2], box[3], size)
    n_rows, n_cols = len(table.rows) + 1, len(table.header)
    shape = slide.shapes.add_table(
        n_rows, n_cols, Inches(box[0]), Inches(box[1]), Inches(box[2]), Inches(sum(heights))
    )
    shape.name = "Table"
    grid = shape.table
    for c, w in enumerate(widths):
        grid.columns[c].width = Inches(w)
    for r, h in enumerate(heights):
        grid.rows[r].height = Inches(h)
    for r, row in enumerate([table.header, *table.rows]):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.text = ""
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(*(RED if r == 0 else STRIPES[r % 2]))
            cell.margin_left = cell.margin_right = Inches(INSET_X)
            cell.margin_top = cell.margin_bottom = Inches(INSET_Y)
            run = cell.text_frame.paragraphs[0].add_run()
            style_run(run, size, bold=r == 0, color=(255, 255, 255) if r == 0 else INK)
            run.text = value
    return shape
