"""The facilitator's own questions, on the facilitator view: type a question (a rating 1 to N, a
choice between options typed one a line, or one word for a word cloud) and ask it on the projector;
then the live count, Reveal results and Close; for a word question, moderate the words as comments
are moderated (one by one, all shown or a selection in one action; the list shown stays as it is
while the facilitator acts; abusive words pre-flagged by the word list, a hint only).
"""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.feedback import own_questions
from lis_data.feedback.projector_store import QUESTION
from lis_data.feedback.text import neutralise_for_display
from lis_data.feedback.word_flags import flagged_words

from . import feedback_access, public_errors
from .formatting import md_escape

REFRESH_SECONDS = 5
WORDS_SHOWN = 50
_MESSAGE = "own_message"
_SHOWN = "own_words_shown"


def _ask(code: str) -> None:
    ss = st.session_state
    try:
        spec = own_questions.validate_question(ss.get("own_kind"), ss.get("own_prompt") or "", ss.get("own_options") or "",
                                               ss.get("own_scale"), ss.get("own_low") or "", ss.get("own_high") or "")
        store = feedback_access.store()
        store.ask_question(code, spec)
        store.drive_projector(code, slide=QUESTION)
        ss.pop(_SHOWN, None)
        ss[_MESSAGE] = ("success", "Asked: the question is on the projector and on the room's phones.")
    except own_questions.QuestionError as exc:
        ss[_MESSAGE] = ("error", f"Not asked: {md_escape(str(exc))}.")
    except feedback.FeedbackStoreUnavailable as exc:
        ss[_MESSAGE] = ("error", public_errors.message("Asking a question", public_errors.report("Asking", exc)))


def ask_form(code: str) -> None:
    """Type a question and ask it (closes the open poll or question: one question at a time). No
    max_chars on the fields: the browser would silently cut a paste; validation says by how much."""
    st.subheader("Your own question", anchor=False)
    kind = st.radio("Kind of question", own_questions.KINDS, key="own_kind", format_func=own_questions.KIND_NAMES.get, horizontal=True)
    with st.form("own_question_form", border=True, enter_to_submit=False):
        st.text_input("Question", key="own_prompt",
                      placeholder="What should the LEP do first?")
        if kind == own_questions.RATING:
            st.number_input("Scale from 1 to", min_value=own_questions.SCALE_MIN, max_value=own_questions.SCALE_MAX, value=5, step=1,
                            key="own_scale")
            left, right = st.columns(2)
            left.text_input("Words under 1 (optional)", key="own_low",
                            placeholder="Not at all")
            right.text_input("Words under the top (optional)", key="own_high",
                             placeholder="Very much")
        elif kind == own_questions.CHOICE:
            st.text_area(f"Options, one a line ({own_questions.OPTIONS_MIN} to {own_questions.OPTIONS_MAX})", key="own_options",
                         height=140, placeholder="Skills\nHousing\nTransport")
        else:
            st.caption("Each phone sends one word. Words reach the word cloud on the projector only once you "
                       "approve them below.")
        st.form_submit_button("Ask on the projector", type="primary", on_click=_ask, args=(code,),
                              icon=":material/live_help:", width="stretch")
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])  # fixed texts; errors escaped
    question_controls(code)


def _act(code: str, qid: str, action: str) -> None:
    try:
        store = feedback_access.store()
        if action == "reveal":
            store.reveal_question(qid)
        else:
            store.close_question(qid)
        store.drive_projector(code, slide=QUESTION)
    except (own_questions.QuestionError, feedback.FeedbackStoreUnavailable):
        st.session_state[_MESSAGE] = ("error", "Not done: the feedback store cannot be reached just now.")


def _review(qid: str, words: list[str], decision: str) -> None:
    if not words:
        st.session_state["own_words_note"] = "Nothing selected: tick the words first."
        return
    try:
        done = feedback_access.store().review_words(qid, words, decision)
    except (own_questions.QuestionError, feedback.FeedbackStoreUnavailable):
        st.session_state["own_words_note"] = "Not changed: the feedback store cannot be reached just now."
        return
    for w in words:
        st.session_state.pop(f"own_sel_{qid}_{w}", None)
    verb = "Approved" if decision == "approved" else "Rejected"
    st.session_state["own_words_note"] = f"{verb} {done} word{'s' if done != 1 else ''}."


