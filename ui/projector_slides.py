"""The projector's slides, each made to fit a 1280×720 or 1920×1080 screen without scrolling: the
poll (question, every option, the live count), its results, the shift before → after, the room
against the evidence and the wall of approved comments. Layout only: the figures come from
lis_data.feedback.polls and lis_data.views.workshop_results.

Counts and means are HTML in large type (at least 48 px at 1280×720); bars are HTML too, each with
its count and share written beside it (never colour alone), so the slide is its own table. Every
piece of text from people (comments) is escaped and its bidi controls made visible.
"""

from __future__ import annotations

import html
import math
import time

import streamlit as st

from lis_data.views import workshop_results
from lis_data.feedback import polls
from lis_data.feedback.text import neutralise_for_display

from . import data, workshop_charts

#: Comments on one page of the wall, and how long a page stays before the next.
WALL_PAGE = 8
WALL_SECONDS = 12
WALL_KEPT = 64  # the newest approved comments the wall pages through

#: Presenting a workshop: Streamlit's header bar and the sidebar are hidden (nothing over the slide).
PRESENTING_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stSidebar"] { display: none !important; }
</style>"""

CSS = """<style>
[data-testid="stMain"] .block-container { padding: 0.9rem 1.6rem 0.4rem 1.6rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] { padding: 0.9rem 1.6rem 0.4rem 1.6rem !important; max-width: 100% !important; }
.em3-topline { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem;
  font-size: clamp(1rem, 1.6vh, 1.4rem); color: #1A1A1A; margin: 0; }
.em3-topline b { font-weight: 700; }
[data-testid='stMain'] h1.em3-slide-title { font-size: clamp(1.9rem, 5vh, 3.4rem) !important; line-height: 1.15; font-weight: 700;
  margin: 0.2rem 0 0.4rem 0; padding: 0; }
.em3-statement { font-size: clamp(1.05rem, 2.4vh, 1.7rem); line-height: 1.35; margin: 0 0 0.4rem 0;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.em3-big { font-size: clamp(3.4rem, 10vh, 7.5rem); line-height: 1; font-weight: 800; margin: 0; }
.em3-big-label { font-size: clamp(1.1rem, 2.6vh, 1.9rem); margin: 0.2rem 0 0 0; }
.em3-options { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
.em3-options.em3-grid { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.em3-options li { font-size: clamp(1.2rem, 3.3vh, 2.3rem); border: 2px solid #1A1A1A; border-radius: 0.6rem;
  padding: 0.35rem 0.8rem; margin: 0; line-height: 1.2; }
.em3-options.em3-grid li { font-size: clamp(1.05rem, 2.7vh, 1.9rem); }
.em3-bars { width: 100%; border-collapse: collapse; font-size: clamp(1.15rem, 3.4vh, 2.4rem); }
.em3-bars th { text-align: left; font-weight: 600; padding: 0.15rem 0.8rem 0.15rem 0; white-space: nowrap;
  width: 1%; }
.em3-bars td { padding: 0.15rem 0; }
.em3-bar { display: flex; align-items: center; gap: 0.6rem; }
.em3-bar span.fill { display: inline-block; height: clamp(1.3rem, 4.2vh, 3rem); background: #0072B2;
  border: 1px solid #1A1A1A; min-width: 2px; }
.em3-bar span.fill.before { background: repeating-linear-gradient(45deg, #8A6A00 0 6px, #C9A227 6px 12px); }
.em3-bar b { white-space: nowrap; }
.em3-bars tr.em3-pair-after th { font-weight: 400; }
.em3-wall { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); grid-template-rows: repeat(2, minmax(0, 1fr)); gap: 0.8rem;
  height: calc(100vh - 11rem); }
.em3-card { border: 2px solid #1A1A1A; border-radius: 0.7rem; padding: 0.6rem 0.8rem; overflow: hidden;
  display: flex; flex-direction: column; justify-content: space-between; background: #FFFFFF; }
.em3-card p { font-size: clamp(1.05rem, 2.6vh, 1.9rem); line-height: 1.3; margin: 0;
  display: -webkit-box; -webkit-line-clamp: 7; -webkit-box-orient: vertical; overflow: hidden; }
.em3-card small { font-size: clamp(0.85rem, 1.7vh, 1.2rem); color: #404040; margin-top: 0.3rem; }
.em3-join { font-size: clamp(1.1rem, 2.6vh, 1.9rem); margin: 0.3rem 0 0 0; text-align: center; }
.em3-join b { font-size: clamp(1.5rem, min(5.6vh, 2.1vw), 4rem); display: block; letter-spacing: 0.04em; line-height: 1.1;
  word-break: break-all; }
.em3-qr img { width: 100%; max-width: min(34vh, 100%); display: block; margin: 0 auto; }
.em3-matrix-table { width: 100%; border-collapse: collapse; font-size: clamp(1rem, 2.3vh, 1.6rem); }
.em3-matrix-table th, .em3-matrix-table td { text-align: left; padding: 0.12rem 0.4rem; border-bottom: 1px solid #BDBDBD; }
.em3-matrix-table td.num { text-align: right; white-space: nowrap; }
.em3-muted { font-size: clamp(1rem, 2.2vh, 1.6rem); color: #404040; }
</style>"""


def style(presenting: bool = True) -> None:
    """The slides' style; presenting a workshop also hides Streamlit's header and the sidebar (without
    a code the page keeps them, so the rest of the dashboard is a click away)."""
    st.html(CSS + (PRESENTING_CSS if presenting else ""))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def big_number(value: str, label: str, key: str) -> str:
    return (f"<div class='em3-bignum' data-key='{_e(key)}'><p class='em3-big'>{_e(value)}</p>"
            f"<p class='em3-big-label'>{_e(label)}</p></div>")


def poll_title(poll: polls.Poll) -> tuple[str, str]:
    titles = workshop_titles()
    about = "" if poll.subject == polls.ALL_PRIORITIES else titles.get(poll.subject, poll.subject)
    return polls.question(poll.kind, data.area().short_name), about


def workshop_titles() -> dict[str, str]:
    return {p.id: f"{p.number}. {p.title}" for p in data.catalogue().priorities}


def options(poll: polls.Poll) -> list[str]:
    if poll.is_rating:
        return list(polls.SCALES[poll.kind])
    return [workshop_titles()[p.id] for p in data.catalogue().priorities]


def poll_slide(poll: polls.Poll | None, answered: int) -> None:
    """The open poll: question, every option, the live number of answers."""
    if poll is None:
        st.html("<h1 class='em3-slide-title'>No poll yet</h1><p class='em3-muted'>When the facilitator opens a "
                "poll, its question appears here.</p>")
        return
    question, about = poll_title(poll)
    state = "Open: answer on your phone" if poll.is_open else "Closed"
    left, right = st.columns([3, 1], gap="large")
    with left:
        st.html(f"<h1 class='em3-slide-title' id='em3-poll-question'>{_e(question)}</h1>"
                + (f"<p class='em3-statement'>{_e(about)} · round {poll.round}</p>" if about else
                   f"<p class='em3-statement'>Round {poll.round}</p>")
                + f"<ul class='em3-options{' em3-grid' if not poll.is_rating else ''}' aria-label='The options'>"
                + "".join(f"<li>{_e(o)}</li>" for o in options(poll)) + "</ul>")
    with right:
        st.html(big_number(str(answered), "answers so far" if answered != 1 else "answer so far", "poll-count")
                + f"<p class='em3-muted'>{_e(state)}.</p>"
                + ("" if poll.revealed else "<p class='em3-muted'>Results stay hidden until the facilitator "
                                            "reveals them.</p>"))


def _bars(rows: list[tuple[str, int, str]], top: int, cls: str = "") -> str:
    out = []
    for label, n, extra_cls in rows:
        width = 0 if top == 0 else max(0.5, 100 * n / top)
        out.append(f"<tr class='{_e(extra_cls)}'><th scope='row'>{_e(label)}</th><td><div class='em3-bar'>"
                   f"<span class='fill {_e(cls or extra_cls)}' style='width:{width * 0.7:.1f}%'></span>"
                   f"<b>{n}</b></div></td></tr>")
    return "".join(out)


def results_slide(t: polls.Tally | None) -> None:
    """A revealed poll round: its distribution in bars with counts and shares; count and mean large."""
    if t is None:
        st.html("<h1 class='em3-slide-title'>No results yet</h1><p class='em3-muted'>Results appear here once the "
                "facilitator reveals a poll.</p>")
        return
    question, about = poll_title(t.poll)
    table = workshop_charts.distribution_table(t, workshop_titles())
    top = max([int(n) for n in table["Answers"]] or [0])
    rows = [(f"{a} ({s})", int(n), "") for a, n, s in zip(table["Answer"], table["Answers"], table["Share"])]
    left, right = st.columns([3, 1], gap="large")
    with left:
        st.html(f"<h1 class='em3-slide-title'>{_e(question)}</h1>"
                + (f"<p class='em3-statement'>{_e(about)} · round {t.poll.round}</p>" if about else "")
                + f"<table class='em3-bars' id='em3-results'><caption class='sr-only' style='position:absolute;"
                  f"left:-9999px'>Answers to round {t.poll.round}, each option with its count and share"
                  f"</caption><tbody>{_bars(rows, top)}</tbody></table>")
    with right:
        parts = big_number(str(t.count), "answers", "results-count")
        if t.poll.is_rating:
            parts += big_number(polls.fmt_mean(t.mean), "mean (1 to 5)", "results-mean")
        st.html(parts)


def shift_slide(s: polls.Shift | None) -> None:
    """A rating question asked before and after: both distributions, both means, the change."""
    if s is None:
        st.html("<h1 class='em3-slide-title'>No before → after yet</h1><p class='em3-muted'>Ask a rating question, "
                "reveal it, then ask it again (New round) and reveal that.</p>")
        return
    titles = workshop_titles()
    table = workshop_charts.shift_table(s)
    cols = list(table.columns)
    top = max([int(v) for c in cols[1:] for v in table[c]] or [0])
    rows: list[tuple[str, int, str]] = []
    for _, r in table.iterrows():
        rows.append((f"{r['Answer']}: before", int(r[cols[1]]), "before"))
        rows.append(("after", int(r[cols[2]]), "em3-pair-after"))
    change = "–" if s.change is None else f"{s.change:+.2f}"
    left, right = st.columns([3, 1], gap="large")
    with left:
        st.html(f"<h1 class='em3-slide-title'>Before → after: {_e(polls.SHORT_KIND[s.kind])}</h1>"
                f"<p class='em3-statement'>{_e(titles.get(s.subject, s.subject))} · round {s.before.poll.round} "
                f"({s.before.count} answers, striped bars) → round {s.after.poll.round} ({s.after.count} answers, "
                f"plain bars)</p>"
                f"<table class='em3-bars' id='em3-shift'><tbody>{_bars(rows, top)}</tbody></table>")
    with right:
        st.html(big_number(polls.fmt_mean(s.before.mean), f"mean before (round {s.before.poll.round})", "shift-before")
                + big_number(polls.fmt_mean(s.after.mean), f"mean after (round {s.after.poll.round})", "shift-after")
                + f"<p class='em3-big-label'>change {_e(change)}</p>")


def matrix_slide(points: list[workshop_results.MatrixPoint], key: str) -> None:
    """The nine priorities: the evidence across, the room's mean rating up; each read in words."""
    st.html("<h1 class='em3-slide-title'>The room against the evidence</h1>")
    left, right = st.columns([5, 4], gap="medium")
    with left, st.container(key="em3_matrix"):
        st.vega_lite_chart(workshop_charts.matrix_chart(points, height=380, font_size=15,
                                                                      room_title="The room's mean rating (1 to 5)"), width="stretch",
                           key=f"matrix-{key}",
                           alt="Scatter chart of the nine priorities: across, the evidence (share of indicator "
                               "judgements better than England minus the share worse); up, the room's mean "
                               "rating. The table beside it reads each point in words.")
    with right:
        rows = "".join(
            f"<tr><td>{_e(m.title)}</td><td class='num'>{'–' if m.evidence is None else f'{m.evidence:+.2f}'}</td>"
            f"<td class='num'>{_e(polls.fmt_mean(m.room_mean))}</td><td>{_e(m.quadrant)}</td></tr>" for m in points)
        st.html("<table class='em3-matrix-table' id='em3-matrix-table'><thead><tr><th scope='col'>Priority</th>"
                "<th scope='col'>Evidence</th><th scope='col'>Room</th><th scope='col'>Reading</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")


def wall_slide(comments, held: int, now: float | None = None) -> None:
    """Approved comments as cards, newest first, WALL_PAGE at a time, paging by itself."""
    titles = workshop_titles()
    n = len(comments)
    pages = max(1, math.ceil(n / WALL_PAGE))
    page = int((now if now is not None else time.time()) // WALL_SECONDS) % pages
    shown = comments.iloc[page * WALL_PAGE:(page + 1) * WALL_PAGE]
    waiting = f" · {held} waiting for approval" if held else ""
    paging = f" · page {page + 1} of {pages}" if pages > 1 else ""
    cards = "".join(
        f"<article class='em3-card'><p>{_e(neutralise_for_display(r.comment))}</p>"
        f"<small>{_e(titles.get(r.priority, r.priority))} · {_e(r.respondent_type)}</small></article>"
        for r in shown.itertuples(index=False))
    if not cards:
        cards = "<p class='em3-muted'>No comment on the wall yet: scan the code to add yours.</p>"
    st.html(f"<h1 class='em3-slide-title'>What the room says <span class='em3-muted'>({n} on the wall{waiting}"
            f"{paging})</span></h1><div class='em3-wall' id='em3-wall'>{cards}</div>")


def join_line(address: str, code: str) -> str:
    return (f"<p class='em3-muted' style='text-align:center;margin:0.3rem 0 0 0'>Join: <b>{_e(address)}</b> · "
            f"code <b>{_e(code)}</b></p>")
