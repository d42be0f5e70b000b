"""Area codes in SQL without pandas: placeholders, and comparators published under another code
(the South East as ITL1 area TLJ in some releases) read under both and returned under their own.

Used by lis_data.queries (DataFrames) and lis_data.judged_table (in SQL)."""

from __future__ import annotations

from collections.abc import Sequence

from .config import AreaConfig


def aliases(area: AreaConfig) -> dict[str, str]:
    """Other codes an area is published under -> its own code."""
    return {alt: a.code for a in area.comparators.values() for alt in a.also_published_as}


def placeholders(values: Sequence) -> str:
    return ", ".join(["?"] * len(values)) or "NULL"


def with_aliases(codes: Sequence[str], area: AreaConfig) -> list[str]:
    extra = [alt for alt, own in aliases(area).items() if own in codes]
    return list(dict.fromkeys([*codes, *extra]))
