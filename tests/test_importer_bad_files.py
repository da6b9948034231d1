"""The bad-file corpus (tests/data/bad, listed with the expected refusal in EXPECTED.csv): each file
is refused with a message a clerk understands, by the library and by the CLI, and leaves the store
exactly as it was (a full dump of every table an import writes is compared before and after)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import cli
from lib.ingest import importer
from lib.ingest.catalog import Catalog
from lib.ingest.cells import read_quarter, read_year
from lib.ingest.guard import FileProblem
from lib.ingest.kinds import UPLOAD_KINDS
from lib.ingest.problems import CellError, ImportRefused
from lib.ingest.read import read_csv_bytes, read_table
from lib.ingest.validate import validate
from tests.importer_support import dump_store, seeded_copy

BAD = Path(__file__).resolve().parent / "data" / "bad"


@pytest.fixture
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A seeded store for this test (a copy of the session's seeded template on SQLite)."""
    return seeded_copy(request, tmp_path, monkeypatch)


CASES = list(csv.DictReader(open(BAD / "EXPECTED.csv", encoding="utf-8")))


def test_that_the_corpus_holds_at_least_thirty_bad_files() -> None:
    """Test that at least 30 bad files are listed, and every listed file exists."""
    assert len(CASES) >= 30
    assert all((BAD / case["file"]).is_file() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_that_a_bad_file_is_refused_with_its_reason(store_url: str, case: dict[str, str]) -> None:
    """Test that the file is refused with the expected reason and nothing is written."""
    path = BAD / case["file"]
    before = dump_store(store_url)
    plan = importer.prepare(path.read_bytes(), path.name, kind=case["kind"] or None)
    lines = [p.line("zh") for p in plan.problems]
    assert any(case["expected"] in line for line in lines), lines
    with pytest.raises(ImportRefused):
        importer.commit(plan, "tester", confirm=True)
    assert dump_store(store_url) == before


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_that_the_cli_refuses_a_bad_file(
    store_url: str, case: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that `import --yes` exits with the listed code and writes nothing."""
    before = dump_store(store_url)
    argv = ["import", str(BAD / case["file"]), "--yes"]
    if case["kind"]:
        argv += ["--kind", case["kind"]]
    assert cli.main(argv) == int(case["exit_code"])
    out = capsys.readouterr()
    assert case["expected"] in out.out + out.err
    assert dump_store(store_url) == before


def empty_catalog() -> Catalog:
    """A catalogue with no org, indicator or source (every reference is unknown)."""
    return Catalog({}, {}, {}, {}, {}, {}, {}, {}, {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), ext=st.sampled_from([".csv", ".xlsx"]))
def test_that_arbitrary_bytes_never_crash_the_importer(data: bytes, ext: str) -> None:
    """Test that any bytes are either refused as a file or validated into problems, never a crash."""
    try:
        table = read_table(data, "fuzz" + ext)
    except FileProblem as exc:
        assert exc.key.startswith("upload.err.")
        return
    plan = validate(table, None, "fuzz" + ext, empty_catalog())
    assert plan.problems or plan.n_blank >= 0


CSVISH = st.text(
    alphabet=list(',\n\r"#=\t 单位指标年份季度数值纬度经度daxing0123456789万余.%-Q一'), max_size=400
)


@settings(max_examples=200, deadline=None)
@given(text=CSVISH, kind=st.sampled_from([None, *UPLOAD_KINDS]))
def test_that_arbitrary_csv_text_never_crashes_validation(text: str, kind: str | None) -> None:
    """Test that any CSV-like text yields a plan (with problems when wrong), never an exception."""
    try:
        table = read_csv_bytes(text.encode("utf-8"))
    except FileProblem as exc:
        assert exc.key.startswith("upload.err.bad_csv")
        return
    plan = validate(table, kind, "fuzz.csv", empty_catalog())
    assert all(p.reason("en") for p in plan.problems)


@settings(max_examples=300, deadline=None)
@given(cell=st.one_of(st.text(max_size=50), st.integers(), st.floats(), st.none()))
def test_that_quarter_and_year_readers_only_raise_cell_errors(cell: object) -> None:
    """Test that reading any cell as a quarter or year returns a value or a clerk's message."""
    for reader in (read_quarter, read_year):
        try:
            reader(cell)
        except CellError as exc:
            assert exc.reason("zh")
