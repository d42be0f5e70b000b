"""The maps' pydeck specs under AppTest: the priority-page choropleth and the towns and gateways page.

Checks the JSON each st.pydeck_chart sends to the browser (element type "deck_gl_json_chart"): the
layers, one feature per district (and the neighbours), every town and gateway, the tooltips, the focus
outline, and that no base map is requested unless one is opted into.
"""

from __future__ import annotations

import json
import re

import pytest

from lis_data.domain.geography import load_boundaries
from lis_data.domain.reference import load_corridors, load_gateways, load_towns
from page_helpers import AREA, CATALOGUE, assert_clean, run_page

from lis_data.views import map_classes, map_geometry

from ui import maps, views

BOUNDARIES = load_boundaries()
EM3 = set(AREA.district_codes)
NEIGHBOURS = {f["properties"]["areanm"] for f in BOUNDARIES["features"] if f["properties"]["role"] == "neighbour"}
TOWNS = load_towns(area=AREA)
GATEWAYS = load_gateways()
CORRIDORS = load_corridors(towns=TOWNS)
OFFLINE_STYLE = "__MAP_STYLE__"  # pydeck's sentinel with no provider: Streamlit draws no base map
TOWNS_LAYERS = ["districts", "focus-outline", "road", "rail", "gateway-links", "towns", "town-labels",
                "gateways", "gateway-centres", "gateway-labels"]


def _decks(at) -> list[dict]:
    out = []
    for el in at.get("deck_gl_json_chart"):
        spec = json.loads(el.proto.json)
        spec["_tooltip"] = json.loads(el.proto.tooltip) if el.proto.tooltip else None
        out.append(spec)
    return out


def _layers(spec: dict) -> dict[str, dict]:
    return {layer["id"]: layer for layer in spec["layers"]}


def _features(layer: dict) -> list[dict]:
    return layer["data"]["features"]


def _codes(layer: dict, role: str | None = None) -> list[str]:
    """The codes of the area's districts (role "em3"), the names of the neighbours (sent by name only)."""
    return [f["properties"]["areacd"] if f["properties"]["role"] == "em3" else f["properties"]["name"]
            for f in _features(layer) if role is None or f["properties"]["role"] == role]


def _focus(layer: dict) -> list[str]:
    """The districts drawn as in focus: a wide white casing as their border, drawn after the others."""
    feats = _features(layer)
    flags = [f["properties"].get("width") == maps.FOCUS_CASING_PX for f in feats]
    focus = [f["properties"]["areacd"] for f, flag in zip(feats, flags) if flag]
    for f, flag in zip(feats, flags):
        assert not flag or f["properties"]["line"] == [255, 255, 255, 255], f["properties"]["name"]
    assert flags[len(flags) - len(focus):] == [True] * len(focus), "the focus districts are drawn last"
    return focus


def _outline_vertices(layer: dict) -> set[tuple[float, float]]:
    assert layer["@@type"] == "PathLayer"
    return {tuple(pt) for item in layer["data"] for pt in item["path"]}


def _ring_vertices(layer: dict, codes) -> set[tuple[float, float]]:
    out = set()
    for f in _features(layer):
        if f["properties"].get("areacd") in codes:
            polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
            out |= {tuple(pt) for poly in polys for ring in poly for pt in ring}
    return out


def _check_tooltip(spec: dict) -> None:
    tip = spec["_tooltip"]
    assert tip and "{name}" in tip["html"] and "{detail}" in tip["html"]


def _in_em3_view(spec: dict) -> None:
    x0, y0, x1, y1 = map_geometry.bbox([f for f in BOUNDARIES["features"] if f["properties"]["role"] == "em3"])
    view = spec["initialViewState"]
    assert x0 < view["longitude"] < x1 and y0 < view["latitude"] < y1
    assert 7 <= view["zoom"] <= 10, "fitted to the area, not the world"


# --------------------------------------------------------------------------
# Priority pages
# --------------------------------------------------------------------------

