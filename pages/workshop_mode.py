"""Workshop mode: a priority presented live on a projector, the room's input gathered by QR code.

URL: /workshop?priority=<id>&code=<WORKSHOP-CODE>. The live panel refreshes on its own
(st.fragment with run_every) without reloading the page.
"""

from __future__ import annotations

import base64
import html

import pandas as pd
import streamlit as st

from lis_data import feedback
from lis_data import workshop_results as W
from lis_data.feedback import polls as P
from lis_data.feedback.text import neutralise_for_display
from lis_data.feedback.workshop_pin import PIN_MAX, PIN_MIN, PinError

from .components import data, feedback_access, public_errors, sidebar, views, workshop_live
from .components.formatting import md_escape, md_literal
from .components.workshop_links import audience_base, facilitator_url, form_url, qr_png

LIVE_SECONDS = 5
LATEST_SHOWN = 5

PRESENTING_CSS = """
<style>
  [data-testid="stMain"] .block-container { padding-top: 1.5rem; max-width: 100%; }
  .em3-workshop-statement { font-size: 1.45rem; line-height: 1.45; margin: 0.25rem 0 1rem 0; }
  [data-testid="stMain"] h1 { font-size: 2.4rem; }
  [data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.1rem; }
  .em3-workshop-url { font-size: 1.15rem; word-break: break-all; }
</style>
"""


def _settings() -> tuple[str, str | None, str | None]:
    """Priority, workshop code and audience address: from the URL on the first run, then from
    the settings the facilitator edits. Invalid URL values are dropped with a note."""
    cat = data.catalogue()
    ids = [p.id for p in cat.priorities]
    if "ws_priority" not in st.session_state:
        wanted = st.query_params.get("priority")
        if wanted and wanted not in ids:
            st.warning(f"Ignored {md_literal(f'priority={wanted}')}: not one of the {len(ids)} priorities.",
                       icon=":material/link_off:")
        st.session_state["ws_priority"] = wanted if wanted in ids else ids[0]
        raw_code = st.query_params.get("code")
        code = feedback.normalise_workshop_code(raw_code)
        if raw_code and not code:
            st.warning(f"Ignored {md_literal(f'code={raw_code}')}: a workshop code has 3 to 40 letters, digits and "
                       "hyphens.",
                       icon=":material/link_off:")
        st.session_state["ws_code"] = code or ""
        st.session_state["ws_address"] = feedback_access.secret("public_url", "") or ""
    with st.expander("Workshop settings", expanded=not st.session_state["ws_code"]):
        c1, c2, c3 = st.columns([2, 2, 3])
        c1.selectbox("Priority", ids, key="ws_priority",
                     format_func=lambda pid: f"{cat.priority(pid).number}. {cat.priority(pid).title}")
        c2.text_input("Workshop code", key="ws_code", placeholder="BASINGSTOKE-2026-12-03",
                      help="3 to 40 letters, digits and hyphens. Every comment made through the QR code is tagged with it.")
        c3.text_input("Address the audience uses", key="ws_address",
                      placeholder="e.g. http://192.168.1.20:8501",
                      help="Leave empty to use the address of this page. On a local network, give this "
                           "laptop's address so phones in the room can reach it.")
    code = feedback.normalise_workshop_code(st.session_state["ws_code"])
    if st.session_state["ws_code"] and not code:
        st.error("The workshop code has 3 to 40 letters, digits and hyphens, e.g. BASINGSTOKE-2026-12-03.")
    pid = st.session_state["ws_priority"]
    base = audience_base(st.session_state["ws_address"], st.context.url)
    st.query_params["priority"] = pid
    if code:
        st.query_params["code"] = code
    elif "code" in st.query_params:
        del st.query_params["code"]
    return pid, code, base


def _step(delta: int) -> None:
    ids = [p.id for p in data.catalogue().priorities]
    current = ids.index(st.session_state["ws_priority"])
    st.session_state["ws_priority"] = ids[(current + delta) % len(ids)]


