"""AppTest of pages/upload.py with st.file_uploader: preview (new / changed / unchanged), the
overwrite confirmation, commit, the same file again, the problem table, undo, templates, and that a
viewer (or an editor demoted mid-session) writes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.accounts import auth
from lib.ingest import templates
from lib.store import queries
from tests.importer_support import csv_bytes, dump_store, seeded_copy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A seeded store for this test (a copy of the session's seeded template on SQLite)."""
    return seeded_copy(request, tmp_path, monkeypatch)


PAGE = str(ROOT / "pages" / "upload.py")
PW = "upload pass 123"
HEAD = "单位,指标,年份,季度,数值"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4\ndaxing,job_fairs,2026,Q2,5")


@pytest.fixture
def store(store_url: str) -> str:
    """A seeded store with an editor and a viewer account."""
    auth.create_user("editor1", "editor", PW, url=store_url)
    auth.create_user("viewer1", "viewer", PW, url=store_url)
    return store_url


def page(user: str | None, role: str = "editor") -> AppTest:
    """The upload page run once for a signed-in user (None: nobody)."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    if user:
        at.session_state["auth_user"] = {"username": user, "role": role}
    return at.run()


def upload(at: AppTest, data: bytes, name: str = "2026Q1.csv") -> AppTest:
    """Put a file into the uploader and rerun."""
    at.file_uploader[0].upload(name, data, "text/csv")  # its key changes after each commit
    return at.run()


def texts(at: AppTest) -> str:
    """Every message, caption and markdown text on the page, joined."""
    parts = [e.value for e in (*at.error, *at.warning, *at.info, *at.success)]
    parts += [m.value for m in (*at.markdown, *at.caption)]
    return "\n".join(str(p) for p in parts)


def table(at: AppTest, column: str):
    """The first table on the page with a given column (read-only tables carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def job_fairs() -> list[tuple[int | None, float]]:
    """(quarter, value) of Daxing's current 2026 job-fair figures."""
    frame = queries.observations(("daxing",), ("job_fairs",), (2026,))
    return sorted(zip(frame["quarter"].to_list(), frame["value"].to_list(), strict=True))


def test_that_a_viewer_is_refused_and_sees_no_uploader(store: str) -> None:
    """Test that a viewer gets the refusal and no file picker, and nothing is written."""
    before = dump_store(store)
    at = page("viewer1", "viewer")
    assert at.error and not at.file_uploader
    assert dump_store(store) == before


def test_that_nobody_signed_in_is_refused(store: str) -> None:
    """Test that a signed-out visitor is refused too."""
    at = page(None)
    assert at.error and not at.file_uploader


def test_that_the_page_offers_every_template(store: str) -> None:
    """Test that CSV, .xlsx and .xls templates for each kind, the 报表 form (.xlsx, .xls) and the
    catalogue can be downloaded."""
    at = page("editor1")
    keys = {b.key for b in at.get("download_button")}
    expected = {
        f"upload_tpl_{k}_{e}"
        for k in ("observations", "targets", "stations")
        for e in ("csv", "xlsx", "xls")
    }
    assert (
        expected | {"upload_tpl_catalog", "upload_tpl_report_xlsx", "upload_tpl_report_xls"} <= keys
    )


def test_that_a_good_file_is_previewed_then_committed(store: str) -> None:
    """Test that the preview counts the new figures and the import button writes them."""
    at = upload(page("editor1"), GOOD)
    assert "新增 2 项，修改 0 项，未变 0 项" in texts(at)
    assert job_fairs() == []
    at.button(key="upload_commit").click().run()
    assert "已导入：批次" in texts(at)
    assert job_fairs() == [(1, 4), (2, 5)]
    assert queries.batches()["username"][0] == "editor1"


def test_that_the_same_file_again_is_recognised(store: str) -> None:
    """Test that after a commit the same file shows as already imported, with no import button."""
    at = upload(page("editor1"), GOOD)
    at.button(key="upload_commit").click().run()
    before = dump_store(store)
    again = upload(page("editor1"), GOOD, "copy.csv")
    assert "已在批次" in texts(again)
    assert not [b for b in again.button if b.key == "upload_commit"]
    assert dump_store(store) == before


def test_that_overwriting_needs_the_confirmation_box(store: str) -> None:
    """Test that changed figures show old → new and the import waits for the confirmation."""
    upload(page("editor1"), GOOD).button(key="upload_commit").click().run()
    at = upload(
        page("editor1"),
        csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,6\ndaxing,job_fairs,2026,Q2,5"),
        "fix.csv",
    )
    assert "修改 1 项" in texts(at)
    changed = table(at, "原值")
    assert list(changed.iloc[0])[-2:] == ["4场", "6场"]
    assert at.button(key="upload_commit").disabled
    at.checkbox(key="upload_confirm").check().run()
    assert not at.button(key="upload_commit").disabled
    at.button(key="upload_commit").click().run()
    assert job_fairs() == [(1, 6), (2, 5)]


def test_that_a_bad_file_shows_every_problem_and_no_import_button(store: str) -> None:
    """Test that a refused file lists row, column, value and reason and offers no import."""
    before = dump_store(store)
    bad = csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,1.8万2\ndaxing,发展会园,2026,Q2,5")
    at = upload(page("editor1"), bad)
    assert "发现 2 个问题" in texts(at)
    problems = table(at, "原因")
    assert list(problems.columns) == ["行", "列", "值", "原因"]
    assert problems["原因"].tolist()[0].startswith("“1.8万2”不是有效数字")
    assert "是否指：发展会员" in problems["原因"].tolist()[1]
    assert not [b for b in at.button if b.key == "upload_commit"]
    assert dump_store(store) == before


def undo_on_page(at: AppTest, batch_id: int) -> AppTest:
    """Pick a batch in the undo picker, tick the confirmation naming it, click undo."""
    at.selectbox(key="upload_undo_batch").select(batch_id).run()
    at.checkbox(key=f"upload_undo_confirm_{batch_id}").check().run()
    return at.button(key="upload_undo").click().run()


def test_that_undo_on_the_page_restores_the_store(store: str) -> None:
    """Test that the undo button takes a committed batch back out."""
    at = upload(page("editor1"), GOOD)
    at.button(key="upload_commit").click().run()
    assert job_fairs() == [(1, 4), (2, 5)]
    undo_on_page(at, int(queries.batches()["batch_id"][0]))
    assert "已撤销" in texts(at)
    assert job_fairs() == []
    assert queries.batches()["status"][0] == "undone"


def test_that_an_editor_cannot_undo_another_editors_upload(store: str) -> None:
    """Test that editors see and undo only their own batches, while an admin sees every batch."""
    auth.create_user("editor2", "editor", PW, url=store)
    auth.create_user("admin1", "admin", PW, url=store)
    at = upload(page("editor1"), GOOD)
    at.button(key="upload_commit").click().run()
    other = page("editor2", "editor")
    assert "没有可撤销的导入批次" in texts(other)
    admin = page("admin1", "admin")
    before = dump_store(store)
    assert admin.selectbox(key="upload_undo_batch").options
    undo_on_page(admin, int(queries.batches()["batch_id"][0]))
    assert job_fairs() == []
    assert dump_store(store) != before


def test_that_the_undo_picker_starts_empty_and_lists_batches_newest_first(store: str) -> None:
    """Test that no batch is picked (and no undo button shown) until the person picks one, and
    the options, newest first, name time, user, file and counts."""
    at = upload(page("editor1"), GOOD, "first.csv")
    at.button(key="upload_commit").click().run()
    second = csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q3,6")
    at = upload(at, second, "second.csv")
    at.button(key="upload_commit").click().run()
    picker = at.selectbox(key="upload_undo_batch")
    assert picker.value is None
    assert not [b for b in at.button if b.key == "upload_undo"]
    ids = queries.batches()["batch_id"].to_list()[:2]
    assert [o.split(" · ")[0] for o in picker.options[:2]] == [f"批次 {i}" for i in ids]
    first_label = picker.options[0]
    assert "second.csv" in first_label and "editor1" in first_label
    assert "新增 1 项，修改 0 项" in first_label and "2026-" in first_label


def test_that_the_undo_needs_a_confirmation_naming_the_batch(store: str) -> None:
    """Test that after picking a batch the undo button stays disabled until a checkbox naming that
    batch is ticked, and the figures it would take away are listed; nothing is written before."""
    at = upload(page("editor1"), GOOD)
    at.button(key="upload_commit").click().run()
    batch = int(queries.batches()["batch_id"][0])
    before = dump_store(store)
    at.selectbox(key="upload_undo_batch").select(batch).run()
    label = at.checkbox(key=f"upload_undo_confirm_{batch}").label.replace("\\", "")
    assert f"确认撤销批次 {batch} · " in label and "2026Q1.csv" in label
    assert at.button(key="upload_undo").disabled
    preview = table(at, "撤销（移除）")
    assert preview["撤销（移除）"].tolist() == ["4场", "5场"]
    assert preview["恢复为"].tolist() == ["（无，原先没有数据）"] * 2
    assert dump_store(store) == before


def test_that_a_commit_clears_the_undo_pick(store: str) -> None:
    """Test that a batch picked for undo is not still picked after a new batch is committed (one
    click must never undo an older batch than the person thinks)."""
    at = upload(page("editor1"), GOOD)
    at.button(key="upload_commit").click().run()
    at.selectbox(key="upload_undo_batch").select(int(queries.batches()["batch_id"][0])).run()
    at = upload(at, csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q3,6"), "second.csv")
    at.button(key="upload_commit").click().run()
    assert at.selectbox(key="upload_undo_batch").value is None


def test_that_an_editor_demoted_before_the_click_writes_nothing(store: str) -> None:
    """Test that the role is checked again right before the commit."""
    at = upload(page("editor1"), GOOD)
    auth.set_role("editor1", "viewer", url=store)
    before = dump_store(store)
    at.button(key="upload_commit").click().run()
    assert at.error
    assert dump_store(store) == before


def test_that_the_page_speaks_english(store: str) -> None:
    """Test that ?lang=en shows the page and the preview in English."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["auth_user"] = {"username": "editor1", "role": "editor"}
    at.query_params["lang"] = "en"
    at.run()
    at = upload(at, GOOD)
    assert "2 new, 0 changed, 0 unchanged" in texts(at)


def test_that_column_names_from_the_file_are_shown_literally(store: str) -> None:
    """Test that a column header written as markdown (an image link) is escaped, not rendered."""
    data = csv_bytes(f"{HEAD},![x](http://example.com/a.png)\ndaxing,job_fairs,2026,Q1,4,1")
    at = upload(page("editor1"), data)
    # (an invisible word joiner keeps the address from becoming a link: lib.core.escape)
    shown = [c.value.replace("\u2060", "") for c in at.caption if "未使用" in c.value]
    assert shown and "\\!\\[x\\]\\(http\\://example\\.com/a\\.png\\)" in shown[0]


def test_that_the_page_offers_the_data_to_edit_and_upload_again(store: str) -> None:
    """Test that each kind's current data can be downloaded as CSV and Excel (下载后修改再上传)."""
    at = page("editor1")
    keys = {b.key for b in at.get("download_button")}
    expected = {
        f"upload_edit_{k}_{e}"
        for k in ("observations", "targets", "stations")
        for e in ("csv", "xlsx")
    }
    assert expected <= keys
    assert any("下载后修改再上传" in e.label for e in at.expander)


def two_sheet_workbook() -> bytes:
    """A workbook: hidden 数据 (999999), visible 填报 (Q1 100) and 第二季度 (Q2 7)."""
    from openpyxl import Workbook

    wb = Workbook()
    hidden = wb.active
    hidden.title = "数据"
    hidden.append(HEAD.split(","))
    hidden.append(["daxing", "job_fairs", 2026, "Q1", 999999])
    hidden.sheet_state = "hidden"
    for title, quarter, value in (("填报", "Q1", 100), ("第二季度", "Q2", 7)):
        ws = wb.create_sheet(title)
        ws.append(HEAD.split(","))
        ws.append(["daxing", "job_fairs", 2026, quarter, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_that_the_sheet_picker_offers_only_visible_sheets(store: str) -> None:
    """Test that a workbook's visible sheets are offered (the hidden one never), the first visible
    one read by default, and picking another previews and imports that one."""
    at = page("editor1")
    at.file_uploader(key="upload_file").upload("book.xlsx", two_sheet_workbook(), MIME_XLSX)
    at.run()
    picker = at.selectbox(key="upload_sheet")
    assert picker.options == ["填报", "第二季度"] and picker.value == "填报"
    picker.select("第二季度").run()
    at.button(key="upload_commit").click().run()
    assert job_fairs() == [(2, 7)]


def test_that_unused_columns_are_named_beside_the_problems(store: str) -> None:
    """Test that a refused file's unused columns are named on the page too."""
    data = csv_bytes(f"{HEAD},填表人\ndaxing,job_fairs,2026,Q1,很多,王五")
    at = upload(page("editor1"), data)
    assert "发现 1 个问题" in texts(at)
    assert "以下列未使用：填表人" in texts(at)


def test_that_skipped_report_rows_are_listed_on_the_page(store: str) -> None:
    """Test that a title row and a signature line are named as skipped beside the preview."""
    data = csv_bytes(
        f"大兴区总工会2026年统计表,,,,\n{HEAD}\ndaxing,job_fairs,2026,Q1,4\n填表人：张三,,,,"
    )
    at = upload(page("editor1"), data)
    shown = texts(at).replace("\\", "")
    assert "已跳过第 1 行（表头上方的标题或说明）：大兴区总工会2026年统计表" in shown
    assert "已跳过第 4 行（表尾签字或日期行）：填表人：张三" in shown
    assert "1 new" in shown or "新增 1 项" in shown


ACCEPTED = ROOT / "tests" / "data" / "accepted"


@pytest.mark.parametrize("name", ["report_2026.xlsx", "report_2026.xls", "report_2026.ods"])
def test_that_a_calc_report_form_imports_its_six_figures_on_the_page(store: str, name: str) -> None:
    """Test that the Calc-written 报表 previews six new figures, lists its skipped title, second
    header row and signature line, and imports them with nothing fixed by hand."""
    at = page("editor1")
    at.file_uploader(key="upload_file").upload(name, (ACCEPTED / name).read_bytes(), MIME_XLSX)
    at.run()
    shown = texts(at).replace("\\", "")
    assert "已跳过第 1 行（表头上方的标题或说明）：大兴区总工会2026年季度工作指标统计表" in shown
    assert "已跳过第 3 行（表头第二行，与上一行合并为列名）：一季度 二季度 三季度 四季度" in shown
    assert "已跳过第 6 行（表尾签字或日期行）：填表人：张三 审核人：李四" in shown
    assert "新增 6 项" in shown
    at.button(key="upload_commit").click().run()
    assert job_fairs() == [(1, 4), (2, 5), (3, 6)]
    warm = queries.observations(("daxing",), ("warm_stations_total",), (2026,))
    assert sorted(zip(warm["quarter"], warm["value"], strict=True)) == [
        (1, 810),
        (2, 820),
        (3, 830),
    ]


@pytest.mark.parametrize("ext", ["xlsx", "xls"])
def test_that_the_unfilled_report_form_has_nothing_to_import_on_the_page(
    store: str, ext: str
) -> None:
    """Test that the 报表 template uploaded as downloaded says it holds no figures, offers no
    import button and leaves the store as it was."""
    data = templates.template_report(ext, "zh", 2026, queries.indicators(), queries.orgs())
    before = dump_store(store)
    at = page("editor1")
    at.file_uploader(key="upload_file").upload(f"模板_季度报表_2026.{ext}", data, MIME_XLSX)
    at.run()
    assert "文件中没有填写任何数据，没有可导入的内容" in texts(at)
    assert not [b for b in at.button if b.key == "upload_commit"]
    assert dump_store(store) == before


def test_that_a_unit_note_above_the_header_is_shown_in_the_preview(store: str) -> None:
    """Test that a 单位：元 row above the header is listed as the unit note and the preview shows
    50000 元 as 5万元."""
    data = csv_bytes(f"单位：元,,,,\n{HEAD}\ndaxing,wage_recovered,2026,Q1,50000")
    at = upload(page("editor1"), data)
    shown = texts(at).replace("\\", "")
    assert "已跳过第 1 行（计量单位说明，表中数值按此单位读取）：单位：元" in shown
    assert table(at, "新值")["新值"].to_list() == ["5万元"]
