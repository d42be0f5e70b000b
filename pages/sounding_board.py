"""The sounding board: anyone can tell the LEP what the evidence behind a priority misses.

The form is an ``st.form`` (typing does not rerun the app). Its submit button's callback runs
before the page is drawn and hands the values to the submission service
(``lis_data.feedback.submission``: the decoy field, the limits, duplicate taps), which validates
them, stores a valid submission and leaves either an error beside each field at fault (the widgets keep
what was typed, their values live in session state) or a confirmation with the reference and a
cleared form. The submission key stays in session state until a submission is stored, so a
retry after an error, a double click or a rerun stores it once. A second tap that arrives after
the form was cleared (an empty form) keeps the first tap's acknowledgement and reference. Nothing
the person typed is ever rendered as Markdown or HTML.

Limits: per session (``feedback_rate_limit``), and, in process-wide windows that a reload does
not reset, per client address (``feedback_rate_limit_per_address``) and for the whole process
(``feedback_rate_limit_per_process``), all over ``feedback_rate_window_minutes``.
"""

from __future__ import annotations

import logging

import streamlit as st

from lis_data import feedback
from lis_data.feedback import submission
from web import throttle

from lis_data.config import settings
from ui import app_settings, audience_poll, client, data, feedback_access, public_errors
from ui.formatting import md_escape

log = logging.getLogger(__name__)

#: At most this many comments per session in RATE_WINDOW_MINUTES (override in secrets:
#: feedback_rate_limit, feedback_rate_window_minutes).
RATE_LIMIT = settings.RATE_LIMIT
RATE_WINDOW_MINUTES = settings.RATE_WINDOW_MINUTES
#: At most this many comments from one client address in the same window, whatever the sessions
#: (secrets: feedback_rate_limit_per_address). A workshop room of 100 phones behind one venue
#: router shares one address: 100 people x the session limit of 5 = 500 comments in 10 minutes
#: is the most such a room can send, so 600 never blocks it (about 1 a second from one address).
RATE_LIMIT_PER_ADDRESS = settings.RATE_LIMIT_PER_ADDRESS
#: At most this many comments in the window for the whole server process (secrets:
#: feedback_rate_limit_per_process): five such rooms at once, 5 comments a second sustained.
RATE_LIMIT_PER_PROCESS = settings.RATE_LIMIT_PER_PROCESS

FIELDS = submission.FIELDS
KEYS = {f: f"sb_{f}" for f in FIELDS}
HONEYPOT_KEY = "sb_website"
SUBMISSION_KEY = "sb_submission_key"
_ERRORS = "sb_errors"
_STATUS = "sb_status"
_TIMES = "sb_sent_at"
_LAST = "sb_last_sent"
_FROM_URL = "sb_priority_from_url"

_DEFAULTS = submission.CLEARED


def rate_limit() -> tuple[int, float]:
    """(most comments, window in seconds) for one session."""
    config = app_settings.current()
    return config.feedback_rate_limit, config.feedback_rate_window_seconds


def _shared_windows() -> tuple[throttle.SlidingWindow, throttle.SlidingWindow]:
    """The process-wide windows: comments per client address, comments of the whole process."""
    config = app_settings.current()
    seconds = config.feedback_rate_window_seconds
    return (throttle.window("feedback-per-address", config.feedback_rate_limit_per_address, seconds),
            throttle.window("feedback-per-process", config.feedback_rate_limit_per_process, seconds))


def _priority_from_url(ids: list[str]) -> str | None:
    """The ?priority= of the link if it names a priority. A new link preselects it."""
    raw = st.query_params.get("priority")
    wanted = raw if raw in ids else None
    if raw != st.session_state.get(_FROM_URL) or KEYS["priority"] not in st.session_state:
        st.session_state[_FROM_URL] = raw
        if wanted:
            st.session_state[KEYS["priority"]] = wanted
    return wanted


def _clear_form(preselected: str | None) -> None:
    ss = st.session_state
    ss[KEYS["priority"]] = preselected
    for field, value in _DEFAULTS.items():
        ss[KEYS[field]] = list(value) if isinstance(value, list) else value
    ss[HONEYPOT_KEY] = ""
    ss[SUBMISSION_KEY] = feedback.new_submission_key()


