"""The payload of presenter mode and the meeting pack, and the lookups over it.

* the **payload**: every figure the slides show for one org and year (observations, targets,
  stations, the indicators and sources they cite, the headline list and the "data as of" time),
  read from the store by :func:`live_payload` — the same JSON a meeting snapshot freezes;
* :class:`Facts`, lookups over a payload through lib.core.figures (full-year figure, other
  periods' figures, 同比, targets with 完成率 and status), shared by the slides and the summary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from lib.core import metrics
from lib.core.figures import (
    TO_DATE,
    YEAR,
    Figure,
    FigureSet,
    IndicatorMeta,
    Obs,
    Period,
    change_text,
    reason_text,
    shown,
    value_shown,
)
from lib.core.i18n import t
from lib.core.judgement import Judgement, judge, judge_plan
from lib.core.vocab import BEIJING, STATION_UNITS
from lib.store import queries

PAYLOAD_VERSION = 1
CITATION = ("publisher", "published", "newspaper", "edition")  # a source's citation fields

# ---------------------------------------------------------------------------------------------
# Payload: the figures as read from the store (JSON-able; a snapshot stores it verbatim)
# ---------------------------------------------------------------------------------------------


def _obs_record(row: dict[str, Any]) -> dict[str, Any]:
    """One observation as payload JSON."""
    return {
        "indicator": row["indicator_code"],
        "year": row["year"],
        "quarter": row["quarter"],
        "period_note": row["period_note"] or "",
        "value": row["value"],
        "qualifier": row["qualifier"],
        "source": row["source_code"],
        "locator": row["locator"] or "",
    }


def _target_record(row: dict[str, Any]) -> dict[str, Any]:
    """One target as payload JSON."""
    keys = ("year", "base_year", "quarter", "value", "comparator", "qualifier", "plan_zh")
    rec = {k: row[k] for k in keys}
    rec.update(
        indicator=row["indicator_code"],
        plan_en=row["plan_en"] or "",
        source=row["source_code"],
        locator=row["locator"] or "",
    )
    return rec


def _station_record(row: dict[str, Any]) -> dict[str, Any]:
    """One station as payload JSON."""
    keys = ("code", "name_zh", "name_en", "type", "town", "lat", "lon", "precision")
    rec = {k: row[k] for k in keys}
    rec.update(opened_year=row["opened_year"], status=row["status"], source=row["source_code"])
    return rec


def _station_totals(org_code: str, year: int, url: str | None) -> list[dict[str, Any]]:
    """The latest full-year stock (up to the year) of each positions indicator counted in
    stations or centres: how many stations the figures report, beside the few on the map."""
    frame = queries.observations((org_code,), None, None, url=url).filter(
        (pl.col("category") == "positions")
        & (pl.col("kind") == "stock")
        & pl.col("unit_en").is_in(list(STATION_UNITS))
        & pl.col("quarter").is_null()
        & (pl.col("period_note").fill_null("") == "")
        & (pl.col("year") <= year)
    )
    latest = frame.sort("indicator_code", "year").group_by("indicator_code", maintain_order=True)
    return [_obs_record(r) for r in latest.last().iter_rows(named=True)]


def _history(org_code: str, year: int, url: str | None) -> list[dict[str, Any]]:
    """Every figure of an org on record up to the year (for 历年对比)."""
    frame = queries.observations((org_code,), None, None, url=url)
    return [_obs_record(r) for r in frame.filter(pl.col("year") <= year).iter_rows(named=True)]


def _peers(org_code: str, year: int, codes: set[str], url: str | None) -> list[dict[str, Any]]:
    """The sibling orgs (same parent) with figures of the year for the org's indicators, each
    with those figures (for 兄弟单位对比; whether the periods match is for the slides to judge)."""
    orgs = queries.orgs(url)
    own = orgs.filter(pl.col("code") == org_code)
    parent = own["parent_code"][0] if own.height else None
    if parent is None or not codes:
        return []
    siblings = orgs.filter((pl.col("parent_code") == parent) & (pl.col("code") != org_code))
    out = []
    for org in siblings.iter_rows(named=True):
        frame = queries.observations((org["code"],), tuple(sorted(codes)), (year,), url=url)
        if frame.height:
            out.append(
                {
                    "org": {k: org[k] for k in ("code", "name_zh", "name_en")},
                    "observations": [_obs_record(r) for r in frame.iter_rows(named=True)],
                }
            )
    return out


def _relevant_target(rec: dict[str, Any], year: int) -> bool:
    """Whether a target belongs on this year's slides (due this or next year, or a plan spanning)."""
    if rec["quarter"] is not None:
        return False
    start = rec["base_year"] if rec["base_year"] is not None else rec["year"]
    return start <= year + 1 and rec["year"] >= year


