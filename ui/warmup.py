"""Work done once per server process at start-up, before the first visitor, instead of in the
first sessions' script runs: importing the pages (pandas, Altair, pydeck, shapely, DuckDB: about a
second of CPU), building the maps' display boundaries (coverage simplification: a second or two),
and building the views people open first (:func:`warm_views`): every priority page's first
indicator, its headline tiles and the overview's cards, for all the districts and for each district
on its own, with the default comparators, years and benchmark. A board opening the link together,
each officer then choosing their own district, meets cached views (about 0.1-0.2 s of CPU each
otherwise, under a lock that makes the others wait). ``LIS_WARM_VIEWS=0`` leaves them to the first
visitors (the tests' servers do, to start quickly).

The views depend only on the extract, the configuration and the code, so they are kept with the
runtime store (ui/view_store.py): a restart with an unchanged extract reads them back
instead of building them, and is ready within seconds.

Without it, twenty people opening the link together all wait behind the first run's imports and
geometry. The server imports app.py, which calls :func:`start`; `/ready` (web/routes.py) answers
503 "warming up" until :func:`done`, so a proxy sends no session to a replica that is still cold.
A failure here is logged and left to the first page run, which reports it as it would anyway.
"""

from __future__ import annotations

import logging
import threading
import time

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
        from . import data, memo, navigation, view_store  # noqa: F401  (navigation imports every page module)

        data.catalogue()
        data.area()
        data.store()
        data.display_boundaries()
        if warm_views_setting():
            t0 = time.perf_counter()
            kept = view_store.load(data.store())
            if kept:
                _LOG.info("warm-up: %d views kept from an earlier start with the same extract, read in %.1f s",
                          kept, time.perf_counter() - t0)
            else:
                memo.record(True)
                try:
                    n = warm_views()
                finally:
                    results = memo.record(False)
                saved = view_store.save(data.store(), results)
                _LOG.info("warm-up: %d views built in %.1f s (%d results kept for the next start)", n,
                          time.perf_counter() - t0, saved)
    except Exception:  # noqa: BLE001 - the first page run meets the same problem and reports it
        _LOG.warning("warm-up at start failed; the first page run will try again", exc_info=True)
    finally:
        _DONE.set()




def warm_views_setting() -> bool:
    """LIS_WARM_VIEWS: on unless set to 0/false/no/off. Any other value is reported (naming the
    setting and the value) and the default, on, is kept."""
    from lis_data.config.settings import current

    return current().warm_views


def warm_views(priorities: tuple[str, ...] | None = None, districts: tuple[str, ...] | None = None) -> int:
    """Build (and cache) the views people open first; returns how many filter states were built.
    The default view (all districts) of every page first, then each district on its own (all
    priorities and districts, or those given)."""
    from . import data, views
    from .filter_state import Filters

    area, cat = data.area(), data.catalogue()
    states = [Filters(districts=tuple(area.district_codes))]
    states += [Filters(districts=(code,)) for code in (districts or area.district_codes)]
    chosen = [p for p in cat.priorities if priorities is None or p.id in priorities]
    for filters in states:
        for p in chosen:
            views.scorecard_table(p.id, filters.districts, filters.benchmark)
            for ind in cat.headlines_for(p.id, at_most=views.PRIORITY_HEADLINES):
                views.tile_for(ind, filters)
            views.prepare(cat.indicators_for(p.id)[0], filters)
    return len(states)


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
