"""Work done once per server process at start-up, before the first visitor, instead of in the
first sessions' script runs: importing the pages (pandas, Altair, pydeck, shapely, DuckDB: about a
second of CPU) and building the maps' display boundaries (coverage simplification: a second or two).

Without it, twenty people opening the link together all wait behind the first run's imports and
geometry. The server imports app.py, which calls :func:`start`; `/ready` (server_routes.py) answers
503 "warming up" until :func:`done`, so a proxy sends no session to a replica that is still cold.
A failure here is logged and left to the first page run, which reports it as it would anyway.
"""

from __future__ import annotations

import logging
import threading

_LOG = logging.getLogger(__name__)
_DONE = threading.Event()
_STARTED = threading.Lock()
_thread: threading.Thread | None = None
_NAME = "lis-warmup"


class _NoContextNote(logging.Filter):
    """Streamlit notes "missing ScriptRunContext" when a cached function runs outside a session,
    as the warm-up's do on purpose: drop that note for the warm-up thread only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == _NAME and "missing ScriptRunContext" in record.getMessage())


def _warm() -> None:
    try:
        from . import data, navigation  # noqa: F401  (imports every page module)

        data.catalogue()
        data.area()
        data.store()
        data.display_boundaries()
    except Exception:  # noqa: BLE001 - the first page run meets the same problem and reports it
        _LOG.warning("warm-up at start failed; the first page run will try again", exc_info=True)
    finally:
        _DONE.set()


def start() -> None:
    """Start the warm-up in a background thread (once per process)."""
    global _thread
    with _STARTED:
        if _thread is None:
            logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoContextNote())
            _thread = threading.Thread(target=_warm, name=_NAME, daemon=True)
            _thread.start()


def done() -> bool:
    """True once the warm-up has finished (or was never started: nothing to wait for)."""
    return _thread is None or _DONE.is_set()
