"""You said, we did: every idea the LEP has answered, with its status and response, and for the ideas
taken into the strategy the latest movement of the indicators they named (lis_data.hub.evidence)."""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.hub import validation as hub_validation

from ui import feedback_access, public_errors
from ui.formatting import md_escape
from ui.hub_views import idea_heading, london, shown, titles
from ui.idea_evidence import movement_lines


def render() -> None:
    st.title("You said, we did", anchor=False)
    st.markdown("The ideas the sounding board proposed, and what the LEP did with each. For the ideas taken into the "
                "strategy, the latest movement of the indicators they mean to move.")
    try:
        answered = [i for i in feedback_access.store().ideas() if i.status != hub_validation.STATUS_NEW]
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The list of answered ideas", exc)
        return
    names = titles()
    if not answered:
        st.info("No idea has been answered yet.", icon=":material/info:")
    for status in hub_validation.STATUSES[::-1]:
        group = [i for i in answered if i.status == status]
        if not group:
            continue
        st.header(f"{status[0].upper()}{status[1:]} ({len(group)})", anchor=False)
        for idea in group:
            with st.container(border=True):
                idea_heading(idea, names, f"answered {london(idea.responded_at)}")
                st.markdown("**We did:** " + shown(idea.response or ""))
                if idea.reason:
                    st.markdown("**Why:** " + shown(idea.reason))
                if status == hub_validation.STATUS_TAKEN:
                    st.markdown("**The indicators it named, latest movement:**\n\n"
                                + "\n".join(f"- {md_escape(line)}" for line in movement_lines(idea.indicators)))
