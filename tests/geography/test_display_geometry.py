"""The display copy of the boundaries keeps their topology: valid polygons, every district present,
shared borders still shared (no gaps, no overlaps), areas within a fraction of a per cent; and the
exact extract is left as it is for point-in-polygon work."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import shapely

from lis_data import display_geometry as dg
from lis_data.geography import load_boundaries

EXACT = load_boundaries()
# The priority map's initial zoom (about 8.1): half a pixel there.
TOLERANCE = dg.tolerance_for_zoom(8.07)


def _geoms(fc: dict) -> np.ndarray:
    return shapely.from_geojson([json.dumps(f["geometry"]) for f in fc["features"]])


@pytest.fixture(scope="module")
def display():
    before = copy.deepcopy(EXACT)
    out = dg.display_boundaries(EXACT, TOLERANCE)
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
    assert change.max() < 0.005, f"largest area change {change.max():.2%}"
    pixel = 2 * TOLERANCE  # degrees in one screen pixel at the map's zoom
    for f, a, b in zip(EXACT["features"], exact, simple):
        # What changed is slivers and specks under one square pixel each: invisible at the drawn scale.
        pieces = shapely.get_parts(shapely.symmetric_difference(a, b))
        assert len(pieces) == 0 or shapely.area(pieces).max() < pixel ** 2, f["properties"]["areanm"]
        if f["properties"]["role"] == "em3":
            # The area's own districts: no vertex moves by as much as a pixel.
            assert shapely.hausdorff_distance(a, b) < pixel, f["properties"]["areanm"]


def test_lighter_and_on_a_1e4_degree_grid(display):
    exact_points = shapely.get_num_coordinates(_geoms(EXACT)).sum()
    simple_points = shapely.get_num_coordinates(_geoms(display)).sum()
    assert simple_points < exact_points
    for f in display["features"]:
        for x, y in shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"]))):
            assert round(x, 4) == x and round(y, 4) == y


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
