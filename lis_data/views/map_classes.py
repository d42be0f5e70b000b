"""Map classes: the colour of each district's figure (a 7-step sequential palette, dark = best),
the legend, and a Vega-Lite geoshape choropleth drawn from the same classes for the evidence pack and
the image downloads. Pure functions: no Streamlit, no pydeck (ui/maps.py draws the
interactive pydeck map with these same classes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from lis_data.views.formatting import with_unit

RGBA = list[int]

# Viridis, 7 steps, light (worst / lowest) to dark (best / highest).
PALETTE = ["#FDE725", "#8FD744", "#35B779", "#21908C", "#31688E", "#443983", "#440154"]
# One hue (blue), light to dark, for indicators where neither direction is better.
NEUTRAL_PALETTE = ["#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#084594"]
NO_FIGURE = "#C4C4C4"            # EM3 district with no figure: a pale grey no palette step uses
NEIGHBOUR_FILL = "#F3F3F3"       # districts outside EM3, drawn for context
NEIGHBOUR_LINE = "#BDBDBD"
DISTRICT_LINE = "#FFFFFF"        # thin white borders between EM3 districts
FOCUS_LINE = "#1A1A1A"           # focus districts: a thicker dark outline

def hex_to_rgba(colour: str, alpha: int = 255) -> RGBA:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a hex colour (0 black .. 1 white)."""
    def lin(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = hex_to_rgba(colour)[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def palette_for(polarity: str) -> list[str]:
    """The palette, light to dark: dark is best (higher/lower) or highest (neither)."""
    return NEUTRAL_PALETTE if polarity == "neither" else PALETTE


def _positions(values: Sequence, polarity: str) -> list[float | None]:
    """Each value's place on the palette, 0 (light end) to 1 (dark end); None if missing.

    Dark is the best figure: the highest when higher is better, the lowest when lower
    is better; the highest when neither is better."""
    present = [float(v) for v in values if not is_missing(v)]
    if not present:
        return [None for _ in values]
    lo, hi = min(present), max(present)
    out: list[float | None] = []
    for v in values:
        if is_missing(v):
            out.append(None)
        elif hi == lo:
            out.append(0.5)
        else:
            t = (float(v) - lo) / (hi - lo)
            out.append(1 - t if polarity == "lower" else t)
    return out


def _step(t: float, n: int) -> int:
    return min(int(t * n), n - 1)


def colour_scale(values: Sequence, polarity: str) -> list[RGBA]:
    """An RGBA colour per value on a 7-step sequential palette, equal intervals between the lowest
    and highest figure. Dark = best whatever the polarity ("neither": a single-hue ramp, dark =
    highest). Missing values get the NO_FIGURE pale grey."""
    pal = palette_for(polarity)
    return [hex_to_rgba(NO_FIGURE) if t is None else hex_to_rgba(pal[_step(t, len(pal))])
            for t in _positions(values, polarity)]


@dataclass(frozen=True)
class Legend:
    """What a page needs to draw a legend: the value range, the colour stops in value order
    (lowest value first) and which end is best."""
    low: float
    high: float
    low_label: str
    high_label: str
    stops: list[dict]       # {"colour", "start", "end"} in ascending value order
    reading: str            # e.g. "Darker is better: lower is better for this indicator."
    has_missing: bool
    no_figure_colour: str = NO_FIGURE


def legend(values: Sequence, polarity: str, unit: str, decimals: int) -> Legend | None:
    """The legend of colour_scale(values, polarity); None when no value is present."""
    present = [float(v) for v in values if not is_missing(v)]
    if not present:
        return None
    lo, hi = min(present), max(present)
    pal = palette_for(polarity)
    n = len(pal)
    width = (hi - lo) / n if hi > lo else 1.0
    stops = []
    for i in range(n):
        start, end = lo + i * width, lo + (i + 1) * width
        t = (i + 0.5) / n
        colour = pal[_step(1 - t if polarity == "lower" else t, n)]
        stops.append({"colour": colour, "start": start, "end": end})
    if hi == lo:
        stops = [{"colour": pal[_step(0.5, n)], "start": lo - 0.5, "end": lo + 0.5}]
    reading = {
        "higher": "Darker is better: higher is better for this indicator.",
        "lower": "Darker is better: lower is better for this indicator.",
        "neither": "Darker is higher; neither higher nor lower is better in itself.",
    }[polarity]
    return Legend(lo, hi, with_unit(lo, unit, decimals), with_unit(hi, unit, decimals), stops, reading,
                  any(is_missing(v) for v in values))


def legend_chart(leg: Legend, height: int = 34) -> alt.LayerChart:
    """A gradient bar of the legend's stops with the lowest and highest figure labelled under it."""
    bar = pd.DataFrame(leg.stops)
    rects = alt.Chart(bar).mark_rect(stroke="#FFFFFF", strokeWidth=0.5).encode(
        x=alt.X("start:Q", axis=None, scale=alt.Scale(domain=[bar["start"].min(), bar["end"].max()], nice=False,
                                                      zero=False)),
        x2="end:Q", color=alt.Color("colour:N", scale=None, legend=None), tooltip=alt.value(None))
    ends = pd.DataFrame({"x": [bar["start"].min(), bar["end"].max()], "label": [leg.low_label, leg.high_label],
                         "align": ["left", "right"]})
    left = alt.Chart(ends.iloc[[0]]).mark_text(align="left", baseline="top", dy=height / 2 + 4, fontSize=13,
                                               color="#1A1A1A").encode(x="x:Q", text="label:N")
    right = alt.Chart(ends.iloc[[1]]).mark_text(align="right", baseline="top", dy=height / 2 + 4, fontSize=13,
                                                color="#1A1A1A").encode(x="x:Q", text="label:N")
    return alt.layer(rects, left, right).properties(height=height).configure_view(stroke=None)


def colours(values: Sequence, polarity: str) -> list[str]:
    """colour_scale as hex colours (NO_FIGURE for a missing value)."""
    return ["#{:02X}{:02X}{:02X}".format(*c[:3]) for c in colour_scale(values, polarity)]


def _legend_layer(leg: Legend, width: int, height: int = 16):
    bar = pd.DataFrame(leg.stops)
    scale = alt.Scale(domain=[bar["start"].min(), bar["end"].max()], nice=False, zero=False)
    rects = alt.Chart(bar).mark_rect(stroke="#FFFFFF", strokeWidth=0.5).encode(
        x=alt.X("start:Q", axis=None, scale=scale), x2="end:Q", color=alt.Color("colour:N", scale=None, legend=None))
    ends = pd.DataFrame({"x": [bar["start"].min(), bar["end"].max()], "label": [leg.low_label, leg.high_label]})
    left = alt.Chart(ends.iloc[[0]]).mark_text(align="left", baseline="top", dy=height / 2 + 4, fontSize=12,
                                               color="#1A1A1A").encode(x=alt.X("x:Q", scale=scale), text="label:N")
    right = alt.Chart(ends.iloc[[1]]).mark_text(align="right", baseline="top", dy=height / 2 + 4, fontSize=12,
                                                color="#1A1A1A").encode(x=alt.X("x:Q", scale=scale), text="label:N")
    return alt.layer(rects, left, right).properties(width=width, height=height,
                                                   title=alt.TitleParams(leg.reading, fontSize=12, anchor="start",
                                                                         fontWeight="normal", color="#404040"))


def geoshape_choropleth(boundaries: dict, figures: dict[str, float | None], focus_codes: Sequence[str],
                        polarity: str, unit: str, decimals: int, title: str, subtitle: str = "",
                        width: int = 460, height: int = 340) -> dict:
    """A Vega-Lite map of the EM3 districts shaded by the same classes as the page's map (dark =
    best), neighbours grey, focus districts outlined, with its legend. `figures`: {code: value} of
    the EM3 districts. Returns the Vega-Lite spec (a dict)."""
    codes = list(figures)
    fill = dict(zip(codes, colours([figures[c] for c in codes], polarity)))
    focus = set(focus_codes)
    feats = []
    for f in boundaries["features"]:
        code = f["properties"].get("areacd")
        em3 = f["properties"].get("role") == "em3"
        value = figures.get(code) if em3 else None
        feats.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "name": f["properties"].get("areanm", code), "fill": fill.get(code, NO_FIGURE) if em3 else NEIGHBOUR_FILL,
            "line": FOCUS_LINE if code in focus else (DISTRICT_LINE if em3 else NEIGHBOUR_LINE),
            "width": 2.2 if code in focus else 0.6,
            "figure": with_unit(value, unit, decimals) if em3 else ""}})
    # The features go in as a named data set after the spec is built: Altair would deep-copy and
    # validate every coordinate, which costs far more than drawing them.
    shapes = alt.Chart(alt.NamedData("districts", format=alt.DataFormat(type="json"))).mark_geoshape().encode(
        color=alt.Color("properties.fill:N", scale=None, legend=None),
        stroke=alt.Stroke("properties.line:N", scale=None, legend=None),
        strokeWidth=alt.StrokeWidth("properties.width:Q", scale=None, legend=None),
        tooltip=[alt.Tooltip("properties.name:N", title="District"), alt.Tooltip("properties.figure:N", title="Figure")],
    ).project(type="mercator").properties(width=width, height=height)
    leg = legend([figures[c] for c in codes], polarity, unit, decimals)
    parts = [shapes] + ([_legend_layer(leg, width)] if leg is not None else [])
    chart = alt.vconcat(*parts, spacing=14).properties(
        title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start", fontSize=15,
                              subtitleFontSize=12, subtitleColor="#404040", color="#1A1A1A")
    ).configure_view(stroke=None)
    spec = chart.to_dict(validate=False)
    spec.setdefault("datasets", {})["districts"] = feats
    return spec


