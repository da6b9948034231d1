"""The fast path of validation: an observations CSV (long or wide layout) read column by column
with polars. Every row the vectorised readers can vouch for is taken as is; the other rows are
read one by one by the row reader (lib.ingest.rows); a file with any problem is declined (False)
so the row-by-row validation lists its problems exactly as it always does. It fills the same Plan
fields as the row-by-row path (frame, n_rows, n_blank) and nothing else."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import polars as pl

from lib.core.numbers import MAX_LENGTH, NumberError, Parsed, parse_value
from lib.ingest.bounds import YEAR_MIN, value_bound, year_max
from lib.ingest.catalog import Catalog
from lib.ingest.cells import (
    MAX_CELL_TEXT,
    cell_text,
    column_length,
    is_blank,
    is_formula,
    read_period,
    read_qualifier,
    read_quarter,
    read_year,
)
from lib.ingest.kinds import OBSERVATION_UPLOAD_SCHEMA, OBSERVATIONS
from lib.ingest.layout import Layout, is_comment
from lib.ingest.plan import Plan, records_frame
from lib.ingest.problems import CellError
from lib.ingest.read import WHITESPACE, Grid
from lib.ingest.rows import Record, RowCheck, observation_records
from lib.store.models import Observation

Cells = Callable[[str], pl.Series]
FigureColumn = tuple[int, int, pl.Series, pl.Series]  # (order, column, year, quarter)
# A figure parse_value reads without a unit: [近/约/大约/超过/逾] digits (1,234.5) [余/多] [万/亿] [余/多]
# (one-pass, so matching is quick; a number with commas must also be grouped by three).
FAST_FIGURE = r"^(?:大约|约|近|超过|逾)?[0-9][0-9,]*(?:\.[0-9]+)?[余多]?(?:万亿?|亿)?[余多]?$"
FAST_GROUPED = r"^[^0-9]*[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?[^0-9]*$"
MAX_FIGURE = MAX_LENGTH  # a longer figure cell is refused as too long
FAST_DIGITS = 21  # below Decimal's 28-digit precision, so 万/亿 scaling is exact as in parse_value


@lru_cache(maxsize=256)
def _plain_unit(unit: str) -> bool:
    """True when a figure typed with this unit after it (12人) is read by parse_value as the bare
    figure plus exactly this unit (not 万元: that reads as 万 and 元)."""
    try:
        parsed = parse_value(f"1{unit}")
    except NumberError:
        return False
    return bool(unit) and parsed == Parsed(1.0, "exact", unit)


_SOMETHING = "[^" + "".join(re.escape(c) for c in WHITESPACE) + "]"


def filled(cell: pl.Expr) -> pl.Expr:
    """not is_blank() of text cells: a character other than whitespace."""
    return cell.str.contains(_SOMETHING).fill_null(False)


def _each_distinct(
    cells: pl.Series, decide: Callable[[str], tuple[bool, Any]], dtype: Any
) -> tuple[pl.Series, pl.Series]:
    """(ok, value) per cell, deciding each distinct text once in Python."""
    found = {text: decide(text) for text in cells.unique().to_list()}
    ok = cells.replace_strict({k: v[0] for k, v in found.items()}, return_dtype=pl.Boolean)
    value = cells.replace_strict({k: v[1] for k, v in found.items()}, return_dtype=dtype)
    return ok, value


def _decider(
    reader: Callable[[object], Any], required: bool, default: Any = None
) -> Callable[[str], tuple[bool, Any]]:
    """RowCheck.read_col as (ok, value): formulas, blank required cells and CellErrors not ok."""

    def decide(text: str) -> tuple[bool, Any]:
        """(ok, value) of one distinct cell text."""
        if is_formula(text):
            return False, None
        if is_blank(text):
            return not required, default
        try:
            return True, reader(text)
        except CellError:
            return False, None

    return decide


def _ref_id(catalog: Catalog, what: str) -> Callable[[object], int]:
    """A reader of the id of the org / indicator / source a cell names (CellError if none)."""

    def reader(value: object) -> int:
        """The id of the named org / indicator / source."""
        found = catalog.lookup(what, cell_text(value))
        if found is None:
            raise CellError(f"upload.err.unknown_{what}")
        return found.id

    return reader


def _text_cells(cells: pl.Series, limit: int = MAX_CELL_TEXT) -> tuple[pl.Series, pl.Series]:
    """read_text() of text cells as (ok, text): not ok for formulas and over-long text."""
    text = cells.str.strip_chars(WHITESPACE)
    formula = cells.str.strip_chars_start(WHITESPACE).str.starts_with("=")
    return ~formula & (text.str.len_chars() <= limit), text


def parse_figures(cells: pl.Series) -> pl.DataFrame:
    """Figures parse_value reads without a unit, vectorised: ok, value, qualifier per cell."""
    cell = pl.col("cell")
    about = cell.str.starts_with("近") | cell.str.starts_with("约") | cell.str.starts_with("大约")
    more = cell.str.starts_with("超过") | cell.str.starts_with("逾")
    suffix = cell.str.contains("[余多]")  # in a match, 余 and 多 can only be the qualifier
    matched = (
        cell.str.contains(FAST_FIGURE)
        & (~cell.str.contains(",", literal=True) | cell.str.contains(FAST_GROUPED))
        & (cell.str.len_chars() <= MAX_FIGURE)
        & ~(about & suffix)  # 近…余: two qualifiers, refused by parse_value
    )
    shift = (
        pl.when(cell.str.contains("万亿", literal=True))
        .then(12)
        .when(cell.str.contains("亿", literal=True))
        .then(8)
        .when(cell.str.contains("万", literal=True))
        .then(4)
        .otherwise(0)
    )
    frame = (
        cells.rename("cell")
        .to_frame()
        .select(
            matched.fill_null(False).alias("ok"),
            pl.when(about)
            .then(pl.lit("about"))
            .when(more | suffix)
            .then(pl.lit("at_least"))
            .otherwise(pl.lit("exact"))
            .alias("qualifier"),
            shift.alias("shift"),
            cell.str.replace_all("[^0-9.]", "").alias("number"),  # digits and the point
        )
        .with_columns(
            pl.col("ok") & (pl.col("number").str.len_bytes() <= FAST_DIGITS + 1),
            pl.col("number").str.split_exact(".", 1).alias("parts"),
        )
        .unnest("parts")
    )
    # Move the decimal point `shift` places right in the text (exact), then read it as a float
    # (one correct rounding, as float(Decimal) in parse_value).
    digits = pl.concat_str([pl.col("field_1").fill_null(""), pl.lit("0" * 12)])
    text = pl.concat_str(
        [
            pl.col("field_0"),
            digits.str.slice(0, pl.col("shift")),
            pl.lit("."),
            digits.str.slice(pl.col("shift")),
        ]
    )
    return frame.select("ok", text.cast(pl.Float64, strict=False).alias("value"), "qualifier")


def _wide_columns(
    layout: Layout, cells: Cells, n: int
) -> tuple[list[FigureColumn], pl.Series] | None:
    """The period columns of a wide file with the rows' ok for their year cells; None when a
    period is out of range (a problem for the row-by-row reading)."""
    for year, quarter in layout.periods.values():
        if quarter is not None and not 1 <= quarter <= 4:
            return None
        if year is not None and not YEAR_MIN <= year <= year_max():
            return None
    ok = pl.Series([True] * n)
    needs_year = any(y is None for y, _q in layout.periods.values())
    year_col = pl.Series([None] * n, dtype=pl.Int64)
    if "year" in layout.fields:
        year_ok, year_col = _each_distinct(cells("year"), _decider(read_year, needs_year), pl.Int64)
        ok &= year_ok
    found = [
        (
            order,
            col,
            year_col if year is None else pl.Series([year] * n, dtype=pl.Int64),
            pl.Series([quarter] * n, dtype=pl.Int64),
        )
        for order, (col, (year, quarter)) in enumerate(layout.periods.items())
    ]
    return found, ok


def _figure_columns(
    layout: Layout, cells: Cells, n: int
) -> tuple[list[FigureColumn], pl.Series] | None:
    """The columns holding figures as (order, column, year, quarter) — the value column in the
    long layout, each period column in the wide one — and the rows' ok so far for the year /
    quarter / period cells read; None when a wide period is out of range."""
    if layout.wide:
        return _wide_columns(layout, cells, n)
    fields = layout.fields
    ok = pl.Series([True] * n)
    if "year" in fields:
        year_ok, year = _each_distinct(cells("year"), _decider(read_year, True), pl.Int64)
        ok &= year_ok
        quarter = pl.Series([None] * n, dtype=pl.Int64)
        if "quarter" in fields:
            q_ok, quarter = _each_distinct(
                cells("quarter"), _decider(read_quarter, False), pl.Int64
            )
            ok &= q_ok
    else:
        p_ok, period = _each_distinct(
            cells("period"), _decider(lambda v: list(read_period(v)), True), pl.List(pl.Int64)
        )
        ok &= p_ok
        year, quarter = period.list.get(0), period.list.get(1)
    return [(0, fields["value"], year, quarter)], ok


def _data_rows(frame: pl.DataFrame, idx: int, header: list[str]) -> pl.DataFrame | None:
    """The rows below the header row (index idx) that hold something and are no note, with their
    file row in a last column "row"; None when there is none, or a cell stands under no header."""
    cols = frame.columns
    filled_cols = [filled(pl.col(c)) for c in cols]
    marks = frame.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
        pl.any_horizontal(filled_cols).alias("filled"),
        pl.any_horizontal(pl.col(cols).str.contains("#", literal=True)).alias("hash"),
        pl.any_horizontal(
            [f for i, f in enumerate(filled_cols) if i >= len(header) or not header[i]]
            or [pl.lit(False)]
        ).alias("stray"),
    )
    keep = marks["filled"] & (marks["row"] > idx + 1)
    hashed = marks.filter(keep & marks["hash"])["row"].to_list()
    if hashed:  # note rows: decide exactly as is_comment does (#REF! is a cell, not a note)
        notes = {r for r in hashed if is_comment(list(frame.row(r - 1)))}
        keep = keep & ~marks["row"].is_in(list(notes))
    if not keep.any() or (marks["stray"] & keep).any():
        return None
    return frame.filter(keep).with_columns(marks["row"].filter(keep).alias("row"))


def _references(
    cells: Cells, layout: Layout, catalog: Catalog, n: int
) -> tuple[pl.Series, dict[str, pl.Series]]:
    """(ok, ids) of the org, indicator and source cells (ids null where a column is absent)."""
    ok = pl.Series([True] * n)
    out: dict[str, pl.Series] = {}
    for fld, required in (("org", True), ("indicator", True), ("source", False)):
        if fld in layout.fields:
            reader = _decider(_ref_id(catalog, fld), required)
            fld_ok, out[fld] = _each_distinct(cells(fld), reader, pl.Int64)
            ok &= fld_ok
        else:
            out[fld] = pl.Series([None] * n, dtype=pl.Int64)
    return ok, out


def _texts(cells: Cells, layout: Layout, n: int) -> tuple[pl.Series, dict[str, pl.Series]]:
    """(ok, texts) of the unit, period note and locator cells ('' where a column is absent)."""
    ok = pl.Series([True] * n)
    limits = {"period_note": column_length(Observation, "period_note")}
    texts: dict[str, pl.Series] = {}
    for fld in ("unit", "period_note", "locator"):
        if fld in layout.fields:
            t_ok, texts[fld] = _text_cells(cells(fld), limits.get(fld, MAX_CELL_TEXT))
            ok &= t_ok
        else:
            texts[fld] = pl.Series([""] * n, dtype=pl.String)
    return ok, texts


def _qualifiers(cells: Cells, layout: Layout, n: int) -> tuple[pl.Series, pl.Series]:
    """(ok, qualifier or null) of the qualifier cells."""
    if "qualifier" not in layout.fields:
        return pl.Series([True] * n), pl.Series([None] * n, dtype=pl.String)
    return _each_distinct(cells("qualifier"), _decider(read_qualifier, False), pl.String)


def _base(
    data: pl.DataFrame, out: dict[str, pl.Series], texts: dict[str, pl.Series], file_name: str
) -> pl.DataFrame:
    """What every figure of a row shares: file row, org, indicator, period note, locator (the
    file and row when blank), source."""
    own_row = pl.concat_str(
        [pl.lit(f"{file_name} 第"), pl.col("row").cast(pl.String), pl.lit("行")]
    )
    return pl.DataFrame(
        {
            "row": data["row"],
            "org_id": out["org"],
            "indicator_id": out["indicator"],
            "period_note": texts["period_note"],
            "locator": texts["locator"],
            "source_id": out["source"],
        }
    ).with_columns(
        pl.when(pl.col("locator") == "")
        .then(own_row.str.slice(0, MAX_CELL_TEXT))
        .otherwise(pl.col("locator"))
        .alias("locator")
    )


class _Units:
    """Per row, from its indicator: the bound, whether the unit column agrees, and the unit a
    figure may be typed with (12人 reads as 12)."""

    def __init__(self, indicator: pl.Series, unit_cells: pl.Series, catalog: Catalog) -> None:
        """Look the rows' indicators up."""
        units = {i: d.unit_zh for i, d in catalog.ind_by_id.items()}
        bounds = {i: value_bound(d.unit_zh, d.kind) for i, d in catalog.ind_by_id.items()}
        plain = {i: u for i, u in units.items() if _plain_unit(u)}
        self.bound = indicator.replace_strict(bounds, default=None, return_dtype=pl.Float64)
        unit = indicator.replace_strict(units, default=None, return_dtype=pl.String)
        self.unit_ok = ((unit_cells == "") | (unit_cells == unit)).fill_null(False)
        self.suffix = indicator.replace_strict(plain, default="", return_dtype=pl.String)


