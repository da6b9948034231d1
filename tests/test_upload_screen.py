"""AppTest of issue 17's upload-page points: every problem readable in full, the picker cleared after
a commit, new stations previewed with every field, files from data/examples/ marked 示例 on the
upload page, the dashboards and the batch table; the uploader's own words and 人次 in English."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lib.store import queries
from tests.conftest import run_page
from tests.importer_support import csv_bytes
from tests.test_upload_page import GOOD, HEAD, page, store, store_url, table, texts, upload

__all__ = ["store", "store_url"]  # fixtures used by the tests below

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"


@pytest.fixture
def readable(store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The editor's store, with dashboards readable without signing in."""
    monkeypatch.setenv("KPI_ANONYMOUS_READ", "1")
    return store


def plain(at) -> str:  # noqa: ANN001
    """The page's texts without the markdown escapes that keep file text literal."""
    return texts(at).replace("\\", "")


def test_that_a_suggestion_is_shown_in_full_below_the_problem_table(store: str) -> None:
    """Test that an unknown indicator's whole "是否指：…" suggestion is readable without widening."""
    at = upload(page("editor1"), csv_bytes(f"{HEAD}\ndaxing,新建会单位数,2026,Q1,5"))
    reason = table(at, "原因")["原因"].tolist()[0]
    assert "是否指：" in reason
    assert f"第 2 行，列“指标”：{reason}" in plain(at)


def test_that_a_commit_clears_the_picker_and_shows_only_the_success(store: str) -> None:
    """Test that after a commit the file is gone from the picker: success, no "already imported"."""
    at = upload(page("editor1"), GOOD)
    at.button(key="upload_commit").click().run()
    shown = texts(at)
    assert "已导入：批次" in shown
    assert "已在批次" not in shown
    assert at.file_uploader[0].value is None
    assert not [b for b in at.button if b.key == "upload_commit"]


def test_that_a_new_station_preview_lists_every_field(store: str) -> None:
    """Test that a new station's preview names its type, town, address and place, not only lat/lon."""
    data = (EXAMPLES / "example_stations.csv").read_bytes()
    at = upload(page("editor1"), data, "example_stations.csv")
    new = table(at, "新值")["新值"].tolist()
    home = next(v for v in new if "兴华大街" in v)
    for field in ("类型：", "镇街：黄村镇", "地址：黄村镇兴华大街（示例地址）", "纬度：39.7268"):
        assert field in home
    assert "建成年份：2025" in home


def test_that_an_example_file_is_marked_on_the_upload_page(store: str) -> None:
    """Test that a file from data/examples/ gets a 示例 warning before it is imported."""
    data = (EXAMPLES / "example_2025Q1_observations_gbk.csv").read_bytes()
    at = upload(page("editor1"), data, "renamed.csv")
    assert any("data/examples/ 中的示例文件" in w.value for w in at.warning)


def test_that_a_real_file_gets_no_example_mark(store: str) -> None:
    """Test that an ordinary file is not marked 示例."""
    at = upload(page("editor1"), GOOD)
    assert not any("示例" in w.value for w in at.warning)


def commit_example(name: str) -> int:
    """Upload and commit one of the shipped example files as an editor; its batch id."""
    at = upload(page("editor1"), (EXAMPLES / name).read_bytes(), name)
    at.button(key="upload_commit").click().run()
    return int(queries.batches()["batch_id"][0])


def test_that_an_imported_example_is_marked_on_the_overview(readable: str) -> None:
    """Test that the overview warns its figures include the example batch, naming it."""
    batch = commit_example("example_2025Q1_observations_gbk.csv")
    at = run_page("overview", org="daxing", year="2025")
    notices = [w.value for w in at.warning if "示例数据" in w.value]
    assert notices and f"批次 {batch} " in notices[0]


def test_that_an_imported_example_is_marked_in_the_batch_table(readable: str) -> None:
    """Test that the sources page's batch table marks the example file's name 【示例】."""
    commit_example("example_2025Q1_observations_gbk.csv")
    at = run_page("sources", org="daxing", year="2025")
    batches = next(d.value for d in at.dataframe if "导入人" in d.value.columns)
    assert "【示例】 example_2025Q1_observations_gbk.csv" in batches["文件"].tolist()
    assert "data/seed/*.csv" in batches["文件"].tolist()


def test_that_an_imported_examples_figures_are_marked_in_the_sources_table(readable: str) -> None:
    """Test that the sources page marks each figure from the example file 【示例】 in its file cell."""
    commit_example("example_2025Q1_observations_gbk.csv")
    at = run_page("sources", org="daxing", year="2025")
    files = at.dataframe[0].value["文件"].tolist()
    assert "【示例】 example_2025Q1_observations_gbk.csv" in files
    assert "example_2025Q1_observations_gbk.csv" not in files


def test_that_the_overview_has_no_example_mark_without_an_example(readable: str) -> None:
    """Test that a store holding only real uploads shows no 示例 warning on the overview."""
    upload(page("editor1"), GOOD).button(key="upload_commit").click().run()
    at = run_page("overview", org="daxing", year="2025")
    assert not any("示例数据" in w.value for w in at.warning)


def test_that_the_uploader_words_are_chinese_in_the_chinese_ui(store: str) -> None:
    """Test that the zh page replaces the uploader's "Upload" and size limit with Chinese words."""
    at = page("editor1")
    style = next(m.value for m in at.html if "stFileUploaderDropzone" in m.value)
    assert 'content: "选择文件"' in style
    assert 'content: "每个文件不超过 20MB · CSV、XLSX、XLS、XLSM、XLSB、ODS"' in style
    assert "拖到下面的框里" in at.file_uploader[0].help


def test_that_person_times_reads_as_attendances_in_english(readable: str) -> None:
    """Test that a 人次 figure in the English YoY table has an English unit, not "person-times"."""
    at = run_page("yoy", orgs="daxing", cat="culture", ind="culture_participants", lang="en")
    cells = " ".join(str(v) for v in at.dataframe[0].value.to_numpy().ravel())
    assert "attendances" in cells
    assert "person-time" not in cells


def example_first_line(path: Path) -> str:
    """The first line a reader sees in an example file (a CSV's first line, a sheet's first cell)."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        return str(next(sheet.iter_rows(max_row=1, values_only=True))[0])
    raw = path.read_bytes()
    text = raw.decode("gbk") if path.name.endswith("_gbk.csv") else raw.decode("utf-8-sig")
    return text.splitlines()[0]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("example_*")))
def test_that_each_example_file_says_it_is_an_example(name: str) -> None:
    """Test that every file in data/examples/ opens with a line saying it is 示例 made-up data."""
    line = example_first_line(EXAMPLES / name)
    assert line.startswith("# 示例文件（虚构的演示数据，非真实统计）")
