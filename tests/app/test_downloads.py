"""The download buttons on the pages: the evidence pack, and each chart as PNG and SVG."""

from __future__ import annotations

from page_helpers import assert_clean, run_page

WOKING = "E07000217"


def test_image_download_buttons_on_a_priority_page():
    at = run_page("innovation", {"d": WOKING})
    assert_clean(at)
    assert [b.label for b in at.button if "evidence pack" in b.label] == ["Prepare evidence pack (PDF)"]
    # The pack is built when asked for; the workbook and the Word summary sit beside its button, each built
    # only when pressed (their data is a callable: ui/officer_downloads.py).
    officer = ["Download workbook (Excel)", "Download summary (Word)"]
    assert [b.proto.label for b in at.get("download_button")] == officer
    # The CSV and the charts' images are behind the tables' expanders: sent when opened.
    for k in ("table-innovation-gva-per-hour", "map-table-innovation-gva-per-hour"):  # views.py's keys
        at.session_state[k] = True
    at.run()
    assert_clean(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == officer + ["Map (PNG)", "Map (SVG)", "Download CSV",
                      "Trend chart (PNG)", "Trend chart (SVG)", "Ranked chart (PNG)", "Ranked chart (SVG)"], labels
