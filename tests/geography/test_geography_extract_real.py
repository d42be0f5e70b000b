"""The committed extract in data/extract/, and the real upstream files when present."""

from collections import Counter

import pandas as pd

import pytest

from lis_data.config import load_area
from lis_data.domain.geography import extract_neighbours, load_boundaries
from lis_data.paths import PROJECT_ROOT, default_source_dir

AREA = load_area()
EXTRACT = PROJECT_ROOT / "data" / "extract"


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries(EXTRACT)


def test_every_area_district_present_once(boundaries):
    counts = Counter(f["properties"]["areacd"] for f in boundaries["features"])
    em3 = [f["properties"]["areacd"] for f in boundaries["features"] if f["properties"]["role"] == "em3"]
    assert sorted(em3) == sorted(AREA.district_codes)
    assert all(counts[c] == 1 for c in AREA.district_codes)
    assert all(n == 1 for n in counts.values())


def test_neighbours_are_labelled_neighbour_and_not_area(boundaries):
    roles = {f["properties"]["role"] for f in boundaries["features"]}
    assert roles == {"em3", "neighbour"}
    nbrs = {f["properties"]["areacd"] for f in boundaries["features"] if f["properties"]["role"] == "neighbour"}
    assert nbrs and not nbrs & set(AREA.district_codes)
    # Places that certainly touch the area; and a retired district that must not appear.
    assert {"E06000045", "E06000044", "E09000017", "E07000211"} <= nbrs  # Southampton, Portsmouth, Hillingdon, Reigate
    assert "E07000006" not in nbrs  # South Bucks, merged into Buckinghamshire in 2020


def test_extract_is_compact():
    assert (EXTRACT / "boundaries.geojson").stat().st_size < 600_000


def test_committed_neighbours_shape():
    df = pd.read_csv(EXTRACT / "neighbours.csv", dtype={"rank": int})
    assert set(df["areacd"]) == set(AREA.district_codes)
    assert len(df) == 14 * 3 * 20


SOURCE = default_source_dir()


@pytest.mark.skipif(not (SOURCE / "ons-geography").is_dir(), reason=f"upstream files not present at {SOURCE}")
def test_extract_neighbours_from_shared_files():
    rows = extract_neighbours(SOURCE, AREA)
    assert len(rows) == 14 * 3 * 20
    per = Counter((r["areacd"], r["kind"]) for r in rows)
    assert set(per) == {(c, k) for c in AREA.district_codes for k in ("economic", "demographic", "global")}
    assert set(per.values()) == {20}
    assert all(r["neighbour"] != r["areacd"] for r in rows)
    assert sorted({r["rank"] for r in rows}) == list(range(1, 21))
