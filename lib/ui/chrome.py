"""Streamlit's own words in the UI language. Streamlit 1.67 has no locale setting: its frontend
writes fixed English. In the Chinese UI a fixed style block (our words only, no data; drawn by the
shared frame's one st.html) sets each English word's size to 0 and draws ours after it with
``::after``, found by data-testid, aria-label and DOM position:

- the table toolbar's tooltips ("Show/hide columns", "Download as CSV", "Search", "Fullscreen",
  "Close fullscreen", "Clear selection", "Add row", "Delete row(s)"), chosen by the hovered
  button's aria-label; the same "Fullscreen" button plotly charts get from Streamlit;
- the keyboard's first stop, "Skip to main content" (shown only while it has the focus);
- the column list behind "Show/hide columns" ("Select all", "(index)"), the search box's
  "Type to search", a select box's or multiselect's "No results" when a typed filter matches
  nothing, and "Press Enter to apply" / "Press Enter to submit form" under a text box;
- a column's menu (the ⋮ in its header): "Sort ascending", "Sort descending", "Statistics",
  "Format", "Autosize", "Pin column"/"Unpin column" (one word for both: the menu gives CSS nothing
  to tell them apart) and "Hide column".

Not reachable by CSS, so English in both UIs: the search box's count ("3 results", "1 of 3
results", "over 1000"), built from numbers; the browser's own tooltip "Copy column name" (a title
attribute); aria-labels read by screen readers. Not done (reachable only by position among many
items): the submenus of a column menu's Statistics ("Count", "Distinct", "Average", …) and Format
("Automatic", "Localized", "Plain", "Percent", …); nor the dialog shown when the server is gone
("Connection error", "Is Streamlit still running? …"). The uploader's own words are drawn by
lib/ui/upload.py, on its page only. The status widget ("Running...", "Stop")
and the main menu are never drawn: ``client.toolbarMode = "minimal"`` in .streamlit/config.toml
hides the whole top-right toolbar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from lib.core.strings.chrome import STRINGS
from lib.ui.lang import t

# aria-label of a toolbar button (Streamlit's English) -> the key of our word for its tooltip
TOOLTIPS: dict[str, str] = {
    "Show/hide columns": "chrome.tip.columns",
    "Download as CSV": "chrome.tip.download",
    "Search": "chrome.tip.search",
    "Fullscreen": "chrome.tip.fullscreen",
    "Close fullscreen": "chrome.tip.close_fullscreen",
    "Clear selection": "chrome.tip.clear_selection",
    "Add row": "chrome.tip.add_row",
    "Delete row(s)": "chrome.tip.delete_rows",
}

_MENU = '[data-testid="stDataFrameColumnMenu"] [role="menu"]'
_ITEM = '[role="menuitem"]'
_COLUMNS = '[data-testid="stDataFrameColumnVisibilityMenu"]'
# CSS selector of an English word's element -> the key of our word (font size: Streamlit's own)
_SMALL = "0.875rem"
_WORDS: list[tuple[str, str, str]] = [
    ('[data-testid="stSkipToContent"]', "chrome.skip", _SMALL),
    (
        f'{_COLUMNS} label:has(> input[aria-label="Select all"]) > span:last-child',
        "chrome.select_all",
        _SMALL,
    ),
    (
        f'{_COLUMNS} label:has(> input[aria-label="(index)"]) > span:last-child',
        "chrome.index",
        _SMALL,
    ),
    (".gdg-search-status > label", "chrome.type_to_search", "0.75rem"),
    ('[role="listbox"][data-empty="true"] [role="option"] > span', "chrome.no_results", _SMALL),
    ('[data-testid="InputInstructions"] > span:first-child', "common.enter_to_apply", "0.75rem"),
    (f"{_MENU} > {_ITEM}:has(+ {_ITEM} + div:not([role]))", "chrome.sort_asc", _SMALL),
    (f"{_MENU} > {_ITEM}:has(+ div:not([role]))", "chrome.sort_desc", _SMALL),
    (f'{_MENU} {_ITEM}[aria-haspopup="true"] > div', "chrome.statistics", _SMALL),
    (f'{_MENU} {_ITEM}[aria-haspopup="menu"] > div', "chrome.format", _SMALL),
    (f"{_MENU} > {_ITEM}:has(+ {_ITEM} + {_ITEM}:last-child)", "chrome.autosize", _SMALL),
    (f"{_MENU} > {_ITEM}:has(+ {_ITEM}:last-child)", "chrome.pin", _SMALL),
    (f"{_MENU} > {_ITEM}:last-child", "chrome.hide", _SMALL),
]


def css_string(text: str) -> str:
    """A CSS string literal of a fixed word of ours (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def swap(selector: str, text: str, size: str) -> str:
    """CSS that draws an element's English at size 0 and our word after it."""
    return (
        f"{selector} {{ font-size: 0 !important; }}\n"
        f"{selector}::after {{ content: {css_string(text)}; font-size: {size}; }}\n"
    )


def tooltip_rules() -> str:
    """The toolbar tooltips: while a button with that aria-label is hovered or focused, the one
    tooltip on screen is its own; plotly's Streamlit-added "Fullscreen" button too."""
    rules = []
    for label, key in TOOLTIPS.items():
        button = f'[data-testid="stElementToolbar"] button[aria-label="{label}"]'
        hovered = f"body:has({button}:is(:hover, :focus-visible))"
        rules.append(swap(f'{hovered} [data-testid="stTooltipContent"] p', t(key), _SMALL))
        rules.append(
            f'.js-plotly-plot .plotly .modebar-btn[data-title="{label}"]::after '
            f"{{ content: {css_string(t(key))} !important; }}\n"
        )
    return "".join(rules)


def style(lang: str) -> str:
    """The style block that draws Streamlit's own words in the UI language ("" in English,
    which are Streamlit's words already)."""
    if lang == "en":
        return ""
    words = "".join(swap(selector, t(key), size) for selector, key, size in _WORDS)
    return f"<style>\n{tooltip_rules()}{words}</style>\n"


# Where the script (chrome_words.js) rewrites Streamlit's English in place: (scope, skip, attribute,
# the prefix of our words' keys). Scopes are Streamlit's own elements, so no text of ours or of the
# data (a table's cells are drawn on a canvas; a text column's top values sit in the skipped chart).
_SCRIPTED: list[tuple[str, str, str, str]] = [
    ('[data-testid="search-result-area"]', "", "", "chrome.count."),
    ('[data-testid="stDataFrameColumnMenu"] button[title]', "", "title", "chrome.copy_name"),
    (
        '[data-testid="stDataFrameStatisticsMenu"]',
        '[data-testid="stDataFrameStatisticsChart"]',
        "",
        "chrome.stat.",
    ),
    ('[data-testid="stDataFrameColumnFormattingMenu"] [role="menuitem"]', "", "", "chrome.format."),
    ('[data-testid="stDialog"]', "", "", "chrome.conn."),
    ('[data-testid="stTooltipContent"]', "", "", "chrome.copy_code"),  # the dialog's code box
]
WORDS_KEY = "sidebar_chrome_words"  # the mounted script's element (hidden by lib/ui/sidebar.py)
_WORDS_JS = (Path(__file__).parent / "chrome_words.js").read_text(encoding="utf-8")


def script_rules() -> list[dict[str, object]]:
    """The script's rules in the UI language: per scope, Streamlit's English and our word."""
    return [
        {
            "scope": scope,
            "skip": skip,
            "attr": attr,
            "words": [[en, t(key)] for key, (_, en) in STRINGS.items() if key.startswith(prefix)],
        }
        for scope, skip, attr, prefix in _SCRIPTED
    ]


@st.cache_resource(show_spinner=False)
def _words_component() -> Callable[..., Any]:
    """The script's component (registered once per process)."""
    return st.components.v2.component("kpi_chrome_words", js=_WORDS_JS)


def words(lang: str) -> None:
    """Mount the script that writes Streamlit's unstyled English in the UI language (nothing in
    English: Streamlit's words are English already)."""
    if lang == "en":
        return
    _words_component()(key=WORDS_KEY, data={"rules": script_rules()})
