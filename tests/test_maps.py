"""Tests for lib.dash.maps: WGS-84 → GCJ-02 against published reference pairs, colours,
tooltips in both languages, and the decks for each basemap (none = no tiles) and at scale."""

from __future__ import annotations

import base64
import json

import polars as pl
import pytest

from lib.core.catalog import STATION_TYPES
from lib.core.settings import HEXAGON_THRESHOLD
from lib.dash import gcj, maps, offline
from lib.store.queries import STATION_SCHEMA

# Published pairs (WGS-84 lat, lon -> GCJ-02 lat, lon): the test tables of googollee/eviltransform
# (Shanghai, Shenzhen, Beijing) and the README example of wandergis/coordtransform (Tiananmen).
GCJ_PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    (39.915, 116.404, 39.91640428150164, 116.41024449916938),
]


@pytest.mark.parametrize(("lat", "lon", "gcj_lat", "gcj_lon"), GCJ_PAIRS)
def test_wgs84_to_gcj02_matches_published_pairs(lat, lon, gcj_lat, gcj_lon):
    """Test that the conversion reproduces published reference pairs to 1e-9 degrees."""
    got_lat, got_lon = gcj.wgs84_to_gcj02(lat, lon)
    assert got_lat == pytest.approx(gcj_lat, abs=1e-9)
    assert got_lon == pytest.approx(gcj_lon, abs=1e-9)


@pytest.mark.parametrize(
    ("lat", "lon"), [(51.5074, -0.1278), (40.7128, -74.0060), (-33.87, 151.21), (35.68, 139.76)]
)
def test_wgs84_to_gcj02_leaves_points_outside_china(lat, lon):
    """Test that points outside China are not shifted."""
    assert gcj.wgs84_to_gcj02(lat, lon) == (lat, lon)


def test_gcj02_offset_in_daxing_is_a_few_hundred_metres():
    """Test that a Daxing point moves by the usual 100–700 m (a sanity check on magnitude)."""
    lat, lon = 39.7286, 116.3350
    g_lat, g_lon = gcj.wgs84_to_gcj02(lat, lon)
    metres = ((g_lat - lat) * 111_000) ** 2 + ((g_lon - lon) * 85_000) ** 2
    assert 100 < metres**0.5 < 700


def station(code: str, type_: str, town: str, year: int | None, precision: str = "surveyed"):
    """A station row in the query's schema."""
    return {
        "station_id": len(code),
        "code": code,
        "name_zh": f"站{code}",
        "name_en": f"Station {code}",
        "type": type_,
        "org_code": "daxing" if town != "斋堂镇" else "mentougou",
        "org_name_zh": "大兴区总工会",
        "town": town,
        "address": "",
        "lat": 39.73,
        "lon": 116.33,
        "precision": precision,
        "opened_year": year,
        "status": "open",
        "source_code": "s",
        "locator": "",
        "is_synthetic": False,
    }


@pytest.fixture
def stations() -> pl.DataFrame:
    """Five stations of three types in three towns."""
    rows = [
        station("a", "union_station", "黄村镇", 2021),
        station("b", "union_station", "西红门镇", 2024, "landmark"),
        station("c", "craftsman_academy", "黄村镇", 2024),
        station("d", "warm_station", "斋堂镇", None, "town_centroid"),
        station("e", "craftsman_academy", "", 2025),
    ]
    return pl.DataFrame(rows, schema=STATION_SCHEMA)


def test_type_counts_in_catalogue_order_with_colours(stations):
    """Test that counts per type follow the catalogue order and carry the type's colour."""
    counts = maps.type_counts({"craftsman_academy": 2, "warm_station": 1, "union_station": 2}, "zh")
    assert counts["type"].to_list() == ["union_station", "warm_station", "craftsman_academy"]
    assert counts["count"].to_list() == [2, 1, 2]
    assert counts["color"][0] == maps.hex_color(STATION_TYPES["union_station"].color)
    assert counts["name"][0] == "工会驿站"


@pytest.mark.parametrize(
    ("lang", "code", "expected"),
    [
        ("zh", "a", "位置精度: 实测位置"),
        ("zh", "b", "位置精度: 近似位置（按地标）"),
        ("en", "d", "Position: approximate (town centre)"),
        ("en", "a", "Type: Union station"),
        ("en", "a", "Station a"),
        ("zh", "d", "建成: 不详"),
    ],
)
def test_tooltip_in_ui_language_with_precision(stations, lang, code, expected):
    """Test that the tooltip is in the UI language and says when a position is approximate."""
    row = stations.filter(pl.col("code") == code).row(0, named=True)
    assert expected in maps.tooltip_text(row, lang)


