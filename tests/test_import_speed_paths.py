"""Tests that the importer's fast paths change nothing a user sees: the column-wise reading of a
CSV of observations lists the same figures, blanks and problems (word for word, in the same order)
as the row-by-row reading; the plain-CSV splitter reads cells as csv.reader does; the vectorised
figure reader agrees with lib.core.numbers.parse_value; and the frame diff and multi-row insert write the
same rows as the row-by-row diff and executemany."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lib.core.numbers import NumberError, parse_value
from lib.ingest import fast as fast_path
from lib.ingest import importer, kinds, read, write
from lib.ingest.catalog import Catalog
from lib.ingest.guard import FileProblem
from lib.ingest.plan import Plan
from lib.ingest.validate import validate
from lib.store import db
from lib.store.models import Observation
from tests.importer_support import csv_bytes

HEAD = "单位,指标,年份,季度,数值"


@pytest.fixture(scope="module")
def catalog(seeded_read_url: str) -> Catalog:
    """The seeded store's catalogue (orgs, indicators, sources), read once."""
    with db.session_scope(seeded_read_url) as session:
        return Catalog.load(session)


@pytest.fixture
def store_url(seeded_copy: str) -> str:
    """A private seeded store for one test."""
    return seeded_copy


def reference_table(data: bytes) -> read.Grid:
    """The table as the row-by-row importer read CSVs before the fast path: csv.reader rows."""
    text, encoding = read.decode_text(data)
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(i, list(cells)) for i, cells in enumerate(reader, 1)]
    return read.Grid(rows, encoding, delimiter=delimiter)


def outcome(plan: Plan, lang: str = "zh") -> dict[str, object]:
    """Everything validation tells the user (in a language) or hands to the diff."""
    return {
        "kind": plan.kind,
        "layout": plan.layout,
        "problems": [(p.row, p.column_name(lang), p.value, p.reason(lang)) for p in plan.problems],
        "records": plan.records,
        "rows": [] if plan.frame is None else plan.frame["row"].to_list(),  # each record's file row
        "n_blank": plan.n_blank,
        "n_rows": plan.n_rows,
        "ignored": plan.ignored,
    }


ORGS = ["daxing", "大兴区总工会", " daxing", "DAXING", "shunyi", "nowhere", "", "=A1"]
INDICATORS = [
    "members_recruited",
    "发展会员",
    "wage_recovered",
    "collective_contract_rate",
    "new_union_units",
    "no_such_kpi",
    "",
    "=B2",
]
YEARS = ["2026", "2027", "2026年", "2026.0", "去年", "1999", "", "=2026", " 2027 "]
QUARTERS = ["Q1", "q2", "3", "一季度", "第4季度", "全年", "", "Q5", "春季", "=1", "Q1 "]
PERIODS = ["2026Q1", "2026年一季度", "2026", "2027年", "Q1", "", "abc", "2026Q7"]
VALUES = [
    "10",
    "10余",
    "1,200",
    "近13",
    "0.01万",
    "1.8万余",
    "1.8万余人",
    "12人",
    "12家",
    "3个",
    "5名",
    "1.2万人次",
    "7余人",
    "近8人",
    "2万余家",
    "85%以上",
    "9 人",
    "20.46万元",
    "204600元",
    "85%",
    "",
    " ",
    "—",
    "无",
    "-5",
    "abc",
    "1.8万2",
    "近12余",
    "约3多",
    "超过5",
    "逾6余",
    "大约7",
    "2余万",
    "3万亿",
    "0.000012345万",
    "１２",
    " 12",
    "12 ",
    "1,2345",
    "123456789012345678901.5",
    "98765432109876543210.123万",
    "=1+2",
    "0",
    "007",
    "9.999999999999999999万",
    "5 6",
    "x" * 41,
    "1" * 41,
]
UNITS = ["", "人", "万元", "元", "个", "名", "%", "=x", "家"]
NOTES = ["", "6月专项", " 备注 ", "=x", "n" * 301, "n" * 300]
LOCATORS = ["", "第3页", "=x", "y" * 301]
SOURCES = ["", "src_2021_record", "nosuch", "=s"]
OPTIONAL = {
    "计量单位": UNITS,
    "期间说明": NOTES,
    "原文位置": LOCATORS,
    "来源": SOURCES,
}


