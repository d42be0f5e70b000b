"""Data and sources: every indicator with its source, release date, licence, caveats and coverage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.constants import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.views.sources import indicator_notes, source_rows

from .components import data
from .components.formatting import md_escape


@st.cache_data(show_spinner=False)
def coverage_table() -> pd.DataFrame:
    """The sources table (lis_data.views.sources), as the page lays it out."""
    return pd.DataFrame([{
        "Indicator": r.indicator, "Priorities": r.priorities, "Level": r.level, "Periods": r.periods,
        "District coverage": r.coverage, "Source": r.source, "Released": r.released, "Link": r.link,
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
        "published figure and says nothing about significance. "
        "`python -m lis_data profile --area CODE` prints the same judgements as the District profile page.")
    st.header("Indicators", anchor=False)
    st.caption("District coverage counts district × period cells with a figure, for the "
               f"{len(area.districts)} {area.short_name} districts. Priorities are numbered as in the strategy.")
    st.dataframe(coverage_table(), hide_index=True, width="stretch",
                 column_config={"Link": st.column_config.LinkColumn("Source page", display_text="open")})
    st.header("Caveats, indicator by indicator", anchor=False)
    for ind in cat.indicators:
        n = indicator_notes(data.meta(ind.id), ind.id)  # upstream text as plain words: escaped below
        with st.expander(ind.label):
            st.markdown(f"*{md_escape(n.subtitle)}*" if n.subtitle else "")
            st.markdown("\n\n".join(md_escape(p) for p in n.description))
            if n.caveats:
                st.markdown("**Caveats**\n\n" + "\n\n".join(md_escape(p) for p in n.caveats))
            st.caption(f"Upstream: dataset `{ind.dataset}`, indicator “{md_escape(ind.indicator)}”, measure "
                       f"“{md_escape(ind.measure)}”. Released {md_escape(n.released)} by {md_escape(n.source)}.")
    st.header("The data API and the CSV files", anchor=False)
    st.markdown(
        "The figures behind every page can be read by a program from this server's read-only data API. "
        "`/api/v1/` lists its endpoints and their parameters; `/api/v1/figures.csv?area=E07000217&dataset=claimant-count` "
        "gives every figure with its upstream identity, exactly as published (as `python -m lis_data export` does); "
        "`/api/v1/profile.csv?area=E07000217&benchmark=england` a district's profile (as `python -m lis_data profile`). "
        "Every CSV here, from a page's download button, the command line or the API, has the same form: a header row "
        "and no comment line, `period` in ISO 8601 as published with `period_label` beside it, and the `source` "
        "and `licence` of each row in its last two columns.")
    st.header("Refreshing the figures", anchor=False)
    st.markdown(
        "When a new release is out, put the upstream files in the data folder beside the project and run\n\n"
        "```\npython -m lis_data build\n```\n\n"
        "The build validates every row, writes the project's extract under `data/extract/` and prints what changed "
        "against the previous extract (new periods, revised values, intervals and status codes, changed metadata, "
        "the judgements those changes flip, indicators gone) before anything goes live. "
        "A build that fails leaves the previous extract untouched. `python -m lis_data check` lists the gaps; "
        "`python -m lis_data export --area CODE` traces any figure back to its release.")
