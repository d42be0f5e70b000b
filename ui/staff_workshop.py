"""The staff page's workshop view: a workshop's results after the event (counts, every poll round
with its distribution, the shifts, the room against the evidence, the approved comments) and their
downloads. Computed by lis_data.views.workshop_results; laid out here."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from lis_data import feedback
from lis_data.views import workshop_results
from lis_data.feedback import polls
from lis_data.feedback.text import neutralise_for_display

from . import data, workshop_live, workshop_setup
from .formatting import md_escape


def workshop_section(store, code: str) -> None:
    st.subheader(f"Workshop {code}: results", anchor=False)
    try:
        summary = workshop_results.summary(store, code, data.store(), tuple(data.area().district_codes), data.area(),
                                           data.catalogue())
    except feedback.FeedbackStoreUnavailable as exc:  # staff page: the store's redacted reason is shown
        st.error(f"The workshop's results cannot be read: {md_escape(exc)}", icon=":material/cloud_off:")
        return
    workshop_setup.message()
    if store.workshop(code) is None:
        st.caption(f"Workshop {code} has not been opened: open it here, then give its facilitator the PIN.")
        workshop_setup.open_form(code)
    else:
        workshop_setup.reclaim_form(code)
        from .navigation import page

        st.page_link(page("facilitate"), label=f"Facilitator view of {code} (you come in without the PIN)",
                     query_params={"code": code}, icon=":material/how_to_vote:")
    s = summary.comment_states
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Comments approved", s["approved"] + s["shown"])
    c2.metric("Waiting", s["held"])
    c3.metric("Rejected", s["rejected"])
    c4.metric("Poll rounds", len(summary.tallies), help=f"{summary.answers} answers stored; each device's latest "
                                                        "answer in a round counts")
    for t in summary.tallies:
        with st.expander(f"{workshop_live.poll_heading(t.poll)} · {t.count} answers"
                         + (f" · mean {polls.fmt_mean(t.mean)}" if t.poll.is_rating else "")
                         + ("" if t.poll.revealed else " · not revealed"), expanded=False):
            workshop_live.tally_view(t, key=f"staff-{t.poll.id}")
    for sh in summary.shifts:
        workshop_live.shift_view(sh, key=f"staff-{sh.kind}-{sh.subject}")
    st.markdown("**The room against the evidence (all 14 districts)**")
    workshop_live.matrix_view(list(summary.matrix), key="staff")
    st.markdown(f"**Approved comments ({len(summary.approved)})**")
    for r in summary.approved.itertuples(index=False):
        st.text(f"{r.reference} · {neutralise_for_display(r.comment)}")
    today = datetime.now(timezone.utc).date().isoformat()
    name = f"workshop-{code.lower()}-{today}"
    tables = workshop_results.summary_tables(summary)
    c1, c2, c3 = st.columns(3)
    c1.download_button("Summary (text)", workshop_results.summary_text(summary, data.catalogue()).encode("utf-8"),
                       file_name=f"{name}-summary.md", mime="text/markdown", key="staff_ws_summary",
                       icon=":material/download:")
    c2.download_button("Poll rounds (CSV)", workshop_results.table_bytes(tables["polls"], "csv"), file_name=f"{name}-polls.csv",
                       mime="text/csv", key="staff_ws_polls", icon=":material/download:")
    c3.download_button("Every answer (CSV)", workshop_results.table_bytes(workshop_results.answers_table(store, code), "csv"),
                       file_name=f"{name}-answers.csv", mime="text/csv", key="staff_ws_answers",
                       icon=":material/download:")
