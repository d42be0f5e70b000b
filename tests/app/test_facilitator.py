"""The facilitator view (/facilitate?code=...) and the projector's poll and moderation: PIN refusal
and its throttle, staff sign-in instead of the PIN, approve and reject, opening a poll, results
hidden until revealed, reset to a new round, the shift; the audience's answer on the phone page.

AppTest runs the app in this process: the process-wide throttle windows are reset per test, and
every session has the one 'unknown' client address."""

from __future__ import annotations

import re
import uuid

import pytest
from page_helpers import CATALOGUE, assert_clean, feedback_store, open_facilitator, run_page
from streamlit.testing.v1 import AppTest

from lis_data import feedback
from lis_data.feedback import polls

PIN = "teal-otter-42"
SECRETS = {"public_url": "http://192.168.1.20:8501"}
IDS = [p.id for p in CATALOGUE.priorities]


pytestmark = pytest.mark.usefixtures("fresh_throttle")




def _code() -> str:
    return f"FAC-{uuid.uuid4().hex[:8].upper()}"


def _comment(code: str, text: str, priority: str = "housing"):
    sub = feedback.validate_submission(
        {"priority": priority, "respondent_type": "resident", "comment": text, "workshop_code": code,
         "submission_key": feedback.new_submission_key()}, priorities=IDS, places=[])
    return feedback_store().append(sub)




def _facilitator(code: str, pin: str = PIN, secrets: dict | None = None) -> AppTest:
    return open_facilitator(code, pin, secrets)


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _bignums(at: AppTest) -> dict[str, str]:
    """The projector's large numbers, by their label."""
    return {label: value for value, label in re.findall(
        r"<p class='em3-big'>([^<]*)</p><p class='em3-big-label'>([^<]*)</p>", _html(at))}


def _texts(elements) -> list[str]:
    return [e.value.replace("\\", "") for e in elements]


def _answer(poll: polls.Poll, device: int, rating: int, rtype: str = "business") -> None:
    feedback_store().answer_poll(polls.validate_answer(
        poll, device_key=f"apptest-device-{device:08d}", answer_key=polls.new_answer_key(), priority="housing",
        respondent_type=rtype, rating=rating, indicators=["x"], data_vintage="v", priorities=IDS))


def test_wrong_pin_is_refused_and_shows_nothing_of_the_workshop():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    _comment(code, "A comment nobody may read without the PIN")
    at = _facilitator(code, "not-the-pin")
    assert_clean_but_refusal(at)
    assert "That PIN is not right. Access refused." in _texts(at.error)
    assert not any("nobody may read" in t.value for t in at.text)
    assert not [b for b in at.button if b.label == "Approve"]


