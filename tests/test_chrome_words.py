"""The chrome words script's dictionary (lib/ui/chrome.py, lib/core/strings/chrome.py) against
the Streamlit installed: every fixed English word it looks for is one Streamlit's frontend writes,
so an upgrade that renames one shows here rather than as English left in the Chinese UI."""

from __future__ import annotations

from pathlib import Path

import streamlit

from lib.ui import chrome

FRONTEND = Path(streamlit.__file__).parent / "static" / "static" / "js"


def frontend_text() -> str:
    """All of Streamlit's built frontend code, as one text."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(FRONTEND.glob("*.js")))


def test_every_fixed_word_the_script_rewrites_is_written_by_streamlits_frontend() -> None:
    """Test that each fixed English word of the script's rules occurs, quoted, in Streamlit's
    built frontend (words with a number are checked by the browser tests)."""
    code = frontend_text()
    words = [en for rule in chrome.script_rules() for en, _ in rule["words"] if "{" not in en]
    assert len(words) > 30
    missing = [w for w in words if f"`{w}`" not in code and f'"{w}"' not in code]
    assert missing == []
