"""EM3 Local Industrial Strategy dashboard: navigation, page config and the shared filters."""

import streamlit as st

from pages.components import figures_guard, global_style, navigation, sidebar

SITE_NAME = "EM3 Local Industrial Strategy dashboard"

st.set_page_config(
    page_title=SITE_NAME,
    page_icon=":material/insights:",
    layout="wide",
    initial_sidebar_state="auto",
)

current = st.navigation(navigation.build(), expanded=True)
# The browser tab names the page first, then the site (WCAG 2.4.2).
st.set_page_config(page_title=f"{current.title} · {SITE_NAME}")
global_style.apply()
if not figures_guard.allows(current):  # a broken extract: a clear message, not a traceback
    st.stop()
if navigation.uses_filters(current):
    sidebar.render()
    for note in sidebar.notes():
        st.warning(note, icon=":material/link_off:")
current.run()
