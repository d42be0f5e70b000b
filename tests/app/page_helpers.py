"""Page tests with streamlit.testing.v1.AppTest.

`run_page(url_path, query)` runs app.py at the page registered at that url path, as a browser opening
that address would (scripts/app_test_pages.py and scripts/app_test_entry.py: public API only).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from scripts.app_test_pages import open_page

from lis_data.config import load_area, load_catalogue

TIMEOUT = 60


def run_page(url_path: str = "", query: dict | None = None, secrets: dict | None = None) -> AppTest:
    return open_page(url_path, query, secrets, TIMEOUT)


AREA = load_area()
CATALOGUE = load_catalogue()
PRIORITY_PATHS = [p.id for p in CATALOGUE.priorities]
ALL_PATHS = ["overview", *PRIORITY_PATHS, "sources"]


def assert_clean(at: AppTest) -> None:
    """No exception element and no error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