def _shared_limits(address: str, window: float) -> submission.SharedLimits:
    """The process-wide windows (web.throttle) as the submission service's shared limits."""
    per_address, per_process = _shared_windows()
    places = [(per_address, address), (per_process, "")]

    def reserve() -> tuple[str, int] | None:
        # Take the comment's place in both windows before storing it, atomically: comments sent
        # at once cannot all pass a check made before any of them was counted.
        refused = throttle.take_all(places)
        if refused is None:
            return None
        scope, shared = (("address", per_address), ("process", per_process))[refused[0]]
        log.warning("Sounding board: comment refused, per-%s limit of %d in %d minutes reached (%s)",
                    scope, shared.limit, round(window / 60), address)
        return scope, throttle.minutes(refused[1])

    return submission.SharedLimits(reserve=reserve, release=lambda: throttle.give_back_all(places),
                                   record_decoy=lambda: per_address.record(address))


def _submit(priorities: list[str], places: list[str], workshop: str | None, preselected: str | None) -> None:
    """The Send button's callback: the submission service (lis_data.feedback.submission) decides;
    this keeps its memory in session state and leaves a status for the page to show."""
    ss = st.session_state
    raw = {f: ss.get(KEYS[f]) for f in FIELDS}
    raw.update(honeypot=ss.get(HONEYPOT_KEY), workshop_code=workshop, submission_key=ss[SUBMISSION_KEY])
    most, window = rate_limit()
    memory = submission.Memory(tuple(ss.get(_TIMES, ())), ss.get(_LAST), ss.get(_STATUS))
    outcome = submission.submit(raw, priorities=priorities, places=places, store=feedback_access.store,
                                memory=memory, most=most, window=window,
                                shared=_shared_limits(client.address(), window), preselected=preselected)
    if outcome.status is None:  # a second tap on the cleared form: the first tap's acknowledgement stays
        return
    ss[_ERRORS] = outcome.errors
    ss[_TIMES] = list(outcome.memory.sent_at)
    if outcome.memory.last is not None:
        ss[_LAST] = outcome.memory.last
    status = outcome.status
    if outcome.error is not None:
        status = ("unavailable", public_errors.report("Sounding board: storing a comment", outcome.error,
                                                      level=logging.WARNING))
    ss[_STATUS] = status
    if outcome.clear_form:
        _clear_form(preselected)


# The form's labels, for the error summary.
FIELD_NAMES = {
    "workshop_code": "Workshop code", "priority": "Strategic priority", "places": "Districts or towns",
    "respondent_type": "You are responding as", "organisation": "Organisation", "comment": "Your comment",
    "evidence_url": "Link to evidence", "name": "Your name", "email": "Your email", "consent": "Consent",
    "submission_key": "Sending",
}


def _field_error(field: str) -> None:
    message = st.session_state.get(_ERRORS, {}).get(field)
    if message:
        st.error(md_escape(message), icon=":material/error:")


def _status() -> None:
    status = st.session_state.get(_STATUS)
    if not status:
        return
    kind, detail = status
    contact = feedback_access.CONTACT_EMAIL
    if kind == "saved":
        st.success(f"Thank you: your comment has been received. Your reference is **{detail}**. Quote it if you "
                   f"write to {contact} about this comment. The form is clear for another comment.",
                   icon=":material/check_circle:")
    elif kind == "duplicate":
        st.success(f"Thank you: your comment has been received, once, under reference **{detail}** (it was "
                   "sent twice; we kept one copy). The form is clear for another comment.",
                   icon=":material/check_circle:")
    elif kind == "invalid":
        fields = "field" if detail == 1 else f"{detail} fields"
        # A summary that names each field and its error (an alert, so screen readers announce it),
        # beside the error written under each field.
        named = "\n".join(f"- **{FIELD_NAMES.get(f, f)}**: {md_escape(m)}"
                          for f, m in st.session_state.get(_ERRORS, {}).items())
        st.error(f"Your comment has not been sent yet: please correct the {fields} marked above. "
                 f"Everything you typed is still in the form.\n\n{named}", icon=":material/error:")
    elif kind == "rate":
        most, window, wait = detail
        minutes = round(window / 60)
        st.warning(f"Your comment has not been sent: this form accepts at most {most} comments from one visitor "
                   f"in {minutes} minutes. Please wait about {wait} minute{'s' if wait != 1 else ''} and press "
                   "Send again. Everything you typed is still in the form.", icon=":material/hourglass_top:")
    elif kind == "busy":
        scope, wait = detail
        who = ("from your network (your address)" if scope == "address" else "in total")
        st.warning(f"Your comment has not been sent: the sounding board has received a great many comments {who} "
                   f"in the last few minutes. Please wait about {wait} minute{'s' if wait != 1 else ''} and press "
                   "Send again. Everything you typed is still in the form.", icon=":material/hourglass_top:")
    elif kind == "unavailable":
        st.error("Your comment has **not** been saved: the sounding board's store cannot be reached just now. "
                 "Everything you typed is still in the form. Please press Send again in a few minutes, or copy "
                 f"your comment and email it to {contact}, quoting reference {detail}.", icon=":material/cloud_off:")


