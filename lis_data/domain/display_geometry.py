"""Boundaries made light for drawing: simplified at the scale the map is drawn, with topology kept.

The extract's ``boundaries.geojson`` stays exact (5 decimal places): point-in-polygon tests and
distances use it. Maps draw a display copy made here, at load time, from the same features:

* :func:`display_boundaries` simplifies all districts together as one polygonal coverage with
  GEOS's coverage simplification (``shapely.coverage_simplify``, Visvalingam-Whyatt), so an edge
  two districts share is simplified once and stays shared: no gaps, no overlaps. The tolerance is
  a fraction of a screen pixel at the map's zoom (:func:`tolerance_for_zoom`). Coordinates are then
  snapped to a grid of 10^-4 degrees (about 7 m east-west, 11 m north-south here, well under one
  pixel and under the upstream's own generalisation), which keeps the coverage valid.
* :func:`shared_outline` is the outline of a set of districts with every shared edge once, as
  paths: the focus outline of a map costs one copy of the edges, not two per shared border.

Pure (no streamlit); the pages cache the results (ui/data.py).
"""

from __future__ import annotations

import json
import math

import numpy as np
import shapely

#: Decimal places kept for display coordinates (10^-4 degree is under a pixel at every zoom the maps allow).
DISPLAY_DECIMALS = 4
#: Tolerance as a fraction of a pixel at the map's initial zoom: the square root of the largest
#: triangle area Visvalingam-Whyatt removes.
PIXEL_FRACTION = 0.5
#: The same for the neighbouring districts drawn for context (light grey), away from their borders
#: with the area's districts, which stay at PIXEL_FRACTION so that every shared border still matches.
CONTEXT_PIXEL_FRACTION = 8.0
#: deck.gl's Web Mercator world is 512 pixels wide at zoom 0.
WORLD_PIXELS = 512


def tolerance_for_zoom(zoom: float, pixel_fraction: float = PIXEL_FRACTION, latitude: float = 0.0) -> float:
    """Degrees in `pixel_fraction` of a screen pixel at a deck.gl zoom level, near `latitude`: a
    pixel there spans fewer degrees of latitude than of longitude (Web Mercator), and the smaller
    is taken, so the tolerance holds in both directions."""
    return pixel_fraction * 360.0 / (WORLD_PIXELS * 2 ** zoom) * math.cos(math.radians(latitude))


def _geometries(features: list[dict]) -> np.ndarray:
    return shapely.from_geojson([json.dumps(f["geometry"]) for f in features])


def _coordinates(geom) -> list:
    """GeoJSON coordinates of a (Multi)Polygon as plain lists of floats rounded to the grid."""
    def ring(r) -> list:
        return [[round(x, DISPLAY_DECIMALS), round(y, DISPLAY_DECIMALS)] for x, y in r.coords]

    def poly(p) -> list:
        return [ring(p.exterior), *(ring(i) for i in p.interiors)]

    if geom.geom_type == "Polygon":
        return poly(geom)
    return [poly(p) for p in geom.geoms]


def display_boundaries(boundaries: dict, tolerance: float, context_tolerance: float | None = None) -> dict:
    """A copy of a boundaries FeatureCollection for drawing: simplified as one coverage at
    `tolerance` degrees and snapped to a 10^-4 degree grid. Properties are kept as they are.

    With `context_tolerance`, the districts drawn for context (role "neighbour") are simplified
    further at that tolerance, except along their borders with the area's districts, which stay
    as simplified at `tolerance`: the coverage stays valid and the area's districts are unchanged.

    Raises ValueError if the features are not a valid polygonal coverage (overlapping districts
    or unmatched shared edges), because the simplification would then open gaps or overlaps."""
    features = boundaries["features"]
    geoms = _geometries(features)
    if not shapely.coverage_is_valid(geoms):
        raise ValueError("boundaries: the districts do not form a valid coverage (overlaps or unmatched edges)")
    simple = shapely.coverage_simplify(geoms, tolerance) if tolerance > 0 else geoms
    context = np.array([f["properties"].get("role") == "neighbour" for f in features])
    if context_tolerance and context.any() and not context.all():
        simple = _simplify_context(simple, context, context_tolerance)
    # Snapping to the grid as a whole coverage keeps shared vertices shared and polygons valid.
    snapped = shapely.set_precision(simple, 10 ** -DISPLAY_DECIMALS)
    out = []
    for feat, geom in zip(features, snapped):
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"boundaries: {feat['properties'].get('areacd')} vanished when simplified")
        out.append({"type": "Feature", "properties": dict(feat["properties"]),
                    "geometry": {"type": geom.geom_type, "coordinates": _coordinates(geom)}})
    return {"type": "FeatureCollection", "features": out}


def _simplify_context(geoms: np.ndarray, context: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify the context polygons further, keeping their edges with the others fixed.

    GEOS keeps a coverage's free edges (used by one polygon) when simplify_boundary is off. So the
    context polygons are simplified as a coverage together with "the rest of the world" (a box
    around everything, less every district) and without the detailed districts: an edge between a
    context district and a detailed one is then used by one polygon only, and stays as it is."""
    union = shapely.union_all(geoms)
    x0, y0, x1, y1 = shapely.bounds(union)
    world = shapely.difference(shapely.box(x0 - 1, y0 - 1, x1 + 1, y1 + 1), union)
    coverage = np.concatenate([geoms[context], [world]])
    out = geoms.copy()
    out[context] = shapely.coverage_simplify(coverage, tolerance, simplify_boundary=False)[:-1]
    return out


def shared_outline(features: list[dict]) -> list[list[list[float]]]:
    """The outlines of some polygon features as paths ([[lon, lat], ...]), each edge once: an edge
    two of them share is one path, not two. Empty list for no features."""
    if not features:
        return []
    lines = shapely.line_merge(shapely.union_all(shapely.boundary(_geometries(features))))
    parts = shapely.get_parts(lines)
    return [[[float(x), float(y)] for x, y in p.coords] for p in parts]

