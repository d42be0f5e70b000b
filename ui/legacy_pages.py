"""Turn off Streamlit's legacy `pages/` discovery for this server process.

Streamlit (1.67) decides once per process, when the first browser session is created, whether the
app is a "pages directory" app: `PagesManager.uses_pages_directory` becomes True because a `pages/`
folder sits beside app.py (ours holds page modules, not page scripts). The first script run then
goes through `_mpa_v1`, which registers every `pages/*.py` as a page, cannot find the requested url
path among them, sends the browser a `page_not_found` message (a "Page not found" dialog that
stays), and only then runs app.py, whose `st.navigation` sets the flag back to False for every
later session. So a fresh server's first visitor, if they came by a deep link such as a QR code to
`/sounding-board?...`, got the dialog over the form.

`st.navigation` itself clears the flag on every run; `disable()` does the same once, at server
start, before any session exists. Called by app.py when the server imports it. Streamlit 1.67 has no
public setting for it (its configuration options and st.navigation's documentation name none), so
this is the one documented use of a Streamlit internal (tests/test_streamlit_private.py).
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def disable() -> None:
    PagesManager.uses_pages_directory = False


def disabled() -> bool:
    """Whether the legacy discovery is off; raises AttributeError if Streamlit no longer has the
    internal this module relies on (tests/app/test_entry.py then fails: look again for a public way)."""
    return PagesManager.uses_pages_directory is False
