"""Surface parity (issue 11): for each fixture case, the overview card, the year-over-year table
and chart (its labels and hover), the targets table, the presenter slides, the PPTX, the PDF (pdftotext) and the written summary are
rendered from one store (and the YoY page's CSV download) and must read the same figure, status
and 同比."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from io import BytesIO

import polars as pl
import pyarrow as pa
import pytest
from pptx import Presentation

from lib.dash import views
from lib.dash import yoy as yoy_view
from lib.deck.pack import build_pdf, build_pptx
from lib.deck.payload import live_payload
from lib.deck.slides import build_slides
from lib.deck.summary import summarize
from lib.store import queries
from lib.store.export import csv_bytes
from tests.conftest import run_page
from tests.test_pages_dashboards import add_observation, add_target

YEAR = 2026
IND, NAME = "job_fairs", "招聘会"  # a 场 flow the seed has only for 2021
CAMPAIGN = "2026年6月起蹲点工作期间"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@dataclass(frozen=True)
class Case:
    """Figures to write, a target, and what every surface must read."""

    rows: tuple[tuple, ...]  # (year, quarter, value, qualifier[, period note])
    target: tuple[float, str] | None  # (value, comparator) for 2026
    figure: str | None  # the figure as printed ("4,000余场"), None when there is none
    period: str  # its period as named
    status: str | None  # the target's status as named
    yoy: str  # the 同比 as a table prints it ("—" when none)
    yoy_words: str | None  # the 同比 as the summary says it (None: no 同比 stated)
    extra: tuple[str, ...] = field(default=())  # other figures every surface shows


def quarters(year: int, values: list, qualifiers: list | None = None) -> tuple[tuple, ...]:
    """Quarterly rows Q1..Qn of a year."""
    quals = qualifiers or ["exact"] * len(values)
    return tuple(
        (year, q, v, qual) for q, (v, qual) in enumerate(zip(values, quals, strict=True), start=1)
    )


CASES = {
    # issue 11, named regression 1: 1,000场 × 4 with one 1000余 reads 4,000余场 everywhere
    "regression_floor_quarters": Case(
        quarters(YEAR, [1000] * 4, ["exact", "at_least", "exact", "exact"]),
        (3000, ">="),
        "4,000余场",
        "全年",
        "已完成",
        "—",
        None,
    ),
    # issue 11, named regression 2: 40 / 40 / 40 against ≥ 100 is 已完成 everywhere
    "regression_to_date_done": Case(
        quarters(YEAR, [40, 40, 40]), (100, ">="), "120场", "1—3季度累计", "已完成", "—", None
    ),
    "exact_behind": Case(
        ((YEAR - 1, None, 1000, "exact"), (YEAR, None, 1200, "exact")),
        (1500, ">="),
        "1,200场",
        "全年",
        "滞后",
        "+20.0%",
        "同比增长20.0%",
    ),
    "floor_cannot_prove_a_miss": Case(
        ((YEAR - 1, None, 15000, "exact"), (YEAR, None, 18000, "at_least")),
        (20000, ">="),
        "1.8万余场",
        "全年",
        "无法判定（“余”数为下限）",
        "≥+20.0%",
        "同比增长20.0%以上",
    ),
    "estimate_under_a_ceiling": Case(
        ((YEAR - 1, None, 16000, "exact"), (YEAR, None, 20000, "about")),
        (25000, "<="),
        "近2万场",
        "全年",
        "已完成",
        "≈+25.0%",
        "同比增长约25.0%",
    ),
    "ceiling_broken": Case(
        ((YEAR - 1, None, 100, "exact"), (YEAR, None, 120, "exact")),
        (100, "<="),
        "120场",
        "全年",
        "滞后",
        "+20.0%",
        "同比增长20.0%",
    ),
    "to_date_behind_pace": Case(
        quarters(YEAR - 1, [100] * 4) + quarters(YEAR, [120, 120]),
        (500, ">="),
        "240场",
        "1—2季度累计",
        "滞后",
        "+20.0%",
        "同比增长20.0%",
    ),
    "exact_figure_printed_exactly": Case(
        ((YEAR, None, 45137, "exact"),), (40000, ">="), "45,137场", "全年", "已完成", "—", None
    ),
    "campaign_beside_the_year": Case(
        (
            (YEAR - 1, None, 2500, "exact"),
            (YEAR, None, 3000, "exact"),
            (YEAR, None, 800, "exact", CAMPAIGN),
        ),
        (2800, ">="),
        "3,000场",
        "全年",
        "已完成",
        "+20.0%",
        "同比增长20.0%",
        extra=("800场",),
    ),
    "missing_previous_year": Case(
        ((YEAR - 2, None, 1000, "exact"), (YEAR, None, 1100, "exact")),
        None,
        "1,100场",
        "全年",
        None,
        "—",
        None,
    ),
    "no_actual_yet": Case(
        ((YEAR - 1, None, 5, "exact"),), (10, ">="), None, "全年", "暂无完成数据", "—", None
    ),
}


@dataclass
class Surfaces:
    """What each surface reads for the case's indicator."""

    cards: list[tuple[str, str]]  # (value, 同比) of every overview card of the indicator
    yoy_rows: list[tuple[str, str, str]]  # (period, value, 同比) of the 2026 rows
    chart_rows: list[tuple[str, str, str]]  # the same from the YoY chart's labels and hover
    csv_rows: list[tuple[str, str, str]]  # the same from the YoY page's CSV download
    target_row: tuple[str, str] | None  # (actual, status)
    slide_rows: list[tuple[str, ...]]  # category-slide rows of the indicator
    slide_target: tuple[str, ...] | None  # targets-slide row
    pptx: str
    pdf: str | None
    summary: str


