"""Tests for lib.ingest.importer on a real seeded store: formats and values as clerks write them, the
preview diff, versioned commits with batch, audit and data version, re-upload, undo, templates and
the example files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lib.ingest import importer, templates
from lib.ingest.cells import read_quarter
from lib.ingest.columns import norm_header, parse_period_header
from lib.ingest.kinds import SPECS, UPLOAD_KINDS
from lib.ingest.plan import CommitResult
from lib.ingest.preview import preview_frame
from lib.ingest.problems import BatchNotFound, ImportRefused
from lib.ingest.read import sha256_of
from lib.ingest.undo import undo
from lib.store import db, queries
from lib.store.models import AuditLog, ImportBatch, Observation, Station, Target
from tests.importer_support import csv_bytes, dump_store, seeded_copy, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A seeded store for this test (a copy of the session's seeded template on SQLite)."""
    return seeded_copy(request, tmp_path, monkeypatch)


EXAMPLES = ROOT / "data" / "examples"
HEAD = "单位,指标,年份,季度,数值"


def load(data: bytes, name: str = "upload.csv", kind: str | None = None, lang: str = "zh"):
    """Prepare a file against the store named by DATABASE_URL."""
    return importer.prepare(data, name, kind=kind, lang=lang)


def current(org: str, indicator: str, year: int, quarter: int | None) -> list[tuple[float, str]]:
    """(value, qualifier) of the current figures for a key."""
    frame = queries.observations((org,), (indicator,), (year,))
    rows = frame.filter(
        frame["quarter"].is_null() if quarter is None else frame["quarter"] == quarter
    )
    return list(zip(rows["value"].to_list(), rows["qualifier"].to_list(), strict=True))


def version(url: str) -> int:
    """The store's data version."""
    with db.session_scope(url) as session:
        return db.data_version(session)


def imported(text: str, name: str = "upload.csv", **kw: object) -> CommitResult:
    """Prepare and commit a CSV text (utf-8), asserting it has no problem."""
    plan = load(csv_bytes(text), name)
    assert plan.problems == []
    return importer.commit(plan, "editor1", **kw)  # type: ignore[arg-type]


VALUES = [
    ("3396", "members_recruited", 3396, "exact"),
    ("3,396", "members_recruited", 3396, "exact"),
    ("１２３", "members_recruited", 123, "exact"),
    ("1.8万", "members_recruited", 18000, "exact"),
    ("1.8万余", "members_recruited", 18000, "at_least"),
    ("1.8万余人", "members_recruited", 18000, "at_least"),
    ("800余", "members_recruited", 800, "at_least"),
    ("近2万", "members_recruited", 20000, "about"),
    ("20.46万元", "wage_recovered", 20.46, "exact"),
    ("204600元", "wage_recovered", 20.46, "exact"),
    ("85%", "collective_contract_rate", 85, "exact"),
    ("85%以上", "collective_contract_rate", 85, "at_least"),
]


@pytest.mark.parametrize(("cell", "indicator", "value", "qualifier"), VALUES)
def test_that_values_are_stored_as_people_write_them(
    store_url: str, cell: str, indicator: str, value: float, qualifier: str
) -> None:
    """Test that a figure typed the Chinese way is stored in the indicator's unit, qualifier kept."""
    imported(f'{HEAD}\ndaxing,{indicator},2026,Q1,"{cell}"')
    assert current("daxing", indicator, 2026, 1) == [(pytest.approx(value), qualifier)]


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("Q1", 1),
        ("q2", 2),
        ("3", 3),
        (4.0, 4),
        ("一季度", 1),
        ("第一季度", 1),
        ("第4季度", 4),
        ("二季", 2),
        ("", None),
        ("全年", None),
        (None, None),
    ],
)
def test_that_quarters_are_read_in_every_usual_spelling(text: object, quarter: int | None) -> None:
    """Test that Q1, 1, 一季度, 第一季度 … read as the quarter, blank or 全年 as the whole year."""
    assert read_quarter(text) == quarter


@pytest.mark.parametrize(
    ("header", "period"),
    [
        ("2025Q1", (2025, 1)),
        ("2025 Q2", (2025, 2)),
        ("2025-Q3", (2025, 3)),
        ("2025年一季度", (2025, 1)),
        ("2025年第四季度", (2025, 4)),
        ("Q1 2025", (2025, 1)),
        ("2025", (2025, None)),
        ("2025年", (2025, None)),
        ("一季度", (None, 1)),
        ("备注", None),
    ],
)
def test_that_wide_period_headers_are_recognised(header: str, period: tuple | None) -> None:
    """Test that quarter and year column names of the wide layout are read."""
    assert parse_period_header(header) == period


