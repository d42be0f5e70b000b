"""The one judgement rule, on hand-made cases: every branch."""

from __future__ import annotations

import math

import pytest

from lis_data.domain import judgement as jm
from lis_data.config import load_area


@pytest.mark.parametrize("lci, uci, polarity, expected", [
    (11.0, 13.0, "higher", "better"),     # interval above the benchmark (10)
    (11.0, 13.0, "lower", "worse"),
    (11.0, 13.0, "neither", "higher"),
    (7.0, 9.0, "higher", "worse"),        # interval below
    (7.0, 9.0, "lower", "better"),
    (7.0, 9.0, "neither", "lower"),
    (9.0, 11.0, "higher", "similar"),     # interval contains
    (9.0, 11.0, "lower", "similar"),
    (9.0, 11.0, "neither", "similar"),
    (10.0, 12.0, "higher", "similar"),    # touching from above: not significant
    (8.0, 10.0, "lower", "similar"),      # touching from below
])
def test_interval_against_benchmark(lci, uci, polarity, expected):
    assert jm.judge((lci + uci) / 2, lci, uci, 10.0, polarity) == expected


def test_interval_given_upside_down_is_read_as_an_interval():
    assert jm.judge(12.0, 13.0, 11.0, 10.0, "higher") == "better"


@pytest.mark.parametrize("lci, uci", [(None, None), (float("nan"), float("nan")), (9.0, None), (None, 11.0)])
def test_no_interval_is_not_tested_however_large_the_difference(lci, uci):
    assert jm.judge(50.0, lci, uci, 10.0, "higher") == "not tested"
    c = jm.compare(50.0, lci, uci, 10.0, "England", "higher")
    assert c.judgement == "not tested" and c.difference == 40.0
    assert "better" not in c.phrase and "worse" not in c.phrase


@pytest.mark.parametrize("bench", [None, float("nan")])
def test_no_benchmark_figure_is_not_compared(bench):
    assert jm.judge(12.0, 11.0, 13.0, bench, "higher") == "not compared"
    assert jm.compare(12.0, 11.0, 13.0, bench, "England", "higher").difference is None


def test_no_figure():
    assert jm.judge(None, None, None, 10.0, "higher") == "no figure"
    assert jm.judge(float("nan"), 1.0, 2.0, 10.0, "lower") == "no figure"


def test_benchmark_at_a_different_latest_period_is_not_used(store):
    """A judged row's benchmark figure is the benchmark area's figure for exactly the row's period: a
    benchmark whose latest figure is for another period is never used in its place (the judged table
    joins on the period; counted here from the observations, independently)."""
    rows = store.rows(
        "SELECT j.indicator_id, j.areacd, j.period, j.benchmark_value, "
        "       (SELECT count(*) FROM observations o WHERE o.indicator_id = j.indicator_id "
        "          AND o.areacd = j.benchmark_code AND o.period = j.period AND o.value IS NOT NULL) AS same_period "
        "FROM judged j WHERE j.benchmark = 'england' AND j.areacd LIKE 'E07%'")
    assert len(rows) > 1_000
    used_elsewhere = [r for r in rows if r[3] is not None and r[4] == 0]
    assert not used_elsewhere, used_elsewhere[:5]
    assert any(r[3] is None for r in rows)  # periods England does not publish stay without a benchmark


@pytest.mark.parametrize("change, polarity, expected", [
    (1.0, "higher", "improving"), (-1.0, "higher", "worsening"),
    (1.0, "lower", "worsening"), (-1.0, "lower", "improving"),
    (1.0, "neither", "increasing"), (-1.0, "neither", "decreasing"),
    (0.0, "higher", "no change"), (None, "higher", "no earlier figure"), (math.nan, "lower", "no earlier figure"),
])
def test_direction_is_worded_as_direction(change, polarity, expected):
    assert jm.direction(change, polarity) == expected


def test_phrases_and_style_never_rely_on_colour_alone():
    assert jm.phrase("worse", "England") == "worse than England"
    assert jm.phrase("similar", "the South East") == "similar to the South East"
    assert "no England figure" in jm.phrase("not compared", "England")
    drawn = [j for j in jm.JUDGEMENTS if j != "no figure"]  # a district with no figure has no marker
    assert len({jm.STYLE[j]["shape"] for j in drawn}) == len(drawn), "every judgement has its own shape"
    assert len({jm.STYLE[j]["symbol"] for j in jm.JUDGEMENTS}) == len(jm.JUDGEMENTS), "and its own symbol"
    assert all(set(s) >= {"shape", "symbol", "colour"} for s in jm.STYLE.values())
    assert set(jm.STYLE) == set(jm.JUDGEMENTS)


def test_counts_keep_every_judgement():
    c = jm.count(["better", "worse", "better"])
    assert c["better"] == 2 and c["worse"] == 1 and c["similar"] == 0 and list(c) == list(jm.JUDGEMENTS)


def test_benchmark_areas():
    """The one rule for which area a figure is judged against (lis_data.runtime.judged_table)."""
    from lis_data.runtime.judged_table import benchmark_of

    area = load_area()
    assert benchmark_of(area, "E07000217", "district", "england")[1] == "England"
    assert benchmark_of(area, "E07000217", "district", "region")[1] == "South East"
    assert benchmark_of(area, "E07000217", "district", "county")[1] == "Surrey"
    assert benchmark_of(area, "E07000084", "district", "county")[1] == "Hampshire"
    assert benchmark_of(area, "E10000030", "county", "county")[1] == "England", "a county is not judged against itself"
    assert benchmark_of(area, "E12000008", "region", "region")[1] == "England"
    assert benchmark_of(area, "E08000025", "district", "england")[1] == "England"
    assert benchmark_of(area, "E08000025", "district", "region") is None, "a region known only for EM3"
    with pytest.raises(ValueError, match="choose from"):
        benchmark_of(area, "E07000217", "district", "wales")
