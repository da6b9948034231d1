"""The meeting pack (会议材料): the presenter slides as a PPTX deck, an A4 PDF report and PNGs of
single charts, plus `python -m lib.cli export pack` (no streamlit). The one entry the page and
the CLI call; the formats live in their own modules:

* lib.deck.pptx_deck (with pptx_base and pptx_charts): 16:9 or 4:3, one slide per presenter
  slide, native PowerPoint charts staff can edit, a footnote with sources and 数据截至 on every
  slide, speaker notes;
* lib.deck.pdf_report: A4 portrait, Noto Sans CJK embedded, one page per slide;
* lib.deck.measure: fonts, colours and the text measurement both use to keep text in its box;
* PNG (here): a slide chart through plotly + kaleido on Debian's chromium (no MathJax, no CDN).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lib.dash import charts
from lib.deck.measure import text_height, text_width
from lib.deck.payload import default_year, live_payload
from lib.deck.pdf_report import build_pdf
from lib.deck.pptx_deck import FOOT_TOP, build_pptx
from lib.deck.slides import Chart, Slide, build_slides, chart_figure

__all__ = [
    "FOOT_TOP",
    "build_pdf",
    "build_pptx",
    "chart_png",
    "cli_pack",
    "pack_file_name",
    "pack_bytes",
    "render",
    "text_height",
    "text_width",
]


def chart_png(chart: Chart, theme: str = "light", width: int = 1600, height: int = 900) -> bytes:
    """A slide chart as PNG bytes, rendered offline by kaleido on Debian's chromium."""
    fig = chart_figure(chart, theme, font_size=22, height=height - 64)
    top = fig.layout.margin.t or 40
    fig.update_layout(  # the title, then the legend and the bars below it
        title={"text": chart.title, "x": 0.01, "yref": "container", "y": 0.985, "yanchor": "top"},
        legend={"yref": "container", "y": 1 - 64 / height, "yanchor": "top"},
        margin={"t": top + 64},
    )
    return charts.figure_png(fig, width, height)


# ---------------------------------------------------------------------------------------------
# One entry for the page and the CLI
# ---------------------------------------------------------------------------------------------

FORMATS = ("pptx", "pdf")


def render(slides: list[Slide], fmt: str, lang: str = "zh", aspect: str = "16:9") -> bytes:
    """The pack of a slide sequence in a format (pptx at 16:9 or 4:3, or the A4 pdf)."""
    if fmt == "pptx":
        return build_pptx(slides, aspect)
    if fmt == "pdf":
        return build_pdf(slides, lang)
    raise ValueError(fmt)


def pack_bytes(payload: dict[str, Any], fmt: str, lang: str = "zh", aspect: str = "16:9") -> bytes:
    """The pack of a payload (live or snapshot) in a format, language and slide shape."""
    return render(build_slides(payload, lang), fmt, lang, aspect)


def pack_file_name(payload: dict[str, Any], fmt: str) -> str:
    """A download file name: <org>_<year>_meeting_pack[_snapshot<id>].<fmt>."""
    snap = payload.get("snapshot")
    tail = f"_snapshot{snap['id']}" if snap else ""
    return f"{payload['org']['code']}_{payload['year']}_meeting_pack{tail}.{fmt}"


def cli_pack(args: argparse.Namespace) -> int:
    """export pack --org CODE [--year YEAR] --format pptx|pdf OUT [--lang zh|en] [--aspect 4:3]."""
    fmt = args.format if args.format in FORMATS else None
    if fmt is None or not args.org or not args.out:
        print("export pack needs --org CODE, --format pptx|pdf and an output file", file=sys.stderr)
        return 2
    year = args.year or default_year(args.org)
    if year is None:
        print(f"export pack refused: no figures for org {args.org!r}", file=sys.stderr)
        return 1
    try:
        payload = live_payload(args.org, year)
    except KeyError:
        print(f"export pack refused: unknown org {args.org!r}", file=sys.stderr)
        return 1
    lang = getattr(args, "lang", "zh") or "zh"
    slides = build_slides(payload, lang)
    aspect = getattr(args, "aspect", "16:9") or "16:9"
    Path(args.out).write_bytes(render(slides, fmt, lang, aspect))
    shape = f", {aspect}" if fmt == "pptx" else ""
    print(f"wrote {args.out}: {len(slides)} slides ({fmt}{shape}, {args.org} {year}, {lang})")
    return 0
