"""Text that came from a file or a form is data, never markup: the one place that makes it
literal for each surface that would otherwise interpret it (markdown in streamlit captions, help
tooltips and headings; HTML in slides, plotly labels and PDF paragraphs)."""

from __future__ import annotations

import html
import re

# The characters markdown (CommonMark + GFM) and streamlit's extensions (:red[…], :material/…:,
# $math$, emoji shortcodes) give a meaning, each disarmed by a backslash; & and @ too, so an
# entity or an e-mail address shows as typed instead of as a character or a mailto link.
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&@])")


# GFM links bare addresses (http://…, www.…, name@host) in the parsed text, after escapes are
# resolved; an invisible word joiner (U+2060) before the ':', '.' or '@' keeps them plain text.
_AUTOLINK_AT = re.compile(r"(?i)(https?|ftp|mailto|xmpp)(?=:)|(www)(?=\.)|([\w.+-])(?=@)")
WORD_JOINER = "\u2060"


def _unlink(text: str) -> str:
    """Text with a word joiner where GFM would start an automatic link."""
    return _AUTOLINK_AT.sub(lambda m: m.group(0) + WORD_JOINER, text)


def md_literal(text: object) -> str:
    """Text shown literally by a markdown renderer: punctuation escaped, no automatic links,
    line breaks as spaces."""
    flat = " ".join(str(text if text is not None else "").splitlines())
    return _MD_PUNCT.sub(r"\\\1", _unlink(flat))


def html_literal(text: object) -> str:
    """Text shown literally inside HTML (or plotly / reportlab markup): &, <, >, quotes escaped,
    line breaks as spaces (so no blank line can end an HTML block in markdown)."""
    flat = " ".join(str(text if text is not None else "").splitlines())
    return html.escape(flat, quote=True)
