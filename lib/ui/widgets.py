"""Shared widgets of the pages: pickers bound to the URL, tables, a colour legend, the link to the
sources page and the notice over figures uploaded from data/examples/.

Org, year, category and selected indicators live in st.query_params under short shared names
(org, year, cat, ind, orgs …); each widget keeps a page-prefixed key. Copying the URL reproduces
the view; a value the URL names that is no longer an option falls back to the default.

Why not streamlit 1.67's bind="query-params" (the map's slider uses it): a bound widget's URL name
is its key (QueryParams.bind_widget(param_key=user_key)), but our keys are page-prefixed and one
per language (lang_key) while the URL names are shared by every page; and a bound select box writes
its format_func label (SelectboxSerde.serialize), so the URL would hold 大兴区总工会 or its English
name, by language, instead of the code daxing. Revisit when bind takes a parameter name."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from lib.dash import charts
from lib.ui import org_levels
from lib.ui.cache import example_batches_in, org_names
from lib.ui.lang import lang, lang_key, t


def _url_value(param: str, options: list) -> object | None:
    """The option whose text equals the URL's value of a parameter (None if none does)."""
    raw = st.query_params.get(param)
    if raw is None:
        return None
    return next((o for o in options if str(o) == raw), None)


def bound_select(
    label: str,
    options: list,
    *,
    key: str,
    param: str,
    default: object,
    format_func=str,  # noqa: ANN001
    where=None,  # noqa: ANN001
    **kwargs: object,
) -> object:
    """A selectbox whose value is initialised from and written to ?param= in the URL.

    The starting choice goes to the widget as its ``index``, never written into session state:
    a value set through session state reaches the browser only with the run that set it, and when
    a quick second run superseded that one, the browser kept option 0 and sent it back with the
    next change of any other widget (the presenter's org jumped to the first org)."""
    options = list(options)
    fallback = default if default in options else (options[0] if options else None)
    # One widget per language: a selectbox keeps showing the label it had when its options'
    # labels change under the same key, so a language switch would leave Chinese in the box.
    key = lang_key(key)
    kwargs.setdefault("placeholder", t("common.choose"))
    if key not in st.session_state:
        from_url = _url_value(param, options)
        current = from_url if from_url is not None else fallback
        index = options.index(current) if current in options else None
    elif st.session_state[key] in options:
        index = options.index(st.session_state[key])
    else:
        # A stale value, or an option's label from the other language (the browser sends labels
        # back): put the fallback in its place, which goes to the browser with this run.
        st.session_state[key] = fallback
        index = None
    host = where if where is not None else st
    choice = host.selectbox(label, options, index=index, key=key, format_func=format_func, **kwargs)
    if choice is not None:
        st.query_params[param] = str(choice)
    return choice


def bound_multiselect(
    label: str,
    options: list,
    *,
    key: str,
    param: str,
    default: list | None = None,
    format_func=str,  # noqa: ANN001
    where=None,  # noqa: ANN001
    **kwargs: object,
) -> list:
    """A multiselect whose values are initialised from and written to repeated ?param= values."""
    options = list(options)
    kwargs.setdefault("placeholder", t("common.choose"))  # not streamlit's "Choose options"
    if key not in st.session_state:
        raw = st.query_params.get_all(param)
        picked = [o for o in options if str(o) in raw] if raw else list(default or [])
        limit = kwargs.get("max_selections")
        picked = [o for o in picked if o in options]
        st.session_state[key] = picked[: int(limit)] if isinstance(limit, int) else picked
    else:
        st.session_state[key] = [o for o in st.session_state[key] if o in options]
    host = where if where is not None else st
    chosen = host.multiselect(label, options, key=key, format_func=format_func, **kwargs)
    if chosen:
        st.query_params[param] = [str(c) for c in chosen]
    elif param in st.query_params:
        del st.query_params[param]
    return list(chosen)


FLAT_ORGS_MAX = 50  # above this many orgs the org pickers go one level at a time


