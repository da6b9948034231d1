"""The UI language and its strings: the language from the URL (?lang=en, zh by default), a string
in it, text from files and forms made literal for streamlit's markdown, and a widget key per
language (a select box keeps the labels of the language it was drawn in)."""

from __future__ import annotations

import streamlit as st

from lib.core import i18n
from lib.core.escape import md_literal


def lang() -> str:
    """The UI language from the URL (?lang=en), zh by default."""
    return i18n.norm_lang(st.query_params.get("lang"))


def t(key: str, **fmt: object) -> str:
    """A UI string in the current language."""
    return i18n.t(key, lang(), **fmt)


def literal(text: object) -> str:
    """Text from a file or a form, made literal for streamlit's markdown (captions, help
    tooltips, headings, alerts): no link, image, HTML or directive from data ever renders."""
    return md_literal(text)


def lang_key(key: str) -> str:
    """A widget key for the current language: the key itself in Chinese, key_en in English."""
    current = lang()
    return key if current == i18n.DEFAULT_LANG else f"{key}_{current}"
