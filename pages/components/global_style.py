"""Style the whole app needs for WCAG 2.2 AA, added once per run by app.py.

- A visible keyboard focus on every control and link (2.4.7 Focus visible, 2.4.13 Focus appearance):
  a 3 px ring in the theme's primary colour, 7:1 on white.
- Links inside captions keep full contrast (1.4.3 Contrast, minimum).
- Text alternatives of charts for screen readers (`text_alternative`), hidden from sight: Streamlit
  puts a chart's `alt` on a "graphics-document" container, a role some assistive technology and
  Playwright's accessibility snapshot do not expose, so the same sentence is also given as text
  (1.1.1 Non-text content).
- Nothing cut off (1.4.10 Reflow): labels Streamlit draws on one line with an ellipsis (page links,
  metric labels, values and deltas, expander titles) wrap instead, and pills wrap onto more lines.
  tests/e2e/test_e2e_screens.py checks every page at 320, 390 and 1366 px.
- Page titles scale with the viewport, so at 320 CSS px the longest word of a title fits its line
  instead of being broken mid-word (1.4.10 Reflow).
"""

from __future__ import annotations

import html

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
/* Streamlit fades a caption with opacity 0.6, which leaves its links at 2.95:1 on white; captions
   are drawn in an opaque grey instead (7:1) and their links in the theme's link colour (7:1). */
[data-testid="stCaptionContainer"] {
  opacity: 1 !important;
  color: #595959 !important;
}
[data-testid="stCaptionContainer"] a {
  color: #005A9C !important;
}
/* Nothing cut off: what Streamlit draws on one line with an ellipsis wraps instead (WCAG 1.4.10). */
[data-testid="stPageLink"] span:not([data-testid="stIconMaterial"]),
[data-testid="stPageLink"] [data-testid="stMarkdownContainer"], [data-testid="stPageLink"] p,
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] p,
[data-testid="stExpander"] summary [data-testid="stMarkdownContainer"], [data-testid="stExpander"] summary p,
[data-testid="stButtonGroup"] [data-testid="stMarkdownContainer"], [data-testid="stButtonGroup"] p {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
  overflow-wrap: break-word;
}
[data-testid="stMetricLabel"] > div { width: auto !important; max-width: 100%; }
[data-testid="stButtonGroup"] > div, [data-testid="stButtonGroup"] [role="radiogroup"],
[data-testid="stButtonGroup"] [role="group"] {
  flex-wrap: wrap !important;
  overflow-x: visible !important;
}
.em3-sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
</style>"""


def apply() -> None:
    st.html(CSS)


def text_alternative(text: str) -> None:
    """A chart's text alternative as visually hidden text just before it."""
    st.html(f'<p class="em3-sr-only">Chart: {html.escape(text)}</p>')
