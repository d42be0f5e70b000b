"""Staff: the LIS hub. For a session signed in on the staff page: add research (a PDF of at most
20 MB, checked by lis_data.hub.pdf_check, or a link), add events, publish workshop records,
moderate and answer ideas and their comments, and export the sounding board's members."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import streamlit as st

from lis_data import feedback
from lis_data.hub import pdf_check
from lis_data.hub import validation as hub_validation

from ui import data, feedback_access, staff_session
from ui.formatting import md_escape
from ui.hub_views import LONDON, london, shown, titles
from ui.navigation import page

_MSG = "hub_message"
_ACTOR = "hub_actor"


def _say(ok: bool, text: str) -> None:
    st.session_state[_MSG] = (ok, text)


def _actor() -> str:
    return st.session_state.get(_ACTOR, "")


def _uploader_key() -> str:
    """The uploader's key: a new one after each document added, so the next starts empty."""
    return f"hub_r_file_{st.session_state.get('hub_r_uploader', 0)}"


def _add_research(store) -> None:
    ss = st.session_state
    pids, iids = hub_validation.catalogue_ids(data.catalogue())
    upload = ss.get(_uploader_key())
    licence = ss.get("hub_r_licence")
    if licence == "other":
        licence = ss.get("hub_r_licence_other", "")
    raw = {"title": ss.get("hub_r_title", ""), "authors": ss.get("hub_r_authors", ""),
           "published": ss.get("hub_r_date"), "summary": ss.get("hub_r_summary", ""),
           "priorities": ss.get("hub_r_priorities", []), "indicators": ss.get("hub_r_indicators", []),
           "licence": licence, "link": ss.get("hub_r_link", ""), "added_by": _actor()}
    checked, content = None, None
    if upload is not None:
        content = upload.getvalue()
        try:
            checked = pdf_check.check_pdf(content, upload.name)
        except pdf_check.PdfRefused as exc:
            _say(False, f"Refused: {exc}")
            return
    item = hub_validation.validate_research(raw, priorities=pids, indicators=iids, has_file=checked is not None)
    if isinstance(item, dict):
        _say(False, "Not added. " + " ".join(item.values()))
        return
    try:
        store.add_research(item, checked, content, upload.name if upload is not None else None)
    except feedback.FeedbackStoreUnavailable as exc:
        _say(False, f"Not added: {exc}")
        return
    _say(True, f"Added to the library: {item.title}")
    for k in ("hub_r_title", "hub_r_authors", "hub_r_summary", "hub_r_link", "hub_r_priorities", "hub_r_indicators"):
        ss.pop(k, None)
    ss["hub_r_uploader"] = ss.get("hub_r_uploader", 0) + 1  # a fresh, empty uploader


