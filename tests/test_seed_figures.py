"""Tests that the shipped data set holds the articles' figures, with their qualifiers, periods and
sources, and nothing the articles do not report."""

from __future__ import annotations

import polars as pl
import pytest

from lib.ingest import seed
from lib.store import queries

# the source articles' files (data/seed/sources.csv)
REVIEW_2025 = "000_9d04b9ba0d89f8ca.txt"  # src_2025_review: the federation's 2025 annual review
CAMPAIGN_2025 = "001_bdc151bd8b0a0b31.txt"  # src_2025_campaign: the 2025 on-site (蹲点) campaign
JOINT_MEETING_2025 = "003_ca767c1c13b9b8a4.txt"  # src_2025_joint_meeting: 2024 report, 产改 outline
RECORD_2021 = "004_6411ec41d6354d6a.txt"  # src_2021_record: the 2021 work record

FIGURES = [
    # org, indicator, year, period_note?, value, qualifier, source file
    ("daxing", "new_union_units", 2025, False, 3396, "exact", REVIEW_2025),
    ("daxing", "members_recruited", 2025, False, 18000, "at_least", REVIEW_2025),
    ("daxing", "centenary_participants", 2025, False, 469000, "at_least", REVIEW_2025),
    ("daxing", "culture_events", 2025, False, 2039, "exact", REVIEW_2025),
    ("daxing", "culture_participants", 2025, False, 175700, "at_least", REVIEW_2025),
    ("daxing", "dual_comm_meetings", 2025, False, 1562, "exact", REVIEW_2025),
    ("daxing", "dispute_centers", 2025, False, 23, "exact", REVIEW_2025),
    ("daxing", "craftsman_academies_total", 2025, False, 6, "exact", REVIEW_2025),
    ("daxing", "care_beneficiaries", 2025, False, 60000, "at_least", REVIEW_2025),
    ("daxing", "city_model_workers", 2025, False, 35, "exact", REVIEW_2025),
    ("daxing", "new_union_units", 2025, True, 786, "exact", CAMPAIGN_2025),
    ("daxing", "members_recruited", 2025, True, 4600, "exact", CAMPAIGN_2025),
    ("daxing", "wage_recovered", 2025, True, 20.46, "exact", CAMPAIGN_2025),
    ("daxing", "exam_service_served", 2025, True, 20000, "about", CAMPAIGN_2025),
    ("daxing", "disputes_mediated", 2025, True, 37, "exact", CAMPAIGN_2025),
    ("daxing", "craftsman_academies_certified", 2024, False, 4, "exact", JOINT_MEETING_2025),
    ("daxing", "warm_stations_new", 2021, False, 74, "exact", RECORD_2021),
    ("daxing", "warm_stations_total", 2021, False, 800, "at_least", RECORD_2021),
    ("daxing", "employment_served", 2021, False, 45137, "exact", RECORD_2021),
    ("daxing", "summer_relief_funds", 2021, False, 160, "at_least", RECORD_2021),
    ("daxing", "culture_participants", 2021, False, 6836, "at_least", RECORD_2021),
    ("daxing", "legal_checkup_workers", 2021, False, 36000, "at_least", RECORD_2021),
    ("daxing", "job_fairs", 2021, False, 249, "exact", RECORD_2021),
    ("shunyi", "edu_upgrade_graduates", 2024, False, 54, "exact", JOINT_MEETING_2025),
    ("shunyi", "edu_upgrade_enrolled_total", 2024, False, 494, "exact", JOINT_MEETING_2025),
    (
        "chaoyang_jianwai",
        "allday_stations_community_total",
        2024,
        False,
        13,
        "exact",
        JOINT_MEETING_2025,
    ),
]


@pytest.fixture(scope="module")
def obs(seeded_read_url: str) -> pl.DataFrame:
    """Every current observation of a seeded store."""
    return queries.observations(url=seeded_read_url)


@pytest.mark.parametrize(("org", "code", "year", "partial", "value", "qualifier", "file"), FIGURES)
def test_article_figure_is_stored(obs, org, code, year, partial, value, qualifier, file) -> None:
    """Test that a figure from the articles is stored with its value, qualifier, year and source."""
    rows = obs.filter(
        (pl.col("org_code") == org)
        & (pl.col("indicator_code") == code)
        & (pl.col("year") == year)
        & ((pl.col("period_note") != "") == partial)
    )
    assert rows.height == 1
    row = rows.row(0, named=True)
    assert row["value"] == pytest.approx(value)
    assert row["qualifier"] == qualifier
    assert row["source_file"] == file
    assert row["locator"]


def test_daxing_has_at_least_60_figures_in_2021_2024_2025(obs) -> None:
    """Test that Daxing's figures span 2021, 2024 and 2025 and number at least 60."""
    dx = obs.filter(pl.col("org_code") == "daxing")
    assert dx.height >= 60
    assert {2021, 2024, 2025} <= set(dx["year"].to_list())


