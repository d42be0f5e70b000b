"""The evidence pack from the browser: the profile page's Prepare button builds the pack, then its
download button gives a PDF."""

from __future__ import annotations

from conftest import assert_no_exception, wait_for_app


def test_profile_pack_button_downloads_a_pdf(page, warm_server):
    page.goto(warm_server["url"] + "/profile?d=E07000217")
    wait_for_app(page)
    assert_no_exception(page)
    page.get_by_role("button", name="Prepare evidence pack (PDF)").click(timeout=30_000)
    button = page.get_by_role("button", name="Download evidence pack (PDF)")
    button.wait_for(timeout=180_000)
    with page.expect_download(timeout=180_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "em3-evidence-pack-E07000217.pdf"
    body = open(download.path(), "rb").read()
    assert body.startswith(b"%PDF-") and len(body) > 100_000
