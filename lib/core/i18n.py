"""zh-CN / en strings: t(key, lang). Each area keeps its strings in lib/core/strings/<area>.py as a
STRINGS dict of key -> (zh, en); this module merges them. zh-CN is the default language."""

from __future__ import annotations

import importlib
import pkgutil

import lib.core.strings as _strings_pkg

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


def _load() -> dict[str, tuple[str, str]]:
    """Merge the STRINGS dicts of every module in lib/core/strings."""
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(_strings_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"lib.core.strings.{info.name}")
        merged.update(getattr(module, "STRINGS", {}))
    return merged


STRINGS = _load()


def norm_lang(lang: str | None) -> str:
    """A supported language code (zh by default)."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The string for a key in a language, formatted with fmt; the key itself if unknown."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[0] if norm_lang(lang) == "zh" else pair[1]
    return text.format(**fmt) if fmt else text
