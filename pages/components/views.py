"""Building blocks the pages share: headline tiles, an indicator's charts and table, source notes.

Data shaping lives in lis_data.queries; here the figures are arranged and worded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from lis_data.config import Indicator
from lis_data.extract import ATTRIBUTION, LICENCE, LICENCE_URL
from lis_data.queries import with_gaps

from lis_data import judgement as jm

from . import charts, data, judged, maps, memo, payload
from .filter_state import Filters
from .global_style import text_alternative
from .formatting import (
    POLARITY_TEXT,
    change,
    headline_number,
    ordinal,
    status_text,
    unit_note,
    with_unit,
)

LEVEL_SENTENCE = {
    "county": "Published for counties, not for districts: the figures shown are for Hampshire and Surrey, "
              "which include districts outside {area}.",
    "itl": "Published only for International Territorial Level (ITL) areas: the figures shown are for the ITL "
           "areas that cover {area}, which also include places outside it. They are not split between districts.",
    "region": "Published only for regions and nations: the figures shown are for the South East, England and "
              "the UK. No district or county figures exist.",
}


def subject_areas(ind: Indicator) -> dict[str, str]:
    """The areas an indicator is shown for, by the level it is published at: {code: name}."""
    a = data.area()
    if ind.level == "district":
        return {d.code: d.name for d in a.districts}
    if ind.level == "county":
        return {c.code: c.name for c in a.counties}
    if ind.level == "itl":
        return {x.code: f"{x.name} ({x.level})" for x in a.larger_areas}
    return {a.comparators["region"].code: a.comparators["region"].name}


def focus_areas(ind: Indicator, filters: Filters) -> dict[str, str]:
    """The areas drawn as lines: the focus districts, or the larger areas that hold them."""
    a = data.area()
    subjects = subject_areas(ind)
    if ind.level == "district":
        return {c: subjects[c] for c in filters.districts}
    if ind.level == "county":
        counties = {a.district(d).county for d in filters.districts} or set(subjects)
        return {c: n for c, n in subjects.items() if c in counties}
    return subjects


def comparators_for(ind: Indicator, filters: Filters) -> dict[str, str]:
    comps = data.comparator_areas(filters)
    if ind.level != "district":  # neighbours are districts; counties already drawn as subjects
        comps = {c: n for c, n in comps.items() if c in data.area().comparator_codes}
    subjects = focus_areas(ind, filters)
    return {c: n for c, n in comps.items() if c not in subjects}


def _role(code: str, focus: dict[str, str]) -> str:
    a = data.area()
    if code in focus:
        return "district"
    if code == a.comparators["england"].code:
        return "england"
    if code == a.comparators["region"].code:
        return "region"
    if code in {c.code for c in a.counties}:
        return "county"
    return "neighbour"


def source_note(meta: dict, caveats: bool = True) -> None:
    """Source, release date, licence and caveats of one indicator."""
    org = meta.get("source_org") or "Office for National Statistics"
    url = meta.get("source_url")
    release = meta.get("release_date") or "not stated"
    src = f"[{org}]({url})" if url else org
    flags = []
    if meta.get("official_statistics_in_development"):
        flags.append("**Official statistics in development**: treat changes with caution.")
    st.caption(
        f"Source: {src}, released {release}, via the ONS Explore local statistics service. "
        f"Licensed under the [{LICENCE}]({LICENCE_URL}). " + " ".join(flags))
    if caveats and (meta.get("caveats") or meta.get("description")):
        with st.expander("About this indicator and its caveats"):
            if meta.get("description"):
                st.markdown(meta["description"])
            if meta.get("caveats"):
                st.markdown("**Caveats**")
                st.markdown(meta["caveats"])


def _latest_line(row: pd.Series, ind: Indicator) -> str:
    return f"{with_unit(row['value'], ind.unit, ind.decimals)} in {row['period_label']}"


@memo.shared(4096)  # no argument hashing or unpickling on a hit (memo.py)
@st.cache_data(show_spinner=False, max_entries=4096)
def tile_content(indicator_id: str, focus_items: tuple[tuple[str, str], ...], benchmark: str = "england") -> dict:
    """What a headline tile says, as plain text: the metric's label, value and delta, and the lines
    under it. One district: its own figures, judged against the benchmark by the one rule
    (lis_data.judgement); several: their median and range, never judged, and how many districts are
    better, similar and worse."""
    ind = data.catalogue().indicator(indicator_id)
    focus = dict(focus_items)
    if not focus:
        return {"empty": "No district in focus."}
    rows = data.latest(ind.id, tuple(focus))
    if rows.empty:
        return {"empty": f"No figures for {', '.join(focus.values())}."}
    if len(rows) == 1:
        r = rows.iloc[0]
        moved = jm.direction(r["change"], ind.polarity)
        delta = None
        if pd.notna(r["change"]):
            delta = f"{change(r['change'], ind.unit, ind.decimals)} since {r['previous_label']}"
        lines = []
        if pd.notna(r["change"]):
            lines.append(f"Direction: **{moved}**")
        bcode = judged.benchmark_code(r["areacd"], benchmark)
        if bcode:
            bname = data.area().name_of(bcode)
            same = judged.judged(ind.id, (r["areacd"],), benchmark)
            same = same[same["period"] == r["period"]].iloc[0]
            if same["judgement"] == jm.NOT_COMPARED:
                other = data.latest(ind.id, (bcode,))
                lines.append(f"Not compared: no {bname} figure for {r['period_label']}"
                             + (f" ({bname}: {_latest_line(other.iloc[0], ind)})" if not other.empty else ""))
            else:
                diff = r["value"] - same["benchmark_value"]
                lines.append(f"vs {bname}: {change(diff, ind.unit, ind.decimals)}, "
                             f"{judged.words(same['judgement'], bname)}")
        if pd.notna(r.get("rank")):
            lines.append(f"Rank {ordinal(r['rank'])} of {int(r['n_districts'])} English districts (1st = best)"
                         if ind.polarity != "neither" else
                         f"{ordinal(r['rank'])} highest of {int(r['n_districts'])} English districts")
        if status_text(r["status"]):
            lines.append(f"⚠ {status_text(r['status'])}")
        colour = "off" if moved not in (jm.IMPROVING, jm.WORSENING) else ("inverse" if ind.polarity == "lower" else "normal")
        # The change is written with a true minus sign, which st.metric cannot read: give the arrow.
        arrow = "off" if pd.isna(r["change"]) or r["change"] == 0 else ("up" if r["change"] > 0 else "down")
        return {"label": f"{r['areanm']}, {r['period_label']}", "value": headline_number(r["value"], ind.unit, ind.decimals),
                "unit": unit_note(ind.unit), "delta": delta, "delta_color": colour, "delta_arrow": arrow,
                "lines": lines}
    latest_period = rows.sort_values("period_start").iloc[-1]
    same = rows[rows["period"] == latest_period["period"]]
    med = same["value"].median()
    kind = "districts" if ind.level == "district" else "areas"
    lines = [f"Range {with_unit(same['value'].min(), ind.unit, ind.decimals)} to "
             f"{with_unit(same['value'].max(), ind.unit, ind.decimals)}"]
    verdicts = judged.judgements_in(ind.id, tuple(focus), latest_period["period"], benchmark)
    if any(verdicts):
        lines.append(judged.counts_text(verdicts, judged.benchmark_name(tuple(same["areacd"]), benchmark)))
    england = data.area().comparators["england"].code
    eng_same = data.snapshot(ind.id, (england,), latest_period["period"])
    if not eng_same.empty and pd.notna(eng_same["value"].iloc[0]):
        diff = med - eng_same["value"].iloc[0]
        lines.append(f"Median vs England: {change(diff, ind.unit, ind.decimals)} (a difference of the median, "
                     "not a judgement)")
    else:
        lines.append("No England figure published for this period")
    ranks = same["rank"].dropna()
    if len(ranks):
        lines.append(f"Ranks {ordinal(ranks.min())} to {ordinal(ranks.max())} of {int(same['n_districts'].max())} "
                     "English districts")
    changes = same["change"].dropna()
    if len(changes) and ind.polarity != "neither":
        ways = [jm.direction(c, ind.polarity) for c in changes]
        lines.append(f"Since the previous period: {ways.count(jm.IMPROVING)} improving, "
                     f"{ways.count(jm.WORSENING)} worsening")
    missing = [n for c, n in focus.items() if c not in set(same["areacd"])]
    if missing:
        lines.append(f"No {latest_period['period_label']} figure for {', '.join(missing)}")
    return {"label": f"Median of {len(same)} {kind}, {latest_period['period_label']}",
            "value": headline_number(med, ind.unit, ind.decimals), "unit": unit_note(ind.unit), "delta": None,
            "delta_color": "off", "delta_arrow": "off", "lines": lines}


def headline_tile(ind: Indicator, filters: Filters) -> None:
    """One tile: the focus's latest figure, change since the previous period, difference from
    England and rank among English districts, judged by the indicator's polarity."""
    tile = tile_content(ind.id, tuple(focus_areas(ind, filters).items()), filters.benchmark)
    with st.container(border=True):
        st.markdown(f"**{ind.short_label}**")
        if "empty" in tile:
            st.caption(tile["empty"])
            return
        st.metric(label=tile["label"], value=tile["value"], delta=tile["delta"], delta_color=tile["delta_color"],
                  delta_arrow=tile["delta_arrow"], help=POLARITY_TEXT[ind.polarity])
        st.caption("  \n".join(([tile["unit"]] if tile["unit"] else []) + tile["lines"]))


