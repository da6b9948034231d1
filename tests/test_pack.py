"""Tests of the meeting pack (lib.deck.pack): the PPTX opens with python-pptx with the presenter's slides,
native charts carrying the store's figures and a footnote on every slide; the A4 PDF has one page
per slide, embedded Chinese fonts, the headline figures in its text and pages that are not blank;
`python -m lib.cli export pack` writes both; single charts export as PNG."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Pt

from lib import cli
from lib.deck.measure import INSET_Y, LINE
from lib.deck.pack import (
    FOOT_TOP,
    build_pdf,
    build_pptx,
    chart_png,
    pack_file_name,
    text_height,
    text_width,
)
from lib.deck.payload import live_payload
from lib.deck.slides import Slide, SlideCard, Table, build_slides
from lib.store import db, queries
from tests.deck_support import LAST_YEAR, NOW

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def deck(slides: list) -> Presentation:
    """The PPTX deck, reopened with python-pptx."""
    return Presentation(BytesIO(build_pptx(slides)))


@pytest.fixture(scope="module")
def compared_deck(compared: list) -> Presentation:
    """The PPTX deck of the compared slides, reopened with python-pptx."""
    return Presentation(BytesIO(build_pptx(compared)))


@pytest.fixture(scope="module")
def pdf_path(slides: list, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDF report written to a file."""
    path = tmp_path_factory.mktemp("pack") / "pack.pdf"
    path.write_bytes(build_pdf(slides, "zh"))
    return path


def test_pptx_has_one_slide_per_presenter_slide(deck: Presentation, slides: list) -> None:
    """Test that the deck has the presenter's slides, in order, with the same titles."""
    assert len(deck.slides) == len(slides)
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in slides]


def native_charts(page) -> list:  # noqa: ANN001
    """The native charts on a deck page, top to bottom."""
    frames = sorted((sh for sh in page.shapes if sh.has_chart), key=lambda sh: sh.top)
    return [sh.chart for sh in frames]


def test_pptx_charts_are_native_with_store_figures(
    compared_deck: Presentation, compared: list, compared_url: str
) -> None:
    """Test that category charts are editable PowerPoint charts holding the store's values."""
    store = {}
    for year in (2024, 2025):
        obs = queries.observations(("daxing",), years=(year,), url=compared_url)
        full = obs.filter((obs["period_note"] == "") & obs["quarter"].is_null())
        store.update(
            {(r["indicator_name_zh"], f"{year}年"): r["value"] for r in full.iter_rows(named=True)}
        )
    seen = 0
    for page, slide in zip(compared_deck.slides, compared, strict=True):
        if slide.kind != "category" or slide.chart is None:
            continue
        charts = native_charts(page)
        names = [n for chart in charts for n in chart.plots[0].categories]
        assert names == list(slide.chart.categories)
        for chart in charts:
            for series in chart.plots[0].series:
                for name, value in zip(chart.plots[0].categories, series.values, strict=True):
                    assert value == store[(name, series.name)]
                    seen += 1
    assert seen == 2 * len(LAST_YEAR)


@pytest.mark.parametrize("fixture", ["deck", "compared_deck"])
def test_pptx_every_chart_draws_one_indicator(
    request: pytest.FixtureRequest, fixture: str, seeded_read_url: str
) -> None:
    """Test that each native bar chart holds one indicator (indicators that merely share a unit
    never share an axis): one category bar group, or one indicator over the years."""
    payload = live_payload("daxing", 2025, seeded_read_url, now=NOW)
    names = {i["name_zh"] for i in payload["indicators"]}
    deck = request.getfixturevalue(fixture)
    checked = 0
    for page in deck.slides:
        for chart in native_charts(page):
            if chart.chart_type != XL_CHART_TYPE.BAR_CLUSTERED:
                continue
            among = {n for n in chart.plots[0].categories if n in names}
            assert len(among) <= 1, among
            if not among:  # years on the axis: the chart's heading names its one indicator
                heads = [sh.text_frame.text for sh in page.shapes if sh.name == "Unit"]
                assert all(sum(h.startswith(n + "（") for n in names) == 1 for h in heads)
            checked += 1
    assert checked >= (3 if fixture == "deck" else 8)


