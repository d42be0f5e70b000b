"""Is this process ready to serve? What the pages need can be read (the configuration, every extract
file a figures page reads, the district boundaries its maps draw), the indicator store answers a
query with figures, and the feedback store a ping.

Used by the server's `/ready` route (web/routes.py). Streamlit-free. One `ReadinessProbe` per
process holds its own store handles, opened on first use and reopened after a failure. The reasons
it returns are fit for a public response (no path, host, user or secret); the details go to the
log, redacted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pathlib import Path

from lis_data.runtime import extract_check
from lis_data import feedback
from lis_data.feedback.redaction import redact
from lis_data.paths import extract_dir as default_extract_dir
from lis_data.runtime.store import Store

LOG = logging.getLogger("web.readiness")

#: Public reasons: short, and free of anything about the host.
NO_FIGURES = "indicator store: no figures"
INDICATORS_DOWN = "indicator store: unavailable"
FEEDBACK_DOWN = "feedback store: unavailable"
CONFIG_BROKEN = "configuration: unavailable"
NO_DISTRICT_BOUNDARIES = "extract: boundaries.geojson has no boundary for some districts"


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
                 open_feedback: Callable[[str | None], feedback.FeedbackStore] = lambda url: feedback.open_store(
                     url, create=False),  # a deleted store stays 503 until restored, never made again
                 extract: Callable[[], Path] = default_extract_dir):
        self._feedback_url = feedback_url
        self._extract = extract
        self._figures_seen: tuple | None = None  # the files' identity when last checked, and the result
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
            reasons = tuple(r for r in (*self._check_figures(), self._check_indicators(), self._check_feedback()) if r)
            if reasons != self._last:  # log changes of state with their causes, not every poll
                if reasons:
                    LOG.warning("not ready: %s (%s)", "; ".join(reasons), "; ".join(self._details))
                elif self._last:
                    LOG.warning("ready again")
                self._last = reasons
            return Readiness(not reasons, reasons)

    def _check_figures(self) -> list[str]:
        """What a figures page opens besides the store (figures_guard): the configuration, the
        extract's files and the boundaries of every district. Files are read again only when one of
        them has changed (a /ready poll costs a few stat calls)."""
        from lis_data.config import load_area, load_catalogue

        try:
            area = load_area()
            load_catalogue()
        except Exception as exc:  # noqa: BLE001 - a broken config: every page fails
            self._details.append(f"configuration: {_redacted(exc)}")
            return [CONFIG_BROKEN]
        extract = Path(self._extract())
        seen = (str(extract), tuple(self._identity(extract / name) for name in extract_check.CHECKS),
                tuple(d.code for d in area.districts))
        if self._figures_seen is not None and self._figures_seen[0] == seen:
            return list(self._figures_seen[1])
        found = [f"extract: {p}" for p in extract_check.problems(extract)]
        if not found:
            found = self._check_boundaries(extract, {d.code for d in area.districts})
        self._figures_seen = (seen, tuple(found))
        return found

    @staticmethod
    def _identity(path: Path) -> tuple | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _check_boundaries(self, extract: Path, districts: set[str]) -> list[str]:
        from lis_data.domain.geography import load_boundaries

        try:
            features = load_boundaries(extract).get("features") or []
            codes = {f["properties"]["areacd"] for f in features if f.get("geometry")}
        except Exception as exc:  # noqa: BLE001 - not a FeatureCollection of the districts
            self._details.append(f"boundaries: {_redacted(exc)}")
            return [NO_DISTRICT_BOUNDARIES]
        missing = sorted(districts - codes)
        if missing:
            self._details.append(f"boundaries: no geometry for {', '.join(missing)}")
            return [NO_DISTRICT_BOUNDARIES]
        return []

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
