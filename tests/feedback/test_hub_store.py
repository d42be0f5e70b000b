"""The LIS hub's tables on both backends (SQLite and PostgreSQL): research with full-text search over
the PDF's text, events, published workshop records, ideas (support once per device, moderation,
responses), sounding-board members (export made safe for spreadsheets, erasure by reference)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from lis_data.feedback import FeedbackNotFound, open_store
from lis_data.feedback.polls import device_hash, new_device_key
from lis_data.hub import pdf_check
from lis_data.hub import validation as hub_validation

from .conftest import PRIORITIES

INDICATORS = ("employment-rate", "claimant-count", "median-weekly-pay")
HOSTILE = ("=HYPERLINK(\"http://evil.example\",\"x\") <script>alert(1)</script> **bold** [link](http://x) "
           "\u202eevil\u202c ~~s~~ $x^2$ :material/home: é 漢字")


def make_pdf(body: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=f"<h1>A study</h1><p>{body}</p>").write_pdf()


def research_item(**over) -> hub_validation.ResearchItem:
    raw = {"title": "Skills in the EM3 area", "authors": "Enterprise M3 LEP", "published": "2026-06-01",
           "summary": "What employers say about skills.", "priorities": ["workforce"],
           "indicators": ["employment-rate"], "licence": hub_validation.LICENCES[0], "link": "", "added_by": "A. Staff", **over}
    item = hub_validation.validate_research(raw, priorities=PRIORITIES, indicators=INDICATORS, has_file=True)
    assert isinstance(item, hub_validation.ResearchItem), item
    return item


def idea_item(**over) -> hub_validation.IdeaItem:
    raw = {"priority": "workforce", "title": "Digital skills bootcamps",
           "description": "Short courses for adults moving into digital jobs across the area.",
           "indicators": ["employment-rate", "claimant-count"], "submission_key": uuid.uuid4().hex, **over}
    item = hub_validation.validate_idea(raw, priorities=PRIORITIES, indicators=INDICATORS)
    assert isinstance(item, hub_validation.IdeaItem), item
    return item


def test_research_search_finds_a_word_only_in_the_pdf_body(store):
    pdf = make_pdf("The quarrymen of Farnham discussed xylophonist apprenticeships.")
    checked = pdf_check.check_pdf(pdf, "study.pdf")
    rid = store.add_research(research_item(), checked, pdf, "study.pdf")
    other = store.add_research(research_item(title="Housing supply", priorities=["housing"], summary="Homes.",
                                             link="https://example.org/housing.pdf"))
    # only in the body, stemmed ("xylophonists" finds "xylophonist"), any case
    assert [r.id for r in store.search_research("XYLOPHONISTS")] == [rid]
    assert [r.id for r in store.search_research("housing")] == [other]
    assert store.search_research("xylophonist housing") == []  # every word must match
    for hostile in ('"', "NEAR(", "* OR 1=1 --", "'); DROP TABLE research; --", "\u202e", "", " " * 300):
        assert isinstance(store.search_research(hostile), list)
    name, content = store.research_file(rid)
    assert (name, content) == ("study.pdf", pdf)
    assert [r.id for r in store.research_list(priority="workforce")] == [rid]
    assert store.research(other).link == "https://example.org/housing.pdf" and not store.research(other).has_file
    store.withdraw_research(rid)
    assert store.search_research("xylophonist") == []
    with pytest.raises(FeedbackNotFound):
        store.research_file(rid)


def test_replicas_share_the_library(store_url):
    a, b = open_store(store_url), open_store(store_url)
    try:
        pdf = make_pdf("A word zanzibarian here.")
        rid = a.add_research(research_item(), pdf_check.check_pdf(pdf), pdf, "x.pdf")
        assert [r.id for r in b.search_research("zanzibarian")] == [rid]
        assert b.research_file(rid)[1] == pdf
    finally:
        a.close()
        b.close()


def test_hostile_text_is_stored_exactly(store):
    item = research_item(title=HOSTILE[:300], summary=HOSTILE, authors=HOSTILE[:300])
    rid = store.add_research(item)
    back = store.research(rid)
    assert (back.title, back.summary) == (HOSTILE[:300], HOSTILE)
    iid = store.propose_idea(idea_item(title=HOSTILE[:150], description=HOSTILE)).id
    assert store.idea(iid).description == HOSTILE


def test_events_and_workshop_records(store):
    now = datetime.now(timezone.utc)
    past = hub_validation.validate_event({"title": "Workforce workshop", "starts_at": now - timedelta(days=2, hours=2),
                                          "ends_at": now - timedelta(days=2), "place": "Guildford", "priority": "workforce",
                                          "description": "", "workshop_code": "guildford-2026-12-01"}, priorities=PRIORITIES)
    future = hub_validation.validate_event({"title": "Housing forum", "starts_at": now + timedelta(days=5),
                                            "ends_at": now + timedelta(days=5, hours=2), "place": "Basingstoke"},
                              priorities=PRIORITIES)
    assert isinstance(past, hub_validation.EventItem) and isinstance(future, hub_validation.EventItem)
    store.add_event(past)
    store.add_event(future)
    events = store.events()
    assert [e.title for e in events] == ["Workforce workshop", "Housing forum"]
    assert events[0].workshop_code == "GUILDFORD-2026-12-01" and not events[0].record_published
    with pytest.raises(FeedbackNotFound):  # no such workshop yet
        store.publish_record("GUILDFORD-2026-12-01", "A. Staff")
    store.open_workshop("GUILDFORD-2026-12-01", "pin-123456")
    store.publish_record("guildford-2026-12-01", "A. Staff")
    assert store.events()[0].record_published
    assert store.record_published("GUILDFORD-2026-12-01") is not None
    store.withdraw_record("GUILDFORD-2026-12-01")
    assert store.record_published("GUILDFORD-2026-12-01") is None


def test_idea_support_once_per_device_moderation_and_response(store):
    receipt = store.propose_idea(idea_item())
    assert receipt.reference.startswith("ID-")
    iid = receipt.id
    a, b = device_hash(new_device_key()), device_hash(new_device_key())
    assert store.support_idea(iid, a).count == 1
    assert store.support_idea(iid, b).count == 2
    again = store.support_idea(iid, a)
    assert (again.count, again.added) == (2, False)
    assert store.idea(iid).supports == 2
    cid, dup = store.comment_on_idea(iid, hub_validation.IdeaComment("A comment that is long enough.", "k" * 12))
    assert not dup and store.comment_on_idea(iid, hub_validation.IdeaComment("Again", "k" * 12)) == (cid, True)
    store.moderate_hub("idea_comment", cid, "rejected", "A. Staff")
    assert store.idea_comments(iid) == [] and len(store.idea_comments(iid, include_rejected=True)) == 1
    response = hub_validation.validate_response({"status": hub_validation.STATUS_TAKEN, "response": "Added to the skills chapter.",
                                                 "actor": "A. Staff"})
    store.respond_to_idea(iid, response)
    idea = store.idea(iid)
    assert (idea.status, idea.response) == (hub_validation.STATUS_TAKEN, "Added to the skills chapter.")
    assert [i.id for i in store.ideas(status=hub_validation.STATUS_TAKEN)] == [iid]
    store.moderate_hub("idea", iid, "rejected", "A. Staff")
    assert store.ideas() == [] and store.idea(iid).state == "rejected"
    with pytest.raises(FeedbackNotFound):  # a rejected idea takes no more support
        store.support_idea(iid, device_hash(new_device_key()))


def test_same_idea_key_stores_once(store):
    item = idea_item()
    first, second = store.propose_idea(item), store.propose_idea(item)
    assert first.id == second.id and second.duplicate and len(store.ideas()) == 1


def test_board_members_export_safe_and_erased(store):
    hostile = hub_validation.validate_member({"name": "=cmd|' /C calc'!A0", "email": "a@example.org", "organisation": "+SUM(A1)",
                                              "priorities": ["housing"], "consent": True, "submission_key": "m" * 16},
                                priorities=PRIORITIES)
    plain = hub_validation.validate_member({"name": "B. Person", "email": "b@example.org", "priorities": [], "consent": True,
                                            "submission_key": "n" * 16}, priorities=PRIORITIES)
    ref, _ = store.join_board(hostile)
    ref2, _ = store.join_board(plain)
    assert ref.startswith("BM-")
    rows = list(csv.DictReader(io.StringIO(store.export_board().decode("utf-8-sig"))))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0" and rows[0]["organisation"] == "'+SUM(A1)"
    result = store.erase(ref.lower(), scope="all", actor="A. Staff", reason="asked")
    assert result.reference == ref
    store.erase(ref2, scope="personal", actor="A. Staff")
    members = store.board_members()
    assert list(members["reference"]) == [ref2] and members["email"].isna().all()
    assert list(store.erasures()["reference"]) == [ref2, ref]
    with pytest.raises(FeedbackNotFound):
        store.erase(ref, scope="all", actor="A. Staff")


def test_member_needs_consent_and_a_real_email():
    errors = hub_validation.validate_member({"name": "X", "email": "not-an-email", "consent": False, "submission_key": "z" * 10},
                                            priorities=PRIORITIES)
    assert set(errors) == {"email", "consent"}
