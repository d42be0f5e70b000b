"""Page tests with streamlit.testing.v1.AppTest.

`open_page(url_path, query)` runs app.py once (st.navigation registers the pages), then switches
to the page registered at that url path and runs it (scripts/app_test_pages.py says why AppTest's
own switch_page cannot, and holds the one workaround).
"""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest
from scripts.app_test_pages import open_page

from lis_data.config import load_area, load_catalogue

APP = os.path.join(os.path.dirname(__file__), "..", "..", "app.py")
TIMEOUT = 60


def run_page(url_path: str = "", query: dict | None = None, secrets: dict | None = None) -> AppTest:
    return open_page(APP, url_path, query, secrets, TIMEOUT)


AREA = load_area()
CATALOGUE = load_catalogue()
PRIORITY_PATHS = [p.id for p in CATALOGUE.priorities]
ALL_PATHS = ["overview", *PRIORITY_PATHS, "sources"]


def assert_clean(at: AppTest) -> None:
    """No exception element and no error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
