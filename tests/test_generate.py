"""The synthetic national-scale generator (bench.generate) at small sizes: right counts, a real
hierarchy, everything marked synthetic and citing a synthetic source, coordinates inside China."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bench import generate as gen
from lib.ingest import seed
from lib.store import db
from lib.store.models import Indicator, Observation, Org, Source, Station, Target
from tests.conftest import _fresh_url

pytestmark = pytest.mark.skipif(
    not (seed.SEED_DIR / "indicators.csv").exists(), reason="data/seed/indicators.csv not there yet"
)

SIZES = [(1, 5), (12, 40), (30, 200)]


def _count(session, model, *where) -> int:  # noqa: ANN001
    """How many rows of a model match the conditions."""
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}orgs" for n, _ in SIZES])
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int, int]]:
    """A store holding only a generated data set (no seed), built once per size, with its sizes."""
    n_orgs, n_stations = request.param
    for url in _fresh_url(tmp_path_factory.mktemp("generated")):
        gen.generate(url, n_orgs, n_stations, rng_seed=7, with_seed=False)
        yield url, n_orgs, n_stations


def test_counts_match_the_request(generated: tuple[str, int, int]) -> None:
    """Test that N orgs, M stations and every indicator quarterly 2021–2025 plus targets exist."""
    url, n_orgs, n_stations = generated
    with db.session_scope(url) as s:
        n_ind = _count(s, Indicator)
        assert n_ind == len(seed.read_csv("indicators"))
        assert _count(s, Org) == n_orgs
        assert _count(s, Station) == n_stations
        assert _count(s, Observation) == n_orgs * n_ind * 5 * 4
        assert _count(s, Target) == n_orgs * n_ind * len(gen.TARGET_YEARS)


def test_every_generated_row_is_marked_synthetic(generated: tuple[str, int, int]) -> None:
    """Test that orgs, observations, targets and stations are all marked synthetic."""
    url, _, _ = generated
    with db.session_scope(url) as s:
        for model in (Org, Observation, Target, Station):
            assert _count(s, model, model.is_synthetic.is_(False)) == 0, model.__name__


def test_every_figure_cites_the_synthetic_source(generated: tuple[str, int, int]) -> None:
    """Test that figures, targets and stations cite one source of kind 'synthetic'."""
    url, _, _ = generated
    with db.session_scope(url) as s:
        kinds = set(s.scalars(select(Source.kind)))
        assert kinds == {"synthetic"}
        for model in (Observation, Target, Station):
            cited = set(s.scalars(select(Source.kind).join(model, model.source_id == Source.id)))
            assert cited == {"synthetic"}, model.__name__


def test_stations_lie_inside_china(generated: tuple[str, int, int]) -> None:
    """Test that every station's coordinates fall inside the box the store accepts as China."""
    url, _, _ = generated
    with db.session_scope(url) as s:
        lat_min, lat_max, lon_min, lon_max = s.execute(
            select(
                func.min(Station.lat),
                func.max(Station.lat),
                func.min(Station.lon),
                func.max(Station.lon),
            )
        ).one()
    assert 18.0 <= lat_min <= lat_max <= 53.6
    assert 73.5 <= lon_min <= lon_max <= 135.1


def test_orgs_form_a_province_city_district_hierarchy(generated: tuple[str, int, int]) -> None:
    """Test that every district hangs under a city and every city under a province (when any)."""
    url, n_orgs, _ = generated
    with db.session_scope(url) as s:
        rows = s.execute(select(Org.id, Org.level, Org.parent_id)).all()
    level_of = {i: level for i, level, _ in rows}
    above = {"district": "city", "city": "province"}
    for _, level, parent in rows:
        if parent is not None:
            assert level_of[parent] == above[level]
    provinces, cities, districts = gen.level_counts(n_orgs)
    levels = [level for _, level, _ in rows]
    assert (levels.count("province"), levels.count("city"), levels.count("district")) == (
        provinces,
        cities,
        districts,
    )


def test_generation_bumps_the_data_version(generated: tuple[str, int, int]) -> None:
    """Test that a generated store has a data version, so app caches see the new rows."""
    url, _, _ = generated
    with db.session_scope(url) as s:
        assert db.data_version(s) >= 1


def test_a_second_generation_into_the_same_store_is_refused(db_url: str) -> None:
    """Test that generating twice into one store stops instead of duplicating orgs."""
    gen.generate(db_url, 2, 3, with_seed=False)
    with pytest.raises(SystemExit):
        gen.generate(db_url, 2, 3, with_seed=False)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, (0, 0, 1)),
        (2, (1, 1, 0)),
        (30, (1, 3, 26)),
        (300, (3, 30, 267)),
        (3000, (30, 300, 2670)),
    ],
)
def test_level_counts_add_up(n: int, expected: tuple[int, int, int]) -> None:
    """Test that the province/city/district split adds up to the requested number of orgs."""
    assert gen.level_counts(n) == expected
    assert sum(expected) == n
