"""The Accessibility page: the statement in the regulations' form, worded from the config the audit reads."""

from __future__ import annotations

from page_helpers import assert_clean, run_page

from lis_data.config.accessibility import load_statement


def test_statement_has_the_sections_the_regulations_ask_for():
    at = run_page("accessibility")
    assert_clean(at)
    headers = [h.value for h in at.header]
    for section in ("Compliance status", "Non-accessible content", "Reporting accessibility problems",
                    "Enforcement procedure", "How we tested this dashboard"):
        assert section in headers, headers
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    s = load_statement()
    assert s.contact_email in text
    assert f"{s.last_tested:%-d %B %Y}" in text
    for issue in s.known_issues:
        assert issue.where in text
    for other in s.other_issues:
        assert other.where in text and other.detail in text


def test_the_axe_allow_list_is_empty():
    """Every serious or critical axe-core violation fails the audit: none is excused."""
    assert load_statement().known_issues == ()


def test_statement_title_names_the_page():
    at = run_page("accessibility")
    assert at.title[0].value == "Accessibility statement"
