"""The audience's side of a workshop poll, on the phone page the QR code opens (the sounding
board with ?workshop=CODE): a fragment that looks for the workshop's open poll every few seconds
and shows it without a reload; one answer counted per device (components/device_key.py), a second
answer replaces the first while the poll is open.

Limits, as for comments (pages/sounding_board.py): MAX_ANSWERS_PER_ROUND per session and round, and
in process-wide windows that a reload or a missing cookie does not reset, ANSWERS_PER_ADDRESS per
client address and ANSWERS_PER_PROCESS in all, over ``feedback_rate_window_minutes`` (secrets:
``poll_rate_limit_per_address``, ``poll_rate_limit_per_process``). An answer's places are taken
before it is stored (atomically: a burst cannot pass them all) and given back if it is not stored.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from lis_data import feedback
from web import throttle
from lis_data.views import workshop_results
from lis_data.feedback import polls

from . import app_settings, client, data, feedback_access, own_question_phone
from .device_key import device_key
from .formatting import md_escape

log = logging.getLogger(__name__)

POLL_SECONDS = 5  # as the projector's live panel: a new poll reaches phones within it
ATTEMPTS = 3
#: Answers one session may send to one poll round (changing one's mind a few times is fine).
MAX_ANSWERS_PER_ROUND = 10
#: Answers one client address may send in the window (10 minutes), whatever its sessions and cookies:
#: a workshop room of 100 phones behind one venue router, answering six poll rounds in ten minutes.
ANSWERS_PER_ADDRESS = 600
#: Answers the whole server process takes in the window: five such rooms at once.
ANSWERS_PER_PROCESS = 3000
_TYPE = "aud_respondent_type"


def _answer_windows(address: str) -> list[tuple[throttle.SlidingWindow, str]]:
    config = app_settings.current()
    seconds = config.feedback_rate_window_seconds
    per_address, per_process = config.poll_rate_limit_per_address, config.poll_rate_limit_per_process
    return [(throttle.window("poll-answers-per-address", per_address, seconds), address),
            (throttle.window("poll-answers-per-process", per_process, seconds), "")]


def _status_key(poll_id: str) -> str:
    return f"aud_status_{poll_id}"


def _send(poll: polls.Poll, device: str) -> None:
    ss = st.session_state
    sent = ss.setdefault("aud_sent", {})
    if sent.get(poll.id, 0) >= MAX_ANSWERS_PER_ROUND:
        # Every answer is a row (append-only): a script pressing Send in a loop is stopped here.
        ss[_status_key(poll.id)] = ("limit", None)
        return
    address = client.address()
    places = _answer_windows(address)
    refused = throttle.take_all(places)  # counted before storing: a burst cannot pass all at once
    if refused is not None:
        scope = ("address", "process")[refused[0]]
        log.warning("Poll answer refused: per-%s limit reached (%s)", scope, address)
        ss[_status_key(poll.id)] = ("busy", (scope, throttle.minutes(refused[1])))
        return
    sent[poll.id] = sent.get(poll.id, 0) + 1
    try:
        receipt = _validate_and_store(poll, device)
    except BaseException:
        throttle.give_back_all(places)
        raise
    if receipt is None or receipt.duplicate:
        throttle.give_back_all(places)


def _validate_and_store(poll: polls.Poll, device: str) -> polls.AnswerReceipt | None:
    """Validate and store the answer, leaving its status; the receipt, or None when not stored."""
    ss = st.session_state
    ids = [p.id for p in data.catalogue().priorities]
    store = feedback_access.store()
    try:
        ws = store.workshop(poll.workshop_code)
        screen = ws.screen_priority if ws and ws.screen_priority in ids else None
        priority = screen or (poll.subject if poll.subject in ids else ss.get("sb_priority_from_url"))
        if priority not in ids:
            priority = ids[0]
        indicators = list(ws.screen_indicators) if ws and ws.screen_indicators else \
            [i.id for i in data.catalogue().headlines_for(priority)]
        vintage = (ws.screen_vintage if ws and ws.screen_vintage else None) or workshop_results.data_vintage(data.store())
        answer = polls.validate_answer(
            poll, device_key=device, answer_key=polls.new_answer_key(), priority=priority,
            respondent_type=ss.get(_TYPE), rating=ss.get(f"aud_rating_{poll.id}"),
            choices=ss.get(f"aud_choices_{poll.id}") if not poll.is_rating else None,
            indicators=indicators, data_vintage=vintage, priorities=ids)
        receipt = _store_with_retries(store, answer)
    except polls.PollClosed:
        ss[_status_key(poll.id)] = ("closed", None)
        return None
    except polls.PollError as exc:
        ss[_status_key(poll.id)] = ("invalid", str(exc))
        return None
    except feedback.FeedbackStoreUnavailable as exc:
        log.warning("Poll answer not stored: %s", exc)
        ss[_status_key(poll.id)] = ("unavailable", None)
        return None
    ss[_status_key(poll.id)] = ("replaced" if receipt.replaced else "saved", None)
    return receipt


def _store_with_retries(store, answer: polls.PollAnswer) -> polls.AnswerReceipt:
    """Store the answer, trying again (up to ATTEMPTS in all) when the store was busy: a room
    answering at once queues on the store's write lock, and the answer key makes a retry of an
    answer that was in fact stored a no-op."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return store.answer_poll(answer)
        except feedback.FeedbackStoreUnavailable as exc:
            if attempt == ATTEMPTS:
                raise
            log.info("Poll answer: store busy, attempt %d of %d: %s", attempt, ATTEMPTS, exc)
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _status(poll: polls.Poll) -> None:
    status = st.session_state.get(_status_key(poll.id))
    if not status:
        return
    kind, detail = status
    if kind == "saved":
        st.success("Thank you: your answer is counted. You can change it while the poll is open.",
                   icon=":material/check_circle:")
    elif kind == "replaced":
        st.success("Your new answer is counted instead of your earlier one.", icon=":material/check_circle:")
    elif kind == "invalid":
        st.error(f"Not sent: {md_escape(detail)}.", icon=":material/error:")
    elif kind == "closed":
        st.warning("Not sent: this poll has just closed.", icon=":material/lock_clock:")
    elif kind == "unavailable":
        st.error("Not sent: the sounding board cannot be reached just now. Please press Send again in a moment.",
                 icon=":material/cloud_off:")
    elif kind == "busy":
        scope, minutes = detail
        who = "from your network" if scope == "address" else "in total"
        st.warning(f"Not sent: too many answers {who} in the last few minutes. Please try again in about "
                   f"{minutes} minute{'s' if minutes != 1 else ''}.", icon=":material/hourglass_top:")
    elif kind == "limit":
        st.warning(f"Not sent: this phone has changed its answer {MAX_ANSWERS_PER_ROUND} times in this round. "
                   "Your last answer is the one counted.", icon=":material/hourglass_top:")


