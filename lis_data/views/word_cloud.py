"""A word cloud's layout as data (no streamlit): each approved word with its count and a font size,
so a page only writes them out. Size grows with the square root of the count (the area of a word
then grows roughly with its count), between MIN_EM and MAX_EM; the count is always written beside
the word too (never size or colour alone), and `table_rows` is the same in a table.

The words are placed most frequent first, the largest in the middle of the reading order
(alternating either side), as the usual word-cloud tools do, without random placement: the same
words always give the same cloud.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_EM, MAX_EM = 1.0, 3.6
#: Most words on a cloud (a projector's screen); the table keeps them all.
MAX_WORDS = 40


@dataclass(frozen=True)
class CloudWord:
    word: str
    count: int
    size_em: float
    rank: int  # 1 = the most frequent


def cloud(counts: Sequence[tuple[str, int]], max_words: int = MAX_WORDS) -> list[CloudWord]:
    """The words to draw, in reading order (the most frequent in the middle)."""
    ranked = sorted(((w, int(n)) for w, n in counts if int(n) > 0), key=lambda kv: (-kv[1], kv[0]))[:max_words]
    if not ranked:
        return []
    top, low = math.sqrt(ranked[0][1]), math.sqrt(ranked[-1][1])
    words = []
    for rank, (w, n) in enumerate(ranked, start=1):
        share = 1.0 if top == low else (math.sqrt(n) - low) / (top - low)
        words.append(CloudWord(w, n, round(MIN_EM + share * (MAX_EM - MIN_EM), 2), rank))
    ordered: list[CloudWord] = []
    for cw in words:  # alternate either side: the largest ends up in the middle
        if cw.rank % 2:
            ordered.append(cw)
        else:
            ordered.insert(0, cw)
    return ordered


def table_rows(counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every word with its count, most first (the cloud's text alternative)."""
    return sorted(((w, int(n)) for w, n in counts if int(n) > 0), key=lambda kv: (-kv[1], kv[0]))
