"""The LIS hub through a real browser, on a server of its own with a staff password:

* staff upload a PDF; a search for a word only in its body finds it; it is listed on its priority
  page; a PDF with JavaScript, a renamed text file and a 25 MB file are refused with their reasons;
* an idea naming two indicators shows their judged figures; two devices support it (count 2) and a
  reload of the first adds no third; staff mark it taken forward with a response; "You said, we
  did" shows it.
"""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from conftest import CHROMIUM, _feedback_url, assert_no_exception, new_page, running_server, screenshot, wait_for_app

from lis_data.config import load_area, load_catalogue
from lis_data.feedback import open_store
from lis_data.views.judged import counts_text

PASSWORD = "e2e-staff-password-4711"
WORD = f"zqx{uuid.uuid4().hex[:8]}"  # appears only in the PDF's body text


@pytest.fixture(scope="module")
def hub_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium); .ci/run installs it")
    tmp = tmp_path_factory.mktemp("e2e-hub")
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'staff_password = "{PASSWORD}"\n')
    feedback_url, drop = _feedback_url(tmp)
    try:
        with running_server(tmp, {"LIS_FEEDBACK_URL": feedback_url, "LIS_WARM_VIEWS": "0"},
                            args=("--secrets.files", str(secrets))) as srv:
            yield {**srv, "feedback_url": feedback_url, "tmp": tmp}
    finally:
        drop()


def _pdfs(tmp: Path) -> dict[str, Path]:
    import weasyprint
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    good = weasyprint.HTML(string=f"<h1>Skills survey</h1><p>Employers in Woking asked about {WORD} "
                                  "training.</p>").write_pdf()
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    w._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    js = io.BytesIO()
    w.write(js)
    files = {"good": good, "js": js.getvalue(), "text": b"Meeting notes, not a PDF at all.\n",
             "big": b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024)}
    out = {}
    for name, content in files.items():
        path = tmp / f"{name}.pdf"
        path.write_bytes(content)
        out[name] = path
    return out


def _staff(browser, base: str):
    page = new_page(browser, 1366, 2400)
    page.goto(base + "/staff")
    wait_for_app(page)
    page.get_by_label("Staff password").fill(PASSWORD)
    page.get_by_role("button", name="Open the staff page").click()
    page.get_by_role("button", name="Sign out").first.wait_for()
    page.get_by_role("link", name="Staff: LIS hub").first.click()  # same session: signed in
    page.get_by_label(re.compile("Your name")).first.wait_for()
    wait_for_app(page)
    page.get_by_label(re.compile("Your name")).first.fill("A. Staff")
    page.keyboard.press("Tab")
    wait_for_app(page, settle_ms=300)
    return page


def _upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.locator('[data-testid="stFileUploader"]').get_by_text(path.name, exact=True).first.wait_for()
    page.wait_for_timeout(1500)  # the upload, then the rerun it triggers
    wait_for_app(page, settle_ms=800)


def _add(page, expect_file: bool = False) -> str:
    """Press "Add to the library"; with `expect_file`, once more after a pause if the server had not
    yet received the file just chosen (under load the upload can finish after the rerun it starts):
    a file that never arrives still fails the test."""
    page.get_by_role("button", name="Add to the library").click()
    wait_for_app(page, settle_ms=500)
    body = _text(page)
    if expect_file and "give a link, or upload a PDF" in body:
        page.wait_for_timeout(3000)
        wait_for_app(page, settle_ms=500)
        page.get_by_role("button", name="Add to the library").click()
        wait_for_app(page, settle_ms=500)
        body = _text(page)
    return body


def _text(page) -> str:
    """The page's text, without the invisible word joiners that keep escaped text from being linked."""
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def _multiselect(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=re.compile(re.escape(label))).click()
    page.get_by_role("option", name=option, exact=True).first.click()
    page.keyboard.press("Escape")
    wait_for_app(page, settle_ms=300)


