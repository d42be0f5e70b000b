"""Page tests with streamlit.testing.v1.AppTest.

`open_page(url_path, query)` runs app.py once (st.navigation registers the pages), then switches
to the page registered at that url path and runs it. AppTest.switch_page only accepts file paths,
and these pages are functions from one template; Streamlit keys a page by the hash of its url_path.
"""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from lis_data.config import load_area, load_catalogue

APP = os.path.join(os.path.dirname(__file__), "..", "..", "app.py")
TIMEOUT = 60


def run_page(url_path: str = "", query: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if url_path:
        at._page_hash = calc_hash(url_path)  # noqa: SLF001 -- see module docstring
        at.run()
    return at


AREA = load_area()
CATALOGUE = load_catalogue()
PRIORITY_PATHS = [p.id for p in CATALOGUE.priorities]
ALL_PATHS = ["overview", *PRIORITY_PATHS, "sources"]


def assert_clean(at: AppTest) -> None:
    """No exception element and no error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
