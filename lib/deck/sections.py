"""The deck's sections after the category slides (no streamlit): 目标完成情况 (targets with
完成率), 服务阵地分布 (the station map), 历年对比 (every year on record, gaps shown as gaps),
兄弟单位对比 (only the same indicator and period across sibling orgs) and next year's plan
targets. Each builder returns its slides, or none when the section has nothing to show."""

from __future__ import annotations

from typing import Any

from lib.core.catalog import STATION_TYPES, station_type_name
from lib.core.figures import YEAR, Figure
from lib.core.i18n import t
from lib.core.judgement import basis_text, ratio_text, status_text, target_phrase
from lib.core.numbers import format_pct
from lib.deck.category import INDICATORS_PER_SLIDE, chunks, figure_note, notes_of
from lib.deck.model import HISTORY_COLOR, SUB_COLORS, Chart, Series, Slide, Table
from lib.deck.payload import Facts

TARGET_CHUNK = 10  # target rows per slide


# --- targets ----------------------------------------------------------------------------------


def _target_text(facts: Facts, rec: dict[str, Any], lang: str) -> str:
    """A target as shown: '≥ 2家'."""
    ind = facts.meta[rec["indicator"]]
    return target_phrase(
        rec["value"], rec["comparator"], rec["qualifier"], ind.unit_zh, ind.unit_en, lang
    )


def _target_rows(facts: Facts, recs: list[dict[str, Any]], lang: str, progress: bool) -> Table:
    """A targets table: indicator, target, (actual, 完成率, status), plan."""
    header = [t("present.col.indicator", lang), t("present.col.target", lang)]
    if progress:
        header += [
            t("present.col.actual", lang),
            t("present.col.period", lang),
            t("present.col.completion", lang),
            t("present.col.status", lang),
        ]
    header.append(t("present.col.plan", lang))
    rows = []
    for rec in recs:
        row = [facts.name(rec["indicator"], lang), _target_text(facts, rec, lang)]
        if progress:
            j = facts.judgement(rec)
            row += [
                facts.shown(j.actual, lang),
                basis_text(j, lang, rec["base_year"]) or "—",
                ratio_text(j, lang),
                status_text(j.status, lang),
            ]
        plan = rec["plan_zh"] if lang == "zh" else (rec["plan_en"] or rec["plan_zh"])
        row.append(plan)
        rows.append(tuple(row))
    return Table(tuple(header), tuple(rows))


def _target_notes(facts: Facts, recs: list[dict[str, Any]], lang: str) -> str:
    """Speaker notes of targets: each target with its article and words, then the actuals."""
    lines = []
    for rec in recs:
        cite = facts.source_title(rec["source"], lang)
        words = f"“{rec['locator']}”" if rec["locator"] else ""
        sep = "：" if lang == "zh" else ": "
        lines.append(
            f"{facts.name(rec['indicator'], lang)}{sep}{_target_text(facts, rec, lang)}"
            f" — 《{cite}》{words}"
        )
    actuals = notes_of(facts, [facts.judgement(r).actual for r in recs], lang)
    return "\n".join([*lines, actuals] if actuals else lines)


def _completion_chart(facts: Facts, recs: list[dict[str, Any]], title: str, lang: str) -> Chart:
    """完成率 in % per target (None where there is no actual figure)."""
    values, labels = [], []
    for rec in recs:
        ratio = facts.judgement(rec).ratio
        values.append(round(ratio * 100, 1) if ratio is not None else None)
        labels.append(format_pct(ratio * 100 if ratio is not None else None, lang))
    series = Series(t("present.series.completion", lang), tuple(values), tuple(labels))
    names = tuple(facts.name(r["indicator"], lang) for r in recs)
    return Chart("bar", title, names, (series,), units=("%",) * len(names))


def target_slides(facts: Facts, lang: str) -> list[Slide]:
    """目标完成情况: the targets due this year (or plans running through it); none, no slide."""
    year, slides = facts.year, []
    due = facts.targets_due(year)
    for n, chunk in enumerate(chunks(due, TARGET_CHUNK) if due else []):
        title = t("present.slide.targets", lang, year=year)
        judged = [facts.judgement(r) for r in chunk]
        has_values = any(j.ratio is not None for j in judged)
        slides.append(
            Slide(
                "targets",
                title,
                table=_target_rows(facts, chunk, lang, progress=True),
                chart=_completion_chart(facts, chunk, title, lang) if has_values else None,
                sources=[r["source"] for r in chunk]
                + [s for j in judged if j.actual for s in j.actual.sources],
                section="targets",
                part=n,
                notes=_target_notes(facts, chunk, lang),
            )
        )
    return slides


