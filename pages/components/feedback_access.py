"""The pages' way to the sounding-board feedback store, and the settings they share.

One store per process, held by ``st.cache_resource`` and keyed by its URL. The URL comes from
``st.secrets["feedback_url"]`` if set, else the ``LIS_FEEDBACK_URL`` environment variable, else
the default DuckDB file under data/. A store that cannot be opened raises
``feedback.FeedbackStoreUnavailable`` and nothing is cached, so the next run tries again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lis_data import feedback

#: Who to write to about a comment (removal of personal details, questions).
CONTACT_EMAIL = "LIS@enterprisem3.org.uk"


def secret(key: str, default: Any = None) -> Any:
    """A value from st.secrets, or `default` when it is not set or no secrets file exists."""
    try:
        value = st.secrets.get(key, default)
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets.toml at all
        return default
    return default if value is None else value


def store_url() -> str | None:
    """The configured store URL, or None for the default DuckDB file."""
    from_secrets = secret("feedback_url")
    if isinstance(from_secrets, str) and from_secrets.strip():
        return from_secrets.strip()
    return feedback.store_url_from_env()


@st.cache_resource(show_spinner=False)
def _open(url: str | None) -> feedback.FeedbackStore:
    # An exception is not cached: a store that was unreachable is tried again on the next call.
    # Never created here: a deleted store stays unavailable until restored (feedback init sets up).
    return feedback.open_store(url, create=False)


def store() -> feedback.FeedbackStore:
    """The feedback store for the configured URL. Raises FeedbackStoreUnavailable."""
    return _open(store_url())