def test_station_points_convert_to_gcj02_only_for_amap(stations):
    """Test that AMap points are shifted to GCJ-02 and Carto points are not."""
    carto = maps.station_points(stations, "zh", "carto")
    amap = maps.station_points(stations, "zh", "amap")
    assert carto["lat"][0] == 39.73
    assert (amap["lat"][0], amap["lon"][0]) == gcj.wgs84_to_gcj02(39.73, 116.33)


def test_approximate_positions_are_fainter(stations):
    """Test that approximate stations are drawn with a lower opacity."""
    points = maps.station_points(stations, "zh")
    alphas = dict(zip(stations["code"], [c[3] for c in points["color"]], strict=True))
    assert alphas["b"] < alphas["a"]


def spec(deck) -> dict:
    """A deck's JSON spec as a dict."""
    return json.loads(deck.to_json())


def test_basemap_none_has_no_style_and_town_labels(stations):
    """Test that basemap none sends no style URL (no tile requests) and labels towns."""
    deck = maps.build_deck(maps.station_points(stations, "zh", "none"), "none", "zh")
    out = spec(deck)
    assert out.get("mapStyle") in (None, "__MAP_STYLE__")
    assert "mapProvider" not in out
    text = next(layer for layer in out["layers"] if layer["id"] == "towns")
    # The three towns share one position here: only the busiest keeps its label (see below).
    assert [d["town"] for d in text["data"]] == ["黄村镇"]
    assert set("黄村镇") <= set(text["characterSet"])


def placed(town: str, lat: float, lon: float, n: int = 1) -> list[dict]:
    """n stations of a town at a position."""
    return [
        {**station(f"{town}{i}", "union_station", town, 2024), "lat": lat, "lon": lon}
        for i in range(n)
    ]


def labelled(rows: list[dict], zoom: float) -> list[str]:
    """The town labels drawn at a zoom for stations."""
    points = maps.station_points(pl.DataFrame(rows, schema=STATION_SCHEMA), "zh", "none")
    return offline.town_labels(points, zoom)["town"].to_list()


LABEL_CASES = [
    # towns 500 m apart at the district's opening zoom: their names would overlap
    ([("西红门镇", 39.790, 116.330, 3), ("高米店街道", 39.786, 116.330, 1)], 10.0, ["西红门镇"]),
    # the same towns zoomed in to street level: room for both
    (
        [("西红门镇", 39.790, 116.330, 3), ("高米店街道", 39.775, 116.330, 1)],
        14.0,
        ["西红门镇", "高米店街道"],
    ),
    # towns 30 km apart: both kept
    ([("黄村镇", 39.73, 116.33, 1), ("斋堂镇", 39.97, 115.68, 1)], 10.0, ["斋堂镇", "黄村镇"]),
]


@pytest.mark.parametrize(("towns", "zoom", "expected"), LABEL_CASES)
def test_town_labels_never_overlap_at_the_opening_zoom(towns, zoom, expected):
    """Test that a town label overlapping a busier town's label at the zoom is left out."""
    rows = [r for town, lat, lon, n in towns for r in placed(town, lat, lon, n)]
    assert labelled(rows, zoom) == sorted(expected)


def test_basemap_carto_uses_the_carto_style(stations):
    """Test that the default basemap is Carto's light style."""
    out = spec(maps.build_deck(maps.station_points(stations, "zh"), "carto", "zh"))
    assert "cartocdn" in out["mapStyle"]
    assert not any(layer["@@type"] == "TextLayer" for layer in out["layers"])


def test_basemap_amap_uses_amap_tiles(stations):
    """Test that the AMap basemap is a raster style over AutoNavi tiles (as a data: URL)."""
    out = spec(maps.build_deck(maps.station_points(stations, "zh", "amap"), "amap", "zh"))
    style = maps.amap_style_url()
    assert out["mapStyle"] == style
    decoded = json.loads(base64.b64decode(style.split(",", 1)[1]))
    assert "autonavi.com" in decoded["sources"]["amap"]["tiles"][0]


def test_tooltip_is_plain_text_never_html(stations):
    """Test that tooltips use text (escaped by deck.gl), never HTML from the store."""
    tooltip = maps.tooltip(maps.station_points(stations, "zh"), "zh")
    assert "html" not in tooltip
    assert tooltip["text"] == "{tip}"


