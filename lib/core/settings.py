"""Dashboard settings, configurable in one place: the headline indicators, the year span of the
dashboards, and the map's basemap.

Where a setting comes from, first match wins:

1. an environment variable (``KPI_BASEMAP``, ``KPI_HEADLINE`` as comma-separated codes;
   ``KPI_WARM_CAP_SECONDS`` only here);
2. ``.streamlit/kpi.toml``, section ``[kpi]`` (keys ``basemap``, ``headline``). A ``[kpi]`` section
   cannot live in ``.streamlit/config.toml``: streamlit 1.67 logs '"kpi.basemap" is not a valid
   config option' for every unknown key, so the board keeps its own small file next to it;
3. the defaults below.

No streamlit import: pages read these values through plain function calls.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KPI_TOML = ROOT / ".streamlit" / "kpi.toml"

BASEMAPS = ("carto", "amap", "none")
DEFAULT_BASEMAP = "carto"

# The five indicators a federation chair looks at first (overview headline strip), in order.
DEFAULT_HEADLINE: tuple[str, ...] = (
    "new_union_units",
    "members_recruited",
    "centenary_participants",
    "care_beneficiaries",
    "craftsman_academies_total",
)

# The span of the dashboards' sparklines and year-over-year charts (extended by later data).
FIRST_YEAR = 2021
LAST_YEAR = 2025

# An app server's start waits at most this long for its first cache warm, then serves anyway.
DEFAULT_WARM_CAP_SECONDS = 120

# Above this many stations the map aggregates into hexagons so the browser stays smooth.
HEXAGON_THRESHOLD = 3000


def _file_settings(path: Path = KPI_TOML) -> dict[str, object]:
    """The [kpi] table of .streamlit/kpi.toml ({} when absent or unreadable)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("kpi", {})
    return table if isinstance(table, dict) else {}


def basemap(path: Path = KPI_TOML) -> str:
    """The default basemap: $KPI_BASEMAP, else kpi.toml, else carto (unknown values ignored)."""
    for candidate in (os.environ.get("KPI_BASEMAP"), _file_settings(path).get("basemap")):
        if isinstance(candidate, str) and candidate.strip().lower() in BASEMAPS:
            return candidate.strip().lower()
    return DEFAULT_BASEMAP


def basemap_configured(path: Path = KPI_TOML) -> bool:
    """Whether a valid basemap is set ($KPI_BASEMAP or kpi.toml), not just the default."""
    for candidate in (os.environ.get("KPI_BASEMAP"), _file_settings(path).get("basemap")):
        if isinstance(candidate, str) and candidate.strip().lower() in BASEMAPS:
            return True
    return False


UP_COLORS = ("red", "green")


def up_color(lang: str, path: Path = KPI_TOML) -> str:
    """The colour of a rise in the deck: $KPI_UP_COLOR, else kpi.toml ``up_color``, else red in
    Chinese (红涨绿跌, as Chinese audiences read it) and green in English."""
    for candidate in (os.environ.get("KPI_UP_COLOR"), _file_settings(path).get("up_color")):
        if isinstance(candidate, str) and candidate.strip().lower() in UP_COLORS:
            return candidate.strip().lower()
    return "red" if lang == "zh" else "green"


def headline(path: Path = KPI_TOML) -> tuple[str, ...]:
    """The headline indicator codes: $KPI_HEADLINE, else kpi.toml, else DEFAULT_HEADLINE."""
    env = os.environ.get("KPI_HEADLINE", "")
    if env.strip():
        return tuple(c.strip() for c in env.split(",") if c.strip())
    value = _file_settings(path).get("headline")
    if isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
        return tuple(value)
    return DEFAULT_HEADLINE


def year_span(latest_with_data: int | None = None) -> tuple[int, ...]:
    """The years the dashboards show: FIRST_YEAR through LAST_YEAR or the latest data year."""
    last = max(LAST_YEAR, latest_with_data or LAST_YEAR)
    return tuple(range(FIRST_YEAR, last + 1))


def warm_cap_seconds() -> int:
    """Seconds an app server's start waits for its first cache warm (lib.ui.warm.lifespan)
    before it serves anyway: $KPI_WARM_CAP_SECONDS (a whole number ≥ 1, anything else ignored),
    else DEFAULT_WARM_CAP_SECONDS."""
    text = os.environ.get("KPI_WARM_CAP_SECONDS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_WARM_CAP_SECONDS
