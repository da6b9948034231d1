"""Named queries read their rows by column label: reordering a query's select cannot put a value
under another column's name."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from lib.store import map_queries, queries
from lib.store.map_queries import StationFilter
from lib.store.queries import NamedSelect

NAMED = [
    ("observations", queries.observations_select, queries.OBSERVATION_SCHEMA),
    ("targets", queries.targets_select, queries.TARGET_SCHEMA),
    ("stations", queries.stations_select, queries.STATION_SCHEMA),
    ("orgs", queries.orgs_select, queries.ORG_SCHEMA),
    ("indicators", queries.indicators_select, queries.INDICATOR_SCHEMA),
    ("sources", queries.sources_select, queries.SOURCE_SCHEMA),
    ("batches", queries.batches_select, queries.BATCH_SCHEMA),
]


def _reordered(stmt: NamedSelect, order: list[str]) -> NamedSelect:
    """The same select with its columns in the given label order."""
    columns = dict(zip(stmt.selected_columns.keys(), stmt.selected_columns, strict=True))
    return stmt.with_only_columns(*(columns[name] for name in order))


@pytest.mark.parametrize(("name", "build", "schema"), NAMED, ids=[n for n, _, _ in NAMED])
def test_a_reversed_select_reads_the_same_frame(
    seeded_read_url: str, name: str, build: Any, schema: dict[str, Any]
) -> None:
    """Test that a named query whose select columns are reversed returns the very same frame."""
    stmt = build()
    reversed_stmt = _reordered(stmt, list(reversed(stmt.selected_columns.keys())))
    expected = getattr(queries, name)(url=seeded_read_url)
    got = queries.frame(reversed_stmt, schema, seeded_read_url)
    assert expected.height > 0
    assert got.equals(expected)


EVERY = StationFilter()
MAP_NAMED = [
    ("station_groups", {"filt": EVERY}, map_queries.GROUP_SCHEMA),
    ("station_cells", {"filt": EVERY, "dlat": 0.01, "dlon": 0.01}, map_queries.CELL_SCHEMA),
    ("station_rows", {"filt": EVERY}, queries.STATION_SCHEMA),
    ("station_towns", {"org_codes": ()}, map_queries.TOWN_SCHEMA),
    ("station_stamp", {}, map_queries.STAMP_SCHEMA),
]


@pytest.mark.parametrize(("name", "kwargs", "schema"), MAP_NAMED, ids=[n for n, _, _ in MAP_NAMED])
def test_a_reversed_map_select_reads_the_same_rows(
    seeded_read_url: str, name: str, kwargs: dict[str, Any], schema: dict[str, Any]
) -> None:
    """Test that a map query whose select columns are reversed reads the same rows, each value
    under its own column (rows compared in one order: not every map query orders its rows)."""
    stmt = getattr(map_queries, f"{name}_select")(url=seeded_read_url, **kwargs)
    reversed_stmt = _reordered(stmt, list(reversed(stmt.selected_columns.keys())))
    expected = map_queries.frame(stmt, schema, seeded_read_url)
    got = map_queries.frame(reversed_stmt, schema, seeded_read_url)
    assert expected.height > 0
    assert got.sort(pl.all()).equals(expected.sort(pl.all()))


def test_swapped_map_counts_stay_under_their_names(seeded_read_url: str) -> None:
    """Test that the map's counts per org and type, with the station count and the southern edge
    swapped in the select, still say daxing has 4 craftsman academies, and 2 union stations in
    chaoyang_jianwai."""
    stmt = map_queries.station_groups_select(EVERY, seeded_read_url)
    order = list(stmt.selected_columns.keys())
    i, j = order.index("n"), order.index("lat0")
    order[i], order[j] = order[j], order[i]
    got = map_queries.frame(_reordered(stmt, order), map_queries.GROUP_SCHEMA, seeded_read_url)
    counts = {(r["org_code"], r["type"]): r["n"] for r in got.iter_rows(named=True)}
    assert counts[("daxing", "craftsman_academy")] == 4
    assert counts[("chaoyang_jianwai", "union_station")] == 2


def test_swapped_org_columns_keep_the_org_code_and_name_apart(seeded_read_url: str) -> None:
    """Test that swapping the org code and org name columns of the observations select still
    gives org_code 'daxing' and org_name_zh '大兴区总工会'."""
    stmt = queries.observations_select(org_codes=("daxing",))
    order = list(stmt.selected_columns.keys())
    i, j = order.index("org_code"), order.index("org_name_zh")
    order[i], order[j] = order[j], order[i]
    got = queries.frame(_reordered(stmt, order), queries.OBSERVATION_SCHEMA, seeded_read_url)
    assert set(got["org_code"].to_list()) == {"daxing"}
    assert set(got["org_name_zh"].to_list()) == {"大兴区总工会"}


def test_swapped_counts_of_sources_stay_under_their_names(seeded_read_url: str) -> None:
    """Test that the sources query with its figure and station counts swapped still says the
    2021 record supplies 35 figures, 0 targets and 3 stations."""
    stmt = queries.sources_select()
    order = list(stmt.selected_columns.keys())
    i, j = order.index("n_observations"), order.index("n_stations")
    order[i], order[j] = order[j], order[i]
    got = queries.frame(_reordered(stmt, order), queries.SOURCE_SCHEMA, seeded_read_url)
    row = got.filter(pl.col("code") == "src_2021_record").row(0, named=True)
    assert (row["n_observations"], row["n_targets"], row["n_stations"]) == (35, 0, 3)


def test_a_select_without_the_schemas_labels_is_refused(seeded_read_url: str) -> None:
    """Test that a select whose column labels are not the schema's names raises ValueError
    instead of reading its columns by position."""
    stmt = queries.orgs_select()
    unlabelled = stmt.with_only_columns(*(c for c in stmt.selected_columns if c.key != "code"))
    with pytest.raises(ValueError, match="do not match the schema"):
        queries.frame(unlabelled, queries.ORG_SCHEMA, seeded_read_url)
