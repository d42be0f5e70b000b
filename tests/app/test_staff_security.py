"""The staff page under attack and in use: throttled sign-in across sessions, a misconfigured
password setting, erasure by reference, and what staff see of a comment's characters.

AppTest runs the app in this process, so the process-wide windows of web.throttle are the
ones the page uses: each test starts them afresh. AppTest has no client address, so every
session is the one 'unknown' address unless a test says otherwise.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from page_helpers import run_page
from streamlit.testing.v1 import AppTest

from lis_data import feedback

PASSWORD = "correct horse battery staple"
OPEN = "Open the staff page"


pytestmark = pytest.mark.usefixtures("fresh_throttle")


def _sign_in(entered: str, secrets: dict | None = None) -> AppTest:
    """A new session (as after a reload) that types `entered` into the password form."""
    at = run_page("staff", secrets=secrets or {"staff_password": PASSWORD})
    at.text_input(key="staff_password_entry").input(entered)
    [button] = [b for b in at.button if b.label == OPEN]
    return button.click().run()


def _texts(elements) -> list[str]:
    """Element texts as a reader sees them: md_escape's backslashes and invisible word joiners removed."""
    return [e.value.replace("\\", "").replace("\u2060", "") for e in elements]


def _signed_in(at: AppTest) -> bool:
    return any(b.label == "Sign out" for b in at.button)


# --- sign-in throttle ---------------------------------------------------------------------------

def test_wrong_passwords_lock_the_address_across_reloads_and_are_logged_without_the_password(caplog):
    from pages import staff_review

    guesses = [f"guess-{i}-{uuid.uuid4().hex[:6]}" for i in range(staff_review.FAILURES_PER_ADDRESS)]
    with caplog.at_level(logging.WARNING, logger="pages.staff_review"):
        for guess in guesses:
            at = _sign_in(guess)
            assert not at.exception
            assert any("not right" in e for e in _texts(at.error)), _texts(at.error)
    failures = [r.getMessage() for r in caplog.records if "wrong password" in r.getMessage()]
    assert len(failures) == len(guesses)
    assert all("unknown" in f for f in failures), "the address is logged"
    for guess in guesses:
        assert not any(guess in r.getMessage() for r in caplog.records), "never the password"
    # A reload, then the right password: still refused until the window passes.
    at = _sign_in(PASSWORD)
    assert not at.exception
    assert any("Too many wrong passwords" in e for e in _texts(at.error)), _texts(at.error)
    assert not _signed_in(at) and not at.dataframe


def test_failures_from_many_addresses_hit_the_process_ceiling(monkeypatch):
    from pages import staff_review
    from ui import client

    from web import throttle

    monkeypatch.setattr(staff_review, "SIGN_IN_FAILURES", throttle.FailureLimit(
        "staff-failures", staff_review.FAILURES_PER_ADDRESS, 3, staff_review.FAILURE_WINDOW_SECONDS))
    addresses = iter(f"198.51.100.{i}" for i in range(1, 100))
    current = {"address": next(addresses)}
    monkeypatch.setattr(client, "address", lambda: current["address"])
    for _ in range(3):
        current["address"] = next(addresses)
        at = _sign_in("wrong-" + uuid.uuid4().hex)
        assert any("not right" in e for e in _texts(at.error))
    current["address"] = next(addresses)  # a fresh address, the right password
    at = _sign_in(PASSWORD)
    assert any("Too many wrong passwords" in e for e in _texts(at.error)), _texts(at.error)
    assert not _signed_in(at)


def test_another_address_is_not_locked_out_by_one_guesser(monkeypatch):
    from pages import staff_review
    from ui import client

    who = {"address": "203.0.113.66"}
    monkeypatch.setattr(client, "address", lambda: who["address"])
    for _ in range(staff_review.FAILURES_PER_ADDRESS):
        _sign_in("wrong-" + uuid.uuid4().hex)
    who["address"] = "192.0.2.10"
    at = _sign_in(PASSWORD)
    assert not at.exception and _signed_in(at), _texts(at.error)


@pytest.mark.parametrize("value, reason", [(12345678901234, "a number"), (1234, "a number"), (True, "bool"),
                                           ("pa55word", "shorter than 12")])
def test_a_password_setting_that_is_not_a_long_enough_string_is_reported_as_misconfigured(value, reason):
    at = run_page("staff", secrets={"staff_password": value})
    assert not at.exception
    errors = " ".join(_texts(at.error))
    assert "misconfigured" in errors and reason in errors, errors
    assert "quoted string" in errors
    assert str(value) not in errors or reason == "bool", "the value is never shown"
    assert not any("No staff access is configured" in w for w in _texts(at.warning))
    assert not at.text_input, "no password form to guess at"
    assert not at.dataframe


# --- erasure ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ErasureResult:
    reference: str
    scope: str
    erased_at: datetime


