"""Tests of the station map counted by the database (lib.store.map_queries, lib.dash.map_view) and
of its hierarchical org filter (lib.ui.map_filter), on the seeded store and on a small generated
national store (bench.generate: 30 orgs in a province → city → district tree, 4,000 stations)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from bench.generate import generate
from lib.dash import grid
from lib.ingest import importer
from lib.store import db, map_queries, queries
from lib.store.map_queries import StationFilter
from lib.ui import warm

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_STATIONS = 4000
SEED_STATIONS = 14


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated national store: the seed plus 30 synthetic orgs and 4,000 stations."""
    url = f"sqlite:///{tmp_path_factory.mktemp('national') / 'kpi.db'}"
    generate(url, 30, NATIONAL_STATIONS, rng_seed=1)
    return url


def use_store(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Point the app at a store, readable without signing in, offline basemap."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    monkeypatch.setenv("KPI_BASEMAP", "none")


def run_map(**params: str) -> AppTest:
    """Run the map page once with the given URL parameters."""
    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def org_boxes(at: AppTest) -> dict[str, list[str]]:
    """The options of each org select box shown, by key."""
    return {sb.key: list(sb.options) for sb in at.selectbox if sb.key.startswith("map_org")}


def captions(at: AppTest) -> str:
    """Every caption of the page, one per line."""
    return "\n".join(c.value for c in at.caption)


FILTERS = [
    (StationFilter(), 14),
    (StationFilter(types=("craftsman_academy",)), 4),
    (StationFilter(orgs=("chaoyang", "chaoyang_jianwai")), 2),
    (StationFilter(towns=("西红门镇",)), 3),
    (StationFilter(as_of=2021), 5),
    (StationFilter(as_of=2024), 11),
    (StationFilter(types=("union_station",), orgs=("mentougou",)), 1),
]


@pytest.mark.parametrize(("filt", "count"), FILTERS)
def test_database_filters_combine(seeded_read_url: str, filt: StationFilter, count: int) -> None:
    """Test that type, org, town and open-by-year filters combine in the database's counts
    (stations with no opening year stay)."""
    groups = map_queries.station_groups(filt, seeded_read_url)
    assert groups["n"].sum() == count


def test_database_counts_undated_stations(seeded_read_url: str) -> None:
    """Test that the counts tell the two seed stations with no opening year apart."""
    groups = map_queries.station_groups(StationFilter(), seeded_read_url)
    assert groups["n"].sum() - groups["dated"].sum() == 2


def test_towns_of_an_org_subtree(seeded_read_url: str) -> None:
    """Test that the towns offered for Chaoyang are those of its street's stations."""
    assert map_queries.station_towns(("chaoyang", "chaoyang_jianwai"), seeded_read_url) == [
        "建外街道"
    ]


@pytest.mark.parametrize(
    "filt", [StationFilter(), StationFilter(types=("union_station",), as_of=2020)]
)
def test_database_grid_cells_equal_cells_counted_from_rows(
    national: str, filt: StationFilter
) -> None:
    """Test that the grid cells the database counts are the cells counted from every row."""
    rows = queries.stations(url=national)
    rows = rows.filter(pl.col("type").is_in(filt.types)) if filt.types else rows
    if filt.as_of is not None:
        rows = rows.filter(pl.col("opened_year").is_null() | (pl.col("opened_year") <= filt.as_of))
    dlat, dlon = grid.grid_size(rows)
    from_rows = grid.aggregate_stations(rows, "zh")
    cells = map_queries.station_cells(filt, dlat, dlon, national)
    from_db = grid.cells_from_groups(cells, dlat, "zh")
    key = ["lat", "lon", "n"]
    assert from_db.sort(key).equals(from_rows.sort(key))
    assert from_db["n"].sum() == rows.height > 0


def test_seed_org_filter_lists_the_top_level_only(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that the seed's map opens with one org box listing only 北京市总工会."""
    use_store(monkeypatch, seeded_copy)
    at = run_map()
    assert org_boxes(at) == {"map_org1": ["全部", "北京市总工会"]}


def test_seed_org_filter_lists_the_districts_holding_stations(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that choosing 北京市总工会 opens a second box with its districts that hold stations
    (顺义 has none), and the map keeps all 14."""
    use_store(monkeypatch, seeded_copy)
    at = run_map()
    at.selectbox(key="map_org1").set_value("beijing").run()
    assert org_boxes(at)["map_org2"] == ["全部", "大兴区总工会", "朝阳区总工会", "门头沟区总工会"]
    assert "共 14 处" in captions(at)


def test_seed_org_filter_reaches_a_street_from_the_url(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that ?org1=beijing&org2=chaoyang&org3=chaoyang_jianwai shows the street's 2 stations
    with a third box listing only the street."""
    use_store(monkeypatch, seeded_copy)
    at = run_map(org1="beijing", org2="chaoyang", org3="chaoyang_jianwai")
    assert org_boxes(at)["map_org3"] == ["全部", "朝阳区建外街道总工会"]
    assert at.selectbox(key="map_org3").value == "chaoyang_jianwai"
    assert "共 2 处" in captions(at)


def test_changing_a_level_clears_the_levels_below(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that clearing the top box drops the district box and its URL parameter."""
    use_store(monkeypatch, seeded_copy)
    at = run_map(org1="beijing", org2="daxing")
    assert "共 11 处" in captions(at)
    at.selectbox(key="map_org1").set_value("").run()
    assert list(org_boxes(at)) == ["map_org1"]
    assert "org2" not in at.query_params
    assert "共 14 处" in captions(at)


def test_national_org_filter_lists_provinces_then_cities_then_districts(
    national: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that on a national store each box lists one level: the top orgs, the province's
    three cities, then the first city's nine districts."""
    use_store(monkeypatch, national)
    at = run_map()
    assert org_boxes(at) == {"map_org1": ["全部", "北京市总工会", "北京省级工会（合成）"]}
    at.selectbox(key="map_org1").set_value("syn_p01").run()
    assert org_boxes(at)["map_org2"] == [
        "全部",
        "北京市总工会（合成）",
        "北京第2片区市总工会（合成）",
        "北京第3片区市总工会（合成）",
    ]
    at.selectbox(key="map_org2").set_value("syn_c0001").run()
    districts = ["全部", *(f"北京第{i}区总工会（合成）" for i in range(1, 10))]
    assert org_boxes(at)["map_org3"] == districts


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine runs while the test runs, with its parameters."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        """Keep the statement's text and parameters."""
        seen.append(f"{statement} {parameters}")

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def move_a_station(url: str) -> None:
    """Move the seed's 绿地暖心驿站 a little through the importer, as an upload of stations does."""
    head = "编号,名称,类型,单位,纬度,经度"
    seeded = queries.stations(url=url)
    row = seeded.filter(seeded["code"] == "dx_greenland_warm").row(0, named=True)
    text = f"{head}\r\ndx_greenland_warm,{row['name_zh']},warm_station,daxing,39.771,116.331\r\n"
    plan = importer.prepare(text.encode(), "moved.csv", url=url)
    importer.commit(plan, "editor1", confirm=True, url=url)


def test_first_map_after_a_station_change_counts_in_the_database(
    national: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    """Test that the map's first run after an upload that moved a station counts stations with
    GROUP BY queries and never reads the stations' rows, yet shows all of them as grid cells."""
    use_store(monkeypatch, national)
    run_map()  # caches of the current version, then an upload elsewhere moves a station
    move_a_station(national)
    statements.clear()
    at = run_map()
    on_stations = [s for s in statements if "FROM station" in s]
    assert any("GROUP BY" in s for s in on_stations)
    assert not [s for s in on_stations if "station.address" in s or "station.name_zh" in s]
    assert f"共 {NATIONAL_STATIONS + SEED_STATIONS} 处" in captions(at)
    assert "已按网格汇总" in captions(at)


def test_first_map_after_a_new_version_without_station_changes_counts_nothing(
    national: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    """Test that when a new data version changed no station and no org (an upload of figures, a
    meeting snapshot), the map's first run under it counts no station again: it asks the station
    table for its fingerprint only."""
    use_store(monkeypatch, national)
    run_map()
    with db.session_scope(national) as session:
        db.bump_data_version(session)
    statements.clear()
    at = run_map()
    on_stations = [s for s in statements if "FROM station" in s]
    assert len(on_stations) == 1 and "GROUP BY" not in on_stations[0]
    assert f"共 {NATIONAL_STATIONS + SEED_STATIONS} 处" in captions(at)


def test_a_page_run_reads_the_data_version_once(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    """Test that one run of the map page asks the store for its data version once, though every
    cache on the page is keyed on it."""
    use_store(monkeypatch, seeded_copy)
    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=120)
    at.run()
    statements.clear()
    at.run()
    assert len([s for s in statements if "app_setting" in s and "data_version" in s]) == 1


def test_after_the_watcher_warms_a_new_version_the_first_map_reads_no_station(
    national: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    """Test that once the server's watcher has seen an upload's new data version, the first map
    visit after it draws every station without asking the station table anything."""
    use_store(monkeypatch, national)
    with db.session_scope(national) as session:
        db.bump_data_version(session)
    warm.watch(national, poll=0, rounds=1)
    statements.clear()
    at = run_map()
    assert not [s for s in statements if "FROM station" in s]
    assert f"共 {NATIONAL_STATIONS + SEED_STATIONS} 处" in captions(at)


def test_after_the_watcher_warms_a_new_version_the_first_overview_reads_no_figure(
    national: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    """Test that once the watcher has seen a new data version, the first overview visit shows
    大兴区总工会's cards without reading observations or targets."""
    use_store(monkeypatch, national)
    with db.session_scope(national) as session:
        db.bump_data_version(session)
    warm.watch(national, poll=0, rounds=1)
    statements.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert not [s for s in statements if "FROM observation" in s or "FROM target" in s]
    assert at.selectbox(key="overview_org").value == "daxing"
    assert len(at.metric) > 10


def test_the_map_in_english_after_chinese_counts_no_station_again(
    national: str, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    """Test that the same filtered map in English, right after it was drawn in Chinese, asks the
    station table nothing (the database's counts are shared by both languages)."""
    use_store(monkeypatch, national)
    zh = run_map(type="book_house", year="2024")
    statements.clear()
    en = run_map(type="book_house", year="2024", lang="en")
    assert not [s for s in statements if "FROM station" in s]
    total = re.search(r"共 ([\d,]+) 处", captions(zh))
    assert total and total.group(1) in captions(en)
