"""What the LIS hub's pages share: user text shown literally, a research entry laid out, the research
list of a priority page, and the contact address on every page's foot. Layout only: the store and
lis_data.hub compute everything."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from lis_data import feedback
from lis_data.feedback.text import neutralise_for_display

from . import app_settings, data, feedback_access, public_errors
from .formatting import md_escape

LONDON = ZoneInfo("Europe/London")


def shown(text: object) -> str:
    """User text for st.markdown: bidi controls made visible, every Markdown and HTML character literal."""
    return md_escape(neutralise_for_display(text))


def london(ts: datetime) -> str:
    return ts.astimezone(LONDON).strftime("%a %d %b %Y, %H:%M")


def titles() -> dict[str, str]:
    return {p.id: f"{p.number}. {p.title}" for p in data.catalogue().priorities}


def indicator_labels() -> dict[str, str]:
    return {i.id: i.label for i in data.catalogue().indicators}


def contact_email() -> str:
    return app_settings.current().contact_email


def footer() -> None:
    """The LIS contact address at the foot of every page (a setting: lis_contact_email)."""
    address = contact_email()  # checked: a plain email address, safe in a mailto link
    st.divider()
    st.caption(f"Questions about the Local Industrial Strategy, or to take part: "
               f"[{address}](mailto:{address})")


def idea_heading(idea, names: dict[str, str], detail: str) -> None:
    """An idea's link (to its own page) and one line under it: priority · supporters · `detail` (Markdown,
    escaped by the caller)."""
    from .navigation import page

    st.page_link(page("ideas"), label=shown(idea.title), query_params={"id": idea.id}, icon=":material/lightbulb:")
    supporters = f"{idea.supports} supporter{'s' if idea.supports != 1 else ''}"
    st.caption(f"{md_escape(names.get(idea.priority, idea.priority))} · {supporters} · {detail}")


def research_entry(r, *, show_summary: bool = True) -> None:
    """One document: title, who, when, licence, priorities and indicators, summary, and its link."""
    t, labels = titles(), indicator_labels()
    with st.container(border=True):
        st.markdown(f"**{shown(r.title)}**")
        st.caption(f"{shown(r.authors)} · {r.published:%d %B %Y} · Licence: {shown(r.licence)}")
        st.caption("Priorities: " + md_escape("; ".join(t.get(p, p) for p in r.priorities))
                   + ((" · Indicators: " + md_escape("; ".join(labels.get(i, i) for i in r.indicators)))
                      if r.indicators else ""))
        if show_summary:
            st.markdown(shown(r.summary))
        cols = st.columns(2)
        if r.has_file:
            size = f"{(r.file_size or 0) / (1024 * 1024):.1f} MB" + (f", {r.pages} pages" if r.pages else "")
            cols[0].link_button(f"Download the PDF ({size})", f"/research/{r.id}.pdf", icon=":material/download:")
        if r.link:  # checked at upload: http or https only
            cols[1].link_button("Open the document's page", r.link, icon=":material/open_in_new:")


def research_for_priority(pid: str) -> None:
    """The research the library holds on a priority (for its page)."""
    from .navigation import page

    st.subheader("Research on this priority", anchor=False)
    try:
        items = feedback_access.store().research_list(priority=pid)
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The research library", exc)
        return
    if not items:
        st.caption("The library holds no research on this priority yet.")
    for r in items[:10]:
        research_entry(r, show_summary=False)
    st.page_link(page("research"), label="Search the research library", icon=":material/library_books:")
    st.page_link(page("ideas"), label="Ideas for this priority, tested against the evidence",
                 icon=":material/lightbulb:", query_params={"priority": pid})
