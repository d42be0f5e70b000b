"""The towns map's labels: placed by priority, none overlapping another at the map's design size (the
page scales the whole map, so they overlap at no width)."""

from __future__ import annotations

import json

import pydeck as pdk

from lis_data.views import map_geometry

from ui import maps


VIEW = pdk.ViewState(longitude=0.0, latitude=51.0, zoom=8)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_higher_priority_label_is_kept_where_two_would_overlap():
    small = {"name": "Smalltown", "position": [0.0, 51.0], "priority": 1}
    big = {"name": "Bigtown", "position": [0.001, 51.0], "priority": 50}
    apart = {"name": "Faraway", "position": [0.5, 51.0], "priority": 1}
    kept = map_geometry.declutter([small, big, apart], VIEW, 500, 400)
    assert [k["name"] for k in kept] == ["Bigtown", "Faraway"]


def test_a_gateway_label_moves_to_the_other_side_before_it_is_dropped():
    town = {"name": "Town", "position": [0.0, 51.0], "priority": 50}
    gate = {"name": "Port", "label": "Port (seaport)", "position": [0.02, 51.03], "priority": 40,
            "anchor": "end", "offset": [-13, 0]}  # its label would run left over the town's
    kept = map_geometry.declutter([gate, town], VIEW, 500, 400)
    assert [k["name"] for k in kept] == ["Town", "Port"]
    assert kept[1]["anchor"] == "start" and kept[1]["offset"] == [13, 0]


def test_no_two_labels_of_the_towns_map_overlap():
    from ui import data

    deck = maps.towns_deck(data.display_boundaries(), data.towns(), data.gateways(), data.nearest_gateways(2),
                           data.corridors(), (), width=530, height=540)
    spec = json.loads(deck.to_json())
    view = pdk.ViewState(**{k: spec["initialViewState"][k] for k in ("longitude", "latitude", "zoom")})
    labels = [lab for layer in spec["layers"] if layer["id"] in ("town-labels", "gateway-labels")
              for lab in layer["data"]]
    boxes = [map_geometry.label_box(lab, view, 530, 540) for lab in labels]
    assert len(labels) >= 8
    assert not [(labels[i]["name"], labels[j]["name"]) for i in range(len(boxes)) for j in range(i)
                if _overlap(boxes[i], boxes[j])]
