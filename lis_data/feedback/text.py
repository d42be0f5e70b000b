"""What a comment's characters look like: visible or not, and safe to show.

Two pure functions, no streamlit:

* `has_visible_character` decides whether a text shows anything at all. Invisible are the
  Unicode categories that draw nothing on their own (separators Zs/Zl/Zp, controls Cc, format
  characters Cf, surrogates Cs, private use Co, unassigned Cn, and combining marks Mn/Me, which
  need a base character), plus the code points Unicode lists as Default_Ignorable_Code_Point
  that sit in letter categories (the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 are "Lo")
  and the blank braille pattern U+2800 ("So"). The categories do the general work; the short
  list covers only what the categories call visible but that renders as blank.
* `neutralise_for_display` makes the explicit bidirectional controls visible, e.g. U+202E
  (right-to-left override) becomes ``⟨U+202E⟩``, so a comment cannot reorder what staff or a
  workshop audience read. Comments are stored exactly as typed; this runs only where they are
  shown. The implicit marks U+200E, U+200F and U+061C are kept: they cannot reorder letters
  (only neutral characters next to them), and right-to-left writers use them legitimately.
"""

from __future__ import annotations

import unicodedata

#: Categories that draw nothing on their own.
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"})

#: Default-ignorable or blank code points whose category says otherwise (Lo, So, Lm).
_BLANK_BUT_VISIBLE_CATEGORY = frozenset({
    0x115F, 0x1160, 0x3164, 0xFFA0,  # Hangul fillers (Lo)
    0x2800,  # braille pattern blank (So)
    0x17B4, 0x17B5,  # Khmer inherent vowels (Mn in recent Unicode, listed to be sure)
    0x180B, 0x180C, 0x180D, 0x180E, 0x180F,  # Mongolian free variation selectors, vowel separator
})

#: Explicit bidirectional embeddings, overrides and isolates (and their terminators).
BIDI_CONTROLS = frozenset({0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})


def is_visible(char: str) -> bool:
    """True when the character draws something on its own."""
    if ord(char) in _BLANK_BUT_VISIBLE_CATEGORY:
        return False
    if 0xFE00 <= ord(char) <= 0xFE0F or 0xE0000 <= ord(char) <= 0xE0FFF:  # variation selectors, tags
        return False
    return unicodedata.category(char) not in INVISIBLE_CATEGORIES


def has_visible_character(text: str) -> bool:
    """True when at least one character of `text` is visible."""
    return any(is_visible(c) for c in text)


#: Spacing that separates visible words and so counts towards a length (not the invisible kinds).
_PLAIN_SPACING = frozenset(" \t\n\r")


def visible_length(text: str) -> int:
    """How many characters of `text` a reader sees: the visible ones and ordinary spaces and line
    breaks between them. Zero-width, format and filler characters do not count."""
    return sum(1 for c in text if c in _PLAIN_SPACING or is_visible(c))


def neutralise_for_display(text: object) -> str:
    """The text with every explicit bidi control shown as ``⟨U+XXXX⟩`` (None/NaN -> "")."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    value = str(text)
    if not any(ord(c) in BIDI_CONTROLS for c in value):
        return value
    return "".join(f"⟨U+{ord(c):04X}⟩" if ord(c) in BIDI_CONTROLS else c for c in value)