def test_pptx_panels_are_headed_by_their_indicator(
    compared_deck: Presentation, compared: list
) -> None:
    """Test that the 组织建设 slide heads its three charts by indicator and unit."""
    at = [s.kind for s in compared].index("category")
    units = [sh.text_frame.text for sh in compared_deck.slides[at].shapes if sh.name == "Unit"]
    assert units == [
        "新增建会单位（单位：家）",
        "百人以上单位新建会（单位：家）",
        "发展会员（单位：人）",
    ]


def point_labels(deck: Presentation, at: int) -> dict[float, str]:
    """Each labelled bar's value → its label: the number format when the label is drawn from the
    value ("fmt:…"), else its fixed text ("text:…")."""
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    out: dict[float, str] = {}
    for chart in native_charts(deck.slides[at]):
        for series in chart.plots[0].series:
            for n, value in enumerate(series.values):
                if value is None:
                    continue
                dlbl = series.points[n].data_label._dLbl
                fmt = dlbl.find(ns + "numFmt") if dlbl is not None else None
                if fmt is not None:
                    out[value] = "fmt:" + fmt.get("formatCode")
                else:
                    out[value] = "text:" + series.points[n].data_label.text_frame.text
    return out


def test_pptx_bar_labels_read_the_chinese_way(compared_deck: Presentation, compared: list) -> None:
    """Test that bars are labelled as the slides show them (1.8万余人, 3,396家), not 18,000."""
    labels = {}
    for at, slide in enumerate(compared):
        if slide.section == "category:org_building":
            labels.update(point_labels(compared_deck, at))
    assert labels[18000] == 'fmt:0\\.0,"万余人"'  # 1.8万余人
    assert labels[3396] == 'fmt:#,##0"家"'  # 3,396家
    assert labels[15000] == 'fmt:0\\.0,"万人"'


def test_pptx_labels_no_format_can_show_stay_fixed_text(deck: Presentation, slides: list) -> None:
    """Test that a label a number format cannot reproduce (17.57万余人次) stays as fixed text."""
    found = {}
    for at, slide in enumerate(slides):
        if slide.kind in ("category", "history") and slide.chart is not None:
            found.update(point_labels(deck, at))
    assert found[175700] == "text:17.57万余人次"


def test_pptx_map_is_a_native_scatter(deck: Presentation, slides: list) -> None:
    """Test that the station map slide is an x/y scatter chart of every station, each once."""
    at = [s.kind for s in slides].index("map")
    chart = next(sh.chart for sh in deck.slides[at].shapes if sh.has_chart)
    per_type = [sum(v is not None for v in s.values) for s in chart.plots[0].series]
    assert per_type == [len(pts) for _, pts in slides[at].chart.points]
    assert sum(per_type) == len(slides[at].stations)


def test_pptx_footnote_on_every_slide(deck: Presentation, slides: list) -> None:
    """Test that every slide has a footnote with the 数据截至 stamp, and its sources if it
    shows figures."""
    for page, slide in zip(deck.slides, slides, strict=True):
        foot = next(sh for sh in page.shapes if sh.name == "Footnote").text_frame.text
        assert "数据截至 2026-03-01 10:30" in foot
        assert foot.startswith("来源：") == bool(slide.sources)


def headline_runs(deck: Presentation, slides: list) -> dict:
    """The runs of the headline slide: text -> (size, shape)."""
    at = [s.kind for s in slides].index("headline")
    return {
        run.text: (run.font.size, sh)
        for sh in deck.slides[at].shapes
        if sh.has_text_frame
        for para in sh.text_frame.paragraphs
        for run in para.runs
    }


def test_pptx_headline_numbers_are_big(deck: Presentation, slides: list) -> None:
    """Test that the headline numbers (3,396, 1.8万余, 46.9万余) share one size ≥ 40 pt, their
    units (家, 人, 人次) beside them in a smaller size."""
    runs = headline_runs(deck, slides)
    numbers = {"3,396": "家", "1.8万余": "人", "46.9万余": "人次"}
    sizes = {runs[n][0] for n in numbers}
    assert len(sizes) == 1 and sizes.pop() >= Pt(40)
    assert all(runs[u][0] < runs[n][0] for n, u in numbers.items())
    assert {"3,396家", "1.8万余人", "46.9万余人次"} <= {
        sh.text_frame.text for _, sh in runs.values()
    }


