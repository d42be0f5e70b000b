"""Workshops and events: upcoming and past, the calendar feed to subscribe to, and for a workshop
its code and, once published, its record."""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from lis_data import feedback
from lis_data.hub.calendar import event_link

from ui import feedback_access, public_errors
from ui.formatting import md_escape
from ui.hub_views import london, shown, titles


def _event(ev, now: datetime, names: dict[str, str]) -> None:
    with st.container(border=True):
        st.markdown(f"**{shown(ev.title)}**")
        st.caption(f"{london(ev.starts_at)} to {london(ev.ends_at)} (UK time) · {shown(ev.place)}"
                   + (f" · {md_escape(names.get(ev.priority, ev.priority))}" if ev.priority else ""))
        if ev.description:
            st.markdown(shown(ev.description))
        link = event_link(ev, now)
        if ev.workshop_code and link:
            if ev.record_published and ev.is_past(now):
                st.link_button(f"Record of workshop {ev.workshop_code}", link, icon=":material/summarize:")
            else:
                st.markdown(f"Workshop code: `{ev.workshop_code}`")
                st.link_button("Workshop page (on the day)", link, icon=":material/co_present:")


def render() -> None:
    st.title("Workshops and events", anchor=False)
    st.markdown("Workshops and events on the Local Industrial Strategy. Subscribe to the calendar to have them "
                "in your own calendar program, kept up to date.")
    st.link_button("Calendar feed (iCalendar)", "/api/v1/events.ics", icon=":material/calendar_month:")
    st.caption("Copy the link of the button into your calendar program's *subscribe to a calendar* option.")
    try:
        events = feedback_access.store().events()
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The list of events", exc)
        return
    now = datetime.now(timezone.utc)
    names = titles()
    upcoming = [e for e in events if not e.is_past(now)]
    past = [e for e in reversed(events) if e.is_past(now)]
    st.header("Upcoming", anchor=False)
    if not upcoming:
        st.caption("No event is planned yet.")
    for ev in upcoming:
        _event(ev, now, names)
    st.header("Past", anchor=False)
    if not past:
        st.caption("No past event.")
    for ev in past:
        _event(ev, now, names)