def _org_choices(key: str, where, param: str) -> tuple[list[str], str | None, dict[str, Any]]:  # noqa: ANN001
    """What both org pickers start from: every org's code, the default org (daxing, else the
    first org) and the arguments of a flat picker of every org (key, URL parameter, names)."""
    names = org_names()
    codes = list(names)
    default = "daxing" if "daxing" in names else (codes[0] if codes else None)
    flat = {"key": key, "param": param, "format_func": lambda c: names.get(c, c), "where": where}
    return codes, default, flat


def org_picker(key: str, where=None, param: str = "org") -> str:  # noqa: ANN001
    """The org picker (default daxing, else the first org), bound to ?org=: one select box of
    every org for a store of a few orgs; above FLAT_ORGS_MAX orgs one box per level (province →
    city → district …), each listing one level's orgs only."""
    codes, default, flat = _org_choices(key, where, param)
    if len(codes) > FLAT_ORGS_MAX:
        return org_levels.single(key, where, param, str(default))
    return bound_select(t("dash.org"), codes, default=default, **flat)  # type: ignore[return-value]


def orgs_picker(key: str, where=None, param: str = "orgs") -> list[str]:  # noqa: ANN001
    """One or two orgs to compare (default daxing, else the first org), bound to repeated
    ?orgs=: a multiselect of every org for a store of a few orgs; above FLAT_ORGS_MAX orgs two
    pickers of one box per level, the second one optional."""
    codes, default, flat = _org_choices(key, where, param)
    if len(codes) > FLAT_ORGS_MAX:
        return org_levels.pair(key, where, param, default or "")
    picked = [default] if default else []
    return bound_multiselect(t("dash.orgs"), codes, default=picked, max_selections=2, **flat)


def year_picker(key: str, years: list[int], default: int | None, where=None) -> int | None:  # noqa: ANN001
    """The year selectbox (newest first, default the latest year with data), bound to ?year=."""
    options = sorted(years, reverse=True)
    if not options:
        return None
    return bound_select(  # type: ignore[return-value]
        t("dash.year"), options, key=key, param="year", default=default, where=where
    )


def show_frame(df: pl.DataFrame, key: str, **kwargs: Any) -> None:
    """Show a frame as a table (no index, full width)."""
    st.dataframe(df, hide_index=True, width="stretch", key=key, **kwargs)


def legend(counts: pl.DataFrame) -> None:
    """A colour legend with counts from a frame of name, #rrggbb colour and count; names escaped."""
    items = counts.select("name", "color", "count").iter_rows()

    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:.5rem;margin:.15rem 0">'
        f'<span style="width:.9rem;height:.9rem;border-radius:50%;background:{html.escape(color)};'
        f'display:inline-block;flex:none"></span><span>{html.escape(name)}</span>'
        f'<span style="margin-left:auto;font-weight:600">{int(count)}</span></div>'
        for name, color, count in items
    )
    st.html(rows)


def png_button(figure: Callable[[], go.Figure], filename: str, key: str) -> None:
    """A chart's PNG download under it: its plotly figure (the deck's look) rendered on click."""

    def png() -> bytes:
        """The figure as a PNG at twice its drawn size."""
        fig = figure()
        return charts.figure_png(fig, 900, int(fig.layout.height or 400), scale=2)

    st.download_button(
        t("chart.png"),
        data=png,
        file_name=f"{filename}.png",
        mime="image/png",
        key=key,
        icon=":material/image:",
        type="tertiary",
        on_click="ignore",
    )


def sources_link(params: dict[str, str]) -> None:
    """A link to the sources page carrying the view's parameters (and the language)."""
    if lang() == "en":
        params = {**params, "lang": "en"}
    label = f"{t('dash.sources_link')} →"
    try:
        st.page_link(
            "pages/sources.py", label=label, query_params=params, icon=":material/menu_book:"
        )
    except st.errors.StreamlitAPIException:
        # The page runs alone (tests, bare mode): no page registry, so a plain relative link.
        query = "&".join(f"{k}={v}" for k, v in params.items())
        st.markdown(f"[{label}](sources?{query})")


def example_notice(org_codes: tuple[str, ...] | None) -> None:
    """A warning above a dashboard whose figures include a batch uploaded from data/examples/."""
    found = example_batches_in(org_codes)
    if found:
        batches_text = "、".join(str(b) for b in found)
        st.warning(t("example.notice", batches=batches_text), icon=":material/science:")
