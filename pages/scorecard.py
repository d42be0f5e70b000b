"""The overview: a scorecard of the nine priorities for board members."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from lis_data.domain import judgement as jm
from lis_data.constants import ATTRIBUTION

from ui import data, judged, navigation, sidebar, views
from ui.officer_downloads import officer_downloads
from ui.pack_button import pack_button


#: Cards per row on a wide screen. Each row is its own st.columns, so a phone, which stacks columns,
#: shows the cards in priority order (1, 2, 3, ...), not column by column (1, 4, 7, 2, ...).
CARDS_PER_ROW = 3


def _profile_links(districts: tuple[str, ...]) -> None:
    """Each district's name opens its profile: folded below the cards, so the first screen shows figures."""
    area = data.area()
    with st.expander("District profiles: every indicator of one district against the benchmark"):
        cols = st.columns(3, gap="small")
        for i, d in enumerate(area.districts):
            cols[i % 3].page_link(navigation.page("profile"), label=d.name, query_params={"d": d.code},
                                  help=f"The profile of {d.name}")


def _sparkline(row) -> None:
    """The median's trend as a small inline SVG named by the trend in words (lis_data.views.sparkline);
    nothing when fewer than two periods were published. Through st.markdown: st.html's sanitiser keeps
    HTML only and drops SVG. Every value in it is the project's own (numbers, escaped words)."""
    line = row["Line"]
    if line is None:
        return
    x, y = line.last
    st.markdown(f'<svg class="em3-spark" role="img" aria-label="{html.escape(line.words)}" '
            f'viewBox="0 0 {line.width} {line.height}" preserveAspectRatio="none" '
            f'style="width:100%;height:{line.height}px;display:block">'
            f'<title>{html.escape(line.words)}</title>'
            f'<polyline points="{line.points}" fill="none" stroke="#4D4D4D" stroke-width="2" '
            f'vector-effect="non-scaling-stroke" stroke-linejoin="round"/>'
            f'<circle cx="{x}" cy="{y}" r="3" fill="#1A1A1A"/></svg>', unsafe_allow_html=True)


def _how_to_read(cat, area) -> None:
    with st.expander("How to read the cards"):
        st.markdown(
            f"Nine strategic priorities, {len(cat.indicators)} official indicators, {len(area.districts)} districts of "
            "Surrey and Hampshire. Each card shows the priority's headline indicators for the districts in focus: "
            "the **median** of their latest figures and their **range** (lowest to highest), England's figure for the "
            "same period, and the direction of travel of the median since the previous period. "
            "Rates are never added up into an EM3 total.")


def _delta_colour(verdict: str, arrow: str) -> str:
    """Green for a tested improvement and red for a tested worsening, whichever way the figure moved
    (Streamlit's "normal" colours a rise green, "inverse" a fall); grey for a change not tested."""
    if verdict not in (jm.IMPROVING, jm.WORSENING) or arrow not in ("up", "down"):
        return "off"
    return "normal" if (verdict == jm.IMPROVING) == (arrow == "up") else "inverse"


def render() -> None:
    area, cat = data.area(), data.catalogue()
    filters = sidebar.current()
    st.title(f"{area.name} Local Industrial Strategy: how are we doing?", anchor=False)
    if filters.districts:  # the answer first, in words, from the judged rows
        st.markdown(" ".join(judged.answer(filters.districts, filters.benchmark)))
    districts = filters.districts
    if not districts:
        st.info("No districts in focus: choose one or more in the sidebar.", icon=":material/filter_alt:")
        _how_to_read(cat, area)
        return
    if len(districts) < len(area.districts):
        names = ", ".join(area.district(d).name for d in districts)
        st.caption(f"Showing {len(districts)} of {len(area.districts)} districts: {names}.")
    tables = []
    for i, p in enumerate(cat.priorities):
        if i % CARDS_PER_ROW == 0:
            cols = st.columns(CARDS_PER_ROW, gap="medium")
        df = views.scorecard_table(p.id, districts, filters.benchmark)
        tables.append(df.assign(Priority=f"{p.number}. {p.title}"))
        with cols[i % CARDS_PER_ROW]:
            with st.container(border=True):
                st.page_link(navigation.page(p.id), label=f"**{p.number}. {p.title}**",
                             icon=":material/arrow_forward:")
                for _, row in df.iterrows():
                    st.metric(
                        label=f"{row['Indicator']}, {row['Period']}",
                        value=row["Latest"], delta=row["Direction"] or None,
                        delta_color=_delta_colour(row["Verdict"], row["Arrow"]),
                        delta_arrow={"up": "up", "down": "down"}.get(row["Arrow"], "off"),
                        help=f"England: {row['England']}. Range of the areas: {row['Range'] or 'one area only'}. "
                             "The line below is the median's trend.")
                    _sparkline(row)
                    measure, england = row["Measure"], row["England"]
                    # as written (ITL, EM3, kWh, CO2e): only the first letter raised
                    st.caption(measure[:1].upper() + measure[1:] + (f", {row['Unit'][:1].lower()}{row['Unit'][1:]}" if row["Unit"] else "")
                               + (f"; range {row['Range']}" if row["Range"] else "")
                               + (f"; {england[:1].upper()}{england[1:]}" if england.startswith("a count")
                                  else f"; England {england}")
                               + (f".  \n{row['Judged']}" if row["Judged"] else ""))
    _how_to_read(cat, area)
    # The pack, the workbook and the Word summary side by side, after the cards: on a phone the first
    # screen shows a figure (tests/e2e/test_e2e_screens.py).
    with st.container(horizontal=True):
        pack_button(filters, key="pack-overview")
        officer_downloads(filters, key="officer-overview")
    _profile_links(districts)
    with st.expander("The scorecard as a table"):
        table = pd.concat(tables, ignore_index=True)
        # The indicator pinned and its figure beside it, so a phone shows both without scrolling.
        st.dataframe(table[["Indicator", "Latest", "Period", "England", "Direction", "Judged", "Range", "Unit",
                            "Measure", "Priority"]],
                     hide_index=True, width="stretch",
                     column_config={"Indicator": st.column_config.TextColumn(pinned=True)})
    st.caption(ATTRIBUTION + ".")
