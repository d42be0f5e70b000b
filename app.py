"""EM3 Local Industrial Strategy dashboard: navigation, page config and the shared filters."""

import streamlit as st

from pages.components import figures_guard, navigation, sidebar

st.set_page_config(
    page_title="EM3 Local Industrial Strategy dashboard",
    page_icon=":material/insights:",
    layout="wide",
    initial_sidebar_state="auto",
)

current = st.navigation(navigation.build(), expanded=True)
if not figures_guard.allows(current):  # a broken extract: a clear message, not a traceback
    st.stop()
if navigation.uses_filters(current):
    sidebar.render()
    for note in sidebar.notes():
        st.warning(note, icon=":material/link_off:")
current.run()
