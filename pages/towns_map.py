"""The towns and gateways map: the EM3 towns network (priority 3), the airports and seaports that
connect it to global markets (priority 5) and the rail and road corridors that tie the towns together.

Controls live on the page, not in the sidebar; the sidebar's focus districts highlight their towns.
Works offline: no base map unless one is opted into (see ui/maps.py).
"""

from __future__ import annotations

import functools

import streamlit as st

from lis_data.constants import ATTRIBUTION
from lis_data.views.map_classes import legend_key

from lis_data.views import map_classes, map_wording

from ui import data, maps, sidebar
from ui.global_style import fitted_map, legend_key_html
from ui.views import MAP_TOUCH

PLAIN = "_plain"
MAP_SIZE = (530, 540)  # the map's design size (CSS px); scaled down to fit a narrower box
DEFAULT_INDICATOR = "gva-per-hour"


def _indicator_options() -> dict[str, str]:
    cat = data.catalogue()
    inds = [i for i in cat.indicators if i.level == "district"]
    return {PLAIN: "Plain (no indicator)", **{i.id: i.label for i in inds}}


@st.cache_resource(show_spinner=False, max_entries=256)
def _towns_deck(focus: tuple[str, ...], indicator_id: str | None, shown: tuple[str, ...], map_style: str | None):
    """The map (a pydeck Deck shared read-only between sessions), built and serialised once per
    focus, indicator, layers and base map: building it and its 140 kB of JSON took some 50 ms a rerun."""
    a = data.area()
    ind = data.catalogue().indicator(indicator_id) if indicator_id else None
    snap = data.snapshot(ind.id, a.district_codes) if ind is not None else None
    deck = maps.towns_deck(data.display_boundaries(), data.towns(), data.gateways(), data.nearest_gateways(2),
                           data.corridors(), focus, snapshot_df=snap, indicator=ind, show=shown, map_style=map_style,
                           width=MAP_SIZE[0], height=MAP_SIZE[1])
    deck.to_json = functools.lru_cache(maxsize=1)(deck.to_json)  # serialise once, as views.choropleth_figure does
    return deck


