"""The district profile (url path /profile): every district-level indicator of one district on a
spine, judged against the chosen benchmark by the one rule in lis_data.domain.judgement. With several
districts in focus (all 14: the EM3 view), each spine carries those districts and the counts.

The rows come from lis_data.domain.profile, the same rows `python -m lis_data profile` prints."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lis_data.domain import judgement
from lis_data.constants import ATTRIBUTION
from lis_data.domain.profile import PROFILE_COLUMNS, GroupRow, ProfileRow
from lis_data.views import spines
from lis_data.views.profile_filter import SHOW, passes, tally
from lis_data.views.exports import profile_rows_csv
from lis_data.views.formatting import percent, with_unit

from ui import data, judged, navigation, sidebar
from ui.chart_downloads import image_downloads
from ui.global_style import text_alternative
from ui.officer_downloads import officer_downloads
from ui.pack_button import pack_button
from ui.filter_state import BENCHMARK_CHOICES

TABLE_KEY = "profile-table"


profile_rows, group_rows = judged.profile_rows, judged.group_rows


@st.cache_data(show_spinner=False, max_entries=256)
def spine_spec(key: tuple, pid: str, show: str) -> dict | None:
    """The Vega-Lite spec of one priority's spines, built once per district(s), benchmark and filter."""
    kind, codes, benchmark = key
    rows = profile_rows(codes[0], benchmark) if kind == "district" else group_rows(codes, benchmark)
    chosen = [r for r in rows if r.priority == pid and passes(r, show)]
    p = data.catalogue().priority(pid)
    return spines.spine_chart(chosen, f"{p.number}. {p.title}")


def _table(rows: list[ProfileRow]) -> pd.DataFrame:
    cat = data.catalogue()
    df = pd.DataFrame([r.record() for r in rows], columns=list(PROFILE_COLUMNS))
    df.insert(0, "name", [r.label for r in rows])
    df.insert(1, "priority", [f"{cat.priority(r.priority).number}. {cat.priority(r.priority).title}" for r in rows])
    df["mark"] = [judgement.STYLE[r.judgement]["symbol"] for r in rows]
    df["trend"] = [list(r.sparkline) for r in rows]
    return df


def _group_table(rows: list[GroupRow]) -> pd.DataFrame:
    return pd.DataFrame([{
        "name": r.label, "indicator": r.indicator, "method": r.method, "period": r.period,
        "period_label": r.period_label, "benchmark_area": r.benchmark_area, "benchmark_value": r.benchmark_value,
        **{j: r.count(j) for j in judgement.JUDGEMENTS},
    } for r in rows])


def _row_text(r: ProfileRow) -> str:
    """A row in words, so that a phone (where the spine shows no numbers) reads the figures: "Affordability
    ratio: 9.95× earnings (England 7.64× earnings) ⬇ worst fifth"."""
    j = r.judgement
    if r.value is None:
        return f"{r.short_label}: {judgement.STYLE[j]['symbol']} {j}"
    figure = with_unit(r.value, r.unit, r.decimals)
    if r.kind == "count":
        beside = f" ({percent(r.share)} of {r.benchmark_area})" if r.share is not None else ""
    elif r.benchmark_value is not None:
        beside = f" ({r.benchmark_area} {with_unit(r.benchmark_value, r.unit, r.decimals)})"
    else:
        beside = ""
    return f"{r.short_label}: {figure}{beside} {judgement.STYLE[j]['symbol']} {j}"


def _links(rows, code: str | None) -> None:
    """Each row opens its indicator on its priority page. One district's rows carry their figures, and
    take the page's width so that a label is never cut short."""
    cols = st.columns(1 if code else 3, gap="small")
    for i, r in enumerate(rows):
        text = _row_text(r) if isinstance(r, ProfileRow) else \
            f"{r.short_label}: " + ", ".join(f"{n} {judgement.STYLE[k]['symbol']} {k}" for k, n in r.counts if n)
        query = {"ind": r.indicator, **({"d": code} if code else {})}
        cols[i % len(cols)].page_link(navigation.page(r.priority), label=text, query_params=query,
                              icon=":material/arrow_forward:")


def _spine_alt(p, rows, bname: str) -> str:
    """The spine chart's text alternative: what it shows and how its judgements add up."""
    counted = ", ".join(f"{n} {k}" for k, n in tally(rows).items())
    return (f"Spine chart of priority {p.number}, {p.title}: {len(rows)} indicators, each against the spread of "
            f"all English districts. Judged against {bname}: {counted}. The links and the table below give "
            "every figure.")


