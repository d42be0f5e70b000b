"""Is this process ready to serve? The indicator store answers a query and the feedback store a ping.

Used by the server's `/ready` route (server_routes.py). Streamlit-free. One `ReadinessProbe` per
process holds its own store handles, opened on first use and reopened after a failure. The reasons
it returns are fit for a public response (no path, host, user or secret); the details go to the
log, redacted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from . import feedback
from .feedback.store import redact
from .store import Store

LOG = logging.getLogger("lis_data.readiness")

#: Public reasons: short, and free of anything about the host.
NO_FIGURES = "indicator store: no figures"
INDICATORS_DOWN = "indicator store: unavailable"
FEEDBACK_DOWN = "feedback store: unavailable"


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[str, ...] = ()


def _redacted(exc: BaseException) -> str:
    return redact(f"{type(exc).__name__}: {exc}")


class ReadinessProbe:
    """Checks both stores. `feedback_url` is called on every check, so a changed setting is seen."""

    def __init__(self, feedback_url: Callable[[], str | None] = feedback.store_url_from_env,
                 open_indicators: Callable[[], Store] = Store.open,
                 open_feedback: Callable[[str | None], feedback.FeedbackStore] = feedback.open_store):
        self._feedback_url = feedback_url
        self._open_indicators = open_indicators
        self._open_feedback = open_feedback
        self._indicators: Store | None = None
        self._feedback: feedback.FeedbackStore | None = None
        self._feedback_key: str | None = None
        self._lock = threading.Lock()
        self._last: tuple[str, ...] | None = None
        self._details: list[str] = []

    def check(self) -> Readiness:
        with self._lock:  # one check at a time; a health checker calling often never piles up
            self._details: list[str] = []
            reasons = tuple(r for r in (self._check_indicators(), self._check_feedback()) if r)
            if reasons != self._last:  # log changes of state with their causes, not every poll
                if reasons:
                    LOG.warning("not ready: %s (%s)", "; ".join(reasons), "; ".join(self._details))
                elif self._last:
                    LOG.warning("ready again")
                self._last = reasons
            return Readiness(not reasons, reasons)

    def _check_indicators(self) -> str | None:
        try:
            if self._indicators is None:
                self._indicators = self._open_indicators()
            n = self._indicators.rows("SELECT count(*) FROM observations WHERE value IS NOT NULL")[0][0]
        except Exception as exc:  # noqa: BLE001 - any failure means not ready; the detail goes to the log
            self._details.append(f"indicator store: {_redacted(exc)}")
            self._drop_indicators()
            return INDICATORS_DOWN
        return None if n else NO_FIGURES

    def _check_feedback(self) -> str | None:
        try:
            url = self._feedback_url()
            if self._feedback is None or url != self._feedback_key:
                self._drop_feedback()
                self._feedback = self._open_feedback(url)
                self._feedback_key = url
            self._feedback.ping()
        except Exception as exc:  # noqa: BLE001
            self._details.append(f"feedback store: {_redacted(exc)}")
            self._drop_feedback()
            return FEEDBACK_DOWN
        return None

    def _drop_indicators(self) -> None:
        store, self._indicators = self._indicators, None
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001
                pass

    def _drop_feedback(self) -> None:
        store, self._feedback = self._feedback, None
        if store is not None:
            try:
                store.close()
            except Exception:  # noqa: BLE001
                pass

    def close(self) -> None:
        with self._lock:
            self._drop_indicators()
            self._drop_feedback()
