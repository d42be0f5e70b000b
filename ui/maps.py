"""pydeck maps: the district choropleth of a priority page and the towns and gateways map.

Offline first. Every polygon, point and line comes from the project's own files
(data/extract/boundaries.geojson, data/reference/*), and by default no base-map
tiles are requested at all. A base map is an opt-in setting (``map_style`` in
.streamlit/secrets.toml or the LIS_MAP_STYLE environment variable, for example
``light`` or a style URL); the map draws the same without it.

Why ``map_provider=None`` and not ``map_style=None``: Streamlit's frontend reads a
missing map style as "pick a Carto style to match the theme", which fetches tiles
from the internet. pydeck's own default-style sentinel with no provider is the one
value Streamlit reads as "no base map".

Nothing here calls st.*: tested on its own in tests/maps/. The geometry (boxes, label points,
the view that fits, decluttered labels, boundaries on the wire) is lis_data/views/map_geometry.py;
the tooltip's and tables' words are lis_data/views/map_wording.py. Colours: a colour-blind-safe sequential palette (viridis) where dark
always means the best figure, whatever the indicator's polarity; a single-hue blue
ramp (dark = highest) where neither direction is better; a distinct pale grey for
districts with no figure, named "no figure" in the tooltip.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from lis_data.domain import display_geometry


# Colour classes, geometry and words are the view layer's (lis_data/views/map_classes.py,
# map_geometry.py, map_wording.py), shared with the pack's map; this module lays the decks out.
from lis_data.views import map_geometry
from lis_data.views.map_classes import DISTRICT_LINE, FOCUS_LINE, NEIGHBOUR_FILL, NEIGHBOUR_LINE, NO_FIGURE, hex_to_rgba
from lis_data.views.map_geometry import (bbox, declutter, grid_coordinates, grid_geometry, grid_layer_props,
                                         grid_origin, label_point)
from lis_data.views.map_wording import district_properties

FOCUS_LINE_PX = 2.5
FOCUS_CASING_PX = 5.5              # a white casing under the outline keeps it visible on the darkest fills
PLAIN_FILL = "#E6EEF5"           # towns map without an indicator: EM3 districts
PLAIN_FOCUS_FILL = "#C9DCEC"
TOWN_FOCUS = "#1A1A1A"
TOWN_MUTED = "#8C8C8C"
GATEWAY_FILL = "#D55E00"         # Okabe–Ito vermillion
RAIL_LINE = "#1A1A1A"
ROAD_LINE = "#A0522D"            # sienna, drawn wide beneath the rail lines
LINK_FOCUS = "#AA3377"
FONT = "'Source Sans Pro, Arial, Helvetica, sans-serif'"  # quoted: a constant, not an accessor
LABEL_BACKGROUND = [255, 255, 255, 215]
LINK_MUTED = "#C8A2C8"

TOOLTIP = {
    "html": "<b>{name}</b><br/>{detail}",
    "style": {"backgroundColor": "#FFFFFF", "color": "#1A1A1A", "fontSize": "13px", "whiteSpace": "pre-line",
              "border": "1px solid #8C8C8C", "padding": "6px 8px", "maxWidth": "320px"},
}

#: Towns labelled on the towns map whatever the focus; the rest when few districts are in focus.
LABEL_ALWAYS = ("city", "large town")
LABEL_ALL_UP_TO = 3

#: Which label a collision keeps (higher wins): towns of the focus districts (added to their size's), then
#: the city and large towns, then gateways (tried on either side of their ring), then the rest.
LABEL_PRIORITY = {"focus": 100, "city": 60, "large town": 50, "gateway": 40, "town": 1}

#: The towns map's switchable layers: key -> label.
LAYER_CHOICES = {
    "towns": "Towns",
    "gateways": "Gateways (airports and seaports)",
    "links": "Lines to the two nearest gateways",
    "rail": "Rail corridors",
    "road": "Road corridors",
}


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------

# --------------------------------------------------------------------------
# Coordinates on the wire
# --------------------------------------------------------------------------

def fit_view(box: tuple[float, float, float, float], width: int = 640, height: int = 480,
             padding: float = 0.06) -> pdk.ViewState:
    """A Web Mercator view that shows the whole box in a width x height map (map_geometry.fit)."""
    return pdk.ViewState(**map_geometry.fit(box, width, height, padding), pitch=0, bearing=0)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by two spaces, which makes the
    boundaries' coordinates six times larger on the wire."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))

    # Kept with the runtime store between starts (view_store.py): the per-instance cache of to_json
    # (views.choropleth_figure) is not pickled, and is set again when read back.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("to_json", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.to_json = functools.lru_cache(maxsize=1)(self.to_json)


def _deck(layers: list[pdk.Layer], view: pdk.ViewState, map_style: str | None) -> pdk.Deck:
    if map_style:
        return CompactDeck(layers=layers, initial_view_state=view, tooltip=TOOLTIP, map_style=map_style,
                        map_provider="carto")
    # No base map (see module docstring): the spec keeps pydeck's "__MAP_STYLE__" sentinel.
    # Note for every layer: pydeck turns a plain string argument into an accessor expression, so a
    # constant string (units, anchors) is written quoted: "'pixels'".
    return CompactDeck(layers=layers, initial_view_state=view, tooltip=TOOLTIP, map_provider=None)


def _feature(feat: dict, **props) -> dict:
    """A copy of a boundary feature with extra properties; the geometry is shared, never changed."""
    return {"type": "Feature", "properties": {**feat["properties"], **props}, "geometry": feat["geometry"]}


def _district_layers(boundaries: dict, focus_codes: Iterable[str], props: dict[str, dict] | None,
                     plain_fill: str | None = None) -> tuple[list[pdk.Layer], list[dict]]:
    """The districts layer (EM3 coloured, neighbours grey, the focus districts with a wide white
    casing as their border) and the focus outline layer (a dark line over the casing). With every
    district in focus none is outlined (see :func:`outlines_focus`).

    Light on the wire (it is sent to every browser on every first load): the focus outline is a
    PathLayer of the focus districts' edges, each shared edge once (display_geometry.shared_outline),
    instead of two more copies of their polygons; neighbours carry only what the map reads."""
    focus = set(focus_codes)
    # Every district in focus (the default view): nothing stands out, so none is outlined.
    outlined = focus if outlines_focus(focus, (f["properties"]["areacd"] for f in boundaries["features"]
                                                if f["properties"].get("role") == "em3")) else set()
    features, em3 = [], []
    for feat in boundaries["features"]:
        p = feat["properties"]
        if p.get("role") == "em3":
            extra = (props or {}).get(p["areacd"])
            if extra is None:
                fill = hex_to_rgba(PLAIN_FOCUS_FILL if p["areacd"] in focus else (plain_fill or PLAIN_FILL)) \
                    if props is None else hex_to_rgba(NO_FIGURE)
                extra = {"fill": fill, "value": None,
                         "detail": "No figure" if props is not None else "Enterprise M3 district"}
            in_focus = p["areacd"] in outlined
            f = _feature(feat, name=p["areanm"], focus=in_focus, **extra)
            f["properties"]["line"] = hex_to_rgba("#FFFFFF" if in_focus else DISTRICT_LINE)
            f["properties"]["width"] = FOCUS_CASING_PX if in_focus else 1
            em3.append(f)
        else:
            f = _feature(feat, name=p["areanm"], focus=False, fill=hex_to_rgba(NEIGHBOUR_FILL),
                         detail="Outside Enterprise M3")
            f["properties"]["line"] = hex_to_rgba(NEIGHBOUR_LINE)
            f["properties"]["width"] = 1
        f["properties"].pop("areanm", None)  # the same as "name"
        features.append(f)
    # Neighbours first, so the EM3 districts' borders are drawn over theirs; the focus districts
    # last, so their casing is drawn over every other border.
    features.sort(key=lambda f: (f["properties"].get("role") == "em3", f["properties"]["focus"]))
    # Sent as whole numbers of grid steps from an origin (grid_geometry): a third lighter than degrees.
    origin = grid_origin(em3 or features)
    on_grid = [{"type": "Feature", "properties": _wire_properties(f["properties"]),
                "geometry": grid_geometry(f["geometry"], origin)} for f in features]
    districts = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": on_grid}, id="districts",
        filled=True, stroked=True, pickable=True, auto_highlight=True, highlight_color=[255, 255, 255, 70],
        # A neighbour's colours and width are the same for all of them: the accessors' fallbacks,
        # not 24 copies in the data.
        get_fill_color=f"properties.fill || {hex_to_rgba(NEIGHBOUR_FILL)}",
        get_line_color=f"properties.line || {hex_to_rgba(NEIGHBOUR_LINE)}",
        get_line_width="properties.width || 1", line_width_units="'pixels'", line_width_min_pixels=1,
        **grid_layer_props(origin))
    paths = display_geometry.shared_outline([f for f in em3 if f["properties"]["focus"]])
    outline = pdk.Layer(
        "PathLayer", [{"path": grid_coordinates(path, origin)} for path in paths], id="focus-outline", get_path="path",
        pickable=False, get_color=hex_to_rgba(FOCUS_LINE), get_width=FOCUS_LINE_PX, width_units="'pixels'",
        joint_rounded=True, cap_rounded=True, **grid_layer_props(origin))
    return [districts, outline], em3


def _wire_properties(props: dict) -> dict:
    """A feature's properties as sent: what the map reads (colours, widths, tooltip), the district's
    code and figure; a neighbour drawn for context has its name and tooltip only. Whether a district is in
    focus shows as its casing (width FOCUS_CASING_PX), so that flag stays on the server."""
    out = {k: v for k, v in props.items() if k != "focus"}
    if out.get("role") != "em3":  # drawn by the layer's fallbacks (_district_layers)
        for key in ("areacd", "fill", "line", "width"):
            out.pop(key, None)
    return out


def outlines_focus(focus_codes: Iterable[str], district_codes: Iterable[str]) -> bool:
    """Whether the maps outline the focus districts: some but not all of the districts are in focus."""
    focus = set(focus_codes)
    return bool(focus) and focus != set(district_codes)


def _district_labels(em3_features: list[dict], focus: set[str]) -> pdk.Layer:
    data = [{"name": f["properties"]["name"], "position": label_point(f["geometry"]),
             "colour": [26, 26, 26, 255] if f["properties"]["areacd"] in focus else [70, 70, 70, 220]}
            for f in em3_features]
    return pdk.Layer("TextLayer", data, id="district-labels", get_position="position", get_text="name",
                     get_size=12, size_units="'pixels'", get_color="colour", font_family=FONT, font_weight=600,
                     background=True, get_background_color=LABEL_BACKGROUND, background_padding=[3, 1, 3, 1],
                     get_text_anchor="'middle'", get_alignment_baseline="'center'", pickable=False)


def choropleth_deck(boundaries: dict, snapshot_df: pd.DataFrame, focus_codes: Iterable[str], indicator, *,
                    map_style: str | None = None, width: int = 640, height: int = 480,
                    labels: bool = True) -> pdk.Deck:
    """The 14 EM3 districts coloured by the indicator's figures in snapshot_df (one row per
    district: areacd, value, period_label, rank, n_districts), neighbouring districts in grey,
    the focus districts outlined. Tooltip fields are properties of each feature."""
    focus = set(focus_codes)
    props = district_properties(snapshot_df, indicator)
    layers, em3 = _district_layers(boundaries, focus, props)
    if labels:
        layers.append(_district_labels(em3, focus))
    return _deck(layers, fit_view(bbox(em3), width, height), map_style)


def towns_deck(boundaries: dict, towns: pd.DataFrame, gateways: pd.DataFrame, nearest: pd.DataFrame,
               corridors: list[dict], focus_codes: Iterable[str], *, snapshot_df: pd.DataFrame | None = None,
               indicator=None, show: Iterable[str] = tuple(LAYER_CHOICES), map_style: str | None = None,
               width: int = 760, height: int = 600) -> pdk.Deck:
    """District polygons (coloured by an indicator, or plain), corridors, lines from each town to its
    nearest gateways, towns (those in focus districts highlighted) and gateways, each layer switchable
    through `show` (keys of LAYER_CHOICES)."""
    focus, show = set(focus_codes), set(show)
    props = district_properties(snapshot_df, indicator) if snapshot_df is not None and indicator is not None else None
    layers, em3 = _district_layers(boundaries, focus, props)
    names = {f["properties"]["areacd"]: f["properties"]["name"] for f in em3}

    for kind in ("road", "rail"):
        if kind not in show:
            continue
        paths = [{"name": c["name"], "path": c["path"],
                  "detail": f"{'Railway line' if kind == 'rail' else 'Road'} (schematic)\n"
                            f"Through {', '.join(c['stops'])}"}
                 for c in corridors if c["kind"] == kind]
        if kind == "rail":
            layers.append(pdk.Layer(
                "PathLayer", paths, id="rail", get_path="path", get_color=hex_to_rgba(RAIL_LINE, 230),
                get_width=2, width_units="'pixels'", pickable=True, auto_highlight=True, cap_rounded=True,
                joint_rounded=True, get_dash_array=[6, 3], dash_justified=True,
                extensions=[{"@@type": "PathStyleExtension", "dash": True}]))
        else:
            layers.append(pdk.Layer(
                "PathLayer", paths, id="road", get_path="path", get_color=hex_to_rgba(ROAD_LINE, 200),
                get_width=5, width_units="'pixels'", pickable=True, auto_highlight=True, cap_rounded=True,
                joint_rounded=True))

    box = bbox(em3)
    if "gateways" in show and len(gateways):
        box = (min(box[0], gateways["lon"].min()), min(box[1], gateways["lat"].min()),
               max(box[2], gateways["lon"].max()), max(box[3], gateways["lat"].max()))
    view = fit_view(box, width, height, padding=0.05)
    mid_lon = (bbox(em3)[0] + bbox(em3)[2]) / 2
    # Labels point away from the middle of the area: west of it to the right, east of it to the left.
    gates = [{"name": g["gateway"], "position": [g["lon"], g["lat"]], "kind": g["kind"],
              "label": f"{g['gateway']} ({g['kind']})", "priority": LABEL_PRIORITY["gateway"],
              "anchor": "end" if g["lon"] > mid_lon else "start",
              "offset": [-13, 0] if g["lon"] > mid_lon else [13, 0],
              "detail": f"International {g['kind']}"} for g in gateways.to_dict("records")]

    town_rows = towns.to_dict("records")
    town_xy = {t["town"]: [t["lon"], t["lat"]] for t in town_rows}
    town_focus = {t["town"]: t["district_code"] in focus for t in town_rows}
    gate_xy = {g["gateway"]: [g["lon"], g["lat"]] for g in gateways.to_dict("records")}
    if "links" in show:
        links = [{"name": f"{n['town']} to {n['gateway']}", "source": town_xy[n["town"]], "target": gate_xy[n["gateway"]],
                  "distance_km": n["distance_km"], "focus": town_focus[n["town"]],
                  "colour": hex_to_rgba(LINK_FOCUS, 120) if town_focus[n["town"]] else hex_to_rgba(LINK_MUTED, 90),
                  "detail": f"{n['distance_km']:.1f} km in a straight line ({n['kind']})"}
                 for n in nearest.to_dict("records")]
        layers.append(pdk.Layer(
            "LineLayer", links, id="gateway-links", get_source_position="source", get_target_position="target",
            get_color="colour", get_width=1, width_units="'pixels'", pickable=True, auto_highlight=True))

    if "towns" in show:
        near = {}
        for n in nearest.to_dict("records"):
            near.setdefault(n["town"], []).append(f"{n['gateway']} {n['distance_km']:.1f} km")
        points = [{"name": t["town"], "position": [t["lon"], t["lat"]], "focus": town_focus[t["town"]],
                   "district": names.get(t["district_code"], t["district_code"]), "kind": t["kind"],
                   "radius": 6 if t["kind"] in ("city", "large town") else 4,
                   "fill": [255, 255, 255, 255] if town_focus[t["town"]] else [235, 235, 235, 200],
                   "line": hex_to_rgba(TOWN_FOCUS) if town_focus[t["town"]] else hex_to_rgba(TOWN_MUTED, 200),
                   "label_colour": hex_to_rgba(TOWN_FOCUS) if town_focus[t["town"]] else [90, 90, 90, 255],
                   "priority": (LABEL_PRIORITY["focus"] if town_focus[t["town"]] else 0)
                               + LABEL_PRIORITY.get(t["kind"], 0),
                   "detail": f"{t['kind'].capitalize()} in {names.get(t['district_code'], t['district_code'])}"
                             + (f"\n{props[t['district_code']]['detail']}" if props else "")
                             + (f"\nNearest gateways: {'; '.join(near.get(t['town'], []))}" if near else "")}
                  for t in town_rows]
        # Focus towns last, so they are drawn on top.
        points.sort(key=lambda p: p["focus"])
        layers.append(pdk.Layer(
            "ScatterplotLayer", points, id="towns", get_position="position", get_radius="radius",
            radius_units="'pixels'", get_fill_color="fill", get_line_color="line", stroked=True,
            get_line_width=1.5, line_width_units="'pixels'", pickable=True, auto_highlight=True))
        # Labels: the city and large towns always; every town of the focus districts when three or
        # fewer are in focus (all 46 labels overlap at this scale). Every town has its tooltip.
        # Where two labels would overlap at the map's design size (the page scales the whole map, so
        # they overlap at no width), the one of higher priority is kept (LABEL_PRIORITY; declutter()).
        labelled = [p for p in points if p["kind"] in LABEL_ALWAYS or (p["focus"] and len(focus) <= LABEL_ALL_UP_TO)]
        kept = declutter(labelled + (gates if "gateways" in show else []), view, width, height)
        labelled = [lab for lab in kept if "label" not in lab]
        gate_labels = [lab for lab in kept if "label" in lab]
        layers.append(pdk.Layer(
            "TextLayer", labelled, id="town-labels", get_position="position", get_text="name", get_size=12,
            size_units="'pixels'", get_color="label_colour", get_pixel_offset=[0, -9], get_text_anchor="'middle'",
            get_alignment_baseline="'bottom'", font_family=FONT, background=True,
            get_background_color=LABEL_BACKGROUND, background_padding=[2, 0, 2, 0], pickable=False))

    if "gateways" in show:
        if "towns" not in show:
            gate_labels = declutter(gates, view, width, height)
        layers.append(pdk.Layer(
            "ScatterplotLayer", gates, id="gateways", get_position="position", get_radius=9, radius_units="'pixels'",
            get_fill_color=hex_to_rgba(GATEWAY_FILL), get_line_color=[26, 26, 26, 255], stroked=True,
            get_line_width=2, line_width_units="'pixels'", pickable=True, auto_highlight=True))
        # A white centre makes a gateway a ring ("target"), a different shape from a town's dot.
        layers.append(pdk.Layer(
            "ScatterplotLayer", gates, id="gateway-centres", get_position="position", get_radius=3,
            radius_units="'pixels'", get_fill_color=[255, 255, 255, 255], pickable=False))
        layers.append(pdk.Layer(
            "TextLayer", gate_labels, id="gateway-labels", get_position="position", get_text="label", get_size=13,
            size_units="'pixels'", get_color=[140, 50, 0, 255], font_weight=700, get_pixel_offset="offset",
            get_text_anchor="anchor", get_alignment_baseline="'center'", font_family=FONT, background=True,
            get_background_color=LABEL_BACKGROUND, background_padding=[3, 1, 3, 1], pickable=False))

    return _deck(layers, view, map_style)


# --------------------------------------------------------------------------
# Settings (the only streamlit access in this module)
# --------------------------------------------------------------------------

def map_style_setting() -> str | None:
    """The opt-in base map: LIS_MAP_STYLE, else `map_style` in .streamlit/secrets.toml, else None
    (no base map, nothing fetched from the internet)."""
    from . import app_settings

    return app_settings.current().map_style
