"""What the public may see of the comments (issue 18, moderation bypass): the evidence pack shows
only what the projector's rule lets through (a held workshop comment never, a rejected or erased one
never), and the store's change counter moves with every moderation and erasure, so a pack cached
under it is never served again once a comment in it was rejected or erased."""

from __future__ import annotations

from lis_data.pack.content import _feedback

from .conftest import submission

CODE = "PACK-MOD-1"
OPEN = "PACK-OPEN-1"


def _texts(url: str, priority: str) -> set[str]:
    got = _feedback(url, priority, None)
    assert got.available
    return {c.text for c in got.comments}


def test_pack_prints_only_comments_the_projector_rule_lets_through(store_url, store):
    held = store.append(submission(3, workshop_code=CODE, comment="Held for the facilitator, never public yet."))
    approved = store.append(submission(12, workshop_code=CODE, comment="Approved by the facilitator: public."))
    rejected = store.append(submission(21, workshop_code=CODE, comment="Rejected by the facilitator: never public."))
    plain = store.append(submission(30, workshop_code="", comment="Sent without a workshop code: public."))
    store.open_workshop(OPEN, "pin-123456", hold_comments=False)
    unheld = store.append(submission(39, workshop_code=OPEN, comment="In a workshop that does not hold: public."))
    store.review_comment(approved.id, "approved")
    store.review_comment(rejected.id, "rejected")
    priority = submission(3).priority
    assert {submission(i).priority for i in (12, 21, 30, 39)} == {priority}  # every one about one priority
    texts = _texts(store_url, priority)
    assert texts == {"Approved by the facilitator: public.", "Sent without a workshop code: public.",
                     "In a workshop that does not hold: public."}
    # One rule: the projector of each workshop shows exactly the pack's comments of that workshop.
    assert set(store.projector_comments(CODE)["reference"]) == {approved.reference}
    assert set(store.projector_comments(OPEN)["reference"]) == {unheld.reference}
    public = set(store.public_comments()["id"])
    assert public == {str(approved.id), str(plain.id), str(unheld.id)}
    assert str(held.id) not in public and str(rejected.id) not in public
    # Holding comments again takes the workshop's unreviewed comment out of the pack too.
    store.set_hold_comments(OPEN, True)
    assert "In a workshop that does not hold: public." not in _texts(store_url, priority)


def test_change_counter_moves_with_every_moderation_erasure_and_hold_change(store):
    seen = [store.change_counter()]

    def moved() -> bool:
        now = store.change_counter()
        changed = now != seen[-1]
        seen.append(now)
        return changed

    r = store.append(submission(3, workshop_code=CODE))
    assert moved(), "a new comment"
    assert not moved(), "nothing written"
    store.review_comment(r.id, "approved")
    assert moved(), "approved"
    store.review_comment(r.id, "rejected")
    assert moved(), "rejected"
    store.set_hidden(r.id, False)
    assert moved(), "shown again by staff"
    store.erase(r.reference, scope="personal", actor="test")
    assert moved(), "personal details erased"
    store.erase(r.reference, scope="all", actor="test")
    assert moved(), "erased"
    store.open_workshop(OPEN, "pin-123456", hold_comments=True)
    assert moved(), "a workshop opened"
    store.set_hold_comments(OPEN, False)
    assert moved(), "hold turned off"