def plan_slide(facts: Facts, lang: str) -> Slide | None:
    """Next year's plan targets (part of 下一步工作打算); None when there is none."""
    plan = facts.plan_targets(facts.year + 1)
    if not plan:
        return None
    return Slide(
        "plan",
        t("present.slide.plan", lang, year=facts.year + 1),
        table=_target_rows(facts, plan, lang, progress=False),
        sources=[r["source"] for r in plan],
        section="next_steps",
        part=1,
        notes=_target_notes(facts, plan, lang),
    )


# --- the station map --------------------------------------------------------------------------


def _map_paragraphs(facts: Facts, stations: list[dict[str, Any]], lang: str) -> list[str]:
    """The map slide's caption: how many places are plotted, how many the figures report."""
    year = facts.year
    paragraphs = [t("present.stations_total", lang, n=len(stations), year=year)]
    undated = sum(1 for s in stations if s["opened_year"] is None)
    if undated:
        paragraphs.append(t("present.stations_undated", lang, n=undated))
    reported = [
        t(
            "present.reported_item",
            lang,
            name=facts.name(r["indicator"], lang),
            value=facts.shown_value(r["indicator"], r["value"], r["qualifier"], lang),
            year=r["year"],
        )
        for r in _totals(facts)
    ]
    if reported:
        sep = "；" if lang == "zh" else "; "
        paragraphs.append(t("present.reported", lang, reported=sep.join(reported)))
    if any(s["precision"] != "surveyed" for s in stations):
        paragraphs.append(t("present.approx", lang))
    return paragraphs


def _totals(facts: Facts) -> list[dict[str, Any]]:
    """The station totals the figures report (latest stock of each positions indicator)."""
    return [r for r in facts.payload.get("station_totals", []) if r["indicator"] in facts.ind]


def map_slide(facts: Facts, title: str, lang: str) -> Slide | None:
    """The station map slide: the stations open by the end of the year (and the undated ones,
    counted as such), points, counts per type, a scatter chart for the pack; None without any."""
    stations = [
        s
        for s in facts.payload["stations"]
        if s["opened_year"] is None or s["opened_year"] <= facts.year
    ]
    if not stations:
        return None
    by_type: dict[str, list[dict[str, Any]]] = {}
    for s in stations:
        by_type.setdefault(s["type"], []).append(s)
    order = [c for c in STATION_TYPES if c in by_type] + sorted(
        c for c in by_type if c not in STATION_TYPES
    )
    table = Table(
        (t("present.col.type", lang), t("present.col.count", lang)),
        tuple((station_type_name(c, lang), str(len(by_type[c]))) for c in order),
    )
    points = tuple(
        (station_type_name(c, lang), tuple((s["lon"], s["lat"]) for s in by_type[c])) for c in order
    )
    colors = tuple(
        "#{:02x}{:02x}{:02x}".format(*STATION_TYPES[c].color) if c in STATION_TYPES else "#808080"
        for c in order
    )
    totals = _totals(facts)
    paragraphs = _map_paragraphs(facts, stations, lang)
    return Slide(
        "map",
        title,
        chart=Chart("scatter", title, (), (), points, colors),
        table=table,
        paragraphs=paragraphs,
        stations=stations,
        org=facts.payload["org"]["code"],
        sources=[s["source"] for s in stations] + [r["source"] for r in totals],
        section="map",
        notes="\n".join(paragraphs),
    )


# --- 历年对比 -----------------------------------------------------------------------------------


def _history_facts(facts: Facts) -> Facts:
    """Lookups over every year on record of the org (the payload's history)."""
    return Facts({**facts.payload, "observations": facts.payload.get("history", [])}, facts.today)


def _history_years(hist: Facts, last: int) -> list[int]:
    """Every year from the first full-year figure on record to the deck's year."""
    years = [k.year for k in hist.fs.keys() if k.period == YEAR and k.year <= last]
    return list(range(min(years), last + 1)) if years else []


def _history_panel(hist: Facts, code: str, years: list[int], title: str, lang: str) -> Chart:
    """One indicator over the years (its own scale, headed by its name and unit); a year
    without a figure stays a gap, named as such ("2022年 无数据"), never a zero bar."""
    figs = [hist.annual(code, y) for y in years]
    gap = t("deck.history.gap", lang)
    names = tuple(
        t("present.full_year", lang, year=y) + ("" if f else f" {gap}")
        for y, f in zip(years, figs, strict=True)
    )
    labels = tuple(hist.shown(f, lang) if f else "" for f in figs)
    values = tuple(f.value if f else None for f in figs)
    series = Series(t("deck.history.series", lang), values, labels, HISTORY_COLOR)
    unit = hist.ind[code]["unit_zh"] if lang == "zh" else hist.ind[code]["unit_en"]
    heading = t("deck.history.heading", lang, name=hist.name(code, lang), unit=unit)
    return Chart("bar", title, names, (series,), units=(unit,) * len(years), unit=heading)


