"""The projector a facilitator drives, on both backends: its state (slide, priority on screen) with
a counter that grows on every change, the facilitator's projector key (hashed, replaced by a new
one, revoked when staff reclaim the workshop), the room's address, and bulk moderation."""

from __future__ import annotations

import pytest

from lis_data.feedback import polls
from lis_data.feedback.projector_store import (
    SLIDES,
    PublicUrlError,
    is_loopback,
    normalise_public_url,
)

from .conftest import submission

CODE = "PROJ-TEST-1"


def test_schema_has_the_projector_migration(store):
    assert store.schema_version() >= 121


def test_projector_state_changes_and_counts_every_change(store):
    w, _ = store.open_workshop(CODE, "pin-123456")
    assert (w.slide, w.state_seq, w.screen_priority) == (None, 0, None)
    w = store.drive_projector(CODE, slide="poll")
    assert (w.slide, w.state_seq) == ("poll", 1)
    w = store.drive_projector(CODE, priority="housing", indicators=["house-price-ratio"], vintage="v1")
    assert (w.slide, w.state_seq, w.screen_priority, w.screen_indicators, w.screen_vintage) == \
        ("poll", 2, "housing", ("house-price-ratio",), "v1")
    with pytest.raises(polls.PollError, match="slide"):
        store.drive_projector(CODE, slide="<script>")
    with pytest.raises(polls.PollNotFound):
        store.drive_projector("NEVER-OPENED", slide="wall")
    assert set(SLIDES) == {"evidence", "poll", "results", "shift", "matrix", "wall", "question"}


def test_projector_key_is_hashed_replaced_and_revoked_by_reclaim(store):
    store.open_workshop(CODE, "pin-123456")
    assert not store.projector_key_matches(CODE, "x" * 40), "no key yet"
    key = store.new_projector_key(CODE)
    assert store.workshop(CODE).has_projector_key
    assert store.projector_key_matches(CODE, key)
    assert not store.projector_key_matches(CODE, key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert not store.projector_key_matches("OTHER-CODE", key)
    assert key not in repr(store.workshop(CODE))
    newer = store.new_projector_key(CODE)
    assert store.projector_key_matches(CODE, newer) and not store.projector_key_matches(CODE, key)
    store.reclaim_workshop(CODE, "staff-new-pin")
    assert not store.projector_key_matches(CODE, newer)
    assert store.check_workshop_pin(CODE, "staff-new-pin") and not store.check_workshop_pin(CODE, "pin-123456")


def test_a_claimed_code_is_reclaimed_by_staff_keeping_its_comments(store):
    """Issue 18: someone claimed the code first with their own PIN; staff give it a new one."""
    store.open_workshop(CODE, "squatter-pin", opened_by="facilitator")
    r = store.append(submission(1, workshop_code=CODE))
    w = store.reclaim_workshop(CODE, "the-real-pin")
    assert w.opened_by == "staff"
    assert store.check_workshop_pin(CODE, "the-real-pin") and not store.check_workshop_pin(CODE, "squatter-pin")
    assert list(store.workshop_comments(CODE)["reference"]) == [r.reference]


def test_public_url_is_validated_and_stored(store):
    store.open_workshop(CODE, "pin-123456")
    assert store.set_public_url(CODE, " https://Dash.Example.org/em3/ ").public_url == "https://dash.example.org/em3"
    assert store.set_public_url(CODE, "").public_url is None
    for bad, reason in (("ftp://x.org", "http"), ("javascript:alert(1)", "http"), ("https://u:p@x.org", "user"),
                        ("https://x.org/?a=1", "query"), ("https://x.org/#f", "fragment"), ("http://", "host"),
                        ("https://x.org:99999", "port"), ("https://x.org/a b", "spaces"), ("https://é.org", "letters"),
                        ("https://x.org/" + "a" * 300, "200")):
        with pytest.raises(PublicUrlError, match=reason):
            normalise_public_url(bad)
    assert normalise_public_url("http://192.168.1.20:8501") == "http://192.168.1.20:8501"
    assert [is_loopback(u) for u in ("http://127.0.0.1:8501", "http://localhost", "http://[::1]:1",
                                      "http://127.1.2.3", "http://192.168.1.20", "https://dash.example.org",
                                      None)] == [True, True, True, True, False, False, False]


def test_forty_held_comments_approved_in_one_action(store):
    store.open_workshop(CODE, "pin-123456")
    ids = [store.append(submission(i, workshop_code=CODE)).id for i in range(40)]
    other = store.append(submission(99, workshop_code="OTHER-CODE")).id
    assert store.comment_states(CODE)["held"] == 40
    assert store.review_comments(CODE, [*ids, other, "not-a-uuid"], "approved") == 40
    assert store.comment_states(CODE)["approved"] == 40 and store.comment_states(CODE)["held"] == 0
    assert len(store.projector_comments(CODE, limit=100)) == 40
    assert store.comment_states("OTHER-CODE")["held"] == 1, "another workshop's comment is not touched"
    with pytest.raises(ValueError):
        store.review_comments(CODE, ids, "hidden")
