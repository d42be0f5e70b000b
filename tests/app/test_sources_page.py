"""/sources: no command line for the public, the data API named by its index, the caveats filter."""

from __future__ import annotations

from page_helpers import assert_clean, run_page


def _text(at) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption])


def test_no_command_line_and_the_api_index_named():
    at = run_page("sources")
    assert_clean(at)
    text = _text(at)
    assert "python" not in text and "lis_data" not in text and "```" not in text
    assert "/api/v1/" in text


def test_the_filter_box_narrows_the_caveats_and_quotes_the_search_as_code():
    at = run_page("sources")
    every = len(at.expander)
    at.text_input[0].set_value("claimant").run()
    assert_clean(at)
    assert 0 < len(at.expander) < every
    assert any("`claimant`" in c.value for c in at.caption)
    at.text_input[0].set_value("[x](javascript:alert(1)) zzzz-no-such-word").run()
    assert len(at.expander) < every
    assert not any("](javascript" in c.value.replace("`", "") and "`" not in c.value for c in at.caption)