Part = tuple[
    int, pl.Series, pl.Series, pl.Series, pl.DataFrame
]  # order, year, quarter, blank, figures


def _read_figures(
    data: pl.DataFrame,
    figure_cols: list[FigureColumn],
    units: _Units,
    qual: pl.Series,
    taken: pl.Series,
) -> tuple[pl.Series, list[Part]]:
    """The figures of each figure column, and the rows still taken once they are read (a figure
    the vectorised reading cannot vouch for leaves its row to the row reader)."""
    parts: list[Part] = []
    for order, col, year, quarter in figure_cols:
        value_cells = data[data.columns[col]].fill_null("")
        blank = ~value_cells.str.contains(_SOMETHING)
        core = value_cells.str.strip_suffix(units.suffix.fill_null(""))
        found = parse_figures(core)
        with_unit = core.str.len_bytes() < value_cells.str.len_bytes()
        taken &= value_cells.str.len_chars() <= MAX_FIGURE
        taken &= blank | (found["ok"] & (with_unit | units.unit_ok))
        taken &= blank | (found["value"] <= units.bound).fill_null(False)  # else: a problem
        written = found["qualifier"]
        taken &= qual.is_null() | (written == "exact") | (written == qual)  # else: a problem
        found = found.with_columns(
            pl.when(qual.is_null()).then(written).otherwise(qual).alias("qualifier")
        )
        parts.append((order, year, quarter, blank, found))
    return taken, parts