@pytest.mark.parametrize("year", [2019, 2020, 2022])
def test_no_daxing_figure_for_a_year_the_articles_do_not_report(obs, year) -> None:
    """Test that years without figures in the articles have no figure at all (not zero)."""
    assert obs.filter((pl.col("org_code") == "daxing") & (pl.col("year") == year)).height == 0


def test_no_stored_value_is_zero(obs) -> None:
    """Test that no gap was filled with zero."""
    assert obs.filter(pl.col("value") == 0).height == 0


def test_campaign_figures_carry_their_period_note(obs) -> None:
    """Test that every figure from the on-site campaign article is marked as a campaign period."""
    campaign = obs.filter(pl.col("source_file") == CAMPAIGN_2025)
    assert campaign.height >= 20
    assert (campaign["period_note"].str.contains("蹲点")).all()


def test_cumulative_counts_are_stocks(obs) -> None:
    """Test that the cumulative counts (已建成…800余家, 共建…20家) are stored as stocks."""
    for code in ("warm_stations_total", "activity_centers_total", "craftsman_academies_total"):
        kinds = obs.filter(pl.col("indicator_code") == code)["kind"].unique().to_list()
        assert kinds == ["stock"], code


def test_locators_are_short_phrases_not_sentences() -> None:
    """Test that every locator is a short phrase that quotes its figure's digits or numeral."""
    for name in ("observations", "targets", "stations"):
        for row in seed.read_csv(name):
            assert 0 < len(row["locator"]) <= 40, row


@pytest.mark.parametrize(
    ("code", "year", "value", "comparator"),
    [
        ("mental_stations_new", 2023, 2, ">="),
        ("workers_homes_100plus_new", 2023, 4, ">="),
        ("workers_homes_public_new", 2023, 2, ">="),
        ("outdoor_warm_stations_new", 2023, 50, ">="),
        ("mother_infant_rooms_new", 2023, 5, ">="),
        ("collective_contract_rate", 2023, 85, ">="),
        ("party_union_demo_units", 2025, 2, ">="),
    ],
)
def test_plan_targets_are_stored(seeded_read_url, code, year, value, comparator) -> None:
    """Test that the 2023 and 2025 plan targets are stored as targets, not actuals."""
    tg = queries.targets(url=seeded_read_url)
    row = tg.filter((pl.col("indicator_code") == code) & (pl.col("year") == year))
    assert row.height == 1
    assert row["value"][0] == value and row["comparator"][0] == comparator


def test_every_indicator_in_use_is_catalogued_with_all_attributes(seeded_read_url) -> None:
    """Test that each indicator has zh/en names, a category, unit, kind, roll-up and direction."""
    ind = queries.indicators(url=seeded_read_url)
    for col in ("name_zh", "name_en", "category", "unit_zh", "kind", "rollup", "direction"):
        assert ind.filter(pl.col(col) == "").height == 0, col
    assert set(ind["category"].unique().to_list()) == {
        "org_building",
        "rights",
        "welfare",
        "positions",
        "skills",
        "culture",
        "guidance",
        "employment",
    }


@pytest.mark.parametrize(
    ("code", "type_", "town", "precision"),
    [
        ("dx_fengqiao_pod", "fengqiao", "西红门镇", "landmark"),
        ("dx_airport_taxi_home", "workers_home", "大兴国际机场", "landmark"),
        ("dx_greenland_warm", "warm_station", "高米店街道", "landmark"),
        ("dx_capitaland_warm", "warm_station", "天宫院街道", "landmark"),
        ("dx_academy_bipt", "craftsman_academy", "清源街道", "landmark"),
        ("dx_xhm_mediation_1", "mediation", "西红门镇", "town_centroid"),
        ("mtg_xihulin_drivers_home", "union_station", "斋堂镇", "landmark"),
    ],
)
def test_named_stations_are_on_the_map(seeded_read_url, code, type_, town, precision) -> None:
    """Test that stations the articles name with a place are stored with type, town, precision."""
    st = queries.stations(url=seeded_read_url)
    row = st.filter(pl.col("code") == code).row(0, named=True)
    assert (row["type"], row["town"], row["precision"]) == (type_, town, precision)
    assert 39.4 < row["lat"] < 40.2 and 115.6 < row["lon"] < 116.8


def test_counted_stations_are_not_invented_as_points(seeded_read_url) -> None:
    """Test that the 800余 warm stations the articles only count are not made up as points."""
    st = queries.stations(url=seeded_read_url)
    assert st.height == len(seed.read_csv("stations"))
    assert st.filter(pl.col("type") == "warm_station").height == 2
    assert st.filter(pl.col("type") == "craftsman_academy").height == 4
