"""The pages' only way to the data: the store held once per process, query results cached.

Every function here is a thin cached wrapper over lis_data.runtime.queries, so a rerun
issues no repeated query and no file read.
"""

from __future__ import annotations

import functools
import logging

import pandas as pd
import streamlit as st

from lis_data.domain import display_geometry, geography, reference
from lis_data.runtime import queries
from lis_data.config import AreaConfig, Catalogue, load_area, load_catalogue
from lis_data.runtime.store import Store

from . import memo
from .filter_state import Filters

_LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Opening the indicator store…")
def store() -> Store:
    """One DuckDB connection for the process; the store gives each thread its own cursor.
    Opening it empties the process-wide memos (memo.py): anything they hold came from an earlier
    store (in production the store opens once; after a cache clear it may be another extract)."""
    opened = Store.open()
    memo.clear_all()
    return opened


@memo.shared(1)
def extract_fingerprint() -> str:
    """The open store's fingerprint (its extract, the area and the catalogue): part of the key of
    every cache below the pages of what is computed from them (README: Caching)."""
    rows = store().rows("SELECT value FROM meta WHERE key = 'fingerprint'")
    return str(rows[0][0]) if rows else "none"


def area() -> AreaConfig:
    """The area this process serves: read once per process by lis_data.config, like the store built for it."""
    return load_area()


def catalogue() -> Catalogue:
    """The catalogue this process serves: read once per process by lis_data.config (one lifetime)."""
    return load_catalogue()


@st.cache_data(show_spinner=False)
def indicator_meta() -> pd.DataFrame:
    return queries.indicators(store()).set_index("id", drop=False)


@memo.shared(512)
def meta(indicator_id: str) -> dict:
    """One indicator's row of indicator_meta() (shared: read only), without unpickling the whole
    table on every call."""
    return indicator_meta().loc[indicator_id].to_dict()


@st.cache_resource(show_spinner=False)
def indicator_sources() -> dict[str, str]:
    """The publishing organisation of each indicator and dataset (the CSV's source column)."""
    from lis_data.views.exports import sources

    return sources(store())


@st.cache_data(show_spinner=False)
def series(indicator_id: str, areas: tuple[str, ...], start: int | None, end: int | None) -> pd.DataFrame:
    return queries.series(store(), indicator_id, areas, start, end)


@st.cache_data(show_spinner=False)
def latest(indicator_id: str, areas: tuple[str, ...]) -> pd.DataFrame:
    return queries.latest(store(), indicator_id, areas)


@st.cache_data(show_spinner=False)
def snapshot(indicator_id: str, areas: tuple[str, ...], period: str | None = None) -> pd.DataFrame:
    return queries.snapshot(store(), indicator_id, areas, period)


@st.cache_data(show_spinner=False)
def group_summary(indicator_id: str, areas: tuple[str, ...], start: int | None = None,
                  end: int | None = None) -> pd.DataFrame:
    return queries.group_summary(store(), indicator_id, areas, start, end)


@st.cache_data(show_spinner=False)
def judged_rows(indicator_id: str, areas: tuple[str, ...], benchmark: str) -> pd.DataFrame:
    """The judged table's rows (lis_data.runtime.judged_table) of one indicator for these areas."""
    from lis_data.views.source import judged_rows as rows

    return rows(store(), indicator_id, areas, benchmark)


@st.cache_data(show_spinner=False)
def neighbours(district: str, kind: str, how_many: int) -> pd.DataFrame:
    return queries.neighbours(store(), district, kind, how_many)


@st.cache_data(show_spinner=False)
def coverage(districts: tuple[str, ...]) -> pd.DataFrame:
    return queries.coverage(store(), districts)


def comparator_areas(filters: Filters) -> dict[str, str]:
    """The comparator areas the filters ask for: {code: name}, in a stable order."""
    a = area()
    out: dict[str, str] = {}
    if "england" in filters.comparators:
        out[a.comparators["england"].code] = a.comparators["england"].name
    if "region" in filters.comparators:
        out[a.comparators["region"].code] = a.comparators["region"].name
    if "county" in filters.comparators:
        for code in dict.fromkeys(a.district(d).county for d in filters.districts):
            out[code] = a.name_of(code)
    if "neighbours" in filters.comparators and len(filters.districts) == 1:
        nb = neighbours(filters.districts[0], filters.neighbour_kind, a.neighbours_how_many)
        for code, name in zip(nb["areacd"], nb["areanm"]):
            out[code] = f"{name} (neighbour)" if isinstance(name, str) else code
    return out


