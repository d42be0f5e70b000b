"""Workshop mode: the projector. One slide at a time, each fitting the screen without scrolling,
driven by the facilitator from their phone (/facilitate).

URL: /workshop?code=<WORKSHOP-CODE>[&priority=<id>]. The slide and the priority on screen are the
workshop's state in the feedback store (lis_data/feedback/projector_store.py), written only by the
facilitator; a live fragment reads it every second and redraws the page when it changes, without a
reload. This page never opens a workshop, never asks for a PIN and never shows the facilitator's
link or a settings panel: set-up happens on the facilitator view and the staff page.

The facilitator's own projector is opened from the facilitator view with a projector key
(&key=..., removed from the address once read): only that projector records what it shows (with
every poll answer) and answers keyboard shortcuts (arrow keys for the priority, Page Up/Page Down,
as a presenter clicker sends, for the slide, 1 to 7 for a slide). An anonymous visit only reads.
"""

from __future__ import annotations

import base64
import html

import streamlit as st

from lis_data import feedback
from lis_data.views import workshop_results
from lis_data.feedback import polls
from lis_data.feedback.projector_store import EVIDENCE, MATRIX, POLL, QUESTION, RESULTS, SHIFT, SLIDES, WALL

from ui import data, feedback_access, projector_drive, projector_slides, public_errors, room_address, sidebar
from ui import own_question_slides, views
from ui import workshop_live
from ui.formatting import md_literal
from ui.workshop_links import join_url, origin, qr_png, short_address

#: How often the projector looks at the workshop's state (the facilitator's changes show within it,
#: plus a redraw).
WATCH_SECONDS = 1.0
HEADLINES = projector_drive.HEADLINES  # charts on the evidence slide, beside the QR code

_KEYED = "proj_keyed"  # the workshop codes this session is the facilitator's projector for
_KEY = "proj_key"
_SIGNATURE = "proj_signature"
_LOCAL = "proj_local_priority"  # a projector without a workshop: the priority it shows


def _code_from_url() -> str | None:
    raw = st.query_params.get("code")
    code = feedback.normalise_workshop_code(raw)
    if raw and not code:
        st.warning(f"Ignored {md_literal(f'code={raw}')}: a workshop code has 3 to 40 letters, digits and hyphens.",
                   icon=":material/link_off:")
    return code


def _take_key(store, code: str) -> None:
    """Read the projector key from the address (then remove it from the address bar)."""
    raw = st.query_params.get("key")
    if raw is None:
        return
    del st.query_params["key"]
    try:
        if store.projector_key_matches(code, raw):
            st.session_state.setdefault(_KEYED, {})[code] = raw
            store.set_projector_origin(code, origin(st.context.url))
        else:
            st.session_state["proj_key_note"] = True
    except feedback.FeedbackStoreUnavailable:
        pass


def _is_keyed(store, code: str) -> bool:
    key = st.session_state.get(_KEYED, {}).get(code)
    if not key:
        return False
    try:
        return store.projector_key_matches(code, key)  # a newer key, or staff reclaiming, revokes it
    except feedback.FeedbackStoreUnavailable:
        return False


def _priority_ids() -> list[str]:
    return [p.id for p in data.catalogue().priorities]


def _drive(code: str, **change) -> None:
    """A keyboard shortcut on the facilitator's projector: move the workshop's state."""
    store = feedback_access.store()
    if not _is_keyed(store, code):
        return
    try:
        projector_drive.drive(store, code, **change)
    except (feedback.FeedbackStoreUnavailable, polls.PollError):
        pass


def _shortcuts(code: str) -> None:
    """Keyboard shortcuts of the facilitator's projector, as buttons kept off screen (Streamlit's
    button shortcuts listen on the whole page)."""
    st.html("<style>.st-key-proj_keys { position: absolute !important; left: -10000px !important; top: 0; "
            "width: 1px; height: 1px; overflow: hidden; }</style>")
    with st.container(key="proj_keys"):
        st.button("Previous priority", key="proj_prev_priority", shortcut="Left", on_click=_drive,
                  args=(code,), kwargs={"priority_step": -1})
        st.button("Next priority", key="proj_next_priority", shortcut="Right", on_click=_drive,
                  args=(code,), kwargs={"priority_step": 1})
        st.button("Previous slide", key="proj_prev_slide", shortcut="PageUp", on_click=_drive,
                  args=(code,), kwargs={"slide_step": -1})
        st.button("Next slide", key="proj_next_slide", shortcut="PageDown", on_click=_drive,
                  args=(code,), kwargs={"slide_step": 1})
        for i, name in enumerate(SLIDES, start=1):
            st.button(f"Slide {i}", key=f"proj_slide_{name}", shortcut=str(i), on_click=_drive,
                      args=(code,), kwargs={"slide": name})


