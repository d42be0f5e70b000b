"""Pages that need the figures are drawn only when the figures can be read.

A broken extract (half a Parquet file, a truncated JSON file, a missing CSV) makes the indicator store
or the boundaries fail to open. Instead of a traceback, such a page says "The figures are unavailable"
with the reason (the file at fault, never a path) and a reference; the full error goes to the server
log under that reference. Pages that need no figures (the sounding board, the staff page) are not
guarded, and the navigation is built from the catalogue config, so it still works.
"""

from __future__ import annotations

import streamlit as st

from lis_data.runtime import extract_check
from lis_data.paths import extract_dir, store_path

from . import data, navigation, public_errors


def problem() -> str | None:
    """None when the figures can be read; otherwise what to tell the public (reason and reference)."""
    try:
        data.store()
        data.boundaries()
    except Exception as exc:  # noqa: BLE001 - whatever the failure, the page says so and the log has it
        reference = public_errors.report(f"Opening the figures (extract {extract_dir()}, store {store_path()})", exc)
        reasons = extract_check.problems() or ["the indicator store could not be opened"]
        return f"{'; '.join(reasons)} (reference {reference})."
    return None


def allows(current: st.Page) -> bool:
    """True when the page may run; otherwise draw the message in its place and return False."""
    if not navigation.needs_figures(current):
        return True
    reason = problem()
    if reason is None:
        return True
    st.title(current.title, anchor=False)
    st.error(f"The figures are unavailable: {reason}", icon=":material/error:")
    st.markdown("Please try again later. The sounding board, which needs no figures, still works:")
    st.page_link(navigation.page("sounding-board"), label="Tell the LEP what the evidence misses (sounding board)",
                 icon=":material/forum:")
    return False
