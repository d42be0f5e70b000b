"""The pages' settings: lis_data.config.settings read from the environment with
.streamlit/secrets.toml merged over it. The one place that touches st.secrets.

Read once per secrets object: once per process in production (Streamlit keeps one st.secrets);
AppTest puts a new st.secrets in place for each run, so a test's secrets are seen by its run.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import streamlit as st

from lis_data.config import settings as settings_module
from lis_data.config.settings import Settings

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cached: tuple[object, object, Settings] | None = None  # (st.secrets, environment, settings)


def _secrets(source: Any) -> dict[str, Any]:
    try:
        return {k: source[k] for k in source.keys()}
    except (OSError, KeyError):  # StreamlitSecretNotFoundError (a FileNotFoundError): no secrets.toml, or unparsable
        return {}


def current() -> Settings:
    """The settings of this process, secrets first, then the environment, then the defaults."""
    global _cached
    source, environ = st.secrets, settings_module.environment()
    with _lock:
        if _cached is not None and _cached[0] is source and _cached[1] is environ:
            return _cached[2]
    value = settings_module.read(environ, _secrets(source))
    for problem in value.problems:
        log.warning("%s", problem)
    with _lock:
        _cached = (source, environ, value)
    return value
