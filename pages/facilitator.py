"""The facilitator's view of a workshop, made for a phone: drive the projector (priority and
slide; the projector follows within its one-second watch), approve or reject held comments (one
by one, all shown or a selection in one action; the queue does not reflow while the facilitator
acts: new comments wait below with a count), open polls for the priority on the projector, reveal
results, start a new round. It also gives the facilitator's projector link and says when the room's
address cannot be reached from phones (a loopback address), with a field to set it.

URL: /facilitate?code=<WORKSHOP-CODE>. Access: the workshop's PIN (chosen by LEP staff when they
opened the workshop; only its salted hash is stored, compared in constant time), or a staff
sign-in in this browser session. Only signed-in staff open a workshop (here or on the staff page).
Wrong PINs are limited in FAILURE_WINDOW_SECONDS windows (web.throttle.AttemptLimit):
FAILURES_PER_ADDRESS from one address, FAILURES_PER_WORKSHOP at one workshop, FAILURES_PER_PROCESS in
all; while one is reached, no PIN (not even the right one) is checked for that address, that
workshop, or at all. Each attempt is counted before its PIN is hashed, so guesses sent at once
cannot all slip past the count; a right PIN is not counted. The queue and the poll refresh on their own
(st.fragment with run_every). Comments are shown as plain text, bidi controls made visible.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from lis_data import feedback
from web import throttle
from lis_data.feedback import polls
from lis_data.feedback.text import neutralise_for_display
from lis_data.feedback.word_flags import flagged_words

from lis_data.feedback.projector_store import POLL, RESULTS, SLIDE_NAMES, SLIDES, PublicUrlError

from ui import client, data, feedback_access, projector_drive, public_errors, room_address, workshop_live
from ui import own_question_facilitator, workshop_setup
from ui.formatting import md_escape
from ui.staff_session import staff_signed_in
from ui.workshop_links import join_url, projector_url, short_address

log = logging.getLogger(__name__)

#: Wrong PINs in 15 minutes: 5 from one address (as the staff password), 10 at one workshop (so one
#: address cannot close the others' workshops, and guessing one workshop's PIN stays hopeless), and
#: 500 in all, a backstop on the hashing (500 x 50 ms of scrypt), not a lock-out of every workshop.
FAILURES_PER_ADDRESS = 5
FAILURES_PER_WORKSHOP = 10
FAILURES_PER_PROCESS = 500
FAILURE_WINDOW_SECONDS = 15 * 60
REFRESH_SECONDS = 5
QUEUE_SHOWN = 50  # held comments shown at once (a room's burst); the rest wait below with a count
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
    st.caption("LEP staff chose the PIN when they opened the workshop. Staff signed in on the staff page in this "
               "browser come straight in.")
    return False


def _review(feedback_id: str, decision: str) -> None:
    try:
        feedback_access.store().review_comment(feedback_id, decision)
    except (feedback.FeedbackStoreUnavailable, feedback.FeedbackNotFound):
        st.session_state[_MESSAGE] = ("error", "Not changed: the feedback store cannot be reached just now.")


def _set_hold(code: str) -> None:
    try:
        feedback_access.store().set_hold_comments(code, bool(st.session_state.get("fac_hold")))
    except (feedback.FeedbackStoreUnavailable, polls.PollError):
        st.session_state[_MESSAGE] = ("error", "Not changed: the feedback store cannot be reached just now.")


@functools.lru_cache(maxsize=4096)
def _flags(text: str) -> tuple[str, ...]:
    """The word list's flags of a comment, worked out once per process (about 0.1 s a comment: a
    queue of 40 redrawn every few seconds would otherwise keep the page busy)."""
    return tuple(flagged_words(text))


_SHOWN = "fac_queue_shown"  # the held comments on screen, in order: frozen while the facilitator acts


def _selected(ids: list[str]) -> list[str]:
    return [i for i in ids if st.session_state.get(f"fac_sel_{i}")]


def _bulk(code: str, decision: str, which: str) -> None:
    """Approve (or reject) every comment shown, or the ones ticked, in one action."""
    ss = st.session_state
    shown = list(ss.get(_SHOWN, []))
    ids = shown if which == "all" else _selected(shown)
    if not ids:
        ss[_MESSAGE] = ("error", "Nothing selected: tick the comments first.")
        return
    try:
        done = feedback_access.store().review_comments(code, ids, decision)
    except (feedback.FeedbackStoreUnavailable, polls.PollError):
        ss[_MESSAGE] = ("error", "Not changed: the feedback store cannot be reached just now.")
        return
    for i in ids:
        ss.pop(f"fac_sel_{i}", None)
    ss["fac_bulk_note"] = f"{'Approved' if decision == 'approved' else 'Rejected'} {done} comment{'s' if done != 1 else ''}."


def _show_new(ids: list[str]) -> None:
    st.session_state.setdefault(_SHOWN, []).extend(ids)


@st.fragment(run_every=REFRESH_SECONDS)
def queue(code: str) -> None:
    """Held comments, oldest first, with Approve and Reject each, and in bulk. The list shown is
    kept as it is between refreshes: comments that arrive meanwhile are counted below it."""
    cat = data.catalogue()
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    ss = st.session_state
    try:
        store = feedback_access.store()
        states = store.comment_states(code)
        held = store.workshop_comments(code, states=("held",)).sort_values("created_at", kind="stable")
    except feedback.FeedbackStoreUnavailable:
        st.warning("The queue cannot be read just now; it tries again in a few seconds.", icon=":material/cloud_off:")
        return
    rows = {r.id: r for r in held.itertuples(index=False)}
    shown = [i for i in ss.get(_SHOWN, []) if i in rows]  # those moderated meanwhile leave; nothing moves up
    if not shown:
        shown = list(rows)[:QUEUE_SHOWN]
    ss[_SHOWN] = shown
    arrived = [i for i in rows if i not in set(shown)]
    st.subheader(f"Comments waiting ({states['held']})", anchor=False)
    st.caption(f"{states['approved'] + states['shown']} approved · {states['rejected']} rejected. Only approved "
               "comments reach the projector; rejected ones stay hidden (and in the staff page's exports).")
    note = ss.pop("fac_bulk_note", None)
    if note:
        st.success(note, icon=":material/check_circle:")
    if not shown:
        st.caption("No comment is waiting.")
    else:
        picked = len(_selected(shown))
        a, b, c = st.columns(3)
        a.button(f"Approve all {len(shown)} shown", key="fac_approve_all", on_click=_bulk,
                 args=(code, "approved", "all"), type="primary", icon=":material/done_all:", width="stretch")
        b.button(f"Approve selected ({picked})", key="fac_approve_sel", on_click=_bulk,
                 args=(code, "approved", "selected"), icon=":material/check:", width="stretch")
        c.button(f"Reject selected ({picked})", key="fac_reject_sel", on_click=_bulk,
                 args=(code, "rejected", "selected"), icon=":material/block:", width="stretch")
    for fid in shown:
        row = rows[fid]
        with st.container(border=True, key=f"fac_q_{row.id}"):
            words = _flags(row.comment)
            if words:
                st.warning("Flagged words: " + md_escape(", ".join(words)), icon=":material/flag:")
            st.text(neutralise_for_display(row.comment))  # plain text, never Markdown
            st.checkbox("Select", key=f"fac_sel_{row.id}")
            st.caption(md_escape(f"{titles.get(row.priority, row.priority)} · {row.respondent_type} · {row.reference}"))
            a, b = st.columns(2)
            a.button("Approve", key=f"fac_approve_{row.id}", on_click=_review, args=(row.id, "approved"),
                     type="primary", icon=":material/check:", width="stretch")
            b.button("Reject", key=f"fac_reject_{row.id}", on_click=_review, args=(row.id, "rejected"),
                     icon=":material/block:", width="stretch")
    if arrived:
        st.button(f"{len(arrived)} more waiting below: show them", key="fac_show_new", on_click=_show_new,
                  args=(arrived[:QUEUE_SHOWN],), icon=":material/expand_more:", width="stretch")
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
        store = feedback_access.store()
        store.open_poll(code, kind, subject)
        store.close_questions(code)  # one question at a time on the room's phones
        store.drive_projector(code, slide=POLL)
    except polls.PollError as exc:
        st.session_state[_MESSAGE] = ("error", f"The poll was not opened: {exc}")
    except feedback.FeedbackStoreUnavailable as exc:
        reference = public_errors.report("Opening a poll", exc)
        st.session_state[_MESSAGE] = ("error", public_errors.message("Opening a poll", reference))


def _poll_action(code: str, poll_id: str, action: str) -> None:
    try:
        store = feedback_access.store()
        if action == "reveal":
            store.reveal_poll(poll_id)
            store.drive_projector(code, slide=RESULTS)
        elif action == "close":
            store.close_poll(poll_id)
        elif action == "reset":
            poll = store.poll(poll_id)
            store.open_poll(code, poll.kind, poll.subject)
            store.close_questions(code)
            store.drive_projector(code, slide=POLL)
    except polls.PollError as exc:
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


def _drive(code: str, **change) -> None:
    try:
        projector_drive.drive(feedback_access.store(), code, **change)
    except (feedback.FeedbackStoreUnavailable, polls.PollError):
        st.session_state[_MESSAGE] = ("error", "The projector was not changed: the feedback store cannot be reached.")


def _new_projector_link(code: str) -> None:
    try:
        st.session_state["fac_projector_key"] = (code, feedback_access.store().new_projector_key(code))
    except (feedback.FeedbackStoreUnavailable, polls.PollError):
        st.session_state[_MESSAGE] = ("error", "No projector link: the feedback store cannot be reached just now.")


def _save_address(code: str) -> None:
    try:
        feedback_access.store().set_public_url(code, st.session_state.get("fac_public_url"))
        st.session_state.pop("fac_address_error", None)
    except PublicUrlError as exc:
        st.session_state["fac_address_error"] = f"Not saved: {exc}."
    except (feedback.FeedbackStoreUnavailable, polls.PollError):
        st.session_state["fac_address_error"] = "Not saved: the feedback store cannot be reached just now."


def room_address_section(code: str, ws) -> None:
    """Where the room joins; a warning (here only, never on the projector) when phones cannot reach it."""
    page_url = st.context.url
    base = room_address.base_for(ws, ws.projector_origin or page_url)
    if base:
        st.caption(f"The room joins at {md_escape(short_address(join_url(base, code)))} (the QR code's address); "
                   f"code {md_escape(code)}.")
    if room_address.unreachable(ws, page_url):
        with st.container(border=True, key="fac_address_warning"):
            st.warning("The projector's QR code points to this computer's own address (a loopback address such as "
                       "127.0.0.1 or localhost), which no phone in the room can reach. Give the address phones use: "
                       "for example this laptop's address on the venue's network, http://192.168.1.20:8501, or the "
                       "dashboard's public address. (Hosts set it for every workshop with the public_url setting.)",
                       icon=":material/wifi_off:")
            st.text_input("Address the room uses", key="fac_public_url", placeholder="http://192.168.1.20:8501",
                          max_chars=200)
            st.button("Use this address", key="fac_public_url_save", on_click=_save_address, args=(code,))
    elif ws.public_url:
        st.caption(f"Address set for this workshop: {md_escape(ws.public_url)}.")
    error = st.session_state.pop("fac_address_error", None)
    if error:
        st.error(md_escape(error), icon=":material/error:")


def projector_section(code: str, ws) -> None:
    """What the projector shows, and the buttons that move it."""
    cat = data.catalogue()
    pid = projector_drive.screen_priority(ws)
    slide = projector_drive.screen_slide(ws)
    p = cat.priority(pid)
    st.subheader("Projector", anchor=False)
    st.markdown(f"On screen: **{p.number}. {md_escape(p.title)}** · {md_escape(SLIDE_NAMES[slide])}")
    # Horizontal containers wrap on a phone in reading order (columns would stack column by column).
    with st.container(horizontal=True, key="fac_priority_buttons"):
        st.button("Previous priority", key="fac_prev", on_click=_drive, args=(code,), kwargs={"priority_step": -1},
                  icon=":material/arrow_back:")
        st.button("Next priority", key="fac_next", on_click=_drive, args=(code,), kwargs={"priority_step": 1},
                  icon=":material/arrow_forward:")
    with st.container(horizontal=True, key="fac_slide_buttons"):
        for name in SLIDES:
            st.button(f"Show: {SLIDE_NAMES[name]}", key=f"fac_slide_{name}", on_click=_drive, args=(code,),
                      kwargs={"slide": name}, type="primary" if name == slide else "secondary")
    room_address_section(code, ws)
    st.button("New projector link", key="fac_projector_link", on_click=_new_projector_link, args=(code,),
              icon=":material/co_present:",
              help="A link for the laptop that drives the projector: that screen records what the room sees (stored "
                   "with every poll answer) and answers the arrow keys and a presenter clicker. A new link replaces "
                   "the one before.")
    made = st.session_state.get("fac_projector_key")
    if made and made[0] == code:
        st.link_button("Open the projector (on the projector's laptop)", projector_url(".", code, made[1])[2:],
                       icon=":material/open_in_new:", width="stretch")
        st.caption("Open it on the laptop connected to the projector, then make the browser full screen. Keys there: "
                   "← → priority, Page Up / Page Down (a clicker) slide, 1 to 7 a slide.")


def polls_section(code: str, screen: str | None) -> None:
    cat = data.catalogue()
    ids = [p.id for p in cat.priorities]
    st.subheader("Polls", anchor=False)
    ss = st.session_state
    if ss.get("fac_priority") not in ids or ss.get("fac_screen_seen") != screen:
        # the priority on the projector, again whenever the projector moves to another
        ss["fac_priority"] = screen if screen in ids else ids[0]
        ss["fac_screen_seen"] = screen
    st.selectbox("Priority", ids, key="fac_priority",
                 format_func=lambda pid: f"{cat.priority(pid).number}. {cat.priority(pid).title}"
                 + (" (on screen)" if pid == screen else ""))
    for kind in polls.KINDS:
        st.button(f"Open poll: {polls.question(kind, data.area().short_name)}", key=f"fac_open_{kind}",
                  on_click=_open_poll, args=(code, kind), width="stretch")
    st.caption("Opening a poll closes the one before and puts it on the projector. Results stay hidden until "
               "revealed (the projector then shows them); asking the same rating question again ('New round') "
               "shows the shift before → after.")
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
    workshop_setup.message()
    try:
        found = feedback_access.store().workshop(code)
    except feedback.FeedbackStoreUnavailable:
        st.error("The feedback store cannot be reached just now. Reload in a minute.", icon=":material/cloud_off:")
        return
    if found is None:
        st.info("This workshop has not been opened yet. LEP staff open workshops, with a PIN for the facilitator: on "
                "the staff page, or here once signed in on the staff page.", icon=":material/info:")
        workshop_setup.open_form(code)
        return
    if not _access(code):
        return
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        st.error(md_escape(message[1]), icon=":material/error:")
    st.session_state["fac_hold"] = found.hold_comments
    st.toggle("Hold comments for approval", key="fac_hold", on_change=_set_hold, args=(code,),
              help="Off: comments go to the projector as they arrive, and those waiting go up too.")
    projector_section(code, found)
    st.divider()
    queue(code)
    st.divider()
    polls_section(code, projector_drive.screen_priority(found))
    st.divider()
    own_question_facilitator.ask_form(code)
    workshop_setup.reclaim_form(code)
