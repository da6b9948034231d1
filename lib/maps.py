"""pydeck decks of the station map (服务阵地地图), and the coordinate conversion they need.

This module owns:

* ``wgs84_to_gcj02``: the published GCJ-02 ("Mars") offset, so WGS-84 points land on Chinese
  tiles (AMap); points outside China are returned unchanged;
* shaping stations for the map: filters (type, org, town, opened year), one colour per station
  type (lib/catalog.py), a plain-text tooltip in the UI language that says when a position is
  approximate, counts per type and the legend;
* the deck: basemap ``carto`` (default), ``amap`` (raster tiles through a MapLibre style passed as a
  data: URL, points converted to GCJ-02) or ``none`` (no basemap, no tile request at all: points
  over a TextLayer of town names, so the map works offline); above ``HEXAGON_THRESHOLD`` points it
  aggregates into a HexagonLayer.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable

import polars as pl
import pydeck as pdk

from lib.catalog import STATION_TYPES, station_type_name
from lib.i18n import t
from lib.settings import HEXAGON_THRESHOLD

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its eccentricity squared
CJK_FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
AMAP_TILES = [
    f"https://webrd0{n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}"
    for n in (1, 2, 3, 4)
]
APPROXIMATE = ("landmark", "town_centroid")
GREY = (128, 128, 128)


def out_of_china(lat: float, lon: float) -> bool:
    """Whether a point lies outside the box where GCJ-02 applies."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


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
    opened: tuple[int, int] | None = None,
) -> pl.DataFrame:
    """Stations matching every given filter (None or empty = no filter on that field).

    An opened-year range drops stations whose opening year is unknown: pass None for the full
    span so they stay on the map.
    """
    out = stations
    if types:
        out = out.filter(pl.col("type").is_in(list(types)))
    if orgs:
        out = out.filter(pl.col("org_code").is_in(list(orgs)))
    if towns:
        out = out.filter(pl.col("town").is_in(list(towns)))
    if opened is not None:
        lo, hi = opened
        out = out.filter(pl.col("opened_year").is_between(lo, hi))
    return out


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
        f"{t('map.tip.town', lang)}: {row.get('town') or '—'}",
        f"{t('map.tip.opened', lang)}: {opened if opened is not None else '—'}",
        f"{t('map.tip.precision', lang)}: {t('map.precision.' + row['precision'], lang)}",
    ]
    return "\n".join(lines)


def station_points(stations: pl.DataFrame, lang: str, basemap: str = "carto") -> pl.DataFrame:
    """Stations as map points: lon/lat (GCJ-02 for AMap), colour, tooltip text in the language.

    Above HEXAGON_THRESHOLD the map shows hexagon totals, so no per-station colour or tooltip is
    built (a national store has 150,000 stations)."""
    if stations.height > HEXAGON_THRESHOLD:
        return _bulk_points(stations, basemap)
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


def _bulk_points(stations: pl.DataFrame, basemap: str) -> pl.DataFrame:
    """Positions only (converted for AMap), for hexagon aggregation."""
    lat, lon = stations.get_column("lat").to_list(), stations.get_column("lon").to_list()
    if basemap == "amap":
        pairs = [wgs84_to_gcj02(a, o) for a, o in zip(lat, lon, strict=True)]
        lat, lon = [p[0] for p in pairs], [p[1] for p in pairs]
    n = stations.height
    return pl.DataFrame(
        {
            "lon": lon,
            "lat": lat,
            "color": [[*GREY, 200]] * n,
            "tip": [""] * n,
            "town": stations.get_column("town").fill_null("").to_list(),
        },
        schema={
            "lon": pl.Float64,
            "lat": pl.Float64,
            "color": pl.List(pl.Int64),
            "tip": pl.Utf8,
            "town": pl.Utf8,
        },
    )


def town_labels(points: pl.DataFrame) -> pl.DataFrame:
    """One label per town at the mean position of its stations (for the offline basemap)."""
    named = points.filter(pl.col("town") != "")
    return (
        named.group_by("town")
        .agg(pl.col("lon").mean(), pl.col("lat").mean())
        .sort("town")
        .select("town", "lon", "lat")
    )


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


