"""District boundaries and ONS "similar areas" for the map, read from upstream and
written as the project's own compact extract.

Upstream (read-only, ``<source_dir>/ons-geography/``):

* ``ltla.geojson`` -- every local authority district, WGS84 lon/lat, properties
  ``areacd``/``areanm``.
* ``areas-list.json`` (optional) -- codes and the years they existed; used to
  leave out districts that no longer exist (``ltla.geojson`` also carries
  pre-2020/2023 districts such as South Bucks, which overlap their successors).
* ``economic-neighbours.csv``, ``demographic-neighbours.csv``,
  ``global-neighbours.csv`` -- for each district its 20 nearest statistical
  neighbours (columns ``AREACD,1..20``, UTF-8 with a byte-order mark).

Extract (committed, ``<extract_dir>/``):

* ``boundaries.geojson`` -- the area's districts (``role="em3"``) and the
  districts that touch them or lie within :data:`NEIGHBOUR_KM` of them
  (``role="neighbour"``), coordinates rounded to 5 decimal places.
* ``neighbours.csv`` -- ``areacd,kind,rank,neighbour`` for the area's districts.

Also two small pure-Python helpers used by the map and the tests:
:func:`point_in_polygon` and :func:`haversine_km`.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Iterator


from lis_data.config import AreaConfig
from lis_data.errors import SourceError, StoreError
from lis_data.paths import extract_dir as default_extract_dir

#: A district within this distance (km) of an area district counts as a neighbour.
NEIGHBOUR_KM = 3.0
#: Decimal places kept for coordinates (5 places is about 1 m).
COORD_DECIMALS = 5
#: Statistical-neighbour kinds published by ONS, in file-name order.
NEIGHBOUR_KINDS = ("economic", "demographic", "global")
#: How many statistical neighbours each row of the upstream files lists.
NEIGHBOUR_RANKS = 20

BOUNDARIES_FILE = "boundaries.geojson"
NEIGHBOURS_FILE = "neighbours.csv"
NEIGHBOURS_COLUMNS = ("areacd", "kind", "rank", "neighbour")

EARTH_RADIUS_KM = 6371.0088


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------

def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two WGS84 points (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _polygons(geometry: dict) -> list:
    """The polygons of a Polygon or MultiPolygon as a list of ring lists."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {kind!r}")


