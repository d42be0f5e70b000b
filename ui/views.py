"""Building blocks the pages share: headline tiles, an indicator's charts and table, source notes.

The figures are shaped in the view layer (lis_data.views: tiles, indicator charts and tables, map
classes), the same functions the evidence pack calls; here they are cached, laid out and worded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import pandas as pd
import pyarrow as pa
import streamlit as st

from lis_data.config import Indicator
from lis_data.constants import LICENCE, LICENCE_URL
from lis_data.views import indicator as iv
from lis_data.views import scorecard, tiles
from lis_data.views.map_classes import geoshape_choropleth, legend_key
from lis_data.views.sources import indicator_notes

from lis_data.views import map_classes, map_wording

from . import data, maps, memo, payload
from .chart_downloads import image_downloads
from .filter_state import Filters
from lis_data.views.formatting import POLARITY_TEXT

from .formatting import md_escape
from .global_style import fitted_map, legend_key_html, text_alternative

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
    return iv.subject_areas(data.SOURCE, ind)


def focus_areas(ind: Indicator, filters: Filters) -> dict[str, str]:
    """The areas drawn as lines: the focus districts, or the larger areas that hold them."""
    return iv.focus_areas(data.SOURCE, ind, tuple(filters.districts))


def comparators_for(ind: Indicator, filters: Filters) -> dict[str, str]:
    comps = data.comparator_areas(filters)
    if ind.level != "district":  # neighbours are districts; counties already drawn as subjects
        comps = {c: n for c, n in comps.items() if c in data.area().comparator_codes}
    subjects = focus_areas(ind, filters)
    return {c: n for c, n in comps.items() if c not in subjects}


def source_note(meta: dict, caveats: bool = True) -> None:
    """Source, release date, licence and caveats of one indicator."""
    n = indicator_notes(meta)  # upstream text as plain words (lis_data.views.sources), escaped here
    org = md_escape(n.source)
    src = f"[{org}]({n.link})" if n.link else org  # a link only to a validated https address
    flags = []
    if n.in_development:
        flags.append("**Official statistics in development**: treat changes with caution.")
    st.caption(
        f"Source: {src}, released {md_escape(n.released)}, via the ONS Explore local statistics service. "
        f"Licensed under the [{LICENCE}]({LICENCE_URL}). " + " ".join(flags))
    if caveats and (n.caveats or n.description):
        with st.expander("About this indicator and its caveats"):
            if n.description:
                st.markdown("\n\n".join(md_escape(p) for p in n.description))
            if n.caveats:
                st.markdown("**Caveats**")
                st.markdown("\n\n".join(md_escape(p) for p in n.caveats))


def _image_source(meta: dict) -> str:
    return (f"Source: {meta.get('source_org') or 'Office for National Statistics'}, released "
            f"{meta.get('release_date') or 'not stated'}.")


@memo.shared(4096)  # no argument hashing or unpickling on a hit (memo.py)
@st.cache_data(show_spinner=False, max_entries=4096)
def tile_content(indicator_id: str, focus_items: tuple[tuple[str, str], ...],
                 benchmark: str = "england") -> tiles.HeadlineTile:
    """What a headline tile says (lis_data.views.tiles), cached per indicator, focus and benchmark."""
    return tiles.headline_tile(data.SOURCE, indicator_id, focus_items, benchmark)


def tile_for(ind: Indicator, filters: Filters) -> tiles.HeadlineTile:
    """What the headline tile of `ind` says for these filters (cached)."""
    return tile_content(ind.id, tuple(focus_areas(ind, filters).items()), filters.benchmark)


def headline_tile(ind: Indicator, filters: Filters) -> None:
    """One tile: the focus's latest figure, change since the previous period, difference from
    England and rank among English districts, judged by the indicator's polarity."""
    tile = tile_for(ind, filters)
    with st.container(border=True):
        st.markdown(f"**{ind.short_label}**")
        if tile.empty:
            st.caption(tile.empty)
            return
        st.metric(label=tile.label, value=tile.value, delta=tile.delta, delta_color=tile.delta_color,
                  delta_arrow=tile.delta_arrow, help=POLARITY_TEXT[ind.polarity])
        st.caption("  \n".join(([tile.unit] if tile.unit else []) + list(tile.lines)))


