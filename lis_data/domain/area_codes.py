"""Area codes in SQL without pandas: placeholders, and comparators published under another code
(the South East as ITL1 area TLJ in some releases) read under both and returned under their own.

Used by lis_data.runtime.queries (DataFrames), lis_data.runtime.judged_table (in SQL) and lis_data.domain.judgement_flips
(plain rows of two extracts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lis_data.config import AreaConfig


def aliases(area: AreaConfig) -> dict[str, str]:
    """Other codes an area is published under -> its own code."""
    return {alt: a.code for a in area.comparators.values() for alt in a.also_published_as}


def placeholders(values: Sequence) -> str:
    return ", ".join(["?"] * len(values)) or "NULL"


def with_aliases(codes: Sequence[str], area: AreaConfig) -> list[str]:
    extra = [alt for alt, own in aliases(area).items() if own in codes]
    return list(dict.fromkeys([*codes, *extra]))


def canonical_rows(rows: Iterable[tuple], area: AreaConfig, code_at: int, key_at: Sequence[int]) -> list[tuple]:
    """Rows with a figure read under an alias returned under the area's own code (the code is the
    item at `code_at`); where the own code and an alias both have a row with the same key (the items
    at `key_at`, the code among them), the own code's row wins. Order otherwise kept."""
    alias = aliases(area)
    if not alias:
        return list(rows)
    kept: dict[tuple, tuple[bool, tuple]] = {}
    for row in rows:
        is_alias = row[code_at] in alias
        if is_alias:
            row = (*row[:code_at], alias[row[code_at]], *row[code_at + 1:])
        key = tuple(row[i] for i in key_at)
        if key not in kept or (kept[key][0] and not is_alias):
            kept[key] = (is_alias, row)
    return [row for _, row in kept.values()]
