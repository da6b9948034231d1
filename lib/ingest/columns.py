"""The column vocabulary of uploads: the columns each kind of file may have and the header names
each accepts (Chinese or English), the words accepted in the small coded columns (comparator,
precision, status, qualifier, station type), period headers of wide files (2025Q1, 2025年一季度,
全年), and the matching key every name is compared by. Pure data and text; imports lib.core only."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from lib.core.catalog import STATION_TYPES


@dataclass(frozen=True)
class Col:
    """A column the importer understands: its field, the header names it accepts, required?"""

    field: str
    names: tuple[str, ...]
    required: bool = False


_ORG: tuple[str, ...] = ("单位", "单位代码", "单位名称", "填报单位", "所属单位", "工会", "组织")
_ORG += ("org", "org_code", "organisation", "organization", "org_name")
_SOURCE = ("来源", "来源代码", "数据来源", "source", "source_code")
_LOCATOR = ("原文位置", "出处", "备注", "说明", "locator", "note", "notes", "remark")
_INDICATOR: tuple[str, ...] = ("指标", "指标代码", "指标名称", "指标项", "项目", "indicator")
_INDICATOR += ("indicator_code", "indicator_name", "kpi")
_QUALIFIER = ("限定", "限定词", "数值限定", "qualifier")


OBSERVATION_COLUMNS = (
    Col("org", _ORG, True),
    Col("indicator", _INDICATOR, True),
    Col("year", ("年份", "年度", "年", "year"), True),
    Col("quarter", ("季度", "季", "quarter")),
    Col("period", ("期间", "统计期间", "时期", "报告期", "period")),
    Col("value", ("数值", "数据", "值", "数量", "完成值", "实际值", "value", "actual"), True),
    Col("unit", ("计量单位", "unit")),
    Col("qualifier", _QUALIFIER),
    Col("period_note", ("期间说明", "时段说明", "period_note")),
    Col("locator", _LOCATOR),
    Col("source", _SOURCE),
)
TARGET_COLUMNS = (
    Col("org", _ORG, True),
    Col("indicator", _INDICATOR, True),
    Col("year", ("年份", "目标年份", "年度", "year"), True),
    Col("base_year", ("起始年份", "基期年份", "base_year")),
    Col("quarter", ("季度", "quarter")),
    Col("value", ("目标值", "目标", "数值", "value", "target"), True),
    Col("unit", ("计量单位", "unit")),
    Col("qualifier", _QUALIFIER),
    Col("comparator", ("比较", "比较符", "comparator")),
    Col("plan", ("依据", "规划", "计划", "目标依据", "plan", "plan_zh"), True),
    Col("plan_en", ("依据英文", "plan_en")),
    Col("locator", _LOCATOR),
    Col("source", _SOURCE),
)
STATION_COLUMNS = (
    Col("code", ("编号", "阵地编号", "代码", "code", "station_code")),
    Col("name", ("名称", "阵地名称", "站点名称", "name", "name_zh"), True),
    Col("name_en", ("英文名称", "name_en")),
    Col("type", ("类型", "阵地类型", "type"), True),
    Col("org", _ORG, True),
    Col("town", ("镇街", "街道", "乡镇", "town")),
    Col("address", ("地址", "address")),
    Col("lat", ("纬度", "lat", "latitude"), True),
    Col("lon", ("经度", "lon", "lng", "longitude"), True),
    Col("precision", ("定位精度", "精度", "precision")),
    Col("opened_year", ("建成年份", "开放年份", "opened_year")),
    Col("status", ("状态", "status")),
    Col("locator", _LOCATOR),
    Col("source", _SOURCE),
)

# Names of the templates' sheets (and what people call them), per kind.
OBSERVATION_SHEETS = ("指标数据", "数据", "observations")
TARGET_SHEETS = ("目标", "targets")
STATION_SHEETS = ("服务阵地", "阵地", "stations")

COMPARATOR_SPELLINGS = {
    ">=": ">=",
    "≥": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "至少": ">=",
    "以上": ">=",
    "<=": "<=",
    "≤": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "至多": "<=",
    "以下": "<=",
}
PRECISION_SPELLINGS = {
    "surveyed": "surveyed",
    "实测": "surveyed",
    "测绘": "surveyed",
    "landmark": "landmark",
    "地标": "landmark",
    "town_centroid": "town_centroid",
    "镇街中心": "town_centroid",
    "街道中心": "town_centroid",
}
STATUS_WORDS = {
    "open": "open",
    "运行": "open",
    "开放": "open",
    "正常": "open",
    "trial": "trial",
    "试运行": "trial",
    "closed": "closed",
    "关闭": "closed",
    "停用": "closed",
}


QUALIFIER_SPELLINGS = {
    "exact": "exact",
    "精确": "exact",
    "准确": "exact",
    "确数": "exact",
    "at_least": "at_least",
    "atleast": "at_least",
    "余": "at_least",
    "多": "at_least",
    "以上": "at_least",
    "至少": "at_least",
    "about": "about",
    "约": "about",
    "近": "about",
    "大约": "about",
    "左右": "about",
}


def norm(text: object) -> str:
    """A matching key: NFKC, lower case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def norm_header(text: object) -> str:
    """A header's matching key: norm() without a trailing (…) note or * marker."""
    key = norm(text).replace("*", "")
    return re.sub(r"\(.*\)$", "", key) or key