def _takeaway_trend(ind: Indicator, df: pd.DataFrame, focus: dict[str, str], comps: dict[str, str]) -> str:
    valued = df[df["value"].notna() & df["areacd"].isin(focus)]
    if valued.empty:
        return ind.label
    last_period = valued.sort_values("period_start")["period"].iloc[-1]
    last = valued[valued["period"] == last_period]
    label = last["period_label"].iloc[0]
    if len(last) <= 2:
        text = ", ".join(f"{r['areanm']} {with_unit(r['value'], ind.unit, ind.decimals)}"
                         + (f" ({judged.words(r['judgement'], r['benchmark_area'])})"
                            if r.get("judgement") in jm.SIGNIFICANT + (jm.SIMILAR,) else "")
                         for _, r in last.iterrows())
        text += f" ({label})"
    else:
        text = (f"Median of the {len(last)} focus areas: {with_unit(last['value'].median(), ind.unit, ind.decimals)} "
                f"({label})")
    eng = df[(df["period"] == last_period) & (df["areacd"] == data.area().comparators["england"].code)]
    if not eng.empty and pd.notna(eng["value"].iloc[0]):
        text += f"; England {with_unit(eng['value'].iloc[0], ind.unit, ind.decimals)}"
    return text


@dataclass(frozen=True)
class TrendFigure:
    """Everything the indicator section draws, computed once per indicator and filter set."""

    spec: dict | None  # the trend chart's Vega-Lite spec; None when a single period was published
    takeaway: str
    only_period: str | None  # the label of the one published period, when there is only one
    missing: tuple[str, ...]  # focus areas with no figure in the range
    table: pa.Table  # exactly what the charts show (payload.arrow_table: sent as it is, never reconverted)
    csv: bytes


