"""The reference loaders refuse bad files with a message naming file, line and reason."""

import json

import pytest

from lis_data.errors import ConfigError
from lis_data.domain.reference import load_corridors, load_gateways, load_towns

HEADER = "town,lat,lon,district_code,kind\n"
GOOD_TOWNS = HEADER + "Woking,51.3190,-0.5580,E07000217,large town\nGuildford,51.2362,-0.5704,E07000209,large town\n"


@pytest.fixture
def ref(tmp_path):
    """A small valid reference directory."""
    (tmp_path / "towns.csv").write_text(GOOD_TOWNS)
    (tmp_path / "gateways.csv").write_text("gateway,kind,lat,lon\nHeathrow Airport,airport,51.47,-0.4543\n")
    (tmp_path / "corridors.json").write_text(json.dumps([
        {"id": "pd", "name": "Portsmouth Direct", "kind": "rail",
         "stops": ["Woking", "Guildford", {"name": "Portsmouth", "lat": 50.7985, "lon": -1.0907}]},
    ], indent=1))
    return tmp_path


def test_valid_directory_loads(ref):
    assert list(load_towns(ref)["town"]) == ["Woking", "Guildford"]
    assert load_gateways(ref).iloc[0]["kind"] == "airport"
    (c,) = load_corridors(ref)
    assert c["stops"] == ["Woking", "Guildford", "Portsmouth"]
    assert c["path"] == [[-0.558, 51.319], [-0.5704, 51.2362], [-1.0907, 50.7985]]


def test_bad_district_code(ref):
    (ref / "towns.csv").write_text(GOOD_TOWNS + "Reading,51.4588,-0.9719,E06000038,large town\n")
    with pytest.raises(ConfigError) as err:
        load_towns(ref)
    msg = str(err.value)
    assert "towns.csv, line 4" in msg and "E06000038" in msg and "not one of the EM3 districts" in msg


def test_lat_out_of_range(ref):
    (ref / "towns.csv").write_text(HEADER + "Woking,91.3,-0.558,E07000217,town\n")
    with pytest.raises(ConfigError, match=r"towns.csv, line 2: lat 91.3 is out of range"):
        load_towns(ref)


def test_swapped_lat_lon_is_outside_southern_england(ref):
    (ref / "towns.csv").write_text(HEADER + "Woking,-0.558,51.319,E07000217,town\n")
    with pytest.raises(ConfigError, match=r"towns.csv, line 2: .*outside southern England.*swapped"):
        load_towns(ref)


def test_non_numeric_lat(ref):
    (ref / "gateways.csv").write_text("gateway,kind,lat,lon\nHeathrow,airport,north,-0.45\n")
    with pytest.raises(ConfigError, match=r"gateways.csv, line 2: lat/lon must be numbers"):
        load_gateways(ref)


def test_missing_column(ref):
    (ref / "towns.csv").write_text("town,lat,lon,kind\nWoking,51.3,-0.55,town\n")
    with pytest.raises(ConfigError, match=r"towns.csv, line 1: missing column\(s\) district_code"):
        load_towns(ref)


def test_bad_gateway_kind(ref):
    (ref / "gateways.csv").write_text("gateway,kind,lat,lon\nHeathrow,heliport,51.47,-0.45\n")
    with pytest.raises(ConfigError, match=r"gateways.csv, line 2: kind 'heliport'"):
        load_gateways(ref)


def test_duplicate_town(ref):
    (ref / "towns.csv").write_text(GOOD_TOWNS + "Woking,51.3190,-0.5580,E07000217,large town\n")
    with pytest.raises(ConfigError, match=r"line 4: town 'Woking' already listed on line 2"):
        load_towns(ref)


def test_unknown_corridor_stop(ref):
    corridors = [
        {"id": "ok", "name": "OK", "kind": "road", "stops": ["Woking", "Guildford"]},
        {"id": "m3", "name": "M3", "kind": "road", "stops": ["Woking", "Basingstoke"]},
    ]
    text = json.dumps(corridors, indent=1)
    (ref / "corridors.json").write_text(text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if '"id": "m3"' in ln)
    with pytest.raises(ConfigError) as err:
        load_corridors(ref)
    msg = str(err.value)
    assert f"corridors.json, line {line} (corridor 2):" in msg and "'m3'" in msg and "'Basingstoke' is not a town in towns.csv" in msg


def test_bad_corridor_kind_and_waypoint(ref):
    (ref / "corridors.json").write_text(json.dumps([{"id": "x", "name": "X", "kind": "canal", "stops": ["Woking", "Guildford"]}]))
    with pytest.raises(ConfigError, match=r"corridor 'x' kind 'canal'"):
        load_corridors(ref)
    (ref / "corridors.json").write_text(json.dumps([{"id": "x", "name": "X", "kind": "rail",
                                                      "stops": ["Woking", {"name": "Paris", "lat": 48.85, "lon": 2.35}]}]))
    with pytest.raises(ConfigError, match=r"outside southern England"):
        load_corridors(ref)


def test_corridors_not_json(ref):
    (ref / "corridors.json").write_text('[{"id": "x",\n "name": }]')
    with pytest.raises(ConfigError, match=r"corridors.json, line 2: not valid JSON"):
        load_corridors(ref)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"towns.csv: file not found"):
        load_towns(tmp_path)
