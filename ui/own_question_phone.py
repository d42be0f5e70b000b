"""The facilitator's own question on the room's phones (the sounding board with ?workshop=CODE),
drawn by the audience poll's live fragment when no poll is open: one question on the screen, large
targets. One answer counted per device (a second replaces the first while the question is open);
the same limits as poll answers (ui/audience_poll.py: per session and round, per address, per process).
"""

from __future__ import annotations

import logging

import streamlit as st

from lis_data import feedback
from lis_data.feedback import own_questions
from lis_data.feedback.text import neutralise_for_display
from web import throttle

from . import client, feedback_access
from .formatting import md_escape

log = logging.getLogger(__name__)


def _status_key(qid: str) -> str:
    return f"own_status_{qid}"


def _send(q: own_questions.OwnQuestion, device: str, windows, per_round: int) -> None:
    ss = st.session_state
    sent = ss.setdefault("own_sent", {})
    if sent.get(q.id, 0) >= per_round:
        ss[_status_key(q.id)] = ("error", f"Not sent: this phone has changed its answer {per_round} times. "
                                          "Your last answer is the one counted.")
        return
    places = windows(client.address())
    refused = throttle.take_all(places)
    if refused is not None:
        ss[_status_key(q.id)] = ("error", "Not sent: too many answers in the last few minutes. Please try again "
                                          f"in about {throttle.minutes(refused[1])} minutes.")
        return
    sent[q.id] = sent.get(q.id, 0) + 1
    stored = False
    try:
        answer = own_questions.validate_own_answer(q, device_key=device, answer_key=own_questions.new_answer_key(),
                                                   rating=ss.get(f"own_rating_{q.id}"), choice=ss.get(f"own_choice_{q.id}"),
                                                   word=ss.get(f"own_word_{q.id}") if q.kind == own_questions.WORDS else None)
        receipt = feedback_access.store().answer_question(answer)
        stored = not receipt.duplicate
        ss[_status_key(q.id)] = ("success", "Your new answer is counted instead of your earlier one." if
                                 receipt.replaced else "Thank you: your answer is counted.")
    except own_questions.QuestionClosed:
        ss[_status_key(q.id)] = ("error", "Not sent: this question has just closed.")
    except own_questions.QuestionError as exc:
        ss[_status_key(q.id)] = ("error", f"Not sent: {md_escape(str(exc))}.")  # the rest are fixed texts
    except feedback.FeedbackStoreUnavailable as exc:
        log.warning("Own question answer not stored: %s", exc)
        ss[_status_key(q.id)] = ("error", "Not sent: the sounding board cannot be reached just now. Please "
                                          "press Send again in a moment.")
    finally:
        if not stored:
            throttle.give_back_all(places)


def question_box(q: own_questions.OwnQuestion, device: str, windows, per_round: int) -> None:
    """The open question with its answer and a Send button (inside the audience fragment)."""
    with st.container(border=True, key="aud_question"):
        st.subheader(md_escape(neutralise_for_display(q.prompt)), anchor=False)
        if q.kind == own_questions.RATING:
            points = q.points()
            st.radio("Your answer", list(range(1, (q.scale or 0) + 1)), index=None, key=f"own_rating_{q.id}",
                     format_func=lambda v: neutralise_for_display(points[v - 1]))
        elif q.kind == own_questions.CHOICE:
            st.radio("Your answer", list(q.options), index=None, key=f"own_choice_{q.id}",
                     format_func=neutralise_for_display)
        else:
            st.text_input("One word", key=f"own_word_{q.id}", autocomplete="off",
                          placeholder="One word")
            st.caption("Words appear on the screen once the facilitator approves them.")
        st.button("Send my answer", key=f"own_send_{q.id}", type="primary", on_click=_send,
                  args=(q, device, windows, per_round), icon=":material/how_to_vote:", width="stretch")
        status = st.session_state.get(_status_key(q.id))
        if status:
            (st.success if status[0] == "success" else st.error)(status[1])
