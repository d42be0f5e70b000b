"""Data and sources: every indicator with its source, release date, licence, caveats and coverage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.constants import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.views.caveats import MAX_SEARCH, matches
from lis_data.views.sources import indicator_notes, source_rows

from ui import data
from ui.formatting import md_escape, md_literal

#: The read-only data API's index (web/api.py): what analysts can download, and how.
API_INDEX_PATH = "/api/v1/"


@st.cache_data(show_spinner=False)
def coverage_table() -> pd.DataFrame:
    """The sources table (lis_data.views.sources), as the page lays it out."""
    # The indicator (pinned) and its release first, so a phone shows them side by side.
    return pd.DataFrame([{
        "Indicator": r.indicator, "Released": r.released, "Level": r.level, "Periods": r.periods,
        "District coverage": r.coverage, "Source": r.source, "Link": r.link, "Priorities": r.priorities,
        "Upstream dataset": r.dataset,
    } for r in source_rows(data.SOURCE, data.coverage(data.area().district_codes))])


def render() -> None:
    area, cat = data.area(), data.catalogue()
    st.title("Data and sources", anchor=False)
    st.markdown(
        f"Every figure on this dashboard is an official statistic published through the Office for National "
        f"Statistics' *Explore local statistics* service. Nothing is estimated, padded or interpolated here: "
        f"where a figure is missing, the dashboard says so.\n\n"
        f"**{ATTRIBUTION}** ([{LICENCE}]({LICENCE_URL})). Boundaries: Office for National Statistics, "
        f"{LICENCE}; contains OS data © Crown copyright and database right.")
    st.header("How figures are judged: better, similar or worse", anchor=False)
    st.markdown(
        "A district is called **better** or **worse** than its benchmark (England by default; the South East or "
        "the district's county under *Judge against* in the sidebar, or `bm=` in a link) only when the difference "
        "is statistically significant: the district's published 95% confidence interval lies wholly above or below "
        "the benchmark's figure **for the same period**. Where the interval contains or touches that figure the "
        "district is **similar**; where an indicator with intervals has none for a figure it is "
        "**not tested**, and the difference is shown only as a difference; where the benchmark has no figure for "
        "that period it is **not compared**. Rates and shares published without an interval are placed instead "
        "in their **fifth of English districts** (best to worst fifth, by rank among all districts with a figure "
        "for that period): a position, not a significance test, and the same whatever the benchmark; counts and "
        "totals are **not judged** (`method` in the catalogue). For indicators where neither direction is better, "
        "the words are "
        "*higher*, *similar* and *lower*. A median of several districts is never judged; the pages count how many "
        "districts are better, similar and worse instead. Judgements are shown by a word and a shape "
        "(▲ better, ● similar, ▼ worse), never by colour alone.\n\n"
        "This is the method of the Office for Health Improvement and Disparities' **Fingertips** public health "
        "profiles (fingertips.phe.org.uk), which compare each area's confidence interval with the benchmark's "
        "value and show all of an area's indicators on one *spine chart*, as the District profile page does. "
        "Direction of travel (improving, worsening, no change) compares a figure with the area's previous "
        "published figure and says nothing about significance.")
    st.header("Indicators", anchor=False)
    st.caption("District coverage counts district × period cells with a figure, for the "
               f"{len(area.districts)} {area.short_name} districts. Priorities are numbered as in the strategy.")
    st.dataframe(coverage_table(), hide_index=True, width="stretch",
                 column_config={"Indicator": st.column_config.TextColumn(pinned=True),
                                "Link": st.column_config.LinkColumn("Source page", display_text="open")})
    st.header("Caveats, indicator by indicator", anchor=False)
    search = st.text_input("Filter the caveats", max_chars=MAX_SEARCH, placeholder="for example: census, rounding",
                           help="Shows the indicators whose name, description or caveats contain every word typed.")
    # upstream text as plain words (lis_data.views.sources): searched as words, escaped below
    notes = {ind.id: indicator_notes(data.meta(ind.id), ind.id) for ind in cat.indicators}
    shown = [ind for ind in cat.indicators
             if matches(search, (ind.label, notes[ind.id].subtitle, *notes[ind.id].description,
                                 *notes[ind.id].caveats))]
    if search.strip():
        st.caption(f"{len(shown)} of {len(cat.indicators)} indicators match {md_literal(search)}.")
    for ind in shown:
        n = notes[ind.id]
        with st.expander(ind.label):
            st.markdown(f"*{md_escape(n.subtitle)}*" if n.subtitle else "")
            st.markdown("\n\n".join(md_escape(p) for p in n.description))
            if n.caveats:
                st.markdown("**Caveats**\n\n" + "\n\n".join(md_escape(p) for p in n.caveats))
            st.caption(f"Upstream: dataset `{ind.dataset}`, indicator “{md_escape(ind.indicator)}”, measure "
                       f"“{md_escape(ind.measure)}”. Released {md_escape(n.released)} by {md_escape(n.source)}.")
    st.header("The figures as data", anchor=False)
    st.markdown(
        f"**Data API.** Every figure the dashboard shows can be downloaded as CSV, exactly as published, from the "
        f"dashboard's own read-only data API. Its index, at [{API_INDEX_PATH}]({API_INDEX_PATH}) on this site, lists "
        "each address and its parameters: the figures for chosen areas and datasets, and a district's profile "
        "judged against its benchmark. Each chart's table on the priority pages also has a CSV download.")
    st.header("Refreshing the figures", anchor=False)
    st.markdown(
        "When the ONS publishes a new release, the project's team rebuilds the dashboard's extract from it. Every "
        "row is checked first; what changed against the previous extract (new periods, revised figures, "
        "indicators gone) is logged, and *What's new* lists it. A release that fails the checks leaves the "
        "figures you see untouched.")
