"""The overview's cards say what each figure is: one district's change is its own change, not "a change of
the median"; its judgement names what it was judged against, with no "England:" in front of a fifth of
English districts."""

from __future__ import annotations

from page_helpers import AREA, CATALOGUE


def _rows(districts):
    from ui import views

    return [row for p in CATALOGUE.priorities for _, row in views.scorecard_table(p.id, districts, "england").iterrows()]


def test_one_district_card_words():
    woking = ("E07000217",)
    rows = _rows(woking)
    district_level = {i.short_label for i in CATALOGUE.indicators if i.level == "district"}
    directions = [r["Direction"] for r in rows if r["Direction"] and r["Indicator"] in district_level]
    assert directions and not any("median" in d for d in directions), directions
    judged = [r["Judged"] for r in rows if r["Judged"]]
    assert any("fifth of English districts" in j for j in judged), judged
    assert not any(j.startswith("England:") for j in judged), judged


def test_several_districts_card_words():
    rows = _rows(tuple(AREA.district_codes))
    district_level = {i.short_label for i in CATALOGUE.indicators if i.level == "district"}
    directions = [r["Direction"] for r in rows if r["Direction"] and r["Indicator"] in district_level
                  and not r["Direction"].startswith("unchanged")]
    assert directions and all("a change of the median, not a tested trend" in d for d in directions), directions