def _open_workshop(code: str) -> None:
    """The 'Open the workshop' button: create it with the PIN and the hold setting chosen."""
    ss = st.session_state
    pin = ss.get("ws_pin") or ""
    ss["ws_pin"] = ""
    try:
        _, created = feedback_access.store().open_workshop(code, pin, hold_comments=bool(ss.get("ws_hold", True)))
    except PinError as exc:
        ss["ws_open_message"] = ("error", f"Not opened: {exc}.")
        return
    except feedback.FeedbackStoreUnavailable:
        ss["ws_open_message"] = ("error", "Not opened: the feedback store cannot be reached just now.")
        return
    ss["ws_open_message"] = ("success", "Workshop opened. Keep the PIN: the facilitator view asks for it."
                             if created else "This workshop was already open: its PIN is unchanged.")


def workshop_block(code: str, base: str | None) -> None:
    """Open the workshop (PIN, hold comments) or say how it is set up, with the facilitator link."""
    try:
        found = feedback_access.store().workshop(code)
    except feedback.FeedbackStoreUnavailable:
        st.caption("The workshop's settings cannot be read just now.")
        return
    message = st.session_state.pop("ws_open_message", None)
    if message:
        (st.success if message[0] == "success" else st.error)(md_escape(message[1]))
    if found is None:
        with st.expander("Open this workshop for moderation and polls", expanded=True):
            with st.form("ws_open_form", border=False, enter_to_submit=False):
                st.text_input(f"Facilitator PIN ({PIN_MIN} to {PIN_MAX} characters)", type="password", key="ws_pin",
                              help="Asked by the facilitator view, where comments are approved and polls run.")
                st.toggle("Hold comments for approval", value=True, key="ws_hold",
                          help="Comments reach this screen only once the facilitator approves them.")
                st.form_submit_button("Open the workshop", on_click=_open_workshop, args=(code,))
            st.caption("Until it is opened, comments with this code wait for approval.")
        return
    hold = "held for approval" if found.hold_comments else "shown as they arrive"
    link = facilitator_url(base, code) if base else f"/facilitate?code={code}"
    st.caption(f"Workshop open: comments are {hold}. Facilitator view (PIN): {md_escape(link)}")


def _record_screen(code: str, pid: str, indicators: list[str]) -> None:
    """Tell the store what the projector shows, when it changes, so answers are stored with it."""
    vintage = W.data_vintage(data.store())
    shown = (code, pid, tuple(indicators), vintage)
    if st.session_state.get("ws_screen_recorded") == shown:
        return
    try:
        if feedback_access.store().set_screen(code, pid, indicators, vintage):
            st.session_state["ws_screen_recorded"] = shown
    except feedback.FeedbackStoreUnavailable:
        pass  # answers then carry the audience page's own record of the screen


def poll_panel(store, code: str) -> None:
    """The workshop's latest poll: question and number of answers; results once revealed."""
    poll = store.latest_poll(code)
    if poll is None or not (poll.is_open or poll.revealed):
        return
    with st.container(border=True, key="ws_poll"):
        state = "open" if poll.is_open else "closed"
        st.markdown(f"**Poll ({state}): {md_escape(workshop_live.poll_heading(poll))}**")
        if not poll.revealed:
            st.metric("Answers so far", store.answer_count(poll.id))
            st.caption("Results are hidden until the facilitator reveals them.")
            return
        answers = store.latest_answers(poll.id)
        ids = [p.id for p in data.catalogue().priorities]
        workshop_live.tally_view(P.tally(poll, answers.to_dict("records"), ids), key=f"ws-{poll.id}", big=True)


@st.fragment(run_every=LIVE_SECONDS)
def poll_fragment(code: str) -> None:
    """The open poll (or the latest, once revealed), above the charts so the room sees it."""
    try:
        poll_panel(feedback_access.store(), code)
    except Exception as exc:  # noqa: BLE001 - a public page: any store failure is "temporarily unavailable"
        public_errors.show_unavailable("The poll", exc)


