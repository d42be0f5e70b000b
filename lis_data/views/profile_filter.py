"""The district profile's "Show" filter and the tally of judgements under a spine chart: which rows a
choice keeps, for one district's rows and for several districts' rows, without streamlit (the page
lays them out; tests/data/test_profile_filter.py checks them against the judged rows)."""

from __future__ import annotations

from collections.abc import Iterable

from lis_data.domain import judgement
from lis_data.domain.profile import GroupRow, ProfileRow

#: The choices, in the order the page offers them, with their labels.
SHOW: dict[str, str] = {
    "all": "All",
    "worse": "Worse",  # significantly worse, or in the worst fifth of English districts
    "better": "Better",  # significantly better, or in the best fifth
    "similar": "Similar",
    "not tested": "Not tested",
    "red-red": "Worse and worsening",
}
_JUDGEMENTS: dict[str, tuple[str, ...]] = {
    "worse": judgement.WORSE_LIKE,
    "better": judgement.BETTER_LIKE,
    "not tested": (judgement.NOT_TESTED, judgement.NOT_COMPARED),
    "similar": (judgement.SIMILAR,),
}


def passes(row: ProfileRow | GroupRow, show: str) -> bool:
    """Whether a row passes the filter `show` (a key of SHOW). A row of several districts passes when
    any of them does; "worse and worsening" is a district's own direction, so no such row passes it."""
    if show == "all":
        return True
    if isinstance(row, GroupRow):
        return show != "red-red" and any(row.count(j) for j in _JUDGEMENTS.get(show, ()))
    if show == "red-red":
        return row.judgement in judgement.WORSE_LIKE and row.direction == judgement.WORSENING
    return row.judgement in _JUDGEMENTS.get(show, ())


def tally(rows: Iterable[ProfileRow | GroupRow]) -> dict[str, int]:
    """How many judgements of each kind the rows hold (a district row one, a group row one per
    district), in the order first met; kinds with none left out."""
    counted: dict[str, int] = {}
    for r in rows:
        for kind, n in ([(r.judgement, 1)] if isinstance(r, ProfileRow) else r.counts):
            if n:
                counted[kind] = counted.get(kind, 0) + n
    return counted
