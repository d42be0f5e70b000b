"""A freshly started server: its very first request may be a deep link (a QR code scanned in a
workshop), and every path the app names opens without a "Page not found" dialog; nothing a page
loads leaves this machine (the page icon is shipped); the readiness route answers."""

from __future__ import annotations

import json
import urllib.request

import pytest
from conftest import assert_no_exception, new_page, running_server, screenshot, wait_for_app

from lis_data.config import load_catalogue

# The url paths the navigation names (ui/navigation.py) and the root; the nine
# priority pages come from one template, so the first and last stand for all.
_PRIORITIES = [p.id for p in load_catalogue().priorities]
NAMED_PATHS = ["/", "/overview", f"/{_PRIORITIES[0]}", f"/{_PRIORITIES[-1]}",
               "/towns", "/sounding-board", "/workshop", "/staff", "/sources"]


@pytest.fixture(scope="module")
def fresh_server(server, tmp_path_factory):
    """A server no session has visited yet (`server` lends its feedback store). The first test of
    this module makes its first request."""
    with running_server(tmp_path_factory.mktemp("fresh"), {"LIS_FEEDBACK_URL": server["feedback_url"]}) as srv:
        yield srv


def _no_page_not_found(page) -> None:
    page.wait_for_timeout(300)  # the dialog would arrive with the run's first messages
    assert page.get_by_text("Page not found").count() == 0, "a 'Page not found' dialog is shown"
    assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').first.inner_text()


def test_a_deep_link_as_the_first_request_opens_the_form(browser, fresh_server):
    page = new_page(browser, 390, 844)  # a phone that scanned the workshop QR code
    try:
        page.goto(fresh_server["url"] + "/sounding-board?priority=workforce&code=HART-2026")
        wait_for_app(page)
        assert_no_exception(page)
        _no_page_not_found(page)
        assert page.locator("h1").first.inner_text() == "Sounding board"
        assert page.locator('[data-testid="stTextArea"] textarea').count() >= 1, "the form is not shown"
        # The page icon is the app's own file, not a font service's.
        icons = page.evaluate("""() => [...document.querySelectorAll('link[rel~="icon"]')].map(l => l.href)""")
        assert icons and all(h.startswith(fresh_server["url"]) for h in icons), icons
        screenshot(page, "first-request-sounding-board")
        assert not page.blocked, f"requests beyond loopback on a first load: {page.blocked}"
    finally:
        page.context.close()


def test_every_named_path_opens_without_a_dialog(browser, fresh_server):
    for path in NAMED_PATHS:
        page = new_page(browser)
        try:
            page.goto(fresh_server["url"] + path)
            wait_for_app(page, settle_ms=200)
            assert_no_exception(page)
            _no_page_not_found(page)
            if path in ("/", "/overview"):
                assert "how are we doing?" in page.locator("h1").first.inner_text()
            assert not page.blocked, f"{path}: requests beyond loopback: {page.blocked}"
        finally:
            page.context.close()


def test_ready_route_answers(fresh_server):
    with urllib.request.urlopen(fresh_server["url"] + "/ready", timeout=30) as r:
        assert r.status == 200
        assert r.headers["Cache-Control"] == "no-store"
        assert json.load(r) == {"status": "ready"}
