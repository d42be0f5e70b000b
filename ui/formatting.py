"""Text for the pages: user text made literal for Markdown. Numbers are worded by the view layer
(lis_data.views.formatting), so the pages, the pack and the What's new list word figures alike.
Pure functions, no streamlit: tested on their own.
"""

from __future__ import annotations

import re
import unicodedata


_WORD_JOINER = "\u2060"  # invisible, no break: splits a pattern without changing what is shown
_WWW_DOT = re.compile(r"(?<=www)(?=\\\.)", re.IGNORECASE)


def md_escape(text: str) -> str:
    """Text made literal for st.markdown and friends.

    Every ASCII punctuation character is backslash-escaped (CommonMark allows this for all of
    them), so no link, image, HTML, heading, list, table, KaTeX formula or colour directive in it
    takes effect. Streamlit's front end also rewrites the *text* after parsing, where the escapes
    are gone: bare URLs (``http://``, ``www.``) and email addresses become links, ``:smile:`` an
    emoji, ``:streamlit:`` an image, ``:material/x:`` an icon. An invisible word joiner after
    every colon, after every ``@`` and between ``www`` and its dot breaks those patterns.
    """
    out = []
    for c in str(text):
        if c == ":":
            out.append("\\:" + _WORD_JOINER)
        elif c == "@":
            out.append("\\@" + _WORD_JOINER)
        elif c.isascii() and not c.isalnum() and not c.isspace():
            out.append("\\" + c)
        else:
            out.append(c)
    return _WWW_DOT.sub(_WORD_JOINER, "".join(out))


def _shown_char(c: str) -> str:
    """A character as a quotation shows it: control, format (bidi overrides, zero-width), line and
    paragraph separators, private-use and unassigned characters as a visible code."""
    if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"):
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
    return c


def md_literal(value, limit: int = 60) -> str:
    """A value from outside (a URL parameter), quoted for a Markdown body: as a code span, so
    nothing in it renders (no link, image, formula, HTML, emoji, icon or directive: code spans are
    not text nodes, which Streamlit's front end rewrites), truncated to `limit` characters with an
    ellipsis, with control and invisible characters shown as codes (no line break can end the
    span, no bidi override can reorder the note)."""
    text = str(value)
    cut = len(text) > limit
    shown = "".join(_shown_char(c) for c in (text[:limit] if cut else text))
    shown = shown.replace(":material/", ":" + _WORD_JOINER + "material/")  # rewritten even in code spans
    if cut:
        shown += "…"
    if not shown.strip():
        return "(empty)" if not shown else f"({len(shown)} space{'s' if len(shown) != 1 else ''})"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown[0] in "` " or shown[-1] in "` " else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