def _taken_records(
    base: pl.DataFrame, parts: list[Part], taken: pl.Series
) -> tuple[pl.DataFrame, int]:
    """The records of the taken rows (with their column order) and how many of their figure
    cells are blank."""
    n_blank = 0
    frames = []
    for order, year, quarter, blank, found in parts:
        n_blank += int((taken & blank).sum())
        frames.append(
            base.with_columns(
                pl.lit(order, dtype=pl.Int64).alias("order"),
                year.alias("year"),
                quarter.alias("quarter"),
                found["value"].alias("value"),
                found["qualifier"].alias("qualifier"),
            ).filter(taken & ~blank)
        )
    schema = OBSERVATION_UPLOAD_SCHEMA
    return pl.concat(frames).select("order", *schema).cast(schema), n_blank


def _other_records(
    rows: pl.DataFrame, layout: Layout, catalog: Catalog, file_name: str, orders: dict[int, int]
) -> tuple[pl.DataFrame | None, int] | None:
    """The rows not taken, read one by one: their records (with the column order) and blank
    figure cells; None when any has a problem."""
    found: list[Record] = []
    where: list[tuple[int, int]] = []
    n_blank = 0
    for cells_row in rows.iter_rows():
        row = cells_row[-1]
        check = RowCheck(row, list(cells_row[:-1]), layout)
        for col, record in observation_records(check, catalog, file_name):
            if record is None:
                n_blank += 1
                continue
            found.append(record)
            where.append((row, orders[col]))
        if check.problems:
            return None
    if not found:
        return None, n_blank
    extra = records_frame(OBSERVATION_UPLOAD_SCHEMA, found, [r for r, _o in where])
    return extra.with_columns(pl.Series("order", [o for _r, o in where], pl.Int64)), n_blank


