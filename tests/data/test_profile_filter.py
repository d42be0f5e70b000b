"""The district profile's Show filter and its tally (lis_data/views/profile_filter.py), checked against
the profile rows of every EM3 district and of all fourteen together, whatever the figures are."""

from __future__ import annotations

import pytest

from lis_data.config import load_area
from lis_data.domain import judgement
from lis_data.domain.profile import district_profiles, group_profile
from lis_data.views.profile_filter import SHOW, passes, tally

CODES = list(load_area().district_codes)


@pytest.fixture(scope="module")
def profiles(store):
    return district_profiles(store, CODES)


def test_a_district_row_passes_exactly_the_choices_its_judgement_names(profiles):
    seen = set()
    for rows in profiles.values():
        for r in rows:
            chosen = {show for show in SHOW if passes(r, show)}
            expected = {"all"}
            if r.judgement in judgement.WORSE_LIKE:
                expected.add("worse")
                if r.direction == judgement.WORSENING:
                    expected.add("red-red")
            if r.judgement in judgement.BETTER_LIKE:
                expected.add("better")
            if r.judgement == judgement.SIMILAR:
                expected.add("similar")
            if r.judgement in (judgement.NOT_TESTED, judgement.NOT_COMPARED):
                expected.add("not tested")
            assert chosen == expected, (r.indicator, r.judgement, r.direction)
            seen |= chosen
    assert {"all", "worse", "better", "not tested"} <= seen, "the EM3 districts exercise the filter"


def test_a_row_of_several_districts_passes_when_any_district_does(store, profiles):
    for r in group_profile(store, CODES):
        for show in ("worse", "better", "similar"):
            by_district = [d for d in CODES
                           if any(p.indicator == r.indicator and passes(p, show) and p.period == r.period
                                  for p in profiles[d])]
            assert passes(r, show) == any(r.count(j) for j in
                                          {"worse": judgement.WORSE_LIKE, "better": judgement.BETTER_LIKE,
                                           "similar": (judgement.SIMILAR,)}[show])
            if by_district:
                assert passes(r, show), (r.indicator, show, by_district)
        assert not passes(r, "red-red"), "direction of travel is a district's own"
        assert passes(r, "all")


def test_the_tally_counts_every_judgement_once(store, profiles):
    rows = profiles[CODES[0]]
    counted = tally(rows)
    assert sum(counted.values()) == len(rows) and all(n > 0 for n in counted.values())
    group = group_profile(store, CODES)
    assert tally(group) == {k: n for k, n in ((k, sum(r.count(k) for r in group)) for k in tally(group))}
    assert sum(tally(group).values()) == sum(n for r in group for _, n in r.counts)
