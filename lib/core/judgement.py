"""The one target judgement, on the figure model (lib.core.figures): a target's actual, 完成率,
one status from one decision table (:data:`DECISIONS`), 序时进度 where it adds to the status, and
the words for each (:func:`basis_text`, :func:`status_text`, :func:`time_text`,
:func:`ratio_text`). Every surface judges a target through :func:`judge` / :func:`judge_plan`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lib.core import metrics
from lib.core.figures import (
    TO_DATE,
    YEAR,
    Figure,
    FigureSet,
    Key,
    Period,
    merge_qualifiers,
    roll_up,
    value_shown,
)
from lib.core.i18n import t
from lib.core.numbers import DASH, format_pct

DONE, IN_PROGRESS, BEHIND, UNPROVEN, NO_DATA = (
    "done",  # 已完成
    "in_progress",  # 进行中
    "behind",  # 滞后
    "unproven",  # 无法判定: a floor (余) below a ≥ target, or under a ≤ ceiling, proves nothing
    "no_data",  # 暂无完成数据
)
STATUSES = (DONE, IN_PROGRESS, BEHIND, UNPROVEN, NO_DATA)

# The one decision table: (reading, comparator, meets, timing) -> status.
# reading: exact | floor (a 余 figure, or a campaign part of a flow year) | about (an estimate,
# judged by its value); meets: the shown value meets the target; timing: over (a full-year
# actual, or the year is past), on_pace / off_pace (quarters to date against the share of the
# year they cover, ≥ targets), running (the year is not over, no pace to judge by).
DECISIONS: dict[tuple[str, str, bool, str], str] = {}
for _trust in ("exact", "about"):
    DECISIONS |= {
        (_trust, ">=", True, "over"): DONE,
        (_trust, ">=", True, "on_pace"): DONE,
        (_trust, ">=", True, "off_pace"): DONE,
        (_trust, ">=", True, "running"): DONE,
        (_trust, ">=", False, "over"): BEHIND,
        (_trust, ">=", False, "on_pace"): IN_PROGRESS,
        (_trust, ">=", False, "off_pace"): BEHIND,
        (_trust, ">=", False, "running"): IN_PROGRESS,
        (_trust, "<=", True, "over"): DONE,
        (_trust, "<=", True, "running"): IN_PROGRESS,
        (_trust, "<=", False, "over"): BEHIND,
        (_trust, "<=", False, "running"): IN_PROGRESS,
    }
DECISIONS |= {
    ("floor", ">=", True, "over"): DONE,
    ("floor", ">=", True, "on_pace"): DONE,
    ("floor", ">=", True, "off_pace"): DONE,
    ("floor", ">=", True, "running"): DONE,
    ("floor", ">=", False, "over"): UNPROVEN,
    ("floor", ">=", False, "on_pace"): IN_PROGRESS,
    ("floor", ">=", False, "off_pace"): UNPROVEN,
    ("floor", ">=", False, "running"): IN_PROGRESS,
    ("floor", "<=", True, "over"): UNPROVEN,
    ("floor", "<=", True, "running"): IN_PROGRESS,
    ("floor", "<=", False, "over"): BEHIND,
    ("floor", "<=", False, "running"): BEHIND,
}


@dataclass(frozen=True)
class Judgement:
    """A target judged: its actual, 完成率, one status, and 序时进度 only where it adds to it."""

    actual: Figure | None
    period: Period | None  # what the actual covers
    floor: bool
    ratio: float | None
    status: str
    time_share: float | None  # share of the year the to-date actual covers (shown with a flag)
    time_flag: str | None  # metrics.AHEAD_OF_TIME / BEHIND_TIME, or None when not shown
    through_year: int | None = None  # multi-year plans: the last year counted


def decide(reading: str, comparator: str, meets: bool, timing: str) -> str:
    """The status from the decision table (≤ targets have no pace: on/off pace read running)."""
    if comparator == "<=" and timing in ("on_pace", "off_pace"):
        timing = "running"
    return DECISIONS[(reading, comparator, meets, timing)]


def _reading(fig: Figure, floor: bool) -> str:
    """exact / floor / about: how far a figure's value can be trusted against a target."""
    if floor or fig.qualifier == "at_least":
        return "floor"
    return "about" if fig.qualifier == "about" else "exact"


def judge(
    fs: FigureSet, org: str, indicator: str, year: int, target: float, comparator: str, today: date
) -> Judgement:
    """A one-year target judged by the year's actual (:meth:`FigureSet.year_actual`); ``today``
    says whether the year is over (never read from the clock here)."""
    act = fs.year_actual(org, indicator, year)
    fig = act.figure
    if fig is None:
        return Judgement(None, None, False, None, NO_DATA, None, None)
    ratio = metrics.completion(fig.value, target, comparator)
    meets = metrics.meets(fig.value, target, comparator)
    share = None
    if act.period is not None and act.period.is_year:
        timing = "over"
    elif act.period is not None and act.period.kind == TO_DATE:
        share = metrics.elapsed_share(act.period.quarters)
        flag = metrics.time_progress_flag(ratio, share)
        timing = "on_pace" if flag == metrics.AHEAD_OF_TIME else "off_pace"
    else:
        timing = "over" if year < today.year else "running"
    kind = fs._kind(indicator)
    if comparator == "<=" and not meets and kind == "flow":
        timing = "over"  # a flow past its ceiling cannot come back down
    status = decide(_reading(fig, act.floor), comparator, meets, timing)
    flag = None
    if share is not None and comparator == ">=" and status in (IN_PROGRESS, BEHIND):
        flag = metrics.AHEAD_OF_TIME if status == IN_PROGRESS else metrics.BEHIND_TIME
    return Judgement(fig, act.period, act.floor, ratio, status, share if flag else None, flag)