def render() -> None:
    a = data.area()
    cat = data.catalogue()
    filters = sidebar.current()
    focus = set(filters.districts)
    st.title("Towns and gateways", anchor=False)
    st.markdown(
        f"The {a.short_name} area is a network of relatively small but successful towns (strategic priority 3), "
        "linked to global markets through nearby airports and seaports (priority 5). The lines show how far each "
        "town is from its two nearest gateways in a straight line.")

    options = _indicator_options()
    # One above the other: side by side in columns, a phone squeezed the pills to nothing.
    with st.container():
        choice = st.selectbox("Colour districts by", options=list(options), format_func=options.get,
                              index=list(options).index(DEFAULT_INDICATOR) if DEFAULT_INDICATOR in options else 0,
                              key="towns_indicator",
                              help="The latest figure for each district; darker is better (or higher, where "
                                   "neither is better).")
        shown = st.pills("Layers", options=list(maps.LAYER_CHOICES), format_func=maps.LAYER_CHOICES.get,
                         selection_mode="multi", default=list(maps.LAYER_CHOICES), key="towns_layers")
    shown = list(shown or [])

    ind = snap = None
    if choice != PLAIN:
        ind = cat.indicator(choice)
        snap = data.snapshot(ind.id, a.district_codes)
        if snap.empty or snap["value"].notna().sum() == 0:
            st.info(f"No district figures for {ind.label}: the districts are drawn plain.", icon=":material/info:")
            ind = snap = None

    towns, gateways, nearest = data.towns(), data.gateways(), data.nearest_gateways(2)
    deck = _towns_deck(tuple(sorted(focus)), ind.id if ind is not None else None, tuple(shown),
                       maps.map_style_setting())
    names = {d.code: d.name for d in a.districts}
    n_focus = sum(towns["district_code"].isin(focus))

    left, right = st.columns([3, 2], gap="medium")
    with left:
        if ind is not None:
            label = snap["period_label"].dropna().iloc[0]
            st.markdown(f"## Districts shaded by {ind.short_label}, {label}")
        else:
            st.markdown("## The towns network and its gateways")
        st.caption(MAP_TOUCH.replace("a district", "a town, gateway or district"))
        with fitted_map("towns-map", MAP_SIZE[0]):
            st.pydeck_chart(deck, width=MAP_SIZE[0], height=MAP_SIZE[1], key="towns-map",
                        alt=f"Map of the {a.short_name} districts with {len(towns)} towns, {len(gateways)} airports "
                            "and seaports, and the main rail and road corridors. The table beside the map lists "
                                "every town.")
        _key(ind, snap, shown, focus, n_focus)
    with right:
        st.markdown(f"## {len(towns)} towns" + (f", {n_focus} in the focus districts" if focus and
                                                     len(focus) < len(names) else ""))
        table = map_wording.towns_table(towns, nearest, names, snap)
        if 0 < len(focus) < len(names):  # a subset in focus: its towns first, marked
            table.insert(0, "In focus", towns["district_code"].isin(focus).to_numpy())
            table = table.sort_values(["In focus", "District", "Town"], ascending=[False, True, True])
        else:
            table = table.sort_values(["District", "Town"])
        config = {"Town": st.column_config.TextColumn(pinned=True),
                  "In focus": st.column_config.CheckboxColumn(width="small"),
                  "Distance (km)": st.column_config.NumberColumn(format="%.1f", help="Straight line, not travel")}
        if ind is not None:
            config["District figure"] = st.column_config.NumberColumn(
                f"District: {ind.short_label}", format=f"%.{ind.decimals}f",
                help=f"{ind.label}, {snap['period_label'].dropna().iloc[0]}, for the town's district")
        st.dataframe(table, hide_index=True, width="stretch", height=540, column_config=config)

    with st.expander("Gateways and the straight-line distance from each town", expanded=False):
        st.dataframe(nearest.rename(columns={"town": "Town", "gateway": "Gateway", "kind": "Kind",
                                             "distance_km": "Distance (km)"}),
                     hide_index=True, width="stretch",
                     column_config={"Distance (km)": st.column_config.NumberColumn(format="%.1f")})

    st.caption(
        "Offline map: no base map is loaded, so nothing is fetched from the internet; everything drawn comes "
        "from the project's own files. Towns, gateways and corridors are compiled by the project from public "
        "knowledge of the places (data/reference/SOURCES.md): town centres and gateway locations are "
        "approximate, distances are straight lines (not travel distances), and corridors are schematic straight "
        "lines through the places they link, not real routes. District boundaries: Office for National "
        "Statistics, Open Government Licence v3.0; contains OS data © Crown copyright and database right.")
    st.caption(ATTRIBUTION + ".")


def _key(ind, snap, shown: list[str], focus: set[str], n_focus: int) -> None:
    """A short key to the map's symbols and, with an indicator, its colour scale."""
    lines = []
    if "towns" in shown:
        lines.append("**Dots**: towns; dark-ringed with black labels in the focus districts, grey otherwise"
                     + ("" if focus else " (no district in focus: choose some in the sidebar)") + ".")
        lines.append(f"Labels: the larger towns; choose up to {maps.LABEL_ALL_UP_TO} focus districts to label all "
                     "their towns; where labels would overlap, the larger town's is kept.")
    if "gateways" in shown:
        lines.append("**Orange rings**: airports and seaports.")
    if "links" in shown:
        lines.append("**Thin purple lines**: each town to its two nearest gateways (tap one for the distance).")
    if "rail" in shown:
        lines.append("**Black dashed lines**: main railway lines (schematic).")
    if "road" in shown:
        lines.append("**Wide brown lines**: the M3, M25 and A3 (schematic).")
    lines.append("**Light grey**: districts outside the area, for context."
                 + (" **Dark outline**: districts in focus." if maps.outlines_focus(focus, data.area().district_codes)
                    else ""))
    if ind is not None:
        leg = map_classes.legend(snap["value"].tolist(), ind.polarity, ind.unit, ind.decimals)
        if leg is not None:
            a = data.area()
            eng = data.snapshot(ind.id, (a.comparators["england"].code,), snap["period"].iloc[0])
            england = float(eng["value"].iloc[0]) if not eng.empty and eng["value"].notna().iloc[0] else None
            st.caption(leg.reading)
            st.html(legend_key_html(legend_key(leg, ind.polarity, ind.unit, ind.decimals, len(a.districts), england),
                                    leg.has_missing))
    st.caption("  \n".join(lines))
