"""Page tests with streamlit.testing.v1.AppTest.

`run_page(url_path, query)` runs app.py at the page registered at that url path, as a browser opening
that address would (scripts/app_test_pages.py and scripts/app_test_entry.py: public API only).
"""

from __future__ import annotations

import os

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


def feedback_store():
    """The feedback store the app under test writes to (tests/app/conftest.py sets it up)."""
    from lis_data import feedback

    return feedback.open_store(os.environ["LIS_FEEDBACK_URL"])


def enter_facilitator_pin(at: AppTest, pin: str) -> AppTest:
    """Type `pin` on the facilitator page's sign-in and open the view."""
    at.text_input(key="fac_pin_entry").input(pin)
    [button] = [b for b in at.button if b.label == "Open the facilitator view"]
    return button.click().run()


def open_facilitator(code: str, pin: str, secrets: dict | None = None) -> AppTest:
    """The facilitator page of workshop `code`, signed in with `pin`."""
    return enter_facilitator_pin(run_page("facilitate", {"code": code.lower()}, secrets), pin)


def assert_clean(at: AppTest) -> None:
    """No exception element and no error element on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