def many_stations(n: int) -> pl.DataFrame:
    """n synthetic stations spread over China, types in turn, in the query's schema."""
    i = pl.int_range(0, n, eager=True)
    codes = list(STATION_TYPES)
    frame = pl.DataFrame({"i": i}).select(
        pl.col("i").alias("station_id"),
        pl.format("s{}", "i").alias("code"),
        pl.format("站点{}", "i").alias("name_zh"),
        pl.format("Station {}", "i").alias("name_en"),
        (pl.col("i") % len(codes)).replace_strict(dict(enumerate(codes))).alias("type"),
        pl.format("org{}", pl.col("i") % 3000).alias("org_code"),
        pl.lit("某总工会").alias("org_name_zh"),
        pl.format("镇{}", pl.col("i") % 700).alias("town"),
        pl.lit("某路某号").alias("address"),
        (20.0 + (pl.col("i") * 7919 % 25_000) / 1000).alias("lat"),
        (98.0 + (pl.col("i") * 104_729 % 30_000) / 1000).alias("lon"),
        pl.lit("surveyed").alias("precision"),
        (2015 + pl.col("i") % 11).alias("opened_year"),
        pl.lit("open").alias("status"),
        pl.lit("s").alias("source_code"),
        pl.lit("").alias("locator"),
        pl.lit(True).alias("is_synthetic"),
    )
    return frame.cast(STATION_SCHEMA)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def national() -> pl.DataFrame:
    """150,000 synthetic stations: a national store."""
    return many_stations(150_000)


@pytest.mark.parametrize("basemap", ["carto", "amap", "none"])
def test_national_map_is_aggregated_under_5_mb(national, basemap):
    """Test that 150,000 stations make a deck of grid cells whose JSON is under 5 MB."""
    deck = maps.build_deck(maps.station_points(national, "zh", basemap), basemap, "zh")
    out = deck.to_json()
    assert len(out.encode("utf-8")) < 5_000_000
    layers = [
        layer
        for layer in json.loads(out)["layers"]
        if layer["@@type"] != "TextLayer" and layer["id"] != "districts"
    ]
    assert all(layer["id"].startswith("stations-grid-") for layer in layers)
    assert set(layers[0]["data"][0]) == {"lon", "lat", "r", "tip"}


@pytest.mark.parametrize("basemap", ["carto", "amap"])
def test_aggregated_counts_sum_to_stations_per_type(national, basemap):
    """Test that grid cells count every station once, per type."""
    cells = maps.station_points(national, "zh", basemap)
    got = dict(
        cells.select("types", "counts")
        .explode("types", "counts")
        .group_by("types")
        .agg(pl.col("counts").sum())
        .iter_rows()
    )
    assert got == dict(national.group_by("type").len().iter_rows())
    assert cells["n"].sum() == national.height


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", ["汇总：本格共", "工会驿站: "]), ("en", ["Aggregate:", "Union station: "])],
)
def test_grid_cell_tooltip_says_aggregate_by_type_in_ui_language(national, lang, expected):
    """Test that a cell's tooltip says it is an aggregate and counts stations per type."""
    cells = maps.station_points(national, lang)
    assert all(part in cells["tip"][0] for part in expected)
    assert maps.tooltip(cells, lang)["text"] == "{tip}"


def test_grid_cell_colour_is_its_most_common_type():
    """Test that a cell takes the colour of the type it holds most of."""
    frame = many_stations(HEXAGON_THRESHOLD + 1).with_columns(
        pl.when(pl.col("station_id") % 3 == 0)
        .then(pl.lit("warm_station"))
        .otherwise(pl.lit("union_station"))
        .alias("type"),
        pl.lit(39.7).alias("lat"),
        pl.lit(116.3).alias("lon"),
    )
    cells = maps.station_points(frame, "zh")
    assert cells.height == 1
    assert cells["color"][0].to_list()[:3] == list(STATION_TYPES["union_station"].color)
    layer = json.loads(maps.build_deck(cells, "carto", "zh").to_json())["layers"][1]
    assert layer["getFillColor"][:3] == list(STATION_TYPES["union_station"].color)


def test_grid_cell_centres_use_gcj02_for_amap(national):
    """Test that cell centres are shifted to GCJ-02 on AMap, like single stations."""
    carto = maps.station_points(national, "zh", "carto").row(0, named=True)
    amap = maps.station_points(national, "zh", "amap").row(0, named=True)
    lat, lon = gcj.wgs84_to_gcj02(carto["lat"], carto["lon"])
    assert amap["lat"] == pytest.approx(lat, abs=1e-4)
    assert amap["lon"] == pytest.approx(lon, abs=1e-4)


