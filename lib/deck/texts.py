"""The deck's frame and the presenter's own words (no streamlit): the cover (org, meeting, date,
数据截至 — never upload file names), 汇报提纲 (the sections present, in their order), the three
text sections the presenter writes (存在的问题和不足, 下一步工作打算, 提请协调解决的事项; empty
ones are left out, nothing is invented), 资料来源 (each article the slides shown draw on, with
its newspaper and date, or 报纸名称与日期原文未载, and the sections that use it) and the closing
slide.

Where an article names a plan, :func:`suggestion` offers it as a quoted, cited starting line for
下一步工作打算 that the presenter can keep or delete.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.core.i18n import t
from lib.deck.model import DeckPlan, Slide, Table
from lib.deck.payload import Facts, format_as_of

TEXT_SECTIONS = ("problems", "next_steps", "coordination")
NUMERALS = "一二三四五六七八九"


@dataclass(frozen=True)
class PlanLine:
    """A plan an article names: whose, the years it runs, the article, and a line citing it."""

    org: str
    first: int
    last: int
    source: str
    zh: str
    en: str


# The 2025 joint-meeting article (003): the federation will carry out the 2025–2027 outline of
# the industrial-workforce reform (产改). Only the outline's name is quoted.
PLAN_LINES = (
    PlanLine(
        "daxing",
        2025,
        2027,
        "src_2025_joint_meeting",
        "实施《大兴区产业工人队伍建设改革的实施纲要（2025-2027）》，推进产业工人队伍建设改革"
        "（来源：联席会议报道《大兴区总工会启动2025至2027年“产改”实施纲要》）",
        "Carry out the Daxing outline of the industrial-workforce reform, 2025–2027 "
        "(《大兴区产业工人队伍建设改革的实施纲要（2025-2027）》; source: the joint-meeting "
        "article)",
    ),
)


def suggestion(org: str, year: int) -> PlanLine | None:
    """The named plan that runs into the years after a deck's year, if an article names one."""
    for line in PLAN_LINES:
        if line.org == org and line.first <= year + 1 <= line.last:
            return line
    return None


def suggestion_text(line: PlanLine, lang: str) -> str:
    """A plan line's text in a language."""
    return line.zh if lang == "zh" else line.en


def cover_slide(facts: Facts, lang: str) -> Slide:
    """The cover: org, the year's report, the meeting, the date; the stamp is its footnote."""
    when = format_as_of(facts.payload["as_of"], lang)[:10]
    return Slide(
        "title",
        facts.org_name(lang),
        subtitle=t("present.slide.title", lang, year=facts.year),
        paragraphs=[t("present.slide.title_sub", lang), t("deck.cover.date", lang, date=when)],
        section="cover",
    )


def closing_slide(facts: Facts, lang: str) -> Slide:
    """The closing slide: thanks, and whose report it was."""
    return Slide(
        "title",
        t("deck.slide.closing", lang),
        subtitle=facts.org_name(lang),
        section="closing",
    )


def text_slide(facts: Facts, plan: DeckPlan, section: str, lang: str) -> Slide | None:
    """A text section as the presenter wrote it, one paragraph a line (None when empty); a kept
    plan line cites its article."""
    lines = [x.strip() for x in plan.text(section, lang).splitlines() if x.strip()]
    if not lines:
        return None
    line = suggestion(facts.org, facts.year)
    cited = line is not None and any(suggestion_text(line, lang)[:20] in x for x in lines)
    sources = [line.source] if cited and line is not None else []
    notes = [t("deck.notes.written", lang)]
    if sources:
        notes.append(t("deck.notes.cited", lang, title=facts.source_title(sources[0], lang)))
    return Slide(
        "summary",
        t(f"deck.section.{section}", lang),
        paragraphs=lines,
        sources=sources,
        section=section,
        notes="\n".join(notes),
    )


def section_name(slide: Slide, lang: str) -> str:
    """How a section is named in the agenda: the category, or the section's own name."""
    if slide.section.startswith("category:"):
        return slide.title.removesuffix(t("present.slide.category_more", lang, category=""))
    return t(f"deck.section.{slide.section}", lang)


def zh_numeral(n: int) -> str:
    """A number from 1 to 99 in Chinese numerals: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else f"{NUMERALS[tens - 1]}十"
    return head + (NUMERALS[ones - 1] if ones else "")


def agenda_slide(shown: list[Slide], lang: str) -> Slide | None:
    """汇报提纲: the sections of the slides shown, in their order (None when there are none)."""
    frame = ("cover", "agenda", "sources", "closing")
    names = list(dict.fromkeys(section_name(s, lang) for s in shown if s.section not in frame))
    if not names:
        return None
    items = [
        f"{zh_numeral(n + 1)}、{name}" if lang == "zh" else f"{n + 1}. {name}"
        for n, name in enumerate(names)
    ]
    return Slide("summary", t("deck.slide.agenda", lang), paragraphs=items, section="agenda")


def sources_slide(shown: list[Slide], facts: Facts, lang: str) -> Slide | None:
    """资料来源: every article the slides shown draw on, in order of first use, with its newspaper
    and date (报纸名称与日期原文未载 when it names none) and the sections using it (None when no
    slide cites one)."""
    used: dict[str, list[str]] = {}
    for slide in shown:
        for code in slide.sources:
            names = used.setdefault(code, [])
            if (name := section_name(slide, lang)) not in names:
                names.append(name)
    if not used:
        return None
    sep = "、" if lang == "zh" else ", "
    rows = tuple(
        (
            facts.source_title(code, lang),
            facts.citation(code, lang) or t("present.cite_unknown", lang),
            sep.join(names),
        )
        for code, names in used.items()
    )
    header = tuple(t(f"deck.sources.{col}", lang) for col in ("article", "where", "used"))
    return Slide(
        "sources",
        t("deck.section.sources", lang),
        table=Table(header, rows),
        sources=list(used),
        section="sources",
        notes=t("deck.notes.sources", lang),
    )
