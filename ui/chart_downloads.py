"""PNG and SVG downloads of a chart, with its title, source and licence in the image
(lis_data.views.images renders the page's own Vega-Lite spec offline, only when clicked)."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from lis_data.views.images import chart_png, chart_svg


def image_downloads(spec: dict | Callable[[], dict], source: str, name: str, key: str, what: str = "") -> None:
    """Two download buttons, "PNG image" and "SVG image" (or "<what> (PNG)" and "<what> (SVG)" where
    several charts' buttons sit together). `spec` is the chart's Vega-Lite spec, or a function that
    builds it: built only when a button is pressed (the map's image spec costs more than the map)."""
    def built() -> dict:
        return spec() if callable(spec) else spec

    safe = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:60] or "chart"
    row = st.container(horizontal=True, gap="small")  # one block on the wire, where three columns were four
    with row:
        st.download_button(f"{what} (PNG)" if what else "PNG image", data=lambda: chart_png(built(), source), file_name=f"em3-{safe}.png",
                           mime="image/png", on_click="ignore", key=f"png-{key}", icon=":material/image:",
                           help="The chart as a picture, with its title, source and licence")
        st.download_button(f"{what} (SVG)" if what else "SVG image", data=lambda: chart_svg(built(), source).encode("utf-8"),
                           file_name=f"em3-{safe}.svg", mime="image/svg+xml", on_click="ignore", key=f"svg-{key}",
                           icon=":material/image:", help="The chart as a scalable picture, with its title, source "
                                                          "and licence")
