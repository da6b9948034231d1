"""The export of a kind is a valid upload of that kind: re-importing it writes nothing, export →
import → export is byte-identical (shipped data and a synthetic sample), and an edited export
changes exactly the edited figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bench import generate as gen
from lib import cli
from lib.ingest import importer
from lib.store import export, queries
from lib.store.db import session_scope
from lib.store.models import Source
from tests.importer_support import dump_store

KINDS = ("observations", "targets", "stations")


def exported(what: str, url: str) -> str:
    """The CSV export of a table as text."""
    buf = io.StringIO()
    export.write_csv(what, buf, url=url)
    return buf.getvalue()


def import_file(tmp_path: Path, name: str, text: str, kind: str, *extra: str) -> int:
    """Write text to a file and run `python -m lib.cli import` on it; the exit code."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cli.main(["import", str(path), "--kind", kind, *extra])


@pytest.mark.parametrize("kind", KINDS)
def test_that_an_unchanged_export_reimports_as_nothing_new(
    seeded_copy: str, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that importing an unchanged export writes nothing and says so."""
    text = exported(kind, seeded_copy)
    before = dump_store(seeded_copy)
    assert import_file(tmp_path, f"{kind}.csv", text, kind, "--yes") == 0
    assert "完全相同" in capsys.readouterr().out
    assert dump_store(seeded_copy) == before


@pytest.mark.parametrize("kind", KINDS)
def test_that_export_import_export_is_byte_identical(
    seeded_copy: str, tmp_path: Path, kind: str
) -> None:
    """Test that exporting after re-importing an export gives the same bytes."""
    text = exported(kind, seeded_copy)
    assert import_file(tmp_path, f"{kind}.csv", text, kind, "--yes") == 0
    assert exported(kind, seeded_copy) == text


def edit(text: str, match: dict[str, str], changes: dict[str, str]) -> tuple[str, int]:
    """The CSV text with the cells `changes` set in the one row matching `match`; rows edited."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    hits = 0
    for row in rows[1:]:
        if all(row[header.index(k)] == v for k, v in match.items()):
            hits += 1
            for k, v in changes.items():
                row[header.index(k)] = v
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), hits


MEMBERS_2025 = {
    "org_code": "daxing",
    "indicator_code": "members_recruited",
    "year": "2025",
    "period_note": "",
}  # the export row of Daxing's 2025 members recruited (the seed's 1.8万余人)


def edited_members(url: str, changes: dict[str, str]) -> tuple[str, str, int]:
    """The observations export, the same with `changes` in its MEMBERS_2025 row, and the number
    of rows edited."""
    text = exported("observations", url)
    return (text, *edit(text, MEMBERS_2025, changes))


def stored_members(url: str) -> dict:
    """Daxing's one current 2025 members-recruited figure (whole year) as the store holds it."""
    df = queries.observations(("daxing",), ("members_recruited",), (2025,), url=url)
    rows = df.filter(df["period_note"] == "").to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def test_that_editing_one_value_changes_exactly_that_figure(
    seeded_copy: str, tmp_path: Path
) -> None:
    """Test that an export with one value edited imports as one change, and exports back as the
    edited file; every other figure keeps its qualifier (1.8万余 stays 余)."""
    text, edited, hits = edited_members(seeded_copy, {"value": "19000"})
    assert hits == 1 and edited != text
    before = queries.observations(url=seeded_copy).height
    assert import_file(tmp_path, "edited.csv", edited, "observations", "--yes") == 0
    assert exported("observations", seeded_copy) == edited
    assert queries.observations(url=seeded_copy).height == before
    assert edited.count("at_least") == text.count("at_least")


def test_that_editing_only_the_qualifier_changes_that_figure(
    seeded_copy: str, tmp_path: Path
) -> None:
    """Test that setting the qualifier column of an at-least figure to exact stores it exact."""
    _, edited, hits = edited_members(seeded_copy, {"qualifier": "exact"})
    assert hits == 1
    assert import_file(tmp_path, "edited.csv", edited, "observations", "--yes") == 0
    assert stored_members(seeded_copy)["qualifier"] == "exact"
    assert exported("observations", seeded_copy) == edited


