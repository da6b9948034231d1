"""The shared vocabularies, defined once: the box that counts as "inside China" for a coordinate,
Beijing time, the CJK font stack every chart, map and slide names, and the fields of a station.

Every other module imports these names; ``tests/test_layout.py`` fails when a copy appears elsewhere.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

# Coordinates (WGS-84 or GCJ-02) outside this box are refused as "not in China".
CHINA_LAT = (3.8, 53.6)
CHINA_LON = (73.5, 135.1)

# The box inside which GCJ-02 offsets apply (the published constants of the GCJ-02 conversion).
GCJ_LAT = (0.8293, 55.8271)
GCJ_LON = (72.004, 137.8347)

# Every time the board shows is Beijing time (UTC+8, no daylight saving).
BEIJING = ZoneInfo("Asia/Shanghai")

# The CSS font stack of charts, maps and slides: Debian's Noto CJK first, then Windows and macOS faces.
CJK_FONT = (
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
)

# What a station record holds besides its key (code, name_zh) and its org, in display order.
STATION_FIELDS = (
    "name_en",
    "type",
    "town",
    "address",
    "lat",
    "lon",
    "precision",
    "opened_year",
    "status",
)

# unit_en of the indicators that count service positions (stations, centres): the map's and the
# deck's reported station totals
STATION_UNITS = ("stations", "centres")


def inside_china(lat: float, lon: float) -> bool:
    """True when a coordinate lies inside the box that counts as China."""
    return CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LON[0] <= lon <= CHINA_LON[1]
