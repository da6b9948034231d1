"""Tests of the dashboards' org picker on a national store (lib.ui.widgets.org_picker): above 50
orgs it goes one level at a time (province → city → district), each box listing one level's orgs
only, bound to ?org= as the flat picker of a few orgs is; on a small generated national store (the
seed plus 120 synthetic orgs) in a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.generate import generate
from tests.conftest import run_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated national store: the seed's 6 orgs plus 60 synthetic ones, 50 stations."""
    url = f"sqlite:///{tmp_path_factory.mktemp('org_levels') / 'kpi.db'}"
    generate(url, 60, 50, rng_seed=1)
    return url


@pytest.fixture
def store(national: str, anonymous_read: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The national store, read without signing in."""
    monkeypatch.setenv("DATABASE_URL", national)
    return national


def org_boxes(at: AppTest, key: str) -> dict[str, list[str]]:
    """The option labels of each org select box of a picker, by key."""
    return {sb.key: list(sb.options) for sb in at.selectbox if sb.key.startswith(key)}


def test_the_overview_org_picker_lists_one_level_per_box(store: str) -> None:
    """Test that at 66 orgs the overview opens on 大兴区总工会 with one box of the top level's two
    orgs and one of 北京市总工会's four districts (and itself), not a box of every org."""
    at = run_page("overview")
    assert org_boxes(at, "overview_org") == {
        "overview_org_0": ["北京市总工会", "北京省级工会（合成）"],
        "overview_org_1": [
            "（本级）",
            "大兴区总工会",
            "顺义区总工会",
            "朝阳区总工会",
            "门头沟区总工会",
        ],
    }
    assert at.selectbox(key="overview_org_1").value == "daxing"


def test_the_level_picker_opens_on_the_org_the_url_names(store: str) -> None:
    """Test that /overview?org=syn_d00002 opens with its province, city and district chosen, one
    level each, and the page about that district."""
    at = run_page("overview", org="syn_d00002")
    values = [at.selectbox(key=f"overview_org_{n}").value for n in range(3)]
    assert values == ["syn_p01", "syn_c0002", "syn_d00002"]
    assert list(at.selectbox(key="overview_org_2").options)[:3] == [
        "（本级）",
        "北京第2片区第1区总工会（合成）",
        "北京第2片区第2区总工会（合成）",
    ]
    assert any("北京第2片区第1区总工会（合成）" in c.value for c in at.caption)


def test_choosing_another_top_org_drops_the_levels_below_and_sets_the_url(store: str) -> None:
    """Test that choosing 北京省级工会（合成） at the top leaves the level below at （本级）, shows
    that province's figures and puts ?org=syn_p01 in the URL."""
    at = run_page("overview")
    at.selectbox(key="overview_org_0").select("syn_p01").run()
    assert not at.exception
    assert at.selectbox(key="overview_org_1").value == ""
    assert at.query_params["org"] == "syn_p01"
    assert any("北京省级工会（合成）" in c.value for c in at.caption)


def test_a_store_of_a_few_orgs_keeps_one_box_of_every_org(
    seeded_copy: str, anonymous_read: None
) -> None:
    """Test that the seed's 6 orgs are offered in one overview box, as before."""
    at = run_page("overview")
    assert org_boxes(at, "overview_org") == {
        "overview_org": [
            "北京市总工会",
            "大兴区总工会",
            "顺义区总工会",
            "朝阳区总工会",
            "门头沟区总工会",
            "朝阳区建外街道总工会",
        ]
    }


def test_the_yoy_page_offers_two_level_pickers_the_second_optional(store: str) -> None:
    """Test that at 66 orgs the YoY page opens on 大兴区总工会 alone, its comparison picker
    listing （不对比） and the top level's two orgs only."""
    at = run_page("yoy")
    assert at.selectbox(key="yoy_orgs_a_1").value == "daxing"
    assert org_boxes(at, "yoy_orgs_b") == {
        "yoy_orgs_b_0": ["（不对比）", "北京市总工会", "北京省级工会（合成）"]
    }
    assert [m.key for m in at.multiselect] == ["yoy_indicators"]  # no box of every org


def test_the_yoy_level_pickers_open_on_the_two_orgs_the_url_names(store: str) -> None:
    """Test that /yoy?orgs=daxing&orgs=syn_c0002 opens with both orgs chosen and a table for
    each, headed by its name."""
    at = run_page("yoy", orgs=["daxing", "syn_c0002"])
    assert at.selectbox(key="yoy_orgs_b_1").value == "syn_c0002"
    headings = [m.value for m in at.markdown]
    assert "**大兴区总工会**" in headings
    assert "**北京第2片区市总工会（合成）**" in headings
