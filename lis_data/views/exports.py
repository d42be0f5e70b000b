"""The CSV texts that `python -m lis_data export` and `python -m lis_data profile` print, and that the
HTTP API (/api/v1/figures.csv, /api/v1/profile.csv) returns: one function each, so both say the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from ..errors import LisDataError
from ..profile import PROFILE_COLUMNS, district_profile, records
from ..store import Store


class TooManyRows(LisDataError):
    pass


def known_areas(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT areacd FROM areas")}


def known_datasets(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT DISTINCT dataset FROM observations")}


def check_figures_size(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None,
                       limit: int | None = None) -> int:
    """The number of rows `figures_csv` would write, counted without reading them. More than `limit`
    raise TooManyRows (never a silently cut file)."""
    from .. import queries  # pandas: imported here, so that `profile` (profile_csv) starts without it

    n = queries.export_count(store, list(areas) if areas else None, list(datasets) if datasets else None)
    if limit is not None and n > limit:
        raise TooManyRows(f"{n} rows, more than the limit of {limit}: ask for fewer areas or datasets")
    return n


def figures_csv_chunks(store: Store, areas: Sequence[str] | None = None,
                       datasets: Sequence[str] | None = None, batch: int = 2_000) -> Iterator[str]:
    """`figures_csv` as a series of text chunks (the header, then `batch` rows at a time), read from
    the store as they are written: the whole answer is never held in memory."""
    from .. import queries

    sql, params = queries.export_sql(list(areas) if areas else None, list(datasets) if datasets else None)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(queries.EXPORT_COLUMNS)
    for rows in store.batches(sql, params, batch):
        writer.writerows(rows)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def figures_csv(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None,
                limit: int | None = None) -> str:
    """Every figure for the areas and datasets with its upstream identity, exactly as published.
    With a `limit`, more rows than that raise TooManyRows (never a silently cut file)."""
    check_figures_size(store, areas, datasets, limit)
    return "".join(figures_csv_chunks(store, areas, datasets))


def profile_csv(store: Store, code: str, benchmark: str) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=PROFILE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records(district_profile(store, code.strip().upper(), benchmark)))
    return buf.getvalue()
