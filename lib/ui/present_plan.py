"""Presenter mode's deck plan (演示模式): the presenter's own text sections (存在的问题和不足,
下一步工作打算, 提请协调解决的事项, zh and en, with the cited 产改 plan line offered as a start),
hiding, showing and reordering slides, and the presenter-only speaker-notes panel.

The plan is a draft in the session per data source; on a snapshot every change is saved to the
store at once (audited, lib.deck.snapshots.save_plan) for a signed-in user; on live figures it is
stored when the presenter freezes a snapshot. Text is shown escaped (st.text, text areas).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.deck import snapshots
from lib.deck.model import DeckPlan, Slide
from lib.deck.texts import TEXT_SECTIONS, suggestion, suggestion_text
from lib.ui import database_url, lang, session, t

PLANS_KEY = "present_plans"  # source key -> DeckPlan dict (the session's drafts)
INDEX_KEY = "present_index"  # the slide on screen (index among the slides shown)
NOTES_KEY = "present_show_notes"


def source_key(org: str, year: int, snapshot_id: int | None) -> str:
    """The key of a data source's draft: a snapshot, or the live figures of an org and year."""
    return f"snap{snapshot_id}" if snapshot_id is not None else f"live_{org}_{year}"


def deck_plan_for(key: str, data: dict[str, Any]) -> DeckPlan:
    """The session's draft plan of a source (first taken from the snapshot's stored plan)."""
    plans = st.session_state.setdefault(PLANS_KEY, {})
    if key not in plans:
        plans[key] = DeckPlan.of(data.get("deck")).as_dict()
    return DeckPlan.of(plans[key])


def _store(key: str, snapshot_id: int | None, plan: DeckPlan) -> None:
    """Keep a changed plan as the draft, and save it to its snapshot for a signed-in user."""
    st.session_state.setdefault(PLANS_KEY, {})[key] = plan.as_dict()
    user = session.current_username() if session.current_role() else ""
    if snapshot_id is None or not user:
        return
    try:
        if snapshots.save_plan(snapshot_id, plan, user, database_url()):
            st.toast(t("deck.ui.saved"))
    except ValueError:
        st.error(t("deck.ui.too_long", n=snapshots.MAX_SECTION_CHARS))


def _widget(key: str, section: str, language: str) -> str:
    """The widget key of a text area."""
    return f"present_text_{key}_{section}_{language}"


def _text_changed(key: str, snapshot_id: int | None, section: str, language: str) -> None:
    """A text area changed: put its text in the plan."""
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    text = str(st.session_state.get(_widget(key, section, language)) or "")
    plan.texts.setdefault(section, {})[language] = text
    _store(key, snapshot_id, plan)


def _add_line(key: str, snapshot_id: int | None, org: str, year: int) -> None:
    """Append the cited plan line to 下一步工作打算 in both languages."""
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    for language in ("zh", "en"):
        line = suggestion(org, year)
        if line is None:
            continue
        text = plan.text("next_steps", language)
        new = suggestion_text(line, language)
        if new not in text:
            text = f"{text}\n{new}".strip()
        plan.texts.setdefault("next_steps", {})[language] = text
        st.session_state[_widget(key, "next_steps", language)] = text
    _store(key, snapshot_id, plan)


def text_editor(key: str, snapshot_id: int | None, org: str, year: int) -> None:
    """A simple editor per text section (zh and en side by side); empty sections stay out."""
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    st.caption(t("deck.ui.texts_help"))
    if snapshot_id is None:
        st.caption(t("deck.ui.live_note"))
    elif not session.current_role():
        st.caption(t("deck.ui.denied"))
    for section in TEXT_SECTIONS:
        st.markdown(f"**{t(f'deck.section.{section}')}**")
        columns = st.columns(2)
        for language, column in zip(("zh", "en"), columns, strict=True):
            widget = _widget(key, section, language)
            if widget not in st.session_state:
                st.session_state[widget] = plan.text(section, language)
            column.text_area(
                t(f"deck.ui.lang.{language}"),
                key=widget,
                max_chars=snapshots.MAX_SECTION_CHARS,
                height=110,
                on_change=_text_changed,
                args=(key, snapshot_id, section, language),
            )
        line = suggestion(org, year) if section == "next_steps" else None
        if line is not None:
            st.button(
                t("deck.ui.suggest", text=suggestion_text(line, lang())),
                key=f"present_suggest_{key}",
                icon=":material/format_quote:",
                on_click=_add_line,
                args=(key, snapshot_id, org, year),
            )


