"""Presenter mode (演示模式): full-screen slides of an org and year for a joint meeting — live
figures or a frozen meeting snapshot — with keyboard/clicker navigation, optional auto-advance,
the presenter's text sections, hidden and reordered slides, speaker notes, and the meeting pack
(PPTX, PDF, PNG) of exactly what is shown."""

import streamlit as st

from lib import ui
from lib.ui import present, present_plan, session

session.require_role("viewer")
present.apply_pending_source()
theme = st.session_state.get("present_theme") or "dark"
present.chrome(theme)
present.keyboard()

with st.expander(ui.t("present.settings"), icon=":material/tune:"):
    c_org, c_year, c_data, c_theme = st.columns([3, 1, 3, 2])
    org = ui.org_picker("present_org", where=c_org)
    years, default = present.years(org) if org else ([], None)
    year = ui.year_picker("present_year", years, default, where=c_year)
    if not org or year is None:
        st.info(ui.t("present.no_figures"))
        st.stop()
    source = present.snapshot_picker(org, year, c_data)
    c_theme.segmented_control(
        ui.t("present.theme"),
        ["dark", "light"],
        default=theme,
        key="present_theme",
        format_func=lambda v: ui.t(f"present.theme.{v}"),
    )
    c_auto, c_int, c_map, c_name, c_exp = st.columns([1, 1, 2, 3, 3])
    auto = c_auto.toggle(ui.t("present.auto"), key="present_auto")
    interval = c_int.selectbox(
        ui.t("present.interval"), present.INTERVALS, index=1, key="present_interval"
    )
    basemap = ui.basemap_picker("present_basemap", where=c_map)
    data = present.payload(org, year, source)
    key = present_plan.source_key(org, year, source)
    plan = present_plan.deck_plan_for(key, data)
    present.freeze_form(org, year, c_name, plan)
    data = {**data, "deck": plan.as_dict()}
    present.export_buttons(data, c_exp)
    every = present.slides_for(data, every=True)
    deck = [s for s in every if s.key not in set(plan.hidden)] or every[:1]
    with st.container(key="present_slides_panel"):
        st.markdown(f"**{ui.t('deck.ui.slides')}**")
        present_plan.slide_controls(key, source, every, deck)
    with st.container(key="present_texts_panel"):
        st.markdown(f"**{ui.t('deck.ui.texts')}**")
        present_plan.text_editor(key, source, org, year)
    suffix = "?lang=en" if ui.lang() == "en" else ""
    st.markdown(f"[{ui.t('present.exit')} ↩](overview{suffix})")

present.reset_on_change((org, year, source, ui.lang()), deck)
present.deck(deck, theme, str(basemap), bool(auto), int(interval))