def test_priority_map_has_one_feature_per_district_and_the_neighbours():
    at = run_page("innovation")  # first indicator: GVA per hour, district level, higher is better
    assert_clean(at)
    decks = _decks(at)
    assert len(decks) == 1
    spec = decks[0]
    layers = _layers(spec)
    assert list(layers) == ["districts", "focus-outline", "district-labels"]
    assert layers["districts"]["@@type"] == "GeoJsonLayer" and layers["districts"]["pickable"]
    assert sorted(_codes(layers["districts"], "em3")) == sorted(EM3)
    assert set(_codes(layers["districts"], "neighbour")) == NEIGHBOURS
    assert len(_features(layers["districts"])) == len(EM3) + len(NEIGHBOURS)
    assert spec["mapStyle"] == OFFLINE_STYLE and "mapProvider" not in spec
    _check_tooltip(spec)
    _in_em3_view(spec)
    n_ranked = 0
    for f in _features(layers["districts"]):
        p = f["properties"]
        assert p["name"] and p["detail"], p["name"]
        assert len(p["fill"]) == 4 if p["role"] == "em3" else "fill" not in p
        if p["role"] == "em3":
            if p["value"] is not None:
                assert re.search(r"\nPeriod: \S", p["detail"]), "every district with a figure names the period"
                n_ranked += bool(re.search(r"[Rr]ank \d+ of \d+ English districts", p["detail"]))
            else:
                assert p["fill"] == map_classes.hex_to_rgba(map_classes.NO_FIGURE) and p["detail"] == "No figure"
        else:
            assert p["detail"] == "Outside Enterprise M3"
        # Only what the map reads is sent with every first load.
        assert set(p) <= {"areacd", "name", "role", "value", "fill", "line", "width", "detail"}, set(p)
    assert n_ranked >= 10, "tooltips give the rank among English districts"
    # The neighbours' colours are the accessors' fallbacks, sent once for all of them.
    assert layers["districts"]["getFillColor"] == f"@@=properties.fill || {map_classes.hex_to_rgba(map_classes.NEIGHBOUR_FILL)}"
    assert layers["districts"]["getLineColor"] == f"@@=properties.line || {map_classes.hex_to_rgba(map_classes.NEIGHBOUR_LINE)}"
    # Every district is in focus by default: none stands out, so none is outlined (no casing, no
    # outline data) and the caption does not mention an outline.
    assert _focus(layers["districts"]) == [] and layers["focus-outline"]["data"] == []
    assert not any("Dark outline" in c.value for c in at.caption)
    # The table behind the map, the legend and the source note.
    assert any(e.label == views.MAP_TABLE_LABEL for e in at.expander)
    assert any("Darker is better" in c.value for c in at.caption)
    assert any("Crown copyright" in c.value for c in at.caption)


def test_priority_map_outlines_only_the_focus_districts():
    code = "E07000089"  # Hart
    at = run_page("innovation", {"d": code})
    assert_clean(at)
    layers = _layers(_decks(at)[0])
    assert _focus(layers["districts"]) == [code]
    assert _outline_vertices(layers["focus-outline"]) == _ring_vertices(layers["districts"], {code})
    assert any("Dark outline: the districts in focus" in c.value for c in at.caption)


def test_priority_map_outline_sends_each_shared_border_once():
    outlined = set(sorted(EM3)[:-1])  # all but one district in focus: they are outlined
    at = run_page("innovation", {"d": ",".join(sorted(outlined))})
    assert_clean(at)
    layers = _layers(_decks(at)[0])
    assert set(_focus(layers["districts"])) == outlined
    assert _outline_vertices(layers["focus-outline"]) == _ring_vertices(layers["districts"], outlined)
    outline_points = sum(len(item["path"]) for item in layers["focus-outline"]["data"])
    ring_points = sum(len(ring) for f in _features(layers["districts"]) if f["properties"].get("areacd") in outlined
                      for poly in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon"
                                   else f["geometry"]["coordinates"]) for ring in poly)
    assert outline_points < 0.8 * ring_points, "shared edges are sent once"


