"""The catalogue an upload is checked against: the store's orgs, indicators, sources and current
station codes, looked up by any of their names (code, Chinese, English, alias) and suggested by
closeness when a name is unknown. Reads the store; imports the column vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from lib.ingest.columns import close_names, norm
from lib.ingest.problems import Hint
from lib.store.models import Indicator, Org, Source, Station

Labels = dict[str, dict[int, tuple[str, str, str, str]]]


@dataclass
class Catalog:
    """Orgs, indicators, sources and station codes of the store, with lookup by name or code."""

    orgs: dict[str, Org]
    indicators: dict[str, Indicator]
    sources: dict[str, Source]
    org_by_id: dict[int, Org]
    ind_by_id: dict[int, Indicator]
    org_names: dict[str, str]
    ind_names: dict[str, str]
    src_names: dict[str, str]
    station_codes: dict[tuple[int, str], str]
    _cache: dict[tuple[str, str], Org | Indicator | Source | None] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> Catalog:
        """Read the catalogue from the store."""
        orgs = list(session.scalars(select(Org)))
        inds = list(session.scalars(select(Indicator).order_by(Indicator.sort_order)))
        srcs = list(session.scalars(select(Source)))
        org_map: dict[str, Org] = {}
        org_names: dict[str, str] = {}
        for o in orgs:
            for name in (o.code, o.name_zh, o.name_en):
                if name:
                    org_map.setdefault(norm(name), o)
                    org_names.setdefault(norm(name), f"{o.name_zh}（{o.code}）")
        ind_map: dict[str, Indicator] = {}
        ind_names: dict[str, str] = {}
        for ind in inds:
            for name in (ind.code, ind.name_zh, ind.name_en, *ind.alias_list()):
                if name:
                    ind_map.setdefault(norm(name), ind)
                    ind_names.setdefault(norm(name), f"{ind.name_zh}（{ind.code}）")
        src_map: dict[str, Source] = {}
        src_names: dict[str, str] = {}
        for s in srcs:
            for name in (s.code, s.title_zh, s.title_en, s.file):
                if name:
                    src_map.setdefault(norm(name), s)
                    src_names.setdefault(norm(name), s.code)
        station_codes = {
            (org_id, name): code
            for org_id, name, code in session.execute(
                select(Station.org_id, Station.name_zh, Station.code).where(
                    Station.is_current.is_(True)
                )
            )
        }
        return cls(
            org_map,
            ind_map,
            src_map,
            {o.id: o for o in orgs},
            {i.id: i for i in inds},
            org_names,
            ind_names,
            src_names,
            station_codes,
        )

    def labels(self) -> Labels:
        """Display names for preview tables: org id -> (zh, en, "", ""), indicator id -> names
        and units (zh, en, unit zh, unit en)."""
        orgs = {i: (o.name_zh, o.name_en, "", "") for i, o in self.org_by_id.items()}
        inds = {i: (d.name_zh, d.name_en, d.unit_zh, d.unit_en) for i, d in self.ind_by_id.items()}
        return {"org": orgs, "indicator": inds}

    def lookup(self, what: str, text: str) -> Org | Indicator | Source | None:
        """The org / indicator / source named by text, or None (memoised)."""
        key = (what, text)
        if key not in self._cache:
            name = norm(text)
            if what == "org":
                self._cache[key] = self.orgs.get(name)
            elif what == "indicator":
                self._cache[key] = self.indicators.get(name)
            else:
                self._cache[key] = self.sources.get(name)
        return self._cache[key]

    def suggest(self, what: str, text: str) -> Hint:
        """', did you mean: …' with the nearest catalogue names (empty when none is close)."""
        names = {"org": self.org_names, "indicator": self.ind_names, "source": self.src_names}[what]
        return Hint(close_names(text, names))
