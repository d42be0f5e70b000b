"""The overview: a scorecard of the nine priorities for board members."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data import judgement as jm
from lis_data.extract import ATTRIBUTION

from .components import data, judged, navigation, sidebar
from .components.pack_button import pack_button
from .components.formatting import change, headline_number, unit_note, with_unit


@st.cache_data(show_spinner=False)
def scorecard_rows(pid: str, districts: tuple[str, ...], benchmark: str = "england") -> pd.DataFrame:
    """One row per headline indicator: the districts' median and range in the latest period,
    England in the same period, the direction of travel of the median, the median's trend, and how
    many districts are better, similar and worse than the benchmark (the median is never judged)."""
    cat, area = data.catalogue(), data.area()
    england = area.comparators["england"].code
    rows = []
    for ind in cat.headlines_for(pid, at_most=3):
        if ind.level == "district":
            summary = data.group_summary(ind.id, districts)
            summary = summary[summary["n_with_value"] > 0]
            what = f"median of {len(districts)} districts" if len(districts) > 1 else area.district(districts[0]).name
        else:
            codes = tuple(a.code for a in area.larger_areas) if ind.level == "itl" else \
                tuple(c.code for c in area.counties) if ind.level == "county" else (area.comparators["region"].code,)
            summary = data.group_summary(ind.id, codes)
            summary = summary[summary["n_with_value"] > 0]
            what = {"itl": "median of the ITL areas covering EM3", "county": "median of the two counties",
                    "region": "South East (region only)"}[ind.level]
        if summary.empty:
            rows.append({"Indicator": ind.short_label, "Latest": "no figures", "Range": "", "England": "",
                         "Direction": "", "Verdict": "neutral", "Unit": "", "Arrow": "", "Trend": [], "Measure": what,
                         "Period": "", "Judged": ""})
            continue
        last = summary.iloc[-1]
        eng = data.snapshot(ind.id, (england,), last["period"])
        eng_value = eng["value"].iloc[0] if not eng.empty else None
        direction, verdict, arrow = "", "neutral", ""
        if len(summary) > 1:
            prev = summary.iloc[-2]
            delta = last["median"] - prev["median"]
            verdict = jm.direction(delta, ind.polarity)
            arrow = "up" if delta > 0 else "down" if delta < 0 else ""
            moved = change(delta, ind.unit, ind.decimals)
            direction = (f"{moved} since {prev['period_label']}"
                         + (f" ({verdict})" if verdict in (jm.IMPROVING, jm.WORSENING) else "")
                         if delta else f"unchanged since {prev['period_label']}")
        judged_text = ""
        if ind.level == "district":
            verdicts = judged.judgements_in(ind.id, districts, last["period"], benchmark)
            bname = judged.benchmark_name(districts, benchmark)
            judged_text = (f"{bname}: {judged.words(verdicts[0], bname)}" if len(districts) == 1
                           else judged.counts_text(verdicts, bname))
        rows.append({
            "Indicator": ind.short_label,
            "Latest": headline_number(last["median"], ind.unit, ind.decimals),
            "Unit": unit_note(ind.unit) or "",
            "Period": last["period_label"],
            "Verdict": verdict,
            "Arrow": arrow,
            "Range": (f"{with_unit(last['low'], ind.unit, ind.decimals)} – {with_unit(last['high'], ind.unit, ind.decimals)}"
                      if last["n_with_value"] > 1 else ""),
            "England": with_unit(eng_value, ind.unit, ind.decimals) if eng_value is not None and pd.notna(eng_value)
            else "not published",
            "Direction": direction,
            "Trend": [float(v) for v in summary["median"].tail(12)],
            "Measure": what,
            "Judged": judged_text,
        })
    return pd.DataFrame(rows)


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
    pack_button(filters, key="pack-overview")
    _profile_links(districts)
    cols = st.columns(3, gap="medium")
    tables = []
    for i, p in enumerate(cat.priorities):
        df = scorecard_rows(p.id, districts, filters.benchmark)
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