@memo.shared(2048)  # no argument hashing or unpickling on a hit (memo.py)
@st.cache_data(show_spinner=False, max_entries=2048)
def trend_figure(indicator_id: str, focus_items: tuple[tuple[str, str], ...], comp_items: tuple[tuple[str, str], ...],
                 start: int | None, end: int | None, compact: bool, benchmark: str = "england") -> TrendFigure | None:
    """The trend chart (as a Vega-Lite spec), its table and CSV. Cached: Altair's build and schema
    validation cost far more than the queries, and a rerun with the same filters needs neither."""
    ind = data.catalogue().indicator(indicator_id)
    focus, comps = dict(focus_items), dict(comp_items)
    many = ind.level == "district" and len(focus) > charts.MAX_LINES
    codes = tuple(comps) if many else tuple(focus) + tuple(comps)
    raw = data.series(ind.id, tuple(focus) + tuple(comps), start, end)
    if raw.empty or raw["value"].notna().sum() == 0:
        return None
    missing = tuple(n for c, n in focus.items() if raw[(raw["areacd"] == c)]["value"].notna().sum() == 0)
    band = None
    shown = raw[raw["areacd"].isin(codes)]
    if many:
        summary = data.group_summary(ind.id, tuple(focus), start, end)
        summary = summary[summary["n_with_value"] > 0].rename(columns={"median": "value"})
        med = summary.assign(areacd="_median", areanm=f"Median of {len(focus)} focus districts",
                             lci=float("nan"), uci=float("nan"), status="", observation="",
                             period_end=summary["period_start"], frequency=raw["frequency"].iloc[0], unit="")
        shown = pd.concat([shown, med[shown.columns]], ignore_index=True)
        band = summary.assign(band_label=f"Range of the {len(focus)} focus districts (lowest to highest)")
    raw = _with_judgements(ind.id, raw, benchmark, start, end)  # the table, CSV and takeaway say the judgement
    table = raw.assign(
        Area=raw["areanm"], Period=raw["period_label"], Figure=raw["value"],
        **{"95% CI lower": raw["lci"], "95% CI upper": raw["uci"]},
        Status=[status_text(s) for s in raw["status"].fillna("")],
        Benchmark=raw["benchmark_area"], **{"Benchmark figure": raw["benchmark_value"]},
        Judgement=[f"{jm.STYLE[j]['symbol']} {j}" if j else "" for j in raw["judgement"]],
    )[["Area", "Period", "Figure", "95% CI lower", "95% CI upper", "Status", "Benchmark", "Benchmark figure",
       "Judgement"]]
    table = payload.arrow_table(table)
    valued_periods = raw.loc[raw["value"].notna(), "period_label"]
    if valued_periods.nunique() == 1:
        # One published period: a "trend" would be a column of dots, so the ranking takes its place.
        return TrendFigure(None, "", valued_periods.iloc[0], missing, table, _csv(ind.id, raw))
    roles = {c: ("median" if c == "_median" else _role(c, focus)) for c in shown["areacd"].unique()}
    prepared = charts.prepare_trend(with_gaps(shown), roles, ind.unit, ind.decimals)
    subtitle = ("Line: median of the focus districts; shaded: their range. " if many else "") + \
        ("Shaded bands: published 95% confidence intervals. " if shown["lci"].notna().any() else "") + \
        ("Open triangles: low-reliability estimates. " if shown["status"].eq("u").any() else "") + \
        "Breaks in a line are periods with no published figure."
    takeaway = _takeaway_trend(ind, raw, focus, comps)
    chart = charts.trend_chart(prepared, ind.unit, ind.decimals, takeaway, subtitle, band=band,
                               height=240 if compact else 340)
    spec = payload.inline_data(chart.to_dict(validate=False))
    return TrendFigure(spec, takeaway, None, missing, table, _csv(ind.id, raw))


