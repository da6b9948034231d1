"""CSV and .xlsx exports of the store's current observations, targets and stations, for anyone with
a spreadsheet; each is a valid upload of its kind (re-importing it unchanged writes nothing).
Cells that a spreadsheet would run as a formula are escaped (CSV) or stored as text (.xlsx)."""

from __future__ import annotations

import csv
from typing import IO

import polars as pl

from lib.core.catalog import category_name
from lib.core.vocab import STATION_FIELDS
from lib.store import queries

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# A station's key, its fields (the org's code after its type) and where it comes from.
STATION_EXPORT_COLUMNS = (
    "code",
    "name_zh",
    *STATION_FIELDS[:2],
    "org_code",
    *STATION_FIELDS[2:],
    "source",
    "locator",
)


def escape_cell(value: object) -> str:
    """A cell as text, with a leading quote when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = float_text(value)
    else:
        text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_plain_number(text):
        return "'" + text
    return text


def float_text(value: float) -> str:
    """A float as the shortest text that reads back as the same float (85.0 -> 85), so an export
    re-imports to exactly the stored figure."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _is_plain_number(text: str) -> bool:
    """Whether text is a plain signed number (a negative value is not a formula)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _figure_export(
    df: pl.DataFrame, keys: list[str], middle: list[str | pl.Expr], url: str | None
) -> pl.DataFrame:
    """Figure rows in key order and the export's layout: the org, indicator, category and unit
    columns, then the kind's own columns, then source and locator."""
    return _in_key_order(df, keys, url).select(
        "org_code",
        "org_name_zh",
        "indicator_code",
        "indicator_name_zh",
        pl.col("category").map_elements(category_name, return_dtype=pl.Utf8),
        pl.col("unit_zh").alias("unit"),
        *middle,
        pl.col("source_code").alias("source"),
        "locator",
    )


def _in_key_order(df: pl.DataFrame, keys: list[str], url: str | None) -> pl.DataFrame:
    """Rows sorted by their identity (indicators in catalogue order, blanks first) rather than by
    row id, so a re-imported edit exports in the same place, on every engine."""
    codes = queries.indicators(url=url)["code"].to_list()
    rank = pl.col("indicator_code").replace_strict(
        {c: i for i, c in enumerate(codes)}, default=len(codes), return_dtype=pl.Int64
    )
    by = [rank if k == "indicator_code" else pl.col(k) for k in keys]
    return df.sort(by, nulls_last=False, maintain_order=True)


def export_observations(org: str | None = None, url: str | None = None) -> pl.DataFrame:
    """Current observations in the export's column layout."""
    df = queries.observations(org_codes=(org,) if org else None, url=url)
    keys = ["org_code", "indicator_code", "year", "quarter", "period_note"]
    middle: list[str | pl.Expr] = ["year", "quarter", "value", "qualifier", "period_note"]
    return _figure_export(df, keys, middle, url)


def export_targets(org: str | None = None, url: str | None = None) -> pl.DataFrame:
    """Current targets in the export's column layout."""
    df = queries.targets(org_codes=(org,) if org else None, url=url)
    keys = ["org_code", "year", "indicator_code", "quarter", "plan_zh"]
    middle: list[str | pl.Expr] = ["year", "base_year", "quarter", "comparator", "value"]
    middle += ["qualifier", pl.col("plan_zh").alias("plan")]
    return _figure_export(df, keys, middle, url)


def export_stations(org: str | None = None, url: str | None = None) -> pl.DataFrame:
    """Current stations in the export's column layout."""
    df = queries.stations(org_codes=(org,) if org else None, url=url)
    return df.sort("type", "code", maintain_order=True).select(
        *STATION_EXPORT_COLUMNS[:-2], pl.col("source_code").alias("source"), "locator"
    )


def rows_for(what: str, org: str | None = None, url: str | None = None) -> pl.DataFrame:
    """The export frame of a table name (observations, targets, stations)."""
    makers = {
        "observations": export_observations,
        "targets": export_targets,
        "stations": export_stations,
    }
    return makers[what](org, url)


def write_frame_csv(df: pl.DataFrame, out: IO[str]) -> None:
    """Write a frame as CSV with every cell escaped against formula injection."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(df.columns)
    for row in df.iter_rows():
        writer.writerow([escape_cell(v) for v in row])


def write_csv(what: str, out: IO[str], org: str | None = None, url: str | None = None) -> None:
    """Write the export of a table to a text stream."""
    write_frame_csv(rows_for(what, org, url), out)


def csv_bytes(df: pl.DataFrame) -> bytes:
    """A frame as UTF-8-with-BOM CSV bytes (Excel opens it), formula cells escaped."""
    import io

    buf = io.StringIO()
    write_frame_csv(df, buf)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


EXPORT_SHEETS = {"observations": "指标数据", "targets": "目标", "stations": "服务阵地"}


def xlsx_bytes(df: pl.DataFrame, sheet: str) -> bytes:
    """A frame as an .xlsx of one sheet: numbers as numbers, text always as text (never a
    formula), blanks empty."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(df.columns)
    for row in df.iter_rows():
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with =
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_bytes(what: str, fmt: str, org: str | None = None, url: str | None = None) -> bytes:
    """The export of a table as a file: "csv" (UTF-8 with BOM, Excel opens it) or "xlsx"."""
    df = rows_for(what, org, url)
    return xlsx_bytes(df, EXPORT_SHEETS[what]) if fmt == "xlsx" else csv_bytes(df)