def _history_chart(panels: tuple[Chart, ...], title: str) -> Chart:
    """The panels of a 历年对比 slide as one chart (each indicator on its own scale)."""
    if len(panels) == 1:
        return panels[0]
    cats = tuple(c for p in panels for c in p.categories)
    first = panels[0].series[0]
    values = tuple(v for p in panels for v in p.series[0].values)
    labels = tuple(x for p in panels for x in p.series[0].labels)
    whole = Series(first.name, values, labels, first.color)
    units = tuple(u for p in panels for u in p.units)
    return Chart("bar", title, cats, (whole,), units=units, panels=panels)


def history_slides(facts: Facts, lang: str) -> list[Slide]:
    """历年对比: each indicator with full-year figures in two or more years on record, every year
    from the first on record to this one (a year without a figure shown as a gap, never zero)."""
    hist = _history_facts(facts)
    years = _history_years(hist, facts.year)
    codes = [
        c
        for c in hist.ind
        if sum(hist.annual(c, y) is not None for y in years) >= 2
        and hist.annual(c, facts.year) is not None
    ]
    slides = []
    title = t("deck.slide.history", lang, first=years[0] if years else 0, last=facts.year)
    for n, chunk in enumerate(chunks(codes, INDICATORS_PER_SLIDE // 2) if codes else []):
        panels = tuple(_history_panel(hist, c, years, title, lang) for c in chunk)
        header = (
            t("present.col.indicator", lang),
            *(t("present.col.value", lang, year=y) for y in years),
        )
        rows = tuple(
            (hist.name(c, lang), *(hist.shown(hist.annual(c, y), lang) for y in years))
            for c in chunk
        )
        figs = [hist.annual(c, y) for c in chunk for y in years]
        slides.append(
            Slide(
                "history",
                title,
                chart=_history_chart(panels, title),
                table=Table(header, rows),
                paragraphs=[t("deck.history.note", lang)],
                sources=[s for f in figs if f is not None for s in f.sources],
                section="history",
                part=n,
                notes=notes_of(hist, figs, lang),
            )
        )
    return slides


# --- 兄弟单位对比 -------------------------------------------------------------------------------


def _peer_facts(facts: Facts) -> list[Facts]:
    """Lookups over each sibling org's figures of the year (the payload's peers)."""
    return [
        Facts(
            {**facts.payload, "org": peer["org"], "observations": peer["observations"]}, facts.today
        )
        for peer in facts.payload.get("peers", [])
    ]


def _peer_rows(facts: Facts, peers: list[Facts]) -> list[list[tuple[Facts, Figure]]]:
    """Per indicator and period the org has this year: its figure and the siblings' figures of
    exactly that indicator, year and period (only where at least one sibling has one)."""
    year, out = facts.year, []
    for period in [YEAR, *facts.sub_periods(year)]:
        for code in facts.year_codes(year):
            own = facts.fs.get(facts.org, code, year, period)
            others = [(p, f) for p in peers if (f := p.fs.get(p.org, code, year, period))]
            if own is not None and others:
                out.append([(facts, own), *others])
    return out


def _peer_panel(group: list[tuple[Facts, Figure]], title: str, lang: str) -> Chart:
    """One indicator and period across orgs, on its own scale, headed by the indicator."""
    facts, fig = group[0]
    names = tuple(f.org_name(lang) for f, _ in group)
    values = tuple(g.value for _, g in group)
    labels = tuple(f.shown(g, lang) for f, g in group)
    period = "" if fig.period.is_year else f"（{fig.period.label(lang)}）"
    series = Series(t("present.full_year", lang, year=fig.year), values, labels, SUB_COLORS[1])
    heading = f"{facts.name(fig.indicator, lang)}{period}"
    units = (facts.ind[fig.indicator]["unit_zh"],) * len(names)
    return Chart("bar", title, names, (series,), units=units, unit=heading)


def peer_slides(facts: Facts, lang: str) -> list[Slide]:
    """兄弟单位对比: the org beside its sibling orgs, only for the same indicator, year and period
    (nothing comparable, no slide)."""
    groups = _peer_rows(facts, _peer_facts(facts))
    title = t("deck.slide.peers", lang)
    slides = []
    for n, chunk in enumerate(chunks(groups, INDICATORS_PER_SLIDE // 2) if groups else []):
        panels = tuple(_peer_panel(g, title, lang) for g in chunk)
        header = (
            t("present.col.indicator", lang),
            t("deck.col.org", lang),
            t("present.col.value", lang, year=facts.year),
        )
        rows = tuple(
            (p.unit, name, label)
            for p in panels
            for name, label in zip(p.categories, p.series[0].labels, strict=True)
        )
        figs = [(f, g) for group in chunk for f, g in group]
        slides.append(
            Slide(
                "peers",
                title,
                chart=_history_chart(panels, title),
                table=Table(header, rows),
                sources=[s for _, g in figs for s in g.sources],
                section="peers",
                part=n,
                notes="\n".join(f"{f.org_name(lang)} · {figure_note(f, g, lang)}" for f, g in figs),
            )
        )
    return slides