def render(url: str) -> Surfaces:
    """Render every surface of Daxing's 2026 for the case's store."""
    over = run_page("overview", org="daxing", year=str(YEAR))
    # A card with no 同比 draws no delta (its section says why once): read that as "—".
    cards = [(m.value, m.proto.delta or "—") for m in over.metric if m.label == NAME]
    yoy_page = run_page("yoy", orgs=["daxing"], cat="employment", ind=[IND])
    chart = yoy_page.get("vega_lite_chart")[0].proto
    drawn = pa.ipc.open_stream(chart.data.data).read_all().to_pylist()
    chart_rows = [
        (r["period"], r["text"], r["yoy"])
        for r in drawn
        if r["year"] == str(YEAR) and r["kind"] != "gap"
    ]
    yoy = yoy_page.dataframe[0].value
    yoy = yoy[yoy["年份"] == str(YEAR)]
    yoy_rows = list(zip(yoy["统计期"], yoy["数值"], yoy["同比"], strict=True))
    figs = views.figures(queries.observations(("daxing",), url=url))
    metas = views.indicator_meta(queries.indicators(url))
    rows = yoy_view.yoy_rows(figs, metas, ["daxing"], [IND], (YEAR - 1, YEAR), {}, "zh")
    csv = pl.read_csv(BytesIO(csv_bytes(yoy_view.yoy_csv_frame(rows))), infer_schema_length=0)
    csv = csv.filter(pl.col("year") == str(YEAR))
    # a spreadsheet would run "+20.0%" as a formula: the export guards it with a leading quote
    yoy_cells = [y.removeprefix("'") if y else "" for y in csv["yoy"]]
    csv_rows = list(zip(csv["period"], csv["value_shown"], yoy_cells, strict=True))
    tg = run_page("targets", org="daxing", year=str(YEAR))
    target_row = None
    if tg.dataframe:
        table = tg.dataframe[0].value
        row = table[table["指标"] == NAME]
        if len(row):
            target_row = (row["实际"].iloc[0], row["状态"].iloc[0])
    slides = build_slides(live_payload("daxing", YEAR, url), "zh")
    slide_rows = [
        r for s in slides if s.kind == "category" and s.table for r in s.table.rows if NAME in r[0]
    ]
    slide_target = next(
        (
            r
            for s in slides
            if s.kind == "targets" and s.table
            for r in s.table.rows
            if r[0] == NAME
        ),
        None,
    )
    deck = Presentation(BytesIO(build_pptx(slides)))
    pptx = "\n".join(_shape_texts(deck))
    pdf = None
    if shutil.which("pdftotext"):
        pdf = subprocess.run(
            ["pdftotext", "-", "-"], input=build_pdf(slides), capture_output=True, check=True
        ).stdout.decode()
    return Surfaces(
        cards,
        yoy_rows,
        chart_rows,
        csv_rows,
        target_row,
        slide_rows,
        slide_target,
        pptx,
        pdf,
        "".join(s.text for s in summarize(live_payload("daxing", YEAR, url))),
    )


