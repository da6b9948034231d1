"""Station map page (服务阵地地图): stations coloured by type on the chosen basemap (Carto, AMap in
GCJ-02, or none for offline use), filters by type, org and town, the stations open by the end of a chosen year (undated ones shown
and counted as such), a legend with counts
per type beside the map, and tooltips in the UI language that flag approximate positions. Above
settings.HEXAGON_THRESHOLD matching stations the server sends grid-cell totals instead of points;
every frame here comes from lib.ui caches keyed on the filters and the data version."""

import streamlit as st

from lib import ui
from lib.core import settings
from lib.core.catalog import data_label, station_type_name
from lib.ui import session

session.require_role("viewer")
lang = ui.lang()
type_choices, org_choices, span = ui.map_choices()
names = ui.org_names()

st.title(ui.t("map.title"))
basemap = ui.basemap_picker("map_basemap", where=st.sidebar)
col_type, col_org, col_town = st.columns(3)
types = ui.bound_multiselect(
    ui.t("map.types"),
    type_choices,
    key="map_types",
    param="type",
    format_func=lambda c: station_type_name(c, lang),
    placeholder=ui.t("map.all"),
    where=col_type,
)
orgs = ui.bound_multiselect(
    ui.t("map.orgs"),
    org_choices,
    key="map_orgs",
    param="orgs",
    format_func=lambda c: names.get(c, c),
    placeholder=ui.t("map.all"),
    where=col_org,
)
towns = ui.bound_multiselect(
    ui.t("map.towns"),
    ui.map_towns(orgs),
    key="map_towns",
    param="town",
    format_func=lambda town: data_label(town, ui.lang()),
    placeholder=ui.t("map.all"),
    where=col_town,
)
as_of = None
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
deck, counts, total, aggregated, undated = ui.map_view(types, orgs, towns, as_of, basemap)

col_map, col_side = st.columns([3, 1])
with col_map:
    if total == 0:
        st.info(ui.t("map.none"))
    st.pydeck_chart(deck, key="map_deck", height=520)
    if aggregated:
        st.caption(ui.t("map.grid_note", n=settings.HEXAGON_THRESHOLD))
    else:
        st.caption(ui.t("map.approx_note"))
    reported = ui.map_reported(orgs)
    if reported:
        st.caption(
            ui.t(
                "map.plotted_vs_reported",
                n=total,
                reported=ui.literal(("；" if lang == "zh" else "; ").join(reported)),
            )
        )
    elif reported is not None:
        st.caption(ui.t("map.plotted_only", n=total))
    st.caption(ui.t("map.outline_note"))
with col_side:
    st.markdown(f"**{ui.t('map.counts')}**")
    ui.legend(counts)
    st.caption(ui.t("map.total", n=total))
    if undated:
        st.caption(ui.t("map.undated_note", n=undated))