def _signature(store, code: str, slide: str):
    """What, when it changes, means the page must be redrawn."""
    ws = store.workshop(code)
    poll = store.latest_poll(code)
    sig = (ws.state_seq if ws else None, ws.public_url if ws else None,
           None if poll is None else (poll.id, poll.revealed, poll.is_open))
    if slide in (SHIFT, MATRIX) and poll is not None:
        sig += (store.answer_count(poll.id),)
    return sig


@st.fragment(run_every=WATCH_SECONDS)
def live(code: str, slide: str) -> None:
    """Every second: redraw the page when the facilitator has changed what it shows; draw the live
    parts of the poll and wall slides."""
    try:
        store = feedback_access.store()
        sig = _signature(store, code, slide)
        if st.session_state.get(_SIGNATURE) not in (None, sig):
            st.session_state[_SIGNATURE] = sig
            st.rerun()
        st.session_state[_SIGNATURE] = sig
        if slide == POLL:
            poll = store.latest_poll(code)
            projector_slides.poll_slide(poll, store.answer_count(poll.id) if poll else 0)
        elif slide == RESULTS:
            projector_slides.results_slide(_latest_revealed_tally(store, code))
        elif slide == WALL:
            held = store.comment_states(code)["held"]
            projector_slides.wall_slide(store.projector_comments(code, limit=projector_slides.WALL_KEPT), held)
        elif slide == QUESTION:
            own_question_slides.from_store(store, code)
    except Exception as exc:  # noqa: BLE001 - a public page: any store failure is "temporarily unavailable"
        public_errors.show_unavailable("The live slide", exc)


def _latest_revealed_tally(store, code: str) -> polls.Tally | None:
    poll = next((p for p in reversed(store.polls(code)) if p.revealed), None)
    if poll is None:
        return None
    answers = store.latest_answers(poll.id)
    return polls.tally(poll, answers.to_dict("records"), _priority_ids())


def _revealed_tallies(store, code: str) -> list[polls.Tally]:
    if not any(p.revealed for p in store.polls(code)):
        return []
    return [t for t in workshop_results.tallies_for(store, code, data.catalogue()) if t.poll.revealed]


def _shift(store, code: str) -> polls.Shift | None:
    shifts = polls.shifts(_revealed_tallies(store, code))
    if not shifts:
        return None
    latest = store.latest_poll(code)
    same = [s for s in shifts if latest is not None and (s.kind, s.subject) == (latest.kind, latest.subject)]
    return (same or shifts)[-1]


def _topline(pid: str, code: str | None, join: str | None) -> None:
    cat = data.catalogue()
    p = cat.priority(pid)
    right = (f"Join at <b>{html.escape(short_address(join))}</b>" if join else "")
    st.html(f"<p class='em3-topline'><span>Priority {p.number} of {len(cat.priorities)}: <b>{html.escape(p.title)}</b>"
            f"{' · workshop ' + html.escape(code) if code else ''}</span><span>{right}</span></p>")


def evidence_slide(pid: str, code: str | None, join: str | None) -> list[str]:
    """The priority's statement and headline charts, the QR code and short join address beside
    them. Returns the indicators shown."""
    cat = data.catalogue()
    p = cat.priority(pid)
    filters = sidebar.current()
    st.html(f"<h1 class='em3-slide-title' style='padding:0'>{p.number}. {html.escape(p.title)}</h1>"
            f"<p class='em3-statement'>{html.escape(p.statement)}</p>")
    headlines = cat.headlines_for(pid, at_most=HEADLINES)
    cols = st.columns([3] * len(headlines) + [2], gap="medium")
    for col, ind in zip(cols, headlines):
        with col, st.container(key=f"em3_chart_{ind.id}"):
            fig = views.headline_trend(ind, filters)
            if fig is None or fig.spec is None:
                st.html(f"<p class='em3-big-label' style='font-weight:600;margin:0'>{html.escape(ind.label)}</p>")
                st.caption("No trend to draw for the districts in focus.")
                continue
            alt_text = f"Line chart of {ind.label} over time. {fig.takeaway}."
            # The chart's own title names the indicator and its latest figures. 200 px: with the slide's
            # title, the statement and the chart's legend, the slide ends above 720 px.
            st.vega_lite_chart(fig.spec, width="stretch", height=200, key=f"em3-trend-{ind.id}", alt=alt_text)
    with cols[-1]:
        if code and join:
            qr = base64.b64encode(qr_png(join)).decode("ascii")
            st.session_state["ws_qr_payload"] = join  # what the QR code encodes, for tests
            st.html(f"<figure class='em3-qr' id='em3-qr' style='margin:0'><img src='data:image/png;base64,{qr}' "
                    f"alt='QR code that opens the sounding board for workshop {html.escape(code)}: "
                    f"{html.escape(join, quote=True)}'></figure>"
                    f"<p class='em3-join' id='em3-join'>Scan, or go to {html.escape(short_address(join))}"
                    f"<b>{html.escape(code)}</b></p>")
        elif code:
            st.caption("The room's address is not known: open this page from the facilitator view.")
        else:
            st.html("<p class='em3-muted'>No workshop code: this screen shows the evidence only. The facilitator "
                    "opens the projector for a workshop from the facilitator view.</p>")
    return [i.id for i in headlines]


