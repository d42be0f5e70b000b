"""What's new since the last board: the indicators with a new period, a revision or changed metadata
in the builds since a date (?since=YYYY-MM-DD; default: the latest build), for the districts in focus.
The list comes from lis_data.views.whats_new, the same one the evidence pack prints."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.constants import ATTRIBUTION
from lis_data.paths import extract_dir
from lis_data.release_log import read_log
from lis_data.views.whats_new import (WHATS_NEW_COLUMNS, WhatsNew, since_param, summary_line, whats_new,
                                      worded_rows)

from .components import data, sidebar


@st.cache_data(show_spinner=False, ttl=600)
def news(codes: tuple[str, ...], since: str | None, benchmark: str) -> WhatsNew:
    return whats_new(data.store(), codes, since, benchmark, entries=read_log(extract_dir()),
                     area=data.area(), catalogue=data.catalogue())


def _since() -> str | None:
    param = since_param(st.query_params.get("since"))
    if param.note:
        st.warning(param.note, icon=":material/link_off:")
    return param.date


def render() -> None:
    filters = sidebar.current()
    cat = data.catalogue()
    st.title("What's new since the last board", anchor=False)
    since = _since()
    if not filters.districts:
        st.info("No districts in focus: choose one or more in the sidebar.", icon=":material/filter_alt:")
        return
    result = news(tuple(filters.districts), since, filters.benchmark)
    if result.since is None:
        st.info("No build of the extract has been logged yet, so nothing is new.", icon=":material/info:")
        return
    st.markdown(f"Indicators with a new period, a revised figure, confidence interval or status code, or changed "
                f"metadata in the builds of the extract since "
                f"**{result.since}** ({len(result.builds)} build{'s' if len(result.builds) != 1 else ''}: "
                f"{', '.join(result.builds) or 'none'}), for the districts in focus. Each judgement is by its "
                "indicator's method and names the area it is judged against: by the published 95% confidence "
                "interval, or the fifth of English districts for rates published without one; counts are not "
                "judged. Ranks are among English districts, 1 the best. Add `?since=YYYY-MM-DD` to the address "
                "to choose the date.")
    if not result.items:
        st.info(f"Nothing new since {result.since}.", icon=":material/check:")
    for p in cat.priorities:
        items = result.for_priority(p.id)
        if not items:
            continue
        st.subheader(f"{p.number}. {p.title}", anchor=False)
        for item in items:
            st.markdown(f"**{item.label}**. {summary_line(item)}")
            rows = worded_rows(item, result.benchmark_name)
            if rows:
                st.dataframe(pd.DataFrame(rows, columns=list(WHATS_NEW_COLUMNS)), hide_index=True, width="stretch")
            else:
                st.caption("No figure for the areas in focus.")
    if result.indicators_gone:
        st.warning("Indicators gone from the upstream release: " + ", ".join(result.indicators_gone) + ".")
    st.caption(ATTRIBUTION + ".")
