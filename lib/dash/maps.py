"""pydeck decks of the station map (服务阵地地图).

This module owns shaping stations for the map (one colour per station type from
lib/core/catalog.py, a plain-text tooltip in the UI language that says when a position is
approximate, counts per type and the legend) and the deck: basemap ``carto`` (default), ``amap``
(raster tiles through a MapLibre style passed as a data: URL, points converted to GCJ-02 by
lib.dash.gcj) or ``none`` (no tile request at all, points over town and district names). On every
basemap the offline layer of lib.dash.offline draws the bundled district outlines, so the outline
and the stations show even when the tiles cannot be reached; ``tiles_reachable`` tells whether the
tile host answers at all. Above ``HEXAGON_THRESHOLD`` stations the deck gets grid cells
(lib.dash.grid) instead of points: a national store of 150,000 stations makes a deck well under
5 MB.
"""

from __future__ import annotations

import base64
import json
import math
import socket
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from lib.core.catalog import STATION_TYPES, data_label, station_type_name
from lib.core.figures import value_shown
from lib.core.i18n import t
from lib.core.settings import HEXAGON_THRESHOLD
from lib.core.vocab import CJK_FONT, STATION_UNITS
from lib.dash.gcj import wgs84_to_gcj02
from lib.dash.grid import aggregate_stations, hex_color, is_aggregated, type_color
from lib.dash.offline import (
    DISTRICT_PX,
    LABEL_PX,
    district_features,
    district_labels,
    holding_districts,
    town_labels,
)

AMAP_TILES = [
    f"https://webrd0{n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}"
    for n in (1, 2, 3, 4)
]
APPROXIMATE = ("landmark", "town_centroid")
HALO = {False: [255, 255, 255, 255], True: [17, 20, 24, 255]}  # text halo: light / dark theme
CARTO_HOST = "basemaps.cartocdn.com"


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
    schema: dict[str, Any] = {
        "lon": pl.Float64,
        "lat": pl.Float64,
        "color": pl.List(pl.Int64),
        "tip": pl.Utf8,
        "town": pl.Utf8,
    }
    return pl.DataFrame(rows, schema=schema)


def type_counts(counts: Mapping[str, int], lang: str) -> pl.DataFrame:
    """How many stations of each type (code -> count), in catalogue order, with the type's name
    and colour."""
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
        shown = value_shown(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang)
        out.append(t("map.reported_item", lang, org=org, name=name, value=shown, year=r["year"]))
    return out


def present_types(stations: pl.DataFrame) -> list[str]:
    """The station types present, in catalogue order."""
    have = set(stations.get_column("type").to_list())
    return [c for c in STATION_TYPES if c in have] + sorted(have - set(STATION_TYPES))