def live_payload(
    org_code: str, year: int, url: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Every figure the slides of an org and year show, read from the store now."""
    from lib.core.settings import headline

    orgs = queries.orgs(url).filter(pl.col("code") == org_code)
    if orgs.is_empty():
        raise KeyError(org_code)
    org = orgs.row(0, named=True)
    tg = [_target_record(r) for r in queries.targets((org_code,), url=url).iter_rows(named=True)]
    tg = [r for r in tg if _relevant_target(r, year)]
    first = min([year - 1] + [r["base_year"] for r in tg if r["base_year"] is not None])
    years = tuple(range(first, year + 1))
    obs_frame = queries.observations((org_code,), None, years, url=url)
    obs = [_obs_record(r) for r in obs_frame.iter_rows(named=True)]
    st = [_station_record(r) for r in queries.stations((org_code,), url=url).iter_rows(named=True)]
    totals = _station_totals(org_code, year, url)
    history = _history(org_code, year, url)
    peers = _peers(org_code, year, {r["indicator"] for r in obs if r["year"] == year}, url)
    extra = history + [r for p in peers for r in p["observations"]]
    cited_ind = {r["indicator"] for r in obs} | {r["indicator"] for r in tg}
    cited_ind |= {r["indicator"] for r in totals + extra}
    indicators = [
        {k: r[k] for k in ("code", "name_zh", "name_en", "category", "unit_zh", "unit_en")}
        | {"kind": r["kind"], "rollup": r["rollup"], "direction": r["direction"]}
        for r in queries.indicators(url).iter_rows(named=True)
        if r["code"] in cited_ind
    ]
    cited_src = {r["source"] for r in obs} | {r["source"] for r in tg} | {r["source"] for r in st}
    cited_src |= {r["source"] for r in totals + extra}
    sources = {
        r["code"]: {k: r[k] for k in ("title_zh", "title_en", "kind", *CITATION)}
        for r in queries.source_details(tuple(sorted(cited_src)), url).iter_rows(named=True)
    }
    return {
        "version": PAYLOAD_VERSION,
        "org": {"code": org["code"], "name_zh": org["name_zh"], "name_en": org["name_en"]},
        "year": year,
        "as_of": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "headline": list(headline()),
        "indicators": indicators,
        "sources": sources,
        "observations": obs,
        "targets": tg,
        "stations": st,
        "station_totals": totals,
        "history": history,
        "peers": peers,
        "snapshot": None,
    }


def available_years(org_code: str, url: str | None = None) -> list[int]:
    """Years with any figure or target for an org, newest first."""
    obs = queries.observations((org_code,), url=url)["year"].unique().to_list()
    tg = queries.targets((org_code,), url=url)["year"].unique().to_list()
    return sorted({int(y) for y in obs + tg}, reverse=True)


def default_year(org_code: str, url: str | None = None) -> int | None:
    """The latest year with a full-year figure for an org (else the latest year with anything)."""
    obs = queries.observations((org_code,), url=url)
    full = obs.filter((obs["period_note"] == "") & obs["quarter"].is_null())["year"]
    if not full.is_empty():
        return int(full.max())  # type: ignore[arg-type]
    years = available_years(org_code, url)
    return years[0] if years else None


def format_as_of(iso: str, lang: str = "zh") -> str:
    """A stored UTC time as Beijing local 'YYYY-MM-DD HH:MM'."""
    when = datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------------------------
# Facts: lookups over a payload, read through the one figure model (lib.core.figures)
# ---------------------------------------------------------------------------------------------


def payload_today(payload: dict[str, Any]) -> date:
    """The day a payload's figures stand at (its 数据截至 time, in Beijing): the 'today' by which
    its targets are judged, so a frozen snapshot keeps its statuses."""
    when = datetime.fromisoformat(payload["as_of"])
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(BEIJING).date()


class Facts:
    """Read-only lookups over a payload: figures, changes, judgements and names, all from one
    lib.core.figures.FigureSet (the slides compute nothing of their own)."""

    def __init__(self, payload: dict[str, Any], today: date | None = None) -> None:
        """Build the payload's figure set."""
        self.payload = payload
        self.year: int = int(payload["year"])
        self.today = today or payload_today(payload)
        self.org: str = payload["org"]["code"]
        self.ind: dict[str, dict[str, Any]] = {i["code"]: i for i in payload["indicators"]}
        self.meta = {
            code: IndicatorMeta(
                code,
                i["name_zh"],
                i["name_en"],
                i["category"],
                i["unit_zh"],
                i["unit_en"],
                i["kind"],
                i["rollup"],
                i["direction"],
            )
            for code, i in self.ind.items()
        }
        self.order = {code: n for n, code in enumerate(self.ind)}
        obs = [
            Obs(
                self.org,
                r["indicator"],
                int(r["year"]),
                r["quarter"],
                r["period_note"] or "",
                float(r["value"]),
                r["qualifier"],
                n,
                r["source"],
                locator=r["locator"],
            )
            for n, r in enumerate(payload["observations"])
        ]
        self.fs = FigureSet(obs, self.meta)

    # names ------------------------------------------------------------------------------------
    def name(self, code: str, lang: str) -> str:
        """An indicator's display name."""
        return self.meta[code].name(lang)

    def org_name(self, lang: str) -> str:
        """The org's display name."""
        org = self.payload["org"]
        return org["name_zh"] if lang == "zh" else org["name_en"]

    def shown(self, fig: Figure | None, lang: str) -> str:
        """A figure as displayed: '1.8万余人', '45,137人', '18,000+ people' ('—' for none)."""
        return "—" if fig is None else shown(fig, self.meta[fig.indicator], lang)

    def shown_value(self, code: str, value: float | None, qualifier: str, lang: str) -> str:
        """Any value of an indicator (a target) as displayed with its unit."""
        ind = self.meta[code]
        return value_shown(value, qualifier, ind.unit_zh, ind.unit_en, lang)

    def source_title(self, code: str, lang: str) -> str:
        """A source's title in a language (zh when no English title)."""
        src = self.payload["sources"].get(code, {})
        title = (
            (src.get("title_en") or src.get("title_zh")) if lang == "en" else src.get("title_zh")
        )
        return title or code

    def _undated(self, code: str) -> bool:
        """Whether a source is an article that names no newspaper or no date."""
        src = self.payload["sources"].get(code, {})
        return src.get("kind") == "article" and not (src.get("newspaper") and src.get("published"))

    def citation(self, code: str, lang: str, note: bool = True) -> str:
        """What an article prints of where it appeared: newspaper, date and edition (版面); with
        note, an article naming no newspaper or date says so (报纸名称与日期原文未载)."""
        src = self.payload["sources"].get(code, {})
        paper, date, edition = (src.get(k) or "" for k in ("newspaper", "published", "edition"))
        parts = [f"《{paper}》" if lang == "zh" else paper] if paper else []
        parts += [date] if date else []
        if edition:
            parts.append(f"{edition}版" if lang == "zh" else f"page {edition}")
        if note and self._undated(code):
            parts.append(t("present.cite_unknown", lang))
        return ("，" if lang == "zh" else ", ").join(parts)

    def source_line(self, codes: list[str], lang: str) -> str:
        """A slide's sources: 来源：《title》；《title》（citation）, sources with the same citation
        grouped under it; when no cited article names its newspaper and date, one closing note
        says so (never invented)."""
        if not codes:
            return t("present.no_source", lang)
        none_dated = all(self._undated(c) for c in codes)
        groups: dict[str, list[str]] = {}
        for code in codes:
            cite = self.citation(code, lang, note=not none_dated)
            groups.setdefault(cite, []).append(self.source_title(code, lang))
        sep = "；" if lang == "zh" else "; "
        cites = []
        for cite, titles in groups.items():
            names = sep.join(f"《{x}》" for x in titles) if lang == "zh" else sep.join(titles)
            cites.append(
                names + ((f"（{cite}）" if lang == "zh" else f" ({cite})") if cite else "")
            )
        line = sep.join(cites)
        if none_dated:
            line += sep + t("present.cite_unknown", lang)
        return t("present.source", lang, sources=line)

    # figures ----------------------------------------------------------------------------------
    def annual(self, code: str, year: int) -> Figure | None:
        """The full-year figure of an indicator in a year (None = no figure: a gap, not zero)."""
        return self.fs.get(self.org, code, year) if code in self.meta else None

    def _codes(self, year: int, period: Period | None) -> list[str]:
        """Indicators with a figure in a year (for one period, or any), in catalogue order."""
        codes = {
            k.indicator
            for k in self.fs.keys()
            if k.year == year and (period is None or k.period == period)
        }
        return sorted(codes, key=self.order.__getitem__)

    def annual_codes(self, year: int) -> list[str]:
        """Indicators with a full-year figure in a year, in catalogue order."""
        return self._codes(year, YEAR)

    def sub_periods(self, year: int) -> list[Period]:
        """The other periods of the year with figures (quarters to date, stocks' dates,
        campaigns), in lib.core.figures order."""
        return [p for p in self.fs.year_periods(self.org, year) if not p.is_year]

    def sub(self, code: str, year: int, period: Period) -> Figure | None:
        """A figure of another period than the full year."""
        return self.fs.get(self.org, code, year, period)

    def sub_codes(self, year: int, period: Period) -> list[str]:
        """Indicators with a figure for a period, in catalogue order."""
        return self._codes(year, period)

    def year_codes(self, year: int) -> list[str]:
        """Indicators with any figure (full year or another period) in a year, catalogue order."""
        return self._codes(year, None)

    def yoy(self, code: str, year: int, period: Period = YEAR) -> metrics.PeriodChange:
        """同比 of a figure against the same period a year earlier (lib.core.figures)."""
        return self.fs.yoy(self.org, code, year, period)

    def last_year(self, code: str, year: int, period: Period) -> Figure | None:
        """The figure a 同比 compares with: the previous full year, or its same quarters to date;
        None for other periods (never compared)."""
        if period.is_year:
            return self.annual(code, year - 1)
        if period.kind == TO_DATE:
            return self.fs.running(self.org, code, year - 1, period.quarters)
        return None

    def change(self, code: str, year: int, period: Period, lang: str) -> str:
        """The 同比 as a slide shows it: '同比 +12.3%', or why there is none."""
        ch = self.yoy(code, year, period)
        if not ch.comparable:
            return reason_text(ch, lang)
        return t("present.yoy", lang, change=change_text(ch, self.meta[code].kind, lang))

    # targets ----------------------------------------------------------------------------------
    def targets_due(self, year: int) -> list[dict[str, Any]]:
        """Targets due in a year or multi-year plans running through it, in catalogue order."""
        out = [
            r
            for r in self.payload["targets"]
            if r["indicator"] in self.ind
            and r["quarter"] is None
            and (r["year"] == year or (r["base_year"] or r["year"]) <= year < r["year"])
        ]
        return sorted(out, key=lambda r: (self.order[r["indicator"]], r["year"]))

    def judgement(self, rec: dict[str, Any]) -> Judgement:
        """A target judged by lib.core.figures, exactly as the targets page judges it."""
        code, comparator = rec["indicator"], rec["comparator"]
        if rec["base_year"] is not None and rec["base_year"] < rec["year"]:
            span = (int(rec["base_year"]), int(rec["year"]))
            return judge_plan(
                self.fs, self.org, code, span, rec["value"], comparator, self.today.year
            )
        return judge(self.fs, self.org, code, rec["year"], rec["value"], comparator, self.today)

    def plan_targets(self, year: int) -> list[dict[str, Any]]:
        """Targets set for a (next) year: due that year or plans whose span includes it."""
        out = [
            r
            for r in self.payload["targets"]
            if r["indicator"] in self.ind
            and r["quarter"] is None
            and (r["base_year"] or r["year"]) <= year <= r["year"]
        ]
        return sorted(out, key=lambda r: (self.order[r["indicator"]], r["year"]))