def csv_text(lines: list[list[str]], end: str) -> str:
    """The rows as CSV text, each ended by `end`."""
    out = io.StringIO()
    csv.writer(out, lineterminator=end).writerows(lines)
    return out.getvalue()


def distinct_keys(pools: list[list], most: int) -> st.SearchStrategy[list[tuple[int, ...]]]:
    """1 to `most` distinct keys, each one index into every pool of spellings."""
    indexes = st.tuples(*(st.integers(0, len(pool) - 1) for pool in pools))
    return st.lists(indexes, min_size=1, max_size=most, unique=True)


@st.composite
def observation_files(draw: st.DrawFn) -> bytes:
    """A long-layout CSV of observations mixing good cells with every kind of wrong one."""
    by_period = draw(st.booleans())
    columns: dict[str, list[str]] = {"单位": ORGS, "指标": INDICATORS}
    if by_period:
        columns["期间"] = PERIODS
    else:
        columns["年份"] = YEARS
        if draw(st.booleans()):
            columns["季度"] = QUARTERS
    columns["数值"] = VALUES
    for name, cells in OPTIONAL.items():
        if draw(st.booleans()):
            columns[name] = cells
    names = draw(st.permutations(list(columns)))
    extra = draw(st.sampled_from(["", "blank", "unknown"]))
    header = list(names) + (
        ["", ""] if extra == "blank" else ["备用"] if extra == "unknown" else []
    )
    lines = [header]
    for _ in range(draw(st.integers(1, 14))):
        roll = draw(st.integers(0, 19))
        if roll == 0:
            lines.append([])
        elif roll == 1:
            lines.append(["# 说明"])
        else:
            row = [draw(st.sampled_from(columns[n])) for n in names]
            if extra == "blank":
                row += [draw(st.sampled_from(["", "", "stray"])), ""]
            elif extra == "unknown":
                row.append(draw(st.sampled_from(["", "x"])))
            if roll == 2:
                row = row[: draw(st.integers(1, len(row)))]
            lines.append(row)
    text = csv_text(lines, draw(st.sampled_from(["\n", "\r\n"])))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=observation_files(), lang=st.sampled_from(["zh", "en"]))
def test_that_the_column_reading_lists_what_the_row_reading_lists(
    catalog: Catalog, data: bytes, lang: str
) -> None:
    """Test that a CSV of observations yields the same figures, blanks and problems (same words,
    same order) whether its rows are read column by column or one by one."""
    fast = validate(read.read_csv_bytes(data), None, "u.csv", catalog)
    slow = validate(reference_table(data), None, "u.csv", catalog, fast=False)
    assert outcome(fast, lang) == outcome(slow, lang)


ORG_SPELLINGS = [
    ["daxing", "大兴区总工会", " daxing", "DAXING"],
    ["shunyi", "顺义区总工会"],
    ["beijing"],
]
IND_SPELLINGS = [  # (spellings, units a clerk may write for it)
    (["members_recruited", "发展会员"], ["", "人", "名", "=人"]),
    (["wage_recovered"], ["", "万元", "元"]),
    (["collective_contract_rate"], ["", "%"]),
    (["new_union_units", "新增建会单位"], ["", "家", "个"]),
]
YEAR_SPELLINGS = [["2026", "2026年", " 2026 ", "2026.0"], ["2027"]]
QUARTER_SPELLINGS = [["", "全年"], ["Q1", "一季度", "1"], ["q2", "第2季度"], ["3"], ["Q4"]]
GOOD_VALUES = [v for v in VALUES if v not in ("-5", "abc", "1.8万2", "近12余", "=1+2", "5 6")]
GOOD_VALUES = [v for v in GOOD_VALUES if "x" not in v and len(v) <= 40]


@st.composite
def clean_files(draw: st.DrawFn) -> bytes:
    """A long-layout CSV of observations with distinct keys and (mostly) readable cells."""
    keys = draw(
        distinct_keys([ORG_SPELLINGS, IND_SPELLINGS, YEAR_SPELLINGS, QUARTER_SPELLINGS], 12)
    )
    extra = [n for n in ("期间说明", "原文位置", "来源") if draw(st.booleans())]
    header = ["单位", "指标", "年份", "季度", "数值", "计量单位", *extra]
    lines = [header]
    for o, i, y, q in keys:
        names, units = IND_SPELLINGS[i]
        row = [
            draw(st.sampled_from(ORG_SPELLINGS[o])),
            draw(st.sampled_from(names)),
            draw(st.sampled_from(YEAR_SPELLINGS[y])),
            draw(st.sampled_from(QUARTER_SPELLINGS[q])),
            draw(st.sampled_from(GOOD_VALUES)),
            draw(st.sampled_from(units)),
        ]
        row += [draw(st.sampled_from(OPTIONAL[n][:3])) for n in extra]
        lines.append(row)
    return csv_text(lines, "\r\n").encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=clean_files())