def render() -> None:
    area, cat = data.area(), data.catalogue()
    filters = sidebar.current()
    codes = filters.districts
    bname = BENCHMARK_CHOICES[filters.benchmark]
    if not codes:
        st.title("District profile", anchor=False)
        st.info("No districts in focus: choose one in the sidebar to see its profile.", icon=":material/filter_alt:")
        return
    single = len(codes) == 1
    name = ""
    if single:
        name = area.district(codes[0]).name
        st.title(f"District profile: {name}", anchor=False)
        rows: list = profile_rows(codes[0], filters.benchmark)
        key = ("district", codes, filters.benchmark)
        bname = rows[0].benchmark_area if rows else bname
    else:
        st.title(f"{area.short_name} profile" if len(codes) == len(area.districts)
                 else f"Profile of {len(codes)} districts", anchor=False)
        rows = group_rows(codes, filters.benchmark)
        key = ("group", codes, filters.benchmark)
        if filters.benchmark == "county":
            bname = "each district's county"
    st.markdown(" ".join(judged.answer(codes, filters.benchmark)))
    with st.container(horizontal=True):  # the pack, the workbook and the Word summary side by side
        pack_button(filters, key="pack-profile")
        officer_downloads(filters, key="officer-profile")
    st.markdown(
        f"Every indicator published for districts, one line each, grouped by the nine priorities, judged as "
        f"the OHID Fingertips public health profiles do, by each indicator's method (**judged against {bname}** "
        "where an interval is published). Change the benchmark under **Judge against** in the sidebar.")
    st.markdown("\n".join(f"- {judgement.METHOD_TEXT[m]}" for m in ("ci95", "quintiles", "none")))
    st.caption("Spines: pale bar, all English districts from the worst (left) to the best (right); darker bar, "
               "the middle half (25th to 75th percentile); black tick, the benchmark; "
               + ("faint dots, the other EM3 districts; the marker, the district: " if single else
                  "markers, the districts in focus: ")
               + "▲ better, ● similar, ▼ worse, ◆ higher, ■ lower (95% CI); ⬆ best, ↑ second-best, ▬ middle, "
               "↓ second-worst, ⬇ worst fifth of English districts; ✕ not tested, ▸ not compared, ◂ not judged "
               "(shape and colour both say it)." + ("" if single else " Counts: better ▲, similar ●, worse ▼."))
    show = st.segmented_control("Show", options=list(SHOW), format_func=SHOW.get, key="profile_show",
                                default="all", help="Worse and worsening: worse than the benchmark and worse "
                                                    "than the previous period (Fingertips' 'red-red').") or "all"
    if show == "red-red" and not single:
        st.info("Worse and worsening is read district by district: choose one district in the sidebar.",
                icon=":material/filter_alt:")
    chosen = [r for r in rows if passes(r, show)]
    if not chosen:
        st.info(f"No indicator is {SHOW[show].lower()} here.", icon=":material/filter_alt:")
    for p in cat.priorities:
        part = [r for r in chosen if r.priority == p.id]
        if not part:
            continue
        spec = spine_spec(key, p.id, show)
        if spec is None:  # no spine to draw: the priority's name as a heading over its links
            st.header(f"{p.number}. {p.title}", anchor=False)
        else:  # the spine chart's own title names the priority (also in its PNG and SVG)
            alt = _spine_alt(p, part, bname)
            text_alternative(alt)
            # As wide as the page, as tall as the chart needs: it fits itself to the width (spines.py).
            st.vega_lite_chart(spec, width="stretch", key=f"spine-{p.id}", alt=alt)
            image_downloads(spec, f"Judged against {bname} (95% confidence intervals as published) or by fifths of "
                            "English districts.",
                            f"profile-{p.id}", f"spine-{p.id}")
        _links(part, codes[0] if single else None)
    missing = [i.short_label for i in cat.indicators if i.level != "district"]
    st.caption("Not in the profile, as they are not published for districts: " + ", ".join(missing) + ".")
    st.header("The profile as a table", anchor=False)
    if single:
        table = _table(chosen)
        st.dataframe(table, hide_index=True, width="stretch", key=TABLE_KEY, column_config={
            "name": st.column_config.TextColumn("name", pinned=True),
            "trend": st.column_config.LineChartColumn("trend", help="The district's latest published figures"),
            "percentile": st.column_config.NumberColumn("percentile", help="100 = best English district"),
        })
        csv = profile_rows_csv(chosen, data.indicator_sources())  # as `lis_data profile` and the API write it
        st.download_button("Download CSV", data=csv.encode(), file_name=f"em3-profile-{codes[0]}.csv",
                           mime="text/csv", icon=":material/download:")
    else:
        st.dataframe(_group_table(chosen), hide_index=True, width="stretch", key=TABLE_KEY)
    st.caption(ATTRIBUTION + ".")
