"""axe-core audit of every page at phone width (390 px), the browser in dark mode (see axe_audit.py).
The theme is fixed to light (test_e2e_accessibility.py checks it), so dark mode draws the same page."""

from __future__ import annotations

from axe_audit import audit_every_page


def test_axe_audit_of_every_page_on_a_phone_in_dark_mode(browser, warm_server):
    problems, _ = audit_every_page(browser, warm_server["url"], 390, "dark")
    assert not problems, "\n".join(problems)
