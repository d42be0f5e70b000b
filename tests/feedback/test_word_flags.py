"""Abusive words are pre-flagged from the better-profanity package's list, and only flagged."""

from lis_data.feedback.word_flags import flagged_words, is_flagged


def test_abusive_words_are_flagged_with_their_variants():
    assert flagged_words("You absolute sh1t, this plan is crap!") == ["sh1t", "crap"]


def test_ordinary_comments_and_place_names_are_not_flagged():
    for text in ("Scunthorpe is not in EM3 but Basingstoke is.", "Broadband in Essex Close, Farnborough", "", None):
        assert not is_flagged(text), text
