"""The comparison table for officers (url path /compare): the indicators of a priority, or all of
them, against the districts in focus, with the EM3 median, the counties, the region and England;
each district's cell marked by its judgement with a symbol (shape) as well as a colour, as
Fingertips' "overview" (the tartan rug). Built by lis_data.views.rug from the judged table.
At 390 px the table scrolls inside its own box with the indicator column fixed."""

from __future__ import annotations

import streamlit as st

from lis_data.domain import judgement as jm
from lis_data.constants import ATTRIBUTION
from lis_data.views.rug import FIRST, Rug, rug

from ui import data, sidebar

ALL = "all"


@st.cache_data(show_spinner=False, max_entries=64)
def table(pid: str, districts: tuple[str, ...], benchmark: str) -> Rug:
    cat = data.catalogue()
    inds = cat.indicators if pid == ALL else cat.indicators_for(pid)
    return rug(data.SOURCE, [i.id for i in inds], districts, benchmark)


def _styled(r: Rug):
    """The judgement's colour on each judged cell (its symbol is already in the text)."""
    def colour(col):
        return [f"color: {jm.STYLE[j]['colour']}; font-weight: 600" if j else "" for j in r.judgements[col.name]]

    return r.table.style.apply(colour, subset=list(r.areas))


def render() -> None:
    filters = sidebar.current()
    cat = data.catalogue()
    st.title("Comparison table", anchor=False)
    st.markdown("Each indicator's latest figure for every district in focus, with their median, the counties, "
                "the South East and England. A district's cell carries its judgement as a symbol and a colour.")
    st.markdown("\n".join(f"- {jm.METHOD_TEXT[m]}" for m in ("ci95", "quintiles", "none")))
    st.caption("Symbols: ▲ better, ● similar, ▼ worse, ◆ higher, ■ lower (95% CI); ⬆ best, ↑ second-best, "
               "▬ middle, ↓ second-worst, ⬇ worst fifth of English districts (⇈ ⇡ ▬ ⇣ ⇊ highest to lowest where "
               "neither is better); ✕ not tested, ▸ not compared, ◂ not judged. No symbol: a comparator's figure, "
               "not judged.")
    if not filters.districts:
        st.info("No districts in focus: choose one or more in the sidebar.", icon=":material/filter_alt:")
        return
    options = [ALL, *(p.id for p in cat.priorities)]
    titles = {ALL: "All priorities", **{p.id: f"{p.number}. {p.title}" for p in cat.priorities}}
    pid = st.selectbox("Indicators of", options, format_func=titles.get, key="compare_priority")
    r = table(pid, tuple(filters.districts), filters.benchmark)
    if r.table.empty:
        st.info("No figures for these districts.", icon=":material/info:")
        return
    st.dataframe(_styled(r), hide_index=True, width="stretch", height=min(38 + 35 * len(r.table), 640),
                 key="compare-table",
                 column_config={FIRST: st.column_config.TextColumn(FIRST, pinned=True, width="medium")})
    st.download_button("Download CSV", data=r.csv(), file_name=f"em3-comparison-{pid}.csv", mime="text/csv",
                       icon=":material/download:", help="One row per indicator and area, with its judgement and "
                                                        "the area it is judged against.")
    st.caption(ATTRIBUTION + ".")