def test_that_a_qualifier_in_the_value_disagreeing_with_the_column_is_refused(
    seeded_copy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Test that 1.8万余 beside a qualifier column saying exact is a problem naming both."""
    _, edited, _ = edited_members(seeded_copy, {"value": "1.9万余", "qualifier": "exact"})
    before = dump_store(seeded_copy)
    assert import_file(tmp_path, "edited.csv", edited, "observations", "--yes") == 1
    out = capsys.readouterr().out
    assert "数值写的是“余/以上（至少）”，但限定列写的是“确数”" in out
    assert dump_store(seeded_copy) == before


def test_that_a_qualifier_in_the_value_agreeing_with_the_column_is_accepted(
    seeded_copy: str, tmp_path: Path
) -> None:
    """Test that 1.9万余 beside a qualifier column saying at_least stores 19000 at least."""
    _, edited, _ = edited_members(seeded_copy, {"value": "1.9万余"})
    assert import_file(tmp_path, "edited.csv", edited, "observations", "--yes") == 0
    row = stored_members(seeded_copy)
    assert (row["value"], row["qualifier"]) == (19000.0, "at_least")


@pytest.mark.parametrize("column", ["file", "title_zh"])
def test_that_a_source_can_be_named_by_file_name_or_title(
    seeded_copy: str, tmp_path: Path, column: str
) -> None:
    """Test that the source column accepts a source's file name or title as well as its code."""
    text = exported("observations", seeded_copy)
    code = next(csv.DictReader(io.StringIO(text)))["source"]
    with session_scope(seeded_copy) as session:
        name = getattr(session.scalars(select(Source).where(Source.code == code)).one(), column)
    edited, hits = edit(text, {"source": code}, {"source": name})
    assert hits > 0 and edited != text
    assert import_file(tmp_path, "named.csv", edited, "observations", "--yes") == 0
    assert exported("observations", seeded_copy) == text


@pytest.fixture
def synthetic_url(empty_url: str) -> str:
    """A store holding the seed plus a small synthetic national sample (bench.generate)."""
    gen.generate(empty_url, 12, 40, rng_seed=3)
    return empty_url


@pytest.mark.parametrize("kind", KINDS)
def test_that_a_synthetic_sample_round_trips_byte_identical(
    synthetic_url: str, tmp_path: Path, kind: str
) -> None:
    """Test that export → import → export of a synthetic national sample gives the same bytes
    and writes nothing."""
    text = exported(kind, synthetic_url)
    assert text.count("\n") > 100 or kind != "observations"
    plan = importer.prepare(text.encode("utf-8"), f"{kind}.csv", kind, url=synthetic_url)
    assert not plan.problems, plan.problems[:3]
    assert (plan.n_new, plan.n_changed) == (0, 0)
    assert import_file(tmp_path, f"{kind}.csv", text, kind, "--yes") == 0
    assert exported(kind, synthetic_url) == text


@pytest.mark.parametrize("kind", KINDS)
def test_that_the_excel_export_reimports_as_nothing_new(seeded_copy: str, kind: str) -> None:
    """Test that the .xlsx export of a kind (the page's Excel download) is a valid upload of that
    kind that changes nothing."""
    data = export.export_bytes(kind, "xlsx", url=seeded_copy)
    plan = importer.prepare(data, f"{kind}.xlsx", kind, url=seeded_copy)
    assert not plan.problems, plan.problems[:3]
    assert (plan.n_new, plan.n_changed, plan.n_unchanged) == (
        0,
        0,
        exported(kind, seeded_copy).count("\n") - 1,
    )


def test_that_an_edited_excel_export_changes_exactly_that_figure(
    seeded_copy: str, tmp_path: Path
) -> None:
    """Test that one value edited in the Excel export changes that figure and the CSV export then
    differs from the original in that one cell only."""
    from openpyxl import load_workbook

    before = exported("observations", seeded_copy)
    wb = load_workbook(io.BytesIO(export.export_bytes("observations", "xlsx", url=seeded_copy)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        if (cells["org_code"].value, cells["indicator_code"].value, cells["year"].value) == (
            "daxing",
            "members_recruited",
            2025,
        ) and not cells["period_note"].value:
            cells["value"].value = 19000
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    assert cli.main(["import", str(path), "--yes"]) == 0
    expected, hits = edit(
        before,
        {
            "org_code": "daxing",
            "indicator_code": "members_recruited",
            "year": "2025",
            "period_note": "",
        },
        {"value": "19000"},
    )
    assert hits == 1
    assert exported("observations", seeded_copy) == expected
