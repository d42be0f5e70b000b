"""The maps' geometry, computed without pydeck or streamlit: bounding boxes, a district's label
point, the Web Mercator view that fits a box, where a label falls and which labels fit without
overlapping, and boundaries on the wire as whole numbers of grid steps. ui/maps.py lays the maps
out with these. A `view` is anything with longitude, latitude and zoom (a pydeck ViewState)."""

from __future__ import annotations

import math
from collections.abc import Iterable

from lis_data.domain import display_geometry


def _rings(geometry: dict) -> Iterable[list]:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        yield from poly


def bbox(features: Iterable[dict]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of some GeoJSON features."""
    xs, ys = [], []
    for f in features:
        for ring in _rings(f["geometry"]):
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


def label_point(geometry: dict) -> list[float]:
    """A point to label a district at: the centroid of its largest polygon's outer ring."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    best, best_area = None, -1.0
    for poly in polys:
        ring = poly[0]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(a) > best_area and a != 0:
            best_area, best = abs(a), [cx / (3 * a), cy / (3 * a)]
    if best is None:
        x0, y0, x1, y1 = bbox([{"geometry": geometry}])
        best = [(x0 + x1) / 2, (y0 + y1) / 2]
    return [round(best[0], 5), round(best[1], 5)]


def fit(box: tuple[float, float, float, float], width: int = 640, height: int = 480,
             padding: float = 0.06) -> dict[str, float]:
    """The Web Mercator view (longitude, latitude, zoom, min_zoom, max_zoom) that shows the whole box
    in a width x height map (deck.gl: 512 px world at zoom 0)."""
    x0, y0, x1, y1 = box
    merc = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    dx = max((x1 - x0) / 360, 1e-6)
    dy = max((merc(y1) - merc(y0)) / (2 * math.pi), 1e-6)
    usable = 1 - 2 * padding
    zoom = math.log2(min(width * usable / (512 * dx), height * usable / (512 * dy)))
    mid_y = math.degrees(2 * math.atan(math.exp((merc(y0) + merc(y1)) / 2)) - math.pi / 2)
    return {"longitude": round((x0 + x1) / 2, 5), "latitude": round(mid_y, 5), "zoom": round(zoom, 2),
            "min_zoom": max(zoom - 2, 0), "max_zoom": zoom + 5}


def to_pixels(lon: float, lat: float, view, width: int, height: int) -> tuple[float, float]:
    """Where (lon, lat) falls in a width x height map showing `view` (Web Mercator, 512 px world at zoom 0)."""
    scale = 512 * 2 ** view.zoom
    merc = lambda la: math.log(math.tan(math.pi / 4 + math.radians(la) / 2))  # noqa: E731
    x = (lon - view.longitude) / 360 * scale + width / 2
    y = -(merc(lat) - merc(view.latitude)) / (2 * math.pi) * scale + height / 2
    return x, y


#: Label metrics at the maps' 12-13 px label sizes (Source Sans Pro): an average character's width and a
#: line's height, with the label's background padding; generous, so boxes that do not meet do not touch.
CHAR_PX, LINE_PX = 6.0, 16.0


def label_box(label: dict, view, width: int, height: int) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1, px) a label takes: a town's name centred above its dot, a gateway's
    beside its ring (label["anchor"] "start" or "end" with its pixel offset)."""
    x, y = to_pixels(*label["position"], view, width, height)
    text = label.get("label") or label["name"]
    w = len(text) * CHAR_PX + 4
    anchor = label.get("anchor")
    if anchor in ("start", "end"):
        dx = label.get("offset", [0, 0])[0]
        x0 = x + dx if anchor == "start" else x + dx - w
        return x0, y - LINE_PX / 2, x0 + w, y + LINE_PX / 2
    return x - w / 2, y - 9 - LINE_PX, x + w / 2, y - 9


def _flipped(label: dict) -> dict:
    """A gateway's label on the other side of its ring."""
    return {**label, "anchor": "start" if label["anchor"] == "end" else "end",
            "offset": [-label["offset"][0], label["offset"][1]]}


def declutter(labels: list[dict], view, width: int, height: int) -> list[dict]:
    """The labels to draw: by priority (label["priority"], higher first; ties in the given order),
    each kept only if its box overlaps no box kept before it. A label beside its symbol (a gateway's,
    label["anchor"] "start" or "end") is tried on the other side before it is left out."""
    kept, boxes = [], []
    for lab in sorted(labels, key=lambda lb: -lb.get("priority", 0)):
        for option in ([lab, _flipped(lab)] if lab.get("anchor") in ("start", "end") else [lab]):
            b = label_box(option, view, width, height)
            if not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in boxes):
                kept.append(option)
                boxes.append(b)
                break
    return kept


#: The display boundaries' grid (display_geometry.DISPLAY_DECIMALS): one step is 10^-4 degree.
GRID_STEP = 10.0 ** -display_geometry.DISPLAY_DECIMALS


def grid_origin(features: list[dict]) -> tuple[float, float]:
    """An origin on the 10^-2 degree grid near the middle of some features (also on the display grid)."""
    x0, y0, x1, y1 = bbox(features)
    return round((x0 + x1) / 2, 2), round((y0 + y1) / 2, 2)


def grid_coordinates(node, origin: tuple[float, float]):
    """Positions ([lon, lat], at any depth of nesting) as whole numbers of GRID_STEP east and north
    of `origin`: "[-1234,567]" instead of "[-0.9354,51.1643]". Exact for coordinates on the grid."""
    if node and isinstance(node[0], (int, float)):
        return [round((node[0] - origin[0]) / GRID_STEP), round((node[1] - origin[1]) / GRID_STEP)]
    return [grid_coordinates(child, origin) for child in node]


def grid_geometry(geometry: dict, origin: tuple[float, float]) -> dict:
    return {"type": geometry["type"], "coordinates": grid_coordinates(geometry["coordinates"], origin)}


def grid_layer_props(origin: tuple[float, float]) -> dict:
    """The layer props that make deck.gl read grid_coordinates: longitude/latitude offsets from the
    origin (deck.gl's high-precision "lnglat-offsets" system), scaled by GRID_STEP."""
    return {"coordinate_system": "'lnglat-offsets'", "coordinate_origin": [origin[0], origin[1], 0],
            "model_matrix": [GRID_STEP, 0, 0, 0, 0, GRID_STEP, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]}
