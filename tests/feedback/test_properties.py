"""Property: any input either gets field errors (input untouched) or is
stored and read back exactly."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lis_data.feedback import Submission, validate_submission

from .conftest import PLACES, PRIORITIES, none_if_missing, raw_submission, row_matches

TRICKY = [
    "", " ", "\t\n ", "<script>alert('x')</script>", "'; DROP TABLE feedback; --",
    "Robert'); DELETE FROM feedback_moderation;--", "%s %(x)s ? $1 {0}", "\\x00", "\u202e\u200b\ufeff",
    "a@b", "name@example.org", " name@example.org ", "name@@example.org", "javascript:alert(1)",
    "http://", "https://example.org/path?q=<b>&x='y'", "https://[::1]:80/", "http://x.org:99999",
    "ftp://example.org", "https://exa mple.org", "😀" * 10, "\r\n" * 6, "NULL", "None",
]

text = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(TRICKY),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(0, 1100)),  # long
    st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), st.text(max_size=20)),
)

# Inputs that are often valid, so the store half of the property is exercised.
likely_comment = st.one_of(
    st.text(min_size=10, max_size=300),
    st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), st.text(min_size=10, max_size=50)),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(3, 1100)),
)
likely_org = st.one_of(st.none(), st.text(max_size=200), st.sampled_from(TRICKY))
likely_email = st.one_of(
    st.none(), st.just(""),
    st.builds(lambda a, b: f"{a}@{b}.org", st.from_regex(r"[a-z0-9.+_-]{1,20}", fullmatch=True),
              st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True)),
    st.sampled_from(TRICKY),
)
likely_url = st.one_of(
    st.none(), st.just(""),
    st.builds(lambda scheme, path: f"{scheme}://example.org/{path}", st.sampled_from(["http", "https", "HTTPS"]),
              st.text(st.characters(min_codepoint=33, max_codepoint=0x2FFF), max_size=40)),
    st.sampled_from(TRICKY),
)


def check_roundtrip(store, raw):
    """The property itself: errors leave the input untouched; otherwise the
    stored row reads back exactly. Returns True when a row was stored."""
    before = copy.deepcopy(raw)
    result = validate_submission(raw, priorities=PRIORITIES, places=PLACES)
    assert raw == before
    if isinstance(result, dict):
        assert result and "_spam" not in result
        assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in result.items())
        return False
    assert isinstance(result, Submission)
    receipt = store.append(result)
    df = store.list(include_hidden=True)
    row = df[df["submission_key"] == result.submission_key].iloc[0].to_dict()
    assert row["id"] == str(receipt.id)
    assert row_matches(row, result)
    # byte-for-byte, field by field
    assert row["comment"].encode("utf-8") == result.comment.encode("utf-8")
    for field in ("organisation", "email", "evidence_url", "name"):
        got = none_if_missing(row[field])
        want = getattr(result, field) if field not in ("name", "email") or result.consent else None
        assert (got.encode("utf-8") if got is not None else None) == (
            want.encode("utf-8") if want is not None else None
        )
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    comment=text,
    organisation=text,
    email=text,
    evidence_url=text,
    name=text,
    consent=st.booleans(),
    n=st.integers(0, 10_000),
)
def test_arbitrary_input_errors_or_roundtrips(store, comment, organisation, email, evidence_url, name, consent, n):
    raw = raw_submission(
        n, comment=comment, organisation=organisation, email=email,
        evidence_url=evidence_url, name=name, consent=consent,
    )
    check_roundtrip(store, raw)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    comment=likely_comment,
    organisation=likely_org,
    email=likely_email,
    evidence_url=likely_url,
    name=likely_org,
    consent=st.booleans(),
    n=st.integers(0, 10_000),
)
def test_mostly_valid_input_roundtrips(store, comment, organisation, email, evidence_url, name, consent, n):
    raw = raw_submission(
        n, comment=comment, organisation=organisation, email=email,
        evidence_url=evidence_url, name=name, consent=consent,
    )
    check_roundtrip(store, raw)
