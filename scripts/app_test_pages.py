"""The one Streamlit workaround the tests and the benchmark share: opening a page by its url path in
streamlit.testing.v1.AppTest.

The dashboard's pages are functions (st.Page(callable, url_path=...), one template for nine
priority pages), and AppTest.switch_page in Streamlit 1.67 accepts only a page *file* ("Switch to a
file-based page relative to the app's main script"; for st.navigation it matches registered script
paths and refuses callables). A real browser session names its page by the hash of the url path;
AppTest keeps that hash in its `_page_hash`. `goto` sets it, here and nowhere else
(tests/test_streamlit_private.py holds every other file to Streamlit's public API).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash


def open_page(app: str, url_path: str = "", query: dict | None = None, secrets: dict | None = None,
              timeout: float = 60) -> AppTest:
    """An AppTest of `app` run once (st.navigation registers the pages), then switched to the page at
    `url_path` and run again; `query` as the URL's parameters, `secrets` as st.secrets."""
    at = AppTest.from_file(app, default_timeout=timeout)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if url_path:
        goto(at, url_path).run()
    return at


def goto(at: AppTest, url_path: str) -> AppTest:
    """Point `at` at the page registered at `url_path` (run it afterwards, as switch_page)."""
    at._page_hash = calc_hash(url_path)  # noqa: SLF001 -- the documented workaround (module docstring)
    return at
