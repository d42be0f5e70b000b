"""The research library: every document the LEP makes available on the LIS, searchable by the words
of its title, summary, authors and PDF text (the store's full-text search), or listed by priority."""

from __future__ import annotations

import streamlit as st

from lis_data import feedback

from ui import data, feedback_access, public_errors
from ui.formatting import md_literal
from ui.hub_views import research_entry

_Q = "research_q"
_P = "research_priority"


def render() -> None:
    st.title("Research library", anchor=False)
    st.markdown("Research the LEP has commissioned or uses for the Local Industrial Strategy, with the "
                "priorities and indicators each document concerns.")
    cat = data.catalogue()
    ids = [p.id for p in cat.priorities]
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    if _Q not in st.session_state:
        st.session_state[_Q] = str(st.query_params.get("q", ""))[:200]
    wanted = st.query_params.get("priority")
    if _P not in st.session_state:
        if wanted and wanted not in ids:
            st.warning(f"Ignored {md_literal(f'priority={wanted}')}: not a priority.", icon=":material/link_off:")
        st.session_state[_P] = wanted if wanted in ids else None
    query = st.text_input("Search titles, summaries and the documents' text", key=_Q, max_chars=200,
                          placeholder="for example: apprenticeships")
    priority = st.selectbox("Priority", options=[None, *ids], key=_P,
                            format_func=lambda p: "All priorities" if p is None else titles[p])
    if query.strip():
        st.query_params["q"] = query.strip()
    elif "q" in st.query_params:
        del st.query_params["q"]
    try:
        store = feedback_access.store()
        items = store.search_research(query) if query.strip() else store.research_list()
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The research library", exc)
        return
    if priority:
        items = [r for r in items if priority in r.priorities]
    if query.strip():
        st.markdown(f"{len(items)} document{'s' if len(items) != 1 else ''} match {md_literal(query.strip())}.")
    elif not items:
        st.info("The library holds no document yet.", icon=":material/info:")
    for r in items:
        research_entry(r)
