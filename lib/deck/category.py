"""The figure slides of the deck (no streamlit): 主要指标 (headline cards with 同比) and one slide
per category (split when long) with its bars, table and cards.

A category's bars come in one panel per indicator (:meth:`Chart.bar_panels`, small multiples
each on its own scale and headed by the indicator and its unit), so only figures of the same
indicator share a scale (400余家 never stands beside 4家, nor 35名 beside 4,417场), and the
figures of a campaign or a stock's date (蹲点期间, 年初存量) get panels of their own, never a
cluster with full years (2024 → 2025 → campaign would read like a falling series). An indicator
with a single figure has nothing on its scale to compare with: it is left to the slide's table
rather than drawn as a lone bar. Each slide carries speaker notes: its figures with their qualifiers
and the words of the article they come from.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from lib.core.catalog import CATEGORIES, category_name
from lib.core.figures import TO_DATE, YEAR, Figure, Period
from lib.core.i18n import t
from lib.core.settings import up_color
from lib.deck.model import (
    CURRENT_COLOR,
    PREV_COLOR,
    SUB_COLORS,
    Chart,
    Series,
    Slide,
    SlideCard,
    Table,
    trend_of,
)
from lib.deck.payload import Facts

INDICATORS_PER_SLIDE = (
    8  # indicators per category slide (readable from the back of the room at 720p)
)
MIN_HEADLINE = 4  # pad the headline slide with other figures up to this many cards

Getter = Callable[[str], Figure | None]


def figure_note(facts: Facts, fig: Figure, lang: str) -> str:
    """A speaker-note line of a figure: name (period), value with its qualifier, the article
    and the words the figure was read from."""
    period = "" if fig.period.is_year else f"（{fig.period.label(lang)}）"
    cite = facts.source_title(fig.source, lang)
    if lang == "zh":
        quote = f"，原文“{fig.locator}”" if fig.locator else ""
        return f"{facts.name(fig.indicator, lang)}{period}：{facts.shown(fig, lang)}——《{cite}》{quote}"
    quote = f', text: "{fig.locator}"' if fig.locator else ""
    return f"{facts.name(fig.indicator, lang)}{period}: {facts.shown(fig, lang)} — {cite}{quote}"


def notes_of(facts: Facts, figs: list[Figure | None], lang: str) -> str:
    """Speaker notes of some figures, one line each (figures shown twice noted once)."""
    lines = [figure_note(facts, f, lang) for f in figs if f is not None]
    return "\n".join(dict.fromkeys(lines))


def trend_legend(cards: list[SlideCard], lang: str) -> list[str]:
    """The colour legend of the headline changes (红涨绿跌 in zh by default; see settings)."""
    if not any(c.trend in ("up", "down") for c in cards):
        return []
    return [t(f"present.legend.{up_color(lang)}_up", lang)]


def card_of(facts: Facts, fig: Figure, lang: str) -> SlideCard:
    """A card of a figure with its 同比 (the period named unless it is the full year)."""
    change = facts.yoy(fig.indicator, fig.year, fig.period)
    return SlideCard(
        fig.indicator,
        facts.name(fig.indicator, lang),
        fig.value,
        facts.shown(fig, lang),
        facts.change(fig.indicator, fig.year, fig.period, lang),
        change.comparable,
        "" if fig.period.is_year else fig.period.label(lang),
        fig.source,
        trend_of(change),
    )


def headline_figures(facts: Facts, year: int) -> list[Figure]:
    """The headline figures of a year: the configured ones with a figure, padded from the rest."""
    have = facts.annual_codes(year)
    codes = [c for c in facts.payload["headline"] if c in have]
    for code in have:
        if len(codes) >= MIN_HEADLINE:
            break
        if code not in codes:
            codes.append(code)
    return [f for c in codes if (f := facts.annual(c, year)) is not None]


def headline_slide(facts: Facts, lang: str) -> Slide | None:
    """主要指标: the year's headline figures as big cards with 同比 (None with no full-year figure)."""
    year = facts.year
    figs = headline_figures(facts, year)
    if not figs:
        return None
    cards = [card_of(facts, f, lang) for f in figs]
    prev = [facts.annual(c.indicator, year - 1) for c in cards]
    return Slide(
        "headline",
        t("present.slide.headline", lang),
        subtitle=t("present.full_year", lang, year=year),
        cards=cards,
        paragraphs=trend_legend(cards, lang),
        sources=[c.source for c in cards] + [p.source for p in prev if p is not None],
        section="headline",
        notes=notes_of(facts, [*figs, *prev], lang),
    )