def indicator_section(ind: Indicator, filters: Filters, key: str, compact: bool = False) -> None:
    """An indicator's trend chart, ranked chart, the table behind them, a CSV download and its source."""
    meta = data.meta(ind.id)
    st.header(ind.label, anchor=False)
    st.caption(f"{meta.get('subtitle') or ''} · {POLARITY_TEXT[ind.polarity]}.")
    if ind.level != "district":
        st.info(LEVEL_SENTENCE[ind.level].format(area=data.area().short_name), icon=":material/info:")
    focus = focus_areas(ind, filters)
    if not focus:
        st.info("No districts in focus: choose one or more in the sidebar to see their figures.",
                icon=":material/filter_alt:")
        return
    comps = comparators_for(ind, filters)
    fig = trend_figure(ind.id, tuple(focus.items()), tuple(comps.items()), filters.start_year, filters.end_year,
                       compact, filters.benchmark)
    span = (f"between {filters.start_year or 'the first year'} and {filters.end_year or 'the latest'}"
            if filters.start_year or filters.end_year else "")
    if fig is None:
        st.warning(f"No figures for {', '.join(focus.values())} {span}".strip() + ".", icon=":material/block:")
        source_note(meta)
        return
    if fig.missing:
        st.warning(f"No figures for {', '.join(fig.missing)} {span}".strip() + ".", icon=":material/block:")
    if fig.spec is None:
        st.caption(f"Only one period has been published ({fig.only_period}), so there is no trend yet.")
        _ranked(ind, filters, key)
    else:
        left, right = st.columns([1, 1], gap="large") if not compact else (st.container(), None)
        with left:
            trend_alt = f"Line chart of {ind.label} over time. {fig.takeaway}. The table below lists every figure."
            text_alternative(trend_alt)
            st.vega_lite_chart(fig.spec, width="stretch", height=400 if compact else 440, key=f"trend-{key}",
                               alt=trend_alt)
        if right is not None:
            with right:
                _ranked(ind, filters, key)
    if not compact:
        map_section(ind, filters, key)
    # Lazy (payload.py): the table is sent when the expander is opened, not with every first load.
    with st.expander("Table of the figures in these charts, with download", expanded=False, key=f"table-{key}",
                     on_change="rerun") as box:
        if box.open:
            st.dataframe(fig.table, hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format=f"%.{ind.decimals}f")
                                        for c in ("Figure", "95% CI lower", "95% CI upper", "Benchmark figure")})
            st.caption(JUDGEMENT_NOTE)
        st.download_button("Download CSV", data=fig.csv, file_name=f"em3-{ind.id}.csv", mime="text/csv",
                           key=f"dl-{key}", icon=":material/download:")
    source_note(meta, caveats=not compact)