@st.cache_resource(show_spinner=False)
def boundaries() -> dict:
    """The EM3 districts and their neighbours (data/extract/boundaries.geojson), read once per
    process. Shared, so never modify it: the map builders copy what they change."""
    return geography.load_boundaries()


#: The size the priority pages' district map is laid out for (views.choropleth_figure).
CHOROPLETH_SIZE = (520, 380)


@st.cache_resource(show_spinner=False)
def display_boundaries() -> dict:
    """boundaries() as the maps draw them: simplified together (shared edges stay shared) to half a
    pixel at the priority map's initial zoom, the most detailed view of any map (the neighbours
    drawn for context, away from the area's borders, to CONTEXT_PIXEL_FRACTION of a pixel), and
    snapped to 10^-4 degrees. Read once per process; never modify it. Point-in-polygon work uses boundaries()."""
    from lis_data.views.map_geometry import bbox

    from .maps import fit_view

    exact = boundaries()
    em3 = [f for f in exact["features"] if f["properties"].get("role") == "em3"]
    view = fit_view(bbox(em3), *CHOROPLETH_SIZE)
    tolerance = functools.partial(display_geometry.tolerance_for_zoom, view.zoom, latitude=view.latitude)
    try:
        return display_geometry.display_boundaries(
            exact, tolerance(), context_tolerance=tolerance(display_geometry.CONTEXT_PIXEL_FRACTION))
    except ValueError as exc:  # boundaries that are not a clean coverage: draw them as they are
        _LOG.warning("maps draw the exact boundaries: %s", exc)
        return exact


@st.cache_data(show_spinner=False)
def towns() -> pd.DataFrame:
    return reference.load_towns(area=area())


@st.cache_data(show_spinner=False)
def gateways() -> pd.DataFrame:
    return reference.load_gateways()


@st.cache_resource(show_spinner=False)
def corridors() -> list[dict]:
    """The schematic rail and road corridors, read once per process (never modify)."""
    return reference.load_corridors(towns=reference.load_towns(area=area()))


@st.cache_data(show_spinner=False)
def nearest_gateways(n: int = 2) -> pd.DataFrame:
    return reference.nearest_gateways(towns(), gateways(), n=n)


@st.cache_data(show_spinner=False)
def year_range() -> tuple[int, int]:
    return queries.year_range(store())


@st.cache_data(show_spinner=False)
def place_options() -> tuple[list[str], dict[str, str]]:
    """The places a sounding-board comment can name (lis_data.views.places), for the form and the
    staff view."""
    from lis_data.views.places import place_options as options

    return options(area())


def accepted_places() -> list[str]:
    """What the form's places are checked against (lis_data.views.places.accepted_places)."""
    from lis_data.views.places import accepted_places as accepted

    return accepted(area())


class PageSource:
    """The view layer's source (lis_data.views.source.ViewSource) for the pages: the same queries,
    through this module's caches, so lis_data.views shapes the figures and nothing is asked twice."""

    def area(self) -> AreaConfig:
        return area()

    def catalogue(self) -> Catalogue:
        return catalogue()

    def series(self, indicator_id: str, areas, start: int | None = None, end: int | None = None) -> pd.DataFrame:
        return series(indicator_id, tuple(areas), start, end)

    def latest(self, indicator_id: str, areas) -> pd.DataFrame:
        return latest(indicator_id, tuple(areas))

    def snapshot(self, indicator_id: str, areas, period: str | None = None) -> pd.DataFrame:
        return snapshot(indicator_id, tuple(areas), period)

    def group_summary(self, indicator_id: str, areas, start: int | None = None, end: int | None = None) -> pd.DataFrame:
        return group_summary(indicator_id, tuple(areas), start, end)

    def meta(self, indicator_id: str) -> dict:
        return meta(indicator_id)

    def judged(self, indicator_id: str, areas, benchmark: str) -> pd.DataFrame:
        return judged_rows(indicator_id, tuple(areas), benchmark)


SOURCE = PageSource()