@dataclass(frozen=True)
class TrendFigure:
    """lis_data.views.indicator.TrendFigure in the form the page sends: data inlined in the spec, the
    table as Arrow (payload.py)."""

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
    """The trend chart, its table and CSV (lis_data.views.indicator.trend_figure). Cached: Altair's build
    costs far more than the queries, and a rerun with the same filters needs neither."""
    fig = iv.trend_figure(data.SOURCE, indicator_id, focus_items, comp_items, start, end, compact, benchmark)
    if fig is None:
        return None
    return TrendFigure(payload.inline_data(fig.spec) if fig.spec is not None else None, fig.takeaway,
                       fig.only_period, fig.missing, payload.arrow_table(fig.table), fig.csv)


#: Headline tiles at the top of a priority page (pages/priority.py; warmup.py builds the same).
PRIORITY_HEADLINES = 4


def _trend_for(ind: Indicator, filters: Filters, compact: bool) -> tuple[dict[str, str], TrendFigure | None]:
    """The focus areas and the trend figure indicator_section draws for these filters (cached)."""
    focus = focus_areas(ind, filters)
    if not focus:
        return focus, None
    comps = comparators_for(ind, filters)
    return focus, trend_figure(ind.id, tuple(focus.items()), tuple(comps.items()), filters.start_year,
                               filters.end_year, compact, filters.benchmark)


def headline_trend(ind: Indicator, filters: Filters) -> TrendFigure | None:
    """An indicator's trend figure as indicator_section draws it (compact), for the projector's
    evidence slide; None when no district is in focus."""
    return _trend_for(ind, filters, True)[1]


def _map_for(ind: Indicator, filters: Filters):
    """The district map map_section draws for these filters (cached)."""
    return choropleth_figure(ind.id, tuple(filters.districts), maps.map_style_setting(), filters.benchmark)


def prepare(ind: Indicator, filters: Filters, compact: bool = False) -> None:
    """Build and cache what indicator_section draws for this view, drawing nothing, through the same
    helpers (warmup.py calls this at start, so that the views most people open first, each
    district on its own, cost a look-up)."""
    _, fig = _trend_for(ind, filters, compact)
    if fig is None:
        return
    _ranked_for(ind, filters)
    if not compact and ind.level == "district":
        _map_for(ind, filters)


def indicator_section(ind: Indicator, filters: Filters, key: str, compact: bool = False) -> None:
    """An indicator's trend chart, ranked chart, the table behind them, a CSV download and its source."""
    meta = data.meta(ind.id)
    st.header(ind.label, anchor=False)
    st.caption(f"{md_escape(indicator_notes(meta).subtitle)} · {POLARITY_TEXT[ind.polarity]}.")
    if ind.level != "district":
        st.info(LEVEL_SENTENCE[ind.level].format(area=data.area().short_name), icon=":material/info:")
    focus, fig = _trend_for(ind, filters, compact)
    if not focus:
        st.info("No districts in focus: choose one or more in the sidebar to see their figures.",
                icon=":material/filter_alt:")
        return
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
            st.vega_lite_chart(fig.spec, width="stretch", key=f"trend-{key}",
                               alt=trend_alt)
        if right is not None:
            with right:
                _ranked(ind, filters, key)
    if not compact:
        map_section(ind, filters, key)
    # Lazy (payload.py): the table and the downloads are sent when the expander is opened, not with
    # every first load and rerun.
    with st.expander(CHARTS_TABLE_LABEL, expanded=False, key=f"table-{key}", on_change="rerun") as box:
        if box.open:
            st.dataframe(fig.table, hide_index=True, width="stretch",
                         column_config={"Area": st.column_config.TextColumn(pinned=True),
                                        **{c: st.column_config.NumberColumn(format=f"%.{ind.decimals}f")
                                           for c in ("Figure", "95% CI lower", "95% CI upper", "Benchmark figure")}})
            st.caption(JUDGEMENT_NOTE)
            st.download_button("Download CSV", data=fig.csv, file_name=f"em3-{ind.id}.csv", mime="text/csv",
                               key=f"dl-{key}", icon=":material/download:")
            st.markdown("**The charts as images**, with their title, source and licence")
            if fig.spec is not None:
                image_downloads(fig.spec, _image_source(meta), f"{ind.id}-trend", f"trend-{key}", "Trend chart")
            ranked = _ranked_for(ind, filters)
            if ranked.spec is not None:
                image_downloads(ranked.spec, _image_source(meta), f"{ind.id}-ranked", f"rank-{key}", "Ranked chart")
    source_note(meta, caveats=not compact)