@pytest.mark.parametrize("n", [1, 200, HEXAGON_THRESHOLD])
def test_up_to_the_threshold_stations_are_drawn_one_by_one(n):
    """Test that at or below the threshold each station is its own point with its tooltip."""
    deck = maps.build_deck(maps.station_points(many_stations(n), "en"), "carto", "en")
    layer = json.loads(deck.to_json())["layers"][1]
    assert layer["id"] == "stations"
    assert len(layer["data"]) == n
    assert layer["data"][0]["tip"].startswith("Station 0")


def test_filtering_a_national_store_below_the_threshold_draws_points(national):
    """Test that narrowing 150,000 stations to a few orgs brings back individual points."""
    shown = national.filter(pl.col("org_code").is_in(["org1", "org2"]))
    deck = maps.build_deck(maps.station_points(shown, "zh"), "carto", "zh")
    assert [layer.id for layer in deck.layers] == ["districts", "stations"]
    assert len(deck.layers[1].data) == shown.height == 100


def test_few_points_stay_points(stations):
    """Test that below the threshold each station is its own point."""
    deck = maps.build_deck(maps.station_points(stations, "zh"), "carto", "zh")
    assert [layer.type for layer in deck.layers] == ["GeoJsonLayer", "ScatterplotLayer"]


@pytest.mark.parametrize(
    ("env", "toml", "expected"),
    [
        (None, None, "carto"),
        ("none", None, "none"),
        ("AMAP", None, "amap"),
        (None, '[kpi]\nbasemap = "none"\n', "none"),
        ("amap", '[kpi]\nbasemap = "none"\n', "amap"),
        ("bogus", '[kpi]\nbasemap = "also bogus"\n', "carto"),
        (None, "not toml [", "carto"),
    ],
)
def test_basemap_setting_env_then_kpi_toml_then_carto(tmp_path, monkeypatch, env, toml, expected):
    """Test that the basemap comes from $KPI_BASEMAP, else .streamlit/kpi.toml, else Carto."""
    from lib.core import settings

    path = tmp_path / "kpi.toml"
    if toml is not None:
        path.write_text(toml, encoding="utf-8")
    if env is None:
        monkeypatch.delenv("KPI_BASEMAP", raising=False)
    else:
        monkeypatch.setenv("KPI_BASEMAP", env)
    assert settings.basemap(path) == expected


def test_headline_is_configurable_in_one_place(tmp_path, monkeypatch):
    """Test that the headline list defaults to five indicators and can be set in kpi.toml."""
    from lib.core import settings

    monkeypatch.delenv("KPI_HEADLINE", raising=False)
    path = tmp_path / "kpi.toml"
    assert len(settings.headline(path)) == 5
    path.write_text('[kpi]\nheadline = ["job_fairs", "members_recruited"]\n', encoding="utf-8")
    assert settings.headline(path) == ("job_fairs", "members_recruited")


def test_deck_json_is_computed_once(stations):
    """Test that a built deck serialises once and returns the same spec again (cached decks)."""
    deck = maps.build_deck(maps.station_points(stations, "zh"), "carto", "zh")
    assert deck.to_json() is deck.to_json()
    assert json.loads(deck.to_json())["layers"][1]["id"] == "stations"


# --- the offline base layer: bundled district outlines ------------------------------------------

HUANGCUN = (39.7286, 116.3350)  # 黄村, Daxing's seat
ZHAITANG = (39.9700, 115.6800)  # 斋堂, Mentougou


def at(*places: tuple[float, float]) -> pl.DataFrame:
    """Stations (one per position) in the query's schema."""
    rows = [
        {**station(f"s{i}", "union_station", "黄村镇", 2024), "lat": lat, "lon": lon}
        for i, (lat, lon) in enumerate(places)
    ]
    return pl.DataFrame(rows, schema=STATION_SCHEMA)


def districts_layer(deck) -> dict:
    """The deck's district outline layer, as sent to the browser."""
    return next(layer for layer in spec(deck)["layers"] if layer["id"] == "districts")


def test_bundled_boundaries_hold_daxing_and_its_neighbours():
    """Test that the bundled outlines name Daxing and the districts and counties around it."""
    names = {f["properties"]["name_zh"] for f in offline.boundary_features()}
    assert {"大兴区", "丰台区", "房山区", "通州区", "朝阳区", "固安县", "广阳区", "涿州市"} <= names


