"""The sounding board's submission policy without AppTest (lis_data.feedback.submission)."""

from __future__ import annotations

import pytest

from lis_data.feedback import FeedbackStoreUnavailable, open_store, submission
from lis_data.feedback.validation import new_submission_key

PRIORITIES, PLACES = ["housing", "skills"], ["E07000217"]


def _form(**values) -> dict:
    raw = {**submission.CLEARED, "priority": "housing", "respondent_type": "resident",
           "comment": "The housing figures miss the new towns.", "consent": True,
           "honeypot": "", "workshop_code": None, "submission_key": new_submission_key()}
    raw.update(values)
    return raw


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite://{tmp_path / 'feedback.sqlite'}", create=True)
    yield s
    s.close()


def _send(store, raw, memory=submission.Memory(), **kw):
    kw.setdefault("most", 5)
    kw.setdefault("window", 600.0)
    return submission.submit(raw, priorities=PRIORITIES, places=PLACES, store=lambda: store, memory=memory, **kw)


def test_a_valid_comment_is_stored_once_even_when_sent_twice(store):
    raw = _form()
    first = _send(store, raw, now=1000.0)
    assert first.status[0] == "saved" and first.clear_form and first.memory.sent_at == (1000.0,)
    # the same comment again under a new key (a second click after the form was refilled): the first row
    again = _send(store, {**raw, "submission_key": new_submission_key()}, first.memory, now=1001.0)
    assert again.status == ("duplicate", first.status[1])
    assert len(store.list(include_hidden=True)) == 1
    # a tap that reaches the server after the form was cleared changes nothing
    assert _send(store, _form(**{**submission.CLEARED, "priority": None}), first.memory).status is None


def test_the_decoy_looks_stored_stores_nothing_and_counts(store):
    decoys = []
    out = _send(store, _form(honeypot="http://spam.example"), now=5.0,
                shared=submission.SharedLimits(record_decoy=lambda: decoys.append(1)))
    assert out.status[0] == "saved" and out.clear_form and out.memory.sent_at == (5.0,)
    assert decoys == [1] and store.list(include_hidden=True).empty


def test_invalid_values_are_named_and_nothing_is_counted(store):
    out = _send(store, _form(priority="nowhere", comment=""))
    assert out.status == ("invalid", len(out.errors)) and {"priority", "comment"} <= set(out.errors)
    assert not out.clear_form and out.memory.sent_at == ()


def test_the_session_and_shared_limits_refuse_with_a_wait(store):
    memory = submission.Memory(sent_at=(100.0, 200.0))
    out = _send(store, _form(), memory, most=2, window=600.0, now=300.0)
    assert out.status == ("rate", (2, 600.0, 7))  # the oldest leaves the window at 700 s: 400 s, 7 minutes
    taken = []
    busy = submission.SharedLimits(reserve=lambda: ("address", 3), release=lambda: taken.append("back"))
    assert _send(store, _form(), shared=busy).status == ("busy", ("address", 3))
    assert store.list(include_hidden=True).empty and not taken


def test_a_store_that_fails_gives_the_places_back(store):
    given_back = []

    def unavailable():
        raise FeedbackStoreUnavailable("down")

    out = submission.submit(_form(), priorities=PRIORITIES, places=PLACES, store=unavailable,
                            memory=submission.Memory(), most=5, window=600.0,
                            shared=submission.SharedLimits(release=lambda: given_back.append(1)))
    assert out.status[0] == "unavailable" and isinstance(out.error, FeedbackStoreUnavailable)
    assert given_back == [1] and not out.clear_form