def _shape_texts(deck: object) -> list[str]:
    """Every text of a deck: text frames and table cells."""
    out = []
    for page in deck.slides:  # type: ignore[attr-defined]
        for sh in page.shapes:
            if sh.has_text_frame:
                out.append(sh.text_frame.text)
            if sh.has_table:
                out += [c.text for row in sh.table.rows for c in row.cells]
    return out


_RENDERED: dict[str, Surfaces] = {}  # each case is rendered once per worker, read by 3 tests


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request: pytest.FixtureRequest, store: str) -> tuple[Case, Surfaces]:  # noqa: F811
    """A case written into a private seeded store and rendered on every surface."""
    c = CASES[request.param]
    if request.param in _RENDERED:
        return c, _RENDERED[request.param]
    for year, quarter, value, qualifier, *note in c.rows:
        add_observation(
            store,
            "daxing",
            IND,
            year,
            value,
            quarter=quarter,
            qualifier=qualifier,
            period_note=note[0] if note else "",
        )
    if c.target:
        add_target(store, "daxing", IND, YEAR, c.target[0], comparator=c.target[1])
    _RENDERED[request.param] = render(store)
    return c, _RENDERED[request.param]


def test_every_surface_reads_the_same_figure(case: tuple[Case, Surfaces]) -> None:
    """Test that card, YoY table, targets table, slide, PPTX, PDF and summary print one figure."""
    c, s = case
    if c.figure is None:
        assert all(v == "—" for _, v, _ in s.yoy_rows)
        assert s.target_row is None or s.target_row[0] == "—"
        return
    assert c.figure in [v for v, _ in s.cards]
    assert (c.period, c.figure) in [(p, v) for p, v, _ in s.yoy_rows]
    assert (c.period, c.figure) in [(p, v) for p, v, _ in s.csv_rows]
    if c.status is not None:
        assert s.target_row is not None and s.target_row[0] == c.figure
        assert s.slide_target is not None and s.slide_target[2:4] == (c.figure, c.period)
    assert c.figure in [r[1] for r in s.slide_rows]
    for text in (s.pptx, s.pdf, s.summary):
        if text is not None:
            assert c.figure in text
            for extra in c.extra:
                assert extra in text


def test_every_surface_reads_the_same_status(case: tuple[Case, Surfaces]) -> None:
    """Test that the targets table, the targets slide, the PPTX, the PDF and the summary give the
    target one and the same status."""
    c, s = case
    if c.status is None:
        assert s.target_row is None and s.slide_target is None
        return
    assert s.target_row is not None and s.target_row[1] == c.status
    assert s.slide_target is not None and s.slide_target[5] == c.status
    for text in (s.pptx, s.pdf, s.summary):
        if text is not None:
            assert c.status in text
    assert "已完成0项" not in s.summary


