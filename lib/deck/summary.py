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

from lib.core.catalog import CATEGORIES, category_name
from lib.core.figures import TO_DATE, change_words
from lib.core.i18n import t
from lib.core.judgement import STATUSES, status_text
from lib.deck.payload import Facts

ITEMS_PER_CATEGORY = 3
ITEMS_PER_PERIOD = 4
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


def _item(facts: Facts, fig: Any, lang: str, with_change: bool) -> str:
    """One figure as a clause: name and value, with its 同比 when comparable."""
    name, value = facts.name(fig.indicator, lang), facts.shown(fig, lang)
    kind = facts.meta[fig.indicator].kind
    change = facts.yoy(fig.indicator, fig.year, fig.period)
    phrase = change_words(change, kind, lang) if with_change else None
    if phrase:
        return t("summary.item_yoy", lang, name=name, value=value, change=phrase)
    return t("summary.item", lang, name=name, value=value)


def _pick(codes: list[str], headline: list[str], n: int) -> list[str]:
    """Up to n codes, headline indicators first, then catalogue order."""
    first = [c for c in headline if c in codes]
    rest = [c for c in codes if c not in first]
    return (first + rest)[:n]


def category_sentences(facts: Facts, lang: str) -> list[Sentence]:
    """One sentence per category with full-year figures in the year."""
    year, org = facts.year, facts.org_name(lang)
    out: list[Sentence] = []
    codes = facts.annual_codes(year)
    for cat in CATEGORIES:
        in_cat = [c for c in codes if facts.ind[c]["category"] == cat]
        if not in_cat:
            continue
        figs = [facts.annual(c, year) for c in _pick(in_cat, facts.payload["headline"], 3)]
        items = t("summary.join", lang).join(_item(facts, f, lang, True) for f in figs)
        key = "summary.first_category" if not out else "summary.category"
        text = t(key, lang, year=year, org=org, category=category_name(cat, lang), items=items)
        refs = [_ref(facts, f, lang) for f in figs]
        for f in figs:
            prev = facts.annual(f.indicator, year - 1)
            if prev is not None and facts.yoy(f.indicator, year).comparable:
                refs.append(_ref(facts, prev, lang))
        out.append(Sentence(text, tuple(refs)))
    return out


def period_sentences(facts: Facts, lang: str) -> list[Sentence]:
    """One sentence per other period of the year (quarters to date with their 同比 against the
    same quarters a year earlier; a stock's date or a campaign with its own figures, never
    compared)."""
    out = []
    for period in facts.sub_periods(facts.year):
        codes = _pick(facts.sub_codes(facts.year, period), facts.payload["headline"], 4)
        figs = [facts.sub(c, facts.year, period) for c in codes]
        compare = period.kind == TO_DATE
        items = t("summary.join", lang).join(_item(facts, f, lang, compare) for f in figs)
        text = t("summary.sub_period", lang, note=period.label(lang), items=items)
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


def target_sentence(facts: Facts, lang: str) -> Sentence | None:
    """How many of the year's targets are done, in progress, behind, cannot be told, or have no
    completion figure yet: only the statuses that occur (never "已完成0项")."""
    due = facts.targets_due(facts.year)
    if not due:
        return None
    statuses = [facts.judgement(r).status for r in due]
    refs = tuple(_target_ref(facts, r, lang) for r in due)
    present = [s for s in STATUSES if statuses.count(s)]
    if len(present) == 1:
        label = _status_word(present[0], lang)
        text = t("summary.targets_all", lang, year=facts.year, n=len(due), label=label)
        return Sentence(text, refs)
    sep = "，" if lang == "zh" else ", "
    parts = sep.join(
        t("summary.targets_part", lang, label=_status_word(s, lang), k=statuses.count(s))
        for s in present
    )
    return Sentence(t("summary.targets", lang, year=facts.year, n=len(due), parts=parts), refs)


def plan_sentence(facts: Facts, lang: str) -> Sentence | None:
    """Next year's plan targets, stated as the plan states them."""
    every = facts.plan_targets(facts.year + 1)
    plan = every[:ITEMS_PER_PLAN]
    if not plan:
        return None
    words = {
        ">=": "不少于" if lang == "zh" else "at least",
        "<=": "不超过" if lang == "zh" else "at most",
    }
    refs = [_target_ref(facts, r, lang) for r in plan]
    items = t("summary.join", lang).join(
        t(
            "summary.plan_item",
            lang,
            name=facts.name(r["indicator"], lang),
            comparator=words.get(r["comparator"], r["comparator"]),
            value=ref.shown,
        )
        for r, ref in zip(plan, refs, strict=True)
    )
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
