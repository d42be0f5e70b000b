"""Opening the dashboard's pages by url path in streamlit.testing.v1.AppTest, for the page tests and
the benchmark.

AppTest runs scripts/app_test_entry.py, which runs app.py; `goto` asks for a page by its url path
and the entry switches to it with st.switch_page (its docstring says why AppTest.switch_page cannot:
the pages are functions, not files). Public API only (tests/test_streamlit_private.py).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

#: Where the entry looks for the url path a test asked for.
GOTO_KEY = "app_test_goto"
ENTRY = Path(__file__).resolve().with_name("app_test_entry.py")


def new_app_test(secrets: dict | None = None, query: dict | None = None, timeout: float = 60) -> AppTest:
    """An AppTest of the dashboard, not yet run; `secrets` as st.secrets, `query` as the URL's parameters."""
    at = AppTest.from_file(str(ENTRY), default_timeout=timeout)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at


def open_page(url_path: str = "", query: dict | None = None, secrets: dict | None = None,
              timeout: float = 60) -> AppTest:
    """An AppTest of the dashboard run at the page registered at `url_path` (the default page if empty),
    as a browser opening that address would."""
    at = new_app_test(secrets, query, timeout)
    if url_path:
        goto(at, url_path)
    return at.run()


def goto(at: AppTest, url_path: str) -> AppTest:
    """Point `at` at the page registered at `url_path` (run it afterwards, as switch_page)."""
    at.session_state[GOTO_KEY] = url_path
    return at
