"""The dashboards' org pickers one level at a time (province → city → district …), for a store of
more orgs than one select box should list (lib.ui.widgets.FLAT_ORGS_MAX): one select box per
level, each listing the children of the org chosen above it (the top level's orgs first), so no
run sends every org. The org chosen lives in the URL as with the flat picker (?org=code, or
repeated ?orgs= for two orgs side by side); the boxes open on its lineage."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lib.ui.cache import org_children, org_names
from lib.ui.lang import lang_key, t

MAX_LEVELS = 10  # deeper than any federation hierarchy; stops a cycle in bad parent links


def org_path(code: str, children: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The orgs from the top down to an org (its lineage), or [] for an org not in the tree."""
    parent_of = {kid: parent for parent, kids in children.items() for kid in kids}
    path: list[str] = []
    while code in parent_of and code not in path and len(path) < MAX_LEVELS:
        path.insert(0, code)
        code = parent_of[code]
    return path


def _level_box(host, key: str, label: str, options: list[str], want: str, none: str) -> str:  # noqa: ANN001
    """One level's select box: the widget's own choice while it is one of the options, else
    ``want`` (from the URL) or the first option; returns the choice ("" = none, shown as the
    text of ``none``)."""
    names = org_names()
    key = lang_key(key)
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = options[0]  # the level above changed: start this one afresh
    index = options.index(want) if want in options else 0
    if key in st.session_state:
        index = options.index(st.session_state[key])
    choice = host.selectbox(
        label,
        options,
        index=index,
        key=key,
        format_func=lambda c: names.get(c, c) if c else t(none),
    )
    return str(choice or "")


def levels(key: str, host, want: str, label: str, optional: bool = False) -> str:  # noqa: ANN001
    """The boxes of one org, opening on the lineage of ``want``: the top level's orgs (with a
    first "none" option when ``optional``), then the chosen org's children or itself, and so
    on; returns the deepest org chosen ("" = none)."""
    children = org_children()
    path = org_path(want, children) if want else []
    chosen = parent = ""
    for level in range(MAX_LEVELS):
        kids = list(children.get(parent, ()))
        if not kids:
            break
        top = level == 0
        options = kids if top and not optional else ["", *kids]
        picked = _level_box(
            host,
            f"{key}_{level}",
            label if top else t("dash.org.below"),
            options,
            path[level] if level < len(path) else "",
            "dash.org.none" if top else "dash.org.itself",
        )
        if not picked:
            break
        chosen = parent = picked
    return chosen


def single(key: str, where, param: str, default: str) -> str:  # noqa: ANN001
    """One org, bound to ?param= (else ``default``); returns the org chosen."""
    children = org_children()
    from_url = st.query_params.get(param)
    want = from_url if from_url and org_path(from_url, children) else default
    chosen = levels(key, where if where is not None else st, want, t("dash.org"))
    if chosen:
        st.query_params[param] = chosen
    return chosen


def pair(key: str, where, param: str, default: str) -> list[str]:  # noqa: ANN001
    """One org and an optional second one beside it, bound to repeated ?param= (else
    ``default`` alone); returns the orgs chosen, one or two, different."""
    raw = st.query_params.get_all(param)
    host = where if where is not None else st
    left, right = host.columns(2)
    first = levels(f"{key}_a", left, raw[0] if raw else default, t("dash.org"))
    second = levels(f"{key}_b", right, raw[1] if len(raw) > 1 else "", t("dash.org.compare"), True)
    chosen = list(dict.fromkeys(c for c in (first, second) if c))
    if chosen:
        st.query_params[param] = chosen
    elif param in st.query_params:
        del st.query_params[param]
    return chosen
