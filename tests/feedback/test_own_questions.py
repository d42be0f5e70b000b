"""The facilitator's own questions, on both backends: a rating 1 to N, a choice between typed
options, one word (a word cloud of approved words only); and the validation of every field as
hostile input (length, control and bidi characters, option count), each refusal naming the field."""

from __future__ import annotations

import pytest

from lis_data.feedback import own_questions

CODE = "OWNQ-TEST-1"
DEVICES = ["d" * 15 + str(i) * 2 for i in range(10)]


def _answer(store, q, device, **kw):
    return store.answer_question(own_questions.validate_own_answer(q, device_key=device, answer_key=own_questions.new_answer_key(), **kw))


def test_schema_has_the_own_question_migration(store):
    assert store.schema_version() >= 131


def test_a_rating_question_counts_each_device_once_over_every_point(store):
    store.open_workshop(CODE, "pin-123456")
    poll = store.open_poll(CODE, "importance", "housing")
    q = store.ask_question(CODE, own_questions.validate_question("rating", "How useful was the evidence?", scale=4,
                                                                 low_label="Not at all", high_label="Very"))
    assert store.poll(poll.id).closed_at is not None, "asking a question closes the open poll: one at a time"
    assert store.latest_question(CODE, open_only=True).id == q.id
    assert q.points() == ["1 Not at all", "2", "3", "4 Very"]
    _answer(store, q, DEVICES[0], rating=1)
    receipt = _answer(store, q, DEVICES[0], rating=4)
    assert receipt.replaced and not receipt.duplicate
    _answer(store, q, DEVICES[1], rating=3)
    t = own_questions.tally(q, store.question_answers(q.id))
    assert (t.count, t.mean) == (2, 3.5)
    assert t.distribution == (("1 Not at all", 0), ("2", 0), ("3", 1), ("4 Very", 1))
    assert store.question_answer_count(q.id) == 2
    with pytest.raises(own_questions.QuestionError, match="rating: a whole number from 1 to 4"):
        own_questions.validate_own_answer(q, device_key=DEVICES[2], answer_key=own_questions.new_answer_key(), rating=5)


def test_a_choice_question_and_a_closed_question(store):
    store.open_workshop(CODE, "pin-123456")
    q = store.ask_question(CODE, own_questions.validate_question("choice", "Which first?", options="Skills\nHousing\n\nRail"))
    assert q.options == ("Skills", "Housing", "Rail")
    _answer(store, q, DEVICES[0], choice="Rail")
    _answer(store, q, DEVICES[1], choice="Rail")
    key = own_questions.new_answer_key()
    a = own_questions.validate_own_answer(q, device_key=DEVICES[2], answer_key=key, choice="Skills")
    store.answer_question(a)
    assert store.answer_question(a).duplicate, "the same answer key again writes nothing"
    t = own_questions.tally(q, store.question_answers(q.id))
    assert t.distribution == (("Skills", 1), ("Housing", 0), ("Rail", 2)) and t.count == 3
    with pytest.raises(own_questions.QuestionError, match="choice"):
        own_questions.validate_own_answer(q, device_key=DEVICES[3], answer_key=own_questions.new_answer_key(), choice="<b>x</b>")
    store.close_question(q.id)
    with pytest.raises(own_questions.QuestionClosed):
        _answer(store, q, DEVICES[4], choice="Skills")
    assert store.latest_question(CODE, open_only=True) is None
    assert store.latest_question(CODE).id == q.id


def test_word_cloud_shows_approved_words_only(store):
    store.open_workshop(CODE, "pin-123456")
    q = store.ask_question(CODE, own_questions.validate_question("words", "One word for the area?"))
    for device, word in zip(DEVICES, ["Skills", "skills", "SKILLS", "rail", "rubbish", "Green", "green"]):
        _answer(store, q, device, word=word)
    answers = store.question_answers(q.id)
    assert own_questions.word_counts(answers, store.word_states(q.id)) == [], "nothing approved yet: nothing on the cloud"
    assert own_questions.word_counts(answers, store.word_states(q.id), "held")[0] == ("skills", 3)
    assert store.review_words(q.id, ["skills", "green", "rail"], "approved") == 3
    assert store.review_words(q.id, ["rubbish"], "rejected") == 1
    store.review_words(q.id, ["rail"], "rejected")  # taken down again: the latest decision counts
    states = store.word_states(q.id)
    assert own_questions.word_counts(answers, states) == [("skills", 3), ("green", 2)]
    assert own_questions.word_counts(answers, states, "rejected") == [("rail", 1), ("rubbish", 1)]
    rating = store.ask_question(CODE, own_questions.validate_question("rating", "Rate it", scale=5))
    with pytest.raises(own_questions.QuestionError, match="does not ask for a word"):
        store.review_words(rating.id, ["skills"], "approved")