@pytest.mark.parametrize(
    ("place", "district"),
    [(HUANGCUN, "大兴区"), (ZHAITANG, "门头沟区"), ((39.9087, 116.3975), "东城区")],
)
def test_a_station_falls_in_its_own_district(place, district):
    """Test that a station's district (by the bundled outline) is the one it lies in."""
    held = offline.holding_districts(maps.station_points(at(place), "zh"))
    names = {
        f["properties"]["adcode"]: f["properties"]["name_zh"] for f in offline.boundary_features()
    }
    assert [names[a] for a in held] == [district]


@pytest.mark.parametrize("basemap", ["carto", "amap", "none"])
def test_every_basemap_draws_the_district_outline_under_the_stations(basemap):
    """Test that the outline layer (no request) comes first on every basemap, Daxing in bold."""
    deck = maps.build_deck(maps.station_points(at(HUANGCUN), "zh", basemap), basemap, "zh")
    layers = spec(deck)["layers"]
    assert [layer["id"] for layer in layers[:2]] == ["districts", "stations"]
    feats = {f["properties"]["name_zh"]: f["properties"] for f in layers[0]["data"]["features"]}
    assert feats["大兴区"]["width"] == 3 and feats["大兴区"]["line"][:3] == list(offline.OUTLINE)
    assert feats["丰台区"]["width"] == 1


def test_amap_outline_is_shifted_to_gcj02_like_the_points():
    """Test that on AMap tiles the outline moves by the same GCJ-02 offset as the stations."""
    plain = districts_layer(maps.build_deck(maps.station_points(at(HUANGCUN), "zh"), "carto"))
    shifted = districts_layer(
        maps.build_deck(maps.station_points(at(HUANGCUN), "zh", "amap"), "amap")
    )
    lon, lat = plain["data"]["features"][0]["geometry"]["coordinates"][0][0][0]
    g_lat, g_lon = gcj.wgs84_to_gcj02(lat, lon)
    assert shifted["data"]["features"][0]["geometry"]["coordinates"][0][0][0] == pytest.approx(
        [g_lon, g_lat]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_offline_layer_names_the_districts_at_18px_and_keeps_towns_clear(lang):
    """Test that offline the district names show (≥ 14 px) and no town label overlaps them."""
    points = maps.station_points(at(HUANGCUN, ZHAITANG), lang, "none")
    layers = {layer["id"]: layer for layer in spec(maps.build_deck(points, "none", lang))["layers"]}
    names = [d["name"] for d in layers["districts-names"]["data"]]
    assert ("大兴区" if lang == "zh" else "Daxing") in names
    assert layers["districts-names"]["getSize"] >= 14 and layers["towns"]["getSize"] >= 14


def test_a_town_name_under_a_district_name_is_left_out():
    """Test that a town whose label would print over its district's name is not labelled."""
    daxing = next(f for f in offline.boundary_features() if f["properties"]["name_zh"] == "大兴区")
    lon, lat = offline._label_point(daxing)
    points = maps.station_points(at((lat, lon)), "zh", "none")
    zoom = maps.view_state(points).zoom
    _, boxes = offline.district_labels(offline.holding_districts(points), "zh", zoom)
    assert "黄村镇" in offline.town_labels(points, zoom)["town"].to_list()
    assert "黄村镇" not in offline.town_labels(points, zoom, boxes)["town"].to_list()


def test_tiles_reachable_is_false_when_nothing_listens():
    """Test that the tile probe answers False (not an exception) when the host refuses."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert maps.tiles_reachable("127.0.0.1", port, timeout=0.5) is False


def test_tiles_reachable_is_true_when_the_host_answers():
    """Test that the tile probe answers True when the host accepts a connection."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        assert maps.tiles_reachable("127.0.0.1", sock.getsockname()[1], timeout=2.0) is True


def test_a_border_landmark_does_not_outline_the_neighbouring_county():
    """Test that the airport station (on the Beijing–Hebei line) outlines Daxing, the org's
    district, and not 广阳区, whose outline its landmark estimate falls inside."""
    airport = maps.station_points(at((39.5098, 116.4105), HUANGCUN), "zh")
    names = {
        f["properties"]["adcode"]: f["properties"]["name_zh"] for f in offline.boundary_features()
    }
    assert {names[a] for a in offline.holding_districts(airport, ["daxing", "beijing"])} == {
        "大兴区"
    }
