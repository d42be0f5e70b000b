"""The facilitator's view of a workshop, made for a phone: approve or reject held comments, open
polls for the priority on the projector, reveal results, start a new round.

URL: /facilitate?code=<WORKSHOP-CODE>. Access: the workshop's PIN (chosen when the workshop was
opened on the workshop page; only its salted hash is stored, compared in constant time), or a
staff sign-in in this browser session. Wrong PINs are limited in FAILURE_WINDOW_SECONDS windows
(lis_data.throttle.AttemptLimit): FAILURES_PER_ADDRESS from one address, FAILURES_PER_WORKSHOP at one
workshop, FAILURES_PER_PROCESS in all; while one is reached, no PIN (not even the right one) is
checked for that address, that workshop, or at all. Each attempt is counted before its PIN is
hashed, so guesses sent at once cannot all slip past the count; a right PIN is not counted. The queue and the poll refresh on their own
(st.fragment with run_every). Comments are shown as plain text, bidi controls made visible.
"""

from __future__ import annotations

import logging

import streamlit as st

from lis_data import feedback, throttle
from lis_data.feedback import polls as P
from lis_data.feedback.text import neutralise_for_display
from lis_data.feedback.word_flags import flagged_words

from .components import client, data, feedback_access, public_errors, workshop_live
from .components.staff_session import staff_signed_in
from .components.formatting import md_escape

log = logging.getLogger(__name__)

#: Wrong PINs in 15 minutes: 5 from one address (as the staff password), 10 at one workshop (so one
#: address cannot close the others' workshops, and guessing one workshop's PIN stays hopeless), and
#: 500 in all, a backstop on the hashing (500 x 50 ms of scrypt), not a lock-out of every workshop.
FAILURES_PER_ADDRESS = 5
FAILURES_PER_WORKSHOP = 10
FAILURES_PER_PROCESS = 500
FAILURE_WINDOW_SECONDS = 15 * 60
REFRESH_SECONDS = 5
QUEUE_SHOWN = 20
APPROVED_SHOWN = 10

_PIN = "fac_pin_entry"
_LET_IN = "fac_let_in"  # the workshop codes this session has given the right PIN for
_MESSAGE = "fac_message"
_CODE = "fac_code"


PIN_ATTEMPTS = throttle.AttemptLimit("workshop-pin", FAILURES_PER_ADDRESS, FAILURES_PER_WORKSHOP,
                                     FAILURES_PER_PROCESS, FAILURE_WINDOW_SECONDS)
_REFUSED = {"address": "from your network", "target": "for this workshop", "process": "on this server"}


def _check_pin(code: str) -> None:
    ss = st.session_state
    entered = ss.get(_PIN) or ""
    ss[_PIN] = ""
    address = client.address()
    refused = PIN_ATTEMPTS.reserve(address, code)  # counted before the PIN is hashed
    if refused:
        scope, minutes = refused
        log.warning("Workshop PIN refused without checking: too many wrong PINs %s (workshop %s, address %s)",
                    _REFUSED[scope], code, address)
        ss[_MESSAGE] = ("error", f"Too many wrong PINs {_REFUSED[scope]}: PINs are not being checked for about "
                                 f"{minutes} minute{'s' if minutes != 1 else ''}. Try again then.")
        return
    try:
        right = feedback_access.store().check_workshop_pin(code, entered)
    except feedback.FeedbackStoreUnavailable:
        PIN_ATTEMPTS.release(address, code)
        ss[_MESSAGE] = ("error", "The PIN cannot be checked just now: the feedback store cannot be reached.")
        return
    if right:
        PIN_ATTEMPTS.release(address, code)
        ss.setdefault(_LET_IN, set()).add(code)
        ss.pop(_MESSAGE, None)
    else:
        log.warning("Workshop PIN wrong for workshop %s from address %s", code, address)  # never the PIN
        ss[_MESSAGE] = ("error", "That PIN is not right. Access refused.")


