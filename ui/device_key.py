"""The device key a phone keeps for polls: one answer counted per device per poll round.

Why a cookie: Streamlit's session ends with a reload, so a key kept only in session state would
let a reload answer twice. The key is a random 64-character hex string made on the server
(`polls.new_device_key`), kept in session state for this session and written by a two-line script
to a first-party cookie (``lis_device``, a year, SameSite=Strict, Path=/). Streamlit sends the
cookies of the page with its websocket's first request, so after a reload `st.context.cookies`
hands the same key back. Only a SHA-256 of the key is stored with an answer.

What it cannot do: a private window, another browser or cleared cookies is a new device; a
person determined to vote twice can. For a workshop room that is the accepted bound (Slido and
Mentimeter rely on the same).
"""

from __future__ import annotations

import streamlit as st

from lis_data.feedback import polls

COOKIE = "lis_device"
_KEY = "poll_device_key"
_WRITTEN = "poll_device_cookie_written"
MAX_AGE = 365 * 24 * 3600


def device_key() -> str:
    """This browser's device key: from the session, else the cookie, else a new one (written to
    the cookie). Call outside fragments, once per full run."""
    ss = st.session_state
    key = ss.get(_KEY)
    if key is None:
        try:
            key = polls.valid_device_key(st.context.cookies.get(COOKIE))
        except Exception:  # noqa: BLE001 - no request context (tests): a new key
            key = None
        ss[_WRITTEN] = key is not None
        ss[_KEY] = key = key or polls.new_device_key()
    if not ss.get(_WRITTEN):
        # The key is ours (hex only, checked), never user input.
        assert polls.valid_device_key(key) == key and key.isalnum()
        st.html(f"<script>document.cookie='{COOKIE}={key}; Max-Age={MAX_AGE}; Path=/; SameSite=Strict';</script>",
                unsafe_allow_javascript=True)
        ss[_WRITTEN] = True
    return key