class FakeErasingStore:
    """The real test store, plus `erase` with the store's signature, recording its calls."""

    def __init__(self, real, known: set[str]):
        self._real = real
        self.known = known
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        return getattr(self._real, name)

    def erase(self, reference: str, *, scope, actor: str, reason: str = "") -> ErasureResult:
        self.calls.append((reference, scope, actor, reason))
        if reference not in self.known:
            raise feedback.FeedbackNotFound(f"No feedback with reference {reference}")
        return ErasureResult(reference, scope, datetime(2026, 12, 3, 14, 5, tzinfo=timezone.utc))


@pytest.fixture
def fake_store(monkeypatch):
    from ui import feedback_access

    real = feedback.open_store(os.environ["LIS_FEEDBACK_URL"])
    fake = FakeErasingStore(real, {"SB-7F3K2Q"})
    monkeypatch.setattr(feedback_access, "store", lambda: fake)
    yield fake
    real.close()


def _staff() -> AppTest:
    at = _sign_in(PASSWORD)
    assert _signed_in(at), _texts(at.error)
    return at


def _erase_form(at: AppTest, reference: str, scope: str, reason: str = "") -> AppTest:
    at.text_input(key="staff_erase_reference").input(reference)
    at.radio(key="staff_erase_scope").set_value(scope)
    at.text_input(key="staff_erase_reason").input(reason)
    [button] = [b for b in at.button if b.label == "Erase…"]
    return button.click().run()


def _click(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def test_erasing_personal_details_asks_for_confirmation_then_calls_the_store(fake_store):
    at = _staff()
    _erase_form(at, " sb-7f3k2q ", "personal", "removal requested by email")
    assert not at.exception
    assert fake_store.calls == [], "nothing erased before the confirmation"
    assert any("SB-7F3K2Q" in w and "cannot be undone" in w and "name and email" in w for w in _texts(at.warning))
    _click(at, "Yes, erase")
    assert not at.exception
    assert fake_store.calls == [("SB-7F3K2Q", "personal", "staff password (unknown)", "removal requested by email")]
    assert any("Erased the name and email of SB" in s and "2026-12-03 14:05" in s for s in _texts(at.success)), \
        _texts(at.success)
    assert at.text_input(key="staff_erase_reference").value == ""


def test_erasing_the_whole_submission_and_cancelling(fake_store):
    at = _staff()
    _erase_form(at, "SB-7F3K2Q", "all")
    _click(at, "Cancel")
    assert fake_store.calls == []
    assert any("Nothing erased" in s for s in _texts(at.success))
    _erase_form(at, "SB-7F3K2Q", "all")
    _click(at, "Yes, erase")
    assert fake_store.calls == [("SB-7F3K2Q", "all", "staff password (unknown)", "")]
    assert any("Erased the whole of SB" in s for s in _texts(at.success))


def test_an_unknown_reference_says_nothing_was_erased(fake_store):
    at = _staff()
    _erase_form(at, "SB-0000AA", "all")
    _click(at, "Yes, erase")
    assert not at.exception
    assert any("no submission has the reference SB" in e for e in _texts(at.error)), _texts(at.error)


@pytest.mark.parametrize("typed", ["", "SB-123", "SB-7F3K2U", "<b>x</b>", "SB-7F3K2Q; DROP TABLE feedback"])
def test_a_malformed_reference_is_refused_before_any_confirmation(fake_store, typed):
    at = _staff()
    _erase_form(at, typed, "all")
    assert not at.exception
    assert any("SB- followed by six" in e for e in _texts(at.error)), _texts(at.error)
    assert not any(b.label == "Yes, erase" for b in at.button)
    assert fake_store.calls == []


def test_privacy_notice_says_how_to_have_details_or_the_comment_erased():
    at = run_page("sounding-board")
    notice = [c.value for c in at.caption if "LIS@enterprisem3.org.uk" in c.value]
    assert notice and "your whole comment" in notice[0] and "every export" in notice[0]


# --- what staff see ------------------------------------------------------------------------------

def test_staff_see_bidi_controls_neutralised_and_the_store_keeps_them():
    marker = f"mark-{uuid.uuid4().hex[:12]}"
    spoofed = f"Invoice \u202egnp.exe\u202c for {marker} see www.evil.example"
    sub = feedback.validate_submission(
        {"priority": "housing", "respondent_type": "other", "comment": spoofed,
         "submission_key": feedback.new_submission_key()},
        priorities=["housing"], places=[])
    with feedback.open_store(os.environ["LIS_FEEDBACK_URL"]) as store:
        store.append(sub)
        stored = store.list(include_hidden=True)
    assert spoofed in list(stored["comment"]), "stored exactly as typed"
    at = _staff()
    [fid] = list(stored[stored["comment"] == spoofed]["id"])
    at.selectbox(key="staff_moderate_id").set_value(fid).run()
    assert not at.exception
    shown = f"Invoice ⟨U+202E⟩gnp.exe⟨U+202C⟩ for {marker} see www.evil.example"
    table = next(d.value for d in at.dataframe if "Comment" in d.value.columns)
    assert shown in list(table["Comment"])
    assert shown in _texts(at.text)
    everything = " ".join(_texts(at.text)) + " ".join(str(v) for v in table["Comment"])
    assert "\u202e" not in everything
