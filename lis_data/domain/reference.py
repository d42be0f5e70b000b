"""Reference facts the project writes down itself: towns, gateways, corridors.

Files live in ``data/reference/`` (see ``SOURCES.md`` there):

* ``towns.csv`` -- ``town,lat,lon,district_code,kind``: approximate town
  centres of the area's towns network, each in one of the area's districts.
* ``gateways.csv`` -- ``gateway,kind,lat,lon``: international airports and
  seaports serving the area (``kind`` is ``airport`` or ``seaport``).
* ``corridors.json`` -- a list of ``{"id","name","kind","stops"}``: schematic
  rail and road corridors as straight lines through their stops; a stop is a
  town name from ``towns.csv`` or a ``{"name","lat","lon"}`` waypoint.

Every loader validates what it reads and raises ConfigError naming the file,
the line and the reason.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from lis_data.config import AreaConfig, load_area
from lis_data.errors import ConfigError
from lis_data.domain.geography import haversine_km
from lis_data.paths import reference_dir

TOWNS_FILE = "towns.csv"
GATEWAYS_FILE = "gateways.csv"
CORRIDORS_FILE = "corridors.json"

TOWN_COLUMNS = ("town", "lat", "lon", "district_code", "kind")
TOWN_KINDS = ("city", "large town", "town", "village")
GATEWAY_COLUMNS = ("gateway", "kind", "lat", "lon")
GATEWAY_KINDS = ("airport", "seaport")
CORRIDOR_KINDS = ("rail", "road")

#: (min_lat, max_lat, min_lon, max_lon) -- southern England, generously.
SOUTHERN_ENGLAND_BBOX = (49.8, 52.6, -6.5, 2.0)


def _dir(directory: Path | None) -> Path:
    return Path(directory) if directory is not None else reference_dir()


def _check_lat_lon(where: str, lat_raw, lon_raw) -> tuple[float, float]:
    """Parse and check a coordinate pair; ConfigError prefixed by ``where`` if wrong."""
    try:
        lat, lon = float(lat_raw), float(lon_raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: lat/lon must be numbers, got {lat_raw!r}, {lon_raw!r}") from None
    if not -90 <= lat <= 90:
        raise ConfigError(f"{where}: lat {lat} is out of range (-90..90)")
    if not -180 <= lon <= 180:
        raise ConfigError(f"{where}: lon {lon} is out of range (-180..180)")
    lat_lo, lat_hi, lon_lo, lon_hi = SOUTHERN_ENGLAND_BBOX
    inside = lambda la, lo: lat_lo <= la <= lat_hi and lon_lo <= lo <= lon_hi  # noqa: E731
    if not inside(lat, lon):
        hint = "; are lat and lon swapped?" if inside(lon, lat) else ""
        raise ConfigError(
            f"{where}: ({lat}, {lon}) is outside southern England "
            f"(lat {lat_lo}..{lat_hi}, lon {lon_lo}..{lon_hi}){hint}"
        )
    return lat, lon


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """Rows of a CSV as (line number, dict), after checking the header."""
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    with fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        absent = [c for c in columns if c not in header]
        if absent:
            raise ConfigError(f"{path}, line 1: missing column(s) {', '.join(absent)}")
        rows = []
        for rec in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in rec.values() if isinstance(v, str)):
                continue  # blank line
            rows.append((line, {c: (rec.get(c) or "").strip() for c in columns}))
    if not rows:
        raise ConfigError(f"{path}: no rows")
    return rows


def load_towns(directory: Path | None = None, area: AreaConfig | None = None) -> pd.DataFrame:
    """``towns.csv`` as a DataFrame (town, lat, lon, district_code, kind), validated.

    Checks: required columns, unique non-empty town names, numeric lat/lon
    inside southern England, district_code one of the area's districts, kind
    one of :data:`TOWN_KINDS`.
    """
    path = _dir(directory) / TOWNS_FILE
    area = area or load_area()
    codes = set(area.district_codes)
    out, seen = [], {}
    for line, r in _read_csv(path, TOWN_COLUMNS):
        if not r["town"]:
            raise ConfigError(f"{path}, line {line}: empty town name")
        if r["town"] in seen:
            raise ConfigError(f"{path}, line {line}: town {r['town']!r} already listed on line {seen[r['town']]}")
        seen[r["town"]] = line
        lat, lon = _check_lat_lon(f"{path}, line {line}", r["lat"], r["lon"])
        if r["district_code"] not in codes:
            raise ConfigError(
                f"{path}, line {line}: district_code {r['district_code']!r} for {r['town']} "
                f"is not one of the {area.short_name} districts"
            )
        if r["kind"] not in TOWN_KINDS:
            raise ConfigError(f"{path}, line {line}: kind {r['kind']!r} is not one of {', '.join(TOWN_KINDS)}")
        out.append({**r, "lat": lat, "lon": lon})
    return pd.DataFrame(out, columns=list(TOWN_COLUMNS))


def load_gateways(directory: Path | None = None) -> pd.DataFrame:
    """``gateways.csv`` as a DataFrame (gateway, kind, lat, lon), validated."""
    path = _dir(directory) / GATEWAYS_FILE
    out, seen = [], set()
    for line, r in _read_csv(path, GATEWAY_COLUMNS):
        if not r["gateway"]:
            raise ConfigError(f"{path}, line {line}: empty gateway name")
        if r["gateway"] in seen:
            raise ConfigError(f"{path}, line {line}: gateway {r['gateway']!r} listed twice")
        seen.add(r["gateway"])
        if r["kind"] not in GATEWAY_KINDS:
            raise ConfigError(f"{path}, line {line}: kind {r['kind']!r} is not one of {', '.join(GATEWAY_KINDS)}")
        lat, lon = _check_lat_lon(f"{path}, line {line}", r["lat"], r["lon"])
        out.append({**r, "lat": lat, "lon": lon})
    return pd.DataFrame(out, columns=list(GATEWAY_COLUMNS))


def _corridor_lines(text: str, count: int) -> list[int | None]:
    """Line number of each corridor's ``"id"`` key, for messages.

    Trusted only when there is exactly one ``"id"`` key per corridor;
    otherwise every corridor is reported by its position alone.
    """
    lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r'"id"\s*:', text)]
    return lines if len(lines) == count else [None] * count


def load_corridors(directory: Path | None = None, towns: pd.DataFrame | None = None) -> list[dict]:
    """``corridors.json`` with every stop resolved to coordinates.

    Returns a list of ``{"id","name","kind","stops","path"}`` where ``stops``
    is the list of stop names and ``path`` the list of ``[lon, lat]`` pairs in
    order (ready for a pydeck PathLayer). Town stops are looked up in
    ``towns.csv`` from the same directory unless ``towns`` is given.
    """
    base = _dir(directory)
    path = base / CORRIDORS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}, line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(raw, list):
        raise ConfigError(f"{path}, line 1: expected a list of corridors")

    if towns is None:
        towns = load_towns(base)
    town_xy = {t.town: (t.lon, t.lat) for t in towns.itertuples()}
    lines = _corridor_lines(text, len(raw))

    out, ids = [], set()
    for i, c in enumerate(raw):
        line = lines[i]
        where = f"{path}, line {line} (corridor {i + 1})" if line else f"{path}, corridor {i + 1}"
        if not isinstance(c, dict):
            raise ConfigError(f"{where}: corridor must be an object")
        missing = [k for k in ("id", "name", "kind", "stops") if k not in c]
        if missing:
            raise ConfigError(f"{where}: corridor is missing {', '.join(missing)}")
        cid = c["id"]
        if cid in ids:
            raise ConfigError(f"{where}: corridor id {cid!r} used twice")
        ids.add(cid)
        if c["kind"] not in CORRIDOR_KINDS:
            raise ConfigError(f"{where}: corridor {cid!r} kind {c['kind']!r} is not one of {', '.join(CORRIDOR_KINDS)}")
        stops = c["stops"]
        if not isinstance(stops, list) or len(stops) < 2:
            raise ConfigError(f"{where}: corridor {cid!r} needs at least two stops")
        names, coords = [], []
        for stop in stops:
            if isinstance(stop, str):
                if stop not in town_xy:
                    raise ConfigError(
                        f"{where}: corridor {cid!r} stop {stop!r} is not a town in {TOWNS_FILE} "
                        f"(use a {{\"name\",\"lat\",\"lon\"}} waypoint for places outside the area)"
                    )
                lon, lat = town_xy[stop]
                names.append(stop)
            elif isinstance(stop, dict) and {"name", "lat", "lon"} <= set(stop):
                lat, lon = _check_lat_lon(f"{where}: corridor {cid!r} waypoint {stop['name']!r}", stop["lat"], stop["lon"])
                names.append(str(stop["name"]))
            else:
                raise ConfigError(f"{where}: corridor {cid!r} stop {stop!r} is neither a town name nor a waypoint")
            coords.append([float(lon), float(lat)])
        out.append({"id": cid, "name": c["name"], "kind": c["kind"], "stops": names, "path": coords})
    return out


def nearest_gateways(towns_df: pd.DataFrame, gateways_df: pd.DataFrame, n: int = 2) -> pd.DataFrame:
    """The ``n`` nearest gateways to each town by straight-line (haversine) distance.

    Returns columns town, gateway, kind, distance_km (rounded to 0.1 km),
    sorted by town order then distance.
    """
    rows = []
    for t in towns_df.itertuples():
        dists = sorted(
            (haversine_km(t.lon, t.lat, g.lon, g.lat), g.gateway, g.kind) for g in gateways_df.itertuples()
        )
        for d, name, kind in dists[:n]:
            rows.append({"town": t.town, "gateway": name, "kind": kind, "distance_km": round(d, 1)})
    return pd.DataFrame(rows, columns=["town", "gateway", "kind", "distance_km"])
