"""A word cloud's layout as data (no streamlit): each approved word with its count and a font size,
so a page only writes them out. Size grows with the square root of the count (the area of a word
then grows roughly with its count), between MIN_EM and MAX_EM, the range narrowed when the words
would not fit the projector (`AREA_BUDGET`); the count is always written beside
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
#: The room the words may take, in squares of the cloud's base font size: the cloud's box is about
#: 51 by 28 of them at 1280x720 and 51 by 31 at 1920x1080 (about 1,430); wrapped lines of words of
#: different sizes leave gaps, so the words' own boxes are kept to a little over half of that.
AREA_BUDGET = 780.0


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
    shares = [1.0 if top == low else (math.sqrt(n) - low) / (top - low) for _, n in ranked]

    def sized(spread: float, scale: float = 1.0) -> list[CloudWord]:
        return [CloudWord(w, n, round(scale * (MIN_EM + share * spread * (MAX_EM - MIN_EM)), 2), rank)
                for rank, ((w, n), share) in enumerate(zip(ranked, shares), start=1)]

    # Too many words for the room: first narrow the range of sizes (the smallest stays readable),
    # and only if even equal sizes do not fit, make them all smaller.
    words = sized(1.0)
    if area(words) > AREA_BUDGET:
        lo, hi = 0.0, 1.0
        for _ in range(20):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if area(sized(mid)) <= AREA_BUDGET else (lo, mid)
        words = sized(lo)
        if area(words) > AREA_BUDGET:
            words = sized(0.0, math.sqrt(AREA_BUDGET / area(words)))
    ordered: list[CloudWord] = []
    for cw in words:  # alternate either side: the largest ends up in the middle
        if cw.rank % 2:
            ordered.append(cw)
        else:
            ordered.insert(0, cw)
    return ordered


def area(words: Sequence[CloudWord]) -> float:
    """About how much room the words take, in squares of the base font size (a character about 0.6
    wide, the count and the gap between words about 1.6, lines 1.1 high)."""
    return sum((0.6 * len(w.word) + 1.6) * w.size_em * w.size_em * 1.1 for w in words)


def table_rows(counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every word with its count, most first (the cloud's text alternative)."""
    return sorted(((w, int(n)) for w, n in counts if int(n) > 0), key=lambda kv: (-kv[1], kv[0]))