NO_MAP_SENTENCE = ("No district map for this indicator: its figures are published for larger areas "
                   "({level} level), not for the {n} districts.")
MAP_SOURCE_NOTE = ("Map: district boundaries from the Office for National Statistics (Open Government Licence "
                   "v3.0; contains OS data © Crown copyright and database right). Drawn from the project's own "
                   "files, with no base map.")


@memo.shared(512)  # no argument hashing or unpickling on a hit (memo.py)
@st.cache_resource(show_spinner=False, max_entries=512)
def choropleth_figure(indicator_id: str, focus_codes: tuple[str, ...], map_style: str | None,
                      benchmark: str = "england"):
    """The district map (a pydeck Deck, shared read-only between sessions), its legend (a Vega-Lite
    spec) and the table behind it, built once per indicator, focus and base-map setting."""
    ind = data.catalogue().indicator(indicator_id)
    a = data.area()
    snap = data.snapshot(ind.id, a.district_codes)
    if snap.empty or snap["value"].notna().sum() == 0:
        return None
    period = snap["period"].iloc[0]
    verdicts = judged.judgements_in(ind.id, a.district_codes, period, benchmark)
    snap = snap.assign(judgement_text=[
        judged.words(v, a.name_of(judged.benchmark_code(c, benchmark))) if v and v != jm.NO_FIGURE else ""
        for c, v in zip(snap["areacd"], verdicts)])
    deck = maps.choropleth_deck(data.display_boundaries(), snap, focus_codes, ind, map_style=map_style,
                               width=data.CHOROPLETH_SIZE[0], height=data.CHOROPLETH_SIZE[1])
    deck.to_json = functools.lru_cache(maxsize=1)(deck.to_json)  # serialise the 200 KB spec once
    leg, legend_spec = _legend(tuple(None if pd.isna(v) else float(v) for v in snap["value"]), ind.polarity,
                               ind.unit, ind.decimals)
    return {
        "deck": deck,
        "label": snap["period_label"].dropna().iloc[0],
        "legend": leg,
        "legend_spec": legend_spec,
        "table": payload.arrow_table(maps.choropleth_table(snap, ind.polarity)),
        "summary": maps.choropleth_summary(snap, focus_codes, ind),
    }


