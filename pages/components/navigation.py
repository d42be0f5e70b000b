"""The app's pages, built from the catalogue: one st.Page per priority from a single template."""

from __future__ import annotations

import streamlit as st

_PAGES: dict[str, st.Page] = {}


def build() -> dict[str, list[st.Page]]:
    """The navigation sections. Called by app.py on every run."""
    # Page modules are imported, never run as files: a url_path must never equal the stem of a
    # module in pages/, or a fresh server's first request could run that file through Streamlit's
    # legacy pages/ discovery (tests/app/test_navigation.py checks this).
    from .. import data_sources, priority, scorecard, sounding_board, staff_review, towns_map
    from . import data

    cat = data.catalogue()
    overview_page = st.Page(scorecard.render, title="Overview", url_path="overview", default=True,
                            icon=":material/dashboard:")
    priority_pages = [
        st.Page(priority.page_for(p.id), title=f"{p.number}. {p.title}", url_path=p.id)
        for p in cat.priorities
    ]
    sources_page = st.Page(data_sources.render, title="Data and sources", url_path="sources", icon=":material/dataset:")
    towns_page = st.Page(towns_map.render, title="Towns and gateways map", url_path="towns", icon=":material/map:")
    board_page = st.Page(sounding_board.render, title="Sounding board", url_path="sounding-board",
                         icon=":material/forum:")
    staff_page = st.Page(staff_review.render, title="Staff: sounding board input", url_path="staff",
                         icon=":material/lock:")
    pages = {"overview": overview_page, **{p.id: page for p, page in zip(cat.priorities, priority_pages)},
             "sources": sources_page, "sounding-board": board_page, "staff": staff_page}
    pages["towns"] = towns_page
    # Update in place without emptying first: another session's run may be reading the map.
    _PAGES.update(pages)
    for stale in set(_PAGES) - set(pages):
        _PAGES.pop(stale, None)
    return {
        "": [overview_page],
        "Strategic priorities": priority_pages,
        "Places": [towns_page],
        "About the figures": [sources_page],
        "Sounding board": [board_page, staff_page],
    }


def page(key: str) -> st.Page:
    """A page by its url path, for st.page_link."""
    return _PAGES[key]
