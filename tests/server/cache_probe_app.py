"""A server for tests/server/test_middleware.py: the dashboard's middleware (web/middleware.py)
in front of a one-line script that shows a token held by st.cache_resource. If the server-wide
caches are cleared, the next run shows a new token. LIS_PROBE_PLAIN=1 serves it without the
middleware (the control: shows that the probe sees a clear)."""

import os
import sys
import uuid
from pathlib import Path

import streamlit as st

if __name__ == "__main__":
    @st.cache_resource
    def token() -> str:
        return uuid.uuid4().hex

    st.markdown(f"token-{token()}")
else:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from web import middleware as server_middleware

    plain = os.environ.get("LIS_PROBE_PLAIN") == "1"
    app = st.App(__file__, middleware=[] if plain else server_middleware.middleware())
