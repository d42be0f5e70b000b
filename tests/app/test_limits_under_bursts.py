"""Limits that hold under bursts (issue 18): the pages' callbacks called at once from many threads,
each thread one browser session, as the server runs them (one script thread per session).

- Workshop PINs: 100 guesses sent at once from one address: at most 5 are checked (the attempt is
  counted before scrypt runs), and the workshop (and every other) stays open to its facilitator.
- Comments: a burst from one address stores no more than the per-address limit, a burst from many
  addresses no more than the per-process limit (the place is taken atomically before storing).
- Poll answers: limited per address and per process like comments, whatever the cookies.

`st` is replaced in the page modules by a stand-in whose session_state is the calling thread's own
dict; the stores are real SQLite files; scrypt and fsync are real."""

from __future__ import annotations

import threading
import types
from concurrent.futures import ThreadPoolExecutor

import pytest

from lis_data import feedback
from web import throttle
from lis_data.feedback import polls
from pages import facilitator, sounding_board
from lis_data.config import settings
from ui import app_settings, audience_poll, client, feedback_access

PIN = "teal-otter-42"
IDS = ["innovation", "workforce", "places", "housing", "gateways", "energy", "digital", "connections", "exports"]


class _Sessions:
    """`st` for callbacks: st.session_state is the calling thread's own (one session per thread)."""

    def __init__(self):
        self._local = threading.local()

    @property
    def session_state(self) -> dict:
        if not hasattr(self._local, "ss"):
            self._local.ss = {}
        return self._local.ss


@pytest.fixture
def sessions(monkeypatch, tmp_path):
    throttle.reset_all()
    fake = _Sessions()
    store = feedback.open_store(f"sqlite://{tmp_path / 'feedback.sqlite'}")
    secrets: dict = {}
    for module in (facilitator, sounding_board, audience_poll):
        monkeypatch.setattr(module, "st", fake)
    monkeypatch.setattr(feedback_access, "store", lambda: store)
    monkeypatch.setattr(app_settings, "current", lambda: settings.read({}, secrets))
    monkeypatch.setattr(client, "address", lambda: fake.session_state.get("test_address", "203.0.113.9"))
    yield types.SimpleNamespace(st=fake, store=store, secrets=secrets)
    store.close()
    throttle.reset_all()


