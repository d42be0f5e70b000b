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


def test_one_districts_change_is_tested_where_intervals_are_published():
    """A card for one district says "a change, not a tested trend" only where the judged table could not
    test it (no interval in one of the periods); where both periods publish an interval it gives the
    table's tested direction, and a tested improvement or worsening is coloured by its verdict, not by
    the sign of the change. Expected words come from the judged table, whatever today's figures are."""
    from lis_data.domain import judgement as jm
    from pages.scorecard import _delta_colour
    from ui import data

    src = data.PageSource()
    for code in AREA.district_codes:
        rows = {r["Indicator"]: r for r in _rows((code,))}
        for ind in (i for i in CATALOGUE.indicators if i.level == "district" and i.short_label in rows):
            row = rows[ind.short_label]
            if not row["Direction"] or row["Direction"].startswith("unchanged"):
                continue
            judged = src.judged(ind.id, (code,), "england")
            last = judged[judged["latest"]].iloc[0]
            if last["direction"] in (jm.ROSE, jm.FELL):
                assert row["Direction"].endswith("(a change, not a tested trend)"), (code, ind.id, row["Direction"])
            else:
                assert "not a tested trend" not in row["Direction"], (code, ind.id, row["Direction"])
                assert "published intervals" in row["Direction"], (code, ind.id, row["Direction"])
    assert _delta_colour(jm.IMPROVING, "down") == "inverse" and _delta_colour(jm.IMPROVING, "up") == "normal"
    assert _delta_colour(jm.WORSENING, "down") == "normal" and _delta_colour(jm.WORSENING, "up") == "inverse"
    assert _delta_colour(jm.ROSE, "up") == "off"


def test_card_captions_keep_units_and_names_as_written():
    """"kWh", "CO2e", "ITL", "EM3" as the catalogue writes them: only a caption's first letter is raised
    (str.capitalize() had lowered the rest: "kwh", "t co2e", "median of the itl areas covering em3"),
    and a count's caption reads as a sentence ("A count: not set beside England's total")."""
    from page_helpers import assert_clean, run_page

    at = run_page("", {"d": "E07000217"})
    assert_clean(at)
    captions = [c.value for c in at.caption]
    units = {i.unit for i in CATALOGUE.indicators if any(ch.isupper() for ch in i.unit)}
    shown = [u for u in units if any(f", {u}" in c for c in captions)]
    assert shown, (units, captions[:5])
    lowered = [c for c in captions for u in units if f", {u.lower()};" in c and u.lower() != u]
    assert not lowered, lowered
    assert not any("itl areas" in c or " em3" in c for c in captions)
    assert not any("England a count" in c for c in captions)
