"""Upload templates: a CSV (UTF-8 with BOM, so Excel opens it), an .xlsx and an Excel 97–2003 .xls
per kind of data (observations, targets, stations), the Excel ones carrying on further sheets the
indicator catalogue, the orgs, (for stations) the station types, and the known period notes or town
names with their English forms (data/seed/labels.csv); the quarterly 报表 form
(lib.ingest.report_template) as .xlsx and .xls; plus the catalogue alone as CSV. Lines whose first
cell starts with # are notes: the importer skips them, so a template uploads as-is."""

from __future__ import annotations

import csv
import io

import polars as pl

from lib.core.catalog import STATION_TYPE_TERMS, data_label_pairs
from lib.ingest.report_template import (
    ReportRow,
    Sheet,
    list_sheet,
    report_sheet,
    workbook_bytes,
    xls_bytes,
)

BOM = "\ufeff"

# (zh header, en header) per kind; every header is one the importer accepts (lib.ingest.importer.COLUMNS).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "observations": (
        ("单位", "org"),
        ("指标", "indicator"),
        ("年份", "year"),
        ("季度", "quarter"),
        ("数值", "value"),
        ("计量单位", "unit"),
        ("期间说明", "period_note"),
        ("原文位置", "locator"),
        ("来源", "source"),
    ),
    "targets": (
        ("单位", "org"),
        ("指标", "indicator"),
        ("年份", "year"),
        ("起始年份", "base_year"),
        ("季度", "quarter"),
        ("目标值", "target"),
        ("计量单位", "unit"),
        ("比较", "comparator"),
        ("依据", "plan"),
        ("依据英文", "plan_en"),
        ("原文位置", "locator"),
        ("来源", "source"),
    ),
    "stations": (
        ("编号", "code"),
        ("名称", "name"),
        ("英文名称", "name_en"),
        ("类型", "type"),
        ("单位", "org"),
        ("镇街", "town"),
        ("地址", "address"),
        ("纬度", "lat"),
        ("经度", "lon"),
        ("定位精度", "precision"),
        ("建成年份", "opened_year"),
        ("状态", "status"),
        ("原文位置", "locator"),
        ("来源", "source"),
    ),
}

SHEET_NAMES = {
    "observations": ("指标数据", "observations"),
    "targets": ("目标", "targets"),
    "stations": ("服务阵地", "stations"),
}
CATALOG_SHEET = ("指标目录", "indicators")
ORG_SHEET = ("单位", "orgs")
TYPE_SHEET = ("阵地类型", "station types")
# Data labels with their English forms (data/seed/labels.csv), per kind of template.
LABEL_SHEETS = {
    "observations": (
        "period",
        ("期间说明", "period notes"),
        (("期间说明", "英文"), ("period note (Chinese)", "English form")),
    ),
    "stations": ("town", ("镇街", "towns"), (("镇街", "英文"), ("town (Chinese)", "English form"))),
}

NOTES: dict[str, tuple[str, str]] = {
    "observations": (
        "# 说明：每行一个数据。单位、指标可填代码或名称（见“指标目录”）；季度填 Q1/1/一季度，全年留空；"
        "数值可写 3396、3,396、1.8万、1.8万余、近2万、85%以上；空白表示无数据（不是零）。以 # 开头的行不导入。",
        "# One figure per row. Org and indicator by code or name (see the indicator catalogue); "
        "quarter Q1/1, blank for the whole year; values like 3396, 3,396, 1.8万, 85%以上; "
        "blank = no figure (not zero). Lines starting with # are not imported.",
    ),
    "targets": (
        "# 说明：每行一个目标。比较填 ≥ 或 ≤（默认 ≥）；依据填目标出自的文件或规划；以 # 开头的行不导入。",
        "# One target per row. Comparator >= or <= (default >=); plan names the document the "
        "target comes from. Lines starting with # are not imported.",
    ),
    "stations": (
        "# 说明：每行一个服务阵地。坐标为 WGS-84 十进制度（纬度约 39.7，经度约 116.3）；"
        "类型填代码或名称（见“阵地类型”）；定位精度：实测/地标/镇街中心；状态：运行/试运行/关闭。以 # 开头的行不导入。",
        "# One station per row. WGS-84 decimal degrees (lat about 39.7, lon about 116.3); type by "
        "code or name; precision surveyed/landmark/town_centroid; status open/trial/closed. "
        "Lines starting with # are not imported.",
    ),
}

EXAMPLES: dict[str, tuple[str, ...]] = {
    "observations": (
        "# 示例 daxing",
        "members_recruited",
        "2025",
        "Q1",
        "1.8万余",
        "人",
        "",
        "",
        "",
    ),
    "targets": (
        "# 示例 daxing",
        "mental_stations_new",
        "2026",
        "",
        "",
        "2",
        "家",
        "≥",
        "2026年工作要点",
        "",
        "",
        "",
    ),
    "stations": (
        "# 示例 dx_example",
        "某某职工之家",
        "",
        "职工之家",
        "daxing",
        "黄村镇",
        "某某路1号",
        "39.7268",
        "116.3412",
        "地标",
        "2025",
        "运行",
        "",
        "",
    ),
}


def _lang_index(lang: str) -> int:
    """0 for zh, 1 for en."""
    return 1 if lang == "en" else 0


def headers(kind: str, lang: str = "zh") -> list[str]:
    """The template's column headers for a kind in a language."""
    return [pair[_lang_index(lang)] for pair in COLUMNS[kind]]


