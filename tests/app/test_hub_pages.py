"""The LIS hub's pages (AppTest): a published workshop record shows the approved comment and the poll
results and never a held or rejected comment, a name or an email; an unpublished record is not
shown; every new field with hostile text (Markdown, HTML, formulas, bidi, huge text) is shown
literally on every page that shows it; the LIS contact address is at every page's foot."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from markdown_safety import active_parts
from page_helpers import assert_clean, run_page

from lis_data.feedback import open_store, validate_submission
from lis_data.feedback import polls
from lis_data.hub import validation as hub_validation

PRIORITIES = tuple(p for p in ("innovation", "workforce", "places", "housing", "gateways", "energy", "digital",
                               "connections", "exports"))
INDICATORS = ("employment-rate", "claimant-count", "median-weekly-pay", "gva-per-hour")
HOSTILE = ("# Heading [a link](https://evil.example) ![img](https://evil.example/x.png) <b>bold</b> "
           "<script>alert(1)</script> =HYPERLINK(\"http://evil.example\") $$x^2$$ :material/home: :smile: "
           "www.evil.example mail@evil.example **strong** | a | b |\n|---|---|\n \u202eevil\u202c")


@pytest.fixture(scope="module")
def fstore():
    s = open_store(os.environ["LIS_FEEDBACK_URL"])
    yield s
    s.close()


def _bodies(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "success", "info", "warning", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [str(e.proto.label) for e in at.get("page_link")]
    out += [str(e.proto.label) for e in at.get("expandable")]
    return out


def assert_literal(at) -> None:
    """Nothing of the hostile text (every body holding "evil") renders as a link, image, HTML,
    formula, heading, table or short code, and no bidi override is left active."""
    for body in _bodies(at):
        if "evil" not in body:
            continue
        assert not active_parts(body), (body[:200], active_parts(body))
        assert "\u202e" not in body, body[:200]


def _comment(code: str, text: str, **over):
    raw = {"priority": "housing", "places": [], "respondent_type": "business", "organisation": "", "comment": text,
           "evidence_url": "", "name": "Secret Name", "email": "secret@example.org", "consent": True,
           "honeypot": "", "workshop_code": code, "submission_key": uuid.uuid4().hex, **over}
    sub = validate_submission(raw, priorities=PRIORITIES, places=("Guildford",))
    assert not isinstance(sub, dict), sub
    return sub


def test_record_shows_approved_comments_and_polls_only(fstore):
    code = f"REC-{uuid.uuid4().hex[:6].upper()}"
    fstore.open_workshop(code, "pin-123456")
    fstore.set_screen(code, "housing", ["house-price-ratio"], "vintage-abc")
    approved = fstore.append(_comment(code, "APPROVED comment about housing supply"))
    rejected = fstore.append(_comment(code, "REJECTED comment, rude words"))
    fstore.append(_comment(code, "HELD comment still waiting"))
    fstore.review_comment(approved.id, "approved")
    fstore.review_comment(rejected.id, "rejected")
    poll = fstore.open_poll(code, "performance", "housing")
    for d, rating in enumerate((2, 4, 4)):
        fstore.answer_poll(polls.validate_answer(poll, device_key=f"device-{d:08d}-abcdef", answer_key=f"ans-{d:08d}",
                                                 priority="housing", rating=rating, priorities=PRIORITIES))
    at = run_page("workshops", {"code": code})
    assert_clean(at)
    assert any("no published record" in i.value for i in at.info)  # not public until published
    assert "APPROVED" not in " ".join(_bodies(at))
    fstore.publish_record(code, "A. Staff")
    at = run_page("workshops", {"code": code.lower()})
    assert_clean(at)
    text = " ".join(_bodies(at))
    assert "APPROVED comment about housing supply" in text
    for never in ("REJECTED", "HELD", "Secret Name", "secret@example.org", approved.reference):
        assert never not in text, never
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Answers"] == "3" and metrics["Mean (1 to 5)"] == polls.fmt_mean(10 / 3)
    assert any("vintage" in c.value for c in at.caption)


def test_hostile_text_shown_literally_on_every_hub_page(fstore):
    now = datetime.now(timezone.utc)
    code = f"HOST-{uuid.uuid4().hex[:6].upper()}"
    fstore.open_workshop(code, "pin-123456")
    c = fstore.append(_comment(code, HOSTILE))
    fstore.review_comment(c.id, "approved")
    fstore.publish_record(code, "A. Staff")
    item = hub_validation.validate_research({"title": HOSTILE[:300], "authors": HOSTILE[:300], "published": "2026-01-01",
                                             "summary": HOSTILE + " x" * 2000, "priorities": ["housing"],
                                             "indicators": ["employment-rate"], "licence": HOSTILE[:200],
                                             "link": "https://example.org/r.pdf", "added_by": HOSTILE[:200]},
                               priorities=PRIORITIES, indicators=INDICATORS, has_file=False)
    assert isinstance(item, hub_validation.ResearchItem), item
    fstore.add_research(item)
    ev = hub_validation.validate_event({"title": HOSTILE[:200], "starts_at": now - timedelta(days=1, hours=2),
                                        "ends_at": now - timedelta(days=1), "place": HOSTILE[:300], "priority": "housing",
                                        "description": HOSTILE, "workshop_code": code}, priorities=PRIORITIES)
    assert isinstance(ev, hub_validation.EventItem), ev
    fstore.add_event(ev)
    idea = hub_validation.validate_idea({"priority": "housing", "title": HOSTILE[:150], "description": HOSTILE,
                                         "indicators": ["employment-rate"], "submission_key": uuid.uuid4().hex},
                           priorities=PRIORITIES, indicators=INDICATORS)
    receipt = fstore.propose_idea(idea)
    fstore.comment_on_idea(receipt.id, hub_validation.IdeaComment(HOSTILE, uuid.uuid4().hex))
    fstore.respond_to_idea(receipt.id, hub_validation.IdeaResponse(hub_validation.STATUS_NOT_TAKEN, HOSTILE, HOSTILE, "A. Staff"))
    for path, query in (("research", {}), ("research", {"q": "evil"}), ("events", {}), ("workshops", {"code": code}),
                        ("ideas", {}), ("ideas", {"id": receipt.id}), ("you-said-we-did", {}), ("housing", {})):
        at = run_page(path, query)
        assert_clean(at)
        assert_literal(at)
        assert any("evil" in b for b in _bodies(at)), path  # the hostile text is there, shown literally


def test_contact_address_at_every_hub_page_foot():
    for path in ("research", "events", "workshops", "ideas", "you-said-we-did", "join", "staff-hub", "overview"):
        at = run_page(path)
        assert_clean(at)
        assert "mailto:LIS@enterprisem3.org.uk" in at.caption[-1].value, path
    at = run_page("join", secrets={"lis_contact_email": "[x](javascript:alert(1))"})  # a bad setting: the default
    assert "mailto:LIS@enterprisem3.org.uk" in at.caption[-1].value


def test_join_validates_and_stores(fstore):
    at = run_page("join")
    at.text_input(key="board_name").input("=SUM(A1:A9)")
    at.text_input(key="board_email").input("not an email")
    at.button(key="board_join").click().run()
    assert any("Email" in e.value for e in at.error) and any("Consent" in e.value for e in at.error)
    email = f"member-{uuid.uuid4().hex[:6]}@example.org"
    at.text_input(key="board_email").input(email)
    at.checkbox(key="board_consent").check()
    at.button(key="board_join").click().run()
    assert_clean(at)
    assert any("BM-" in s.value.replace("\\", "") for s in at.success)
    members = fstore.board_members()
    assert email in set(members["email"])


def test_staff_hub_shows_hostile_text_literally_and_exports_members_safely(fstore):
    """The staff hub, signed in: every list shows the hostile text literally; the members' CSV is safe."""
    import hashlib

    from scripts.app_test_pages import goto, new_app_test

    password = "staff-password-for-tests"
    member = hub_validation.validate_member({"name": "=cmd|' /C calc'!A0", "email": "m@example.org", "organisation": "@SUM(1)",
                                             "consent": True, "submission_key": uuid.uuid4().hex}, priorities=PRIORITIES)
    fstore.join_board(member)
    idea = hub_validation.validate_idea({"priority": "housing", "title": HOSTILE[:150], "description": HOSTILE,
                                         "indicators": ["employment-rate"], "submission_key": uuid.uuid4().hex},
                           priorities=PRIORITIES, indicators=INDICATORS)
    iid = fstore.propose_idea(idea).id
    fstore.comment_on_idea(iid, hub_validation.IdeaComment(HOSTILE, uuid.uuid4().hex))
    at = new_app_test({"staff_password": password})
    at.session_state["staff_authorised"] = hashlib.sha256(password.encode()).hexdigest()
    at.run()
    goto(at, "staff-hub")
    at.run()
    assert_clean(at)
    assert_literal(at)
    assert any("evil" in b for b in _bodies(at))
    export = fstore.export_board().decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in export and "'@SUM(1)" in export
