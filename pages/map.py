"""Station map page (服务阵地地图): stations coloured by type on the chosen basemap (Carto, AMap in
GCJ-02, or none for offline use), filters by type, org (one level at a time: province → city →
district) and town, the stations open by the end of a chosen year (undated ones shown and counted
as such), a legend with counts per type beside the map, and tooltips in the UI language that flag
approximate positions. Above settings.HEXAGON_THRESHOLD matching stations the server sends
grid-cell totals instead of points; the database counts them (lib.ui.map_filter)."""

import streamlit as st

from lib import ui
from lib.core import settings
from lib.core.catalog import data_label, station_type_name
from lib.ui import map_filter, session

session.require_role("viewer")
lang = ui.lang()
choices = map_filter.map_choices()

st.title(ui.t("map.title"))
basemap = ui.basemap_picker("map_basemap", where=st.sidebar)
col_type, col_org, col_town = st.columns(3)
types = ui.bound_multiselect(
    ui.t("map.types"),
    choices.types,
    key="map_types",
    param="type",
    format_func=lambda c: station_type_name(c, lang),
    placeholder=ui.t("map.all"),
    where=col_type,
)
org = map_filter.org_filter(where=col_org)
towns = ui.bound_multiselect(
    ui.t("map.towns"),
    map_filter.map_towns(org),
    key="map_towns",
    param="town",
    format_func=lambda town: data_label(town, lang),
    placeholder=ui.t("map.all"),
    where=col_town,
)
as_of = None
span = choices.span
if span and span[0] < span[1]:
    as_of = st.slider(
        ui.t("map.as_of"),
        span[0],
        span[1],
        span[1],
        key="map_year",
        bind="query-params",
        help=ui.t("map.as_of.help"),
    )
view = map_filter.map_view(types, org, towns, as_of, basemap)

col_map, col_side = st.columns([3, 1])
with col_map:
    if view.total == 0:
        st.info(ui.t("map.none"))
    st.pydeck_chart(view.deck, key="map_deck", height=520)
    if view.aggregated:
        st.caption(ui.t("map.grid_note", n=settings.HEXAGON_THRESHOLD))
    else:
        st.caption(ui.t("map.approx_note"))
    reported = map_filter.map_reported(org)
    if reported:
        st.caption(
            ui.t(
                "map.plotted_vs_reported",
                n=view.total,
                reported=ui.literal(("；" if lang == "zh" else "; ").join(reported)),
            )
        )
    elif reported is not None:
        st.caption(ui.t("map.plotted_only", n=view.total))
    st.caption(ui.t("map.outline_note"))
with col_side:
    st.markdown(f"**{ui.t('map.counts')}**")
    ui.legend(view.counts)
    st.caption(ui.t("map.total", n=view.total))
    if view.undated:
        st.caption(ui.t("map.undated_note", n=view.undated))
