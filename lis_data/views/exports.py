"""The CSV texts that `python -m lis_data export` and `python -m lis_data profile` print, and that the
HTTP API (/api/v1/figures.csv, /api/v1/profile.csv) returns: one function each, so both say the same,
written by the one CSV writer (lis_data.views.csv_out)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lis_data.errors import LisDataError
from lis_data.domain.profile import PROFILE_COLUMNS, ProfileRow, district_profile
from lis_data.runtime.store import Store
from lis_data.views.csv_out import csv_chunks, csv_text

#: The columns of `export` and /api/v1/figures.csv: the upstream identity, the period (ISO 8601 as
#: published) with its label beside it, the figure exactly as published (then source and licence).
FIGURES_COLUMNS = ("areacd", "dataset", "indicator", "measure", "period", "period_label", "observation",
                   "lci_95", "uci_95", "status")


class TooManyRows(LisDataError):
    pass


def sources(store: Store) -> dict[str, str]:
    """The publishing organisation of each indicator and of each upstream dataset: {id or dataset: org}."""
    out: dict[str, str] = {}
    for ind_id, dataset, org in store.rows("SELECT id, dataset, source_org FROM indicators"):
        if org:
            out[str(ind_id)] = str(org)
            out.setdefault(str(dataset), str(org))
    return out


def known_areas(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT areacd FROM areas")}


def known_datasets(store: Store) -> set[str]:
    return {r[0] for r in store.rows("SELECT DISTINCT dataset FROM observations")}


def check_figures_size(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None,
                       limit: int | None = None) -> int:
    """The number of rows `figures_csv` would write, counted without reading them. More than `limit`
    raise TooManyRows (never a silently cut file)."""
    from lis_data.runtime import queries

    n = queries.export_count(store, list(areas) if areas else None, list(datasets) if datasets else None)
    if limit is not None and n > limit:
        raise TooManyRows(f"{n} rows, more than the limit of {limit}: ask for fewer areas or datasets")
    return n


def figures_csv_chunks(store: Store, areas: Sequence[str] | None = None,
                       datasets: Sequence[str] | None = None, batch: int = 2_000) -> Iterator[str]:
    """`figures_csv` as a series of text chunks (the header, then `batch` rows at a time), read from
    the store as they are written: the whole answer is never held in memory."""
    from lis_data.runtime import queries

    sql, params = queries.export_sql(list(areas) if areas else None, list(datasets) if datasets else None,
                                     FIGURES_COLUMNS)
    orgs = sources(store)
    rows = ([dict(zip(FIGURES_COLUMNS, r)) for r in chunk] for chunk in store.batches(sql, params, batch))
    yield from csv_chunks(rows, FIGURES_COLUMNS, lambda r: orgs.get(r["dataset"]))


def figures_csv(store: Store, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None,
                limit: int | None = None) -> str:
    """Every figure for the areas and datasets with its upstream identity, exactly as published.
    With a `limit`, more rows than that raise TooManyRows (never a silently cut file)."""
    check_figures_size(store, areas, datasets, limit)
    return "".join(figures_csv_chunks(store, areas, datasets))


def profile_rows_csv(rows: Sequence[ProfileRow], orgs: dict[str, str]) -> str:
    """Profile rows as `profile` prints them (the district profile page's download is the same)."""
    return csv_text((r.record() for r in rows), PROFILE_COLUMNS, lambda r: orgs.get(r["indicator"]))


def profile_csv(store: Store, code: str, benchmark: str) -> str:
    return profile_rows_csv(district_profile(store, code.strip().upper(), benchmark), sources(store))