def choropleth_summary(snapshot_df: pd.DataFrame, focus_codes: Iterable[str], indicator) -> str:
    """The map's key figures in words, for its text alternative: the highest and lowest district
    and the districts in focus (up to three), each with its figure."""
    valued = snapshot_df[snapshot_df["value"].notna()].sort_values("value")
    if valued.empty:
        return "No district has a figure."

    def said(r) -> str:
        return f"{r['areanm']} {with_unit(r['value'], indicator.unit, indicator.decimals)}"

    lo, hi = valued.iloc[0], valued.iloc[-1]
    parts = [f"Highest: {said(hi)}; lowest: {said(lo)}"]
    focus = valued[valued["areacd"].isin(set(focus_codes))]
    if 0 < len(focus) <= 3:
        parts.append("in focus: " + ", ".join(said(r) for _, r in focus.iterrows()))
    return "; ".join(parts) + "."


@dataclass(frozen=True)
class LegendKey:
    """The map legend in words: each colour class with its range and what it means, and what the scale
    is relative to. The map's colours are relative to the EM3 districts (seven equal steps from the
    lowest district's figure to the highest): they rank the districts against each other; whether a
    district differs from England is its judgement (tooltip and table)."""

    classes: tuple[tuple[str, str, str], ...]  # (colour, "£40.3 to £46.5", meaning), lightest first
    relative: str  # what the scale is relative to, with England's figure placed on it


