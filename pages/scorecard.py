"""The overview: a scorecard of the nine priorities for board members."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.extract import ATTRIBUTION

from .components import data, navigation, sidebar
from .components.formatting import judgement, with_unit


@st.cache_data(show_spinner=False)
def scorecard_rows(pid: str, districts: tuple[str, ...]) -> pd.DataFrame:
    """One row per headline indicator: the districts' median and range in the latest period,
    England in the same period, the direction of travel of the median, and the median's trend."""
    cat, area = data.catalogue(), data.area()
    england = area.comparators["england"].code
    rows = []
    for ind in cat.headlines_for(pid, at_most=3):
        if ind.level == "district":
            summary = data.group_summary(ind.id, districts)
            summary = summary[summary["n_with_value"] > 0]
            what = f"median of {len(districts)} districts"
        else:
            codes = tuple(a.code for a in area.larger_areas) if ind.level == "itl" else \
                tuple(c.code for c in area.counties) if ind.level == "county" else (area.comparators["region"].code,)
            summary = data.group_summary(ind.id, codes)
            summary = summary[summary["n_with_value"] > 0]
            what = {"itl": "median of the ITL areas covering EM3", "county": "median of the two counties",
                    "region": "South East"}[ind.level]
        if summary.empty:
            rows.append({"Indicator": ind.short_label, "Latest": "no figures", "Range": "", "England": "",
                         "Direction": "", "Trend": [], "Measure": what})
            continue
        last = summary.iloc[-1]
        eng = data.snapshot(ind.id, (england,), last["period"])
        eng_value = eng["value"].iloc[0] if not eng.empty else None
        direction = ""
        if len(summary) > 1:
            delta = last["median"] - summary.iloc[-2]["median"]
            verdict = judgement(delta, ind.polarity)
            arrow = "↑" if delta > 0 else "↓" if delta < 0 else "→"
            direction = f"{arrow} {verdict}" if verdict != "neutral" else f"{arrow} no judgement" if delta else "→ unchanged"
        rows.append({
            "Indicator": ind.short_label,
            "Latest": f"{with_unit(last['median'], ind.unit, ind.decimals)} ({last['period_label']})",
            "Range": (f"{with_unit(last['low'], ind.unit, ind.decimals)} – {with_unit(last['high'], ind.unit, ind.decimals)}"
                      if last["n_with_value"] > 1 else ""),
            "England": with_unit(eng_value, ind.unit, ind.decimals) if eng_value is not None and pd.notna(eng_value)
            else "not published",
            "Direction": direction,
            "Trend": [float(v) for v in summary["median"].tail(12)],
            "Measure": what,
        })
    return pd.DataFrame(rows)


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
    cols = st.columns(3, gap="medium")
    for i, p in enumerate(cat.priorities):
        with cols[i % 3]:
            with st.container(border=True):
                st.page_link(navigation.page(p.id), label=f"**{p.number}. {p.title}**",
                             icon=":material/arrow_forward:")
                df = scorecard_rows(p.id, districts)
                st.dataframe(
                    df[["Indicator", "Latest", "Range", "England", "Direction", "Trend"]],
                    hide_index=True, width="stretch",
                    column_config={
                        "Indicator": st.column_config.TextColumn(width="medium"),
                        "Latest": st.column_config.TextColumn("Median (latest)", help="Median of the areas' latest figures"),
                        "Range": st.column_config.TextColumn("Range", help="Lowest to highest of the areas"),
                        "Trend": st.column_config.LineChartColumn("Median trend", width="small"),
                    })
    st.caption(ATTRIBUTION + ".")
