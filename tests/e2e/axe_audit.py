"""The axe-core audit of every page, shared by the desktop and phone audit tests (two files, so that
the two test workers run them side by side).

axe-core (bundled by axe-playwright-python) runs in Debian's Chromium against the WCAG 2.0, 2.1 and
2.2 A and AA rules. A serious or critical violation fails unless lis_data/config/accessibility.toml
lists it as a known issue (caused by Streamlit itself, with its reference); a listed issue that no
longer occurs fails too, so the published accessibility statement stays true.
"""

from __future__ import annotations

import re

from conftest import assert_no_exception, wait_for_app

from lis_data.config.accessibility import load_statement
from lis_data.config import load_catalogue

STATEMENT = load_statement()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
FOCUS = "d=E07000217"  # Woking: the audit runs with filters applied

# Every page the navigation names, each with filters applied.
PAGES = [
    f"/?{FOCUS}&cmp=england,region",
    *(f"/{p.id}?{FOCUS}&cmp=england,county" for p in load_catalogue().priorities),
    f"/profile?{FOCUS}",
    f"/towns?{FOCUS}",
    f"/compare?{FOCUS}",
    "/sounding-board?priority=innovation",
    "/workshop?priority=housing",
    "/facilitate",
    "/staff",
    "/research?q=skills", "/events", "/workshops", "/ideas", "/you-said-we-did", "/join", "/staff-hub",
    f"/whats-new?{FOCUS}",
    "/sources",
    "/accessibility",
    "/privacy",
]


def _violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    return result.response["violations"]


def _blocking(violations: list[dict], path: str) -> tuple[list[str], set[str]]:
    """The blocking violations not known, and the known issues that occurred."""
    unknown, seen = [], set()
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            known = STATEMENT.known_issue_for(v["id"], node["html"])
            if known:
                seen.add(known.rule)
                continue
            unknown.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} at {node['target']} "
                           f"{node['html'][:200]}")
    return unknown, seen


def audit_every_page(browser, base_url: str, width: int, scheme: str) -> tuple[list[str], set[str]]:
    """Open every page at this width with the browser in this colour scheme, and audit it.
    Returns the unknown blocking violations and the rules of the known issues met."""
    context = browser.new_context(viewport={"width": width, "height": 1000}, color_scheme=scheme)
    context.route("**/*", lambda route: route.continue_()
                  if re.match(r"https?://(127\.0\.0\.1|localhost)", route.request.url)
                  else route.abort("internetdisconnected"))
    page = context.new_page()
    page.set_default_timeout(45_000)
    problems, seen = [], set()
    try:
        for path in PAGES:
            page.goto(base_url + path)
            wait_for_app(page, 800)
            assert_no_exception(page)
            unknown, known = _blocking(_violations(page), path)
            problems += unknown
            seen |= known
    finally:
        context.close()
    return problems, seen
