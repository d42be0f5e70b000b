"""The app's pages, built from the catalogue: one st.Page per priority from a single template."""

from __future__ import annotations

import streamlit as st

_PAGES: dict[str, st.Page] = {}


def build() -> dict[str, list[st.Page]]:
    """The navigation sections. Called by app.py on every run."""
    # Page modules are imported, never run as files: a url_path must never equal the stem of a
    # module in pages/, or a fresh server's first request could run that file through Streamlit's
    # legacy pages/ discovery (tests/app/test_navigation.py checks this).
    from .. import data_sources, priority, scorecard
    from . import data

    cat = data.catalogue()
    overview_page = st.Page(scorecard.render, title="Overview", url_path="overview", default=True,
                            icon=":material/dashboard:")
    priority_pages = [
        st.Page(priority.page_for(p.id), title=f"{p.number}. {p.title}", url_path=p.id)
        for p in cat.priorities
    ]
    sources_page = st.Page(data_sources.render, title="Data and sources", url_path="sources", icon=":material/dataset:")
    _PAGES.clear()
    _PAGES["overview"] = overview_page
    _PAGES.update({p.id: page for p, page in zip(cat.priorities, priority_pages)})
    _PAGES["sources"] = sources_page
    return {
        "": [overview_page],
        "Strategic priorities": priority_pages,
        "About the figures": [sources_page],
    }


def page(key: str) -> st.Page:
    """A page by its url path, for st.page_link."""
    return _PAGES[key]
