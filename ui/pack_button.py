"""The evidence pack on a page: the same file `python -m lis_data pack` writes, for the current
filters (one district in focus: that district; otherwise EM3), built only when asked for.

"Prepare evidence pack (PDF)" (in a fragment: only this part of the page reruns) builds the pack and
then offers "Download evidence pack (PDF)". Builds take turns, `BUILDS_AT_ONCE` at a time per
process (lis_data.pack.queue): while one waits, the page says how many packs are ahead of it; with
more than `MAX_WAITING` waiting, it says to try again in a few minutes. A pack already built for the
same key comes from the cache without waiting.

A built pack is cached (the last CACHE_ENTRIES) keyed by the extract's fingerprint and the feedback
store's change counter (`feedback_access.change_counter()`): a new extract, or a comment approved,
rejected, hidden or erased, or a workshop's hold setting changed, changes the key, so no cached pack
keeps a figure or a comment the public may no longer see (README: Caching)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import streamlit as st

from lis_data.pack import EM3, build_pack, pack_filename
from lis_data.pack.queue import BuildQueue, QueueFull

from . import data, feedback_access, public_errors
from .filter_state import Filters

#: Packs built at once per server process (each uses both cores for seconds), and waiting at most.
BUILDS_AT_ONCE = 1
MAX_WAITING = 20
CACHE_ENTRIES = 32
QUEUE = BuildQueue(slots=BUILDS_AT_ONCE, max_waiting=MAX_WAITING, poll=1.0)

PREPARE = "Prepare evidence pack (PDF)"
DOWNLOAD = "Download evidence pack (PDF)"


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _pack(area_code: str, priorities: tuple[str, ...], benchmark: str, fingerprint: str, feedback_version: str) -> bytes:
    del fingerprint, feedback_version  # part of the cache key only
    return build_pack(data.store(), area_code, priorities, None, benchmark,
                      feedback_url=feedback_access.store_url(), area=data.area(), catalogue=data.catalogue())


# The keys `_pack` has built lately (an LRU of the cache's size): those are served from the
# cache without queueing. A key the cache has dropped meanwhile is simply built again.
_built: OrderedDict[tuple, bool] = OrderedDict()
_built_lock = threading.Lock()


def _recently_built(key: tuple) -> bool:
    with _built_lock:
        return key in _built


def _mark_built(key: tuple) -> None:
    with _built_lock:
        _built[key] = True
        _built.move_to_end(key)
        while len(_built) > CACHE_ENTRIES:
            _built.popitem(last=False)


def pack_bytes(area_code: str, priorities: tuple[str, ...], benchmark: str, on_wait=None) -> bytes:
    """The pack's PDF: from the cache while no comment it may show has changed, else built in turn
    (`on_wait(ahead)` is called while waiting). Raises QueueFull when too many are waiting."""
    key = (area_code, tuple(priorities), benchmark, data.extract_fingerprint(), feedback_access.change_counter())
    if _recently_built(key):
        return _pack(*key)
    with QUEUE.turn(on_wait):
        pdf = _pack(*key)
    _mark_built(key)
    return pdf


def pack_area(filters: Filters) -> str:
    return filters.districts[0] if len(filters.districts) == 1 else EM3


def _waiting_text(ahead: int) -> str:
    return (f"Waiting to build your evidence pack: {ahead} pack{'s' if ahead != 1 else ''} ahead of yours "
            f"(packs are built {BUILDS_AT_ONCE} at a time, each in a few seconds to a minute). Keep this page open.")


@st.fragment
def pack_button(filters: Filters, priorities: tuple[str, ...] = (), key: str = "pack") -> None:
    area_code, benchmark = pack_area(filters), filters.benchmark
    who = data.area().district(area_code).name if area_code != EM3 else data.area().name
    what = (f"A PDF for board papers: {who}" + (f", {', '.join(priorities)}" if priorities else ", all nine priorities")
            + ": summary, each priority's statement, indicators, charts and map, what's new, the sounding board's "
              "input (no names or emails), sources and licence.")
    if not st.button(PREPARE, key=f"{key}-prepare", icon=":material/picture_as_pdf:",
                     help=what + " Built when pressed, in turn with other visitors' packs."):
        return
    status = st.empty()

    def waiting(ahead: int) -> None:
        # Written about once a second even when unchanged: Streamlit stops a run whose visitor has gone
        # at its next element call, which takes this pack out of the queue.
        status.info(_waiting_text(ahead), icon=":material/hourglass_top:")

    try:
        with st.spinner("Preparing the evidence pack…"):
            pdf = pack_bytes(area_code, priorities, benchmark, on_wait=waiting)
    except QueueFull:
        status.warning(f"Many evidence packs are being built just now ({MAX_WAITING} waiting). Please try again "
                       "in a few minutes.", icon=":material/hourglass_top:")
        return
    except Exception as exc:  # noqa: BLE001 -- never a traceback on a public page
        status.error(public_errors.message("The evidence pack", public_errors.report("Evidence pack", exc)),
                     icon=":material/error:")
        return
    status.empty()
    st.download_button(DOWNLOAD, data=pdf, file_name=pack_filename(area_code, priorities), mime="application/pdf",
                       on_click="ignore", icon=":material/download:", key=f"{key}-download", type="primary")