def _in_ring(x: float, y: float, ring: list) -> bool:
    """Ray casting (even-odd rule) for one closed or open ring of [x, y] points."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y):
            x_cross = xi + (y - yi) * (xj - xi) / (yj - yi)
            if x < x_cross:
                inside = not inside
        j = i
    return inside


def point_in_polygon(lon: float, lat: float, geometry: dict) -> bool:
    """True if (lon, lat) lies inside a GeoJSON Polygon or MultiPolygon.

    The first ring of each polygon is its exterior, the others are holes; a
    point inside a hole is outside. Points exactly on an edge may go either way.
    """
    for rings in _polygons(geometry):
        if not rings or not _in_ring(lon, lat, rings[0]):
            continue
        if not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False


def _points(geometry: dict) -> Iterator[tuple[float, float]]:
    for rings in _polygons(geometry):
        for ring in rings:
            for pt in ring:
                yield pt[0], pt[1]


def _segments(geometry: dict) -> Iterator[tuple[float, float, float, float]]:
    for rings in _polygons(geometry):
        for ring in rings:
            for a, b in zip(ring, ring[1:]):
                yield a[0], a[1], b[0], b[1]


def _bbox(geometry: dict) -> tuple[float, float, float, float]:
    xs, ys = zip(*_points(geometry))
    return min(xs), min(ys), max(xs), max(ys)


def _km_scale(lat: float) -> tuple[float, float]:
    """km per degree of longitude and latitude near ``lat`` (equirectangular)."""
    ky = math.pi * EARTH_RADIUS_KM / 180
    return ky * math.cos(math.radians(lat)), ky


def _point_segment_km(px, py, ax, ay, bx, by, kx, ky) -> float:
    px, py, ax, ay, bx, by = px * kx, py * ky, ax * kx, ay * ky, bx * kx, by * ky
    dx, dy = bx - ax, by - ay
    seg2 = dx * dx + dy * dy
    t = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _boundary_gap_km(g1: dict, g2: dict, limit_km: float) -> float:
    """Approximate smallest distance in km between two boundaries' outlines.

    Vertex-to-segment in both directions, which is exact for polylines. Stops
    early once the gap is within ``limit_km``.
    """
    b1 = _bbox(g1)
    kx, ky = _km_scale((b1[1] + b1[3]) / 2)
    best = math.inf
    for src, dst in ((g1, g2), (g2, g1)):
        segs = list(_segments(dst))
        for px, py in _points(src):
            for seg in segs:
                d = _point_segment_km(px, py, *seg, kx, ky)
                if d < best:
                    best = d
                    if best <= limit_km:
                        return best
    return best


def _bboxes_near(b1, b2, km: float) -> bool:
    kx, ky = _km_scale((b1[1] + b1[3]) / 2)
    mx, my = km / kx, km / ky
    return not (b1[2] + mx < b2[0] or b2[2] + mx < b1[0] or b1[3] + my < b2[1] or b2[3] + my < b1[1])


def _round_coords(value, places: int = COORD_DECIMALS):
    """Round every number in nested coordinate lists; drop repeated points."""
    if value and isinstance(value[0], (int, float)):
        return [round(float(v), places) for v in value]
    out = [_round_coords(v, places) for v in value]
    if out and isinstance(out[0], list) and out[0] and isinstance(out[0][0], float):
        # a ring: remove consecutive duplicates created by rounding
        ring = [out[0]]
        for pt in out[1:]:
            if pt != ring[-1]:
                ring.append(pt)
        out = ring
    return out


# --------------------------------------------------------------------------
# Extract from upstream
# --------------------------------------------------------------------------

def _read_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8-sig") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise SourceError(path, None, "file not found") from None
    except json.JSONDecodeError as exc:
        raise SourceError(path, exc.lineno, f"not valid JSON: {exc.msg}") from None


def _current_codes(source_dir: Path) -> set[str] | None:
    """Codes that still exist according to ``areas-list.json``, or None if absent.

    The file is columnar: ``areacd`` and ``areanm`` lists, and ``end`` a map
    from list index (as a string) to the last year a version existed. A code
    counts as current if at least one of its versions has no end year.
    """
    path = Path(source_dir) / "ons-geography" / "areas-list.json"
    if not path.exists():
        return None
    data = _read_json(path)
    try:
        codes, ends = data["areacd"], data.get("end") or {}
    except (KeyError, TypeError):
        raise SourceError(path, None, "expected an object with an 'areacd' list") from None
    return {c for i, c in enumerate(codes) if str(i) not in ends}


def extract_boundaries(source_dir: Path, area: AreaConfig, neighbour_km: float = NEIGHBOUR_KM) -> dict:
    """The area's districts and their geographic neighbours as a FeatureCollection.

    Reads ``source_dir/ons-geography/ltla.geojson``. Each feature keeps only
    ``areacd``, ``areanm`` and ``role`` (``"em3"`` for the area's districts,
    ``"neighbour"`` for districts that share a boundary with one of them or
    lie within ``neighbour_km`` km). Features are sorted by role then code.
    When ``areas-list.json`` is beside it, districts that no longer exist are
    not offered as neighbours.

    Raises SourceError (naming the file) if the file is missing or malformed,
    or if one of the area's districts is absent from it.
    """
    path = Path(source_dir) / "ons-geography" / "ltla.geojson"
    data = _read_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise SourceError(path, None, "not a GeoJSON FeatureCollection (no 'features' list)")

    by_code: dict[str, dict] = {}
    for i, feat in enumerate(features):
        props = (feat or {}).get("properties") or {}
        code, geom = props.get("areacd"), (feat or {}).get("geometry")
        if not code or not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise SourceError(path, None, f"feature {i} has no areacd or no Polygon/MultiPolygon geometry")
        by_code[code] = feat

    em3 = list(area.district_codes)
    missing = [c for c in em3 if c not in by_code]
    if missing:
        raise SourceError(path, None, f"area district(s) {', '.join(missing)} not found")

    em3_set = set(em3)
    current = _current_codes(source_dir)
    em3_boxes = {c: _bbox(by_code[c]["geometry"]) for c in em3}
    neighbours: set[str] = set()
    for code, feat in by_code.items():
        if code in em3_set or (current is not None and code not in current):
            continue
        box = _bbox(feat["geometry"])
        for c in em3:
            if not _bboxes_near(em3_boxes[c], box, neighbour_km):
                continue
            if _boundary_gap_km(by_code[c]["geometry"], feat["geometry"], neighbour_km) <= neighbour_km:
                neighbours.add(code)
                break

    def make(code: str, role: str) -> dict:
        feat = by_code[code]
        geom = feat["geometry"]
        return {
            "type": "Feature",
            "properties": {"areacd": code, "areanm": feat["properties"].get("areanm", code), "role": role},
            "geometry": {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])},
        }

    out = [make(c, "em3") for c in sorted(em3)] + [make(c, "neighbour") for c in sorted(neighbours)]
    return {"type": "FeatureCollection", "features": out}


def extract_neighbours(source_dir: Path, area: AreaConfig) -> list[dict]:
    """ONS statistical neighbours of the area's districts.

    Reads ``source_dir/ons-geography/{economic,demographic,global}-neighbours.csv``
    and returns rows ``{areacd, kind, rank, neighbour}`` (rank 1..20) for the
    area's districts only, sorted by district, kind order, rank.

    Raises SourceError if a file is missing, lacks the expected columns, or
    has no row for one of the area's districts.
    """
    wanted = set(area.district_codes)
    rows: list[dict] = []
    for kind in NEIGHBOUR_KINDS:
        path = Path(source_dir) / "ons-geography" / f"{kind}-neighbours.csv"
        try:
            fh = path.open(encoding="utf-8-sig", newline="")
        except FileNotFoundError:
            raise SourceError(path, None, "file not found") from None
        with fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            needed = ["AREACD", *(str(r) for r in range(1, NEIGHBOUR_RANKS + 1))]
            absent = [c for c in needed if c not in header]
            if absent:
                raise SourceError(path, 1, f"missing column(s) {', '.join(absent)}")
            seen = set()
            for line_no, rec in enumerate(reader, start=2):
                code = (rec.get("AREACD") or "").strip()
                if code not in wanted:
                    continue
                seen.add(code)
                for rank in range(1, NEIGHBOUR_RANKS + 1):
                    nb = (rec.get(str(rank)) or "").strip()
                    if not nb:
                        raise SourceError(path, line_no, f"{code} has no neighbour at rank {rank}")
                    rows.append({"areacd": code, "kind": kind, "rank": rank, "neighbour": nb})
        lost = sorted(wanted - seen)
        if lost:
            raise SourceError(path, None, f"no row for area district(s) {', '.join(lost)}")
    order = {k: i for i, k in enumerate(NEIGHBOUR_KINDS)}
    rows.sort(key=lambda r: (r["areacd"], order[r["kind"]], r["rank"]))
    return rows


def write_geography(source_dir: Path, area: AreaConfig, out_dir: Path) -> dict[str, Path]:
    """Write ``boundaries.geojson`` and ``neighbours.csv`` into ``out_dir``.

    Output is compact and deterministic, so rebuilding from the same source
    is byte-identical. Returns the paths written, keyed by file name.
    """
    out_dir = Path(out_dir)
    boundaries = extract_boundaries(source_dir, area)
    neighbours = extract_neighbours(source_dir, area)
    out_dir.mkdir(parents=True, exist_ok=True)

    b_path = out_dir / BOUNDARIES_FILE
    text = json.dumps(boundaries, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    b_path.write_text(text + "\n", encoding="utf-8")

    n_path = out_dir / NEIGHBOURS_FILE
    with n_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=NEIGHBOURS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(neighbours)
    return {BOUNDARIES_FILE: b_path, NEIGHBOURS_FILE: n_path}


# --------------------------------------------------------------------------
# Read the extract
# --------------------------------------------------------------------------

def load_boundaries(extract_dir: Path | None = None) -> dict:
    """The committed ``boundaries.geojson`` as a dict (a FeatureCollection).

    Raises StoreError if the file is missing or not valid JSON.
    """
    path = Path(extract_dir or default_extract_dir()) / BOUNDARIES_FILE
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise StoreError(f"{path}: file not found (run the build to write the extract)") from None
    except json.JSONDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON: {exc}") from None

