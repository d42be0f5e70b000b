"""The load generator behind scripts/capacity.py and scripts/soak.py reruns the page in view, as a
browser does: a session that opens a priority page and changes the focus filter is timed on that
priority page, not on the navigation's default page (what ../shared/tools/st_load.py reruns)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from scripts.load_sessions import drive


def _drive(url: str, page: str, sessions: int, reruns: int) -> dict:
    # A thread of its own: the browser fixtures leave Playwright's event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, drive(urlsplit(url).port, page, sessions, reruns, timeout=120,
                                              duration=300)).result()


def test_reruns_change_the_filter_on_the_page_in_view(warm_server):
    result = _drive(warm_server["url"], "/innovation", sessions=3, reruns=2)
    assert result["unfinished_runs"] == 0
    summary = result["pages"]["/innovation"]
    assert summary["errors"] == 0 and summary["page_not_found"] == 0, summary
    assert summary["first_all"]["n"] == 3 and summary["rerun_all"]["n"] == 6
    # Every first load and every rerun ran the priority page (its title), not the overview.
    assert summary["titles"]["first"] == summary["titles"]["rerun"] == ["1. Innovation and commercialisation"]
