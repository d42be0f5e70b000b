"""The committed reference files load, and every town lies inside its district."""

import pytest

from lis_data.config import load_area
from lis_data.domain.geography import load_boundaries, point_in_polygon
from lis_data.paths import PROJECT_ROOT
from lis_data.domain.reference import load_corridors, load_gateways, load_towns, nearest_gateways

AREA = load_area()
TOWNS = load_towns()
GEOMETRY = {
    f["properties"]["areacd"]: f["geometry"]
    for f in load_boundaries(PROJECT_ROOT / "data" / "extract")["features"]
}


@pytest.mark.parametrize("town", list(TOWNS.itertuples()), ids=lambda t: t.town)
def test_town_inside_its_district(town):
    assert point_in_polygon(town.lon, town.lat, GEOMETRY[town.district_code]), (
        f"{town.town} ({town.lat}, {town.lon}) is not inside {AREA.name_of(town.district_code)}"
    )


def test_towns_network_covers_every_district():
    assert len(TOWNS) >= 30
    assert set(TOWNS["district_code"]) == set(AREA.district_codes)


@pytest.mark.parametrize(
    "town, district",
    [
        ("Farnham", "Waverley"), ("Aldershot", "Rushmoor"), ("Farnborough", "Rushmoor"),
        ("Fleet", "Hart"), ("Yateley", "Hart"), ("Hook", "Hart"),
        ("Camberley", "Surrey Heath"), ("Frimley", "Surrey Heath"), ("Bagshot", "Surrey Heath"),
        ("Staines-upon-Thames", "Spelthorne"), ("Ashford", "Spelthorne"), ("Sunbury-on-Thames", "Spelthorne"),
        ("Egham", "Runnymede"), ("Chertsey", "Runnymede"), ("Addlestone", "Runnymede"),
        ("Walton-on-Thames", "Elmbridge"), ("Weybridge", "Elmbridge"), ("Esher", "Elmbridge"),
        ("Cobham", "Elmbridge"), ("Leatherhead", "Mole Valley"), ("Dorking", "Mole Valley"),
        ("Alton", "East Hampshire"), ("Petersfield", "East Hampshire"), ("Liphook", "East Hampshire"),
        ("Whitehill & Bordon", "East Hampshire"), ("Andover", "Test Valley"), ("Romsey", "Test Valley"),
        ("Stockbridge", "Test Valley"), ("Tadley", "Basingstoke and Deane"), ("Woking", "Woking"),
        ("Guildford", "Guildford"), ("Winchester", "Winchester"),
    ],
)
def test_known_town_districts(town, district):
    row = TOWNS.set_index("town").loc[town]
    assert AREA.name_of(row["district_code"]) == district


def test_gateways_and_corridors_load():
    gateways = load_gateways()
    assert set(gateways["kind"]) == {"airport", "seaport"}
    assert {"Heathrow Airport", "Gatwick Airport", "Port of Southampton"} <= set(gateways["gateway"])
    corridors = load_corridors()
    kinds = {c["kind"] for c in corridors}
    assert kinds == {"rail", "road"}
    for c in corridors:
        assert len(c["path"]) == len(c["stops"]) >= 2
        assert all(-6.5 < lon < 2 and 49.8 < lat < 52.6 for lon, lat in c["path"])


def test_corridor_stop_order():
    by_id = {c["id"]: c["stops"] for c in load_corridors()}
    swml = by_id["swml"]
    assert [s for s in swml if s in ("Woking", "Farnborough", "Fleet", "Hook", "Basingstoke", "Winchester")] == [
        "Woking", "Farnborough", "Fleet", "Hook", "Basingstoke", "Winchester"]
    assert by_id["portsmouth-direct"][:6] == ["Woking", "Guildford", "Godalming", "Haslemere", "Liphook", "Petersfield"]


def test_nearest_gateways():
    near = nearest_gateways(TOWNS, load_gateways(), n=2)
    assert list(near.columns) == ["town", "gateway", "kind", "distance_km"]
    assert len(near) == 2 * len(TOWNS)
    staines = near[near["town"] == "Staines-upon-Thames"]
    assert staines.iloc[0]["gateway"] == "Heathrow Airport"
    assert staines.iloc[0]["distance_km"] < 6
    assert (staines["distance_km"].diff().dropna() >= 0).all()