def test_every_surface_reads_the_same_change(case: tuple[Case, Surfaces]) -> None:
    """Test that the card, the YoY table and chart, the CSV, the slide, the PPTX, the PDF and the
    summary state the same 同比 (or none at all)."""
    c, s = case
    if c.figure is None:
        return
    assert (c.figure, c.yoy) in s.cards
    assert (c.period, c.figure, c.yoy) in s.yoy_rows
    assert (c.period, c.figure, c.yoy) in s.chart_rows
    assert (c.period, c.figure, c.yoy) in s.csv_rows
    row = next(r for r in s.slide_rows if r[1] == c.figure)
    if c.yoy == "—":  # no 同比 column at all, or a reason in it
        assert len(row) == 2 or ("同比 " not in row[3] and "%" not in row[3])
    else:
        assert row[3] == f"同比 {c.yoy}"
        for text in (s.pptx, s.pdf):
            if text is not None:
                assert f"同比 {c.yoy}" in text
    if c.yoy_words is None:
        assert "同比" not in s.summary.split("计划目标")[0]
    else:
        assert c.yoy_words in s.summary


def test_regression_past_year_to_date_targets_read_alike_on_page_and_deck(store: str) -> None:  # noqa: F811
    """Test that two 2025 targets judged on Q1–Q3 (78.5%, 50.4%) read the same status on the
    targets page and the presenter's targets slide, never 无实际数据 on the deck."""
    for ind, values in (("job_fairs", [261, 262, 262]), ("legal_checkup_workers", [168] * 3)):
        for q, v in enumerate(values, start=1):
            add_observation(store, "daxing", ind, 2025, v, quarter=q)
        add_target(store, "daxing", ind, 2025, 1000, comparator=">=")
    table = run_page("targets", org="daxing", year="2025").dataframe[0].value
    page = {
        n: (a, s, tm)
        for n, a, s, tm in zip(
            table["指标"], table["实际"], table["状态"], table["序时进度"], strict=True
        )
    }
    deck = build_slides(live_payload("daxing", 2025, store), "zh")
    rows = {r[0]: r for s in deck if s.kind == "targets" for r in s.table.rows}
    assert page[NAME] == ("785场", "进行中", "超序时（时间已过75%）")
    assert page["法治体检惠及职工"] == ("504人", "滞后", "落后序时（时间已过75%）")
    assert rows[NAME][2:6] == ("785场", "1—3季度累计", "78.5%", "进行中")
    assert rows["法治体检惠及职工"][2:6] == ("504人", "1—3季度累计", "50.4%", "滞后")


def test_every_surface_states_a_target_alike(store: str) -> None:  # noqa: F811
    """Test that a 2026 target of at least 1.2万 job fairs reads "≥ 1.2万余场" on the targets page,
    the sources page's target list, the targets slide, the PPTX and the PDF, and "不少于1.2万余场"
    in the written summary."""
    add_target(store, "daxing", IND, YEAR, 12000, comparator=">=", qualifier="at_least")
    phrase = "≥ 1.2万余场"
    table = run_page("targets", org="daxing", year=str(YEAR)).dataframe[0].value
    assert table[table["指标"] == NAME]["目标"].tolist() == [phrase]
    frames = [f.value for f in run_page("sources", org="daxing").dataframe]
    assert phrase in {cell for f in frames if "目标" in f for cell in f["目标"]}
    slides = build_slides(live_payload("daxing", YEAR, store), "zh")
    rows = [r for s in slides if s.kind == "targets" and s.table for r in s.table.rows]
    assert [r[1] for r in rows if r[0] == NAME] == [phrase]
    assert phrase in _shape_texts(Presentation(BytesIO(build_pptx(slides))))
    summary = "".join(s.text for s in summarize(live_payload("daxing", YEAR, store)))
    assert f"{NAME}不少于1.2万余场" in summary
    if shutil.which("pdftotext"):
        pdf = subprocess.run(
            ["pdftotext", "-", "-"], input=build_pdf(slides), capture_output=True, check=True
        ).stdout.decode()
        assert phrase.replace(" ", "") in "".join(pdf.split())  # a table cell may wrap
