"""The CSV texts that `python -m lis_data export` and `python -m lis_data profile` print, and that the
HTTP API (/api/v1/figures.csv, /api/v1/profile.csv) returns: one function each, so both say the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..errors import LisDataError
from ..profile import PROFILE_COLUMNS, district_profile, records
from ..store import Store


class TooManyRows(LisDataError):
    pass


def known_areas(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT areacd FROM areas")}


def known_datasets(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT DISTINCT dataset FROM observations")}


def figures_csv(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None,
                limit: int | None = None) -> str:
    """Every figure for the areas and datasets with its upstream identity, exactly as published.
    With a `limit`, more rows than that raise TooManyRows (never a silently cut file)."""
    from .. import queries  # pandas: imported here, so that `profile` (profile_csv) starts without it

    df = queries.export(store, list(areas) if areas else None, list(datasets) if datasets else None)
    if limit is not None and len(df) > limit:
        raise TooManyRows(f"{len(df)} rows, more than the limit of {limit}: ask for fewer areas or datasets")
    return df.to_csv(index=False, lineterminator="\n")


def profile_csv(store: Store, code: str, benchmark: str) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=PROFILE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records(district_profile(store, code.strip().upper(), benchmark)))
    return buf.getvalue()