@st.fragment(run_every=LIVE_SECONDS)
def live_panel(code: str) -> None:
    """How many comments the workshop has made, and the latest approved ones."""
    cat = data.catalogue()
    try:
        store = feedback_access.store()
        states = store.comment_states(code)
        latest = store.projector_comments(code, limit=LATEST_SHOWN)
        counts = store.counts_by_priority(workshop_code=code)
    except Exception as exc:  # noqa: BLE001 - a public page: any store failure is "temporarily unavailable"
        public_errors.show_unavailable("The live tally", exc)
        return
    total = sum(counts.values())
    st.metric(f"Comments from workshop {code}", total,
              help="Every comment with this workshop code except those rejected or hidden.")
    if states["held"]:
        st.caption(f"{states['held']} waiting for the facilitator's approval.")
    table = pd.DataFrame(
        [{"Priority": f"{p.number}. {p.title}", "Comments": counts.get(p.id, 0)} for p in cat.priorities])
    st.dataframe(table, hide_index=True, width="stretch", height=36 * 10)
    st.markdown("**Latest comments**")
    if latest.empty:
        st.caption("None yet: scan the code to add yours.")
    for _, row in latest.iterrows():
        p = cat.priority(row["priority"]) if row["priority"] in {x.id for x in cat.priorities} else None
        where = f"{p.number}. {p.title}" if p else str(row["priority"])
        with st.container(border=True):
            # Plain text: Markdown would turn a bare URL or email address into a live link on the
            # projector, and escaping does not stop that. Bidi controls are shown, not obeyed.
            st.text(neutralise_for_display(row["comment"]))
            st.caption(md_escape(f"{where} · {row['respondent_type']}"))


@st.fragment(run_every=LIVE_SECONDS)
def results_panel(code: str, districts: tuple[str, ...]) -> None:
    """Before and after, and the room against the evidence, from the revealed poll rounds."""
    try:
        with st.container(key="ws_results"):
            workshop_live.results_view(feedback_access.store(), code, districts, key="ws-results")
    except Exception as exc:  # noqa: BLE001 - a public page: any failure is "temporarily unavailable"
        public_errors.show_unavailable("The poll results", exc)


def render() -> None:
    # Presenting: the sidebar starts collapsed when the page is opened directly (a projector link).
    st.set_page_config(initial_sidebar_state="collapsed")
    st.html(PRESENTING_CSS)
    cat = data.catalogue()
    pid, code, base = _settings()
    p = cat.priority(pid)
    filters = sidebar.current()

    nav = st.columns([1.4, 5, 1.4])
    nav[0].button("← Previous", on_click=_step, args=(-1,), width="stretch", key="ws_prev")
    nav[2].button("Next →", on_click=_step, args=(1,), width="stretch", key="ws_next")
    nav[1].markdown(f"<div style='text-align:center;font-size:1.05rem'>Priority {p.number} of "
                    f"{len(cat.priorities)}{' · workshop ' + html.escape(code) if code else ''}</div>",
                    unsafe_allow_html=True)

    st.title(f"{p.number}. {p.title}", anchor=False)
    st.html(f"<p class='em3-workshop-statement'>{html.escape(p.statement)}</p>")

    if code:
        poll_fragment(code)
    charts_col, room_col = st.columns([5, 2], gap="large")
    with charts_col:
        headlines = cat.headlines_for(pid, at_most=3)
        for ind in headlines:
            views.indicator_section(ind, filters, key=f"ws-{pid}-{ind.id}", compact=True)
    with room_col:
        if not code:
            st.info("Enter a workshop code in the settings above to show the QR code and the live tally.",
                    icon=":material/qr_code_2:")
            return
        if not base:
            st.warning("Give the address the audience uses in the settings above.")
            return
        url = form_url(base, pid, code)
        st.session_state["ws_qr_payload"] = url  # what the QR code encodes, for tests and screen readers
        st.markdown("**Tell us what this evidence misses**")
        # An <img> with a text alternative (st.image has none), the PNG inline: no extra request.
        qr = base64.b64encode(qr_png(url)).decode("ascii")
        st.html(f"<figure style='margin:0'><img src='data:image/png;base64,{qr}' style='width:100%;max-width:360px' "
                f"alt='QR code that opens the sounding-board form: {html.escape(url, quote=True)}'>"
                "<figcaption>Scan to open the sounding-board form</figcaption></figure>")
        st.html(f"<p class='em3-workshop-url'>{html.escape(url)}</p>")
        workshop_block(code, base)
        _record_screen(code, pid, [ind.id for ind in headlines])
        live_panel(code)
    results_panel(code, tuple(filters.districts))
