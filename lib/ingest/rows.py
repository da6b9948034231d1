"""Row-by-row reading of an upload: a RowCheck collects the problems of one data row while its
cells are read, and one row reader per kind (observations, targets, stations) turns a row into
its records (one per figure: a wide row holds several). Imports the cell readers, the column
vocabulary, the layout, the catalogue and the problems."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from lib.core.numbers import Parsed, Qualifier
from lib.core.vocab import inside_china
from lib.ingest.bounds import YEAR_MIN, year_max
from lib.ingest.catalog import Catalog
from lib.ingest.cells import (
    MAX_CELL_TEXT,
    cell_text,
    is_blank,
    is_formula,
    read_choice,
    read_coord,
    read_figure,
    read_int,
    read_period,
    read_qualifier,
    read_quarter,
    read_text,
    read_year,
    text_of,
)
from lib.ingest.columns import (
    COMPARATOR_SPELLINGS,
    PRECISION_SPELLINGS,
    STATUS_WORDS,
    TYPE_LABELS,
    TYPE_NAMES,
    close_names,
    norm,
)
from lib.ingest.layout import Layout
from lib.ingest.problems import CellError, Hint, Msg, Problem
from lib.store.models import Indicator, Observation, Org, Station, Target

OPENED_MIN = 1949  # the earliest year a station may have opened
Record = dict[str, Any]
RowReader = Callable[["RowCheck", Catalog, str], Iterable[tuple[int, Record | None]]]


class RowCheck:
    """Collects the problems of one data row while its cells are read."""

    def __init__(self, row: int, cells: list[object], layout: Layout) -> None:
        """Start checking one row."""
        self.row = row
        self.cells = cells
        self.layout = layout
        self.problems: list[Problem] = []

    def raw(self, col: int) -> object:
        """The cell at a column index (None past the row's end)."""
        return self.cells[col] if col < len(self.cells) else None

    def header(self, col: int) -> str:
        """The header text of a column."""
        return self.layout.headers[col] if col < len(self.layout.headers) else str(col + 1)

    def fail(self, col: int, code: str, **params: object) -> None:
        """Record a problem for a column of this row."""
        value = cell_text(self.raw(col))
        self.problems.append(Problem(code, params, self.row, self.header(col), value))

    def get(
        self, fld: str, reader: Callable[[object], Any], required: bool = False, default: Any = None
    ) -> Any:
        """Read a field with a reader; record a problem (and return None) when it fails."""
        col = self.layout.fields.get(fld)
        if col is None:
            return default
        return self.read_col(col, reader, required, default)

    def read_col(
        self, col: int, reader: Callable[[object], Any], required: bool = False, default: Any = None
    ) -> Any:
        """Read one column with a reader; formula cells and blank required cells are problems."""
        value = self.raw(col)
        if is_formula(value):
            self.fail(col, "upload.err.formula", text=cell_text(value)[:40])
            return None
        if is_blank(value):
            if required:
                self.fail(col, "upload.err.required")
            return default
        try:
            return reader(value)
        except CellError as exc:
            self.fail(col, exc.code, **exc.params)
            return None

    def ref(self, fld: str, what: str, catalog: Catalog, required: bool = True) -> Any:
        """An org / indicator / source named in a field, with suggestions when unknown."""

        def reader(value: object) -> Any:
            """The org / indicator / source a cell names; CellError with a hint if none."""
            text = cell_text(value)
            found = catalog.lookup(what, text)
            if found is None:
                suggestion = catalog.suggest(what, text)
                raise CellError(f"upload.err.unknown_{what}", text=text, hint=suggestion)
            return found

        return self.get(fld, reader, required)


def with_qualifier(
    check: RowCheck, col: int, fig: Parsed | None, qualifier: Qualifier | None
) -> Parsed | None:
    """The figure with the qualifier column's qualifier; a problem (None) when the value's own
    qualifier (1.8万余) says something else than the column."""
    if fig is None or qualifier is None or fig.qualifier == qualifier:
        return fig
    if fig.qualifier != "exact":
        check.fail(
            col,
            "upload.err.qualifier_conflict",
            written=Msg(f"upload.qualifier.{fig.qualifier}"),
            column=Msg(f"upload.qualifier.{qualifier}"),
        )
        return None
    return Parsed(fig.value, qualifier, fig.unit)


# --------------------------------------------------------------------------------------------
# Header and layout
# --------------------------------------------------------------------------------------------


def _locator(check: RowCheck, file_name: str, catalog: Catalog) -> tuple[str, int | None]:
    """(locator phrase, source id or None for the upload's own source) of a row."""
    locator = (
        check.get("locator", text_of(Observation, "locator"), default="")
        or f"{file_name} 第{check.row}行"[:MAX_CELL_TEXT]
    )
    source = check.ref("source", "source", catalog, required=False)
    return locator, (source.id if source is not None else None)


def observation_records(
    check: RowCheck, catalog: Catalog, file_name: str
) -> Iterable[tuple[int, dict[str, Any] | None]]:
    """The figures of one row (one in long layout, one per period column in wide layout)."""
    org = check.ref("org", "org", catalog)
    ind = check.ref("indicator", "indicator", catalog)
    unit_hint = check.get("unit", read_text, default=check.layout.unit)
    qualifier = check.get("qualifier", read_qualifier)
    period_note = check.get("period_note", text_of(Observation, "period_note"), default="")
    locator, source_id = _locator(check, file_name, catalog)
    base = {"period_note": period_note, "locator": locator, "source_id": source_id}
    if check.layout.wide:
        needs_year = any(y is None for y, _q in check.layout.periods.values())
        year_col = check.get("year", read_year, required=needs_year)
        for col, (year, quarter) in check.layout.periods.items():
            value = check.raw(col)
            if is_blank(value):
                yield col, None
                continue
            if quarter is not None and not 1 <= quarter <= 4:
                check.fail(col, "upload.err.quarter_range", quarter=quarter)
                continue
            if year is not None and not YEAR_MIN <= year <= year_max():
                check.fail(col, "upload.err.year_range", year=year, lo=YEAR_MIN, hi=year_max())
                continue
            year = year if year is not None else year_col
            fig = check.read_col(col, lambda v: read_figure(v, unit_hint, ind)) if ind else None
            fig = with_qualifier(check, col, fig, qualifier)
            if org is None or ind is None or year is None or fig is None:
                continue
            yield col, _obs(org, ind, year, quarter, fig, base)
        return
    if "year" in check.layout.fields:
        year = check.get("year", read_year, required=True)
        quarter = check.get("quarter", read_quarter)
    else:  # one 期间 column: 2025 / 2025Q1 / 2025年一季度
        year, quarter = check.get("period", read_period, required=True) or (None, None)
    value_col = check.layout.fields["value"]
    if is_blank(check.raw(value_col)):
        yield value_col, None
        return
    fig = check.read_col(value_col, lambda v: read_figure(v, unit_hint, ind)) if ind else None
    fig = with_qualifier(check, value_col, fig, qualifier)
    if org is None or ind is None or year is None or fig is None or check.problems:
        return
    yield value_col, _obs(org, ind, year, quarter, fig, base)


def _obs(
    org: Org, ind: Indicator, year: int, quarter: int | None, fig: Parsed, base: Record
) -> Record:
    """An observation record (without batch and source ids)."""
    return {
        "org_id": org.id,
        "indicator_id": ind.id,
        "year": year,
        "quarter": quarter,
        "value": fig.value,
        "qualifier": fig.qualifier,
        **base,
    }


def target_records(
    check: RowCheck, catalog: Catalog, file_name: str
) -> Iterable[tuple[int, Record | None]]:
    """The target of one row."""
    org = check.ref("org", "org", catalog)
    ind = check.ref("indicator", "indicator", catalog)
    year = check.get("year", read_year, required=True)
    base_year = check.get("base_year", read_year)
    quarter = check.get("quarter", read_quarter)
    unit_hint = check.get("unit", read_text, default=check.layout.unit)
    qualifier = check.get("qualifier", read_qualifier)
    comparator = check.get(
        "comparator", lambda v: read_choice(v, COMPARATOR_SPELLINGS, ">="), default=">="
    )
    plan = check.get("plan", text_of(Target, "plan_zh"), required=True)
    plan_en = check.get("plan_en", text_of(Target, "plan_en"), default="")
    locator, source_id = _locator(check, file_name, catalog)
    value_col = check.layout.fields["value"]
    if is_blank(check.raw(value_col)):
        yield value_col, None
        return
    fig = check.read_col(value_col, lambda v: read_figure(v, unit_hint, ind)) if ind else None
    fig = with_qualifier(check, value_col, fig, qualifier)
    if year is not None and base_year is not None and base_year > year:
        check.fail(
            check.layout.fields["base_year"],
            "upload.err.base_year_after",
            base=base_year,
            year=year,
        )
    if check.problems or org is None or ind is None or fig is None:
        return
    yield (
        value_col,
        {
            "org_id": org.id,
            "indicator_id": ind.id,
            "year": year,
            "base_year": base_year,
            "quarter": quarter,
            "value": fig.value,
            "comparator": comparator,
            "qualifier": fig.qualifier,
            "plan_zh": plan,
            "plan_en": plan_en,
            "locator": locator,
            "source_id": source_id,
        },
    )


def _station_type() -> Callable[[object], str]:
    """A reader of station types by code or zh/en name, with suggestions."""

    def reader(value: object) -> str:
        """The station type code a cell names; CellError with a hint if none."""
        code = TYPE_NAMES.get(norm(value))
        if code is None:
            raise CellError(
                "upload.err.unknown_type",
                text=cell_text(value),
                hint=Hint(close_names(cell_text(value), TYPE_LABELS)),
            )
        return code

    return reader


def station_code(org: Org, name: str) -> str:
    """A stable code for a station uploaded without one: org code + a hash of its name."""
    return f"{org.code}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def station_records(
    check: RowCheck, catalog: Catalog, file_name: str
) -> Iterable[tuple[int, Record | None]]:
    """The station of one row."""
    code = check.get("code", text_of(Station, "code"), default="")
    name = check.get("name", text_of(Station, "name_zh"), required=True)
    name_en = check.get("name_en", text_of(Station, "name_en"), default="")
    kind = check.get("type", _station_type(), required=True)
    org = check.ref("org", "org", catalog)
    town = check.get("town", text_of(Station, "town"), default="")
    address = check.get("address", text_of(Station, "address"), default="")
    lat = check.get("lat", read_coord, required=True)
    lon = check.get("lon", read_coord, required=True)
    precision = check.get(
        "precision", lambda v: read_choice(v, PRECISION_SPELLINGS, "landmark"), default="landmark"
    )
    opened = check.get(
        "opened_year",
        lambda v: read_int(
            v, OPENED_MIN, year_max(), "upload.err.bad_year", "upload.err.year_range"
        ),
    )
    status = check.get("status", lambda v: read_choice(v, STATUS_WORDS, "open"), default="open")
    locator, source_id = _locator(check, file_name, catalog)
    if lat is not None and lon is not None and not inside_china(lat, lon):
        col = check.layout.fields["lat"]
        key = "upload.err.swapped" if inside_china(lon, lat) else "upload.err.outside_china"
        check.fail(col, key, lat=lat, lon=lon)
    if check.problems or org is None or name is None or kind is None:
        return
    if not code:
        code = catalog.station_codes.get((org.id, name)) or station_code(org, name)
    yield (
        check.layout.fields["name"],
        {
            "code": code,
            "name_zh": name,
            "name_en": name_en,
            "type": kind,
            "org_id": org.id,
            "town": town,
            "address": address,
            "lat": lat,
            "lon": lon,
            "precision": precision,
            "opened_year": opened,
            "status": status,
            "locator": locator,
            "source_id": source_id,
        },
    )
