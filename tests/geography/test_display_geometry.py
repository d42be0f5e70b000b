"""The display copy of the boundaries keeps their topology: valid polygons, every district present,
shared borders still shared (no gaps, no overlaps), areas within a fraction of a per cent; and the
exact extract is left as it is for point-in-polygon work."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import shapely

from lis_data.domain import display_geometry as dg
from lis_data.domain.geography import load_boundaries

EXACT = load_boundaries()
# The priority map's initial view (zoom about 8.1 over latitude 51.2): half a pixel there.
ZOOM, LATITUDE = 8.07, 51.16
TOLERANCE = dg.tolerance_for_zoom(ZOOM, latitude=LATITUDE)
CONTEXT = dg.tolerance_for_zoom(ZOOM, dg.CONTEXT_PIXEL_FRACTION, latitude=LATITUDE)
#: One screen pixel there, east-west and north-south, in degrees.
PIXEL_X, PIXEL_Y = dg.tolerance_for_zoom(ZOOM, 1.0), dg.tolerance_for_zoom(ZOOM, 1.0, latitude=LATITUDE)


def _geoms(fc: dict) -> np.ndarray:
    return shapely.from_geojson([json.dumps(f["geometry"]) for f in fc["features"]])


@pytest.fixture(scope="module")
def display():
    before = copy.deepcopy(EXACT)
    out = dg.display_boundaries(EXACT, TOLERANCE, context_tolerance=CONTEXT)
    assert EXACT == before, "the exact boundaries are not modified"
    return out


def test_every_district_present_with_its_properties(display):
    assert [f["properties"] for f in display["features"]] == [f["properties"] for f in EXACT["features"]]


def test_polygons_valid_and_still_a_coverage(display):
    geoms = _geoms(display)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms), "no overlaps and every shared edge still matched"


def test_no_gaps_or_overlaps_between_districts(display):
    exact, simple = _geoms(EXACT), _geoms(display)
    # Overlaps: the sum of the areas equals the area of the union.
    assert shapely.area(shapely.union_all(simple)) == pytest.approx(shapely.area(simple).sum(), rel=1e-9)
    # Gaps: no hole opens inside the area that had none before.
    holes = lambda g: sum(len(p.interiors) for p in shapely.get_parts(g))  # noqa: E731
    assert holes(shapely.union_all(simple)) == holes(shapely.union_all(exact))
    # Shared borders still shared: every pair of districts that touched along an edge still does.
    def touching(gs):
        return {(i, j) for i in range(len(gs)) for j in range(i + 1, len(gs))
                if shapely.length(shapely.intersection(shapely.boundary(gs[i]), shapely.boundary(gs[j]))) > 0}
    assert touching(simple) == touching(exact)


def test_areas_and_shapes_within_a_small_tolerance(display):
    exact, simple = _geoms(EXACT), _geoms(display)
    change = np.abs(shapely.area(simple) - shapely.area(exact)) / shapely.area(exact)
    em3 = np.array([f["properties"]["role"] == "em3" for f in EXACT["features"]])
    assert change[em3].max() < 0.005, f"largest area change of an area district {change[em3].max():.2%}"
    # The grey neighbours, drawn for context only, are simplified at CONTEXT_PIXEL_FRACTION of a
    # pixel: a small coastal one (Southampton is 30 x 30 pixels on the map) loses up to a tenth.
    assert change.max() < 0.1, f"largest area change {change.max():.2%}"
    for f, a, b in zip(EXACT["features"], exact, simple):
        # What changed is slivers and specks under one square pixel each for the area's districts
        # (three times CONTEXT_PIXEL_FRACTION squared for the grey neighbours): invisible at the drawn scale.
        square_pixels = 1 if f["properties"]["role"] == "em3" else 3 * dg.CONTEXT_PIXEL_FRACTION ** 2
        limit = square_pixels * PIXEL_X * PIXEL_Y
        pieces = shapely.get_parts(shapely.symmetric_difference(a, b))
        assert len(pieces) == 0 or shapely.area(pieces).max() < limit, f["properties"]["areanm"]
        if f["properties"]["role"] == "em3":
            # The area's own districts: no vertex moves by as much as a pixel.
            assert shapely.hausdorff_distance(a, b) < PIXEL_Y, f["properties"]["areanm"]


def test_lighter_and_on_a_1e4_degree_grid(display):
    exact_points = shapely.get_num_coordinates(_geoms(EXACT)).sum()
    simple_points = shapely.get_num_coordinates(_geoms(display)).sum()
    assert simple_points < exact_points
    for f in display["features"]:
        for x, y in shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"]))):
            assert round(x, 4) == x and round(y, 4) == y


def test_neighbours_simplified_further_without_moving_the_area_or_its_borders(display):
    plain = _geoms(dg.display_boundaries(EXACT, TOLERANCE))
    simple = _geoms(display)
    em3 = np.array([f["properties"]["role"] == "em3" for f in EXACT["features"]])
    assert all(shapely.equals(a, b) for a, b in zip(plain[em3], simple[em3])), "the area's districts unchanged"
    assert shapely.get_num_coordinates(simple[~em3]).sum() < 0.9 * shapely.get_num_coordinates(plain[~em3]).sum()
    # The outline of the area as a whole is the same edge in both: no gap opens along it.
    assert shapely.equals(shapely.union_all(simple[em3]), shapely.union_all(plain[em3]))


def test_not_a_coverage_is_refused():
    overlapping = copy.deepcopy(EXACT)
    overlapping["features"].append(overlapping["features"][0])
    with pytest.raises(ValueError, match="coverage"):
        dg.display_boundaries(overlapping, TOLERANCE)


def test_shared_outline_sends_each_edge_once(display):
    em3 = [f for f in display["features"] if f["properties"]["role"] == "em3"]
    paths = dg.shared_outline(em3)
    lines = shapely.multilinestrings([shapely.linestrings(p) for p in paths])
    union = shapely.union_all(shapely.boundary(_geoms({"features": em3})))
    assert shapely.equals(lines, union), "the outline covers every edge of the districts"
    assert shapely.length(lines) == pytest.approx(shapely.length(union))
    ring_length = shapely.length(shapely.boundary(_geoms({"features": em3}))).sum()
    assert shapely.length(lines) < 0.8 * ring_length, "shared edges counted once, not twice"
    assert dg.shared_outline([]) == []
