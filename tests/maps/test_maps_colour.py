"""Colour scales and the pure map builders of ui/maps.py (no streamlit runtime)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lis_data.config import load_area, load_catalogue
from lis_data.domain.geography import load_boundaries
from lis_data.views import map_classes, map_geometry, map_wording
from ui import maps

AREA = load_area()
CAT = load_catalogue()
DARK = map_classes.hex_to_rgba(map_classes.PALETTE[-1])
LIGHT = map_classes.hex_to_rgba(map_classes.PALETTE[0])
GREY = map_classes.hex_to_rgba(map_classes.NO_FIGURE)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((map_classes.relative_luminance(a), map_classes.relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_higher_and_lower_is_better_put_the_best_district_at_the_same_end():
    values = [3.0, 7.5, 5.0, 1.0]
    higher = map_wording.colour_scale(values, "higher")
    lower = map_wording.colour_scale(values, "lower")
    assert higher[values.index(max(values))] == DARK  # best when higher is better
    assert lower[values.index(min(values))] == DARK   # best when lower is better
    assert higher[values.index(min(values))] == LIGHT
    assert lower[values.index(max(values))] == LIGHT


def test_neither_uses_the_neutral_ramp_dark_for_the_highest():
    values = [1.0, 2.0, 3.0]
    colours = map_wording.colour_scale(values, "neither")
    assert colours[2] == map_classes.hex_to_rgba(map_classes.NEUTRAL_PALETTE[-1])
    assert colours[0] == map_classes.hex_to_rgba(map_classes.NEUTRAL_PALETTE[0])
    assert not set(map(tuple, colours)) & {tuple(map_classes.hex_to_rgba(c)) for c in map_classes.PALETTE}


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_values_get_the_no_figure_grey(missing):
    colours = map_wording.colour_scale([1.0, missing, 3.0], "higher")
    assert colours[1] == GREY
    assert colours[0] != GREY and colours[2] != GREY


def test_all_missing_and_all_equal_do_not_fail():
    assert map_wording.colour_scale([None, float("nan")], "lower") == [GREY, GREY]
    same = map_wording.colour_scale([2.0, 2.0, 2.0], "higher")
    assert len({tuple(c) for c in same}) == 1 and same[0] != GREY
    assert map_classes.legend([None], "higher", "%", 1) is None


@pytest.mark.parametrize("palette", [map_classes.PALETTE, map_classes.NEUTRAL_PALETTE])
def test_palettes_run_light_to_dark_with_distinct_steps(palette):
    lum = [map_classes.relative_luminance(c) for c in palette]
    assert all(a > b for a, b in zip(lum, lum[1:])), "lightness falls steadily towards the best end"
    assert _contrast(palette[0], palette[-1]) >= 4.5, "the two ends are far apart"
    assert len(set(palette)) == len(palette) == 7


def test_no_figure_and_neighbour_greys_are_not_palette_colours():
    used = set(map_classes.PALETTE) | set(map_classes.NEUTRAL_PALETTE)
    assert map_classes.NO_FIGURE not in used and map_classes.NEIGHBOUR_FILL not in used
    assert map_classes.NO_FIGURE != map_classes.NEIGHBOUR_FILL
    assert _contrast(map_classes.NEIGHBOUR_FILL, map_classes.NO_FIGURE) > 1.3


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=20, unique=True))
def test_colour_order_follows_polarity(values):
    order = {tuple(map_classes.hex_to_rgba(c)): i for i, c in enumerate(map_classes.PALETTE)}
    for polarity, best in (("higher", max(values)), ("lower", min(values))):
        steps = [order[tuple(c)] for c in map_wording.colour_scale(values, polarity)]
        assert steps[values.index(best)] == len(map_classes.PALETTE) - 1
        ranked = sorted(zip(values, steps), reverse=polarity == "higher")  # best first
        assert all(a[1] >= b[1] for a, b in zip(ranked, ranked[1:])), "a better figure is never lighter"


def test_legend_range_stops_and_reading():
    leg = map_classes.legend([10.0, 20.0, None, 15.0], "lower", "%", 1)
    assert (leg.low, leg.high) == (10.0, 20.0)
    assert (leg.low_label, leg.high_label) == ("10.0%", "20.0%")
    assert leg.stops[0]["start"] == 10.0 and math.isclose(leg.stops[-1]["end"], 20.0)
    assert leg.stops[0]["colour"] == map_classes.PALETTE[-1], "lower is better: the lowest figure is dark"
    assert leg.has_missing and "Darker is better" in leg.reading
    higher = map_classes.legend([10.0, 20.0], "higher", "£", 0)
    assert higher.stops[-1]["colour"] == map_classes.PALETTE[-1] and higher.low_label == "£10"
    assert map_classes.legend_chart(higher).to_dict()  # a valid Vega-Lite spec


def _snapshot(values):
    return pd.DataFrame({"areacd": list(AREA.district_codes), "areanm": [d.name for d in AREA.districts],
                         "period": "2022", "period_label": "2022", "value": values,
                         "rank": [i + 1 for i in range(len(values))], "n_districts": 296})


def test_choropleth_deck_is_pure_and_complete():
    boundaries = load_boundaries()
    before = repr(boundaries)[:2000]
    ind = CAT.indicator("claimant-count")
    values = [float(i) for i in range(len(AREA.district_codes))]
    values[3] = float("nan")
    deck = maps.choropleth_deck(boundaries, _snapshot(values), [AREA.district_codes[0]], ind)
    assert repr(boundaries)[:2000] == before and "fill" not in boundaries["features"][0]["properties"]
    layers = {layer.id: layer for layer in deck.layers}
    feats = {f["properties"].get("areacd", f["properties"]["name"]): f["properties"] for f in layers["districts"].data["features"]}
    assert set(AREA.district_codes) <= set(feats)
    first = feats[AREA.district_codes[0]]
    assert first["fill"] == DARK and "Rank 1 of 296 English districts" in first["detail"]
    assert ": no figure\n" in feats[AREA.district_codes[3]]["detail"] and feats[AREA.district_codes[3]]["fill"] == GREY
    assert [c for c, p in feats.items() if p.get("width") == maps.FOCUS_CASING_PX] == [AREA.district_codes[0]]
    ring = {tuple(pt) for pt in boundaries["features"][[f["properties"]["areacd"] for f in boundaries["features"]]
                                                      .index(AREA.district_codes[0])]["geometry"]["coordinates"][0]}
    # Sent as whole steps of the display grid from the layer's origin (map_geometry.grid_coordinates).
    origin = tuple(layers["focus-outline"].coordinate_origin[:2])
    assert layers["districts"].coordinate_origin == layers["focus-outline"].coordinate_origin
    assert {tuple(pt) for item in layers["focus-outline"].data for pt in item["path"]} == \
        {tuple(map_geometry.grid_coordinates(list(pt), origin)) for pt in ring}
    assert '"mapStyle":"__MAP_STYLE__"' in deck.to_json()


def test_map_style_setting_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("LIS_MAP_STYLE", raising=False)
    assert maps.map_style_setting() is None
    monkeypatch.setenv("LIS_MAP_STYLE", "light")
    assert maps.map_style_setting() == "light"


def test_fit_view_contains_the_box():
    view = maps.fit_view((-1.6, 50.9, -0.3, 51.5), 640, 480)
    assert -1.6 < view.longitude < -0.3 and 50.9 < view.latitude < 51.5
    assert 7.5 < view.zoom < 9.5


def test_grid_coordinates_round_trip_exactly_for_the_display_grid():
    origin = (-0.94, 51.16)
    ring = [[-1.4602, 51.3365], [-0.9354, 51.1643], [-0.5001, 50.9999], [-1.4602, 51.3365]]
    grid = map_geometry.grid_coordinates(ring, origin)
    assert all(isinstance(v, int) for pt in grid for v in pt)
    assert grid[1] == [46, 43]
    layer = {"coordinateOrigin": [origin[0], origin[1], 0], **{"modelMatrix": map_geometry.grid_layer_props(origin)["model_matrix"]}}
    assert _from_grid(grid, layer) == ring
    assert map_geometry.grid_layer_props(origin)["coordinate_system"] == "'lnglat-offsets'"


def _from_grid(node, layer: dict):
    """The inverse of map_geometry.grid_coordinates for a layer as sent (its coordinateOrigin and modelMatrix),
    as deck.gl reads it: back to [lon, lat]."""
    if node and isinstance(node[0], (int, float)):
        ox, oy = layer["coordinateOrigin"][:2]
        sx, sy = layer["modelMatrix"][0], layer["modelMatrix"][5]
        return [round(ox + node[0] * sx, 6), round(oy + node[1] * sy, 6)]
    return [_from_grid(child, layer) for child in node]