def test_opening_a_poll_after_closes_questions(store):
    store.open_workshop(CODE, "pin-123456")
    store.ask_question(CODE, own_questions.validate_question("words", "One word?"))
    store.close_questions(CODE)
    assert store.latest_question(CODE, open_only=True) is None


# -- validation, hostile input --------------------------------------------------------------------

@pytest.mark.parametrize("prompt, reason", [
    ("", "question: at least 3 visible characters"),
    ("  \u200b\u200b\u200b  ", "question: at least 3 visible characters"),
    ("x" * 161, "question: at most 160 characters (1 too many)"),
    ("Good \u202eevil", "question: contains a right-to-left control character (U+202E)"),
    ("Line\nbreak", "question: contains a control character or a line break (U+000A)"),
    ("Bell\x07", "question: contains a control character or a line break (U+0007)"),
    ("Nul\x00here", "question: contains a control character or a line break (U+0000)"),
    ("surrogate \ud800", "question: contains a character that cannot be stored"),
    (42, "question: text expected"),
])
def test_question_text_is_refused_naming_the_field_and_reason(prompt, reason):
    with pytest.raises(own_questions.QuestionError) as err:
        own_questions.validate_question("words", prompt)
    assert str(err.value) == reason


@pytest.mark.parametrize("options, reason", [
    ("Only one", "options: at least 2, one a line (1 given)"),
    ("\n".join(f"o{i}" for i in range(9)), "options: at most 8 (9 given)"),
    ("Yes\nyes", "option 2: the same as option 1"),
    ("Yes\n" + "n" * 61, "option 2: at most 60 characters (1 too many)"),
    (["Yes", "No\u2066"], "option 2: contains a right-to-left control character (U+2066)"),
    (["Yes", "No\tway"], "option 2: contains a control character or a line break (U+0009)"),
    (["Yes", 3], "option 2: text expected"),
    (7, "options: a list of options"),
])
def test_options_are_refused_naming_the_option_and_reason(options, reason):
    with pytest.raises(own_questions.QuestionError) as err:
        own_questions.validate_question("choice", "Which?", options=options)
    assert str(err.value) == reason


@pytest.mark.parametrize("kind, kw, reason", [
    ("rating", {"scale": 2}, "scale: a whole number from 3 to 10 (the top of 1 to N)"),
    ("rating", {"scale": 11}, "scale: a whole number from 3 to 10 (the top of 1 to N)"),
    ("rating", {"scale": True}, "scale: a whole number from 3 to 10 (the top of 1 to N)"),
    ("rating", {"scale": "5"}, "scale: a whole number from 3 to 10 (the top of 1 to N)"),
    ("rating", {"scale": 5, "low_label": "x" * 41}, "lowest label: at most 40 characters (1 too many)"),
    ("rating", {"scale": 5, "high_label": "\u202dhigh"},
     "highest label: contains a right-to-left control character (U+202D)"),
    ("poll'; DROP TABLE", {}, "kind: one of rating, choice, words"),
])
def test_rating_fields_and_kind_are_refused(kind, kw, reason):
    with pytest.raises(own_questions.QuestionError) as err:
        own_questions.validate_question(kind, "Rate it", **kw)
    assert str(err.value) == reason


@pytest.mark.parametrize("word, reason", [
    ("two words", "word: one word, no spaces"),
    ("<script>", "word: letters and digits only (a hyphen or apostrophe inside a word is fine)"),
    ("x" * 31, "word: at most 30 characters (1 too many)"),
    ("\u202eevil", "word: contains a right-to-left control character (U+202E)"),
    ("", "word: at least 1 visible character"),
    ("=cmd", "word: letters and digits only (a hyphen or apostrophe inside a word is fine)"),
    ("-", "word: letters and digits only (a hyphen or apostrophe inside a word is fine)"),
])
def test_words_are_refused_naming_the_reason(word, reason):
    with pytest.raises(own_questions.QuestionError) as err:
        own_questions.normalise_word(word)
    assert str(err.value) == reason


def test_words_are_counted_in_one_form():
    assert own_questions.normalise_word("  Well-Being ") == "well-being"
    assert own_questions.normalise_word("Nature’s") == "nature's"
    assert own_questions.normalise_word("Straße") == "strasse"
    assert own_questions.normalise_word("Café") == "café"
