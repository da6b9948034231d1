"""The markup planted in every text field by the user-text tests (browser and exports)."""

from __future__ import annotations

from sqlalchemy import update

from lib.store import db
from lib.store.db import session_scope
from lib.store.models import Observation, Org, Source, Station, Target

IMG = "![px](http://evil.example/px.png)"
BOLD = "<b>B</b>"
PAYLOAD = f'{IMG} <img src="http://evil.example/h.png"> [l](http://evil.example/l) :red[x] {BOLD}'
SHORT = f"{IMG} {BOLD}"  # for the 100-character columns (station.town): PostgreSQL enforces lengths


def plant(url: str) -> None:
    """Put the payload into every free-text field of the store (as an editor's file could)."""
    with session_scope(url) as s:
        s.execute(update(Org).where(Org.code == "daxing").values(name_zh=f"大兴\n\n{PAYLOAD}"))
        s.execute(update(Observation).values(locator=PAYLOAD))
        s.execute(
            update(Observation)
            .where(Observation.period_note != "")
            .values(period_note=f"2025年6月起{PAYLOAD}")
        )
        s.execute(
            update(Source).values(
                title_zh=PAYLOAD, title_en=PAYLOAD, file=PAYLOAD, publisher=PAYLOAD
            )
        )
        s.execute(update(Target).values(plan_zh=PAYLOAD, plan_en=PAYLOAD, locator=PAYLOAD))
        s.execute(
            update(Station).values(
                name_zh=PAYLOAD, name_en=PAYLOAD, town=SHORT, address=PAYLOAD, locator=PAYLOAD
            )
        )
        db.bump_data_version(s)
