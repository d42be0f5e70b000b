"""The "Download evidence pack (PDF)" button: the same file `python -m lis_data pack` writes, for
the current filters (one district in focus: that district; otherwise EM3), built only when clicked.

A built pack is cached for an hour, keyed by the feedback store's change counter
(`change_counter()`): a comment approved, rejected, hidden or erased, or a workshop's hold setting
changed, changes the key, so no cached pack keeps a comment the public may no longer see."""

from __future__ import annotations

import streamlit as st

from lis_data.pack import EM3, build_pack, pack_filename

from . import data, feedback_access
from .filter_state import Filters


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _pack(area_code: str, priorities: tuple[str, ...], benchmark: str, feedback_version: str) -> bytes:
    del feedback_version  # part of the cache key only
    return build_pack(data.store(), area_code, priorities, None, benchmark,
                      feedback_url=feedback_access.store_url(), area=data.area(), catalogue=data.catalogue())


def feedback_version() -> str:
    """The feedback store's change counter, or "unavailable" (the pack then says its comments
    could not be read; once the store answers again the key changes and the pack is rebuilt)."""
    try:
        return feedback_access.store().change_counter()
    except Exception:  # noqa: BLE001 -- any failure: the pack is built without the comments
        return "unavailable"


def pack_bytes(area_code: str, priorities: tuple[str, ...], benchmark: str) -> bytes:
    """The pack's PDF, from the cache while no comment it may show has changed."""
    return _pack(area_code, tuple(priorities), benchmark, feedback_version())


def pack_area(filters: Filters) -> str:
    return filters.districts[0] if len(filters.districts) == 1 else EM3


def pack_button(filters: Filters, priorities: tuple[str, ...] = (), key: str = "pack") -> None:
    area_code, benchmark = pack_area(filters), filters.benchmark
    who = data.area().district(area_code).name if area_code != EM3 else data.area().name
    st.download_button(
        "Download evidence pack (PDF)", data=lambda: pack_bytes(area_code, priorities, benchmark),
        file_name=pack_filename(area_code, priorities), mime="application/pdf", on_click="ignore",
        icon=":material/picture_as_pdf:", key=key,
        help=f"A PDF for board papers: {who}" + (f", {', '.join(priorities)}" if priorities else ", all nine priorities")
             + ": summary, each priority's statement, indicators, charts and map, what's new, the sounding board's "
               "input (no names or emails), sources and licence. Takes a few seconds to build.")
