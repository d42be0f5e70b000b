"""The address of the person behind this session, for per-address limits and logs.

``st.context.ip_address`` (None for a connection from the same machine), or, when the secrets
say the app sits behind trusted reverse proxies (``trusted_proxy_hops``), the address those
proxies recorded in X-Forwarded-For. See web.client_address for the rule.
"""

from __future__ import annotations

import streamlit as st

from web.client_address import client_address

from . import app_settings


def address() -> str:
    """This session's client address, or web.client_address.UNKNOWN."""
    try:
        peer = st.context.ip_address
        headers = st.context.headers
    except Exception:  # noqa: BLE001 - no session context (bare mode)
        peer, headers = None, None
    return client_address(peer, headers, app_settings.current().trusted_proxy_hops)
