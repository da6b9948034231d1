"""The written summary of a meeting pack (工作综述): short sentences in the register of a Chinese work
report, filled from templates with the figures of a payload (no language model, no streamlit).

Every sentence carries the references (indicator, year, period, value, source, locator) of the
numbers it states, so each number can be traced to its source. Figures, 同比, statuses and their
wording all come from lib.core.figures (through lib.deck.payload.Facts), as on every other
surface; sub-period (campaign) figures get their own sentence and are never added to or compared
with full-year figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.core.figures import TO_DATE, change_words
from lib.core.i18n import t
from lib.core.judgement import STATUSES, status_text, target_phrase
from lib.deck.payload import Facts
from lib.deck.phrases import (
    CLAUSES,
    FALLBACK,
    LEADS,
    NAMED_TARGETS,
    PARTS,
    REPORT_ORDER,
    TARGETS_ALL,
    TARGETS_MIXED,
    TARGETS_NAMED,
)

ITEMS_PER_CATEGORY = 3
ITEMS_PER_PLAN = 4


@dataclass(frozen=True)
class Ref:
    """Where a number in a sentence comes from."""

    indicator: str
    year: int
    period_note: str
    value: float
    qualifier: str
    shown: str
    source: str
    locator: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of the summary and the references of the numbers it states."""

    text: str
    refs: tuple[Ref, ...]


def _ref(facts: Facts, fig: Any, lang: str) -> Ref:
    """The reference of a figure as shown."""
    return Ref(
        fig.indicator,
        fig.year,
        fig.period.code,
        fig.value,
        fig.qualifier,
        facts.shown(fig, lang),
        fig.source,
        fig.locator,
    )


def _clause(facts: Facts, fig: Any, lang: str, with_change: bool) -> str:
    """One figure as a clause with a verb (lib.deck.phrases), with its 同比 when comparable; a
    stock without its own clause says it is a stock."""
    value = facts.shown(fig, lang)
    pair = CLAUSES.get(fig.indicator)
    if pair is not None:
        text = pair[0 if lang == "zh" else 1].format(value=value)
    else:
        name = facts.name(fig.indicator, lang)
        stock = facts.meta[fig.indicator].kind == "stock"
        bare = name.replace("（累计）", "").replace(" (total)", "")
        key = "stock" if stock else "flow"
        text = FALLBACK[key][0 if lang == "zh" else 1].format(name=bare, value=value)
    change = facts.yoy(fig.indicator, fig.year, fig.period)
    phrase = change_words(change, facts.meta[fig.indicator].kind, lang) if with_change else None
    if phrase:
        return text + ("，" + phrase if lang == "zh" else f" ({phrase})")
    return text


def _joined(clauses: list[str], lang: str) -> str:
    """Clauses as one run: 、-free Chinese commas, or English "a, b and c"."""
    if lang == "zh":
        return "，".join(clauses)
    if len(clauses) == 1:
        return clauses[0]
    return ", ".join(clauses[:-1]) + " and " + clauses[-1]


def _pick(codes: list[str], headline: list[str], n: int) -> list[str]:
    """Up to n codes, headline indicators first, then catalogue order."""
    first = [c for c in headline if c in codes]
    rest = [c for c in codes if c not in first]
    return (first + rest)[:n]


def _with_parts(codes: list[str], picked: list[str]) -> list[str]:
    """Picked codes, each stock followed by its 其中 part when that has a figure too."""
    out: list[str] = []
    for code in picked:
        out.append(code)
        part = PARTS.get(code)
        if part in codes and part not in picked:
            out.append(part)
    return out


def _phrase_order(code: str) -> int:
    """Where a code's clause comes in a sentence: the phrase table's order, the rest after."""
    order = list(CLAUSES)
    return order.index(code) if code in order else len(order)


def _lead(cat: str, first: bool, facts: Facts, lang: str) -> str:
    """The opening of a category's sentence: the year and org first, then the verb phrase."""
    verb = LEADS[cat][0 if lang == "zh" else 1]
    if first:
        org = facts.org_name(lang)
        return (
            f"{facts.year}年，{org}{verb}，" if lang == "zh" else f"In {facts.year}, {org} {verb}: "
        )
    return f"{verb}，" if lang == "zh" else f"It {verb}: "


def category_sentences(facts: Facts, lang: str) -> list[Sentence]:
    """One sentence per category with full-year figures in the year, in work-report order."""
    year = facts.year
    out: list[Sentence] = []
    codes = facts.annual_codes(year)
    for cat in REPORT_ORDER:
        in_cat = [c for c in codes if facts.ind[c]["category"] == cat]
        if not in_cat:
            continue
        picked = _pick(in_cat, facts.payload["headline"], ITEMS_PER_CATEGORY)
        picked = _with_parts(in_cat, sorted(picked, key=_phrase_order))
        figs = [f for c in picked if (f := facts.annual(c, year)) is not None]
        items = _joined([_clause(facts, f, lang, True) for f in figs], lang)
        text = _lead(cat, not out, facts, lang) + items + ("。" if lang == "zh" else ".")
        refs = [_ref(facts, f, lang) for f in figs]
        for f in figs:
            prev = facts.annual(f.indicator, year - 1)
            if prev is not None and facts.yoy(f.indicator, year).comparable:
                refs.append(_ref(facts, prev, lang))
        out.append(Sentence(text, tuple(refs)))
    return out


