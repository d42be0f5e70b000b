"""validate_submission: rules for each field (no store needed)."""

from __future__ import annotations

import copy

import pytest

from lis_data.feedback import RESPONDENT_TYPES, Submission, is_spam, validate_submission

from .conftest import PLACES, PRIORITIES, raw_submission


def check(**overrides):
    return validate_submission(raw_submission(1, **overrides), priorities=PRIORITIES, places=PLACES)


def test_valid_submission_is_frozen_dataclass():
    sub = check()
    assert isinstance(sub, Submission)
    with pytest.raises(Exception):
        sub.comment = "changed"  # type: ignore[misc]


def test_respondent_types_constant():
    assert RESPONDENT_TYPES == (
        "business", "council", "education or skills provider",
        "community or voluntary", "resident", "other",
    )
    for t in RESPONDENT_TYPES:
        assert isinstance(check(respondent_type=t), Submission)
    assert "respondent_type" in check(respondent_type="alien")
    assert "respondent_type" in check(respondent_type="")


@pytest.mark.parametrize("priority", ["", None, "INNOVATION", "nope"])
def test_priority_required_and_known(priority):
    assert "priority" in check(priority=priority)


def test_places_known_canonical_and_deduplicated():
    sub = check(places=["guildford", "E07000084", "Guildford"])
    assert sub.places == ("Guildford", "E07000084")
    assert check(places=None).places == ()
    assert check(places="Woking").places == ("Woking",)
    assert "places" in check(places=["Atlantis"])
    assert "places" in check(places=[3])


def test_comment_is_trimmed_and_counted_in_code_points():
    assert check(comment="   0123456789   ").comment == "0123456789"
    assert "comment" in check(comment="  012345678  ")
    assert "comment" in check(comment="          ")
    assert "comment" in check(comment=None)
    # 10 emoji are 10 code points (40 UTF-8 bytes, 20 UTF-16 units)
    assert check(comment="🙂" * 10).comment == "🙂" * 10
    assert isinstance(check(comment="é" * 4000), Submission)
    assert "comment" in check(comment="é" * 4001)


def test_text_stored_as_typed():
    evil = "<script>alert('x')</script>'; DROP TABLE feedback; --"
    sub = check(comment=evil, organisation="  " + evil + "  ")
    assert sub.comment == evil
    assert sub.organisation == "  " + evil + "  "


@pytest.mark.parametrize("field", ["comment", "organisation", "name", "email", "evidence_url", "workshop_code"])
@pytest.mark.parametrize("bad", ["abc\x00defghijkl", "abc\ud800defghijkl"])
def test_nul_and_lone_surrogates_rejected(field, bad):
    result = check(**{field: bad, "consent": True})
    assert isinstance(result, dict) and field in result


def test_organisation_length():
    assert isinstance(check(organisation="x" * 200), Submission)
    assert "organisation" in check(organisation="x" * 201)


@pytest.mark.parametrize("url", ["http://example.org", "https://a.b/c?d=e#f", " https://x.org/ "])
def test_good_urls(url):
    assert check(evidence_url=url).evidence_url == url.strip()


@pytest.mark.parametrize(
    "url",
    ["ftp://x.org", "javascript:alert(1)", "https://", "http:///path", "example.org",
     "https://exa mple.org", "https://[::1", "http://x.org:99999", "https://x.org/" + "a" * 2000],
)
def test_bad_urls(url):
    assert "evidence_url" in check(evidence_url=url)


def test_name_and_email_need_consent():
    result = check(name="Ann", email="", consent=False)
    assert set(result) == {"consent"}
    result = check(name="", email="ann@example.org", consent=False)
    assert set(result) == {"consent"}
    sub = check(name="Ann", email="ann@example.org", consent=True)
    assert (sub.name, sub.email, sub.consent) == ("Ann", "ann@example.org", True)
    assert "consent" in check(consent="yes")


@pytest.mark.parametrize("email", ["a@b", "a@@b.org", "a b@c.org", "@c.org", "a@.org", "a.@b.org", "a@b.c", "<a>@b.org"])
def test_bad_emails(email):
    assert "email" in check(email=email, consent=True)


def test_honeypot_returns_spam_marker():
    result = check(honeypot="http://spam.example", comment="")
    assert is_spam(result)
    assert not is_spam(check())
    assert not is_spam(check(comment=""))