def chunks(items: list, size: int) -> list[list]:
    """Split a list into the fewest runs of at most size, as even as possible."""
    if not items:
        return [[]]
    parts = -(-len(items) // size)
    base, extra = divmod(len(items), parts)
    out, start = [], 0
    for n in range(parts):
        end = start + base + (1 if n < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _indicator_heading(facts: Facts, code: str, lang: str, period: str = "") -> str:
    """The heading of an indicator's panel: '新增建会单位（单位：家）', with the period of a
    campaign panel after it."""
    unit = facts.ind[code]["unit_zh"] if lang == "zh" else facts.ind[code]["unit_en"]
    heading = t("deck.history.heading", lang, name=facts.name(code, lang), unit=unit)
    return f"{heading} · {period}" if period else heading


def by_unit(facts: Facts, codes: list[str]) -> list[list[str]]:
    """Indicators grouped by unit (units in first-seen order, catalogue order within a unit)."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        groups.setdefault(facts.ind[code]["unit_zh"], []).append(code)
    return list(groups.values())


def _prev_of_sub(facts: Facts, year: int, period: Period, code: str) -> Figure | None:
    """Last year's figure of a sub-period, where this year has one."""
    return facts.last_year(code, year, period) if facts.sub(code, year, period) else None


def _sub_of(facts: Facts, year: int, period: Period, code: str) -> Figure | None:
    """This year's figure of a sub-period."""
    return facts.sub(code, year, period)


def _year_periods(facts: Facts, lang: str) -> list[tuple[str, str, Getter]]:
    """The series of a full-year panel: last year, this year, and each quarters-to-date figure
    beside last year's same quarters (never beside last year's full year)."""
    year = facts.year

    def prev_full(c: str) -> Figure | None:
        """Last year's full year, where this year has one or no figure of quarters to date."""
        to_date_only = facts.annual(c, year) is None and any(
            p.kind == TO_DATE and facts.sub(c, year, p) for p in facts.sub_periods(year)
        )
        return None if to_date_only else facts.annual(c, year - 1)

    periods: list[tuple[str, str, Getter]] = [
        (t("present.full_year", lang, year=year - 1), PREV_COLOR, prev_full),
        (t("present.full_year", lang, year=year), CURRENT_COLOR, lambda c: facts.annual(c, year)),
    ]
    for period in facts.sub_periods(year):
        if period.kind != TO_DATE:
            continue
        label = f"{t('present.full_year', lang, year=year - 1)}{period.label(lang)}"
        periods.append(
            (
                label,
                PREV_COLOR,
                partial(_prev_of_sub, facts, year, period),
            )
        )
        label = f"{t('present.full_year', lang, year=year)}{period.label(lang)}"
        periods.append((label, SUB_COLORS[1], partial(_sub_of, facts, year, period)))
    return periods


def _bars(
    facts: Facts, codes: list[str], title: str, lang: str, periods: list, unit: str = ""
) -> Chart:
    """Bars of some indicators, one series per period that has a figure among them."""
    series = []
    for name, color, get in periods:
        figs = [get(c) for c in codes]
        if all(f is None for f in figs):
            continue
        values = tuple(f.value if f else None for f in figs)
        labels = tuple(facts.shown(f, lang) if f else "" for f in figs)
        series.append(Series(name, values, labels, color))
    names = tuple(facts.name(c, lang) for c in codes)
    units = tuple(facts.ind[c]["unit_zh"] for c in codes)
    return Chart("bar", title, names, tuple(series), units=units, unit=unit)


def _own_period(facts: Facts, period: Period, n: int, lang: str) -> list[tuple[str, str, Getter]]:
    """The one series of a campaign's (or a stock date's) panel."""
    color = SUB_COLORS[n % len(SUB_COLORS)]
    return [(period.label(lang), color, lambda c: facts.sub(c, facts.year, period))]


def _category_chart(facts: Facts, codes: list[str], title: str, lang: str) -> Chart | None:
    """A category's bars: per indicator a panel of its full years (and quarters to date), then
    per campaign a panel of its own, so a chair never reads two indicators on one scale, nor a
    campaign beside a year. A panel needs two bars (a lone bar fills any scale); a slide with no
    comparison to draw has no chart (None) — its figures are in the table."""
    panels: list[Chart] = []
    charted: list[str] = []
    own = [p for p in facts.sub_periods(facts.year) if p.kind != TO_DATE]
    candidates = [(_year_periods(facts, lang), "")] + [
        (_own_period(facts, p, n, lang), p.label(lang)) for n, p in enumerate(own)
    ]
    for code in codes:
        for periods, label in candidates:
            heading = _indicator_heading(facts, code, lang, label)
            panel = _bars(facts, [code], title, lang, periods, heading)
            if sum(v is not None for s in panel.series for v in s.values) >= 2:
                panels.append(panel)
                charted += [code] if code not in charted else []
    if len(panels) <= 1:
        return panels[0] if panels else None
    every = [period for periods, _ in candidates for period in periods]
    whole = _bars(facts, charted, title, lang, every)
    return Chart(
        "bar", title, whole.categories, whole.series, units=whole.units, panels=tuple(panels)
    )


def _table_rows(facts: Facts, code: str, lang: str) -> tuple[list[tuple[str, ...]], list]:
    """An indicator's rows (full year, then each other period) and the figures behind them."""
    year = facts.year
    rows: list[tuple[str, ...]] = []
    figs: list[Figure | None] = []
    cur, prev = facts.annual(code, year), facts.annual(code, year - 1)
    if cur is not None:
        rows.append(
            (
                facts.name(code, lang),
                facts.shown(cur, lang),
                facts.shown(prev, lang) if prev else "—",
                facts.change(code, year, YEAR, lang),
            )
        )
        figs += [cur, prev]
    for period in facts.sub_periods(year):
        sub = facts.sub(code, year, period)
        if sub is not None:
            base = facts.last_year(code, year, period)
            rows.append(
                (
                    f"{facts.name(code, lang)}（{period.label(lang)}）",
                    facts.shown(sub, lang),
                    facts.shown(base, lang),
                    facts.change(code, year, period, lang),
                )
            )
            figs += [sub, base]
    if cur is None and prev is not None:
        figs.append(prev)
    return rows, figs


def _category_table(facts: Facts, codes: list[str], lang: str) -> tuple[Table, list]:
    """The rows of a category slide: indicator, this year, last year, 同比; and the figures
    behind them. With no last-year figure on the slide the last two columns would say nothing:
    left out."""
    year = facts.year
    with_prev = any(
        facts.last_year(c, year, p) is not None
        for c in codes
        for p in [YEAR, *facts.sub_periods(year)]
        if p.is_year or facts.sub(c, year, p) is not None
    )
    header: tuple[str, ...] = (
        t("present.col.indicator", lang),
        t("present.col.value", lang, year=year),
        t("present.col.value", lang, year=year - 1),
        t("present.col.change", lang),
    )
    rows: list[tuple[str, ...]] = []
    figs: list[Figure] = []
    for code in codes:
        more, behind = _table_rows(facts, code, lang)
        rows += more
        figs += behind
    if not with_prev:
        header, rows = header[:2], [r[:2] for r in rows]
    return Table(header, tuple(rows)), figs


def _category_cards(facts: Facts, codes: list[str], lang: str) -> list[SlideCard]:
    """The figures of a category slide as cards: full-year ones with 同比, then sub-periods."""
    year, cards = facts.year, []
    for code in codes:
        cur = facts.annual(code, year)
        if cur is not None:
            cards.append(card_of(facts, cur, lang))
        for period in facts.sub_periods(year):
            sub = facts.sub(code, year, period)
            if sub is not None:
                cards.append(card_of(facts, sub, lang))
    return cards


def _ordered(facts: Facts, codes: list[str]) -> list[str]:
    """A category's indicators for its slides: those with a full-year figure first (so a
    campaign-only slide never pushes the year's results to 「续」), same units together."""
    year = [c for c in codes if facts.annual(c, facts.year) is not None]
    rest = [c for c in codes if c not in year]
    return [c for part in (year, rest) for group in by_unit(facts, part) for c in group]


def category_slides(facts: Facts, lang: str) -> list[Slide]:
    """One slide per category with figures this year (split evenly when long)."""
    year, codes = facts.year, facts.year_codes(facts.year)
    slides: list[Slide] = []
    for cat in CATEGORIES:
        in_cat = _ordered(facts, [c for c in codes if facts.ind[c]["category"] == cat])
        if not in_cat:
            continue
        for n, chunk in enumerate(chunks(in_cat, INDICATORS_PER_SLIDE)):
            key = "present.slide.category" if n == 0 else "present.slide.category_more"
            title = t(key, lang, category=category_name(cat, lang))
            table, figs = _category_table(facts, chunk, lang)
            no_prev = [t("present.no_previous_year", lang, year=year - 1)]
            slides.append(
                Slide(
                    "category",
                    title,
                    subtitle=t("present.full_year", lang, year=year),
                    chart=_category_chart(facts, chunk, title, lang),
                    table=table,
                    cards=_category_cards(facts, chunk, lang),
                    paragraphs=no_prev if len(table.header) == 2 else [],
                    sources=[s for f in figs if f is not None for s in f.sources],
                    section=f"category:{cat}",
                    part=n,
                    notes=notes_of(facts, figs, lang),
                )
            )
    return slides
