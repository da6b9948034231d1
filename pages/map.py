"""Station map page (服务阵地地图): stations coloured by type on the chosen basemap (Carto, AMap in
GCJ-02, or none for offline use), filters by type, org, town and opened year, a legend with counts
per type beside the map, and tooltips in the UI language that flag approximate positions."""

import streamlit as st

from lib import maps, settings, ui
from lib.catalog import station_type_name
from lib.ui import session

session.require_role("viewer")
lang = ui.lang()
stations = ui.stations()
names = ui.org_names()

st.title(ui.t("map.title"))
basemap = ui.bound_select(
    ui.t("map.basemap"),
    list(settings.BASEMAPS),
    key="map_basemap",
    param="basemap",
    default=settings.basemap(),
    format_func=lambda b: ui.t(f"map.basemap.{b}"),
    where=st.sidebar,
)
col_type, col_org, col_town = st.columns(3)
types = ui.bound_multiselect(
    ui.t("map.types"),
    maps.present_types(stations),
    key="map_types",
    param="type",
    format_func=lambda c: station_type_name(c, lang),
    placeholder=ui.t("map.all"),
    where=col_type,
)
orgs = ui.bound_multiselect(
    ui.t("map.orgs"),
    sorted(set(stations.get_column("org_code").to_list())),
    key="map_orgs",
    param="orgs",
    format_func=lambda c: names.get(c, c),
    placeholder=ui.t("map.all"),
    where=col_org,
)
towns = ui.bound_multiselect(
    ui.t("map.towns"),
    maps.present_towns(stations, orgs),
    key="map_towns",
    param="town",
    placeholder=ui.t("map.all"),
    where=col_town,
)
span = maps.opened_span(stations)
opened = None
if span and span[0] < span[1]:
    picked = st.slider(
        ui.t("map.opened"), span[0], span[1], span, key="map_opened", bind="query-params"
    )
    opened = None if tuple(picked) == span else tuple(picked)
shown = maps.filter_stations(stations, types, orgs, towns, opened)
points = maps.station_points(shown, lang, basemap)

col_map, col_side = st.columns([3, 1])
with col_map:
    if shown.is_empty():
        st.info(ui.t("map.none"))
    st.pydeck_chart(maps.build_deck(points, basemap, lang), key="map_deck", height=520)
    st.caption(ui.t("map.approx_note"))
    if points.height > settings.HEXAGON_THRESHOLD:
        st.caption(ui.t("map.hex_note", n=settings.HEXAGON_THRESHOLD))
with col_side:
    st.markdown(f"**{ui.t('map.counts')}**")
    counts = maps.type_counts(shown, lang)
    ui.legend(list(counts.select("name", "color", "count").iter_rows()))
    st.caption(ui.t("map.total", n=shown.height))