def render() -> None:
    cat = data.catalogue()
    ids = [p.id for p in cat.priorities]
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    options, labels = data.place_options()
    ss = st.session_state
    ss.setdefault(SUBMISSION_KEY, feedback.new_submission_key())

    st.title("Sounding board", anchor=False)
    if not st.query_params.get("workshop"):
        st.markdown(f"The LEP tests its ideas and evidence with an open sounding board. Tell us what the evidence "
                    f"behind a strategic priority of the {data.area().name} Local Industrial Strategy misses, gets "
                    "wrong or should look at next. Staff at the LEP read every comment.")

    preselected = _priority_from_url(ids)
    if st.query_params.get("priority") and not preselected:
        st.warning("The link named a priority this dashboard does not have, so none is chosen: pick one below.",
                   icon=":material/link_off:")
    contact = feedback_access.CONTACT_EMAIL
    raw_workshop = st.query_params.get("workshop")
    workshop = feedback.normalise_workshop_code(raw_workshop) if raw_workshop else None
    if raw_workshop and not workshop:
        st.warning("The workshop code in the link is not valid (3 to 40 letters, digits and hyphens), so this "
                   "comment will not be linked to a workshop.", icon=":material/link_off:")

    if workshop:
        if not preselected:
            preselected = _workshop_priority(workshop, ids)
        # A room: large targets for thumbs (at least 48 px, WCAG 2.5.8 asks 24).
        st.html("<style>:is(.st-key-aud_poll, .st-key-aud_question) [role='radiogroup'] label { min-height: 48px; "
                "font-size: 1.15rem; align-items: center; } :is(.st-key-aud_poll, .st-key-aud_question) [role='radiogroup'] "
                "label p { font-size: 1.15rem; } :is(.st-key-aud_poll, .st-key-aud_question) button "
                "{ min-height: 52px; font-size: 1.1rem; } .st-key-aud_question input { min-height: 48px; "
                "font-size: 1.15rem; }</style>")
        audience_poll.poll_box(workshop)
    else:
        _code_box()

    # The honeypot: hidden from view and from assistive technology, and out of the tab order.
    st.html("<style>.st-key-sb_honeypot { display: none !important; }</style>")

    # No client-side `required`/`validate`: the browser would block the submit with only an icon on
    # the field; the server's checks give every field at fault a written error and a summary.
    with st.form("sounding_board", border=True, enter_to_submit=False):
        if workshop:
            st.info(f"Workshop **{md_escape(workshop)}**: your comment will be counted with this workshop.",
                    icon=":material/groups:")
            _field_error("workshop_code")
        st.selectbox("Strategic priority (required)", options=ids, index=None, format_func=titles.get, key=KEYS["priority"],
                     placeholder="Choose the priority your comment is about",
                     persist_state="session")
        _field_error("priority")
        if workshop:
            # A room: the comment and who is answering first; everything optional folded away.
            _respondent_type()
            _comment_box(height=140)
            more = st.expander("More: places, organisation, a link, your name (all optional)", expanded=False)
        else:
            more = st.container()
        with more:
            st.multiselect("Districts or towns concerned (optional)", options=options, format_func=labels.get,
                           key=KEYS["places"], placeholder="Any of the 14 districts or their towns",
                           persist_state="session")
            _field_error("places")
            left, right = st.columns(2) if not workshop else (st.container(), st.container())
            with left:
                if not workshop:
                    _respondent_type()
            with right:
                # No max_chars here or below (as for the comment): the browser would silently drop a
                # longer paste; validation names the field, the limit and how much to cut.
                st.text_input("Organisation (optional)", key=KEYS["organisation"], persist_state="session")
                _field_error("organisation")
            if not workshop:
                _comment_box(height=200)
            st.text_input("Link to evidence (optional)", key=KEYS["evidence_url"], type="url", validate="",
                          placeholder="https://www.example.org/report", persist_state="session",
                          help="A web address starting with http:// or https://")
            _field_error("evidence_url")
            _about_you(contact)
        if workshop:
            # One line, with a link to the privacy notice (pages/privacy_notice.py).
            st.caption("Anonymous unless you give your name. [Privacy notice](privacy)")
        with st.container(key="sb_honeypot"):
            st.text_input("Website (leave this empty)", key=HONEYPOT_KEY, label_visibility="collapsed",
                          autocomplete="off")
        st.form_submit_button("Send to the LEP", type="primary", icon=":material/send:", on_click=_submit,
                              args=(ids, data.accepted_places(), workshop, preselected))
        _field_error("submission_key")
        _status()


