"""The written summary of a meeting pack (工作综述): short sentences in the register of a Chinese work
report, filled from templates with the figures of a payload (no language model, no streamlit).

Every sentence carries the references (indicator, year, period, value, source, locator) of the
numbers it states, so each number can be traced to its source. A 同比 is stated only when
lib.core.metrics.yoy finds a comparable figure; sub-period (campaign) figures get their own sentence
and are never added to or compared with full-year figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.core import metrics
from lib.core.catalog import CATEGORIES, category_name, data_label
from lib.core.i18n import t
from lib.core.numbers import format_pct

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


def change_phrase(change: metrics.Change, lang: str) -> str | None:
    """The 同比 clause of a sentence ('同比增长12.3%'), or None when not comparable."""
    if not change.comparable or change.delta is None:
        return None
    if change.delta == 0:
        return t("summary.flat", lang)
    up = change.delta > 0
    confirmed = (up and change.bound == "at_least") or (not up and change.bound == "at_most")
    approx = change.bound != "exact" and not confirmed
    if change.pct is None:  # a rate: percentage points
        amount = f"{abs(change.delta):.1f}"
        key = "summary.up_points" if up else "summary.down_points"
        text = t(key, lang, pts=amount)
    else:
        amount = format_pct(abs(change.pct), lang)
        text = t("summary.up" if up else "summary.down", lang, pct=amount)
    if approx:
        word = t("present.bound.about", lang)
        return text.replace(amount, word + amount, 1)
    if confirmed:
        return text + ("以上" if lang == "zh" else " or more")
    return text


def _ref(facts: Any, fig: Any, lang: str) -> Ref:
    """The reference of a figure as shown."""
    return Ref(
        fig.indicator,
        fig.year,
        fig.period_note,
        fig.value,
        fig.qualifier,
        facts.shown(fig, lang),
        fig.source,
        fig.locator,
    )


def _item(facts: Any, fig: Any, lang: str, with_change: bool) -> str:
    """One figure as a clause: name and value, with its 同比 when comparable."""
    name, value = facts.name(fig.indicator, lang), facts.shown(fig, lang)
    phrase = change_phrase(facts.yoy(fig.indicator, fig.year), lang) if with_change else None
    if phrase:
        return t("summary.item_yoy", lang, name=name, value=value, change=phrase)
    return t("summary.item", lang, name=name, value=value)


def _pick(codes: list[str], headline: list[str], n: int) -> list[str]:
    """Up to n codes, headline indicators first, then catalogue order."""
    first = [c for c in headline if c in codes]
    rest = [c for c in codes if c not in first]
    return (first + rest)[:n]


def category_sentences(facts: Any, lang: str) -> list[Sentence]:
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


def period_sentences(facts: Any, lang: str) -> list[Sentence]:
    """One sentence per sub-period (campaign) of the year: its own figures, never compared."""
    out = []
    for note in facts.sub_periods(facts.year):
        codes = _pick(facts.sub_codes(facts.year, note), facts.payload["headline"], 4)
        figs = [facts.sub(c, facts.year, note) for c in codes]
        items = t("summary.join", lang).join(_item(facts, f, lang, False) for f in figs)
        text = t("summary.sub_period", lang, note=data_label(note, lang), items=items)
        out.append(Sentence(text, tuple(_ref(facts, f, lang) for f in figs)))
    return out


def _target_ref(facts: Any, rec: dict[str, Any], lang: str) -> Ref:
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
    word = t(f"present.status.{status}", lang)
    return word.lower() if lang == "en" else word


def target_sentence(facts: Any, lang: str) -> Sentence | None:
    """How many of the year's targets are done, behind, or without an actual figure."""
    due = facts.targets_due(facts.year)
    if not due:
        return None
    statuses = [facts.target_progress(r)[2] for r in due]
    rest = "".join(
        t("summary.targets_rest", lang, label=_status_word(s, lang), k=statuses.count(s))
        for s in (metrics.IN_PROGRESS, metrics.BEHIND, metrics.NO_DATA)
        if statuses.count(s)
    )
    done = statuses.count(metrics.DONE)
    text = t("summary.targets", lang, year=facts.year, n=len(due), done=done, rest=rest)
    return Sentence(text, tuple(_target_ref(facts, r, lang) for r in due))


def plan_sentence(facts: Any, lang: str) -> Sentence | None:
    """Next year's plan targets, stated as the plan states them."""
    plan = facts.plan_targets(facts.year + 1)[:ITEMS_PER_PLAN]
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
    return Sentence(t("summary.plan", lang, year=facts.year + 1, items=items), tuple(refs))


def summarize(payload: dict[str, Any], lang: str = "zh", facts: Any = None) -> list[Sentence]:
    """The written summary of a payload: categories, sub-periods, targets, next year's plan."""
    if facts is None:
        from lib.deck.slides import Facts

        facts = Facts(payload)
    out = category_sentences(facts, lang) + period_sentences(facts, lang)
    out += [s for s in (target_sentence(facts, lang), plan_sentence(facts, lang)) if s]
    if not out:
        text = t("summary.none", lang, year=facts.year, org=facts.org_name(lang))
        return [Sentence(text, ())]
    return out


def summary_text(payload: dict[str, Any], lang: str = "zh") -> str:
    """The summary as one paragraph."""
    sep = "" if lang == "zh" else " "
    return sep.join(s.text for s in summarize(payload, lang))