def validate_fast(plan: Plan, table: Grid, idx: int, layout: Layout, catalog: Catalog) -> bool:
    """Validate an observations CSV (header row at index idx) column by column into plan.frame,
    plan.n_rows and plan.n_blank; False (plan untouched) when the file is not such a file or has
    any problem, for row-by-row reading."""
    frame = table.frame
    if plan.kind != "observations" or frame is None or layout.unit:
        return False
    data = _data_rows(frame, idx, layout.headers)
    if data is None:
        return False  # no data row, or cells under no header: a problem for the full reading
    cols = frame.columns

    def cells(fld: str) -> pl.Series:
        """The data rows' cells of a field's column ('' for null)."""
        return data[cols[layout.fields[fld]]].fill_null("")

    n = data.height
    read = _figure_columns(layout, cells, n)
    if read is None:
        return False  # a period column out of range: a problem for the full reading
    figure_cols, ok = read
    refs_ok, out = _references(cells, layout, catalog, n)
    texts_ok, texts = _texts(cells, layout, n)
    qual_ok, qual = _qualifiers(cells, layout, n)
    taken = (ok & refs_ok & texts_ok & qual_ok).fill_null(False)
    units = _Units(out["indicator"], texts["unit"], catalog)
    taken, parts = _read_figures(data, figure_cols, units, qual, taken)
    records, n_blank = _taken_records(_base(data, out, texts, plan.file_name), parts, taken)
    orders = {col: order for order, col, _y, _q in figure_cols}
    others = _other_records(data.filter(~taken), layout, catalog, plan.file_name, orders)
    if others is None:
        return False
    extra, more_blank = others
    if extra is not None:
        records = pl.concat([records, extra.select(records.columns)])
    if extra is not None or len(parts) > 1:  # else already in file order
        records = records.sort("row", "order")
    records = records.drop("order")
    if records.select(pl.struct(OBSERVATIONS.key_fields).is_duplicated().any()).item():
        return False  # duplicates: listed by the row-by-row reading
    plan.frame, plan.n_blank, plan.n_rows = records, n_blank + more_blank, n
    return True
