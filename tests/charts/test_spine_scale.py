"""Spines that survive outliers: the benchmark at the centre, the quartiles and the worst and best
district marked, each stretch scaled on its own. A synthetic district ten times the next does not move
the EM3 districts to one end of the spine."""

from __future__ import annotations

import dataclasses
import statistics

import pytest

from lis_data.config import load_area, load_catalogue
from lis_data.domain.profile import Spine, district_profile
from lis_data.views.spines import spine_chart, spine_scale

WOKING = "E07000217"
AREA, CAT = load_area(), load_catalogue()


def _english_values(store, indicator_id, period):
    return [r[0] for r in store.rows(
        "SELECT o.value FROM observations o JOIN areas a ON a.areacd = o.areacd AND a.english_district "
        "WHERE o.indicator_id = ? AND o.period = ? AND o.value IS NOT NULL AND NOT isnan(o.value)",
        [indicator_id, period])]


def _xs(spec):
    return [v["x"] for layer in spec["layer"] for v in layer["data"]["values"] if "who" in v and "judgement" in v]


@pytest.mark.parametrize("indicator_id", ["gva-per-hour", "household-income", "employment-rate"])
def test_an_outlier_ten_times_the_next_does_not_pile_the_districts_at_one_end(store, indicator_id):
    row = next(r for r in district_profile(store, WOKING) if r.indicator == indicator_id)
    values = sorted(_english_values(store, indicator_id, row.period))
    assert len(values) > 100
    q = statistics.quantiles(values, n=4, method="inclusive")
    outlier = 10 * values[-1]  # ten times the highest district
    spine = Spine(values[0], q[0], q[1], q[2], outlier, len(values) + 1) if row.polarity != "lower" else \
        Spine(outlier, q[2], q[1], q[0], values[0], len(values) + 1)
    # Drawn linearly from worst to best, the EM3 districts would sit in a tenth of the spine at one end:
    linear = [spine.position(m.value) for m in row.others if m.value is not None]
    assert max(linear) - min(linear) < 0.1 and (max(linear) < 0.2 or min(linear) > 0.8)
    spec = spine_chart([dataclasses.replace(row, spine=spine)], "test")
    xs = _xs(spec)
    assert len(xs) == len(AREA.districts)
    assert 0.15 < statistics.median(xs) < 0.85
    assert max(xs) - min(xs) > 0.1 and max(xs) - min(xs) > 2 * (max(linear) - min(linear))


def test_the_benchmark_is_at_the_centre_and_the_quartiles_marked(store):
    row = next(r for r in district_profile(store, WOKING) if r.indicator == "employment-rate")
    pos = spine_scale(row.spine, row.benchmark_value)
    assert pos(row.benchmark_value) == pytest.approx(0.5)
    assert pos(row.spine.q25) == pytest.approx(0.25) and pos(row.spine.q75) == pytest.approx(0.75)
    assert pos(row.spine.worst) == 0 and pos(row.spine.best) == 1
    # A benchmark outside the middle half (a total) leaves the centre to the median, and stays in order.
    pos = spine_scale(row.spine, row.spine.best * 1000)
    assert pos(row.spine.median) == pytest.approx(0.5) and pos(row.spine.best * 1000) > 1