def _access(code: str) -> bool:
    if staff_signed_in() or code in st.session_state.get(_LET_IN, set()):
        return True
    with st.form("fac_pin_form", enter_to_submit=True):
        st.text_input("Workshop PIN", type="password", key=_PIN, autocomplete="off")
        st.form_submit_button("Open the facilitator view", on_click=_check_pin, args=(code,), type="primary")
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        st.error(md_escape(message[1]), icon=":material/block:")
    st.caption("The PIN was chosen when the workshop was opened on the workshop page. LEP staff signed in on the "
               "staff page in this browser come straight in.")
    return False


def _review(feedback_id: str, decision: str) -> None:
    try:
        feedback_access.store().review_comment(feedback_id, decision)
    except (feedback.FeedbackStoreUnavailable, feedback.FeedbackNotFound):
        st.session_state[_MESSAGE] = ("error", "Not changed: the feedback store cannot be reached just now.")


def _set_hold(code: str) -> None:
    try:
        feedback_access.store().set_hold_comments(code, bool(st.session_state.get("fac_hold")))
    except (feedback.FeedbackStoreUnavailable, P.PollError):
        st.session_state[_MESSAGE] = ("error", "Not changed: the feedback store cannot be reached just now.")


@st.fragment(run_every=REFRESH_SECONDS)
def queue(code: str) -> None:
    """Held comments, oldest first, with Approve and Reject."""
    cat = data.catalogue()
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    try:
        store = feedback_access.store()
        states = store.comment_states(code)
        held = store.workshop_comments(code, states=("held",))
    except feedback.FeedbackStoreUnavailable:
        st.warning("The queue cannot be read just now; it tries again in a few seconds.", icon=":material/cloud_off:")
        return
    st.subheader(f"Comments waiting ({states['held']})", anchor=False)
    st.caption(f"{states['approved'] + states['shown']} approved · {states['rejected']} rejected. Only approved "
               "comments reach the projector; rejected ones stay hidden (and in the staff page's exports).")
    if held.empty:
        st.caption("No comment is waiting.")
    for row in held.sort_values("created_at").head(QUEUE_SHOWN).itertuples(index=False):
        with st.container(border=True, key=f"fac_q_{row.id}"):
            words = flagged_words(row.comment)
            if words:
                st.warning("Flagged words: " + md_escape(", ".join(words)), icon=":material/flag:")
            st.text(neutralise_for_display(row.comment))
            st.caption(md_escape(f"{titles.get(row.priority, row.priority)} · {row.respondent_type} · {row.reference}"))
            a, b = st.columns(2)
            a.button("Approve", key=f"fac_approve_{row.id}", on_click=_review, args=(row.id, "approved"),
                     type="primary", icon=":material/check:", width="stretch")
            b.button("Reject", key=f"fac_reject_{row.id}", on_click=_review, args=(row.id, "rejected"),
                     icon=":material/block:", width="stretch")
    if len(held) > QUEUE_SHOWN:
        st.caption(f"{len(held) - QUEUE_SHOWN} more after these.")
    approved = store.workshop_comments(code, states=("approved", "shown"), limit=APPROVED_SHOWN)
    if not approved.empty:
        with st.expander(f"On the projector: the latest {len(approved)} approved", expanded=False):
            for row in approved.itertuples(index=False):
                st.text(neutralise_for_display(row.comment))
                st.button("Take it down (reject)", key=f"fac_takedown_{row.id}", on_click=_review,
                          args=(row.id, "rejected"), icon=":material/visibility_off:")


def _open_poll(code: str, kind: str) -> None:
    subject = st.session_state.get("fac_priority")
    try:
        feedback_access.store().open_poll(code, kind, subject)
    except P.PollError as exc:
        st.session_state[_MESSAGE] = ("error", f"The poll was not opened: {exc}")
    except feedback.FeedbackStoreUnavailable as exc:
        reference = public_errors.report("Opening a poll", exc)
        st.session_state[_MESSAGE] = ("error", public_errors.message("Opening a poll", reference))


def _poll_action(code: str, poll_id: str, action: str) -> None:
    try:
        store = feedback_access.store()
        if action == "reveal":
            store.reveal_poll(poll_id)
        elif action == "close":
            store.close_poll(poll_id)
        elif action == "reset":
            poll = store.poll(poll_id)
            store.open_poll(code, poll.kind, poll.subject)
    except P.PollError as exc:
        st.session_state[_MESSAGE] = ("error", f"Not done: {exc}")
    except feedback.FeedbackStoreUnavailable as exc:
        reference = public_errors.report("The poll", exc)
        st.session_state[_MESSAGE] = ("error", public_errors.message("The poll", reference))