def judge_plan(
    fs: FigureSet,
    org: str,
    indicator: str,
    span: tuple[int, int],
    target: float,
    comparator: str,
    as_of: int,
) -> Judgement:
    """A base–end multi-year plan as of a year: sum plans add full years (a missing year makes the
    total unknown), other plans read the latest full year; 序时 is the share of the plan's years."""
    base, end = span
    years = [y for y in range(base, end + 1) if y <= as_of]
    have = [y for y in years if fs.get(org, indicator, y) is not None]
    if not have:
        return Judgement(None, None, False, None, NO_DATA, None, None)
    through = max(have)
    ind = fs.indicators[indicator]
    parts = [fs.get(org, indicator, y) for y in range(base, through + 1)]
    if ind.rollup == "sum":
        if any(p is None for p in parts):
            return Judgement(None, None, False, None, NO_DATA, None, None, through)
        value = roll_up([p.value for p in parts if p], "sum")[-1]
        qual = merge_qualifiers(p.qualifier for p in parts if p)
        rows = [p for p in parts if p]
    else:
        last = fs.get(org, indicator, through)
        assert last is not None
        value, qual, rows = last.value, last.qualifier, [last]
    key = Key(org, indicator, through, YEAR)
    fig = Figure(
        key,
        float(value),  # type: ignore[arg-type]
        qual,
        tuple(i for r in rows for i in r.obs_ids),
        tuple(dict.fromkeys(s for r in rows for s in r.sources)),
        rows[-1].source_title,
        rows[-1].source_file,
        rows[-1].locator,
    )
    share = (through - base + 1) / (end - base + 1)
    ratio = metrics.completion(fig.value, target, comparator)
    meets = metrics.meets(fig.value, target, comparator)
    over = as_of > end or through == end
    flag_raw = metrics.time_progress_flag(ratio, share)
    timing = "over" if over else ("on_pace" if flag_raw == metrics.AHEAD_OF_TIME else "off_pace")
    if comparator == "<=" and not meets and ind.kind == "flow":
        timing = "over"
    status = decide(_reading(fig, False), comparator, meets, timing)
    flag = None
    if not over and comparator == ">=" and status in (IN_PROGRESS, BEHIND):
        flag = metrics.AHEAD_OF_TIME if status == IN_PROGRESS else metrics.BEHIND_TIME
    return Judgement(fig, YEAR, False, ratio, status, share if flag else None, flag, through)


def basis_text(j: Judgement, lang: str, base: int | None = None) -> str:
    """What a target's actual is: 全年, 1—3季度累计, 仅…（下限）, 2025—2026年 for plans."""
    if j.actual is None or j.period is None:
        return ""
    if j.through_year is not None and base is not None:
        return t("basis.plan", lang, start=base, through=j.through_year)
    if j.floor:
        return t("basis.sub", lang, note=j.period.label(lang))
    return j.period.label(lang)


COMPARATOR_SIGNS = {">=": "≥", "<=": "≤"}
COMPARATOR_WORDS = {">=": ("不少于", "at least"), "<=": ("不超过", "at most")}


def target_phrase(
    value: float,
    comparator: str,
    qualifier: str,
    unit_zh: str,
    unit_en: str,
    lang: str,
    prose: bool = False,
) -> str:
    """A target as every surface states it: "≥ 85%" in a table (targets and sources pages,
    slides, PPTX, PDF), "不少于85%" / "at least 85%" inside a sentence (the written summary)."""
    shown = value_shown(value, qualifier, unit_zh, unit_en, lang)
    if prose:
        zh, en = COMPARATOR_WORDS.get(comparator, (comparator, comparator))
        return f"{zh}{shown}" if lang == "zh" else f"{en} {shown}"
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {shown}"


def status_text(status: str, lang: str) -> str:
    """A status as every surface names it."""
    return t(f"status.{status}", lang)


def time_text(j: Judgement, lang: str) -> str:
    """序时进度 for display ("超序时（时间已过75%）"), "—" where it adds nothing to the status."""
    if j.time_flag is None or j.time_share is None:
        return DASH
    return t(f"time.{j.time_flag}", lang, share=format_pct(j.time_share * 100, lang, digits=0))


def ratio_text(j: Judgement, lang: str) -> str:
    """完成率 for display ("78.5%", "≥90.0%" for a floor, "≈" for an estimate, "—")."""
    if j.ratio is None:
        return DASH
    text = format_pct(j.ratio * 100, lang)
    if j.actual is not None and (j.floor or j.actual.qualifier == "at_least"):
        return "≥" + text
    if j.actual is not None and j.actual.qualifier == "about":
        return "≈" + text
    return text
