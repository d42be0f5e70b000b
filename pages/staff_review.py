"""The staff page of the sounding board: read, filter, moderate, count and export the comments.

Access (ui/staff_session.py, the one sign-in): the ``staff_password`` setting (compared in constant
time), and/or ``st.login`` when an identity provider is configured in the ``[auth]`` section of the
secrets, for the addresses listed in ``staff_emails``. With neither configured the page
says so and shows no feedback; a staff_password that is not a quoted string of at least
PASSWORD_MIN_CHARS characters is reported as misconfigured. Failed passwords are limited per
client address and per process (see FAILURES_PER_ADDRESS) and logged. Every comment is shown as
data (st.dataframe, st.text), never as Markdown or HTML, with bidi controls made visible.
Staff can erase a submission's personal details or the whole submission (components/staff_erasure.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from lis_data import feedback
from web import throttle
from lis_data.feedback.text import neutralise_for_display

from ui import client, data, feedback_access, navigation, staff_session
from ui.formatting import md_escape
from ui.staff_erasure import erasure_section
from ui.staff_workshop import workshop_section

log = logging.getLogger(__name__)

_ACTOR = "staff_actor"  # who this session is, for the erasure audit row
_ENTRY = "staff_password_entry"
_MESSAGE = "staff_message"
#: Failed staff passwords: an address with FAILURES_PER_ADDRESS failures in the last
#: FAILURE_WINDOW_SECONDS is refused (even the right password) until its oldest failure is that
#: old; once FAILURES_PER_PROCESS failures from all addresses together fall in the window, the
#: password form refuses everyone the same way (a guess spread over many addresses). A sliding
#: window of fixed length, not exponential: at most 5 guesses per address per 15 minutes.
#: Kept in process-wide windows (web.throttle): a reload or a new session does not reset them.
FAILURES_PER_ADDRESS = 5
FAILURES_PER_PROCESS = 50
FAILURE_WINDOW_SECONDS = 15 * 60
PASSWORD_MIN_CHARS = staff_session.PASSWORD_MIN_CHARS
DISPLAY_TZ = "Europe/London"


SIGN_IN_FAILURES = throttle.FailureLimit("staff-failures", FAILURES_PER_ADDRESS, FAILURES_PER_PROCESS,
                                        FAILURE_WINDOW_SECONDS)


def _check_password(configured: str) -> None:
    ss = st.session_state
    entered = ss.get(_ENTRY) or ""
    ss[_ENTRY] = ""
    address = client.address()
    minutes = SIGN_IN_FAILURES.minutes_to_wait(address)
    if minutes:
        log.warning("Staff sign-in refused without checking the password: too many failures (address %s, %s)",
                    address, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        ss[_MESSAGE] = ("error", f"Too many wrong passwords: the staff password is not being checked for about "
                                 f"{minutes} minute{'s' if minutes != 1 else ''}. Try again then.")
        return
    if staff_session.password_matches(entered, configured):
        staff_session.mark_signed_in(configured)
        ss[_ACTOR] = f"staff password ({address})"
        SIGN_IN_FAILURES.succeeded(address)
        ss.pop(_MESSAGE, None)
    else:
        from_address, in_process = SIGN_IN_FAILURES.failed(address)
        # Never the password, not even its length.
        log.warning("Staff sign-in failed: wrong password from address %s at %s (%d from this address and %d "
                    "in all in the last %d minutes)", address,
                    datetime.now(timezone.utc).isoformat(timespec="seconds"), from_address, in_process,
                    FAILURE_WINDOW_SECONDS // 60)
        ss[_MESSAGE] = ("error", "That password is not right. Access refused.")


def _sign_out() -> None:
    st.session_state.pop(staff_session.STAFF_AUTHORISED_KEY, None)
    st.session_state.pop(_ACTOR, None)


def _access() -> bool:
    """True when this session may see the feedback; otherwise draw the way in and return False."""
    password, providers = staff_session.configured_password(), staff_session.providers()
    if isinstance(password, staff_session.Misconfigured):
        st.error("The `staff_password` setting is misconfigured: " + md_escape(password) + ". It must be a "
                 f"quoted string of at least {PASSWORD_MIN_CHARS} characters in `.streamlit/secrets.toml`. "
                 "Password sign-in is off until it is corrected.", icon=":material/settings_alert:")
        password = None
        if providers is None:
            return False
    elif password is None and providers is None:
        st.warning("No staff access is configured, so this page shows no feedback. Set `staff_password` in "
                   "`.streamlit/secrets.toml`, or configure an identity provider in its `[auth]` section and "
                   "list the staff who may sign in under `staff_emails`.", icon=":material/lock:")
        return False

    if providers is not None:
        if staff_session.user_value("is_logged_in"):
            email = str(staff_session.user_value("email") or "")
            if staff_session.is_staff_email(email):
                st.session_state[_ACTOR] = email
                st.caption(f"Signed in as {md_escape(email)}.")
                st.button("Sign out", on_click=st.logout, icon=":material/logout:")
                return True
            st.error(f"You are signed in as {md_escape(email or 'an account without an email')}, which is not on "
                     "the staff list (`staff_emails` in the secrets).", icon=":material/block:")
            st.button("Sign out", on_click=st.logout, icon=":material/logout:")
        else:
            for provider in providers:
                label = "Sign in" if provider is None else f"Sign in with {provider}"
                st.button(label, on_click=st.login, args=(provider,) if provider else (), icon=":material/login:",
                          key=f"staff_login_{provider or 'default'}")

    if password is not None:
        if staff_session.signed_in_with_password(password):
            st.button("Sign out", on_click=_sign_out, icon=":material/logout:", key="staff_sign_out")
            return True
        with st.form("staff_password_form", enter_to_submit=True):
            st.text_input("Staff password", type="password", key=_ENTRY)
            st.form_submit_button("Open the staff page", on_click=_check_password, args=(password,))
        message = st.session_state.pop(_MESSAGE, None)
        if message:
            st.error(message[1], icon=":material/block:")
    return False


def _moderate(store: feedback.FeedbackStore, feedback_id: str, hide: bool, note_key: str) -> None:
    note = st.session_state.get(note_key) or ""
    try:
        store.set_hidden(feedback_id, hide, note)
    except (feedback.FeedbackStoreUnavailable, feedback.FeedbackNotFound) as exc:
        st.session_state[_MESSAGE] = ("error", f"Not changed: {exc}")
        return
    st.session_state[note_key] = ""
    st.session_state[_MESSAGE] = ("success", "Hidden: kept in the store and in exports, left out of the list and "
                                  "counts." if hide else "Shown again.")


def _place_names() -> dict[str, str]:
    return {d.code: d.name for d in data.area().districts}


def _with_towns(chosen: list[str]) -> list[str]:
    """The places chosen, with the towns of each chosen district (a comment about Woking town
    is a comment about Woking district)."""
    options, labels = data.place_options()
    names = _place_names()
    out = list(chosen)
    for code in chosen:
        if code in names:
            out += [t for t in options if t not in names and labels[t].endswith(", " + names[code])]
    return list(dict.fromkeys(out))


def _filters(cat) -> feedback.FeedbackFilter:
    ids = [p.id for p in cat.priorities]
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    options, labels = data.place_options()
    st.header("Filters", anchor=False)
    c1, c2, c3 = st.columns(3)
    priority = c1.selectbox("Priority", ids, index=None, format_func=titles.get, key="staff_f_priority",
                            placeholder="All priorities")
    places = c2.multiselect("District or town", options, format_func=labels.get, key="staff_f_places",
                            placeholder="Anywhere", help="A district includes comments naming its towns.")
    respondent = c3.selectbox("Respondent type", list(feedback.RESPONDENT_TYPES), index=None,
                              key="staff_f_respondent", placeholder="Anyone")
    c4, c5, c6 = st.columns(3)
    since = c4.date_input("From", value=None, key="staff_f_since", format="DD/MM/YYYY")
    until = c5.date_input("To", value=None, key="staff_f_until", format="DD/MM/YYYY")
    workshop = c6.text_input("Workshop code", key="staff_f_workshop", placeholder="Any")
    include_hidden = st.checkbox("Include hidden submissions", key="staff_f_hidden")
    return feedback.FeedbackFilter(
        priority=priority, place=tuple(_with_towns(places)) or None, respondent_type=respondent,
        since=since, until=until, workshop_code=workshop.strip() or None, include_hidden=include_hidden)


def _table(df: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    names = _place_names()
    out = pd.DataFrame({
        "Reference": df["reference"],
        "Received": df["created_at"].dt.tz_convert(DISPLAY_TZ).dt.strftime("%Y-%m-%d %H:%M"),
        "Priority": df["priority"].map(lambda p: titles.get(p, p)),
        "Places": df["places"].map(lambda ps: ", ".join(names.get(p, p) for p in ps)),
        "Respondent": df["respondent_type"],
        "Organisation": _shown(df["organisation"]),
        "Comment": _shown(df["comment"]),
        "Evidence link": _shown(df["evidence_url"]),
        "Name": _shown(df["name"]),
        "Email": _shown(df["email"]),
        "Workshop": df["workshop_code"],
        "Hidden": df["hidden"],
        "Moderation note": _shown(df["moderation_note"]),
    })
    return out


def _shown(column: pd.Series) -> pd.Series:
    """Text as staff see it: bidi controls made visible (stored text is unchanged); gaps stay gaps."""
    return column.map(lambda v: neutralise_for_display(v) if isinstance(v, str) else v)


def _moderation(store, df: pd.DataFrame, titles: dict[str, str]) -> None:
    st.header("Hide or show a submission", anchor=False)
    if df.empty:
        st.caption("No submission in the list.")
        return
    rows = {r.id: r for r in df.itertuples(index=False)}

    def label(fid: str) -> str:
        r = rows[fid]
        when = r.created_at.tz_convert(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")
        return f"{r.reference} · {when} · {titles.get(r.priority, r.priority)}" + (" · hidden" if r.hidden else "")

    fid = st.selectbox("Submission", list(rows), format_func=label, key="staff_moderate_id")
    row = rows[fid]
    with st.container(border=True):
        st.caption("Comment, as sent (plain text; direction controls shown as ⟨U+…⟩)")
        st.text(neutralise_for_display(row.comment))
    note_key = "staff_moderation_note"
    st.text_input("Moderation note", key=note_key, placeholder="Why, e.g. spam, duplicate of SB-…, off topic")
    if row.hidden:
        st.button("Show it again", on_click=_moderate, args=(store, fid, False, note_key), icon=":material/visibility:")
    else:
        st.button("Hide this submission", on_click=_moderate, args=(store, fid, True, note_key),
                  icon=":material/visibility_off:")
    st.caption("Hiding keeps the submission (it stays in the store and in exports, flagged); it only leaves the "
               "list and the counts. Tick 'Include hidden submissions' to find hidden ones.")


def _counts(store, f: feedback.FeedbackFilter, cat) -> None:
    st.header("Comments per priority", anchor=False)
    counts = store.counts_by_priority(workshop_code=f.workshop_code, include_hidden=f.include_hidden)
    table = pd.DataFrame({
        "Priority": [f"{p.number}. {p.title}" for p in cat.priorities],
        "Comments": [counts.get(p.id, 0) for p in cat.priorities],
    })
    other = sum(n for p, n in counts.items() if p not in {q.id for q in cat.priorities})
    if other:
        table.loc[len(table)] = ["Not a current priority", other]
    scope = (" from workshop " + md_escape(f.workshop_code) if f.workshop_code else "") + \
            (", hidden ones included" if f.include_hidden else ", hidden ones left out")
    st.caption(f"All dates{scope}.")
    st.bar_chart(table, x="Priority", y="Comments", horizontal=True, sort=False, height=320,
                 alt="Bar chart of the number of comments per priority; the table below gives the same figures.")
    st.dataframe(table, hide_index=True, width="stretch")


def _downloads(store, f: feedback.FeedbackFilter) -> None:
    st.header("Download", anchor=False)
    chosen = replace(f, include_hidden=True)
    st.caption("The submissions matching the filters above (a workshop code exports that workshop's input), "
               "hidden ones included and flagged, with the names and emails given with consent: handle the file "
               "as personal data.")
    today = datetime.now(timezone.utc).date().isoformat()
    c1, c2 = st.columns(2)
    try:
        csv, parquet = store.export("csv", filters=chosen), store.export("parquet", filters=chosen)
    except feedback.FeedbackStoreUnavailable as exc:
        st.error(f"Export failed: {md_escape(exc)}")
        return
    name = f"sounding-board-{f.workshop_code.lower()}" if f.workshop_code else "sounding-board"
    c1.download_button("Download CSV", csv, file_name=f"{name}-{today}.csv", mime="text/csv",
                       icon=":material/download:", key="staff_csv")
    c2.download_button("Download Parquet", parquet, file_name=f"{name}-{today}.parquet",
                       mime="application/vnd.apache.parquet", icon=":material/download:", key="staff_parquet")


def _staff_pages() -> None:
    """The pages left out of the public navigation, each with its link (this page among them)."""
    others = [spec for spec in navigation.staff_pages() if spec.url_path != "staff"]
    if not others:
        return
    st.caption("Pages for staff, not listed in the public navigation: "
               + "; ".join(f"{spec.title} (`/{spec.url_path}`)" for spec in others) + ".")
    for spec in others:
        st.page_link(navigation.page(spec.url_path), label=spec.title, icon=spec.icon)


def render() -> None:
    st.title("Staff: sounding board input", anchor=False)
    _staff_pages()
    if not _access():
        return
    cat = data.catalogue()
    titles = {p.id: f"{p.number}. {p.title}" for p in cat.priorities}
    try:
        store = feedback_access.store()
    except feedback.FeedbackStoreUnavailable as exc:
        st.error(f"The feedback store cannot be reached: {md_escape(exc)}", icon=":material/cloud_off:")
        return
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        (st.success if message[0] == "success" else st.error)(md_escape(message[1]))

    f = _filters(cat)
    if f.since and f.until and f.since > f.until:
        st.warning("'From' is after 'To': no date can match.", icon=":material/event_busy:")
    try:
        df = store.list(f)
    except feedback.FeedbackStoreUnavailable as exc:
        st.error(f"The feedback store cannot be read: {md_escape(exc)}", icon=":material/cloud_off:")
        return
    st.header(f"Submissions ({len(df):,})", anchor=False)
    if df.empty:
        st.info("No submission matches these filters.", icon=":material/inbox:")
    else:
        st.dataframe(_table(df, titles), hide_index=True, width="stretch", key="staff_table",
                     column_config={"Comment": st.column_config.TextColumn(width="large")})
    _moderation(store, df, titles)
    st.divider()
    erasure_section(store, actor=st.session_state.get(_ACTOR) or "staff", message_key=_MESSAGE)
    st.divider()
    left, right = st.columns([3, 2])
    with left:
        _counts(store, f, cat)
    with right:
        _downloads(store, f)
    code = feedback.normalise_workshop_code(f.workshop_code or "")
    if code:
        st.divider()
        workshop_section(store, code)

