"""Where the view layer reads figures from: a Store with the area config and the catalogue.

The view functions take a `ViewSource`. `StoreSource` asks the store directly (the evidence pack,
the HTTP API, tests); the pages pass their own source whose methods are the same queries behind
Streamlit's caches (ui/data.py). Either way the same functions shape the figures.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

import pandas as pd

from lis_data.runtime import judged_table, queries
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.runtime.store import Store


class ViewSource(Protocol):
    def area(self) -> AreaConfig: ...
    def catalogue(self) -> Catalogue: ...
    def series(self, indicator_id: str, areas: tuple[str, ...], start: int | None, end: int | None) -> pd.DataFrame: ...
    def latest(self, indicator_id: str, areas: tuple[str, ...]) -> pd.DataFrame: ...
    def snapshot(self, indicator_id: str, areas: tuple[str, ...], period: str | None = None) -> pd.DataFrame: ...
    def group_summary(self, indicator_id: str, areas: tuple[str, ...], start: int | None = None,
                      end: int | None = None) -> pd.DataFrame: ...
    def meta(self, indicator_id: str) -> dict: ...
    def judged(self, indicator_id: str, areas: tuple[str, ...], benchmark: str) -> pd.DataFrame: ...


class StoreSource:
    """A ViewSource over a Store, with a small memo of each query for the life of the object."""

    def __init__(self, store: Store, area: AreaConfig | None = None, catalogue: Catalogue | None = None):
        self.store = store
        self._area, self._catalogue = area or load_area(), catalogue or load_catalogue()
        self.series = lru_cache(maxsize=1024)(self._series)
        self.latest = lru_cache(maxsize=1024)(self._latest)
        self.snapshot = lru_cache(maxsize=1024)(self._snapshot)
        self.group_summary = lru_cache(maxsize=1024)(self._group_summary)
        self.judged = lru_cache(maxsize=1024)(self._judged)
        self._meta = None

    def area(self) -> AreaConfig:
        return self._area

    def catalogue(self) -> Catalogue:
        return self._catalogue

    def _series(self, indicator_id, areas, start=None, end=None):
        return queries.series(self.store, indicator_id, areas, start, end, area=self._area)

    def _latest(self, indicator_id, areas):
        return queries.latest(self.store, indicator_id, areas, area=self._area)

    def _snapshot(self, indicator_id, areas, period=None):
        return queries.snapshot(self.store, indicator_id, areas, period, area=self._area)

    def _group_summary(self, indicator_id, areas, start=None, end=None):
        return queries.group_summary(self.store, indicator_id, areas, start, end)

    def _judged(self, indicator_id, areas, benchmark):
        return judged_rows(self.store, indicator_id, areas, benchmark)

    def meta(self, indicator_id: str) -> dict:
        if self._meta is None:
            self._meta = queries.indicators(self.store).set_index("id", drop=False)
        return self._meta.loc[indicator_id].to_dict()


def judged_rows(store: Store, indicator_id: str, areas: tuple[str, ...], benchmark: str) -> pd.DataFrame:
    """The judged table's rows of one indicator for these areas and benchmark setting, oldest first."""
    return judged_table.frame(store, indicators=[indicator_id], areas=list(areas), benchmark=benchmark)
