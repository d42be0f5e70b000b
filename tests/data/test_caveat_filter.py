"""The caveats filter box: every word must occur, case and accents ignored, the text never interpreted."""

from __future__ import annotations

from lis_data.views.caveats import MAX_SEARCH, matches


def test_every_word_must_occur_in_some_text():
    texts = ("Claimant count", "Counts people claiming benefits", "Figures before 2013 use a different method.")
    assert matches("claimant METHOD", texts)
    assert not matches("claimant census", texts)
    assert matches("", texts) and matches("   ", texts)


def test_accents_are_folded_and_markup_is_plain_text():
    assert matches("cafe", ("Café openings",))
    assert matches("[link](x)", ("see [link](x) here",))
    assert not matches("<b>", ("bold",))


def test_a_long_search_is_cut():
    assert matches("a" * (MAX_SEARCH + 50), ("a" * MAX_SEARCH,))