@st.fragment(run_every=REFRESH_SECONDS)
def poll_controls(code: str) -> None:
    """The current poll with its live count; Reveal, New round (reset), Close."""
    try:
        store = feedback_access.store()
        poll = store.latest_poll(code)
        answered = store.answer_count(poll.id) if poll else 0
    except feedback.FeedbackStoreUnavailable:
        st.warning("The poll cannot be read just now.", icon=":material/cloud_off:")
        return
    if poll is None:
        st.caption("No poll yet.")
        return
    with st.container(border=True, key="fac_poll"):
        st.markdown(f"**{md_escape(workshop_live.poll_heading(poll))}**")
        st.metric("Answers", answered)
        state = ("open" if poll.is_open else "closed") + (" · results shown on the projector" if poll.revealed
                                                          else " · results hidden")
        st.caption(state[:1].upper() + state[1:])
        a, b, c = st.columns(3)
        a.button("Reveal results", key="fac_reveal", on_click=_poll_action, args=(code, poll.id, "reveal"),
                 disabled=poll.revealed, type="primary", width="stretch")
        b.button("New round", key="fac_reset", on_click=_poll_action, args=(code, poll.id, "reset"),
                 help="Ask the same question again (for example after the evidence). This round is kept.",
                 width="stretch")
        c.button("Close poll", key="fac_close", on_click=_poll_action, args=(code, poll.id, "close"),
                 disabled=not poll.is_open, width="stretch")


def polls_section(code: str, screen: str | None) -> None:
    cat = data.catalogue()
    ids = [p.id for p in cat.priorities]
    st.subheader("Polls", anchor=False)
    if st.session_state.get("fac_priority") not in ids:
        st.session_state["fac_priority"] = screen if screen in ids else ids[0]
    st.selectbox("Priority", ids, key="fac_priority",
                 format_func=lambda pid: f"{cat.priority(pid).number}. {cat.priority(pid).title}"
                 + (" (on screen)" if pid == screen else ""))
    for kind in P.KINDS:
        st.button(f"Open poll: {P.question(kind, data.area().short_name)}", key=f"fac_open_{kind}",
                  on_click=_open_poll, args=(code, kind), width="stretch")
    st.caption("Opening a poll closes the one before. Results stay hidden on the projector until revealed; "
               "asking the same rating question again ('New round') shows the shift before → after.")
    poll_controls(code)


def render() -> None:
    st.title("Facilitator", anchor=False)
    raw = st.query_params.get("code")
    code = feedback.normalise_workshop_code(raw)
    if not code:
        if raw:
            st.warning("The workshop code in the link is not valid (3 to 40 letters, digits and hyphens).",
                       icon=":material/link_off:")
        entered = st.text_input("Workshop code", key=_CODE, placeholder="BASINGSTOKE-2026-12-03")
        code = feedback.normalise_workshop_code(entered)
        if not code:
            st.caption("Open this page from the link on the workshop page, or type the workshop's code.")
            return
        st.query_params["code"] = code
    st.markdown(f"Workshop **{md_escape(code)}**")
    try:
        found = feedback_access.store().workshop(code)
    except feedback.FeedbackStoreUnavailable:
        st.error("The feedback store cannot be reached just now. Reload in a minute.", icon=":material/cloud_off:")
        return
    if found is None:
        st.info("This workshop has not been opened yet: open it on the workshop page, with a PIN, first.",
                icon=":material/info:")
        return
    if not _access(code):
        return
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        st.error(md_escape(message[1]), icon=":material/error:")
    st.session_state["fac_hold"] = found.hold_comments
    st.toggle("Hold comments for approval", key="fac_hold", on_change=_set_hold, args=(code,),
              help="Off: comments go to the projector as they arrive, and those waiting go up too.")
    queue(code)
    st.divider()
    polls_section(code, found.screen_priority)
