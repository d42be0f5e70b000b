"""axe-core audit of every page at desktop width, the browser in light mode (see axe_audit.py)."""

from __future__ import annotations

from axe_audit import STATEMENT, audit_every_page


def test_axe_audit_of_every_page_on_a_desktop(browser, warm_server):
    problems, seen = audit_every_page(browser, warm_server["url"], 1366, "light")
    assert not problems, "\n".join(problems)
    stale = {k.rule for k in STATEMENT.known_issues} - seen
    assert not stale, f"known issues in accessibility.toml that no longer occur: {stale}"
