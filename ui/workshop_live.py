"""What the projector and the staff page show of a workshop's polls: the current poll (results
hidden until revealed), the shift between rounds, the room against the evidence. Layout only: the
results are computed in lis_data.feedback.polls and lis_data.views.workshop_results.
"""

from __future__ import annotations

import streamlit as st

from lis_data.views import workshop_results
from lis_data.feedback import polls

from . import data, workshop_charts
from .formatting import md_escape


def titles() -> dict[str, str]:
    return {p.id: f"{p.number}. {p.title}" for p in data.catalogue().priorities}


def poll_heading(poll: polls.Poll) -> str:
    about = "" if poll.subject == polls.ALL_PRIORITIES else f" · {titles().get(poll.subject, poll.subject)}"
    return f"{polls.question(poll.kind, data.area().short_name)}{about} · round {poll.round}"


@st.cache_data(show_spinner=False, max_entries=256)
def _evidence(districts: tuple[str, ...], fingerprint: str) -> dict[str, workshop_results.EvidenceScore]:
    del fingerprint  # part of the cache key only (README: Caching)
    return workshop_results.evidence_scores(data.store(), districts, data.area(), data.catalogue())


def evidence(districts: tuple[str, ...]) -> dict[str, workshop_results.EvidenceScore]:
    return _evidence(districts, data.extract_fingerprint())


def tally_view(t: polls.Tally, key: str, big: bool = False) -> None:
    """Distribution (chart and the table behind it), count and mean of one round."""
    names = titles()
    c1, c2 = st.columns(2)
    c1.metric("Answers", t.count)
    if t.poll.is_rating:
        c2.metric("Mean (1 to 5)", polls.fmt_mean(t.mean))
    spec = workshop_charts.distribution_chart(t, names)
    table = workshop_charts.distribution_table(t, names)
    described = "; ".join(f"{a}: {n}" for a, n in zip(table["Answer"], table["Answers"]))
    st.vega_lite_chart(spec, width="stretch", key=f"dist-{key}",
                       alt=f"Bar chart of the answers to round {t.poll.round}: {described}.")
    with st.expander("The table behind the chart", expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")


def shift_view(s: polls.Shift, key: str) -> None:
    names = titles()
    st.markdown(f"**Before → after: {md_escape(polls.SHORT_KIND[s.kind])}, {md_escape(names.get(s.subject, s.subject))}**")
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Before (round {s.before.poll.round})", polls.fmt_mean(s.before.mean), help=f"{s.before.count} answers")
    c2.metric(f"After (round {s.after.poll.round})", polls.fmt_mean(s.after.mean),
              delta=None if s.change is None else f"{s.change:+.2f}", delta_color="off",
              help=f"{s.after.count} answers")
    c3.metric("Answers before → after", f"{s.before.count} → {s.after.count}")
    table = workshop_charts.shift_table(s)
    st.vega_lite_chart(workshop_charts.shift_chart(s), width="stretch", key=f"shift-{key}",
                       alt=f"Paired bar chart of the answers before and after: mean {polls.fmt_mean(s.before.mean)} "
                           f"before, {polls.fmt_mean(s.after.mean)} after. The table below gives every count.")
    with st.expander("The table behind the chart", expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")
    if s.by_type:
        st.caption("By respondent type (groups with at least five answers in both rounds):")
        st.dataframe([{"Respondent type": g.respondent_type, "Before": f"{g.before_mean:.2f} ({g.before_count})",
                       "After": f"{g.after_mean:.2f} ({g.after_count})", "Change": f"{g.change:+.2f}"}
                      for g in s.by_type], hide_index=True, width="stretch")
    else:
        st.caption(f"By respondent type: shown when a group has at least {polls.MIN_GROUP} answers in both rounds.")


def matrix_view(points: list[workshop_results.MatrixPoint], key: str) -> None:
    st.vega_lite_chart(workshop_charts.matrix_chart(points), width="stretch", key=f"matrix-{key}",
                       alt="Scatter chart of the nine priorities: across, the evidence (share of indicator "
                           "judgements better than England minus the share worse); up, the room's mean rating. "
                           "The table below reads each point in words.")
    st.dataframe(workshop_charts.matrix_table(points), hide_index=True, width="stretch")
    st.caption("Evidence: each district-level indicator of the priority, for each district in focus: better or "
               "worse than England by its published 95% confidence interval, or, with no interval, in the best "
               "or worst fifth of English districts; the middle fifths, similar and untested figures count as "
               "neither; counts are left out. Room: the latest round of 'How is the area "
               "doing on this priority?' (1 much worse … 5 much better than England).")


def results_view(fstore, code: str, districts: tuple[str, ...], key: str, revealed_only: bool = True) -> None:
    """Shifts and the matrix of a workshop. On the projector only revealed rounds count."""
    cat = data.catalogue()
    if revealed_only and not any(p.revealed for p in fstore.polls(code)):
        return  # nothing to show yet: no answer is read
    tallies = workshop_results.tallies_for(fstore, code, cat)
    if revealed_only:
        tallies = [t for t in tallies if t.poll.revealed]
    shifts = polls.shifts(tallies)
    for s in shifts:
        shift_view(s, f"{key}-{s.kind}-{s.subject}")
    points = workshop_results.matrix(evidence(districts), tallies, cat)
    if any(m.room_mean is not None for m in points):
        st.markdown("**The room against the evidence**")
        matrix_view(points, key)