def view_state(points: pl.DataFrame) -> pdk.ViewState:
    """A view that fits the points (Daxing when there are none)."""
    if points.is_empty():
        return pdk.ViewState(latitude=39.73, longitude=116.34, zoom=9.5)
    lat0, lat1 = float(points["lat"].min()), float(points["lat"].max())  # type: ignore[arg-type]
    lon0, lon1 = float(points["lon"].min()), float(points["lon"].max())  # type: ignore[arg-type]
    span = max(lat1 - lat0, (lon1 - lon0) * 0.77, 0.01)
    zoom = max(3.0, min(14.0, math.log2(360.0 / span) - 1.2))
    return pdk.ViewState(latitude=(lat0 + lat1) / 2, longitude=(lon0 + lon1) / 2, zoom=zoom)


def _layers(points: pl.DataFrame, basemap: str, lang: str) -> list[pdk.Layer]:
    """The deck layers: scatter (or hexagons at scale) and, without a basemap, town names."""
    layers: list[pdk.Layer] = []
    if points.height > HEXAGON_THRESHOLD:
        layers.append(
            pdk.Layer(
                "HexagonLayer",
                id="stations-hex",
                # [lon, lat] pairs rounded to ~1 m with an identity accessor: a third of the JSON.
                data=points.select(pl.concat_list(pl.col("lon").round(5), pl.col("lat").round(5)))
                .to_series()
                .to_list(),
                get_position="-",
                radius=800,
                coverage=0.9,
                extruded=False,
                pickable=True,
                color_range=[
                    [255, 235, 230],
                    [252, 187, 161],
                    [252, 146, 114],
                    [239, 59, 44],
                    [203, 24, 29],
                    [153, 0, 13],
                ],
            )
        )
    else:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="stations",
                data=points.to_dicts(),
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
        labels = town_labels(points).to_dicts()
        layers.append(
            pdk.Layer(
                "TextLayer",
                id="towns",
                data=labels,
                get_position=["lon", "lat"],
                get_text="town",
                get_size=14,
                get_color=[60, 60, 60, 220],
                get_pixel_offset=[0, -14],
                character_set=pdk.types.String(
                    "".join(sorted({ch for label in labels for ch in label["town"]}))
                ),
                font_family=pdk.types.String(CJK_FONT),
                outline_width=2,
                outline_color=[255, 255, 255, 255],
                font_settings={"sdf": True},
                pickable=False,
            )
        )
    return layers


def tooltip(points: pl.DataFrame, lang: str) -> dict[str, object]:
    """The deck tooltip: plain text (never HTML), the station's text or a hexagon's count."""
    style = {"fontFamily": CJK_FONT, "fontSize": "13px", "whiteSpace": "pre-line"}
    if points.height > HEXAGON_THRESHOLD:
        return {"text": t("map.tip.hex", lang) + ": {elevationValue}", "style": style}
    return {"text": "{tip}", "style": style}


def build_deck(points: pl.DataFrame, basemap: str = "carto", lang: str = "zh") -> pdk.Deck:
    """The station map: points (or hexagons) on the chosen basemap; 'none' loads no tiles."""
    layers = _layers(points, basemap, lang)
    common = {"layers": layers, "initial_view_state": view_state(points)}
    common["tooltip"] = tooltip(points, lang)
    if basemap == "none":
        # map_provider=None leaves pydeck's style sentinel in the JSON, which streamlit drops:
        # no basemap component, no tile or style request.
        return pdk.Deck(map_provider=None, **common)
    if basemap == "amap":
        return pdk.Deck(map_provider="carto", map_style=amap_style_url(), **common)
    return pdk.Deck(map_provider="carto", map_style=pdk.map_styles.CARTO_LIGHT, **common)


def present_types(stations: pl.DataFrame) -> list[str]:
    """The station types present, in catalogue order."""
    have = set(stations.get_column("type").to_list())
    return [c for c in STATION_TYPES if c in have] + sorted(have - set(STATION_TYPES))


def present_towns(stations: pl.DataFrame, orgs: Iterable[str] | None = None) -> list[str]:
    """The named towns among stations (of the given orgs), sorted."""
    df = stations.filter(pl.col("org_code").is_in(list(orgs))) if orgs else stations
    return sorted({t for t in df.get_column("town").to_list() if t})