#: The expanders that hold what is behind the charts: sent when opened (indicator_section, map_section).
CHARTS_TABLE_LABEL = "Table of the figures in these charts; CSV, PNG and SVG downloads"
MAP_TABLE_LABEL = "Table of the figures on this map; PNG and SVG downloads"


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
    classes = iv.map_classes(data.SOURCE, ind.id, benchmark)
    if classes is None:
        return None
    snap, figures, label = classes.snapshot, classes.figures, classes.period_label
    deck = maps.choropleth_deck(data.display_boundaries(), snap, focus_codes, ind, map_style=map_style,
                               width=data.CHOROPLETH_SIZE[0], height=data.CHOROPLETH_SIZE[1])
    deck.to_json = functools.lru_cache(maxsize=1)(deck.to_json)  # serialise the 200 KB spec once
    leg = _legend(tuple(None if v is None or v != v else float(v) for v in snap["value"].tolist()),
                  ind.polarity, ind.unit, ind.decimals)
    outlined = maps.outlines_focus(focus_codes, a.district_codes)
    # The PNG/SVG map is built when a download button is pressed, not with every map.
    image_spec = functools.partial(
        geoshape_choropleth, data.display_boundaries(), figures, focus_codes if outlined else (), ind.polarity,
        ind.unit, ind.decimals, f"{ind.short_label} across the {len(a.districts)} districts, {label}",
        "Dark outline: the districts in focus." if outlined else "")
    return {
        "image_spec": image_spec,
        "deck": deck,
        "label": label,
        "legend": leg,
        "legend_key": (legend_key(leg, ind.polarity, ind.unit, ind.decimals, len(a.districts), classes.england)
                       if leg is not None else None),
        "table": payload.arrow_table(map_wording.choropleth_table(snap, ind.polarity)),
        "summary": map_classes.choropleth_summary(snap, focus_codes, ind),
        "outlined": outlined,
    }


@memo.shared(512)
def _legend(values: tuple, polarity: str, unit: str, decimals: int):
    """The map's legend: the same for every focus, so built once per indicator."""
    return map_classes.legend(list(values), polarity, unit, decimals)


#: What the maps say about reading them: a phone has no hover.
MAP_TOUCH = "Tap a district (or point at it) for its figure, rank and judgement."