def _header_keys() -> frozenset[str]:
    """The matching keys of every column name of every kind."""
    every = (*OBSERVATION_COLUMNS, *TARGET_COLUMNS, *STATION_COLUMNS)
    return frozenset(norm_header(n) for c in every for n in c.names)


HEADER_KEYS = _header_keys()

CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_Q = r"(?:第)?(?:q(?P<qa>\d+)|(?P<qb>\d+|[一二三四五六七八九])季度?)"
_PERIOD_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})(?:年度?|年全年|全年|fullyear|annual)?$"),
    re.compile(r"^(?P<y>\d{4})(?:年度?|[-/_.])?" + _Q + r"$"),
    re.compile(r"^q(?P<qa>\d+)(?:[-/_.]|年)?(?P<y>\d{4})$"),
    re.compile(r"^" + _Q + r"$"),
)


# Headers of a wide file's full-year column, whose year comes from the row's year column.
ANNUAL_HEADERS = frozenset(
    {
        "全年",
        "全年度",
        "全年数",
        "全年合计",
        "年度合计",
        "年度数",
        "annual",
        "fullyear",
        "full_year",
    }
)


def parse_period_header(
    header: object,
) -> tuple[int | None, int | None] | None:
    """(year, quarter) named by a wide-layout column header like 2025Q1 or 2025年一季度, (None,
    None) for a full-year column (全年, annual) whose year is in the row; else None."""
    key = norm_header(header)
    if key in ANNUAL_HEADERS:
        return None, None
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(key)
        if m:
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else None
            q = groups.get("qa") or groups.get("qb")
            quarter = (int(q) if q.isdigit() else CN_NUM[q]) if q else None
            if year is None and quarter is None:
                return None
            return year, quarter
    return None


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


TYPE_NAMES = {
    norm(n): code for code, term in STATION_TYPES.items() for n in (code, term.zh, term.en)
}
TYPE_LABELS = {
    norm(n): f"{term.zh}（{code}）"
    for code, term in STATION_TYPES.items()
    for n in (code, term.zh, term.en)
}


def close_names(text: str, names: dict[str, str]) -> tuple[str, ...]:
    """The names (values of `names`, keyed by matching key) closest to text, at most three."""
    shown: list[str] = []
    for key in difflib.get_close_matches(norm(text), list(names), n=8, cutoff=0.4):
        if names[key] not in shown:
            shown.append(names[key])
    return tuple(shown[:3])
