"""The template of the nine priority pages. Which priority a page shows comes from the catalogue:
a tenth priority is an edit to lis_data/config/catalogue.toml, not new code."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lis_data.constants import ATTRIBUTION

from ui import data, hub_views, navigation, sidebar, views
from ui.formatting import md_literal
from ui.officer_downloads import officer_downloads
from ui.pack_button import pack_button


def _indicator_choice(pid: str) -> str:
    """The indicator in view, kept in the URL as ?ind=... so a link reopens it."""
    inds = data.catalogue().indicators_for(pid)
    ids = [i.id for i in inds]
    key, written = f"ind_{pid}", f"_ind_url_{pid}"
    wanted = st.query_params.get("ind")
    # A link that opens this page with another ?ind= (the district profile's rows) wins over the
    # choice kept from an earlier visit; the page's own writes to the URL do not.
    if key not in st.session_state or (wanted in ids and wanted != st.session_state.get(written)):
        if wanted and wanted not in ids:
            st.warning(f"Ignored {md_literal(f'ind={wanted}')}: not an indicator of this priority.",
                       icon=":material/link_off:")
            wanted = None
        st.session_state[key] = wanted or ids[0]
    labels = {i.id: i.label + ("" if i.level == "district" else f" ({i.level} level)") for i in inds}
    choice = st.selectbox("Indicator", options=ids, format_func=labels.get, key=key,
                          help="Every indicator behind this priority. The link in your address bar keeps your choice.")
    if st.query_params.get("ind") != choice:
        st.query_params["ind"] = choice
    st.session_state[written] = choice
    return choice


def render(pid: str) -> None:
    cat = data.catalogue()
    p = cat.priority(pid)
    filters = sidebar.current()
    st.title(f"{p.number}. {p.title}", anchor=False)
    st.markdown(f"> {p.statement}")
    st.caption(f"Strategic priority {p.number} of the {data.area().name} Local Industrial Strategy.")

    with st.container(horizontal=True):  # the pack, the workbook and the Word summary side by side
        pack_button(filters, (pid,), key=f"pack-{pid}")
        officer_downloads(filters, key=f"officer-{pid}")
    headlines = cat.headlines_for(pid, at_most=views.PRIORITY_HEADLINES)
    st.header("Headlines for the districts in focus", anchor=False)
    cols = st.columns(len(headlines))
    for col, ind in zip(cols, headlines):
        with col:
            views.headline_tile(ind, filters)

    st.divider()
    choice = _indicator_choice(pid)
    views.indicator_section(cat.indicator(choice), filters, key=f"{pid}-{choice}")
    st.divider()
    st.page_link(navigation.page("sounding-board"), label="Tell the LEP what this evidence misses (sounding board)",
                 icon=":material/forum:", query_params={"priority": pid})
    hub_views.research_for_priority(pid)
    st.caption(ATTRIBUTION + ".")


def page_for(pid: str) -> Callable[[], None]:
    """A page function for one priority, for st.Page."""
    def page() -> None:
        render(pid)
    page.__name__ = f"priority_{pid}"
    return page