def test_lower_is_better_map_puts_the_best_district_at_the_dark_end():
    at = run_page("workforce", {"ind": "claimant-count"})
    assert_clean(at)
    feats = [f["properties"] for f in _features(_layers(_decks(at)[0])["districts"])
             if f["properties"]["role"] == "em3" and f["properties"]["value"] is not None]
    best = min(feats, key=lambda p: p["value"])
    worst = max(feats, key=lambda p: p["value"])
    assert best["fill"] == map_classes.hex_to_rgba(map_classes.PALETTE[-1])
    assert worst["fill"] == map_classes.hex_to_rgba(map_classes.PALETTE[0])


def test_an_indicator_not_published_for_districts_has_no_map_but_says_why():
    ind = next(i for i in CATALOGUE.indicators_for("innovation") if i.level == "region")
    at = run_page("innovation", {"ind": ind.id})
    assert_clean(at)
    assert not at.get("deck_gl_json_chart")
    assert any("No district map" in c.value and "larger areas" in c.value for c in at.caption)


def test_no_district_in_focus_still_renders():
    at = run_page("innovation", {"d": "none"})
    assert_clean(at)


def test_opt_in_base_map_from_the_environment(monkeypatch):
    monkeypatch.setenv("LIS_MAP_STYLE", "light")
    at = run_page("innovation")
    assert_clean(at)
    spec = _decks(at)[0]
    assert spec["mapProvider"] == "carto" and "positron" in spec["mapStyle"]


# --------------------------------------------------------------------------
# The towns and gateways page
# --------------------------------------------------------------------------

def _towns_spec(at) -> dict:
    decks = _decks(at)
    assert len(decks) == 1
    return decks[0]


def test_towns_page_defaults_draw_every_layer_town_and_gateway():
    at = run_page("towns")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Towns and gateways"]
    spec = _towns_spec(at)
    layers = _layers(spec)
    assert list(layers) == TOWNS_LAYERS
    assert spec["mapStyle"] == OFFLINE_STYLE
    _check_tooltip(spec)
    assert sorted(_codes(layers["districts"], "em3")) == sorted(EM3)
    assert set(_codes(layers["districts"], "neighbour")) == NEIGHBOURS
    assert sorted(t["name"] for t in layers["towns"]["data"]) == sorted(TOWNS["town"])
    labelled = {t["name"] for t in layers["town-labels"]["data"]}
    big = set(TOWNS.loc[TOWNS["kind"].isin(maps.LABEL_ALWAYS), "town"])
    assert big <= labelled <= set(TOWNS["town"]), "the larger towns are always labelled"
    assert sorted(g["name"] for g in layers["gateways"]["data"]) == sorted(GATEWAYS["gateway"])
    assert all(g["kind"] in g["label"] for g in layers["gateway-labels"]["data"]), "labels name the kind"
    links = layers["gateway-links"]["data"]
    assert len(links) == 2 * len(TOWNS)
    assert all(re.search(r"\d+\.\d km in a straight line", x["detail"]) for x in links)
    assert len(layers["rail"]["data"]) == sum(c["kind"] == "rail" for c in CORRIDORS)
    assert len(layers["road"]["data"]) == sum(c["kind"] == "road" for c in CORRIDORS)
    assert layers["rail"]["getColor"] != layers["road"]["getColor"], "rail and road styled differently"
    for layer in ("districts", "towns", "gateways", "gateway-links", "rail", "road"):
        assert layers[layer]["pickable"], layer
        items = _features(layers[layer]) if layer == "districts" else layers[layer]["data"]
        for item in items:
            props = item.get("properties", item)
            assert props["name"] and props["detail"], (layer, props.get("name"))
    # Every district in focus by default: every town highlighted.
    assert all(t["focus"] for t in layers["towns"]["data"])
    # Coloured by the default indicator; the table beside the map has a row per town.
    assert any(f["properties"].get("value") is not None for f in _features(layers["districts"]))
    table = at.dataframe[0].value
    assert len(table) == len(TOWNS) and {"Town", "District", "Nearest gateway", "Distance (km)"} <= set(table)
    assert any("SOURCES.md" in c.value and "Crown copyright" in c.value for c in at.caption)


