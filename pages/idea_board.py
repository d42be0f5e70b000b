"""Ideas: potential interventions, tested against the evidence. Anyone proposes one under a priority,
naming the indicators it means to move; its page (?id=...) shows those indicators' judged figures for
the area's districts (lis_data.hub.evidence) and the research on them, takes support (one per
device, as polls: the device key in a cookie) and comments, and shows staff's response."""

from __future__ import annotations

import streamlit as st

from lis_data import feedback
from lis_data.feedback import polls
from lis_data.hub import validation as hub_validation

from ui import data, device_key, feedback_access, public_errors
from ui.idea_evidence import evidence_section
from ui.formatting import md_escape, md_literal
from ui.hub_views import idea_heading, london, research_entry, shown, titles
from ui.navigation import page

_KEY = "idea_submission_key"
_CKEY = "idea_comment_key"
_ERRORS = "idea_errors"
_NOTE = "idea_note"


def status_text(idea) -> str:
    return "new: not answered yet" if idea.status == hub_validation.STATUS_NEW else idea.status


def _support(store, idea_id: str, device: str) -> None:
    try:
        receipt = store.support_idea(idea_id, device)
    except (feedback.FeedbackStoreUnavailable, feedback.FeedbackNotFound) as exc:
        st.session_state[_NOTE] = ("error", public_errors.message("Support", public_errors.report("Idea support", exc)))
        return
    st.session_state[_NOTE] = ("ok", "Thank you: your support is counted." if receipt.added
                               else "You had already supported this idea: it counts once.")


def _comment(store, idea_id: str) -> None:
    ss = st.session_state
    result = hub_validation.validate_idea_comment({"comment": ss.get("idea_comment_text", ""), "submission_key": ss[_CKEY]})
    if isinstance(result, dict):
        ss[_NOTE] = ("error", hub_validation.first_error(result))
        return
    try:
        store.comment_on_idea(idea_id, result)
    except (feedback.FeedbackStoreUnavailable, feedback.FeedbackNotFound) as exc:
        ss[_NOTE] = ("error", public_errors.message("Comments", public_errors.report("Idea comment", exc)))
        return
    ss[_CKEY] = feedback.new_submission_key()
    ss["idea_comment_text"] = ""
    ss[_NOTE] = ("ok", "Thank you: your comment is shown below.")


def _note() -> None:
    note = st.session_state.pop(_NOTE, None)
    if note:
        (st.success if note[0] == "ok" else st.error)(md_escape(note[1]))


def idea_page(store, idea_id: str) -> None:
    try:
        idea = store.idea(idea_id)
    except feedback.FeedbackNotFound:
        idea = None
    if idea is None or not idea.public:
        st.title("Idea", anchor=False)
        st.info("There is no such idea, or it has been taken down.", icon=":material/info:")
        st.page_link(page("ideas"), label="All ideas", icon=":material/lightbulb:")
        return
    names = titles()
    st.title("Idea: " + shown(idea.title), anchor=False)
    st.caption(f"{md_escape(names.get(idea.priority, idea.priority))} · proposed {london(idea.created_at)} · "
               f"{idea.reference}")
    st.markdown(shown(idea.description))
    device = polls.device_hash(device_key.device_key())
    supported = store.has_supported(idea.id, device)
    c1, c2, c3 = st.columns(3)
    c1.metric("Supporters", idea.supports)
    c2.markdown(f"**Status**\n\n{md_escape(status_text(idea))}")
    c3.button("You support this idea" if supported else "Support this idea", disabled=supported,
              on_click=_support, args=(store, idea.id, device), icon=":material/thumb_up:", key="idea_support")
    _note()
    if idea.response:
        with st.container(border=True):
            st.markdown(f"**The LEP's response ({md_escape(idea.status)}, {london(idea.responded_at)})**")
            st.markdown(shown(idea.response))
            if idea.reason:
                st.markdown("Why: " + shown(idea.reason))
    st.header("The evidence for the need", anchor=False)
    st.caption("The figures of the indicators this idea means to move, for every district of the area, each judged "
               "against England by its published 95% confidence interval.")
    evidence_section(idea.indicators)
    st.header("Research that bears on it", anchor=False)
    related = [r for r in store.research_list()
               if set(r.indicators) & set(idea.indicators) or idea.priority in r.priorities]
    if not related:
        st.caption("The library holds no research on these indicators or this priority yet.")
    for r in related[:10]:
        research_entry(r, show_summary=False)
    st.header("Comments", anchor=False)
    for c in store.idea_comments(idea.id):
        with st.container(border=True):
            st.markdown(shown(c.comment))
            st.caption(london(c.created_at))
    st.session_state.setdefault(_CKEY, feedback.new_submission_key())
    st.text_area("Your comment", key="idea_comment_text", max_chars=hub_validation.COMMENT_MAX,
                 help="Shown to everyone, without your name. Staff may take down comments that break the rules.")
    st.button("Send comment", on_click=_comment, args=(store, idea.id), key="idea_comment_send")


