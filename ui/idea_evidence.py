"""The evidence beside an idea, laid out: the named indicators' judged figures with the table behind
each, and their latest movement (computed by lis_data.hub.evidence, cached here)."""

from __future__ import annotations

import streamlit as st

from lis_data.hub import evidence as hub_evidence

from . import data
from .formatting import md_escape
from .navigation import page


@st.cache_data(show_spinner="Judging the indicators…", max_entries=256)
def _evidence(indicator_ids: tuple[str, ...], fingerprint: str) -> list[hub_evidence.IndicatorEvidence]:
    del fingerprint  # part of the cache key only (README: Caching)
    return hub_evidence.indicator_evidence(data.store(), indicator_ids, data.area(), data.catalogue())


def evidence(indicator_ids: tuple[str, ...]) -> list[hub_evidence.IndicatorEvidence]:
    return _evidence(indicator_ids, data.extract_fingerprint())


def evidence_section(indicator_ids: tuple[str, ...], key: str = "ev") -> None:
    """Each named indicator: the judgements counted, the latest movement, every district's figure."""
    for ev in evidence(tuple(indicator_ids)):
        with st.container(border=True):
            st.markdown(f"**{md_escape(ev.label)}**")
            st.markdown(md_escape(ev.summary))
            if ev.movement:
                st.caption(md_escape(ev.movement))
            if ev.judged:
                st.dataframe(
                    {"District": [d.name for d in ev.districts], "Figure": [d.value for d in ev.districts],
                     "Against England": [d.judgement for d in ev.districts]},
                    hide_index=True, width="stretch", key=f"{key}-{ev.indicator_id}")
            st.page_link(page(ev.priority), label=f"{md_escape(ev.label)} on its priority page",
                         icon=":material/trending_up:", query_params={"ind": ev.indicator_id})


def movement_lines(indicator_ids: tuple[str, ...]) -> list[str]:
    """"Label: movement" for each named indicator (its summary when no district moved)."""
    return [f"{ev.label}: {ev.movement or ev.summary}" for ev in evidence(tuple(indicator_ids))]