def test_workshop_code():
    assert check(workshop_code="basingstoke-2026-12-03").workshop_code == "BASINGSTOKE-2026-12-03"
    assert check(workshop_code="").workshop_code is None
    for bad in ("AB", "X" * 41, "BAD CODE", "BASİNGSTOKE", "basıngstoke", "ß-2026"):
        assert "workshop_code" in check(workshop_code=bad), bad


@pytest.mark.parametrize("key", [None, "", "short", "x" * 101, "has space in it", "ключ-ключ-ключ"])
def test_submission_key_required(key):
    assert "submission_key" in check(submission_key=key)


def test_all_errors_reported_and_input_untouched():
    raw = {"comment": "short", "priority": "x", "places": ["Nowhere"], "email": "bad", "consent": False}
    before = copy.deepcopy(raw)
    result = validate_submission(raw, priorities=PRIORITIES, places=PLACES)
    assert raw == before
    assert {"comment", "priority", "places", "email", "respondent_type", "submission_key"} <= set(result)
    assert all(isinstance(m, str) and m for m in result.values())


# --- invisible comments, bidi controls, over-long comments (issue 9) --------------------------

_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3164", "\u115f", "\u1160", "\uffa0",
              "\u2800", "\u00ad", "\u034f", "\u180e", "\ufe0f", "\u202e", "\u2066", "\u3000", "\u00a0",
              "\U000e0041", "\u0301"]


@pytest.mark.parametrize("char", _INVISIBLE, ids=[f"U+{ord(c):04X}" for c in _INVISIBLE])
def test_comment_of_only_invisible_characters_is_refused(char):
    errors = check(comment=char * 20)
    if char.strip():  # whitespace is trimmed away first and then asked for
        assert "no visible character" in errors["comment"]
    else:
        assert "Write your comment" in errors["comment"]


def test_comment_mixing_invisible_characters_is_refused_but_ten_letters_among_them_are_kept():
    assert "comment" in check(comment="\u200b\u3164\u2800 \u115f\u1160\uffa0\u202e\u2066\u2069\u200b")
    # Invisible characters do not count towards the minimum of 10 (issue 18: "a" + nine ZWSP was accepted).
    assert "too short" in check(comment="a" + "\u200b" * 9)["comment"]
    assert "too short" in check(comment="\u200b" * 12 + "x")["comment"]
    sub = check(comment="\u200b" * 12 + "x" * 10)
    assert sub.comment == "\u200b" * 12 + "x" * 10  # stored exactly as typed


def test_visible_length_counts_what_a_reader_sees():
    from lis_data.feedback.text import visible_length

    assert visible_length("a" + "\u200b" * 9) == 1
    assert visible_length("two words\nand a line") == 20
    assert visible_length("\u3164\u2800\ufe0f\u202e\u00ad") == 0
    assert visible_length("漢字 🙂") == 4


def test_long_organisation_and_name_are_refused_naming_the_field_and_limit():
    errors = check(organisation="O" * 250, name="N" * 201, email="a@example.org", consent=True)
    assert errors["organisation"].startswith("Organisation is 250 characters long; the limit is 200.")
    assert errors["name"].startswith("Your name is 201 characters long; the limit is 200.")


def test_visible_characters_of_every_script_count():
    from lis_data.feedback.text import has_visible_character

    for text in ("a", "é", "漢", "🙂", "١", "ש", "—", "·", "\u0e01"):
        assert has_visible_character(text), text
    for text in ("", " ", "\t\n", "\u200b\u3164\u2800"):
        assert not has_visible_character(text), repr(text)


def test_bidi_controls_are_stored_as_typed_and_neutralised_for_display():
    from lis_data.feedback.text import neutralise_for_display

    spoof = "Invoice \u202egnp.exe\u202c and \u2067isolate\u2069 \u200fmark"
    assert check(comment=spoof).comment == spoof
    shown = neutralise_for_display(spoof)
    assert shown == "Invoice ⟨U+202E⟩gnp.exe⟨U+202C⟩ and ⟨U+2067⟩isolate⟨U+2069⟩ \u200fmark"
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in shown)
    assert neutralise_for_display(None) == "" and neutralise_for_display(float("nan")) == ""
    assert neutralise_for_display("plain") == "plain"


def test_an_over_long_comment_says_by_how_much_to_shorten_it():
    message = check(comment="x" * 4123)["comment"]
    assert "4,123 characters" in message and "shorten it by 123 characters" in message
    assert "shorten it by 1 character:" in check(comment="x" * 4001)["comment"]
