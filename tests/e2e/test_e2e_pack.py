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
    assert download.suggested_filename == "em3-board-pack-E07000217.pdf"
    body = open(download.path(), "rb").read()
    assert body.startswith(b"%PDF-") and len(body) > 100_000


def test_workbook_and_word_summary_download_beside_the_pack(page, warm_server):
    import io

    import docx
    import openpyxl

    page.goto(warm_server["url"] + "/profile?d=E07000217")
    wait_for_app(page)
    assert_no_exception(page)
    for name, filename in (("Download workbook (Excel)", "em3-indicators-E07000217.xlsx"),
                           ("Download summary (Word)", "em3-summary-E07000217.docx")):
        button = page.get_by_role("button", name=name)
        button.wait_for(timeout=30_000)
        with page.expect_download(timeout=180_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename == filename
        body = open(download.path(), "rb").read()
        if filename.endswith(".xlsx"):
            assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames[:3] == ["Cover", "Contents", "Notes"]
        else:
            assert "Woking" in docx.Document(io.BytesIO(body)).paragraphs[0].text
