"""The overview: a scorecard of the nine priorities for board members."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data import judgement as jm
from lis_data.constants import ATTRIBUTION

from .components import data, navigation, sidebar, views
from .components.officer_downloads import officer_downloads
from .components.pack_button import pack_button


def _profile_links(districts: tuple[str, ...]) -> None:
    """Each district's name opens its profile."""
    area = data.area()
    st.markdown("**District profiles**: every indicator of one district against the benchmark.")
    cols = st.columns(5, gap="small")
    for i, d in enumerate(area.districts):
        cols[i % 5].page_link(navigation.page("profile"), label=d.name, query_params={"d": d.code},
                              help=f"The profile of {d.name}")


def render() -> None:
    area, cat = data.area(), data.catalogue()
    filters = sidebar.current()
    st.title(f"{area.name} Local Industrial Strategy: how are we doing?", anchor=False)
    st.markdown(
        f"Nine strategic priorities, {len(cat.indicators)} official indicators, {len(area.districts)} districts of "
        "Surrey and Hampshire. Each card shows the priority's headline indicators for the districts in focus: "
        "the **median** of their latest figures and their **range** (lowest to highest), England's figure for the "
        "same period, and the direction of travel of the median since the previous period. "
        "Rates are never added up into an EM3 total.")
    districts = filters.districts
    if not districts:
        st.info("No districts in focus: choose one or more in the sidebar.", icon=":material/filter_alt:")
        return
    if len(districts) < len(area.districts):
        names = ", ".join(area.district(d).name for d in districts)
        st.caption(f"Showing {len(districts)} of {len(area.districts)} districts: {names}.")
    with st.container(horizontal=True):  # the pack, the workbook and the Word summary side by side
        pack_button(filters, key="pack-overview")
        officer_downloads(filters, key="officer-overview")
    _profile_links(districts)
    cols = st.columns(3, gap="medium")
    tables = []
    for i, p in enumerate(cat.priorities):
        df = views.scorecard_table(p.id, districts, filters.benchmark)
        tables.append(df.assign(Priority=f"{p.number}. {p.title}"))
        with cols[i % 3]:
            with st.container(border=True):
                st.page_link(navigation.page(p.id), label=f"**{p.number}. {p.title}**",
                             icon=":material/arrow_forward:")
                for _, row in df.iterrows():
                    st.metric(
                        label=f"{row['Indicator']}, {row['Period']}",
                        value=row["Latest"], delta=row["Direction"] or None,
                        delta_color={jm.IMPROVING: "normal", jm.WORSENING: "inverse"}.get(row["Verdict"], "off"),
                        delta_arrow={"up": "up", "down": "down"}.get(row["Arrow"], "off"),
                        chart_data=row["Trend"] or None, chart_type="line",
                        help=f"England: {row['England']}. Range of the areas: {row['Range'] or 'one area only'}. "
                             "The line is the median's trend.")
                    st.caption(f"{row['Measure'].capitalize()}" + (f", {row['Unit'].lower()}" if row["Unit"] else "")
                               + (f"; range {row['Range']}" if row["Range"] else "")
                               + f"; England {row['England']}"
                               + (f".  \n{row['Judged']}" if row["Judged"] else ""))
    with st.expander("The scorecard as a table"):
        table = pd.concat(tables, ignore_index=True)
        st.dataframe(table[["Priority", "Indicator", "Measure", "Period", "Latest", "Unit", "Range", "England",
                            "Direction", "Judged"]],
                     hide_index=True, width="stretch")
    st.caption(ATTRIBUTION + ".")