def _propose(store) -> None:
    ss = st.session_state
    cat = data.catalogue()
    pids, iids = hub_validation.catalogue_ids(cat)
    raw = {"priority": ss.get("idea_priority"), "title": ss.get("idea_title", ""),
           "description": ss.get("idea_description", ""), "indicators": ss.get("idea_indicators", []),
           "submission_key": ss[_KEY]}
    result = hub_validation.validate_idea(raw, priorities=pids, indicators=iids)
    if isinstance(result, dict):
        ss[_ERRORS] = result
        return
    try:
        receipt = store.propose_idea(result, polls.device_hash(device_key.device_key()))
    except feedback.FeedbackStoreUnavailable as exc:
        ss[_ERRORS] = {"submission_key": public_errors.message("Proposing an idea",
                                                               public_errors.report("Idea proposal", exc))}
        return
    ss.pop(_ERRORS, None)
    ss[_KEY] = feedback.new_submission_key()
    for k in ("idea_title", "idea_description", "idea_indicators"):
        ss.pop(k, None)
    st.query_params["id"] = receipt.id


def propose_form(store, priority: str | None) -> None:
    ss = st.session_state
    cat = data.catalogue()
    names = titles()
    ss.setdefault(_KEY, feedback.new_submission_key())
    if "idea_priority" not in ss:
        ss["idea_priority"] = priority or cat.priorities[0].id
    errors = ss.get(_ERRORS, {})
    st.selectbox("Priority", options=[p.id for p in cat.priorities], format_func=names.get, key="idea_priority")
    chosen = ss["idea_priority"]
    inds = cat.indicators_for(chosen)
    st.text_input("Title", key="idea_title", max_chars=hub_validation.IDEA_TITLE_MAX)
    if "title" in errors:
        st.error(md_escape(errors["title"]))
    st.text_area("What it would do", key="idea_description", max_chars=hub_validation.IDEA_TEXT_MAX)
    if "description" in errors:
        st.error(md_escape(errors["description"]))
    ss["idea_indicators"] = [i for i in ss.get("idea_indicators", []) if i in {x.id for x in inds}]
    st.multiselect("Indicators it means to move (1 to 5)", options=[i.id for i in inds],
                   format_func={i.id: i.label for i in inds}.get, key="idea_indicators",
                   max_selections=hub_validation.IDEA_INDICATORS_MAX)
    if "indicators" in errors:
        st.error(md_escape(errors["indicators"]))
    if "submission_key" in errors:
        st.error(md_escape(errors["submission_key"]))
    st.caption("Your idea is shown to everyone at once, without your name. Staff may take down ideas that break the "
               "rules, and answer each one.")
    st.button("Propose this idea", on_click=_propose, args=(store,), type="primary", key="idea_propose")


def render() -> None:
    try:
        store = feedback_access.store()
    except feedback.FeedbackStoreUnavailable as exc:
        st.title("Ideas", anchor=False)
        public_errors.show_unavailable("Ideas", exc)
        return
    raw_id = st.query_params.get("id")
    try:
        if raw_id:
            idea_page(store, raw_id)
            return
        names = titles()
        st.title("Ideas for the strategy", anchor=False)
        st.markdown("Propose an intervention under a priority, name the indicators it means to move, and see the "
                    "evidence beside it. Support the ideas you agree with; the LEP answers each one "
                    "(see *You said, we did*).")
        wanted = st.query_params.get("priority")
        if wanted and wanted not in names:
            st.warning(f"Ignored {md_literal(f'priority={wanted}')}: not a priority.", icon=":material/link_off:")
            wanted = None
        with st.expander("Propose an idea", expanded=True):
            propose_form(store, wanted)
        ideas = store.ideas(priority=wanted)
        st.header(f"Ideas ({len(ideas)})" + (f": {md_escape(names[wanted])}" if wanted else ""), anchor=False)
        if not ideas:
            st.caption("No idea yet.")
        for idea in ideas:
            with st.container(border=True):
                idea_heading(idea, names, md_escape(status_text(idea)))
    except feedback.FeedbackStoreUnavailable as exc:
        public_errors.show_unavailable("Ideas", exc)
