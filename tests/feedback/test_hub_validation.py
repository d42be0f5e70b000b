"""Hostile input on every field the LIS hub takes: huge text, NUL, unpaired surrogates, invisible-only
text, non-web links and unknown choices are refused with a message naming the field; Markdown, HTML,
formulas and bidi controls are kept exactly as typed (they are shown escaped: tests/app/test_hub_pages.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from lis_data.hub import validation as hub_validation

P = ("housing", "workforce")
I = ("affordability-ratio", "employment-rate")
NOW = datetime.now(timezone.utc)
KEEP = "=1+2 <b>x</b> **y** [z](javascript:alert(1)) \u202eevil\u202c @SUM(A1)"


def _research(**over):
    raw = {"title": "T", "authors": "A", "published": "2026-01-01", "summary": "S", "priorities": ["housing"],
           "indicators": [], "licence": "OGL", "link": "https://example.org/x", "added_by": "me", **over}
    return hub_validation.validate_research(raw, priorities=P, indicators=I, has_file=False)


def _event(**over):
    raw = {"title": "T", "starts_at": NOW, "ends_at": NOW + timedelta(hours=1), "place": "Woking", **over}
    return hub_validation.validate_event(raw, priorities=P)


def _idea(**over):
    raw = {"priority": "housing", "title": "A title", "description": "A description of twenty chars.",
           "indicators": ["affordability-ratio"], "submission_key": "k" * 16, **over}
    return hub_validation.validate_idea(raw, priorities=P, indicators=I)


def _member(**over):
    raw = {"name": "N", "email": "n@example.org", "consent": True, "submission_key": "k" * 16, **over}
    return hub_validation.validate_member(raw, priorities=P)


FIELDS = [
    (_research, ["title", "authors", "summary", "licence", "added_by"]),
    (_event, ["title", "place", "description"]),
    (_idea, ["title", "description"]),
    (_member, ["name", "organisation"]),
]


@pytest.mark.parametrize("make,fields", FIELDS)
def test_huge_nul_surrogate_refused_on_every_text_field(make, fields):
    for field in fields:
        for bad, why in (("x" * 1_000_000, "at most"), ("ab\x00cd" * 5, "NUL"), ("ab\ud800cd" * 5, "surrogate")):
            result = make(**{field: bad})
            assert isinstance(result, dict) and why in result.get(field, ""), (field, why, result)


@pytest.mark.parametrize("make,fields", FIELDS)
def test_markup_formulas_and_bidi_kept_as_typed(make, fields):
    for field in fields:
        value = KEEP + " long enough to pass every minimum"
        result = make(**{field: value})
        assert not isinstance(result, dict), (field, result)
        assert getattr(result, field) == value


def test_invisible_text_links_and_choices():
    assert "title" in _research(title="\u200b\u2060 \u3164")
    for link in ("javascript:alert(1)", "data:text/html,x", "ftp://x.org/a", "https://", "https://a b.org"):
        assert "link" in _research(link=link), link
    assert "priorities" in _research(priorities=["nope"])
    assert "indicators" in _idea(indicators=["x"])
    assert "indicators" in _idea(indicators=[])
    assert "priority" in _idea(priority="<script>")
    assert "workshop_code" in _event(workshop_code="no spaces allowed here")
    assert "ends_at" in _event(ends_at=NOW - timedelta(minutes=1))
    assert "ends_at" in _event(ends_at=NOW + timedelta(days=8))
    assert "starts_at" in _event(starts_at=datetime(2026, 1, 1))  # no time zone
    assert "email" in _member(email="a@b")
    assert "consent" in _member(consent="yes")
    assert "submission_key" in _idea(submission_key="short")
    r = hub_validation.validate_response({"status": hub_validation.STATUS_NOT_TAKEN, "response": "No.", "actor": "me"})
    assert "reason" in r
