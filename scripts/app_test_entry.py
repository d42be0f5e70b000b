"""The main script AppTest runs for the page tests and the benchmark: app.py itself, opened at the
page a test asked for, through Streamlit's public API only.

The dashboard's pages are functions (st.Page(callable, url_path=...), one template for the nine
priority pages), and AppTest.switch_page in Streamlit 1.67 opens only page *files*. So a test asks
for a url path by putting it in session state (scripts/app_test_pages.goto); this script takes it
out and calls st.switch_page with a page at that url path, carrying the address's parameters, as a
link in the browser would; Streamlit reruns and app.py's st.navigation opens that page. Every other
run is app.py's run, unchanged. AppTest then stays on the page the run finished on.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # AppTest puts this script's folder first; app.py's imports need the root
    sys.path.insert(0, str(ROOT))

from scripts.app_test_pages import GOTO_KEY  # noqa: E402

#: The parameters Streamlit keeps across a page switch by itself (and refuses to be given).
_KEPT_BY_STREAMLIT = {"embed", "embed_options"}


def _page_at(url_path: str) -> st.Page:
    def requested_page() -> None:  # never run: app.py's own page at this url path is
        pass

    return st.Page(requested_page, url_path=url_path)


requested = st.session_state.pop(GOTO_KEY, None)
if requested:
    address = {k: st.query_params.get_all(k) for k in st.query_params if k.lower() not in _KEPT_BY_STREAMLIT}
    st.switch_page(_page_at(requested), query_params=address)
runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
