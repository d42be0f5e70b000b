"""extract_boundaries / write_geography on a tiny hand-made source directory."""

import dataclasses
import json

import pandas as pd
import pytest

from lis_data.config import load_area
from lis_data.errors import SourceError
from lis_data.domain.geography import (
    extract_boundaries,
    extract_neighbours,
    load_boundaries,
    write_geography,
)


def square(lon, lat, size=0.1):
    """A closed square ring with its south-west corner at (lon, lat)."""
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def feature(code, name, ring):
    return {"type": "Feature", "properties": {"areacd": code, "areanm": name, "extra": 1},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


@pytest.fixture
def area():
    """A two-district area built from the real config."""
    real = load_area()
    return dataclasses.replace(real, districts=real.districts[:2])


@pytest.fixture
def source(tmp_path, area):
    """ons-geography/ with the two districts, a touching one, a near one, a far one."""
    a, b = area.district_codes
    geo = tmp_path / "ons-geography"
    geo.mkdir()
    feats = [
        feature(a, "Alpha", [[-1.0, 51.0], [-0.9, 51.0], [-0.9, 51.1], [-1.0, 51.1], [-1.0, 51.0]]),
        feature(b, "Beta", square(-0.9, 51.0)),
        feature("E07999001", "Touching", square(-0.8, 51.0)),          # shares Beta's east edge
        feature("E07999002", "Near", square(-1.13, 51.0)),              # ~2 km west of Alpha
        feature("E07999003", "Far", square(0.5, 52.0)),                 # ~100 km away
    ]
    feats[0]["geometry"]["coordinates"][0][1] = [-0.9000004, 51.0]    # rounds to 5 places
    (geo / "ltla.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": feats[::-1]}))
    header = "AREACD," + ",".join(str(i) for i in range(1, 21)) + "\n"
    for kind in ("economic", "demographic", "global"):
        rows = [f"{code}," + ",".join(f"E0{kind[0].upper()}{i:06d}" for i in range(1, 21)) + "\n"
                for code in (a, b, "E07999003")]
        (geo / f"{kind}-neighbours.csv").write_text("\ufeff" + header + "".join(rows), encoding="utf-8")
    return tmp_path


def test_roles_and_properties(source, area):
    fc = extract_boundaries(source, area)
    roles = {f["properties"]["areacd"]: f["properties"]["role"] for f in fc["features"]}
    a, b = area.district_codes
    assert roles == {a: "em3", b: "em3", "E07999001": "neighbour", "E07999002": "neighbour"}
    assert all(set(f["properties"]) == {"areacd", "areanm", "role"} for f in fc["features"])
    assert [f["properties"]["role"] for f in fc["features"]] == ["em3", "em3", "neighbour", "neighbour"]


def test_coordinates_are_rounded(source, area):
    fc = extract_boundaries(source, area)
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    assert [-0.9, 51.0] in ring
    assert all(round(x, 5) == x for pt in ring for x in pt)


def test_missing_file_names_it(tmp_path, area):
    with pytest.raises(SourceError) as err:
        extract_boundaries(tmp_path, area)
    assert "ltla.geojson" in str(err.value) and "not found" in str(err.value)


def test_missing_area_district_names_file_and_code(source, area):
    path = source / "ons-geography" / "ltla.geojson"
    data = json.loads(path.read_text())
    b = area.district_codes[1]
    data["features"] = [f for f in data["features"] if f["properties"]["areacd"] != b]
    path.write_text(json.dumps(data))
    with pytest.raises(SourceError) as err:
        extract_boundaries(source, area)
    assert "ltla.geojson" in str(err.value) and b in str(err.value)


def test_not_a_feature_collection(source, area):
    (source / "ons-geography" / "ltla.geojson").write_text("[1, 2]")
    with pytest.raises(SourceError, match="ltla.geojson.*FeatureCollection"):
        extract_boundaries(source, area)


def test_retired_districts_are_not_neighbours(source, area):
    a, b = area.district_codes
    areas = {"areacd": [a, b, "E07999001", "E07999002"], "areanm": ["A", "B", "T", "N"], "end": {"3": 2020}}
    (source / "ons-geography" / "areas-list.json").write_text(json.dumps(areas))
    codes = {f["properties"]["areacd"] for f in extract_boundaries(source, area)["features"]}
    assert codes == {a, b, "E07999001"}


def test_extract_neighbours_keeps_area_only(source, area):
    rows = extract_neighbours(source, area)
    assert len(rows) == 2 * 3 * 20
    assert {r["areacd"] for r in rows} == set(area.district_codes)
    assert rows[0] == {"areacd": area.district_codes[0], "kind": "economic", "rank": 1, "neighbour": "E0E000001"}


def test_extract_neighbours_missing_file(source, area):
    (source / "ons-geography" / "global-neighbours.csv").unlink()
    with pytest.raises(SourceError, match="global-neighbours.csv.*not found"):
        extract_neighbours(source, area)


def test_write_is_deterministic_and_loads_back(source, area, tmp_path):
    out1, out2 = tmp_path / "one", tmp_path / "two"
    write_geography(source, area, out1)
    write_geography(source, area, out2)
    for name in ("boundaries.geojson", "neighbours.csv"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes()
    assert load_boundaries(out1) == extract_boundaries(source, area)
    df = pd.read_csv(out1 / "neighbours.csv", dtype={"rank": int})
    assert list(df.columns) == ["areacd", "kind", "rank", "neighbour"]
    assert len(df) == 120 and df["rank"].dtype.kind == "i"
