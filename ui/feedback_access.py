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


def limit_setting(key: str, default: int) -> int:
    """A whole-number limit from the secrets (at least 1), or `default` when unset or not a number."""
    try:
        value = secret(key, default)
        return max(int(value), 1) if not isinstance(value, bool) else default
    except (TypeError, ValueError):
        return default


#: The window of every sounding-board and poll-answer limit (secrets: feedback_rate_window_minutes).
RATE_WINDOW_MINUTES = 10


def rate_window_seconds() -> float:
    """The window of the comment and poll-answer limits, in seconds."""
    import math

    try:
        minutes = float(secret("feedback_rate_window_minutes", RATE_WINDOW_MINUTES))
    except (TypeError, ValueError):
        minutes = RATE_WINDOW_MINUTES
    if not math.isfinite(minutes) or minutes <= 0:
        minutes = RATE_WINDOW_MINUTES
    return minutes * 60


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