def _at_once(n: int, job) -> list:
    """Run job(i) in n threads released together."""
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        return job(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


# --- workshop PINs --------------------------------------------------------------------------

def _counting_pin_checks(store) -> list:
    checked: list = []
    real = store.check_workshop_pin

    def check(code, pin):
        checked.append(pin)
        return real(code, pin)

    store.check_workshop_pin = check
    return checked


def test_100_pin_guesses_at_once_from_one_address_check_at_most_5(sessions):
    code = "BURST-PIN-1"
    sessions.store.open_workshop(code, PIN)
    checked = _counting_pin_checks(sessions.store)

    def guess(i):
        ss = sessions.st.session_state
        ss.clear()
        ss[facilitator._PIN] = PIN if i == 99 else f"wrong-guess-{i:03d}"
        facilitator._check_pin(code)
        return code in ss.get(facilitator._LET_IN, set())

    let_in = _at_once(100, guess)
    assert len(checked) <= facilitator.FAILURES_PER_ADDRESS, f"{len(checked)} of 100 guesses were checked"
    assert sum(let_in) <= 1
    # The attacker's address is shut out; the workshop's facilitator, from another address, is not.
    def facilitator_signs_in(_):
        ss = sessions.st.session_state
        ss.clear()
        ss["test_address"] = "198.51.100.20"
        ss[facilitator._PIN] = PIN
        facilitator._check_pin(code)
        return code in ss.get(facilitator._LET_IN, set()), ss.get(facilitator._MESSAGE)

    assert _at_once(1, facilitator_signs_in) == [(True, None)]


def test_guesses_from_many_addresses_close_one_workshop_only(sessions):
    target, other = "BURST-PIN-2", "BURST-PIN-3"
    sessions.store.open_workshop(target, PIN)
    sessions.store.open_workshop(other, PIN)
    checked = _counting_pin_checks(sessions.store)

    def guess(i):
        ss = sessions.st.session_state
        ss.clear()
        ss["test_address"] = f"192.0.2.{i % 8}"  # 8 addresses, 5 guesses each
        ss[facilitator._PIN] = f"wrong-guess-{i:03d}"
        facilitator._check_pin(target)

    _at_once(40, guess)
    assert len(checked) <= facilitator.FAILURES_PER_WORKSHOP

    def sign_in(code):
        ss = sessions.st.session_state
        ss.clear()
        ss["test_address"] = "198.51.100.30"
        ss[facilitator._PIN] = PIN
        facilitator._check_pin(code)
        return code in ss.get(facilitator._LET_IN, set())

    assert _at_once(1, lambda _: sign_in(other)) == [True], "another workshop's facilitator still gets in"
    assert _at_once(1, lambda _: sign_in(target)) == [False], "the attacked workshop waits out the window"


# --- comments ---------------------------------------------------------------------------------

def _comment(i: int, address: str) -> bool:
    """Send one comment from a fresh session at `address`; True when it was stored."""
    ss = sounding_board.st.session_state
    ss.clear()
    ss["test_address"] = address
    ss.update({sounding_board.KEYS["priority"]: "housing", sounding_board.KEYS["respondent_type"]: "resident",
               sounding_board.KEYS["comment"]: f"Burst comment number {i:03d} about starter homes.",
               sounding_board.KEYS["places"]: [], sounding_board.SUBMISSION_KEY: feedback.new_submission_key()})
    sounding_board._submit(IDS, [], None, None)
    return ss[sounding_board._STATUS][0] == "saved"


def test_a_burst_of_comments_from_one_address_stores_no_more_than_its_limit(sessions):
    sessions.secrets.update(feedback_rate_limit_per_address=8)
    saved = _at_once(12, lambda i: _comment(i, "203.0.113.50"))
    assert sessions.store.count() == sum(saved) == 8


def test_a_burst_of_comments_from_many_addresses_stores_no_more_than_the_process_limit(sessions):
    sessions.secrets.update(feedback_rate_limit_per_process=20)
    saved = _at_once(37, lambda i: _comment(i, f"192.0.2.{i}"))
    assert sessions.store.count() == sum(saved) == 20


# --- poll answers -------------------------------------------------------------------------------

def _poll(store, code: str) -> polls.Poll:
    store.open_workshop(code, PIN)
    store.set_screen(code, "housing", ["gva-per-hour"], "vintage-1")
    return store.open_poll(code, "performance", "housing")


def _answer(poll: polls.Poll, i: int, address: str) -> str:
    """One answer from a fresh session with no cookie (a new device each time)."""
    ss = audience_poll.st.session_state
    ss.clear()
    ss["test_address"] = address
    ss[f"aud_rating_{poll.id}"] = 1 + i % 5
    audience_poll._send(poll, polls.new_device_key())
    return ss[audience_poll._status_key(poll.id)][0]


def test_poll_answers_without_a_cookie_are_limited_per_address(sessions):
    sessions.secrets.update(poll_rate_limit_per_address=10)
    poll = _poll(sessions.store, "BURST-POLL-1")
    statuses = _at_once(60, lambda i: _answer(poll, i, "203.0.113.60"))
    assert statuses.count("saved") == 10 and statuses.count("busy") == 50
    assert sessions.store.answer_count(poll.id) == 10
    # Another address is not affected.
    assert _at_once(1, lambda i: _answer(poll, i, "198.51.100.61")) == ["saved"]


def test_poll_answers_are_limited_per_process(sessions):
    sessions.secrets.update(poll_rate_limit_per_process=15)
    poll = _poll(sessions.store, "BURST-POLL-2")
    statuses = _at_once(30, lambda i: _answer(poll, i, f"192.0.2.{i}"))
    assert statuses.count("saved") == 15
    assert sessions.store.answer_count(poll.id) == 15


def test_the_default_answer_limits_never_block_a_workshop_room():
    """100 phones behind one router answering six rounds in ten minutes."""
    assert audience_poll.ANSWERS_PER_ADDRESS >= 100 * 6
    assert audience_poll.ANSWERS_PER_PROCESS >= 5 * audience_poll.ANSWERS_PER_ADDRESS
