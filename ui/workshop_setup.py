"""Opening a workshop (code, PIN, hold comments) and reclaiming one: for signed-in LEP staff only,
on the staff page and the facilitator view, never on the projected page (issue 18: nobody else
can claim a code first; a code claimed with someone else's PIN gets a new PIN from staff)."""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.feedback.polls import PollError
from lis_data.feedback.workshop_pin import PIN_MAX, PIN_MIN, PinError

from . import feedback_access
from .formatting import md_escape
from .staff_session import staff_signed_in

_MESSAGE = "ws_setup_message"


def _open(code: str) -> None:
    ss = st.session_state
    pin = ss.get("ws_setup_pin") or ""
    ss["ws_setup_pin"] = ""
    if not staff_signed_in():
        ss[_MESSAGE] = ("error", "Not opened: only LEP staff, signed in on the staff page, open workshops.")
        return
    try:
        _, created = feedback_access.store().open_workshop(code, pin, hold_comments=bool(ss.get("ws_setup_hold", True)),
                                                           opened_by="staff")
    except PinError as exc:
        ss[_MESSAGE] = ("error", f"Not opened: {exc}.")
        return
    except feedback.FeedbackStoreUnavailable:
        ss[_MESSAGE] = ("error", "Not opened: the feedback store cannot be reached just now.")
        return
    ss[_MESSAGE] = ("success", f"Workshop {code} opened. Give the PIN to its facilitator."
                    if created else f"Workshop {code} was already open: its PIN is unchanged (use 'New PIN').")


def _reclaim(code: str) -> None:
    ss = st.session_state
    pin = ss.get("ws_reclaim_pin") or ""
    ss["ws_reclaim_pin"] = ""
    if not staff_signed_in():
        ss[_MESSAGE] = ("error", "Not changed: only LEP staff, signed in on the staff page, give a workshop a new PIN.")
        return
    try:
        feedback_access.store().reclaim_workshop(code, pin)
    except PinError as exc:
        ss[_MESSAGE] = ("error", f"Not changed: {exc}.")
        return
    except (feedback.FeedbackStoreUnavailable, PollError):
        ss[_MESSAGE] = ("error", "Not changed: the feedback store cannot be reached just now.")
        return
    ss[_MESSAGE] = ("success", f"Workshop {code} has a new PIN. The old PIN and the projector link no longer work.")


def message() -> None:
    found = st.session_state.pop(_MESSAGE, None)
    if found:
        (st.success if found[0] == "success" else st.error)(md_escape(found[1]))


def open_form(code: str) -> None:
    """Open the workshop with a PIN and the hold setting. Staff only: draws nothing otherwise."""
    if not staff_signed_in():
        return
    with st.form(f"ws_open_{code}", border=True, enter_to_submit=False):
        st.markdown(f"**Open workshop {md_escape(code)}**")
        st.text_input(f"Facilitator PIN ({PIN_MIN} to {PIN_MAX} characters)", type="password", key="ws_setup_pin",
                      autocomplete="new-password",
                      help="The facilitator gives it on the facilitator view, where comments are approved, polls run "
                           "and the projector is driven.")
        st.toggle("Hold comments for approval", value=True, key="ws_setup_hold",
                  help="Comments reach the projector only once the facilitator approves them.")
        st.form_submit_button("Open the workshop", on_click=_open, args=(code,), type="primary")


def reclaim_form(code: str) -> None:
    """Give an open workshop a new PIN (it was claimed by someone else, or the PIN is lost). Staff only."""
    if not staff_signed_in():
        return
    with st.expander("New PIN for this workshop (staff)", expanded=False):
        with st.form(f"ws_reclaim_{code}", border=False, enter_to_submit=False):
            st.text_input(f"New facilitator PIN ({PIN_MIN} to {PIN_MAX} characters)", type="password",
                          key="ws_reclaim_pin", autocomplete="new-password")
            st.caption("The old PIN and the facilitator's projector link stop working; comments, polls and answers "
                       "are kept.")
            st.form_submit_button("Give it this PIN", on_click=_reclaim, args=(code,))
