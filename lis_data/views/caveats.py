"""The filter box over the caveats on the Data and sources page: which indicators a search matches. No
Streamlit. Plain text matching, case- and accent-insensitive; the searched text is never interpreted."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: Longest search kept (characters); the rest is ignored.
MAX_SEARCH = 100


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def matches(search: str, texts: Iterable[str | None]) -> bool:
    """Whether every word of `search` occurs in one of `texts` (an empty search matches everything)."""
    words = _fold(" ".join(str(search or "")[:MAX_SEARCH].split())).split()
    hay = _fold(" ".join(str(t) for t in texts if t))
    return all(w in hay for w in words)