def _hidden_changed(key: str, snapshot_id: int | None) -> None:
    """The hidden-slides list changed: put it in the plan."""
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    plan.hidden = list(st.session_state.get(f"present_hidden_{key}") or [])
    _store(key, snapshot_id, plan)


def _on_screen(shown: list[str]) -> int:
    """The index of the slide on screen among the slides shown."""
    return max(0, min(len(shown) - 1, int(st.session_state.get(INDEX_KEY, 0))))


def _move(
    key: str, snapshot_id: int | None, order: list[str], shown: list[str], delta: int
) -> None:
    """Move the slide on screen before the previous (-1) or after the next (+1) slide shown,
    and stay on it."""
    at = _on_screen(shown)
    if not 0 <= at + delta < len(shown):
        return
    slide, other = shown[at], shown[at + delta]
    order = [k for k in order if k != slide]
    order.insert(order.index(other) + (1 if delta > 0 else 0), slide)
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    plan.order = order
    st.session_state[INDEX_KEY] = at + delta
    _store(key, snapshot_id, plan)


def _hide(key: str, snapshot_id: int | None, shown: list[str]) -> None:
    """Hide the slide on screen (the next one takes its place)."""
    if len(shown) <= 1:
        return
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    plan.hidden = [*plan.hidden, shown[_on_screen(shown)]]
    st.session_state[f"present_hidden_{key}"] = plan.hidden
    _store(key, snapshot_id, plan)


def slide_controls(
    key: str, snapshot_id: int | None, every: list[Slide], shown: list[Slide]
) -> None:
    """Hide and show slides (a list of every slide), move the slide on screen earlier or later,
    hide it, and switch the speaker notes on or off."""
    plan = DeckPlan.of(st.session_state[PLANS_KEY][key])
    titles = {s.key: s.title for s in every}
    widget = f"present_hidden_{key}"
    if widget not in st.session_state:
        st.session_state[widget] = [k for k in plan.hidden if k in titles]
    st.multiselect(
        t("deck.ui.hidden"),
        list(titles),
        key=widget,
        format_func=lambda k: f"{list(titles).index(k) + 1}. {titles[k]}",
        on_change=_hidden_changed,
        args=(key, snapshot_id),
    )
    order, keys = list(titles), [s.key for s in shown]
    earlier, later, hide, notes = st.columns(4, vertical_alignment="center")
    for column, label, delta, icon in (
        (earlier, "deck.ui.earlier", -1, ":material/arrow_upward:"),
        (later, "deck.ui.later", 1, ":material/arrow_downward:"),
    ):
        column.button(
            t(label),
            key=f"present_move_{'up' if delta < 0 else 'down'}",
            icon=icon,
            on_click=_move,
            args=(key, snapshot_id, order, keys, delta),
        )
    hide.button(
        t("deck.ui.hide"),
        key="present_hide",
        icon=":material/visibility_off:",
        on_click=_hide,
        args=(key, snapshot_id, keys),
    )
    notes.toggle(t("deck.ui.notes"), key=NOTES_KEY)


def notes_panel(slide: Slide) -> None:
    """The presenter-only speaker notes of the slide on screen (when switched on), escaped."""
    if not st.session_state.get(NOTES_KEY):
        return
    with st.container(key="present_notes", border=True):
        st.caption(t("deck.ui.notes"))
        st.text(slide.notes or t("deck.ui.no_notes"))
