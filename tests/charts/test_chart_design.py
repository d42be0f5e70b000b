"""Charts an officer can paste into a board paper: one tick per published period, labelled as published
(never a year repeated); a colour of its own for every named series, the rest in one grey without a
legend entry; ranked value labels clear of every reference line; the indicator named in each title."""

from __future__ import annotations

import pytest

from lis_data.runtime import queries
from lis_data.config import load_area, load_catalogue
from lis_data.views import charts
from lis_data.views import indicator as iv
from lis_data.views.source import StoreSource

WOKING = "E07000217"
AREA, CAT = load_area(), load_catalogue()


@pytest.fixture(scope="module")
def src(store):
    return StoreSource(store, AREA, CAT)


def _layers(spec):
    for layer in spec.get("layer", []):
        yield layer
        yield from _layers(layer)


def _comparators(store, neighbours: bool) -> tuple[tuple[str, str], ...]:
    out = {AREA.comparators["england"].code: AREA.comparators["england"].name,
           AREA.comparators["region"].code: AREA.comparators["region"].name}
    if neighbours:
        nb = queries.neighbours(store, WOKING, AREA.default_neighbour_kind, AREA.neighbours_how_many)
        out.update({c: f"{n} (neighbour)" for c, n in zip(nb["areacd"], nb["areanm"])})
    return tuple(out.items())


def _x_axis(spec) -> dict:
    for layer in _layers(spec):
        x = layer.get("encoding", {}).get("x", {})
        if x.get("field") == "period_start" and "axis" in x:
            return x["axis"]
    raise AssertionError("no period axis")


@pytest.mark.parametrize("indicator_id", ["level-3-qualifications", "child-poverty", "employment-rate"])
def test_one_tick_per_published_period_labelled_as_published(src, store, indicator_id):
    import json
    import re

    import vl_convert as vlc

    fig = iv.trend_figure(src, indicator_id, ((WOKING, "Woking"),), _comparators(store, False), None, None, False)
    axis = _x_axis(fig.spec)
    published = queries.series(store, indicator_id, [WOKING, AREA.comparators["england"].code])
    published = published[published["value"].notna()]
    expected = list(dict.fromkeys(published.sort_values("period_start")["period_label"]))
    assert len(axis["values"]) == len(expected)
    lookup = json.loads(re.match(r"\((\{.*\})\)", axis["labelExpr"]).group(1))
    assert sorted(lookup.values()) == sorted(expected)
    # Drawn: every tick label is a published label, none twice.
    svg = vlc.vegalite_to_svg(fig.spec | {"width": 900})
    drawn = [t for t in re.findall(r">([^<>]+)</text>", svg) if t in expected]
    assert drawn and len(drawn) == len(set(drawn)), drawn


def _colours(spec):
    for layer in _layers(spec):
        colour = layer.get("encoding", {}).get("color", {})
        if colour.get("field") == "label":
            return colour
    raise AssertionError("no colour encoding")


def test_named_series_have_distinct_colours_and_the_rest_one_grey(src, store):
    comps = _comparators(store, True)
    fig = iv.trend_figure(src, "employment-rate", ((WOKING, "Woking"),), comps, None, None, False)
    colour = _colours(fig.spec)
    by_name = dict(zip(colour["scale"]["domain"], colour["scale"]["range"]))
    named = colour["legend"]["values"]
    assert "Woking" in named and "England" in named and len(named) < len(by_name)
    assert len({by_name[n] for n in named}) == len(named)
    greys = {c for n, c in by_name.items() if n not in named}
    assert greys == {charts.CONTEXT_GREY} and charts.CONTEXT_GREY not in {by_name[n] for n in named}
    # Few series: each its own colour.
    few = iv.trend_figure(src, "employment-rate", ((WOKING, "Woking"), ("E07000209", "Guildford")),
                          _comparators(store, False), None, None, False)
    scale = _colours(few.spec)["scale"]
    assert len(set(scale["range"])) == len(scale["domain"])


@pytest.mark.parametrize("indicator_id", ["gva-per-hour", "employment-rate", "affordability-ratio"])
def test_ranked_labels_clear_of_reference_lines_and_title_names_indicator(src, indicator_id):
    fig = iv.ranked_figure(src, indicator_id, (WOKING,))
    ind = CAT.indicator(indicator_id)
    title = " ".join(fig.spec["title"]["text"])
    assert title.startswith(ind.label.split()[0]) and ind.label in " ".join(title.split())
    values = [r["value"] for r in _inline_rows(fig.spec) if r.get("value") is not None]
    rules = [v for layer in _layers(fig.spec) if _mark(layer) == "rule"
             for v in (r["value"] for r in layer.get("data", {}).get("values", []))]
    texts = [layer for layer in _layers(fig.spec) if _mark(layer) == "text"]
    assert texts
    for t in texts:
        x = t["encoding"]["x"]["datum"]
        assert all(x >= v for v in values + rules)


def test_trend_title_names_the_indicator(src, store):
    for ind in CAT.headlines_for("workforce", 3):
        fig = iv.trend_figure(src, ind.id, ((WOKING, "Woking"),), _comparators(store, False), None, None, False)
        if fig is not None and fig.spec is not None:
            assert " ".join(fig.spec["title"]["text"]).startswith(ind.label.split()[0])
            assert ind.label in " ".join(" ".join(fig.spec["title"]["text"]).split())


def _mark(layer):
    m = layer.get("mark")
    return m.get("type") if isinstance(m, dict) else m


def _inline_rows(spec):
    for name, rows in spec.get("datasets", {}).items():
        yield from rows
