"""The download buttons on the pages: the evidence pack, and each chart as PNG and SVG."""

from __future__ import annotations

from page_helpers import assert_clean, run_page

WOKING = "E07000217"


def test_image_download_buttons_on_a_priority_page():
    at = run_page("innovation", {"d": WOKING})
    assert_clean(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download evidence pack (PDF)" in labels
    assert labels.count("PNG image") >= 3 and labels.count("SVG image") >= 3  # trend, ranked, map