def test_pptx_headline_numbers_fit_on_one_line(deck: Presentation, slides: list) -> None:
    """Test that every headline value fits its card on one line (46.9万余人次 did not)."""
    at = [s.kind for s in slides].index("headline")
    values = [sh for sh in deck.slides[at].shapes if sh.name == "Value"]
    assert len(values) == len(slides[at].cards)
    for shape in values:
        frame = shape.text_frame
        inner = Emu(shape.width - frame.margin_left - frame.margin_right).inches
        para = frame.paragraphs[0]
        assert len(frame.paragraphs) == 1
        width = sum(text_width(r.text, r.font.size.pt, bold=True) for r in para.runs)
        assert width <= inner, (frame.text, width, inner)


@pytest.mark.parametrize(("n", "columns"), [(2, 2), (3, 3), (4, 2), (5, 3), (6, 3)])
def test_pptx_headline_cards_fill_rows(n: int, columns: int) -> None:
    """Test that headline cards sit in even rows: four two by two, five and six three a row."""
    cards = [
        SlideCard(f"i{k}", f"指标{k}", 1.0, f"{k + 1},234家", "—", False, "", "s") for k in range(n)
    ]
    slide = Slide("headline", "主要指标", cards=cards)
    page = Presentation(BytesIO(build_pptx([slide]))).slides[0]
    values = [sh for sh in page.shapes if sh.has_text_frame and sh.text_frame.text.endswith("家")]
    assert len({sh.left for sh in values}) == columns


@pytest.mark.parametrize(
    ("shown", "number", "unit"),
    [("about 20,000 services", "about 20,000", "services"), ("近2万人次", "近2万", "人次")],
)
def test_pptx_headline_qualifier_stays_with_its_number(shown: str, number: str, unit: str) -> None:
    """Test that a headline value's qualifier (about, 近) is set big with its number, and only the
    unit is set smaller."""
    cards = [SlideCard(f"i{k}", f"指标{k}", 2e4, shown, "—", False, "", "s") for k in range(3)]
    page = Presentation(BytesIO(build_pptx([Slide("headline", "主要指标", cards=cards)]))).slides[0]
    value = next(sh for sh in page.shapes if sh.name == "Value")
    runs = [r for p in value.text_frame.paragraphs for r in p.runs]
    assert [r.text.strip() for r in runs] == [number, unit]
    assert runs[0].font.size.pt >= 40 > runs[1].font.size.pt


