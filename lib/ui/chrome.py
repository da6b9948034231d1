"""Streamlit's own words in the UI language. Streamlit 1.67 has no locale setting: its frontend
writes fixed English. In the Chinese UI two fixed pieces of ours (our words only, no data) write
them in Chinese; in English nothing is added. Our words: lib/core/strings/chrome.py.

A style block (drawn by the shared frame's one st.html) sets an English word's size to 0 and draws
ours after it with ``::after``, found by data-testid and aria-label; CSS applies before any script
runs, so it keeps words that show as the page appears or on a hover:

- the table toolbar's tooltips ("Show/hide columns", "Download as CSV", "Search", "Fullscreen",
  "Close fullscreen", "Clear selection", "Add row", "Delete row(s)"), chosen by the hovered
  button's aria-label; the same "Fullscreen" button plotly charts get from Streamlit;
- the keyboard's first stop, "Skip to main content" (shown only while it has the focus);
- the column list behind "Show/hide columns" ("Select all", "(index)"), the search box's
  "Type to search", a select box's or multiselect's "No results" when a typed filter matches
  nothing, and "Press Enter to apply" / "Press Enter to submit form" under a text box.

A script (chrome_words.js, a components-v2 component mounted by the frame, its element hidden)
rewrites, in place, a text node or title reading exactly one of Streamlit's words inside one of
Streamlit's own elements, and again whenever the page changes (a MutationObserver); it reaches
what CSS cannot, and matches words, not positions (a word Streamlit renames stays English, never
a wrong word):

- the search box's count ("3 results" → 3 条结果, "1 of 3 results" → 第 1 条，共 3 条,
  "over 1000"), built from numbers;
- a column's menu (the ⋮ in its header): "Sort ascending", "Sort descending", "Statistics",
  "Format", "Autosize", "Pin column" and "Unpin column" (each its own word), "Hide column"; the
  tooltip of its copy button, "Copy column name" (a title attribute); its Statistics submenu
  ("Values", "Empty", "Distinct", "Average", …, "No data", "Based on sample") and Format
  submenu ("Automatic", "Localized", "Plain", "Percent", …, "Distance", "Calendar");
- the dialog shown when the server has gone ("Connection error", "Is Streamlit still
  running? …" or "Streamlit server is not responding. …", "Connection timed out."), as the
  page's script runs on without the server; the tooltip of its code box's copy button.

Still English: aria-labels read by screen readers (they are also what the style block and the
tests find buttons by); the values of a date-time column's Statistics submenu (its dates, in
the browser's locale, and its "Range" value, e.g. "0 seconds", built from numbers). The uploader's own words
are drawn by lib/ui/upload.py, on its page only. The status widget ("Running...", "Stop") and the
main menu are never drawn: ``client.toolbarMode = "minimal"`` in .streamlit/config.toml hides the
whole top-right toolbar."""

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
    ('[data-testid="stDataFrameColumnMenu"] [role="menuitem"]', "", "", "chrome.menu."),
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