def test_towns_page_with_one_district_highlights_its_towns():
    code = "E07000209"  # Guildford
    at = run_page("towns", {"d": code})
    assert_clean(at)
    layers = _layers(_towns_spec(at))
    wanted = set(TOWNS.loc[TOWNS["district_code"] == code, "town"])
    assert wanted, "Guildford has towns"
    assert {t["name"] for t in layers["towns"]["data"] if t["focus"]} == wanted
    assert _focus(layers["districts"]) == [code]
    assert wanted <= {t["name"] for t in layers["town-labels"]["data"]}, "every town of one district labelled"
    assert {x["name"].split(" to ")[0] for x in layers["gateway-links"]["data"] if x["focus"]} == wanted


def test_towns_page_with_no_district_in_focus():
    at = run_page("towns", {"d": "none"})
    assert_clean(at)
    layers = _layers(_towns_spec(at))
    assert not any(t["focus"] for t in layers["towns"]["data"])
    assert _focus(layers["districts"]) == [] and layers["focus-outline"]["data"] == []
    assert len(layers["towns"]["data"]) == len(TOWNS), "every town is still drawn"


LAYER_IDS = {"towns": {"towns", "town-labels"}, "gateways": {"gateways", "gateway-centres", "gateway-labels"},
             "links": {"gateway-links"}, "rail": {"rail"}, "road": {"road"}}


@pytest.mark.parametrize("off", list(maps.LAYER_CHOICES))
def test_towns_page_each_layer_can_be_switched_off(off):
    at = run_page("towns")
    at.pills(key="towns_layers").set_value([k for k in maps.LAYER_CHOICES if k != off]).run()
    assert_clean(at)
    ids = set(_layers(_towns_spec(at)))
    assert not ids & LAYER_IDS[off]
    for other, other_ids in LAYER_IDS.items():
        if other != off:
            assert other_ids <= ids, other
    assert {"districts", "focus-outline"} <= ids


def test_towns_page_with_every_layer_off_and_plain_districts():
    at = run_page("towns")
    at.pills(key="towns_layers").set_value([]).run()
    at.selectbox(key="towns_indicator").set_value("_plain").run()
    assert_clean(at)
    layers = _layers(_towns_spec(at))
    assert list(layers) == ["districts", "focus-outline"]
    assert all(f["properties"].get("value") is None for f in _features(layers["districts"]))
    assert "District figure" not in at.dataframe[0].value.columns


def test_towns_page_coloured_by_a_lower_is_better_indicator():
    at = run_page("towns")
    at.selectbox(key="towns_indicator").set_value("claimant-count").run()
    assert_clean(at)
    feats = [f["properties"] for f in _features(_layers(_towns_spec(at))["districts"])
             if f["properties"]["role"] == "em3" and f["properties"]["value"] is not None]
    assert min(feats, key=lambda p: p["value"])["fill"] == map_classes.hex_to_rgba(map_classes.PALETTE[-1])
    assert "District figure" in at.dataframe[0].value.columns


def test_boundaries_that_are_not_a_coverage_are_drawn_as_they_are(monkeypatch):
    """Simplifying overlapping districts would open gaps: the maps then draw the exact boundaries."""
    import copy

    from ui import data

    overlapping = copy.deepcopy(BOUNDARIES)
    overlapping["features"].append(copy.deepcopy(overlapping["features"][0]))
    monkeypatch.setattr(data, "boundaries", lambda: overlapping)
    data.display_boundaries.clear()
    try:
        assert data.display_boundaries() is overlapping
    finally:
        data.display_boundaries.clear()