def test_that_readable_files_give_the_same_figures_either_way(
    catalog: Catalog, data: bytes
) -> None:
    """Test that a file of readable figures (usual and unusual spellings, units, notes, locators,
    sources) yields the same records and blanks column-wise as row by row."""
    fast = validate(read.read_csv_bytes(data), None, "u.csv", catalog)
    slow = validate(reference_table(data), None, "u.csv", catalog, fast=False)
    assert outcome(fast) == outcome(slow)


ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CSVS = sorted((ROOT / "tests" / "data" / "bad").glob("*.csv")) + sorted(
    (ROOT / "data" / "examples").glob("*.csv")
)


@pytest.mark.parametrize("path", SHIPPED_CSVS, ids=[p.name for p in SHIPPED_CSVS])
def test_that_shipped_files_read_the_same_either_way(catalog: Catalog, path: Path) -> None:
    """Test that every bad file of tests/data/bad and every example CSV gets the same problems
    (every word), figures and blanks from the fast reading as from the row-by-row reading."""
    data = path.read_bytes()
    try:
        table = read.read_csv_bytes(data)
    except FileProblem:
        return  # refused before any reading: no fast path involved
    for kind in (None, "observations"):
        fast = validate(table, kind, path.name, catalog)
        slow = validate(reference_table(data), kind, path.name, catalog, fast=False)
        assert outcome(fast) == outcome(slow)


PERIOD_HEADERS = ["2026Q1", "2026年二季度", "Q3", "第四季度", "2027", "2026年", "2026-Q2"]
BAD_PERIOD_HEADERS = ["2026Q5", "1999Q1"]


