"""The sounding board through a real browser, and workshop mode's live tally."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid

from conftest import ROOT, assert_no_exception, new_page, screenshot, wait_for_app


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its label."""
    box = page.get_by_role("combobox", name=re.compile(re.escape(label)))
    box.click()
    page.get_by_role("option", name=option, exact=True).first.click()


def _fill_and_send(page, respondent: str, comment: str) -> str:
    _choose(page, "You are responding as", respondent)
    page.locator("textarea").first.fill(comment)
    page.get_by_role("button", name=re.compile("Send to the LEP")).click()
    wait_for_app(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    found = re.search(r"SB-[A-Z0-9]{6}", body)
    assert found, body[:2000]
    return found.group(0)


def _export(server) -> str:
    out = subprocess.run([sys.executable, "-m", "lis_data", "feedback", "export", "--url", server["feedback_url"]],
                         cwd=ROOT, env=server["env"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_submit_once_and_find_the_row_via_export(page, warm_server):
    page.goto(warm_server["url"] + "/sounding-board?priority=housing")
    wait_for_app(page)
    assert_no_exception(page)
    comment = f"Affordability in Hart hides rental pressure near Fleet station. ref {uuid.uuid4().hex[:8]}"
    reference = _fill_and_send(page, "Resident", comment)
    screenshot(page, "sounding-board-sent")
    exported = _export(warm_server)
    assert comment in exported
    assert "housing" in exported
    assert reference  # shown to the person


def test_workshop_wall_changes_without_a_reload(browser, warm_server):
    """A phone joins by the projector's short address and sends a comment: the wall counts it as
    waiting, then shows it once approved, and the projector never reloads."""
    from lis_data.feedback import open_store

    code = f"E2E-{uuid.uuid4().hex[:6].upper()}"
    with open_store(warm_server["feedback_url"]) as store:
        store.open_workshop(code, "e2e-wall-pin")
    presenter = new_page(browser, 1366, 768)
    presenter.goto(f"{warm_server['url']}/workshop?priority=digital&code={code}")
    wait_for_app(presenter)
    assert_no_exception(presenter)
    join = presenter.locator("#em3-join").inner_text()
    assert f"{warm_server['url'].split('://')[1]}/j/{code}" in join and join.strip().endswith(code)
    presenter.evaluate("window.__stillTheSamePage = true")
    screenshot(presenter, "workshop-before", full_page=False)
    with open_store(warm_server["feedback_url"]) as store:
        store.drive_projector(code, slide="wall")
    presenter.get_by_text("(0 on the wall)").wait_for(timeout=30_000)

    phone = new_page(browser, 390, 844)
    phone.goto(f"{warm_server['url']}/j/{code}")
    wait_for_app(phone)
    assert_no_exception(phone)
    assert code in phone.locator('[data-testid="stMain"]').inner_text().replace("\\", "")
    _choose(phone, "Strategic priority", "7. Digital connectivity")
    _fill_and_send(phone, "Business", "Our unit near Whitehill & Bordon still has no gigabit option.")
    screenshot(phone, "workshop-phone-sent")
    phone.context.close()

    presenter.get_by_text("(0 on the wall · 1 waiting for approval)").wait_for(timeout=30_000)
    assert presenter.evaluate("window.__stillTheSamePage === true"), "the page reloaded"
    with open_store(warm_server["feedback_url"]) as store:
        [fid] = list(store.workshop_comments(code)["id"])
        store.review_comment(fid, "approved")
    presenter.get_by_text("still has no gigabit option", exact=False).first.wait_for(timeout=15_000)
    assert presenter.evaluate("window.__stillTheSamePage === true"), "the page reloaded"
    screenshot(presenter, "workshop-after", full_page=False)
    presenter.context.close()


def test_two_taps_on_send_store_once_and_show_the_reference(page, warm_server):
    """Two taps on Send 120-400 ms apart: one row, and the person sees its reference, no error."""
    page.goto(warm_server["url"] + "/sounding-board?priority=housing")
    wait_for_app(page)
    comment = f"Two taps: bus links from Alton to Farnham stop too early. ref {uuid.uuid4().hex[:8]}"
    _choose(page, "You are responding as", "Resident")
    page.locator("textarea").first.fill(comment)
    send = page.get_by_role("button", name=re.compile("Send to the LEP"))
    for gap_ms in (0, 250):
        page.wait_for_timeout(gap_ms)
        send.click()
    wait_for_app(page, settle_ms=1500)
    assert_no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "sounding-board-two-taps")
    assert "not been sent" not in body, body[:2000]
    references = set(re.findall(r"SB-[A-Z0-9]{6}", body))
    assert len(references) == 1, body[:2000]
    if not warm_server["feedback_url"].startswith("postgresql"):
        return  # a DuckDB file is held by the server process; the row count is checked against PostgreSQL
    exported = _export(warm_server)
    assert exported.count(comment) == 1
    assert references.pop() in exported