@st.cache_data(ttl=1, show_spinner=False, max_entries=200)
def _current_poll(code: str) -> polls.Poll | None:
    """The workshop's open poll, looked up at most once a second per server process whatever the
    number of phones (a room of 100 phones refreshing every few seconds would otherwise ask the
    store 25 times a second). An exception is not cached."""
    return feedback_access.store().current_poll(code)


@st.cache_data(ttl=1, show_spinner=False, max_entries=200)
def _current_question(code: str):
    """The workshop's open own question (looked up at most once a second per process, as the poll)."""
    return feedback_access.store().latest_question(code, open_only=True)


@st.fragment(run_every=POLL_SECONDS)
def _poll_fragment(code: str, device: str) -> None:
    try:
        poll = _current_poll(code)
        question = None if poll is not None else _current_question(code)
    except feedback.FeedbackStoreUnavailable:
        return  # the poll box simply stays away; the comment form below still says if it cannot save
    if question is not None:  # the facilitator's own question (one question at a time: polls are closed)
        own_question_phone.question_box(question, device, _answer_windows, MAX_ANSWERS_PER_ROUND)
        return
    if poll is None:
        st.caption("No poll is open just now. When the facilitator opens one, it appears here.")
        return
    cat = data.catalogue()
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    with st.container(border=True, key="aud_poll"):
        about = "" if poll.subject == polls.ALL_PRIORITIES else f" ({titles.get(poll.subject, poll.subject)})"
        st.markdown(f"**Poll: {md_escape(polls.question(poll.kind, data.area().short_name))}{md_escape(about)}**")
        if poll.round > 1:
            st.caption(f"Asked again: round {poll.round}. Your answer to the earlier round is kept there.")
        if poll.is_rating:
            scale = polls.SCALES[poll.kind]
            st.radio("Your answer", [1, 2, 3, 4, 5], index=None, key=f"aud_rating_{poll.id}",
                     format_func=lambda v: scale[v - 1])
        else:
            st.multiselect("Your three priorities", [p.id for p in cat.priorities], key=f"aud_choices_{poll.id}",
                           format_func=titles.get, max_selections=polls.TOP_N, placeholder="Pick up to three")
        st.selectbox("You are answering as (optional)", list(feedback.RESPONDENT_TYPES), index=None, key=_TYPE,
                     format_func=lambda t: t[:1].upper() + t[1:], placeholder="Choose one")
        st.button("Send my answer", key=f"aud_send_{poll.id}", type="primary", on_click=_send, args=(poll, device),
                  icon=":material/how_to_vote:", width="stretch")
        _status(poll)


def poll_box(code: str) -> None:
    """The workshop's open poll, refreshed without a reload. Call outside any fragment."""
    _poll_fragment(code, device_key())
