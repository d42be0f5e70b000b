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
import re
from contextlib import contextmanager

import streamlit as st

CSS = """<style>
/* The date field's day, month and year segments are separate touch targets: at least 24 x 24 px each
   (WCAG 2.5.8; axe target-size). */
[data-testid="stDateInput"] [role="spinbutton"] { display: inline-block; min-width: 24px; min-height: 24px;
  line-height: 24px; text-align: center; }
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
/* Maps: each is drawn at its design size and scaled down to fit a narrower box (fitted_map). */
[class*="st-key-em3map-"] { container-type: inline-size; }
[class*="st-key-em3map-"] [data-testid="stDeckGlJsonChart"] { max-width: none; }
/* The map legend: each colour class with its range and meaning (never colour alone). */
.em3-key { list-style: none; padding: 0; margin: 0.25rem 0 0.5rem; font-size: 0.875rem; color: #1A1A1A; }
.em3-key li { display: flex; gap: 0.5rem; align-items: baseline; margin: 0.15rem 0; }
.em3-key .sw { flex: 0 0 1.1rem; height: 0.8rem; border: 1px solid #595959; display: inline-block; }
.em3-sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
</style>"""


def compact(css: str) -> str:
    """CSS as sent: without its comments and runs of white space (every page's first load carries
    it; tests/e2e/test_page_weight.py)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    return re.sub(r"\s*([{};:,>])\s*", r"\1", css).strip()


_SENT = compact(CSS)


def apply() -> None:
    st.html(_SENT)


def text_alternative(text: str) -> None:
    """A chart's text alternative as visually hidden text just before it."""
    st.html(f'<p class="em3-sr-only">Chart: {html.escape(text)}</p>')


#: The widths a fitted map is scaled at, in CSS px of its box: one step every STEP px below its design
#: width. Discrete steps so that any browser with container queries and CSS zoom draws it (no
#: arithmetic on lengths), each rounded down so the map is never wider than its box (and at most
#: STEP px narrower). Short selectors: the rules go with every first load of a page with a map.
STEP = 16
SMALLEST = 200


def _fit_css(design_width: int) -> str:
    rules = []
    for box in range(design_width - 1, SMALLEST - 1, -STEP):
        scale = (box - STEP + 1) / design_width
        rules.append(f"@container (max-width:{box}px){{[class*=em3map-w{design_width}-] "
                     f".stElementContainer:has(.stDeckGlJsonChart){{zoom:{scale:.4f}}}}}")
    return "<style>" + "".join(rules) + "</style>"


@contextmanager
def fitted_map(key: str, design_width: int):
    """A box for a map drawn at `design_width` CSS px (its view fitted to the whole area at that size,
    maps.fit_view), scaled down with CSS zoom wherever the box is narrower: the whole area shows at
    every width, as on a wide screen. Streamlit's pydeck chart keeps one zoom for every width (deck.gl
    reads no bounds from its JSON), so a narrower box would cut the area's edges off. deck.gl
    corrects pointer positions for the scale (mjolnir's offset by getBoundingClientRect/offsetWidth),
    so tooltips stay on the district tapped."""
    st.html(_fit_css(design_width))
    with st.container(key=f"em3map-w{design_width}-{key}"):
        yield


def legend_key_html(key, has_missing: bool) -> str:
    """lis_data.views.map_classes.LegendKey as a list: swatch, range, meaning; then what the scale is
    relative to. Colours are the palette's own; every text is escaped."""
    items = "".join(
        f'<li><span class="sw" style="background:{html.escape(colour)}"></span>'
        f"<span>{html.escape(rng)}{(': ' + html.escape(meaning)) if meaning else ''}</span></li>"
        for colour, rng, meaning in key.classes)
    if has_missing:
        items += '<li><span class="sw" style="background:#C4C4C4"></span><span>no figure published</span></li>'
    return f'<ul class="em3-key">{items}</ul><p class="em3-key">{html.escape(key.relative)}</p>'