@memo.shared(512)
def _legend(values: tuple, polarity: str, unit: str, decimals: int):
    """The map's legend and its Vega-Lite spec: the same for every focus, so built once per indicator."""
    leg = maps.legend(list(values), polarity, unit, decimals)
    return leg, (payload.inline_data(maps.legend_chart(leg).to_dict(validate=False)) if leg is not None else None)


def map_section(ind: Indicator, filters: Filters, key: str) -> None:
    """A map of the indicator's latest figure across the districts: colour by polarity (dark =
    best), neighbouring districts grey, focus districts outlined, a legend and the table behind it."""
    a = data.area()
    if ind.level != "district":
        st.caption(NO_MAP_SENTENCE.format(level=ind.level, n=len(a.districts)))
        return
    fig = choropleth_figure(ind.id, tuple(filters.districts), maps.map_style_setting(), filters.benchmark)
    if fig is None:
        st.caption("No district map: no district has a figure for this indicator.")
        return
    label, leg = fig["label"], fig["legend"]
    st.markdown(f"### {ind.short_label} across the {len(a.districts)} districts, {label}")
    left, right = st.columns([3, 1], gap="medium")
    with left:
        map_alt = (f"Map of the {a.short_name} districts shaded by {ind.label}, {label}. {fig['summary']} "
                   "The table below the map lists every figure.")
        st.pydeck_chart(fig["deck"], height=460, key=f"map-{key}", alt=map_alt)
    with right:
        if leg is not None:
            st.markdown("**Legend**")
            st.vega_lite_chart(fig["legend_spec"], width="stretch", height=70, key=f"legend-{key}",
                               alt=f"Colour scale from {leg.low_label} to {leg.high_label}. {leg.reading}")
            st.caption(leg.reading)
            if leg.has_missing:
                st.caption("Pale grey: no figure published.")
        st.caption("Light grey outside: neighbouring districts, for context. "
                   "Dark outline: the districts in focus. Hover over a district for its figure and rank.")
    with st.expander("Table of the figures on this map", expanded=False, key=f"map-table-{key}",
                     on_change="rerun") as box:
        if box.open:
            st.dataframe(fig["table"], hide_index=True, width="stretch",
                         column_config={"Figure": st.column_config.NumberColumn(format=f"%.{ind.decimals}f")})
    st.caption(MAP_SOURCE_NOTE)


JUDGEMENT_NOTE = ("Judgement: better or worse only where the published 95% confidence interval lies wholly on "
                  "one side of the benchmark's figure for the same period; similar where it contains it; not tested "
                  "where no interval is published; not compared where the benchmark has no figure for that period. "
                  "Choose the benchmark under 'Judge against' in the sidebar.")


def _with_judgements(indicator_id: str, raw: pd.DataFrame, benchmark: str, start, end) -> pd.DataFrame:
    """The figures with each one's benchmark (name and same-period figure) and judgement (one rule)."""
    codes = tuple(raw["areacd"].unique())
    j = judged.judged(indicator_id, codes, benchmark, start, end)[["areacd", "period", "benchmark_value", "judgement"]]
    out = raw.merge(j, on=["areacd", "period"], how="left")
    names = {c: (data.area().name_of(b) if (b := judged.benchmark_code(c, benchmark)) else "") for c in codes}
    out["benchmark_area"] = out["areacd"].map(names)
    out["judgement"] = out["judgement"].fillna("")
    return out


