"""The privacy notice the phone page links to: it names the device cookie, that only its hash is
kept, the word cloud's moderation, and the address to write to for removal."""

from page_helpers import assert_clean, run_page


def test_the_privacy_notice_says_what_is_kept_and_how_to_remove_it():
    at = run_page("privacy")
    assert_clean(at)
    text = "\n".join(m.value for m in at.markdown)
    assert "`lis_device`" in text and "hash of the key" in text
    assert "only once the facilitator approves it" in text
    assert "mailto:LIS@enterprisem3.org.uk" in text
