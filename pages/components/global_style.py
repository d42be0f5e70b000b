"""Style the whole app needs for WCAG 2.2 AA, added once per run by app.py.

- A visible keyboard focus on every control and link (2.4.7 Focus visible, 2.4.13 Focus appearance):
  a 3 px ring in the theme's primary colour, 7:1 on white.
- Page titles scale with the viewport, so at 320 CSS px the longest word of a title fits its line
  instead of being broken mid-word (1.4.10 Reflow).
"""

from __future__ import annotations

import streamlit as st

CSS = """<style>
:focus-visible {
  outline: 3px solid #005A9C !important;
  outline-offset: 2px !important;
}
[data-testid="stMain"] h1 {
  font-size: clamp(1.55rem, 0.9rem + 4.2vw, 2.75rem) !important;
  overflow-wrap: normal;
  word-break: normal;
  hyphens: manual;
}
/* Headings follow the page's outline (h1, h2, h3 in order, WCAG 1.3.1); their sizes are set here
   so that a section heading is not the size of a page title. */
[data-testid="stMain"] h2, [data-testid="stSidebar"] h2 {
  font-size: clamp(1.25rem, 1rem + 1.2vw, 1.6rem) !important;
  overflow-wrap: normal;
  word-break: normal;
}
[data-testid="stMain"] h3 {
  font-size: clamp(1.1rem, 1rem + 0.6vw, 1.3rem) !important;
}
</style>"""


def apply() -> None:
    st.html(CSS)