def all_text_properties(data: bytes) -> list:
    """Every run, paragraph-default and end-of-paragraph property in a PPTX's slides and charts."""
    from lxml import etree

    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    found = []
    with zipfile.ZipFile(BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith(("ppt/slides/slide", "ppt/charts/chart")) and name.endswith(".xml"):
                root = etree.fromstring(zf.read(name))
                for tag in ("rPr", "defRPr", "endParaRPr"):
                    found += [(name, e) for e in root.iter(ns + tag)]
    return found


def test_pptx_every_run_names_the_cjk_font(slides: list) -> None:
    """Test that every text run, chart label and default names 微软雅黑 for East Asian text and
    Microsoft YaHei for Latin text, with the GB2312 charset and zh-CN as East Asian language."""
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    props = all_text_properties(build_pptx(slides))
    assert len(props) > 300
    for name, rpr in props:
        ea, latin = rpr.find(ns + "ea"), rpr.find(ns + "latin")
        assert ea is not None and ea.get("typeface") == "微软雅黑", name
        assert ea.get("charset") == "-122", name
        assert latin is not None and latin.get("typeface") == "Microsoft YaHei", name
        assert rpr.get("altLang") == "zh-CN", name


def test_pptx_theme_fonts_are_cjk(deck: Presentation) -> None:
    """Test that the theme's heading and body faces are 微软雅黑 (East Asian, Simplified Chinese
    script) and Microsoft YaHei (Latin)."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = deck.slide_master.part.part_related_by(RT.THEME).blob.decode()
    assert theme.count('<a:ea typeface="微软雅黑"') == 2
    assert theme.count('<a:latin typeface="Microsoft YaHei"') == 2
    assert theme.count('<a:font script="Hans" typeface="微软雅黑"/>') == 2


def para_height(para, width: float, inner: float) -> float:  # noqa: ANN001
    """The height (inches) of a paragraph in a box of a width (inner: less its margins): one line
    at its biggest size when its runs, each at its own size, fit side by side; else wrapped at
    the biggest size."""
    size = max(r.font.size.pt for r in para.runs if r.font.size)
    runs = [(r.text, (r.font.size or Pt(size)).pt, bool(r.font.bold)) for r in para.runs]
    if sum(text_width(*run) for run in runs) <= inner:
        return size * LINE / 72
    return text_height([para.text], width, size) - 2 * INSET_Y


def shape_text_fits(shape) -> bool:  # noqa: ANN001
    """Whether a text box's wrapped paragraphs fit its height at their font sizes."""
    frame = shape.text_frame
    paras = [p for p in frame.paragraphs if any(r.font.size for r in p.runs)]
    if not paras:
        return True
    gaps = sum(p.space_after.pt for p in frame.paragraphs[:-1] if p.space_after is not None)
    width = Emu(shape.width).inches
    inner = Emu(shape.width - frame.margin_left - frame.margin_right).inches
    need = sum(para_height(p, width, inner) for p in paras) + 2 * INSET_Y + gaps / 72
    return need <= Emu(shape.height).inches + 0.02


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pptx_text_stays_inside_the_slide(seeded_read_url: str, lang: str) -> None:
    """Test that every shape lies on the slide, its text fits its box, and only the footnote and
    page number sit below the body (no table or chart runs into the footnote)."""
    slides = build_slides(live_payload("daxing", 2025, seeded_read_url, now=NOW), lang)
    deck = Presentation(BytesIO(build_pptx(slides)))
    width, height = Emu(deck.slide_width).inches, Emu(deck.slide_height).inches
    for n, page in enumerate(deck.slides, start=1):
        for sh in page.shapes:
            left, top = Emu(sh.left).inches, Emu(sh.top).inches
            right, bottom = left + Emu(sh.width).inches, top + Emu(sh.height).inches
            assert left >= 0 and top >= 0 and right <= width + 0.01, (n, sh.name)
            assert bottom <= height + 0.01, (n, sh.name)
            if sh.has_text_frame:
                assert shape_text_fits(sh), (n, sh.name, sh.text_frame.text)
            if sh.name not in ("Footnote", "Page"):
                assert bottom <= FOOT_TOP + 0.01, (n, sh.name)


def test_pptx_long_table_shrinks_to_fit(slides: list) -> None:
    """Test that a table of 12 long rows still ends above the footnote (its font shrinks)."""
    rows = tuple(
        (f"指标名称很长很长的第{n}项（2025年6月起蹲点工作期间）", "1.8万余人") for n in range(12)
    )
    slide = Slide("plan", "长表", table=Table(("指标", "目标"), rows))
    slide.source_line, slide.stamp = "来源：—", "数据截至 2026-03-01 10:30"
    page = Presentation(BytesIO(build_pptx([slide]))).slides[0]
    table = next(sh for sh in page.shapes if sh.has_table)
    assert Emu(table.top + table.height).inches <= FOOT_TOP
    sizes = {
        r.font.size.pt
        for row in table.table.rows
        for c in row.cells
        for p in c.text_frame.paragraphs
        for r in p.runs
    }
    assert max(sizes) < 14


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext reads it."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
def test_pdf_cover_states_the_stamp_once(pdf_path: Path) -> None:
    """Test that the PDF's cover page says 数据截至 once (in its footer), not twice."""
    cover = pdf_text(pdf_path).split("\f")[0]
    assert cover.count("数据截至 2026-03-01 10:30") == 1


@needs_poppler
def test_pdf_has_one_a4_page_per_slide(pdf_path: Path, slides: list) -> None:
    """Test that the report is A4 with one page per slide."""
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True).stdout
    assert f"Pages:           {len(slides)}" in info
    assert "595.28 x 841.89 pts (A4)" in info


@needs_poppler
def test_pdf_text_has_chinese_headline_figures(pdf_path: Path, slides: list) -> None:
    """Test that the PDF's text holds the headline figures, the stamp and page numbers."""
    text = pdf_text(pdf_path)
    for expected in ("3,396家", "1.8万余人", "数据截至 2026-03-01 10:30", "工作综述"):
        assert expected in text
    assert f"第 1 页 / 共 {len(slides)} 页" in text


@needs_poppler
def test_pdf_charts_are_headed_by_unit(pdf_path: Path) -> None:
    """Test that the report's bar panels are headed by their unit and bars carry 1.8万余人."""
    text = pdf_text(pdf_path)
    assert "单位：家" in text and "单位：人" in text and "单位：人次" in text
    assert "1.8万余人" in text


@needs_poppler
def test_pdf_embeds_its_chinese_font(pdf_path: Path) -> None:
    """Test that the Noto Sans CJK font is embedded, so the PDF reads the same anywhere."""
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
    rows = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert rows and all(" yes yes yes " in line for line in rows)