def test_that_a_blank_value_is_no_figure_and_deletes_nothing(store_url: str) -> None:
    """Test that a blank cell writes nothing and leaves an existing figure in place."""
    before = current("daxing", "culture_programmes", 2021, None)
    plan = load(csv_bytes(f"{HEAD}\ndaxing,culture_programmes,2021,,\ndaxing,job_fairs,2026,Q1,"))
    assert plan.problems == [] and plan.n_blank == 2 and plan.changes == []
    assert current("daxing", "culture_programmes", 2021, None) == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_that_csv_encodings_are_detected(store_url: str, encoding: str) -> None:
    """Test that UTF-8, UTF-8 with BOM, GBK and GB18030 files read the same."""
    text = f"{HEAD}\n大兴区总工会,发展会员,2026,一季度,1.8万余"
    plan = load(csv_bytes(text, encoding))
    assert plan.problems == []
    assert [(c.values["value"], c.values["qualifier"]) for c in plan.changes] == [
        (18000, "at_least")
    ]


def test_that_a_tab_separated_file_is_read(store_url: str) -> None:
    """Test that a tab-separated text file (as copied out of Excel) reads like a CSV."""
    plan = load(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4".replace(",", "\t")))
    assert plan.problems == [] and plan.n_new == 1


def test_that_xlsx_reads_the_first_sheet(store_url: str) -> None:
    """Test that an .xlsx with one arbitrary sheet is read from its first sheet."""
    data = xlsx_bytes([HEAD.split(","), ["daxing", "job_fairs", 2026, 1, 4]], title="我的表")
    plan = load(data, "q.xlsx")
    assert plan.problems == [] and plan.n_new == 1 and plan.sheet == "我的表"


def test_that_xlsx_prefers_the_sheet_named_like_the_template(store_url: str) -> None:
    """Test that a workbook whose data sheet is called 指标数据 is read from that sheet."""
    from io import BytesIO

    wb = load_workbook(BytesIO(xlsx_bytes([["说明", "这页是说明"]], title="说明")))
    ws = wb.create_sheet("指标数据")
    ws.append(HEAD.split(","))
    ws.append(["daxing", "job_fairs", 2026, "Q2", 5])
    buf = BytesIO()
    wb.save(buf)
    plan = load(buf.getvalue(), "q.xlsx")
    assert plan.problems == [] and plan.sheet == "指标数据" and plan.n_new == 1


def test_that_the_wide_layout_gives_one_figure_per_period_column(store_url: str) -> None:
    """Test that one row per indicator with a column per quarter becomes quarterly figures."""
    text = "单位,指标,计量单位,2026年一季度,2026年二季度,2026Q3,合计\ndaxing,发展会员,人,1.2万余,9800,,x"
    plan = load(csv_bytes(text))
    assert plan.problems == [] and plan.layout == "wide"
    got = sorted((c.values["quarter"], c.values["value"]) for c in plan.changes)
    assert got == [(1, 12000), (2, 9800)]
    assert plan.n_blank == 1 and plan.ignored == ["合计"]


def test_that_a_wide_sheet_with_a_year_column_reads_quarter_headers(store_url: str) -> None:
    """Test that 一季度 … columns take their year from a 年份 column."""
    text = "单位,指标,年份,一季度,二季度\ndaxing,job_fairs,2026,3,4\ndaxing,job_fairs,2027,5,"
    plan = load(csv_bytes(text))
    assert plan.problems == []
    got = sorted((c.values["year"], c.values["quarter"], c.values["value"]) for c in plan.changes)
    assert got == [(2026, 1, 3), (2026, 2, 4), (2027, 1, 5)]


def test_that_english_headers_and_names_are_accepted(store_url: str) -> None:
    """Test that English column names, org and indicator names are matched."""
    text = (
        "Org,Indicator,Year,Quarter,Value\n"
        "Daxing District Federation of Trade Unions,Job fairs,2026,Q1,4"
    )
    plan = load(csv_bytes(text.replace("Job fairs", _name_en("job_fairs"))))
    assert plan.problems == [] and plan.n_new == 1


def _name_en(code: str) -> str:
    """The English name of an indicator in the seed."""
    frame = queries.indicators()
    return frame.filter(frame["code"] == code)["name_en"][0]


@pytest.mark.parametrize("name", ["members_recruited", "发展会员", "新增会员", "入会人数"])
def test_that_indicators_match_by_code_name_or_alias(store_url: str, name: str) -> None:
    """Test that an indicator is found by its code, Chinese name or an alias."""
    plan = load(csv_bytes(f"{HEAD}\ndaxing,{name},2026,Q1,10"))
    assert plan.problems == []
    assert plan.labels["indicator"][plan.changes[0].values["indicator_id"]][0] == "发展会员"


@pytest.mark.parametrize("name", ["daxing", "大兴区总工会", "DAXING", " 大兴区总工会 "])
def test_that_orgs_match_by_code_or_name(store_url: str, name: str) -> None:
    """Test that an org is found by its code or name (case and spaces ignored)."""
    plan = load(csv_bytes(f'{HEAD}\n"{name}",job_fairs,2026,Q1,10'))
    assert plan.problems == []


def test_that_every_problem_is_reported_at_once(store_url: str) -> None:
    """Test that a file with several bad rows lists all of them, one per row and column."""
    text = (
        f"{HEAD}\n"
        "daxing,job_fairs,2026,Q1,4\n"
        "daxing,发展会园,2026,Q1,4\n"
        "daxing,job_fairs,1999,Q5,4\n"
        "daxing,job_fairs,2026,Q3,1.8万2\n"
    )
    plan = load(csv_bytes(text))
    got = [(p.row, p.column) for p in plan.problems]
    assert got == [(3, "指标"), (4, "年份"), (4, "季度"), (5, "数值")]
    assert plan.changes == [] and plan.records == []


def test_that_a_problem_reads_as_a_sentence_for_a_clerk(store_url: str) -> None:
    """Test that a problem reads 第 N 行，列“数值”：“1.8万2”不是有效数字."""
    rows = [f"daxing,job_fairs,2026,Q{q},1" for q in (1, 2, 3)] + [
        "daxing,job_fairs,2026,Q4,1.8万2"
    ]
    text = "\n".join([HEAD, *rows])
    plan = load(csv_bytes(text))
    assert plan.problems[0].line("zh").startswith("第 5 行，列“数值”：“1.8万2”不是有效数字")


def test_that_problems_are_in_english_when_the_ui_is(store_url: str) -> None:
    """Test that lang=en gives English reasons."""
    plan = load(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,lots"), lang="en")
    assert plan.problems[0].line("en") == 'row 2, column "数值": "lots" is not a valid number'


def test_that_the_preview_sorts_figures_into_new_changed_and_unchanged(store_url: str) -> None:
    """Test that the diff tells new, changed (old → new) and unchanged figures apart."""
    imported(f"{HEAD}\ndaxing,members_recruited,2026,Q1,1.8万余\ndaxing,job_fairs,2026,Q1,4")
    plan = load(
        csv_bytes(
            f"{HEAD}\ndaxing,members_recruited,2026,Q1,2万\n"
            "daxing,job_fairs,2026,Q1,4\ndaxing,job_fairs,2026,Q2,5"
        ),
        "second.csv",
    )
    assert (plan.n_new, plan.n_changed, plan.n_unchanged) == (1, 1, 1)
    changed = preview_frame(plan, "changed")
    assert changed.row(0) == (2, "大兴区总工会", "发展会员", "2026年第1季度", "1.8万余人", "2万人")


def test_that_overwriting_a_different_figure_needs_confirmation(store_url: str) -> None:
    """Test that a commit changing an existing figure is refused without confirmation."""
    imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    before = dump_store(store_url)
    plan = load(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,7"), "fix.csv")
    with pytest.raises(ImportRefused, match="确认"):
        importer.commit(plan, "editor1", confirm=False)
    assert dump_store(store_url) == before


def test_that_a_change_keeps_the_old_row_and_links_the_new_one(store_url: str) -> None:
    """Test that a changed figure is a new row replacing the old one, whose value is untouched."""
    first = imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    second = imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,7", "fix.csv", confirm=True)
    with db.session_scope(store_url) as s:
        old = s.scalars(select(Observation).where(Observation.batch_id == first.batch_id)).one()
        new = s.scalars(select(Observation).where(Observation.batch_id == second.batch_id)).one()
        assert (old.value, old.is_current) == (4, False)
        assert (new.value, new.is_current, new.replaces_id) == (7, True, old.id)


def test_that_the_same_file_again_changes_nothing(store_url: str) -> None:
    """Test that re-uploading identical bytes is recognised by sha256 and writes nothing."""
    data = csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    first = importer.commit(load(data), "editor1")
    before = dump_store(store_url)
    again = load(data, "renamed.csv")
    assert again.duplicate_batch == first.batch_id and again.changes == []
    with pytest.raises(ImportRefused):
        importer.commit(again, "editor1", confirm=True)
    assert dump_store(store_url) == before


def test_that_a_commit_records_its_batch_audit_and_data_version(store_url: str) -> None:
    """Test that one upload is one batch (file, sha256, user, counts), one audit row, +1 version."""
    v0 = version(store_url)
    data = csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4\ndaxing,job_fairs,2026,Q2,")
    result = importer.commit(load(data, "2026Q1.csv"), "editor1")
    assert version(store_url) == v0 + 1 == result.data_version
    with db.session_scope(store_url) as s:
        batch = s.get(ImportBatch, result.batch_id)
        assert (batch.kind, batch.file_name, batch.username, batch.status) == (
            "observations",
            "2026Q1.csv",
            "editor1",
            "committed",
        )
        assert batch.sha256 == sha256_of(data)
        assert (batch.n_new, batch.n_changed, batch.n_unchanged) == (1, 0, 0)
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "upload")).one()
        assert audit.username == "editor1"
        assert json.loads(audit.detail)["batch_id"] == result.batch_id


def test_that_an_uploaded_figure_names_its_upload_as_source(store_url: str) -> None:
    """Test that a figure without a source column cites the upload (a figure needs a source)."""
    result = imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4", "季报.csv")
    frame = queries.observations(("daxing",), ("job_fairs",), (2026,))
    assert frame["source_code"].to_list() == [f"upload-{result.batch_id}"]
    assert frame["source_title_zh"][0] == "上传文件：季报.csv"


def test_that_undo_restores_the_replaced_figures(store_url: str) -> None:
    """Test that undoing a batch brings back the figures it replaced and drops its new ones."""
    base = current("daxing", "culture_programmes", 2021, None)
    v0 = version(store_url)
    result = imported(
        f"{HEAD}\ndaxing,culture_programmes,2021,,25\ndaxing,job_fairs,2026,Q1,4", confirm=True
    )
    undone = undo(result.batch_id, "editor2")
    assert (undone.removed, undone.restored) == (2, 1)
    assert current("daxing", "culture_programmes", 2021, None) == base
    assert current("daxing", "job_fairs", 2026, 1) == []
    assert version(store_url) == v0 + 2
    with db.session_scope(store_url) as s:
        batch = s.get(ImportBatch, result.batch_id)
        assert (batch.status, batch.undone_by) == ("undone", "editor2")
        assert s.scalars(select(AuditLog.username).where(AuditLog.action == "undo")).all() == [
            "editor2"
        ]


def test_that_a_file_can_be_imported_again_after_its_batch_was_undone(store_url: str) -> None:
    """Test that the same bytes import again once their batch is undone."""
    data = csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    first = importer.commit(load(data), "editor1")
    undo(first.batch_id, "editor1")
    plan = load(data)
    assert plan.duplicate_batch is None and plan.n_new == 1


@pytest.mark.parametrize("case", ["superseded", "twice", "seed"])
def test_that_an_impossible_undo_is_refused_and_writes_nothing(store_url: str, case: str) -> None:
    """Test that undoing a batch changed later, an undone batch or the seed is refused."""
    first = imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4")
    target = first.batch_id
    if case == "superseded":
        imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,5", "later.csv", confirm=True)
    elif case == "twice":
        undo(first.batch_id, "editor1")
    else:
        target = 1
    before = dump_store(store_url)
    with pytest.raises(ImportRefused):
        undo(target, "editor1")
    assert dump_store(store_url) == before


def test_that_undo_of_an_unknown_batch_is_not_found(store_url: str) -> None:
    """Test that undoing a batch id that does not exist says so."""
    with pytest.raises(BatchNotFound):
        undo(999, "editor1")


def test_that_a_store_changed_since_the_preview_refuses_the_commit(store_url: str) -> None:
    """Test that a commit is refused when another upload changed the figures after the preview."""
    plan = load(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4"))
    seen = plan.signature()
    imported(f"{HEAD}\ndaxing,job_fairs,2026,Q1,9", "other.csv")
    before = dump_store(store_url)
    with pytest.raises(ImportRefused, match="重新"):
        importer.commit(plan, "editor1", confirm=True, expected=seen)
    assert dump_store(store_url) == before


def test_that_targets_are_imported_and_versioned(store_url: str) -> None:
    """Test that a target file stores comparator and plan, and a new value replaces the old."""
    head = "单位,指标,年份,目标值,比较,依据"
    imported(f"{head}\ndaxing,mental_stations_new,2026,2,≥,2026年工作要点")
    plan = load(csv_bytes(f"{head}\ndaxing,mental_stations_new,2026,3,不低于,2026年工作要点"))
    assert plan.kind == "targets" and plan.n_changed == 1
    importer.commit(plan, "editor1", confirm=True)
    with db.session_scope(store_url) as s:
        rows = s.scalars(select(Target).where(Target.year == 2026).order_by(Target.id)).all()
        assert [(r.value, r.comparator, r.is_current) for r in rows] == [
            (2, ">=", False),
            (3, ">=", True),
        ]
        assert rows[1].plan_zh == "2026年工作要点" and rows[1].replaces_id == rows[0].id


def test_that_stations_are_imported_and_a_move_is_a_change(store_url: str) -> None:
    """Test that a station without a code gets a stable one, and new coordinates are a change."""
    head = "名称,类型,单位,镇街,纬度,经度,状态"
    imported(f"{head}\n测试驿站,工会驿站,daxing,黄村镇,39.72,116.34,运行")
    plan = load(csv_bytes(f"{head}\n测试驿站,union_station,大兴区总工会,黄村镇,39.73,116.34,运行"))
    assert plan.kind == "stations" and (plan.n_changed, plan.n_new) == (1, 0)
    importer.commit(plan, "editor1", confirm=True)
    with db.session_scope(store_url) as s:
        rows = s.scalars(select(Station).where(Station.name_zh == "测试驿站")).all()
        assert len({r.code for r in rows}) == 1
        assert sorted((r.lat, r.is_current) for r in rows) == [(39.72, False), (39.73, True)]


def test_that_dry_run_preparation_writes_nothing(store_url: str) -> None:
    """Test that preparing (validate + diff) a good file leaves the store as it was."""
    before = dump_store(store_url)
    plan = load(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4"))
    assert plan.n_new == 1
    assert dump_store(store_url) == before


@pytest.mark.parametrize("kind", UPLOAD_KINDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_that_template_headers_are_all_understood(kind: str, lang: str) -> None:
    """Test that every template column maps to a field the importer reads."""
    index = {norm_header(n): c.field for c in SPECS[kind].columns for n in c.names}
    fields = {index.get(norm_header(h)) for h in templates.headers(kind, lang)}
    assert None not in fields
    assert len(fields) == len(templates.COLUMNS[kind])


@pytest.mark.parametrize("kind", UPLOAD_KINDS)
def test_that_a_csv_template_has_a_bom_and_uploads_once_filled(store_url: str, kind: str) -> None:
    """Test that the CSV template opens in Excel (BOM) and imports once a row is filled in."""
    data = templates.template_csv(kind, "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    row = [c.replace("# 示例 ", "") for c in templates.EXAMPLES[kind]]
    plan = load(data + (",".join(row) + "\r\n").encode("utf-8"), kind=kind)
    assert plan.problems == [] and plan.n_new == 1


@pytest.mark.parametrize("kind", UPLOAD_KINDS)
def test_that_the_xlsx_template_lists_the_catalogue(store_url: str, kind: str) -> None:
    """Test that the Excel template has the data sheet first and the indicator catalogue second,
    and imports nothing (no problem) as downloaded."""
    from io import BytesIO

    data = templates.template_xlsx(kind, "zh", queries.indicators(), queries.orgs())
    wb = load_workbook(BytesIO(data), read_only=True)
    assert wb.sheetnames[:2] == [templates.SHEET_NAMES[kind][0], "指标目录"]
    codes = {r[0] for r in wb["指标目录"].iter_rows(min_row=2, values_only=True)}
    assert codes == set(queries.indicators()["code"].to_list())
    plan = load(data, "t.xlsx")
    assert plan.kind == kind and plan.problems == [] and plan.n_new == 0


EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("example_*"))


def test_that_the_examples_are_there_and_gbk_is_really_gbk() -> None:
    """Test that the GBK CSV, the wide xlsx and the stations example exist, the CSV in GBK."""
    assert {
        "example_2025Q1_observations_gbk.csv",
        "example_wide_2025.xlsx",
        "example_stations.csv",
    } <= set(EXAMPLE_FILES)
    raw = (EXAMPLES / "example_2025Q1_observations_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "示例" in raw.decode("gbk").splitlines()[0]


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_that_each_example_validates_against_the_seed(store_url: str, name: str) -> None:
    """Test that an example file has no problem and would add figures."""
    plan = load((EXAMPLES / name).read_bytes(), name)
    assert plan.problems == [] and plan.n_new > 0


def test_that_the_examples_are_not_loaded_by_default(store_url: str) -> None:
    """Test that a freshly seeded store holds nothing from data/examples."""
    assert "example" not in " ".join(queries.batches()["file_name"].to_list())
    assert not queries.stations()["code"].str.starts_with("example_").any()


def test_that_columns_missing_from_a_station_file_keep_the_stored_values(store_url: str) -> None:
    """Test that moving a seed station with a code-name-coordinates file keeps its address."""
    head = "编号,名称,类型,单位,纬度,经度"
    seeded = queries.stations()
    row = seeded.filter(seeded["code"] == "dx_greenland_warm").row(0, named=True)
    plan = load(
        csv_bytes(f"{head}\ndx_greenland_warm,{row['name_zh']},warm_station,daxing,39.77,116.331")
    )
    assert (plan.n_changed, plan.n_new) == (1, 0)
    assert preview_frame(plan, "changed").row(0)[-2:] == ("纬度：39.763", "纬度：39.77")
    importer.commit(plan, "editor1", confirm=True)
    moved = queries.stations().filter(queries.stations()["code"] == "dx_greenland_warm")
    assert moved["lat"].to_list() == [39.77]
    assert moved["address"].to_list() == [row["address"]] and moved["town"].to_list() == [
        row["town"]
    ]


def test_that_a_target_file_without_comparator_keeps_the_stored_one(store_url: str) -> None:
    """Test that re-uploading a target without the comparator column does not reset it to ≥."""
    imported("单位,指标,年份,目标值,比较,依据\ndaxing,wage_arrears_cases,2026,10,≤,工作要点")
    plan = load(csv_bytes("单位,指标,年份,目标值,依据\ndaxing,wage_arrears_cases,2026,8,工作要点"))
    assert plan.n_changed == 1
    assert plan.changes[0].values["comparator"] == "<="


def test_that_a_busy_store_refuses_the_commit_cleanly(store_url: str, monkeypatch) -> None:
    """Test that a store locked by another writer past the timeout gives a refusal, not a crash."""
    if not db.is_sqlite(store_url):
        pytest.skip("SQLite locking")
    import sqlite3

    plan = load(csv_bytes(f"{HEAD}\ndaxing,job_fairs,2026,Q1,4"))
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    db.get_engine.cache_clear()
    other = sqlite3.connect(store_url.split("///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ImportRefused, match="未写入任何数据"):
            importer.commit(plan, "editor1")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert current("daxing", "job_fairs", 2026, 1) == []


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2026年一季度", (2026, 1)),
        ("2026Q2", (2026, 2)),
        ("2026", (2026, None)),
        ("2026年第3季度", (2026, 3)),
    ],
)
def test_that_one_period_column_gives_year_and_quarter(
    store_url: str, period: str, expected: tuple
) -> None:
    """Test that a long file with a single 期间 column (no 年份/季度) is read."""
    plan = load(csv_bytes(f"单位,指标,期间,数值\ndaxing,job_fairs,{period},4"))
    assert plan.problems == []
    assert (plan.changes[0].values["year"], plan.changes[0].values["quarter"]) == expected


@pytest.mark.parametrize(
    ("period", "phrase"), [("一季度", "不是有效期间"), ("2026Q5", "季度 5"), ("1999", "1999")]
)
def test_that_a_bad_period_cell_is_refused(store_url: str, period: str, phrase: str) -> None:
    """Test that a period without a year, with quarter 5 or year 1999 is refused."""
    plan = load(csv_bytes(f"单位,指标,期间,数值\ndaxing,job_fairs,{period},4"))
    assert phrase in plan.problems[0].reason("zh")