def _csv(indicator_id: str, raw: pd.DataFrame) -> bytes:
    ind = data.catalogue().indicator(indicator_id)
    out = raw.assign(dataset=ind.dataset, indicator=ind.indicator, measure=ind.measure)[
        ["areacd", "areanm", "dataset", "indicator", "measure", "period", "period_label",
         "observation", "value", "lci", "uci", "status", "unit", "benchmark_area", "benchmark_value", "judgement"]]
    return (f"# {ATTRIBUTION}\n".encode() + out.to_csv(index=False, lineterminator="\n").encode())


@memo.shared(2048)  # no argument hashing or unpickling on a hit (memo.py)
@st.cache_data(show_spinner=False, max_entries=2048)
def ranked_figure(indicator_id: str, focus_codes: tuple[str, ...], benchmark: str = "england") -> dict:
    """The ranked bar chart of the indicator's subject areas (as a Vega-Lite spec) with its wording.
    Cached like trend_figure."""
    ind = data.catalogue().indicator(indicator_id)
    a = data.area()
    subjects = subject_areas(ind)
    snap = data.snapshot(ind.id, tuple(subjects))
    if snap.empty or snap["value"].notna().sum() == 0:
        return {"empty": f"No figures to rank for {', '.join(subjects.values())}."}
    snap = snap.assign(areanm=snap["areacd"].map(subjects).fillna(snap["areanm"]))
    period, label = snap["period"].iloc[0], snap["period_label"].dropna().iloc[0]
    ref_codes = (a.comparators["england"].code, a.comparators["region"].code)
    refs_df = data.snapshot(ind.id, ref_codes, period)
    refs = [(n, v) for n, v in zip(refs_df["areanm"], refs_df["value"]) if pd.notna(v) and n not in subjects.values()]
    valued = snap[snap["value"].notna()].sort_values("value", ascending=ind.polarity == "lower")
    if ind.polarity == "neither":
        title = f"{label}: highest {valued['areanm'].iloc[0]}, lowest {valued['areanm'].iloc[-1]}"
    else:
        title = f"{label}: {valued['areanm'].iloc[0]} best, {valued['areanm'].iloc[-1]} furthest behind"
    sub = "Ranked best first" if ind.polarity != "neither" else "Ranked highest first"
    sub += "; blue bars are the districts in focus. " if ind.level == "district" else "; blue bars are in focus. "
    if refs:
        sub += "Lines: " + ", ".join(f"{n} {with_unit(v, ind.unit, ind.decimals)}" for n, v in refs)
    else:
        sub += "No England or South East figure published for this period."
    verdicts = [v for v in judged.judgements_in(ind.id, tuple(subjects), period, benchmark) if v]
    if verdicts:
        sub += ". " + judged.counts_text(verdicts, judged.benchmark_name(tuple(subjects), benchmark)) + "."
    chart = charts.ranked_bar_chart(snap, set(focus_codes), refs, ind.unit, ind.decimals, ind.polarity, title, sub)
    gaps = snap[snap["value"].isna()]
    return {
        "spec": payload.inline_data(chart.to_dict(validate=False)),
        "height": charts.ranked_height(int(snap["value"].notna().sum())) + 120,
        "alt": f"Bar chart ranking areas on {ind.label}. {title}. {sub}",
        "gaps": f"No {label} figure for {', '.join(gaps['areanm'])}." if len(gaps) else "",
    }


def _ranked(ind: Indicator, filters: Filters, key: str) -> None:
    focus = filters.districts if ind.level == "district" else tuple(focus_areas(ind, filters))
    fig = ranked_figure(ind.id, tuple(focus), filters.benchmark)
    if "empty" in fig:
        st.info(fig["empty"])
        return
    text_alternative(fig["alt"])
    st.vega_lite_chart(fig["spec"], width="stretch", height=fig["height"], key=f"rank-{key}", alt=fig["alt"])
    if fig["gaps"]:
        st.caption(fig["gaps"])