def research_tab(store) -> None:
    ss = st.session_state
    cat = data.catalogue()
    names = titles()
    st.subheader("Add research", anchor=False)
    st.file_uploader(f"PDF (at most {pdf_check.MAX_BYTES // (1024 * 1024)} MB; no scripts or attached files)",
                     type=["pdf"], key=_uploader_key(), max_upload_size=pdf_check.MAX_BYTES // (1024 * 1024))
    st.text_input("Or a link to it", key="hub_r_link", max_chars=hub_validation.URL_MAX, placeholder="https://…")
    st.text_input("Title", key="hub_r_title", max_chars=hub_validation.TITLE_MAX)
    st.text_input("Authors or commissioner", key="hub_r_authors", max_chars=hub_validation.AUTHORS_MAX)
    st.date_input("Date", key="hub_r_date", value=date.today(), min_value=date(1900, 1, 1), format="YYYY-MM-DD")
    st.text_area("Summary", key="hub_r_summary", max_chars=hub_validation.SUMMARY_MAX)
    st.multiselect("Priorities it concerns", options=list(names), format_func=names.get, key="hub_r_priorities")
    st.multiselect("Indicators it concerns", options=[i.id for i in cat.indicators],
                   format_func={i.id: i.label for i in cat.indicators}.get, key="hub_r_indicators")
    st.selectbox("Licence", options=[*hub_validation.LICENCES, "other"], key="hub_r_licence",
                 format_func=lambda v: "Another licence (type it)" if v == "other" else v)
    if ss.get("hub_r_licence") == "other":
        st.text_input("Licence", key="hub_r_licence_other", max_chars=hub_validation.LICENCE_MAX)
    st.button("Add to the library", on_click=_add_research, args=(store,), type="primary", key="hub_r_add")
    st.subheader("In the library", anchor=False)
    for r in store.research_list():
        cols = st.columns([5, 1])
        cols[0].markdown(f"{shown(r.title)} · {r.published:%Y-%m-%d} · "
                         + ("PDF" if r.has_file else "link"))
        cols[1].button("Withdraw", key=f"hub_r_wd_{r.id}", on_click=lambda rid=r.id: (store.withdraw_research(rid),
                                                                                      _say(True, "Withdrawn.")))


def _add_event(store) -> None:
    ss = st.session_state
    pids, _ = hub_validation.catalogue_ids(data.catalogue())
    day = ss.get("hub_e_date")
    start, end = ss.get("hub_e_start"), ss.get("hub_e_end")
    raw = {"title": ss.get("hub_e_title", ""), "place": ss.get("hub_e_place", ""),
           "priority": ss.get("hub_e_priority"), "description": ss.get("hub_e_description", ""),
           "workshop_code": ss.get("hub_e_code", ""),
           "starts_at": datetime.combine(day, start, LONDON) if day and start else None,
           "ends_at": datetime.combine(day, end, LONDON) if day and end else None}
    item = hub_validation.validate_event(raw, priorities=pids)
    if isinstance(item, dict):
        _say(False, "Not added. " + " ".join(item.values()))
        return
    store.add_event(item)
    _say(True, f"Event added: {item.title}")


def events_tab(store) -> None:
    names = titles()
    st.subheader("Add an event", anchor=False)
    st.text_input("Title", key="hub_e_title", max_chars=hub_validation.EVENT_TITLE_MAX)
    c1, c2, c3 = st.columns(3)
    c1.date_input("Date", key="hub_e_date", value=date.today() + timedelta(days=14), format="YYYY-MM-DD")
    c2.time_input("Starts (UK time)", key="hub_e_start", value=time(10, 0))
    c3.time_input("Ends (UK time)", key="hub_e_end", value=time(12, 0))
    st.text_input("Place", key="hub_e_place", max_chars=hub_validation.PLACE_MAX)
    st.selectbox("Priority", options=[None, *names], key="hub_e_priority",
                 format_func=lambda p: "None in particular" if p is None else names[p])
    st.text_input("Workshop code (for a workshop)", key="hub_e_code", max_chars=40, placeholder="GUILDFORD-2027-01-20")
    st.text_area("Description", key="hub_e_description", max_chars=hub_validation.DESCRIPTION_MAX)
    st.button("Add the event", on_click=_add_event, args=(store,), type="primary", key="hub_e_add")
    st.subheader("Events", anchor=False)
    for ev in store.events():
        cols = st.columns([5, 1])
        cols[0].markdown(f"{shown(ev.title)} · {london(ev.starts_at)}"
                         + (f" · `{ev.workshop_code}`" if ev.workshop_code else ""))
        cols[1].button("Cancel", key=f"hub_e_cancel_{ev.id}",
                       on_click=lambda eid=ev.id: (store.cancel_event(eid), _say(True, "Event cancelled.")))


def _publish(store) -> None:
    code = st.session_state.get("hub_w_code", "")
    try:
        store.publish_record(code, _actor())
    except (feedback.FeedbackNotFound, ValueError) as exc:
        _say(False, f"Not published: {exc}")
        return
    _say(True, f"Published: /workshops/{feedback.normalise_workshop_code(code)}")


def records_tab(store) -> None:
    st.subheader("Publish a workshop's record", anchor=False)
    st.caption("The record shows the evidence on screen, the poll results and shift, the room against the evidence, "
               "and the approved comments only (never a held or rejected one, nor any name or email).")
    st.text_input("Workshop code", key="hub_w_code", max_chars=40)
    st.button("Publish the record", on_click=_publish, args=(store,), type="primary", key="hub_w_publish")
    for code, when in store.published_records():
        cols = st.columns([5, 1])
        with cols[0]:
            st.page_link(page("workshops"), label=f"{code} (published {london(when)})", query_params={"code": code})
        cols[1].button("Withdraw", key=f"hub_w_wd_{code}",
                       on_click=lambda c=code: (store.withdraw_record(c), _say(True, f"Withdrawn: {c}")))


def _respond(store, idea_id: str) -> None:
    ss = st.session_state
    result = hub_validation.validate_response({"status": ss.get(f"hub_i_status_{idea_id}"),
                                               "response": ss.get(f"hub_i_response_{idea_id}", ""),
                                               "reason": ss.get(f"hub_i_reason_{idea_id}", ""), "actor": _actor()})
    if isinstance(result, dict):
        _say(False, "Not recorded. " + " ".join(result.values()))
        return
    store.respond_to_idea(idea_id, result)
    _say(True, f"Response recorded: {result.status}")


def _moderate(store, kind: str, target: str, decision: str) -> None:
    try:
        store.moderate_hub(kind, target, decision, _actor())
    except ValueError as exc:
        _say(False, str(exc))
        return
    _say(True, f"{kind.replace('_', ' ').capitalize()} {decision}.")


def ideas_tab(store) -> None:
    names = titles()
    ideas = store.ideas(include_rejected=True)
    comments = store.idea_comments(include_rejected=True)
    st.subheader(f"Ideas ({len(ideas)})", anchor=False)
    for idea in ideas:
        with st.expander(f"{shown(idea.title)} · {idea.supports} supporters · {idea.status} · {idea.state}"):
            st.caption(f"{md_escape(names.get(idea.priority, idea.priority))} · {idea.reference} · "
                       f"{london(idea.created_at)}")
            st.markdown(shown(idea.description))
            c1, c2 = st.columns(2)
            c1.button("Approve", key=f"hub_i_ok_{idea.id}", on_click=_moderate, args=(store, "idea", idea.id, "approved"))
            c2.button("Reject (take down)", key=f"hub_i_no_{idea.id}", on_click=_moderate,
                      args=(store, "idea", idea.id, "rejected"))
            st.selectbox("Status", options=list(hub_validation.STATUSES), key=f"hub_i_status_{idea.id}")
            st.text_area("Response (public)", key=f"hub_i_response_{idea.id}", max_chars=hub_validation.RESPONSE_MAX)
            st.text_area("Reason, when not taken forward (public)", key=f"hub_i_reason_{idea.id}",
                         max_chars=hub_validation.RESPONSE_MAX)
            st.button("Record the response", key=f"hub_i_respond_{idea.id}", on_click=_respond, args=(store, idea.id))
            for c in [c for c in comments if c.idea_id == idea.id]:
                cols = st.columns([4, 1, 1])
                cols[0].markdown(f"{shown(c.comment)} ({c.state})")
                cols[1].button("Approve", key=f"hub_c_ok_{c.id}", on_click=_moderate,
                               args=(store, "idea_comment", c.id, "approved"))
                cols[2].button("Reject", key=f"hub_c_no_{c.id}", on_click=_moderate,
                               args=(store, "idea_comment", c.id, "rejected"))


def members_tab(store) -> None:
    members = store.board_members()
    st.subheader(f"Sounding-board members ({len(members)})", anchor=False)
    st.caption("Erasure on request: the staff page's erasure section, or `feedback erase BM-XXXXXX`.")
    today = datetime.now(timezone.utc).date().isoformat()
    st.download_button("Members (CSV)", store.export_board(), file_name=f"sounding-board-members-{today}.csv",
                       mime="text/csv", key="hub_m_export", icon=":material/download:")


def render() -> None:
    st.title("Staff: LIS hub", anchor=False)
    if not staff_session.staff_signed_in():
        st.info("Sign in on the staff page first; then come back here.", icon=":material/lock:")
        st.page_link(page("staff"), label="Staff page (sign in)", icon=":material/lock:")
        return
    try:
        store = feedback_access.store()
    except feedback.FeedbackStoreUnavailable as exc:
        st.error(f"The feedback store cannot be reached: {md_escape(exc)}", icon=":material/cloud_off:")
        return
    st.text_input("Your name (kept with what you add, publish or decide)", key=_ACTOR, max_chars=hub_validation.ACTOR_MAX)
    message = st.session_state.pop(_MSG, None)
    if message:
        (st.success if message[0] else st.error)(md_escape(message[1]))
    tabs = st.tabs(["Research", "Events", "Workshop records", "Ideas", "Members"])
    sections = (research_tab, events_tab, records_tab, ideas_tab, members_tab)
    for tab, section in zip(tabs, sections):
        with tab:
            try:
                section(store)
            except feedback.FeedbackStoreUnavailable as exc:
                st.error(f"The feedback store cannot be read: {md_escape(exc)}", icon=":material/cloud_off:")
