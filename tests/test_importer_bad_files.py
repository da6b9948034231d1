"""The bad-file corpus (tests/data/bad, listed with the expected refusal in EXPECTED.csv): each file
is refused with a message a clerk understands, by the library and by the CLI, and leaves the store
exactly as it was (a full dump of every table an import writes is compared before and after)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lib import cli, importer
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
    with pytest.raises(importer.ImportRefused):
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