def assert_clean_but_refusal(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_wrong_pins_lock_the_address_even_for_the_right_pin():
    from pages import facilitator

    code = _code()
    feedback_store().open_workshop(code, PIN)
    for i in range(facilitator.FAILURES_PER_ADDRESS):
        at = _facilitator(code, f"guess-{i}-xyz")
        assert "That PIN is not right. Access refused." in _texts(at.error)
    at = _facilitator(code, PIN)  # a new session, the right PIN: still refused for now
    assert any("Too many wrong PINs" in t for t in _texts(at.error))
    assert not [b for b in at.button if b.label == "Reveal results"] and not at.toggle


def test_an_unopened_workshop_has_no_facilitator_view():
    at = run_page("facilitate", {"code": _code()})
    assert_clean(at)
    assert any("has not been opened" in i.value for i in at.info)
    assert not at.text_input


def test_staff_signed_in_come_in_without_the_pin():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    secrets = {"staff_password": "correct horse battery staple"}
    at = run_page("staff", secrets=secrets)
    at.text_input(key="staff_password_entry").input("correct horse battery staple")
    [b for b in at.button if b.label == "Open the staff page"][0].click().run()
    at.query_params["code"] = code
    from scripts.app_test_pages import goto
    goto(at, "facilitate")
    at.run()
    assert_clean(at)
    assert not [t for t in at.text_input if t.key == "fac_pin_entry"]
    assert at.toggle(key="fac_hold").value is True


def test_approve_and_reject_from_the_queue_decide_what_the_projector_shows():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    good = _comment(code, "Rents in Guildford are twelve times local wages")
    bad = _comment(code, "You are all shit at this")
    feedback_store().drive_projector(code, slide="wall")
    projector = run_page("workshop", {"priority": "housing", "code": code}, SECRETS)
    assert_clean(projector)
    assert "twelve times" not in _html(projector), "held: not on the projector"

    at = _facilitator(code)
    assert_clean(at)
    assert {"Rents in Guildford are twelve times local wages", "You are all shit at this"} <= {t.value for t in at.text}
    assert any("Flagged words: shit" in w for w in _texts(at.warning)), "the word list pre-flags it"
    at.button(key=f"fac_approve_{good.id}").click().run()
    at.button(key=f"fac_reject_{bad.id}").click().run()
    assert_clean(at)
    assert not [b for b in at.button if b.label in ("Approve", "Reject")]
    assert feedback_store().comment_states(code)["approved"] == 1

    projector.run()  # the live panel's next refresh
    shown = _html(projector)
    assert "Rents in Guildford are twelve times local wages" in shown
    assert "You are all shit at this" not in shown

    at.button(key=f"fac_takedown_{good.id}").click().run()  # approved, then taken down again
    projector.run()
    assert "Rents in Guildford are twelve times local wages" not in _html(projector)
    assert feedback_store().comment_states(code)["rejected"] == 2


def test_open_reveal_and_reset_a_poll():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    feedback_store().set_screen(code, "housing", ["a", "b"], "v1")
    at = _facilitator(code)
    assert at.selectbox(key="fac_priority").value == "housing", "the priority on the projector is preselected"
    at.button(key="fac_open_performance").click().run()
    assert_clean(at)
    poll = feedback_store().current_poll(code)
    assert (poll.kind, poll.subject, poll.round, poll.revealed) == ("performance", "housing", 1, False)
    for d, rating in enumerate((2, 2, 3)):
        _answer(poll, d, rating)

    assert feedback_store().workshop(code).slide == "poll", "opening a poll puts it on the projector"
    projector = run_page("workshop", {"priority": "housing", "code": code}, SECRETS)
    assert_clean(projector)
    html = _html(projector)
    assert "How is the EM3 area doing on this priority?" in html
    assert all(o in html for o in polls.SCALES["performance"]), "every option on the slide"
    assert "Results stay hidden" in html
    assert _bignums(projector) == {"answers so far": "3"}

    at.run()
    at.button(key="fac_reveal").click().run()
    assert_clean(at)
    assert feedback_store().poll(poll.id).revealed and feedback_store().workshop(code).slide == "results"
    projector.run()
    projector.run()
    assert _bignums(projector) == {"answers": "3", "mean (1 to 5)": "2.33"}

    at.button(key="fac_reset").click().run()
    assert_clean(at)
    second = feedback_store().current_poll(code)
    assert (second.round, second.subject) == (2, "housing") and not feedback_store().poll(poll.id).is_open
    for d, rating in enumerate((4, 4, 5)):
        _answer(second, d, rating)
    at.run()
    at.button(key="fac_reveal").click().run()
    at.button(key="fac_slide_shift").click().run()
    projector.run()
    projector.run()
    assert_clean(projector)
    assert _bignums(projector) == {"mean before (round 1)": "2.33", "mean after (round 2)": "4.33"}
    assert "change +2.00" in _html(projector)
    at.button(key="fac_slide_matrix").click().run()
    projector.run()
    projector.run()
    # the matrix places housing at the room's latest mean
    assert re.search(r"4\. Housing supply and diversity</td><td class='num'>[^<]*</td><td class='num'>4\.33</td>",
                     _html(projector))


def test_the_audience_answers_on_the_phone_page_and_a_second_answer_replaces_the_first():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    feedback_store().set_screen(code, "energy", ["ind-1"], "vintage-1")
    poll = feedback_store().open_poll(code, "importance", "energy")
    phone = run_page("sounding-board", {"priority": "energy", "workshop": code})
    assert_clean(phone)
    phone.radio(key=f"aud_rating_{poll.id}").set_value(4).run()
    phone.selectbox(key="aud_respondent_type").set_value("business").run()
    phone.button(key=f"aud_send_{poll.id}").click().run()
    assert_clean(phone)
    assert any("your answer is counted" in s.value for s in phone.success)
    phone.radio(key=f"aud_rating_{poll.id}").set_value(5).run()
    phone.button(key=f"aud_send_{poll.id}").click().run()
    assert any("instead of your earlier one" in s.value for s in phone.success)
    rows = feedback_store().poll_answers(code)
    latest = feedback_store().latest_answers(poll.id)
    assert len(rows) == 2 and len(latest) == 1 and int(latest["rating"].iloc[0]) == 5
    row = latest.iloc[0]
    assert (row["priority"], list(row["indicators"]), row["data_vintage"], row["respondent_type"]) == \
        ("energy", ["ind-1"], "vintage-1", "business")


def _staff(query: dict | None = None, page: str = "facilitate") -> AppTest:
    secrets = {"staff_password": "correct horse battery staple", **SECRETS}
    at = run_page("staff", secrets=secrets)
    at.text_input(key="staff_password_entry").input("correct horse battery staple")
    [b for b in at.button if b.label == "Open the staff page"][0].click().run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    from scripts.app_test_pages import goto
    goto(at, page)
    at.run()
    return at


def test_only_signed_in_staff_open_a_workshop():
    """Issue 18: anyone could claim a code first with their own PIN. Now only staff open one."""
    code = _code()
    anonymous = run_page("facilitate", {"code": code}, SECRETS)
    assert_clean(anonymous)
    assert not [t for t in anonymous.main.text_input if t.key == "ws_setup_pin"]
    assert not [b for b in anonymous.button if b.label == "Open the workshop"]
    assert feedback_store().workshop(code) is None
    at = _staff({"code": code})
    at.text_input(key="ws_setup_pin").input("123")
    [b for b in at.button if b.label == "Open the workshop"][0].click().run()
    assert any("6 to 40 characters" in e for e in _texts(at.error))
    assert feedback_store().workshop(code) is None
    at.text_input(key="ws_setup_pin").input(PIN)
    [b for b in at.button if b.label == "Open the workshop"][0].click().run()
    w = feedback_store().workshop(code)
    assert w is not None and w.hold_comments and w.opened_by == "staff" and feedback_store().check_workshop_pin(code, PIN)


def test_staff_reclaim_a_code_claimed_with_someone_elses_pin():
    code = _code()
    feedback_store().open_workshop(code, "squatters-pin", opened_by="facilitator")
    key = feedback_store().new_projector_key(code)
    at = _staff({"code": code})
    assert_clean(at)
    at.text_input(key="ws_reclaim_pin").input(PIN)
    [b for b in at.button if b.label == "Give it this PIN"][0].click().run()
    assert feedback_store().check_workshop_pin(code, PIN) and not feedback_store().check_workshop_pin(code, "squatters-pin")
    assert not feedback_store().projector_key_matches(code, key)
    assert any("new PIN" in m for m in _texts(at.success))
    # and the form is for staff only: a facilitator let in by PIN has no such form
    fac = _facilitator(code)
    assert not [t for t in fac.main.text_input if t.key == "ws_reclaim_pin"]


def test_the_facilitator_drives_the_projector():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    at = _facilitator(code)
    assert_clean(at)
    at.button(key="fac_next").click().run()
    w = feedback_store().workshop(code)
    assert w.screen_priority == IDS[1] and len(w.screen_indicators) == 2 and w.screen_vintage
    at.button(key="fac_prev").click().run()
    at.button(key="fac_prev").click().run()
    assert feedback_store().workshop(code).screen_priority == IDS[-1]
    at.button(key="fac_slide_wall").click().run()
    assert feedback_store().workshop(code).slide == "wall"
    assert any("9. Exports and investment" in m for m in _texts(at.markdown))
    at.button(key="fac_projector_link").click().run()
    [link] = at.get("link_button")
    assert link.proto.url.startswith(f"workshop?code={code}&key=")
    key = link.proto.url.split("key=")[1]
    assert feedback_store().projector_key_matches(code, key)


def test_bulk_approval_and_a_queue_that_does_not_reflow():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    first = [_comment(code, f"Held comment number {i:02d} about rents") for i in range(12)]
    at = _facilitator(code)
    assert_clean(at)
    shown_before = [c.key for c in at.checkbox if c.key and c.key.startswith("fac_sel_")]
    assert len(shown_before) == 12
    late = _comment(code, "A comment that arrives while the facilitator is acting")
    at.checkbox(key=f"fac_sel_{first[0].id}").check().run()
    at.checkbox(key=f"fac_sel_{first[1].id}").check().run()
    assert [c.key for c in at.checkbox if c.key and c.key.startswith("fac_sel_")] == shown_before, "no reflow"
    assert any(b.label == "1 more waiting below: show them" for b in at.button)
    at.button(key="fac_reject_sel").click().run()
    assert feedback_store().comment_states(code)["rejected"] == 2
    at.button(key="fac_approve_all").click().run()
    assert_clean(at)
    states = feedback_store().comment_states(code)
    assert (states["approved"], states["rejected"], states["held"]) == (10, 2, 1), "the late one still waits"
    assert any("Approved 10 comments." in m for m in _texts(at.success))


def test_the_loopback_warning_is_for_the_facilitator_not_the_room():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    feedback_store().set_projector_origin(code, "http://127.0.0.1:8501")  # the facilitator's projector on loopback
    at = _facilitator(code, secrets={})
    assert any("loopback" in w for w in _texts(at.warning))
    projector = run_page("workshop", {"code": code}, {})
    assert not any("loopback" in w for w in _texts(projector.warning)) and "loopback" not in _html(projector)
    at.text_input(key="fac_public_url").input("ftp://nope")
    at.button(key="fac_public_url_save").click().run()
    assert any("must start with http" in e for e in _texts(at.error))
    at.text_input(key="fac_public_url").input("http://192.168.1.20:8501/")
    at.button(key="fac_public_url_save").click().run()
    assert not any("loopback" in w for w in _texts(at.warning))
    projector.run()
    projector.run()
    assert f"192.168.1.20:8501/j/{code}" in _html(projector)
    with_setting = _facilitator(code, secrets=SECRETS)
    assert not any("loopback" in w for w in _texts(with_setting.warning))


def test_the_staff_page_shows_a_workshops_results():
    code = _code()
    feedback_store().open_workshop(code, PIN)
    feedback_store().review_comment(_comment(code, "Approved for the record: bus links to Farnborough").id, "approved")
    for rnd, rating in ((1, 2), (2, 4)):
        poll = feedback_store().open_poll(code, "performance", "housing")
        for d in range(3):
            _answer(poll, d, rating)
    secrets = {"staff_password": "correct horse battery staple"}
    at = run_page("staff", secrets=secrets)
    at.text_input(key="staff_password_entry").input("correct horse battery staple")
    [b for b in at.button if b.label == "Open the staff page"][0].click().run()
    at.text_input(key="staff_f_workshop").input(code.lower()).run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Poll rounds"] == "2" and metrics["Comments approved"] == "1"
    assert metrics["Before (round 1)"] == "2.00" and metrics["After (round 2)"] == "4.00"
    assert any("bus links to Farnborough" in t.value for t in at.text)
    assert any(code in link.proto.label for link in at.get("page_link")), "a link to the facilitator view"
    assert any("4.00" in str(v) for df in at.dataframe for v in df.value.get("Room's mean rating (1–5)", []))


def test_an_answer_is_retried_when_the_store_is_busy_and_kept_once(monkeypatch):
    """A room answering at once queues on the store's write lock; a busy store is tried again with
    the same answer key, so the answer is stored once and the phone says so."""
    from lis_data.feedback.sqlite_backend import SQLiteFeedbackStore

    code = _code()
    feedback_store().open_workshop(code, PIN)
    poll = feedback_store().open_poll(code, "performance", "housing")
    real = SQLiteFeedbackStore.answer_poll
    calls = []

    def busy_then_real(self, answer):
        calls.append(answer.answer_key)
        if len(calls) == 1:
            real(self, answer)  # stored, but the acknowledgement is lost: the retry must not add a row
            raise feedback.FeedbackStoreUnavailable("Feedback store unavailable: database is locked")
        return real(self, answer)

    monkeypatch.setattr(SQLiteFeedbackStore, "answer_poll", busy_then_real)
    phone = run_page("sounding-board", {"priority": "housing", "workshop": code})
    phone.radio(key=f"aud_rating_{poll.id}").set_value(3).run()
    phone.button(key=f"aud_send_{poll.id}").click().run()
    assert_clean(phone)
    assert len(calls) == 2 and calls[0] == calls[1], "retried with the same answer key"
    assert any("your answer is counted" in s.value for s in phone.success)
    assert len(feedback_store().poll_answers(code)) == 1


def test_a_phone_cannot_flood_a_round_with_answers():
    from ui import audience_poll

    code = _code()
    feedback_store().open_workshop(code, PIN)
    poll = feedback_store().open_poll(code, "performance", "housing")
    phone = run_page("sounding-board", {"priority": "housing", "workshop": code})
    phone.radio(key=f"aud_rating_{poll.id}").set_value(2).run()
    for _ in range(audience_poll.MAX_ANSWERS_PER_ROUND + 3):
        phone.button(key=f"aud_send_{poll.id}").click().run()
    assert_clean(phone)
    assert any("changed its answer" in w.value for w in phone.warning)
    assert len(feedback_store().poll_answers(code)) == audience_poll.MAX_ANSWERS_PER_ROUND
    assert len(feedback_store().latest_answers(poll.id)) == 1
