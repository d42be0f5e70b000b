"""point_in_polygon and haversine_km on hand-made shapes and known distances."""

import math

import pytest

from lis_data.domain.geography import haversine_km, point_in_polygon

SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}

TWO_SQUARES = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[5, 5], [8, 5], [8, 8], [5, 8], [5, 5]], [[6, 6], [7, 6], [7, 7], [6, 7], [6, 6]]],
    ],
}


@pytest.mark.parametrize(
    "lon, lat, expected",
    [
        (1, 1, True),        # inside the square
        (9.5, 5, True),      # inside, beside the hole
        (5, 5, False),       # inside the hole
        (11, 5, False),      # outside to the east
        (-1, 5, False),      # outside to the west
        (5, 10.5, False),    # outside to the north
    ],
)
def test_polygon_with_hole(lon, lat, expected):
    assert point_in_polygon(lon, lat, SQUARE_WITH_HOLE) is expected


@pytest.mark.parametrize(
    "lon, lat, expected",
    [
        (0.5, 0.5, True),    # first polygon
        (5.5, 5.5, True),    # second polygon
        (6.5, 6.5, False),   # hole in the second polygon
        (3, 3, False),       # between the two
    ],
)
def test_multipolygon_with_hole(lon, lat, expected):
    assert point_in_polygon(lon, lat, TWO_SQUARES) is expected


def test_open_ring_is_accepted():
    triangle = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [0, 4]]]}
    assert point_in_polygon(1, 1, triangle)
    assert not point_in_polygon(3, 3, triangle)


def test_unsupported_geometry_is_refused():
    with pytest.raises(ValueError, match="Point"):
        point_in_polygon(0, 0, {"type": "Point", "coordinates": [0, 0]})


def test_haversine_one_degree_of_latitude():
    # One degree along a meridian is pi * R / 180 (about 111.2 km).
    assert haversine_km(0, 50, 0, 51) == pytest.approx(math.pi * 6371.0088 / 180, rel=1e-9)


def test_haversine_london_to_paris():
    # Charing Cross to Notre-Dame: about 343.5 km great-circle.
    assert haversine_km(-0.1246, 51.5080, 2.3499, 48.8530) == pytest.approx(343.5, abs=1.5)


def test_haversine_is_symmetric_and_zero_on_itself():
    assert haversine_km(-1.0873, 51.2665, -0.5704, 51.2362) == pytest.approx(
        haversine_km(-0.5704, 51.2362, -1.0873, 51.2665)
    )
    assert haversine_km(-1, 51, -1, 51) == 0