def period_sentences(facts: Facts, lang: str) -> list[Sentence]:
    """One sentence per other period of the year (quarters to date with their 同比 against the
    same quarters a year earlier; a stock's date or a campaign with its own figures, named as
    such and never compared)."""
    out = []
    for period in facts.sub_periods(facts.year):
        codes = _pick(facts.sub_codes(facts.year, period), facts.payload["headline"], 4)
        figs = [facts.sub(c, facts.year, period) for c in codes]
        compare = period.kind == TO_DATE
        items = _joined([_clause(facts, f, lang, compare) for f in figs], lang)
        note = period.label(lang)
        if lang == "en":
            note, items = note[:1].upper() + note[1:], "it " + items
        text = t("summary.sub_period", lang, note=note, items=items)
        out.append(Sentence(text, tuple(_ref(facts, f, lang) for f in figs)))
    return out


def _target_ref(facts: Facts, rec: dict[str, Any], lang: str) -> Ref:
    """The reference of a target."""
    shown = facts.shown_value(rec["indicator"], rec["value"], rec["qualifier"], lang)
    return Ref(
        rec["indicator"],
        rec["year"],
        "",
        rec["value"],
        rec["qualifier"],
        shown,
        rec["source"],
        rec["locator"],
    )


def _status_word(status: str, lang: str) -> str:
    """A target status as a word inside a sentence (lower case in English)."""
    word = status_text(status, lang)
    return word.lower() if lang == "en" else word


def _plan_item(facts: Facts, rec: dict[str, Any], lang: str) -> str:
    """A target as the plan states it: name, 不少于 / 不超过, value."""
    ind = facts.meta[rec["indicator"]]
    target = target_phrase(
        rec["value"], rec["comparator"], rec["qualifier"], ind.unit_zh, ind.unit_en, lang, True
    )
    return t("summary.plan_item", lang, name=facts.name(rec["indicator"], lang), target=target)


def target_sentence(facts: Facts, lang: str) -> Sentence | None:
    """The year's targets by status: a few named with their status (暂无完成数据 where no
    completion figure exists yet, never "已完成0项"), more counted by the statuses that occur."""
    due = facts.targets_due(facts.year)
    if not due:
        return None
    statuses = [facts.judgement(r).status for r in due]
    refs = tuple(_target_ref(facts, r, lang) for r in due)
    present = [s for s in STATUSES if statuses.count(s)]
    k = 0 if lang == "zh" else 1
    if len(present) == 1 and len(due) <= NAMED_TARGETS:
        items = _joined([_plan_item(facts, r, lang) for r in due], lang)
        text = TARGETS_NAMED[k].format(
            year=facts.year, items=items, label=_status_word(present[0], lang)
        )
        return Sentence(text, refs)
    if len(present) == 1:
        label = _status_word(present[0], lang)
        return Sentence(TARGETS_ALL[k].format(year=facts.year, n=len(due), label=label), refs)
    sep = "，" if lang == "zh" else ", "
    parts = sep.join(
        t("summary.targets_part", lang, label=_status_word(s, lang), k=statuses.count(s))
        for s in present
    )
    return Sentence(TARGETS_MIXED[k].format(year=facts.year, n=len(due), parts=parts), refs)


def plan_sentence(facts: Facts, lang: str) -> Sentence | None:
    """Next year's plan targets, stated as the plan states them."""
    every = facts.plan_targets(facts.year + 1)
    plan = every[:ITEMS_PER_PLAN]
    if not plan:
        return None
    refs = [_target_ref(facts, r, lang) for r in plan]
    items = t("summary.join", lang).join(_plan_item(facts, r, lang) for r in plan)
    if len(every) > len(plan):  # the rest are named as such: 等N项
        items += t("summary.more", lang, n=len(every), more=len(every) - len(plan))
    return Sentence(t("summary.plan", lang, year=facts.year + 1, items=items), tuple(refs))


def summarize(
    payload: dict[str, Any], lang: str = "zh", facts: Facts | None = None
) -> list[Sentence]:
    """The written summary of a payload: categories, sub-periods, targets, next year's plan."""
    if facts is None:
        facts = Facts(payload)
    out = category_sentences(facts, lang) + period_sentences(facts, lang)
    out += [s for s in (target_sentence(facts, lang), plan_sentence(facts, lang)) if s]
    if not out:
        text = t("summary.none", lang, year=facts.year, org=facts.org_name(lang))
        return [Sentence(text, ())]
    return out
