"""Join the sounding board: name, email, organisation, the priorities of interest, and consent. The
LEP keeps the details to invite members to test ideas and evidence; the reference given on joining
is what erasure asks for (`feedback erase BM-...`)."""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.hub import validation as hub_validation

from ui import data, feedback_access, public_errors
from ui.formatting import md_escape
from ui.hub_views import contact_email, titles

_KEY = "board_submission_key"
_DONE = "board_done"
_ERRORS = "board_errors"
_FIELDS = ("board_name", "board_email", "board_org", "board_priorities", "board_consent")


def _join() -> None:
    ss = st.session_state
    pids, _ = hub_validation.catalogue_ids(data.catalogue())
    raw = {"name": ss.get("board_name", ""), "email": ss.get("board_email", ""),
           "organisation": ss.get("board_org", ""), "priorities": ss.get("board_priorities", []),
           "consent": bool(ss.get("board_consent")), "submission_key": ss[_KEY]}
    result = hub_validation.validate_member(raw, priorities=pids)
    if isinstance(result, dict):
        ss[_ERRORS] = result
        return
    try:
        reference, _ = feedback_access.store().join_board(result)
    except feedback.FeedbackStoreUnavailable as exc:
        ss[_ERRORS] = {"submission_key": public_errors.message("Joining", public_errors.report("Board join", exc))}
        return
    ss.pop(_ERRORS, None)
    ss[_DONE] = reference
    ss[_KEY] = feedback.new_submission_key()
    for k in _FIELDS:
        ss.pop(k, None)


def render() -> None:
    st.title("Join the sounding board", anchor=False)
    ss = st.session_state
    st.markdown("The LEP's open sounding board tests ideas and evidence for the Local Industrial Strategy. Members "
                "are invited to workshops and asked for their view on the ideas proposed.")
    done = ss.get(_DONE)
    if done:
        st.success(f"Thank you: you have joined. Your reference is **{md_escape(done)}**: quote it to "
                   f"{md_escape(contact_email())} to leave or to have your details removed.")
    ss.setdefault(_KEY, feedback.new_submission_key())
    errors = ss.get(_ERRORS, {})
    names = titles()
    st.text_input("Name", key="board_name", max_chars=hub_validation.NAME_MAX, autocomplete="name")
    if "name" in errors:
        st.error(md_escape(errors["name"]))
    st.text_input("Email", key="board_email", max_chars=hub_validation.EMAIL_MAX, autocomplete="email")
    if "email" in errors:
        st.error(md_escape(errors["email"]))
    st.text_input("Organisation (optional)", key="board_org", max_chars=hub_validation.ORGANISATION_MAX,
                  autocomplete="organization")
    if "organisation" in errors:
        st.error(md_escape(errors["organisation"]))
    st.multiselect("Priorities you are interested in", options=list(names), format_func=names.get,
                   key="board_priorities")
    st.checkbox("I agree that the Enterprise M3 LEP keeps these details to contact me about the Local Industrial "
                "Strategy, until I ask for them to be removed.", key="board_consent")
    if "consent" in errors:
        st.error(md_escape(errors["consent"]))
    if "submission_key" in errors:
        st.error(md_escape(errors["submission_key"]))
    st.button("Join", on_click=_join, type="primary", key="board_join")
