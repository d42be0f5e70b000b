"""The pages' way to the sounding-board feedback store, and the settings they share.

One store per process, held by ``st.cache_resource`` and keyed by its URL. The URL comes from
the `feedback_url` setting (ui/app_settings.py: secrets, else ``LIS_FEEDBACK_URL``), else the
default SQLite file under data/. A store that cannot be opened raises
``feedback.FeedbackStoreUnavailable`` and nothing is cached, so the next run tries again.
"""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.config.settings import DEFAULT_CONTACT

from . import app_settings

#: Who to write to about a comment (removal of personal details, questions).
CONTACT_EMAIL = DEFAULT_CONTACT


def store_url() -> str | None:
    """The configured store URL, or None for the default SQLite file."""
    return app_settings.current().feedback_url


@st.cache_resource(show_spinner=False)
def _open(url: str | None) -> feedback.FeedbackStore:
    # An exception is not cached: a store that was unreachable is tried again on the next call.
    # Never created here: a deleted store stays unavailable until restored (feedback init sets up).
    return feedback.open_store(url, create=False)


def change_counter() -> str:
    """The feedback store's change counter, part of the key of every cache of what is computed from
    the comments and workshops (README: Caching); "unavailable" when the store does not answer (once
    it answers again the key changes and the cached result is computed again)."""
    try:
        return store().change_counter()
    except Exception:  # noqa: BLE001 -- any failure: computed without the store's rows
        return "unavailable"


def store() -> feedback.FeedbackStore:
    """The feedback store for the configured URL. Raises FeedbackStoreUnavailable."""
    return _open(store_url())
