"""What's new as delivered, in headless Chromium: on the extract the repository ships (no build logged
on this server), the releases of 2026 are listed from each dataset's metadata, and the date picker
changes the list and writes the date to the address, so the link shares it."""

from __future__ import annotations

import re
from datetime import date

from conftest import assert_no_exception, wait_for_app

SINCE = "2026-01-01"
COUNT = re.compile(r"(\d+) indicators? released or changed since (\d{4}-\d{2}-\d{2})")


def _listed(page) -> tuple[int, list[str]]:
    """The caption's count (0 when the page says nothing was released) and the indicators named."""
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    found = COUNT.search(text)
    names = [b.inner_text() for b in main.locator('[data-testid="stMarkdownContainer"] p > strong').all()]
    return (int(found.group(1)) if found else 0), names


def test_whats_new_lists_this_years_releases_and_the_picker_changes_the_list(page, warm_server):
    page.goto(f"{warm_server['url']}/whats-new?since={SINCE}")
    wait_for_app(page)
    assert_no_exception(page)
    count, names = _listed(page)
    assert count >= 1, "nothing listed as released since 2026-01-01"
    assert "No build of the extract has been logged" not in page.locator('[data-testid="stMain"]').inner_text()

    # Pick today: what was released since 2026-01-01 but before today leaves the list.
    today = date.today().isoformat()
    box = page.locator('[data-testid="stDateInput"] input').first
    assert box.input_value() == SINCE
    box.fill(today)
    box.press("Enter")
    page.keyboard.press("Escape")  # close the calendar the field opened
    page.wait_for_url(re.compile(rf"since={today}"), timeout=30_000)
    wait_for_app(page)
    assert_no_exception(page)
    later, later_names = _listed(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert later < count, (count, later)
    assert later or f"Nothing released since {today}" in text
    assert later_names != names