@st.composite
def wide_files(draw: st.DrawFn, clean: bool) -> bytes:
    """A wide-layout CSV (one column per quarter or year); clean: distinct keys, readable cells."""
    periods = draw(
        st.lists(
            st.sampled_from(PERIOD_HEADERS + ([] if clean else BAD_PERIOD_HEADERS)),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    with_year = draw(st.booleans()) or any(not h[:4].isdigit() for h in periods)
    extra = [n for n in ("计量单位", "期间说明", "原文位置", "来源") if draw(st.booleans())]
    header = ["单位", "指标", *(["年份"] if with_year else []), *periods, *extra]
    keys = draw(distinct_keys([ORG_SPELLINGS, IND_SPELLINGS, YEAR_SPELLINGS], 8))
    values = GOOD_VALUES if clean else VALUES
    lines = [header]
    for o, i, y in keys:
        names, units = IND_SPELLINGS[i]
        row = [draw(st.sampled_from(ORG_SPELLINGS[o])), draw(st.sampled_from(names))]
        if with_year:
            row.append(draw(st.sampled_from(YEAR_SPELLINGS[y] if clean else YEARS)))
        row += [draw(st.sampled_from(values)) for _ in periods]
        for name in extra:
            pool = units if name == "计量单位" else OPTIONAL[name]
            row.append(draw(st.sampled_from(pool[:3] if clean else pool)))
        lines.append(row)
    return csv_text(lines, "\r\n").encode(draw(st.sampled_from(["utf-8", "gb18030"])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(wide_files(clean=True), wide_files(clean=False)))
def test_that_wide_files_give_the_same_figures_and_problems_either_way(
    catalog: Catalog, data: bytes
) -> None:
    """Test that a wide-layout file (a column per quarter or year) yields the same figures,
    blanks and problems column-wise as row by row, in the same order."""
    fast = validate(read.read_csv_bytes(data), None, "w.csv", catalog)
    slow = validate(reference_table(data), None, "w.csv", catalog, fast=False)
    assert outcome(fast) == outcome(slow)


def test_that_a_clean_file_is_read_without_the_row_reader(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the usual spellings (10, 10余, "1,200", 近13, 0.01万) are all read column-wise."""

    def refuse(*_args: object) -> Iterator[None]:
        raise AssertionError("row-by-row reading used")

    monkeypatch.setitem(kinds.SPECS, "observations", replace(kinds.OBSERVATIONS, read_row=refuse))
    monkeypatch.setattr(fast_path, "observation_records", refuse)
    text = f"{HEAD},计量单位\ndaxing,members_recruited,2026,Q1,10,人\n"
    text += 'daxing,members_recruited,2026,Q2,10余,\ndaxing,members_recruited,2026,Q3,"1,200",\n'
    text += "daxing,发展会员,2026年,三季度,,\ndaxing,members_recruited,2026,4,近13,\n"
    text += "shunyi,wage_recovered,2026,,0.01万,万元\n"
    plan = validate(read.read_csv_bytes(csv_bytes(text)), None, "u.csv", catalog)
    assert plan.problems == [] and plan.n_blank == 1
    assert [(r["value"], r["qualifier"]) for r in plan.records] == [
        (10.0, "exact"),
        (10.0, "at_least"),
        (1200.0, "exact"),
        (13.0, "about"),
        (100.0, "exact"),
    ]


CSVISH = st.text(alphabet=list(',\n\r"#\t a单1'), max_size=120)


@settings(max_examples=500, deadline=None)
@given(text=CSVISH, delimiter=st.sampled_from([",", "\t"]))
def test_that_plain_csv_text_is_split_as_csv_reader_splits_it(text: str, delimiter: str) -> None:
    """Test that the fast CSV splitter, whenever it takes a file, yields csv.reader's cells (a
    missing cell past a short row's end reads as blank, as it does in the row-by-row reading)."""
    frame = read._simple_csv_frame(text.encode("utf-8"), delimiter)
    if frame is None:
        return
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert frame.height == len(rows)
    for got, want in zip(frame.rows(), rows, strict=True):
        assert len(want) <= len(got)
        assert [c or "" for c in got] == want + [""] * (len(got) - len(want))


def test_that_a_quoted_figure_with_a_comma_takes_the_fast_splitter() -> None:
    """Test that the usual Excel CSV (CRLF, "1,200" quoted) is read by the fast splitter."""
    data = csv_bytes(f'{HEAD}\ndaxing,members_recruited,2026,Q1,"1,200"\n')
    table = read.read_csv_bytes(data)
    assert table.frame is not None
    assert table.rows[1] == (2, ["daxing", "members_recruited", "2026", "Q1", "1,200"])


FIGURE = st.builds(
    lambda pre, num, q1, mult, q2: f"{pre}{num}{q1}{mult}{q2}",
    st.sampled_from(["", "", "近", "约", "大约", "超过", "逾", "~"]),
    st.one_of(
        st.from_regex(r"[0-9]{1,25}(\.[0-9]{1,20})?", fullmatch=True),
        st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){1,4}(\.[0-9]{1,6})?", fullmatch=True),
        st.floats(min_value=0, max_value=1e12, allow_nan=False).map(repr),
    ),
    st.sampled_from(["", "", "余", "多"]),
    st.sampled_from(["", "", "万", "亿", "万亿"]),
    st.sampled_from(["", "", "余", "多", "人"]),
)


@settings(max_examples=1500, deadline=None)
@given(cell=FIGURE)
def test_that_vectorised_figures_equal_parse_value(cell: str) -> None:
    """Test that every figure the vectorised reader takes has parse_value's value (to the last
    bit) and qualifier, and that it takes none that parse_value refuses or gives a unit."""
    got = fast_path.parse_figures(pl.Series("v", [cell])).row(0, named=True)
    try:
        want = parse_value(cell)
    except NumberError:
        assert not got["ok"]
        return
    if not got["ok"]:
        return
    assert want is not None and want.unit is None
    assert (got["value"], got["qualifier"]) == (want.value, want.qualifier)


def test_that_python_whitespace_is_what_the_fast_path_strips() -> None:
    """Test that the fast path's whitespace is exactly what str.strip() and is_blank() see."""
    import sys

    chars = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF]
    assert read.WHITESPACE == "".join(c for c in chars if c.isspace())
    filled = pl.select(fast_path.filled(pl.lit(pl.Series(chars)))).to_series().to_list()
    assert filled == [not c.isspace() for c in chars]


def observations(url: str) -> list[tuple]:
    """Every observation row but its creation time, in id order."""
    table = Observation.__table__
    cols = [c for c in table.c if c.name != "created_at"]
    with db.get_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(select(*cols).order_by(table.c.id))]


def changed_file() -> bytes:
    """A file with new, changed and unchanged figures against the seeded store."""
    first = f"{HEAD},期间说明\n" + "".join(
        f"daxing,members_recruited,{y},Q{q},{y * 10 + q}余,\n" for y in (2026, 2027) for q in (1, 2)
    )
    first += "daxing,job_fairs,2026,,12,6月专项\n"
    return csv_bytes(first)


def test_that_the_driver_cursor_writes_the_rows_core_executemany_writes(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    store_url: str,
) -> None:
    """Test that the multi-row INSERTs through SQLite's cursor store the very rows (ids, values,
    qualifiers, replaces_id, is_current, locators) that Core executemany stores, for new, changed
    and unchanged figures."""
    other = request.getfixturevalue("seeded_store")
    from tests.conftest import copied_store

    second = csv_bytes(
        f"{HEAD}\ndaxing,members_recruited,2026,Q1,20261余\ndaxing,members_recruited,2026,Q2,9\n"
        "daxing,members_recruited,2024,Q1,1.5万\n"
    )
    with copied_store(other, tmp_path_factory.mktemp("core")) as core_url:
        for data in (changed_file(), second):
            plan = importer.prepare(data, "a.csv", url=store_url)
            importer.commit(plan, "editor1", confirm=True, url=store_url)
            with monkeypatch.context() as patched:
                patched.setattr(write, "_driver_ready", lambda *_a: False)
                plan = importer.prepare(data, "a.csv", url=core_url)
                importer.commit(plan, "editor1", confirm=True, url=core_url)
        assert observations(store_url) == observations(core_url)
        db.get_engine(core_url).dispose()
    again = second.replace(b"\r\n", b"\n")  # the same figures in a file not seen before
    statuses = sorted(c.status for c in importer.prepare(again, "b.csv", url=store_url).changes)
    assert statuses == ["unchanged"] * 3


def test_that_the_preview_counts_are_those_of_its_changes(store_url: str) -> None:
    """Test that a preview's counts of new, changed and unchanged figures are those of the
    figures it lists."""
    importer.commit(importer.prepare(changed_file(), "a.csv"), "editor1")
    data = csv_bytes(f"{HEAD}\ndaxing,members_recruited,2026,Q1,7\ndaxing,job_fairs,2026,Q3,1")
    plan = importer.prepare(data, "b.csv")
    assert (plan.n_new, plan.n_changed, plan.n_unchanged) == (1, 1, 0)
    assert [(c.row, c.status) for c in plan.changes] == [(2, "changed"), (3, "new")]


def test_that_the_driver_cursor_insert_binds_values_as_sqlalchemy_does(store_url: str) -> None:
    """Test that rows written through the driver cursor read back with SQLAlchemy types (flags as
    booleans, the creation time as a datetime)."""
    if not db.is_sqlite(store_url):
        pytest.skip("the driver cursor is the SQLite path")
    result = importer.commit(importer.prepare(changed_file(), "a.csv"), "editor1")
    path = store_url.split("///", 1)[1]
    with sqlite3.connect(path) as con:
        raw = con.execute(
            "SELECT is_current, is_synthetic, typeof(value), created_at FROM observation "
            "WHERE batch_id = ? LIMIT 1",
            (result.batch_id,),
        ).fetchone()
    with db.session_scope(store_url) as session:
        row = session.scalars(
            select(Observation).where(Observation.batch_id == result.batch_id).limit(1)
        ).one()
        assert row.is_current is True and row.is_synthetic is False
        assert row.created_at.year >= 2024
    assert raw[:3] == (1, 0, "real") and len(raw[3]) == 26


def test_that_a_large_import_leaves_the_connection_cache_as_it_was(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the bigger page cache a large SQLite import writes with is given back after."""
    if not db.is_sqlite(store_url):
        pytest.skip("a SQLite connection setting")
    monkeypatch.setattr(write, "BATCH_ROWS", 2)  # "large": more rows than one chunk
    importer.commit(importer.prepare(changed_file(), "a.csv"), "editor1")
    with db.get_engine(store_url).connect() as conn:
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    assert cache == -2000