def _respondent_type() -> None:
    st.selectbox("You are responding as (required)", options=list(feedback.RESPONDENT_TYPES), index=None,
                 format_func=lambda t: t[:1].upper() + t[1:], key=KEYS["respondent_type"],
                 placeholder="Choose one", persist_state="session")
    _field_error("respondent_type")


def _comment_box(height: int) -> None:
    # No max_chars: the browser would silently drop a paste that goes past it. Validation says
    # by how much a longer comment is over, and the text stays in the box.
    st.text_area("Your comment (required)", key=KEYS["comment"], height=height,
                 placeholder="What does the evidence miss? What should the LEP look at?",
                 persist_state="session")
    st.caption(f"10 to {feedback.validation.COMMENT_MAX:,} characters. If yours is longer, pressing Send tells "
               "you by how much to shorten it, and keeps your text.")
    _field_error("comment")


def _about_you(contact: str) -> None:
    st.markdown("**About you (optional)**")
    st.caption(f"You can respond anonymously. If you give your name or email, tick the box so we may keep "
               f"them: they are stored with your comment in the LEP's feedback database, seen only by LEP "
               f"staff who read the sounding board, used only to reply to you, and never published. Your "
               f"comment, organisation and places may be shown without your name or email, for example at "
               f"a workshop. To have your name and email, or your whole comment, removed, email {contact_link()} "
               f"quoting your reference: staff then erase them from the database and from every export.")
    left, right = st.columns(2)
    with left:
        st.text_input("Your name", key=KEYS["name"], autocomplete="name", persist_state="session")
        _field_error("name")
    with right:
        st.text_input("Your email", key=KEYS["email"], type="email", validate="",
                      persist_state="session")
        _field_error("email")
    st.checkbox("I agree that the LEP may keep my name and email to contact me about this comment",
                key=KEYS["consent"], persist_state="session")
    _field_error("consent")


def _code_box() -> None:
    """A box for a workshop code (the short code under the projector's QR code)."""
    with st.form("sb_code_form", border=False, enter_to_submit=True):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.text_input("At a workshop? Type its code", key="sb_code_box", max_chars=40,
                        placeholder="The code on the screen, e.g. BASINGSTOKE-2026")
        if right.form_submit_button("Join", width="stretch"):
            code = feedback.normalise_workshop_code(st.session_state.get("sb_code_box"))
            if code:
                st.query_params["workshop"] = code
                st.rerun()
            st.error("A workshop code has 3 to 40 letters, digits and hyphens.", icon=":material/error:")


def _workshop_priority(code: str, ids: list[str]) -> str | None:
    """The priority on the workshop's projector, preselected for a phone that came by the short code."""
    try:
        ws = feedback_access.store().workshop(code)
    except feedback.FeedbackStoreUnavailable:
        return None
    pid = ws.screen_priority if ws is not None and ws.screen_priority in ids else None
    if pid and not st.session_state.get("sb_priority_from_workshop"):
        st.session_state["sb_priority_from_workshop"] = pid
        st.session_state[KEYS["priority"]] = pid
    return pid


def contact_link() -> str:
    email = feedback_access.CONTACT_EMAIL
    return f"[{email}](mailto:{email})"


