"""What the deck tests share: their fixed clock, last year's figures of a few 2025 indicators and
a way to write a figure into a store."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from lib.store.db import bump_data_version, session_scope
from lib.store.models import Indicator, Observation, Org, Source

NOW = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)  # 10:30 in Beijing

# Last year's figures of a few 2025 indicators (two 家, one 人, one 场, one 名): the seed has no
# 2024 figure, so without them no indicator has two bars to compare on its own scale.
LAST_YEAR = {
    "new_union_units": 3000,
    "new_union_units_100plus": 8,
    "members_recruited": 15000,
    "centenary_activities": 4000,
    "city_model_workers": 30,
}


def add_figure(
    url: str, indicator: str, year: int, value: float, org: str = "daxing", note: str = ""
) -> None:
    """Write a figure through the models: a new current row replacing any current one."""
    with session_scope(url) as s:
        org_id = s.scalar(select(Org.id).where(Org.code == org))
        ind_id = s.scalar(select(Indicator.id).where(Indicator.code == indicator))
        src_id = s.scalar(select(Source.id).where(Source.code == "src_2025_review"))
        old = s.scalar(
            select(Observation).where(
                Observation.org_id == org_id,
                Observation.indicator_id == ind_id,
                Observation.year == year,
                Observation.quarter.is_(None),
                Observation.period_note == note,
                Observation.is_current.is_(True),
            )
        )
        if old is not None:
            old.is_current = False
            s.flush()
        s.add(
            Observation(
                org_id=org_id,
                indicator_id=ind_id,
                year=year,
                quarter=None,
                period_note=note,
                value=value,
                qualifier="exact",
                source_id=src_id,
                locator="test",
                replaces_id=old.id if old else None,
                is_current=True,
            )
        )
        bump_data_version(s)