def test_staff_upload_search_priority_page_and_refusals(browser, hub_server):
    base = hub_server["url"]
    files = _pdfs(hub_server["tmp"])
    workforce = load_catalogue().priority("workforce")
    workforce_title = f"{workforce.number}. {workforce.title}"
    title = f"Skills survey {uuid.uuid4().hex[:6]}"
    page = _staff(browser, base)
    # refused: JavaScript, a renamed text file (before the form is even filled in)
    _upload(page, files["js"])
    body = _add(page)
    assert "js.pdf' carries JavaScript" in body, body[:3000]
    _upload(page, files["text"])
    body = _add(page)
    assert "text.pdf' is not a PDF" in body, body[:3000]
    # refused: 25 MB, by the uploader itself (the server's limit is 20 MB too)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(files["big"]))
    page.get_by_text(re.compile(r"(20(\.0)? ?MB or smaller|File must be)", re.I)).first.wait_for(timeout=30_000)
    screenshot(page, "hub-refused-25mb", full_page=False)
    body = _add(page)  # the 25 MB file never reached the server: the earlier file is still the one checked
    assert "'big.pdf'" not in body and "File must be 20.0MB or smaller" in body, body[:3000]
    # accepted
    _upload(page, files["good"])
    page.get_by_label("Title", exact=True).first.fill(title)  # the research tab comes first
    page.get_by_label("Authors or commissioner").fill("Enterprise M3 LEP")
    page.get_by_label("Summary").fill("What employers said about training.")
    _multiselect(page, "Priorities it concerns", workforce_title)
    body = _add(page, expect_file=True)
    assert f"Added to the library: {title}" in body, body[:3000]
    assert_no_exception(page)
    page.context.close()

    reader = new_page(browser, 1366, 2400)
    reader.goto(f"{base}/research?q={WORD}")
    wait_for_app(reader)
    reader.get_by_text(title).first.wait_for()
    assert "1 document match" in _text(reader)
    pdf = reader.request.get(f"{base}" + reader.get_by_role("link", name=re.compile("Download the PDF"))
                             .first.get_attribute("href"))
    assert pdf.ok and pdf.body() == files["good"].read_bytes()
    reader.goto(f"{base}/research?q=nosuchwordanywhere")
    wait_for_app(reader)
    assert "0 documents match" in _text(reader)
    reader.goto(f"{base}/workforce")
    wait_for_app(reader)
    reader.get_by_text("Research on this priority").first.wait_for()
    reader.get_by_text(title).first.wait_for()
    screenshot(reader, "hub-priority-research")
    assert_no_exception(reader)
    reader.context.close()


def _supporters(page) -> str:
    return page.evaluate("""() => { for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
        if (m.innerText.includes('Supporters')) return m.querySelector('[data-testid="stMetricValue"]').innerText.trim(); }
        return null; }""")


def test_idea_evidence_support_response_and_you_said_we_did(browser, hub_server):
    base = hub_server["url"]
    cat, area = load_catalogue(), load_area()
    workforce = cat.priority("workforce")
    named = [cat.indicator("employment-rate"), cat.indicator("claimant-count")]
    title = f"Digital skills bootcamps {uuid.uuid4().hex[:6]}"

    first = new_page(browser, 1366, 2400)
    first.goto(f"{base}/ideas?priority=workforce")
    wait_for_app(first)
    first.get_by_label("Title", exact=True).fill(title)
    first.get_by_label("What it would do").fill("Short courses for adults moving into digital jobs in the area.")
    for ind in named:
        _multiselect(first, "Indicators it means to move", ind.label)
    first.get_by_role("button", name="Propose this idea").click()
    first.get_by_role("heading", name=re.compile("Idea: Digital skills bootcamps")).wait_for()
    wait_for_app(first)
    url = first.url
    text = _text(first)
    # the judged figures, computed here independently from the profile rows of every district
    from lis_data.domain.profile import group_profile
    from lis_data.runtime.store import Store

    store = Store.open(db=hub_server["tmp"] / "indicators.duckdb")
    groups = {g.indicator: g for g in group_profile(store, area.district_codes)}
    for ind in named:
        g = groups[ind.id]
        assert ind.label in text
        assert counts_text([m.judgement for m in g.marks], "England") in text, text[:4000]
    assert f"{workforce.number}. {workforce.title}" in text
    first.get_by_role("button", name="Support this idea").click()
    first.get_by_text("your support is counted").wait_for()
    assert _supporters(first) == "1"

    second = new_page(browser, 390, 1600)  # another device
    second.goto(url)
    wait_for_app(second)
    second.get_by_role("button", name="Support this idea").click()
    second.get_by_text("your support is counted").wait_for()
    assert _supporters(second) == "2"

    first.reload()  # the device key comes back from its cookie: no third support
    wait_for_app(first)
    button = first.get_by_role("button", name="You support this idea")
    assert button.is_disabled()
    assert _supporters(first) == "2"
    idea_id = re.search(r"id=([0-9a-f-]{36})", url).group(1)
    with open_store(hub_server["feedback_url"]) as fstore:
        assert fstore.idea(idea_id).supports == 2
    screenshot(first, "hub-idea")
    second.context.close()
    first.context.close()

    staff = _staff(browser, base)
    staff.get_by_role("tab", name="Ideas").click()
    staff.get_by_text(title).first.click()  # the expander
    wait_for_app(staff, settle_ms=500)
    status = staff.get_by_role("combobox", name="Status").first
    status.wait_for()
    status.click()
    staff.get_by_role("option", name="taken into the strategy", exact=True).first.click()
    wait_for_app(staff, settle_ms=300)
    staff.get_by_label("Response (public)").first.fill("Added to the skills chapter as action 4.2.")
    staff.get_by_role("button", name="Record the response").first.click()
    staff.get_by_text(re.compile(r"Response recorded:\W*taken into the strategy")).wait_for()
    staff.context.close()

    public = new_page(browser, 1366, 2400)
    public.goto(f"{base}/you-said-we-did")
    wait_for_app(public)
    public.get_by_text(title).first.wait_for()
    text = _text(public)
    assert "Taken into the strategy (1)" in text
    assert "Added to the skills chapter as action 4.2." in text
    for ind in named:
        assert ind.label in text  # the latest movement of each indicator it named
    screenshot(public, "hub-you-said-we-did")
    assert_no_exception(public)
    public.context.close()
