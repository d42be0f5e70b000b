"""The projector's slide for the facilitator's own question (lis_data/feedback/own_questions.py),
fitting 1280×720 and 1920×1080 without scrolling: a rating or a choice (the question, every option,
the live count; once revealed, bars with each count and share, the count and mean in large type), or
one word (a word cloud of approved words only, each with its count written beside it, and a table of
the same behind it). Layout only: the figures come from own_questions and lis_data.views.word_cloud.
Everything typed (the question, options, words) is escaped and its bidi controls made visible.
"""

from __future__ import annotations

import streamlit as st

from lis_data.feedback import own_questions
from lis_data.feedback import polls
from lis_data.feedback.text import neutralise_for_display
from lis_data.views import word_cloud
from lis_data.views.formatting import answer_share

from .projector_slides import _bars, _e, big_number

CSS = """<style>
.em3-options.em3-scale { grid-template-columns: repeat(var(--em3-points), minmax(0, 1fr)); }
.em3-options.em3-scale li { text-align: center; font-size: clamp(1.05rem, 2.8vh, 2rem); }
.em3-cloud { display: flex; flex-wrap: wrap; justify-content: center; align-content: center; align-items: baseline;
  gap: 0.2em 0.9em; height: calc(100vh - 12.5rem); overflow: hidden; font-size: clamp(1rem, 2.6vh, 1.9rem);
  line-height: 1.1; margin: 0; padding: 0; list-style: none; }
.em3-cloud li { margin: 0; padding: 0; color: #1A1A1A; font-weight: 700; white-space: nowrap; }
.em3-cloud li:nth-child(3n+1) { color: #0B4F7C; }
.em3-cloud li:nth-child(3n+2) { color: #5A3E00; }
.em3-cloud li sup { font-size: max(0.45em, 0.8rem); font-weight: 600; color: #404040; margin-left: 0.15em; }
.em3-sr { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; margin: -1px; padding: 0; border: 0; }
ul.em3-options.em3-own { margin: 0 !important; padding: 0 !important; }
</style>"""


def _text(value: object) -> str:
    return _e(neutralise_for_display(value))


def _empty() -> None:
    st.html("<h1 class='em3-slide-title'>No question yet</h1><p class='em3-muted'>When the facilitator asks a "
            "question of their own, it appears here.</p>")


def _state(q: own_questions.OwnQuestion) -> str:
    return "Open: answer on your phone" if q.is_open else "Closed"


def _options_html(q: own_questions.OwnQuestion) -> str:
    points = q.points()
    if q.kind == own_questions.RATING:
        return (f"<ul class='em3-options em3-own em3-scale' style='--em3-points:{len(points)}' aria-label='The scale'>"
                + "".join(f"<li>{_text(p)}</li>" for p in points) + "</ul>")
    grid = " em3-grid" if len(points) > 6 else ""
    return (f"<ul class='em3-options em3-own{grid}' aria-label='The options'>"
            + "".join(f"<li>{_text(p)}</li>" for p in points) + "</ul>")


def question_slide(q: own_questions.OwnQuestion | None, answered: int, t: own_questions.OwnTally | None,
                   approved: list[tuple[str, int]], held: int) -> None:
    """The facilitator's latest question: options and count, its results once revealed, or the cloud."""
    st.html(CSS)
    if q is None:
        _empty()
        return
    if q.kind == own_questions.WORDS:
        _cloud(q, answered, approved, held)
        return
    left, right = st.columns([3, 1], gap="large")
    if q.revealed and t is not None:
        rows = [(f"{label} ({answer_share(n, t.count)})", n, "") for label, n in t.distribution]
        top = max([n for _, n in t.distribution] or [0])
        with left:
            st.html(f"<h1 class='em3-slide-title' id='em3-own-question'>{_text(q.prompt)}</h1>"
                    f"<table class='em3-bars' id='em3-own-results'><caption class='em3-sr'>Answers, each option with "
                    f"its count and share</caption><tbody>{_bars(rows, top)}</tbody></table>")
        with right:
            parts = big_number(str(t.count), "answers" if t.count != 1 else "answer", "own-count")
            if q.kind == own_questions.RATING:
                parts += big_number(polls.fmt_mean(t.mean), f"mean (1 to {q.scale})", "own-mean")
            st.html(parts)
        return
    with left:
        st.html(f"<h1 class='em3-slide-title' id='em3-own-question'>{_text(q.prompt)}</h1>" + _options_html(q))
    with right:
        st.html(big_number(str(answered), "answers so far" if answered != 1 else "answer so far", "own-count")
                + f"<p class='em3-muted'>{_e(_state(q))}.</p>"
                + ("" if q.revealed else "<p class='em3-muted'>Results stay hidden until the facilitator "
                                         "reveals them.</p>"))


def _cloud(q: own_questions.OwnQuestion, answered: int, approved: list[tuple[str, int]], held: int) -> None:
    words = word_cloud.cloud(approved)
    shown = sum(n for _, n in approved)
    left, right = st.columns([4, 1], gap="medium")
    with left:
        if words:
            items = "".join(f"<li style='font-size:{w.size_em}em'>{_text(w.word)}<sup>{w.count}</sup></li>"
                            for w in words)
            rows = "".join(f"<tr><td>{_text(w)}</td><td>{n}</td></tr>" for w, n in word_cloud.table_rows(approved))
            body = (f"<ul class='em3-cloud' id='em3-cloud' aria-hidden='true'>{items}</ul>"
                    f"<div class='em3-sr'><table id='em3-cloud-table'><caption>Approved words, each with how many "
                    f"people sent it</caption><thead><tr><th scope='col'>Word</th><th scope='col'>People</th>"
                    f"</tr></thead><tbody>{rows}</tbody></table></div>")
        else:
            body = ("<div class='em3-cloud' id='em3-cloud'><p class='em3-muted'>No word on the cloud yet: words "
                    "appear once the facilitator approves them.</p></div>")
        st.html(f"<h1 class='em3-slide-title' id='em3-own-question'>{_text(q.prompt)}</h1>{body}")
    with right:
        st.html(big_number(str(answered), "words sent" if answered != 1 else "word sent", "own-count")
                + f"<p class='em3-muted'>{shown} of them on the cloud · {held} word{'s' if held != 1 else ''} waiting "
                  f"for approval.</p>"
                + f"<p class='em3-muted'>{_e(_state(q))}. The small number by a word: how many sent it.</p>")


def from_store(store, code: str) -> None:
    """The slide for the workshop's latest own question, read from the store."""
    q = store.latest_question(code)
    if q is None:
        question_slide(None, 0, None, [], 0)
        return
    answers = store.question_answers(q.id)
    if q.kind == own_questions.WORDS:
        states = store.word_states(q.id)
        question_slide(q, len(answers), None, own_questions.word_counts(answers, states),
                       len(own_questions.word_counts(answers, states, "held")))
    else:
        question_slide(q, len(answers), own_questions.tally(q, answers), [], 0)
