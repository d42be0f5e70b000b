"""The privacy notice of the sounding board and workshops: what is kept of a comment, a poll answer
and a word, who sees it, and how to have it removed. It says only what the code does (the feedback
store, the device cookie, the limits kept in memory); the phone page links here in one line."""

from __future__ import annotations

import streamlit as st

from ui.hub_views import contact_email


def render() -> None:
    st.title("Privacy notice", anchor=False)
    address = contact_email()
    email = f"[{address}](mailto:{address})"
    st.markdown("This notice covers what you send on the sounding board and at workshops: comments, poll "
                "answers and the words you send to a word cloud.")
    st.header("Comments", anchor=False)
    st.markdown(
        "A comment is kept in the LEP's feedback database with the priority it is about, the places and "
        "organisation you name, who you are responding as, and the time. You can respond anonymously. If you "
        "give your name or email and tick the box, they are kept with your comment, seen only by LEP staff who "
        "read the sounding board, used only to reply to you, and never published. Your comment, organisation "
        "and places may be shown without your name or email, for example on a workshop's projector once the "
        "facilitator approves it.")
    st.header("Workshop polls and word clouds", anchor=False)
    st.markdown(
        "To count one answer per phone, the page keeps a random key in a cookie on your phone (`lis_device`, "
        "for a year). Only a one-way hash of the key is stored with your answer, never the key itself. A poll "
        "answer is stored with the priority and the indicators that were on the screen. No name is asked. "
        "A word you send to a word cloud is shown on the projector only once the facilitator approves it.")
    st.header("Limits", anchor=False)
    st.markdown("To stop floods, the server counts how many comments and answers come from each network "
                "address in the last few minutes. The counts are kept in memory only and are gone when the "
                "server restarts.")
    st.header("Having your details removed", anchor=False)
    st.markdown(f"Write to {email} quoting the reference you were given. Staff then remove your name and email, "
                "or your whole comment, from the database and from every export.")