def legend_key(leg: Legend, polarity: str, unit: str, decimals: int, n_districts: int,
               england: float | None = None, england_name: str = "England") -> LegendKey:
    stops = sorted(leg.stops, key=lambda s: palette_for(polarity).index(s["colour"]))  # lightest first
    last = len(stops) - 1
    ends = {"higher": ("lowest figures, worst", "highest figures, best"),
            "lower": ("highest figures, worst", "lowest figures, best"),
            "neither": ("lowest figures", "highest figures")}[polarity]
    rows = []
    for i, s in enumerate(stops):
        meaning = ends[0] if i == 0 else ends[1] if i == last else ""
        lo, hi = with_unit(max(s["start"], leg.low), unit, decimals), with_unit(min(s["end"], leg.high), unit, decimals)
        rows.append((s["colour"], lo if lo == hi else f"{lo} to {hi}", meaning))
    relative = (f"Colours are relative to the {n_districts} districts: seven equal steps from the lowest "
                f"district's figure ({leg.low_label}) to the highest ({leg.high_label}). They rank the districts "
                f"against each other, not against {england_name}")
    if england is not None and not is_missing(england):
        where = ("below the lowest district" if england < leg.low else "above the highest district"
                 if england > leg.high else "within the districts' range")
        relative += f"; {england_name}'s figure, {with_unit(england, unit, decimals)}, is {where}"
    relative += (". Whether a district is better or worse than the benchmark (95% confidence intervals) is "
                 "in its tooltip and the table.")
    return LegendKey(tuple(rows), relative)
