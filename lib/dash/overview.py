"""The overview's ten-second answer to "how are we doing?", built from what lib.dash.cards and
lib.dash.targets give (cards, target rows) without re-deriving any figure, change or status: per headline figure the
most informative comparison the data allows (同比, else the latest target's 完成率, else none,
with one line for the whole strip saying why), and a short "needs attention" list (targets behind
or behind pace, figures down year on year)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lib.core.i18n import t
from lib.core.judgement import BEHIND as BEHIND_STATUS
from lib.core.judgement import DONE
from lib.core.metrics import BEHIND_TIME as BEHIND_PACE
from lib.core.numbers import DASH
from lib.dash.cards import Card
from lib.dash.targets import TargetRow


@dataclass(frozen=True)
class Headline:
    """One headline figure with its comparison: kind "yoy", "target", "" (none) or "absent"
    (no figure this year: the delta is "—" and the detail the card's reason)."""

    card: Card
    kind: str
    delta: str  # what the card shows under the value ("" when nothing compares)
    tone: str  # good | bad | flat | none (colours the delta)
    detail: str  # e.g. "2023年目标 ≥ 85% · 已完成" for a target comparison


def _target_for(
    code: str, year: int, rows_of_year: Callable[[int], Sequence[TargetRow]], first_year: int
) -> tuple[int, TargetRow] | None:
    """The latest annual target of an indicator up to a year that has a 完成率."""
    for y in range(year, first_year - 1, -1):
        for row in rows_of_year(y):
            if row.indicator == code and row.completion is not None:
                return y, row
    return None


def headline_strip(
    cards: Sequence[Card],
    rows_of_year: Callable[[int], Sequence[TargetRow]],
    year: int,
    first_year: int,
    lang: str,
) -> tuple[list[Headline], str]:
    """The headline strip's comparisons, and one line for the whole strip about the figures that
    have none ("" when every figure compares with something)."""
    out: list[Headline] = []
    for card in cards:
        if card.value_text == DASH:  # no figure at all: the card says why (its own note)
            out.append(Headline(card, "absent", DASH, "none", card.note))
            continue
        if card.change != DASH:
            out.append(Headline(card, "yoy", card.change, card.tone, ""))
            continue
        found = _target_for(card.indicator, year, rows_of_year, first_year)
        if found is None:
            out.append(Headline(card, "", "", "none", ""))
            continue
        target_year, row = found
        tone = {DONE: "good", BEHIND_STATUS: "bad"}.get(row.status, "flat")
        delta = t("overview.vs_target", lang, pct=row.completion_text)
        detail = t(
            "overview.target_detail",
            lang,
            year=target_year,
            target=row.target_text,
            status=row.status_text,
        )
        out.append(Headline(card, "target", delta, tone, detail))
    missing = [h for h in out if not h.kind]
    if not missing:
        return out, ""
    if len(missing) == len(out):
        return out, t("overview.strip_none", lang, prev=year - 1)
    names = t("overview.name_join", lang).join(h.card.name for h in missing)
    return out, t("overview.strip_some", lang, names=names, prev=year - 1)


@dataclass(frozen=True)
class Attention:
    """One item of the "needs attention" list: what it is about and the sentence to show."""

    kind: str  # "target" | "down"
    indicator: str
    text: str


def attention_items(
    target_rows: Sequence[TargetRow], cards: Sequence[Card], lang: str, limit: int = 6
) -> list[Attention]:
    """Targets behind (or behind elapsed-time pace) first, then figures down year on year (the
    cards' own tone "bad"), each once, at most ``limit``."""
    items: list[Attention] = []
    for row in target_rows:
        if row.status == BEHIND_STATUS or row.time_flag == BEHIND_PACE:
            state = row.time_text if row.time_flag == BEHIND_PACE else row.status_text
            text = t(
                "overview.attn_target",
                lang,
                name=row.name,
                target=row.target_text,
                actual=row.actual_text,
                state=state,
            )
            items.append(Attention("target", row.indicator, text))
    seen: set[str] = set()
    for card in cards:
        if card.tone == "bad" and card.change != DASH and card.indicator not in seen:
            seen.add(card.indicator)
            period = f"（{card.period}）" if card.period and lang == "zh" else ""
            if card.period and lang != "zh":
                period = f" ({card.period})"
            text = t(
                "overview.attn_down",
                lang,
                name=card.name + period,
                value=card.value_text,
                change=card.change,
            )
            items.append(Attention("down", card.indicator, text))
    return items[:limit]