def template_file_name(kind: str, lang: str, ext: str) -> str:
    """The download name of a template, e.g. 模板_指标数据.csv / template_observations.xlsx."""
    if lang == "en":
        return f"template_{kind}.{ext}"
    return f"模板_{SHEET_NAMES[kind][0]}.{ext}"


def _csv_bytes(rows: list[list[str]]) -> bytes:
    """Rows as CSV text in UTF-8 with a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(rows)
    return (BOM + buf.getvalue()).encode("utf-8")


def template_csv(kind: str, lang: str = "zh") -> bytes:
    """The CSV template of a kind: a note, the header and a commented example row."""
    i = _lang_index(lang)
    return _csv_bytes([[NOTES[kind][i]], headers(kind, lang), list(EXAMPLES[kind])])


CATALOG_COLUMNS = ("code", "name_zh", "name_en", "unit_zh", "unit_en", "kind", "aliases")
CATALOG_HEADERS = (
    ("代码", "名称", "英文名称", "计量单位", "英文单位", "类型", "别名"),
    ("code", "name (zh)", "name (en)", "unit (zh)", "unit (en)", "kind", "aliases"),
)


def catalog_rows(indicators: pl.DataFrame, lang: str = "zh") -> list[list[str]]:
    """The indicator catalogue as rows (header first): code, names, units, kind, aliases."""
    rows = [list(CATALOG_HEADERS[_lang_index(lang)])]
    for rec in indicators.select(CATALOG_COLUMNS).iter_rows():
        rows.append(["" if v is None else str(v) for v in rec])
    return rows


def catalog_csv(indicators: pl.DataFrame, lang: str = "zh") -> bytes:
    """The indicator catalogue as a CSV with a BOM."""
    return _csv_bytes(catalog_rows(indicators, lang))


def template_sheets(
    kind: str, lang: str, indicators: pl.DataFrame, orgs: pl.DataFrame
) -> list[Sheet]:
    """The Excel template's sheets: data sheet (note, bold header, # example), then the indicator
    catalogue, the orgs (and the station types)."""
    i = _lang_index(lang)
    names = headers(kind, lang)
    data = Sheet(
        SHEET_NAMES[kind][i],
        [[NOTES[kind][i]], list[object](names), list(EXAMPLES[kind])],
        bold={1},
        widths=[max(10, len(name) * 2 + 4) for name in names],
        freeze=2,
    )
    sheets = [
        data,
        list_sheet(CATALOG_SHEET[i], catalog_rows(indicators, lang), (34, 30)),
        list_sheet(ORG_SHEET[i], org_rows(orgs, lang), (16, 24, 44)),
    ]
    if kind == "stations":
        head = ["代码", "名称", "英文名称"] if i == 0 else ["code", "name (zh)", "name (en)"]
        types = [[t.code, t.zh, t.en] for t in STATION_TYPE_TERMS]
        sheets.append(list_sheet(TYPE_SHEET[i], [head, *types], (16, 16, 24)))
    if kind in LABEL_SHEETS:
        label_kind, titles, heads = LABEL_SHEETS[kind]
        pairs = [list(pair) for pair in data_label_pairs(label_kind)]
        sheets.append(list_sheet(titles[i], [list(heads[i]), *pairs], (34, 40)))
    return sheets


def template_xlsx(kind: str, lang: str, indicators: pl.DataFrame, orgs: pl.DataFrame) -> bytes:
    """The .xlsx template of a kind (template_sheets)."""
    return workbook_bytes(template_sheets(kind, lang, indicators, orgs))


def template_xls(kind: str, lang: str, indicators: pl.DataFrame, orgs: pl.DataFrame) -> bytes:
    """The Excel 97–2003 .xls template of a kind (template_sheets; at most 65,535 orgs)."""
    return xls_bytes(template_sheets(kind, lang, indicators, orgs))


REPORT_EXTENSIONS = ("xlsx", "xls")


def report_file_name(lang: str, ext: str, year: int) -> str:
    """The download name of the 报表 form: 模板_季度报表_2026.xls / template_quarterly_report_2026.xls."""
    if lang == "en":
        return f"template_quarterly_report_{year}.{ext}"
    return f"模板_季度报表_{year}.{ext}"


def org_rows(orgs: pl.DataFrame, lang: str = "zh") -> list[list[str]]:
    """The orgs as rows (header first): code, Chinese name, English name."""
    head = ["代码", "名称", "英文名称"] if lang != "en" else ["code", "name (zh)", "name (en)"]
    body = orgs.select("code", "name_zh", "name_en").iter_rows()
    return [head, *(["" if v is None else str(v) for v in rec] for rec in body)]


def template_report(
    ext: str,
    lang: str,
    year: int,
    indicators: pl.DataFrame,
    orgs: pl.DataFrame,
    rows: tuple[ReportRow, ...] = (),
) -> bytes:
    """The 报表 form of a year as .xlsx or .xls (ext), with the catalogue and the orgs on further
    sheets; `rows` fills it in (the downloads are blank)."""
    i = _lang_index(lang)
    sheets = [
        report_sheet(year, lang, rows),
        list_sheet(CATALOG_SHEET[i], catalog_rows(indicators, lang), (34, 30, 40)),
        list_sheet(ORG_SHEET[i], org_rows(orgs, lang), (16, 24, 44)),
    ]
    return xls_bytes(sheets) if ext == "xls" else workbook_bytes(sheets)
