"""The shared filters in the sidebar, kept in step with the URL query string.

On a session's first run the filters are read from the URL (a pasted link
reopens the same view); after that the widgets lead and the URL follows.
"""

from __future__ import annotations

import streamlit as st

from . import data
from .filter_state import BENCHMARK_CHOICES, COMPARATOR_CHOICES, Filters, parse_query

FILTER_KEYS = ("d", "cmp", "from", "to", "nb", "bm")
_STATE = "_filters"
_NOTES = "_filter_notes"


def _init_from_url() -> None:
    area = data.area()
    parsed = parse_query(st.query_params.to_dict(), area)
    f = parsed.filters
    lo, hi = data.year_range()
    start, end, notes = f.start_year, f.end_year, list(parsed.notes)
    if start is not None and start > hi:  # the slider cannot show it
        notes.append(f"Ignored `from={start}`: no figures after {hi}.")
        start = None
    if end is not None and end < lo:
        notes.append(f"Ignored `to={end}`: no figures before {lo}.")
        end = None
    st.session_state["f_districts"] = list(f.districts)
    st.session_state["f_comparators"] = list(f.comparators)
    st.session_state["f_years"] = (max(lo, start or lo), min(hi, end or hi))
    st.session_state["f_neighbour_kind"] = f.neighbour_kind
    st.session_state["f_benchmark"] = f.benchmark
    st.session_state[_NOTES] = notes
    st.session_state["_filters_ready"] = True


def _set_districts(codes: list[str]) -> None:
    st.session_state["f_districts"] = codes


def _reset() -> None:
    area = data.area()
    lo, hi = data.year_range()
    st.session_state["f_districts"] = list(area.district_codes)
    st.session_state["f_comparators"] = ["england", "region"]
    st.session_state["f_years"] = (lo, hi)
    st.session_state["f_neighbour_kind"] = area.default_neighbour_kind
    st.session_state["f_benchmark"] = "england"


def render() -> Filters:
    """Draw the filters in the sidebar, write them to the URL and return them."""
    area = data.area()
    if not st.session_state.get("_filters_ready"):
        _init_from_url()
    elif st.query_params.get("d") not in (None, st.session_state.get("_written_d")):
        # A link inside the app (the overview's district names) opened a page with another ?d=.
        st.session_state["f_districts"] = list(parse_query({"d": st.query_params["d"]}, area).filters.districts)
    names = {d.code: d.name for d in area.districts}
    lo, hi = data.year_range()
    with st.sidebar:
        st.header("Filters", anchor=False)
        chosen = st.session_state.get("f_districts", [])
        summary = (f"all {len(names)}" if len(chosen) == len(names) else "none" if not chosen
                   else names[chosen[0]] if len(chosen) == 1 else f"{len(chosen)} of {len(names)}")
        with st.expander(f"Focus districts: {summary}", expanded=len(chosen) not in (0, len(names))):
            first, second = st.columns(2, gap="small"), st.columns(max(len(area.counties), 1), gap="small")
            first[0].button("All", on_click=_set_districts, args=(list(area.district_codes),), width="stretch")
            first[1].button("None", on_click=_set_districts, args=([],), width="stretch")
            for col, county in zip(second, area.counties):
                col.button(county.name, on_click=_set_districts, width="stretch",
                           args=([d.code for d in area.districts if d.county == county.code],))
            districts = st.multiselect(
                "Focus districts", options=list(area.district_codes), format_func=names.get, key="f_districts", persist_state="session",
                placeholder="Choose districts", label_visibility="collapsed",
                help=f"Any of the {len(area.districts)} {area.short_name} districts.")
        comparators = st.pills(
            "Compare with", options=list(COMPARATOR_CHOICES), format_func=COMPARATOR_CHOICES.get,
            selection_mode="multi", key="f_comparators", persist_state="session")
        if "neighbours" in (comparators or []):
            st.selectbox("Kind of statistical neighbour", options=list(area.neighbour_kinds),
                         format_func=lambda k: f"ONS {k} neighbours", key="f_neighbour_kind",
                         persist_state="session")
            if len(districts) != 1:
                st.caption("Statistical neighbours are shown when exactly one district is in focus.")
        years = st.slider("Years", min_value=lo, max_value=hi, key="f_years", persist_state="session")
        st.selectbox("Judge against", options=list(BENCHMARK_CHOICES), format_func=BENCHMARK_CHOICES.get,
                     key="f_benchmark", persist_state="session",
                     help="Better, similar or worse: a district's 95% confidence interval compared with this "
                          "benchmark's figure for the same period, where an interval is published; rates "
                          "without one are placed in fifths of English districts whatever the benchmark "
                          "(see Data and sources).")
        st.button("Reset filters", on_click=_reset, width="stretch")
    start, end = years
    filters = Filters(
        districts=tuple(c for c in area.district_codes if c in districts),
        comparators=tuple(c for c in COMPARATOR_CHOICES if c in (comparators or [])),
        start_year=None if start <= lo else start,
        end_year=None if end >= hi else end,
        neighbour_kind=st.session_state.get("f_neighbour_kind", area.default_neighbour_kind),
        benchmark=st.session_state.get("f_benchmark") or "england",
    )
    query = filters.to_query(area)
    for key in FILTER_KEYS:
        if key in query:
            if st.query_params.get(key) != query[key]:
                st.query_params[key] = query[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state["_written_d"] = query.get("d")
    st.session_state[_STATE] = filters
    return filters


def notes() -> list[str]:
    """Notes about URL parameters that were ignored, shown once."""
    return st.session_state.pop(_NOTES, [])


def current() -> Filters:
    """The filters as drawn on this run (app.py draws them before the page runs)."""
    return st.session_state[_STATE]