def _selected(qid: str, words: list[str]) -> list[str]:
    return [w for w in words if st.session_state.get(f"own_sel_{qid}_{w}")]


@st.fragment(run_every=REFRESH_SECONDS)
def question_controls(code: str) -> None:
    """The latest own question: its count, Reveal and Close; a word question's words to moderate."""
    try:
        store = feedback_access.store()
        q = store.latest_question(code)
        answers = store.question_answers(q.id) if q else []
        states = store.word_states(q.id) if q and q.kind == own_questions.WORDS else {}
    except feedback.FeedbackStoreUnavailable:
        st.warning("The question cannot be read just now.", icon=":material/cloud_off:")
        return
    if q is None:
        st.caption("No question of your own yet.")
        return
    with st.container(border=True, key="own_controls"):
        st.markdown(f"**{md_escape(neutralise_for_display(q.prompt))}** · {md_escape(own_questions.KIND_NAMES[q.kind])}")
        st.metric("Words sent" if q.kind == own_questions.WORDS else "Answers", len(answers))
        st.caption(("Open" if q.is_open else "Closed") + (" · results on the projector" if q.revealed else ""))
        a, b = st.columns(2)
        if q.kind != own_questions.WORDS:
            a.button("Reveal results", key="own_reveal", on_click=_act, args=(code, q.id, "reveal"),
                     disabled=q.revealed, type="primary", width="stretch")
        b.button("Close question", key="own_close", on_click=_act, args=(code, q.id, "close"),
                 disabled=not q.is_open, width="stretch")
        if q.kind == own_questions.WORDS:
            _word_queue(q, answers, states)


def _word_queue(q: own_questions.OwnQuestion, answers: list[dict], states: dict[str, str]) -> None:
    ss = st.session_state
    held = dict(own_questions.word_counts(answers, states, "held"))
    key = f"{_SHOWN}_{q.id}"
    shown = [w for w in ss.get(key, []) if w in held]  # those moderated meanwhile leave; nothing moves up
    if not shown:
        shown = list(held)[:WORDS_SHOWN]
    ss[key] = shown
    arrived = [w for w in held if w not in set(shown)]
    st.markdown(f"**Words waiting ({len(held)})**")
    note = ss.pop("own_words_note", None)
    if note:
        st.info(note)  # a fixed text with a count
    if shown:
        picked = _selected(q.id, shown)
        a, b, c = st.columns(3)
        a.button(f"Approve all {len(shown)} shown", key="own_approve_all", on_click=_review,
                 args=(q.id, shown, "approved"), type="primary", icon=":material/done_all:", width="stretch")
        b.button(f"Approve selected ({len(picked)})", key="own_approve_sel", on_click=_review,
                 args=(q.id, picked, "approved"), icon=":material/check:", width="stretch")
        c.button(f"Reject selected ({len(picked)})", key="own_reject_sel", on_click=_review,
                 args=(q.id, picked, "rejected"), icon=":material/block:", width="stretch")
    else:
        st.caption("No word is waiting.")
    for w in shown:
        flags = flagged_words(w)
        label = f"{neutralise_for_display(w)} ({held[w]})" + ("  ⚑ flagged by the word list" if flags else "")
        st.checkbox(md_escape(label), key=f"own_sel_{q.id}_{w}")
    if arrived:
        st.caption(f"{len(arrived)} more waiting below: they appear here once these are moderated.")
    approved = own_questions.word_counts(answers, states)
    if approved:
        with st.expander(f"On the cloud: {len(approved)} words", expanded=False):
            for w, n in approved:
                st.button(md_escape(f"Take down: {neutralise_for_display(w)} ({n})"), key=f"own_down_{q.id}_{w}",
                          on_click=_review, args=(q.id, [w], "rejected"), icon=":material/visibility_off:")
