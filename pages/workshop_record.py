"""The public record of a workshop (/workshops/CODE, which opens /workshops?code=CODE): the evidence
the room was shown, every poll round's results and the shift, the room against the evidence, and the
approved comments: never a held or rejected one, never a name, email or reference. Shown only once
staff have published it. Computed by lis_data.views.workshop_results; laid out here."""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.views import workshop_results

from ui import data, feedback_access, public_errors, workshop_live
from ui.formatting import md_escape, md_literal
from ui.hub_views import london, shown, titles
from ui.navigation import page


@st.cache_data(show_spinner="Reading the workshop's record…", max_entries=64)
def _summary(url: str | None, code: str, fingerprint: str, feedback_version: str) -> workshop_results.WorkshopSummary:
    del fingerprint, feedback_version  # part of the cache key only (README: Caching)
    return workshop_results.summary(feedback_access.store(), code, data.store(), tuple(data.area().district_codes), data.area(),
                                    data.catalogue())


def _index(store) -> None:
    records = store.published_records()
    if not records:
        st.info("No workshop record has been published yet.", icon=":material/info:")
    for code, when in records:
        st.page_link(page("workshops"), label=f"Workshop {code} (published {london(when)})",
                     query_params={"code": code}, icon=":material/summarize:")


def render() -> None:
    raw = st.query_params.get("code")
    code = feedback.normalise_workshop_code(raw)
    st.title(f"Workshop record{f': {code}' if code else 's'}", anchor=False)
    try:
        store = feedback_access.store()
        published = store.record_published(code) if code else None
        if not code:
            if raw:
                st.warning(f"Ignored {md_literal(f'code={raw}')}: not a workshop code.", icon=":material/link_off:")
            _index(store)
            return
        if published is None:
            st.info("There is no published record for this workshop code (yet).", icon=":material/info:")
            _index(store)
            return
        workshop = store.workshop(code)
        s = _summary(feedback_access.store_url(), code, data.extract_fingerprint(), feedback_access.change_counter())
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("The workshop record", exc)
        return
    names = titles()
    labels = {i.id: i.label for i in data.catalogue().indicators}
    st.caption(f"Published {london(published)} (UK time).")
    st.header("The evidence the room was shown", anchor=False)
    if workshop is not None and workshop.screen_priority:
        st.markdown(f"Priority: **{md_escape(names.get(workshop.screen_priority, workshop.screen_priority))}**")
        if workshop.screen_indicators:
            st.markdown("\n".join(f"- {md_escape(labels.get(i, i))}" for i in workshop.screen_indicators))
        if workshop.screen_vintage:
            st.caption(f"Figures as held on the day: {md_escape(workshop.screen_vintage)}.")
    else:
        st.caption("The workshop page did not record what was on screen.")
    st.header("Poll results", anchor=False)
    if not s.tallies:
        st.caption("No poll was run.")
    for t in s.tallies:
        st.markdown(f"**{md_escape(workshop_live.poll_heading(t.poll))}**")
        workshop_live.tally_view(t, key=f"rec-{t.poll.id}")
    for sh in s.shifts:
        workshop_live.shift_view(sh, key=f"rec-{sh.kind}-{sh.subject}")
    st.header("The room against the evidence", anchor=False)
    workshop_live.matrix_view(list(s.matrix), key="record")
    st.header(f"Comments ({len(s.approved)} approved)", anchor=False)
    if s.approved.empty:
        st.caption("No approved comment.")
    for r in s.approved.itertuples(index=False):
        with st.container(border=True):
            st.markdown(shown(r.comment))
            st.caption(f"{md_escape(names.get(r.priority, r.priority))} · {md_escape(r.respondent_type)}")