def map_section(ind: Indicator, filters: Filters, key: str) -> None:
    """A map of the indicator's latest figure across the districts: colour by polarity (dark =
    best), neighbouring districts grey, focus districts outlined, a legend and the table behind it."""
    a = data.area()
    if ind.level != "district":
        st.caption(NO_MAP_SENTENCE.format(level=ind.level, n=len(a.districts)))
        return
    fig = _map_for(ind, filters)
    if fig is None:
        st.caption("No district map: no district has a figure for this indicator.")
        return
    label, leg = fig["label"], fig["legend"]
    st.markdown(f"### {ind.short_label} across the {len(a.districts)} districts, {label}")
    left, right = st.columns([2, 1], gap="medium")
    with left:
        map_alt = (f"Map of the {a.short_name} districts shaded by {ind.label}, {label}. {fig['summary']} "
                   "The table below the map lists every figure.")
        st.caption(MAP_TOUCH)
        with fitted_map(f"map-{key}", data.CHOROPLETH_SIZE[0]):
            st.pydeck_chart(fig["deck"], width=data.CHOROPLETH_SIZE[0], height=data.CHOROPLETH_SIZE[1],
                            key=f"map-{key}", alt=map_alt)
    with right:
        if leg is not None:
            st.markdown("**Legend**")
            st.caption(leg.reading)
            st.html(legend_key_html(fig["legend_key"], leg.has_missing))
        st.caption("Light grey outside: neighbouring districts, for context. "
                   + ("Dark outline: the districts in focus. " if fig["outlined"] else ""))
    with st.expander(MAP_TABLE_LABEL, expanded=False, key=f"map-table-{key}", on_change="rerun") as box:
        if box.open:
            st.dataframe(fig["table"], hide_index=True, width="stretch",
                         column_config={"District": st.column_config.TextColumn(pinned=True),
                                        "Figure": st.column_config.NumberColumn(format=f"%.{ind.decimals}f")})
            image_downloads(fig["image_spec"], MAP_SOURCE_NOTE, f"{ind.id}-map", f"map-{key}", "Map")
    st.caption(MAP_SOURCE_NOTE)


JUDGEMENT_NOTE = ("Judgement, by the indicator's method: better or worse only where the published 95% confidence "
                  "interval lies wholly on one side of the benchmark's figure for the same period, similar where it "
                  "contains it, not compared where the benchmark has no figure for that period; for rates "
                  "published without an interval, the fifth of English districts (a position, not a test); counts "
                  "and totals are not judged. Choose the benchmark under 'Judge against' in the sidebar.")


@memo.shared(2048)  # no argument hashing or unpickling on a hit (memo.py)
@st.cache_data(show_spinner=False, max_entries=2048)
def ranked_figure(indicator_id: str, focus_codes: tuple[str, ...], benchmark: str = "england") -> iv.RankedFigure:
    """The ranked bar chart (lis_data.views.indicator.ranked_figure), data inlined. Cached like trend_figure."""
    fig = iv.ranked_figure(data.SOURCE, indicator_id, focus_codes, benchmark)
    return replace(fig, spec=payload.inline_data(fig.spec)) if fig.spec is not None else fig


def _ranked_for(ind: Indicator, filters: Filters) -> iv.RankedFigure:
    focus = filters.districts if ind.level == "district" else tuple(focus_areas(ind, filters))
    return ranked_figure(ind.id, tuple(focus), filters.benchmark)


def _ranked(ind: Indicator, filters: Filters, key: str) -> None:
    fig = _ranked_for(ind, filters)
    if fig.spec is None:
        st.info(fig.empty)
        return
    text_alternative(fig.alt)
    st.vega_lite_chart(fig.spec, width="stretch", key=f"rank-{key}", alt=fig.alt)  # its own plot height
    if fig.gaps:
        st.caption(fig.gaps)


@memo.shared(1024)  # no argument hashing or unpickling on a hit (memo.py); read-only for callers
def scorecard_table(pid: str, districts: tuple[str, ...], benchmark: str = "england") -> pd.DataFrame:
    """The overview's card of one priority (lis_data.views.scorecard: one typed row per headline
    indicator), as the table the card and the overview's table lay out."""
    return pd.DataFrame([{
        "Indicator": r.indicator, "Latest": r.latest, "Unit": r.unit, "Period": r.period, "Verdict": r.verdict,
        "Arrow": r.arrow, "Range": r.range, "England": r.england, "Direction": r.direction, "Trend": list(r.trend),
        "Measure": r.measure, "Judged": r.judged, "Line": r.line,
    } for r in scorecard.scorecard_rows(data.SOURCE, pid, districts, benchmark)])