def _step_local(delta: int) -> None:
    ids = _priority_ids()
    current = st.session_state.get(_LOCAL) or ids[0]
    st.session_state[_LOCAL] = ids[(ids.index(current) + delta) % len(ids)]


def _no_workshop() -> None:
    """No code: the evidence, priority by priority (arrow keys), and a box for a code."""
    ids = _priority_ids()
    if _LOCAL not in st.session_state:
        wanted = st.query_params.get("priority")
        if wanted and wanted not in ids:
            st.warning(f"Ignored {md_literal(f'priority={wanted}')}: not one of the {len(ids)} priorities.",
                       icon=":material/link_off:")
        st.session_state[_LOCAL] = wanted if wanted in ids else ids[0]
    pid = st.session_state[_LOCAL]
    _topline(pid, None, None)
    evidence_slide(pid, None, None)
    c1, c2, c3 = st.columns([1, 3, 1])
    c1.button("← Previous", key="ws_prev", on_click=_step_local, args=(-1,), shortcut="Left", width="stretch")
    c3.button("Next →", key="ws_next", on_click=_step_local, args=(1,), shortcut="Right", width="stretch")
    with c2.form("ws_code_form", border=False, enter_to_submit=True):
        st.text_input("Workshop code", key="ws_code_box", placeholder="BASINGSTOKE-2026-12-03")
        if st.form_submit_button("Show this workshop"):
            code = feedback.normalise_workshop_code(st.session_state.get("ws_code_box"))
            if code:
                st.query_params["code"] = code
                st.rerun()
            st.error("A workshop code has 3 to 40 letters, digits and hyphens.")


def render() -> None:
    # Presenting: the sidebar starts collapsed; Streamlit's header bar is hidden (projector_slides.CSS).
    st.set_page_config(initial_sidebar_state="collapsed")
    code = _code_from_url()
    projector_slides.style(presenting=code is not None)
    if not code:
        _no_workshop()
        return
    try:
        store = feedback_access.store()
        _take_key(store, code)
        ws = store.workshop(code)
        keyed = ws is not None and _is_keyed(store, code)
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The workshop", exc)
        return
    if st.session_state.pop("proj_key_note", False):
        st.warning("This projector link is out of date: the screen follows the workshop but does not record it. "
                   "Open a new projector link from the facilitator view.", icon=":material/link_off:")
    ids = _priority_ids()
    url_pid = st.query_params.get("priority")  # shown until the facilitator sets a priority; never recorded
    pid = (ws.screen_priority if ws and ws.screen_priority in ids else url_pid if url_pid in ids else ids[0])
    slide = ws.slide if ws and ws.slide in SLIDES else EVIDENCE
    base = room_address.base_for(ws, st.context.url)
    join = join_url(base, code) if base else None
    if keyed:
        _shortcuts(code)
    _topline(pid, code, join if slide != EVIDENCE else None)
    with st.container(key=f"slide_{slide}"):
        if slide == EVIDENCE:
            shown = evidence_slide(pid, code, join)
            if keyed and ws is not None and (ws.screen_priority != pid or tuple(ws.screen_indicators) != tuple(shown)):
                # Only the facilitator's projector records what the room sees (issue 18).
                try:
                    store.drive_projector(code, priority=pid, indicators=shown, vintage=workshop_results.data_vintage(data.store()))
                except (feedback.FeedbackStoreUnavailable, polls.PollError):
                    pass
        elif slide == SHIFT:
            try:
                projector_slides.shift_slide(_shift(store, code))
            except Exception as exc:  # noqa: BLE001 - a public page
                public_errors.show_unavailable("The shift", exc)
        elif slide == MATRIX:
            try:
                tallies = _revealed_tallies(store, code)
                points = workshop_results.matrix(workshop_live.evidence(tuple(sidebar.current().districts)), tallies,
                                                 data.catalogue())
                projector_slides.matrix_slide(points, key=f"proj-{code}")
            except Exception as exc:  # noqa: BLE001 - a public page
                public_errors.show_unavailable("The room against the evidence", exc)
        live(code, slide)
