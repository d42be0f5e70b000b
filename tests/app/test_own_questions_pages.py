"""The facilitator's own questions through the pages (AppTest): typed on the facilitator view (a
refusal names the field), shown on the projector's 'Your question' slide and on the phone page (one
question at a time), answered from the phone; a word question's words reach the cloud only once
approved, and the cloud's words are escaped, with their counts written."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from page_helpers import assert_clean, feedback_store, open_facilitator, run_page
from streamlit.testing.v1 import AppTest

from lis_data.feedback import own_questions

PIN = "teal-otter-42"
SECRETS = {"public_url": "http://192.168.1.20:8501"}


pytestmark = pytest.mark.usefixtures("fresh_throttle")




def _code() -> str:
    return f"OWN-{uuid.uuid4().hex[:8].upper()}"


def _facilitator(code: str) -> AppTest:
    return open_facilitator(code, PIN)


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _plain(value: str) -> str:
    """A message as read (md_escape's backslashes and word joiners removed)."""
    return value.replace("\\", "").replace("\u2060", "")


def _bignums(at: AppTest) -> dict[str, str]:
    return {label: value for value, label in re.findall(
        r"<p class='em3-big'>([^<]*)</p><p class='em3-big-label'>([^<]*)</p>", _html(at))}


def _say(at: AppTest, kind: str, **fields) -> AppTest:
    at.radio(key="own_kind").set_value(kind).run()
    for key, value in fields.items():
        widget = at.text_area(key=key) if key == "own_options" else (
            at.number_input(key=key) if key == "own_scale" else at.text_input(key=key))
        widget.set_value(value)
    [button] = [b for b in at.button if b.label == "Ask on the projector"]
    return button.click().run()


def test_a_choice_question_is_asked_answered_on_a_phone_and_revealed():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    poll = feedback_store().open_poll(code, "importance", "housing")
    at = _facilitator(code)
    _say(at, "choice", own_prompt="What first?", own_options="Only one")
    assert any("options: at least 2, one a line (1 given)" in _plain(e.value) for e in at.error), "the field is named"
    assert feedback_store().latest_question(code) is None
    _say(at, "choice", own_prompt="What should come first?", own_options="Skills\nHousing <b>now</b>\nRail")
    assert_clean(at)
    q = feedback_store().latest_question(code, open_only=True)
    assert q.options == ("Skills", "Housing <b>now</b>", "Rail")
    assert feedback_store().workshop(code).slide == "question"
    assert not feedback_store().poll(poll.id).is_open, "one question at a time"

    phone = run_page("sounding-board", {"workshop": code})
    assert_clean(phone)
    assert phone.radio(key=f"own_choice_{q.id}").options == ["Skills", "Housing <b>now</b>", "Rail"]
    assert not [r for r in phone.radio if r.key and r.key.startswith("aud_rating_")], "no poll beside it"
    phone.radio(key=f"own_choice_{q.id}").set_value("Rail").run()
    phone.button(key=f"own_send_{q.id}").click().run()
    assert any("your answer is counted" in _plain(s.value) for s in phone.success)

    projector = run_page("workshop", {"code": code}, SECRETS)
    assert_clean(projector)
    page = _html(projector)
    assert "What should come first?" in page and "Housing &lt;b&gt;now&lt;/b&gt;" in page
    assert "<b>now</b>" not in page, "the options are escaped"
    assert _bignums(projector) == {"answer so far": "1"}
    at.run()
    at.button(key="own_reveal").click().run()
    projector.run()
    projector.run()
    assert _bignums(projector) == {"answer": "1"}
    assert re.search(r"Rail \(100%\)</th><td><div class='em3-bar'>.*?<b>1</b>", _html(projector))


def test_a_rating_question_shows_its_scale_and_mean():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    at = _facilitator(code)
    _say(at, "rating", own_prompt="How useful was this?", own_scale=4, own_low="Not at all", own_high="Very")
    assert_clean(at)
    q = feedback_store().latest_question(code)
    for i, value in enumerate((1, 4, 4)):
        feedback_store().answer_question(own_questions.validate_own_answer(q, device_key=f"apptest-device-{i:08d}",
                                                       answer_key=own_questions.new_answer_key(), rating=value))
    feedback_store().reveal_question(q.id)
    projector = run_page("workshop", {"code": code}, SECRETS)
    assert_clean(projector)
    assert _bignums(projector) == {"answers": "3", "mean (1 to 4)": "3.00"}
    assert "1 Not at all (33%)" in _html(projector) and "4 Very (67%)" in _html(projector)


def test_hostile_question_text_is_refused_with_the_field_named():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    at = _facilitator(code)
    _say(at, "words", own_prompt="Say \u202eevil")
    assert any("question: contains a right-to-left control character (U+202E)" in _plain(e.value) for e in at.error)
    assert feedback_store().latest_question(code) is None


def test_words_reach_the_cloud_only_once_approved():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    at = _facilitator(code)
    _say(at, "words", own_prompt="One word for the area?")
    q = feedback_store().latest_question(code)
    phone = run_page("sounding-board", {"workshop": code})
    phone.text_input(key=f"own_word_{q.id}").input("two words").run()
    phone.button(key=f"own_send_{q.id}").click().run()
    assert any("word: one word, no spaces" in _plain(e.value) for e in phone.error)
    phone.text_input(key=f"own_word_{q.id}").input("Green").run()
    phone.button(key=f"own_send_{q.id}").click().run()
    assert any("your answer is counted" in _plain(s.value) for s in phone.success)
    for i, word in enumerate(("green", "skills", "O'Brien")):
        feedback_store().answer_question(own_questions.validate_own_answer(q, device_key=f"apptest-device-{i:08d}",
                                                       answer_key=own_questions.new_answer_key(), word=word))

    projector = run_page("workshop", {"code": code}, SECRETS)
    assert_clean(projector)
    page = _html(projector)
    assert "No word on the cloud yet" in page and "green" not in page, "nothing approved: nothing shown"
    assert "3 words waiting for approval" in page

    at.run()
    assert _plain(at.checkbox(key=f"own_sel_{q.id}_green").label).startswith("green (2)")
    at.checkbox(key=f"own_sel_{q.id}_green").check().run()
    at.checkbox(key=f"own_sel_{q.id}_o'brien").check().run()
    at.button(key="own_approve_sel").click().run()
    assert_clean(at)
    assert feedback_store().word_states(q.id) == {"green": "approved", "o'brien": "approved"}
    projector.run()
    page = _html(projector)
    assert re.search(r"<li style='font-size:[0-9.]+em'>green<sup>2</sup></li>", page)
    assert html.escape("o'brien", quote=True) + "<sup>1</sup>" in page, "escaped, with its count"
    assert "skills" not in page, "a held word is not on the cloud"
    assert "<table id='em3-cloud-table'>" in page, "a table with the counts behind the cloud"
    assert _bignums(projector)["words sent"] == "4"
    at.run()
    at.button(key="own_approve_all").click().run()
    assert feedback_store().word_states(q.id)["skills"] == "approved"


def test_a_long_question_is_refused_with_how_much_to_cut():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    at = _facilitator(code)
    _say(at, "words", own_prompt="x" * 170)
    assert any("question: at most 160 characters (10 too many)" in _plain(e.value) for e in at.error)
    assert at.text_input(key="own_prompt").value == "x" * 170, "the text stays in the box"
