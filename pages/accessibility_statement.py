"""The accessibility statement, worded from lis_data/config/accessibility.toml (which the browser
audit also reads, so the known issues listed here are the ones the audit finds)."""

from __future__ import annotations

import streamlit as st

from lis_data.config.accessibility import load_statement

from ui import navigation

_STATUS = {
    "fully": "fully compliant with",
    "partially": "partially compliant with",
    "not": "not compliant with",
}


def render() -> None:
    s = load_statement()
    st.title("Accessibility statement", anchor=False)
    st.markdown(
        f"This statement applies to the {s.service}, published by {s.organisation}. We want as many "
        "people as possible to be able to use it: you should be able to zoom in to 400 % without text "
        "spilling off the screen, use it with a keyboard alone or a screen reader, and read every chart "
        "as text and as a table.")

    st.header("Compliance status", anchor=False)
    st.markdown(f"This dashboard is **{_STATUS[s.status]}** the {s.standard} standard"
                + (", because of the issues listed below." if s.has_issues else "."))

    st.header("Non-accessible content", anchor=False)
    if s.known_issues:
        st.markdown("The content below is not yet accessible, for the reasons given.")
        for k in s.known_issues:
            by = "the Streamlit framework the dashboard is built with" if k.cause == "streamlit" else "the dashboard"
            st.markdown(f"- **{k.where}** (WCAG {k.wcag}). Caused by {by}; {k.reference}. "
                        f"Meanwhile: {k.workaround}")
    else:
        st.markdown("The automated audit (axe-core, every page, at desktop and phone widths) finds no serious "
                    "or critical failure of the standard.")
    if s.other_issues:
        st.markdown("What the screenshots of every page show that the automated audit does not catch:")
        for k in s.other_issues:
            st.markdown(f"- **{k.where}** (WCAG {k.wcag}). {k.detail} Meanwhile: {k.workaround}")
    if s.not_in_scope:
        st.markdown("Not within the scope of the regulations, or a disproportionate burden to change:")
        for item in s.not_in_scope:
            st.markdown(f"- {item}")

    st.header("What we have done", anchor=False)
    for item in s.what_we_did:
        st.markdown(f"- {item}")

    st.header("Reporting accessibility problems", anchor=False)
    st.markdown(
        f"If you find a problem not listed here, or need the information in another format, email "
        f"[{s.contact_email}](mailto:{s.contact_email}) or use the sounding board. We will reply "
        f"within {s.response_days} working days.")
    st.header("Enforcement procedure", anchor=False)
    st.markdown(s.enforcement)

    st.header("Every page of this dashboard", anchor=False)
    st.markdown("A second way to find a page, besides the sidebar, grouped by what it is for.")
    for section, specs in navigation.site_map().items():
        st.markdown(f"**{section}**")
        for spec in specs:
            st.page_link(navigation.page(spec.url_path), label=spec.title)

    st.header("How we tested this dashboard", anchor=False)
    st.markdown(s.method)
    st.caption(f"This statement was prepared on {s.statement_prepared:%-d %B %Y}. "
               f"The dashboard was last tested on {s.last_tested:%-d %B %Y}.")
