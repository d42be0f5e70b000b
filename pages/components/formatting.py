"""Numbers as people read them: units, the catalogue's decimal places, signs on changes.

Pure functions, no streamlit: tested on their own.
"""

from __future__ import annotations

import math
import re
import unicodedata

from lis_data.upstream import STATUS_CODES


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int) -> str:
    if _is_missing(value):
        return "–"
    return f"{value:,.{decimals}f}"


def with_unit(value, unit: str, decimals: int) -> str:
    """1234.5, "£" -> "£1,235"; 12.3, "%" -> "12.3%"; 5, "£ million" -> "£5 million"."""
    if _is_missing(value):
        return "no figure"
    text = number(abs(value), decimals)
    sign = "-" if value < 0 else ""
    if unit == "%":
        return f"{sign}{text}%"
    if unit.startswith("£"):
        rest = unit[1:].strip()
        return f"{sign}£{text}" + (f" {rest}" if rest else "")
    if unit.startswith("×"):
        return f"{sign}{text}{unit[0]}{unit[1:]}"
    return f"{sign}{text} {unit}"


def change(value, unit: str, decimals: int) -> str:
    """A signed change: "+1.2 pts" for percentages (percentage points), "+£120" otherwise."""
    if _is_missing(value):
        return "no change figure"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    magnitude = abs(value)
    if unit == "%":
        return f"{sign}{number(magnitude, decimals)} pts"
    return sign + with_unit(magnitude, unit, decimals)


def ordinal(n) -> str:
    if _is_missing(n):
        return "–"
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


POLARITY_TEXT = {
    "higher": "Higher is better",
    "lower": "Lower is better",
    "neither": "Neither higher nor lower is better in itself",
}

STATUS_TEXT = STATUS_CODES  # the ONS status codes the loader keeps, in words


def status_text(status: str | None) -> str:
    if not status:
        return ""
    return STATUS_TEXT.get(status, status)


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


def is_short_unit(unit: str) -> bool:
    """Units that sit inside a big number without crowding it: %, £, £ million, × earnings."""
    return unit in ("%", "£") or unit.startswith(("£", "×")) and len(unit) <= 10


def headline_number(value, unit: str, decimals: int) -> str:
    """A figure for a large metric: with its unit when the unit is short, the bare number otherwise
    (the unit is then written beside it, see unit_note)."""
    return with_unit(value, unit, decimals) if is_short_unit(unit) else number(value, decimals)


def unit_note(unit: str) -> str | None:
    return None if is_short_unit(unit) else unit.capitalize() if unit[:1].islower() else unit
