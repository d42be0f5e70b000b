"""Workshop mode: a priority presented live on a projector, the room's input gathered by QR code.

URL: /workshop?priority=<id>&code=<WORKSHOP-CODE>. The live panel refreshes on its own
(st.fragment with run_every) without reloading the page.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from lis_data import feedback
from lis_data.feedback.text import neutralise_for_display

from .components import data, feedback_access, public_errors, sidebar, views
from .components.formatting import md_escape, md_literal
from .components.workshop_links import audience_base, form_url, qr_png

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


@st.fragment(run_every=LIVE_SECONDS)
def live_panel(code: str) -> None:
    """How many comments this workshop has made, per priority, and the latest visible ones."""
    cat = data.catalogue()
    try:
        store = feedback_access.store()
        counts = store.counts_by_priority(workshop_code=code)
        latest = store.latest(workshop_code=code, limit=LATEST_SHOWN)
    except Exception as exc:  # noqa: BLE001 - a public page: any store failure is "temporarily unavailable"
        public_errors.show_unavailable("The live tally", exc)
        return
    total = sum(counts.values())
    st.metric(f"Comments from workshop {code}", total)
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
        st.image(qr_png(url), caption="Scan to open the sounding-board form", width="stretch")
        st.html(f"<p class='em3-workshop-url'>{html.escape(url)}</p>")
        live_panel(code)