@needs_poppler
def test_pdf_pages_are_not_blank(pdf_path: Path, slides: list, tmp_path: Path) -> None:
    """Test that every page rendered by pdftoppm has ink on it (not a blank page)."""
    from PIL import Image, ImageStat

    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", str(pdf_path), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) == len(slides)
    for page in pages:
        image = Image.open(page)
        assert ImageStat.Stat(image).stddev[0] > 5, page.name
        assert image.getextrema()[0] < 128, page.name


@needs_poppler
def test_pdf_in_english(slides: list, seeded_read_url: str, tmp_path: Path) -> None:
    """Test that the English report states figures the English way."""
    en = build_slides(live_payload("daxing", 2025, seeded_read_url, now=NOW), "en")
    path = tmp_path / "en.pdf"
    path.write_bytes(build_pdf(en, "en"))
    text = pdf_text(path)
    assert "18,000+ people" in text and "Page 1 of" in text


@pytest.mark.parametrize("fmt", ["pptx", "pdf"])
def test_cli_export_pack(seeded_url: str, tmp_path: Path, fmt: str) -> None:
    """Test that `export pack --org daxing --year 2025 --format FMT OUT` writes the pack."""
    out = tmp_path / f"pack.{fmt}"
    args = ["export", "pack", "--org", "daxing", "--year", "2025", "--format", fmt, str(out)]
    assert cli.main(args) == cli.EXIT_OK
    magic = b"%PDF" if fmt == "pdf" else b"PK"
    assert out.read_bytes().startswith(magic)


def test_cli_export_pack_defaults_to_latest_year(seeded_url: str, tmp_path: Path) -> None:
    """Test that without --year the pack covers the org's latest full year."""
    out = tmp_path / "pack.pptx"
    assert cli.main(["export", "pack", str(out), "--org", "daxing", "--format", "pptx"]) == 0
    assert "2025" in Presentation(str(out)).slides[0].shapes[1].text_frame.text


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--org", "nowhere", "--year", "2025", "--format", "pdf"], cli.EXIT_REFUSED),
        (["--year", "2025", "--format", "pdf"], cli.EXIT_USAGE),
        (["--org", "daxing", "--year", "2025", "--format", "csv"], cli.EXIT_USAGE),
    ],
)
def test_cli_export_pack_refusals(
    seeded_url: str, tmp_path: Path, args: list[str], code: int
) -> None:
    """Test that an unknown org is refused (1) and missing or wrong options are usage errors (2)."""
    out = tmp_path / "x"
    assert cli.main(["export", "pack", *args, str(out)]) == code
    assert not out.exists()


def test_file_names_say_org_year_and_snapshot(slides: list) -> None:
    """Test that download names carry org, year and the snapshot id when frozen."""
    payload = {"org": {"code": "daxing"}, "year": 2025, "snapshot": None}
    assert pack_file_name(payload, "pdf") == "daxing_2025_meeting_pack.pdf"
    payload["snapshot"] = {"id": 3}
    assert pack_file_name(payload, "pptx") == "daxing_2025_meeting_pack_snapshot3.pptx"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium missing")
def test_chart_png_renders_offline(compared: list) -> None:
    """Test that a single chart exports as a 1600×900 PNG through kaleido and local chromium."""
    from PIL import Image

    chart = next(s.chart for s in compared if s.kind == "category" and s.chart)
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG")
    assert Image.open(BytesIO(png)).size == (1600, 900)


def test_db_untouched_by_exports(seeded_read_url: str, slides: list) -> None:
    """Test that building a pack writes nothing (the data version stays put)."""
    with db.session_scope(seeded_read_url) as s:
        before = db.data_version(s)
    build_pptx(slides)
    with db.session_scope(seeded_read_url) as s:
        assert db.data_version(s) == before


@needs_poppler
def test_pdf_of_2021_prints_figures_as_reported(seeded_read_url: str, tmp_path: Path) -> None:
    """Test that the 2021 report prints 45,137人 and 160余万元 as the article does, never 4.51万人
    or 160万余元."""
    path = tmp_path / "2021.pdf"
    path.write_bytes(
        build_pdf(build_slides(live_payload("daxing", 2021, seeded_read_url, now=NOW)))
    )
    text = pdf_text(path)
    assert "45,137人" in text and "160余万元" in text
    assert "4.51万人" not in text and "160万余元" not in text
