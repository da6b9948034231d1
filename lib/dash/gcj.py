"""The published GCJ-02 ("Mars") offset: WGS-84 points shifted so they land on Chinese tiles
(AMap); points outside China are returned unchanged. One formula for the app and
scripts/make_boundaries."""

from __future__ import annotations

import math

from lib.core.vocab import GCJ_LAT, GCJ_LON

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its eccentricity squared


def out_of_china(lat: float, lon: float) -> bool:
    """Whether a point lies outside the box where GCJ-02 applies."""
    return not (GCJ_LON[0] <= lon <= GCJ_LON[1] and GCJ_LAT[0] <= lat <= GCJ_LAT[1])


def _offset(x: float, y: float) -> tuple[float, float]:
    """The raw GCJ-02 offsets (lat, lon) in metres-ish units for x=lon-105, y=lat-35."""
    waves = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += waves
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += waves
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """A WGS-84 (lat, lon) as GCJ-02 (lat, lon); unchanged outside China."""
    if out_of_china(lat, lon):
        return lat, lon
    dlat, dlon = _offset(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = dlon * 180.0 / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + dlat, lon + dlon
